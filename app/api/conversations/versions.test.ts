import { beforeEach, describe, expect, it, vi } from "vitest";
import { ensureOwner } from "@/lib/auth/owner";
import { EXPORT_FORMAT, importSchema } from "@/lib/conversations/portable";
import { activePath } from "@/lib/conversations/tree";
import type { ShownPath } from "@/lib/conversations/versions";
import { createConversation, getConversation } from "@/lib/db/conversations";
import type { NewMessage } from "@/lib/db/messages";
import { getActiveShare } from "@/lib/db/shares";
import { recordTurnChange } from "@/lib/db/turns";
import type { ErrorPayload } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { idContext, jsonRequest, routeTestDatabase, testUrl } from "@/lib/testing/routes";
import { GET as EXPORT } from "./[id]/export/route";
import { GET as PATH, POST as CHOOSE } from "./[id]/path/route";
import { POST as CREATE_SHARE, type PublicShare } from "./[id]/shares/route";
import { POST as IMPORT } from "./import/route";

// Route handlers read the owner cookie with next/headers' cookies(); each test browser has a jar.
vi.mock("next/headers", () => import("@/lib/testing/browser"));

const SETTINGS: Settings = { model: "openai/gpt-oss-20b", params: {} };

routeTestDatabase("versions");
let alice: TestBrowser;
let bob: TestBrowser;

beforeEach(() => {
  alice = new TestBrowser();
  bob = new TestBrowser();
});

async function ownerOf(browser: TestBrowser): Promise<string> {
  return browser.run(() => ensureOwner(new Request(testUrl("/"))));
}

const user = (id: string, text: string): NewMessage => ({
  id,
  role: "user",
  parts: [{ type: "text", text }],
});
const assistant = (id: string, text: string): NewMessage => ({
  id,
  role: "assistant",
  parts: [{ type: "text", text, state: "done" }],
});

/**
 * A conversation of Alice's with versions, as turns write it:
 *   q1 ─┬─ a1 ── q2 ── a2
 *       ├─ a1b
 *       └─ a1c            (regenerated twice; a1c shown)
 */
async function seedTree(browser: TestBrowser) {
  const conversationId = uniqueId("c");
  const ownerId = await ownerOf(browser);
  const id = (name: string) => `${conversationId}_${name}`;
  await createConversation({ id: conversationId, ownerId, title: "Versions", settings: SETTINGS });
  const turn = (parentId: string | null, append: NewMessage[]) =>
    recordTurnChange({ conversationId, ownerId, settings: SETTINGS, parentId, append });
  await turn(null, [user(id("q1"), "Question one"), assistant(id("a1"), "Answer one")]);
  await turn(id("a1"), [user(id("q2"), "Question two"), assistant(id("a2"), "Answer two")]);
  await turn(id("q1"), [assistant(id("a1b"), "Answer one, again")]);
  await turn(id("q1"), [assistant(id("a1c"), "Answer one, third")]);
  return { conversationId, id };
}

const getPath = (browser: TestBrowser, id: string) =>
  browser.run(() => PATH(new Request(testUrl(`/api/conversations/${id}/path`)), idContext(id)));

const choose = (browser: TestBrowser, id: string, body: unknown) =>
  browser.run(() =>
    CHOOSE(jsonRequest(`/api/conversations/${id}/path`, "POST", body), idContext(id)),
  );

const exportAs = (browser: TestBrowser, id: string, format?: string) =>
  browser.run(() =>
    EXPORT(
      new Request(testUrl(`/api/conversations/${id}/export${format ? `?format=${format}` : ""}`)),
      idContext(id),
    ),
  );

const textsOf = (path: ShownPath) =>
  path.messages.map((m) => m.parts.map((p) => (p.type === "text" ? p.text : "")).join(""));

async function errorOf(response: Response): Promise<ErrorPayload> {
  return ((await response.json()) as { error: ErrorPayload }).error;
}

describe("GET and POST /api/conversations/[id]/path", () => {
  it("returns the path shown with each message's versions", async () => {
    const { conversationId, id } = await seedTree(alice);
    const response = await getPath(alice, conversationId);
    expect(response.status).toBe(200);
    const path = (await response.json()) as ShownPath;
    expect(path.activeLeafId).toBe(id("a1c"));
    expect(textsOf(path)).toEqual(["Question one", "Answer one, third"]);
    expect(path.versions).toEqual({
      [id("a1c")]: { ids: [id("a1"), id("a1b"), id("a1c")], index: 2, count: 3 },
    });
  });

  it("shows the branch last written under the chosen version, and keeps the choice", async () => {
    const { conversationId, id } = await seedTree(alice);
    const response = await choose(alice, conversationId, { messageId: id("a1") });
    expect(response.status).toBe(200);
    const path = (await response.json()) as ShownPath;
    expect(textsOf(path)).toEqual(["Question one", "Answer one", "Question two", "Answer two"]);
    expect(path.activeLeafId).toBe(id("a2"));
    expect(path.versions[id("a1")]).toEqual({
      ids: [id("a1"), id("a1b"), id("a1c")],
      index: 0,
      count: 3,
    });
    // Saved: a reload (another request, another instance) shows the same path.
    const again = (await (await getPath(alice, conversationId)).json()) as ShownPath;
    expect(again).toEqual(path);

    const back = (await (
      await choose(alice, conversationId, { messageId: id("a1b") })
    ).json()) as ShownPath;
    expect(textsOf(back)).toEqual(["Question one", "Answer one, again"]);
  });

  it("gives anyone else 404 and changes nothing", async () => {
    const { conversationId, id } = await seedTree(alice);
    for (const browser of [bob, new TestBrowser()]) {
      expect((await getPath(browser, conversationId)).status).toBe(404);
      const response = await choose(browser, conversationId, { messageId: id("a1") });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe("not_found");
    }
    const conversation = await getConversation({
      id: conversationId,
      ownerId: await ownerOf(alice),
    });
    expect(conversation?.activeLeafId).toBe(id("a1c"));
  });

  it("refuses a body without a valid messageId, or one not in the conversation, naming the field", async () => {
    const { conversationId } = await seedTree(alice);
    for (const body of [{}, { messageId: "" }, { messageId: "a b" }, { messageId: 7 }]) {
      const response = await choose(alice, conversationId, body);
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("bad_request:invalid_body");
      expect(error.details?.field).toBe("messageId");
    }
    const stranger = await choose(alice, conversationId, { messageId: uniqueId("m") });
    expect(stranger.status).toBe(400);
    expect((await errorOf(stranger)).details?.field).toBe("messageId");
  });
});

describe("exports, shares and imports of a conversation with versions", () => {
  it("JSON keeps every version with its parent and the path shown; Markdown takes the path shown", async () => {
    const { conversationId, id } = await seedTree(alice);
    const file = (await (await exportAs(alice, conversationId)).json()) as {
      version: number;
      activeLeafId: string;
      messages: { id: string; parentId: string | null }[];
    };
    expect(file).toMatchObject({ format: EXPORT_FORMAT, version: 2, activeLeafId: id("a1c") });
    expect(file.messages.map((m) => [m.id, m.parentId])).toEqual([
      [id("q1"), null],
      [id("a1"), id("q1")],
      [id("q2"), id("a1")],
      [id("a2"), id("q2")],
      [id("a1b"), id("q1")],
      [id("a1c"), id("q1")],
    ]);
    expect(importSchema.safeParse(file).success).toBe(true);

    const markdown = await (await exportAs(alice, conversationId, "markdown")).text();
    expect(markdown).toContain("Answer one, third");
    expect(markdown).not.toContain("Answer one, again");
    expect(markdown).not.toContain("Question two");
  });

  it("a share freezes the path shown when it is made", async () => {
    const { conversationId, id } = await seedTree(alice);
    await choose(alice, conversationId, { messageId: id("a1") });
    const response = await alice.run(() =>
      CREATE_SHARE(
        jsonRequest(`/api/conversations/${conversationId}/shares`, "POST", {}),
        idContext(conversationId),
      ),
    );
    expect(response.status).toBe(201);
    const { share } = (await response.json()) as { share: PublicShare };
    await choose(alice, conversationId, { messageId: id("a1c") });
    const snapshot = (await getActiveShare({ token: share.token }))!.snapshot;
    expect(snapshot.messages.map((m) => m.id)).toEqual([id("q1"), id("a1"), id("q2"), id("a2")]);
  });

  it("imports the tree with new ids, the same shape and the same path shown", async () => {
    const { conversationId } = await seedTree(alice);
    const file = await (await exportAs(alice, conversationId)).json();
    const response = await bob.run(() =>
      IMPORT(jsonRequest("/api/conversations/import", "POST", file)),
    );
    expect(response.status).toBe(201);
    const { id: copy } = (await response.json()) as { id: string };
    const original = (await getConversation({
      id: conversationId,
      ownerId: await ownerOf(alice),
    }))!;
    const imported = (await getConversation({ id: copy, ownerId: await ownerOf(bob) }))!;
    const shape = (c: typeof original) => {
      const index = new Map(c.messages.map((m, i) => [m.id, i]));
      return {
        messages: c.messages.map((m) => [m.role, m.parts, m.parentId && index.get(m.parentId)]),
        path: activePath(c.messages, c.activeLeafId).map((m) => index.get(m.id)),
      };
    };
    expect(shape(imported)).toEqual(shape(original));
    expect(imported.messages.some((m) => m.id.startsWith(conversationId))).toBe(false);
  });

  it("refuses a version 2 file whose parent is not an earlier message, naming the field", async () => {
    const response = await alice.run(() =>
      IMPORT(
        jsonRequest("/api/conversations/import", "POST", {
          format: EXPORT_FORMAT,
          version: 2,
          title: "Broken",
          activeLeafId: "b",
          messages: [
            { id: "a", parentId: "b", role: "user", parts: [{ type: "text", text: "Hi" }] },
            { id: "b", parentId: null, role: "assistant", parts: [] },
          ],
        }),
      ),
    );
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe("messages.0.parentId");
  });
});
