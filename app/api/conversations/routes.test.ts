import { beforeEach, describe, expect, it, vi } from "vitest";
import { ensureOwner } from "@/lib/auth/owner";
import { toUIMessage } from "@/lib/chat/service";
import { EXPORT_FORMAT, importSchema } from "@/lib/conversations/portable";
import { createConversation, getConversation } from "@/lib/db/conversations";
import { appendMessage, type NewMessage } from "@/lib/db/messages";
import { getActiveShare } from "@/lib/db/shares";
import type { ErrorPayload } from "@/lib/errors";
import { generationBus } from "@/lib/generation";
import { turnKey } from "@/lib/generation/key";
import { recommendedParams, type Settings } from "@/lib/params";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import type { TurnMetadata } from "@/lib/types";
import { idContext, jsonRequest, testUrl, routeTestDatabase } from "@/lib/testing/routes";
import { DELETE as REVOKE } from "../shares/[token]/route";
import { POST as FORK } from "../shares/[token]/fork/route";
import { GET as VIEW_SHARE } from "../../s/[token]/route";
import { GET as EXPORT } from "./[id]/export/route";
import { DELETE, PATCH } from "./[id]/route";
import { GET as LIST_SHARES, POST as CREATE_SHARE, type PublicShare } from "./[id]/shares/route";
import { POST as IMPORT } from "./import/route";
import { GET as LIST } from "./route";

// Route handlers read the owner cookie with next/headers' cookies(); each test browser has a jar.
vi.mock("next/headers", () => import("@/lib/testing/browser"));

const MODEL = "openai/gpt-oss-120b";
const SETTINGS: Settings = {
  model: "openai/gpt-oss-20b",
  system: "Answer in one word.",
  params: { temperature: 0.2, reasoning_effort: "low" },
};

routeTestDatabase("conversations");
/** The owner of what a test sets up. */
let alice: TestBrowser;
/** Someone else. */
let bob: TestBrowser;

beforeEach(() => {
  alice = new TestBrowser();
  bob = new TestBrowser();
});

const tokenContext = (token: string) => ({ params: Promise.resolve({ token }) });
const url = testUrl;

async function ownerOf(browser: TestBrowser): Promise<string> {
  return browser.run(() => ensureOwner(new Request(url("/"))));
}

const question = (text: string): NewMessage => ({
  id: uniqueId("u"),
  role: "user",
  parts: [{ type: "text", text }],
});

const answer = (
  text: string,
  reasoning: string,
  status: NewMessage["status"] = "done",
): NewMessage => ({
  id: uniqueId("a"),
  role: "assistant",
  parts: [
    { type: "step-start" },
    { type: "reasoning", text: reasoning, state: "done" },
    { type: "text", text, state: "done" },
  ],
  metadata: { model: "openai/gpt-oss-20b", status: status === "streaming" ? "streaming" : "done" },
  status,
});

/** A conversation of `browser`'s, stored directly. */
async function seed(
  browser: TestBrowser,
  options: { title?: string; messages?: NewMessage[]; settings?: Settings } = {},
): Promise<string> {
  const id = uniqueId("c");
  await createConversation({
    id,
    ownerId: await ownerOf(browser),
    title: options.title ?? "What is 2+2?",
    settings: options.settings ?? SETTINGS,
  });
  for (const message of options.messages ?? [question("What is 2+2?"), answer("4", "Add them.")])
    await appendMessage({ conversationId: id, message });
  return id;
}

async function stored(id: string, browser: TestBrowser) {
  return getConversation({ id, ownerId: await ownerOf(browser) });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function errorCode(response: Response): Promise<ErrorPayload> {
  expect(response.headers.get("content-type")).toBe("application/json");
  return (await json<{ error: ErrorPayload }>(response)).error;
}

type Listed = { id: string; title: string; updatedAt: string };

async function list(browser: TestBrowser, query?: string): Promise<Listed[]> {
  const search = query === undefined ? "" : `?q=${encodeURIComponent(query)}`;
  const response = await browser.run(() => LIST(new Request(url(`/api/conversations${search}`))));
  expect(response.status).toBe(200);
  return (await json<{ conversations: Listed[] }>(response)).conversations;
}

const rename = (browser: TestBrowser, id: string, body: unknown) =>
  browser.run(() => PATCH(jsonRequest(`/api/conversations/${id}`, "PATCH", body), idContext(id)));

const remove = (browser: TestBrowser, id: string) =>
  browser.run(() =>
    DELETE(new Request(url(`/api/conversations/${id}`), { method: "DELETE" }), idContext(id)),
  );

const exportAs = (browser: TestBrowser, id: string, format?: string) =>
  browser.run(() =>
    EXPORT(
      new Request(url(`/api/conversations/${id}/export${format ? `?format=${format}` : ""}`)),
      idContext(id),
    ),
  );

const importFile = (browser: TestBrowser, body: unknown) =>
  browser.run(() => IMPORT(jsonRequest("/api/conversations/import", "POST", body)));

const createShare = (browser: TestBrowser, id: string, options: unknown = {}) =>
  browser.run(() =>
    CREATE_SHARE(jsonRequest(`/api/conversations/${id}/shares`, "POST", options), idContext(id)),
  );

async function share(
  browser: TestBrowser,
  id: string,
  options: unknown = {},
): Promise<PublicShare> {
  const response = await createShare(browser, id, options);
  expect(response.status).toBe(201);
  return (await json<{ share: PublicShare }>(response)).share;
}

async function shares(browser: TestBrowser, id: string): Promise<PublicShare[]> {
  const response = await browser.run(() =>
    LIST_SHARES(new Request(url(`/api/conversations/${id}/shares`)), idContext(id)),
  );
  expect(response.status).toBe(200);
  return (await json<{ shares: PublicShare[] }>(response)).shares;
}

const revoke = (browser: TestBrowser, token: string) =>
  browser.run(() =>
    REVOKE(new Request(url(`/api/shares/${token}`), { method: "DELETE" }), tokenContext(token)),
  );

const fork = (browser: TestBrowser, token: string) =>
  browser.run(() =>
    FORK(new Request(url(`/api/shares/${token}/fork`), { method: "POST" }), tokenContext(token)),
  );

describe("GET /api/conversations", () => {
  it("lists the caller's conversations only, most recently active first", async () => {
    const first = await seed(alice, { title: "First" });
    const second = await seed(alice, { title: "Second" });
    const third = await seed(alice, { title: "Third" });
    const bobs = await seed(bob, { title: "Bob's" });
    // New activity moves a conversation to the top.
    await appendMessage({ conversationId: first, message: question("Again?") });

    const listed = await list(alice);
    expect(listed.map((c) => c.id)).toEqual([first, third, second]);
    expect(listed[0]).toEqual({ id: first, title: "First", updatedAt: expect.any(String) });
    expect(new Date(listed[0]!.updatedAt).toISOString()).toBe(listed[0]!.updatedAt);
    expect((await list(bob)).map((c) => c.id)).toEqual([bobs]);
  });

  it("filters by title with ?q=, ignoring case and taking wildcards literally", async () => {
    const plan = await seed(alice, { title: "Alpha plan" });
    const notes = await seed(alice, { title: "beta ALPHA notes" });
    await seed(alice, { title: "Gamma" });
    const percent = await seed(alice, { title: "100% sure" });
    await seed(alice, { title: "1000 sure" });
    await seed(bob, { title: "Alpha of Bob" });

    expect((await list(alice, "alpha")).map((c) => c.id).sort()).toEqual([plan, notes].sort());
    expect((await list(alice, "100%")).map((c) => c.id)).toEqual([percent]);
    expect(await list(alice, "nothing like it")).toEqual([]);
    expect(await list(alice, "  ")).toHaveLength(5);
  });

  it("answers an empty list to a browser without an owner, without giving it one", async () => {
    await seed(alice);
    const stranger = new TestBrowser();
    expect(await list(stranger)).toEqual([]);
    expect(stranger.cookie("tp_owner")).toBeUndefined();
  });

  it("is not cached", async () => {
    await seed(alice);
    const response = await alice.run(() => LIST(new Request(url("/api/conversations"))));
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("PATCH and DELETE /api/conversations/[id]", () => {
  it("renames the owner's conversation", async () => {
    const id = await seed(alice, { title: "Old" });
    const response = await rename(alice, id, { title: "  New name  " });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ id, title: "New name" });
    expect((await stored(id, alice))?.title).toBe("New name");
  });

  it("gives anyone else 404 and leaves the title alone", async () => {
    const id = await seed(alice, { title: "Mine" });
    const byBob = await rename(bob, id, { title: "Bob's now" });
    expect(byBob.status).toBe(404);
    expect((await errorCode(byBob)).code).toBe("not_found");
    expect((await rename(new TestBrowser(), id, { title: "Anyone's" })).status).toBe(404);
    expect((await rename(alice, uniqueId("c"), { title: "Missing" })).status).toBe(404);
    expect((await stored(id, alice))?.title).toBe("Mine");
  });

  it("refuses an invalid title with a 400 naming the field", async () => {
    const id = await seed(alice);
    for (const [body, field] of [
      [{ title: "   " }, "title"],
      [{ title: "x".repeat(201) }, "title"],
      [{ title: "ok", owner: "bob" }, "owner"],
    ] as const) {
      const response = await rename(alice, id, body);
      expect(response.status).toBe(400);
      const error = await errorCode(response);
      expect(error.code).toBe("bad_request:invalid_body");
      expect(error.details?.field).toBe(field);
    }
  });

  it("deletes the owner's conversation with its shares; anyone else gets 404", async () => {
    const id = await seed(alice);
    const { token } = await share(alice, id);

    const byBob = await remove(bob, id);
    expect(byBob.status).toBe(404);
    expect((await errorCode(byBob)).code).toBe("not_found");
    expect(await stored(id, alice)).toBeDefined();

    const response = await remove(alice, id);
    expect(response.status).toBe(204);
    expect(await stored(id, alice)).toBeUndefined();
    expect(await getActiveShare({ token })).toBeUndefined();
    expect((await remove(alice, id)).status).toBe(404);
  });
});

describe("GET /api/conversations/[id]/export", () => {
  it("downloads Markdown", async () => {
    const id = await seed(alice, { title: "Sums & such: 2+2" });
    const response = await exportAs(alice, id, "markdown");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="Sums-such-22.md"',
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const markdown = await response.text();
    expect(markdown).toContain("# Sums & such: 2+2\n");
    expect(markdown).toContain("Model: `openai/gpt-oss-20b`");
    expect(markdown).toContain("## You\n\nWhat is 2+2?\n");
    expect(markdown).toContain("> Add them.");
    expect(markdown).toContain("\n4\n");
  });

  it("downloads JSON by default, in the format import reads", async () => {
    const id = await seed(alice, { title: "Arithmetic" });
    const response = await exportAs(alice, id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="Arithmetic.json"',
    );
    const file = await json<Record<string, unknown>>(response);
    const conversation = (await stored(id, alice))!;
    expect(file).toMatchObject({
      format: EXPORT_FORMAT,
      version: 2,
      title: "Arithmetic",
      settings: SETTINGS,
      activeLeafId: conversation.messages.at(-1)?.id,
    });
    expect(file.messages).toEqual(
      conversation.messages.map((m) => ({
        id: m.id,
        parentId: m.parentId,
        role: m.role,
        parts: m.parts,
        ...(m.metadata ? { metadata: m.metadata } : {}),
        status: m.status,
      })),
    );
    expect(importSchema.safeParse(file).success).toBe(true);
    // Nothing about the owner travels in the file.
    expect(JSON.stringify(file)).not.toContain(await ownerOf(alice));
  });

  it("names a file whose title has no usable characters 'conversation'", async () => {
    const id = await seed(alice, { title: "¿¡!?" });
    const response = await exportAs(alice, id, "markdown");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="conversation.md"',
    );
  });

  it("gives anyone else 404", async () => {
    const id = await seed(alice, { title: "Private" });
    for (const browser of [bob, new TestBrowser()]) {
      const response = await exportAs(browser, id, "markdown");
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(text).not.toContain("Private");
      expect(text).not.toContain("What is 2+2?");
    }
  });
});

describe("POST /api/conversations/import", () => {
  it("creates a new conversation of the importer's, with new ids throughout", async () => {
    const source = await seed(alice, { title: "Worth keeping" });
    const file = await json<unknown>(await exportAs(alice, source));

    const response = await importFile(bob, file);
    expect(response.status).toBe(201);
    const { id } = await json<{ id: string }>(response);
    expect(id).not.toBe(source);

    const original = (await stored(source, alice))!;
    const imported = (await stored(id, bob))!;
    expect(imported.title).toBe("Worth keeping");
    expect(imported.settings).toEqual(SETTINGS);
    expect(imported.messages.map((m) => [m.role, m.parts, m.metadata, m.status])).toEqual(
      original.messages.map((m) => [m.role, m.parts, m.metadata, m.status]),
    );
    const originalIds = new Set(original.messages.map((m) => m.id));
    for (const message of imported.messages) expect(originalIds.has(message.id)).toBe(false);
    // The original stays Alice's alone.
    expect(await stored(id, alice)).toBeUndefined();
    expect((await list(bob)).map((c) => c.id)).toEqual([id]);
  });

  it("imports the same file twice as two conversations", async () => {
    const file = await json<unknown>(await exportAs(alice, await seed(alice)));
    const first = await json<{ id: string }>(await importFile(alice, file));
    const second = await json<{ id: string }>(await importFile(alice, file));
    expect(first.id).not.toBe(second.id);
  });

  it("gives a browser without an owner one", async () => {
    const file = await json<unknown>(await exportAs(alice, await seed(alice)));
    const newcomer = new TestBrowser();
    const { id } = await json<{ id: string }>(await importFile(newcomer, file));
    expect(newcomer.cookie("tp_owner")).toBeDefined();
    expect(await stored(id, newcomer)).toBeDefined();
  });

  it("turns a turn that was streaming into an interrupted one, and fills in default settings", async () => {
    const response = await importFile(alice, {
      format: EXPORT_FORMAT,
      version: 1,
      title: "Cut short",
      messages: [
        { role: "user", parts: [{ type: "text", text: "Go on" }] },
        { role: "assistant", parts: [{ type: "text", text: "Half" }], status: "streaming" },
      ],
    });
    expect(response.status).toBe(201);
    const imported = (await stored((await json<{ id: string }>(response)).id, alice))!;
    expect(imported.messages.map((m) => m.status)).toEqual(["done", "interrupted"]);
    expect(imported.settings).toEqual({ model: MODEL, params: recommendedParams() });
  });

  it("refuses another format with a 400 naming the field, and creates nothing", async () => {
    const response = await importFile(bob, {
      format: "chatgpt",
      version: 1,
      title: "x",
      messages: [],
    });
    expect(response.status).toBe(400);
    const error = await errorCode(response);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe("format");
    expect(bob.cookie("tp_owner")).toBeUndefined();
  });

  it("takes a file larger than a chat request (exports carry raw exchanges), up to MAX_IMPORT_BYTES", async () => {
    // 1.5 MB: over MAX_REQUEST_BYTES (1 MB), within MAX_IMPORT_BYTES (8 MB).
    const turns = Array.from({ length: 8 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      parts: [{ type: "text", text: `${i}`.repeat(190_000) }],
    }));
    const accepted = await importFile(alice, {
      format: EXPORT_FORMAT,
      version: 1,
      title: "Large",
      messages: turns,
    });
    expect(accepted.status).toBe(201);

    const response = await importFile(alice, {
      format: EXPORT_FORMAT,
      version: 1,
      title: "Huge",
      messages: Array.from({ length: 50 }, () => turns[0]),
    });
    expect(response.status).toBe(413);
    expect((await errorCode(response)).code).toBe("bad_request:too_large");
  });
});

describe("Imported and stored metadata: the live turns' schema", () => {
  const withMetadata = (metadata: unknown) => ({
    format: EXPORT_FORMAT,
    version: 1,
    title: "Crafted",
    messages: [
      { role: "user", parts: [{ type: "text", text: "Hi" }] },
      { role: "assistant", parts: [{ type: "text", text: "Hello" }], metadata },
    ],
  });

  it.each([
    ["usage as a string", { usage: "lots" }, "messages.1.metadata.usage"],
    [
      "a token count as a string",
      { usage: { promptTokens: "12" } },
      "messages.1.metadata.usage.promptTokens",
    ],
    ["a cost as a string", { costUsd: "0.5" }, "messages.1.metadata.costUsd"],
    ["a model that is not text", { model: { name: "x" } }, "messages.1.metadata.model"],
    ["an unknown status", { status: "pwned" }, "messages.1.metadata.status"],
    [
      "an error code this app does not have",
      { error: { code: "evil:code", message: "x" } },
      "messages.1.metadata.error.code",
    ],
    [
      "an error without its message",
      { error: { code: "upstream:auth" } },
      "messages.1.metadata.error.message",
    ],
    ["a huge model id", { model: "m".repeat(10_000) }, "messages.1.metadata.model"],
    [
      "a huge error message",
      { error: { code: "upstream:auth", message: "x".repeat(100_000) } },
      "messages.1.metadata.error.message",
    ],
    [
      "a huge upstream message",
      {
        error: {
          code: "upstream:auth",
          message: "x",
          details: { upstreamMessage: "y".repeat(100_000) },
        },
      },
      "messages.1.metadata.error.details.upstreamMessage",
    ],
    ["metadata that is a list", ["model"], "messages.1.metadata"],
  ])("refuses %s with a 400 naming the field, and creates nothing", async (_, metadata, field) => {
    const response = await importFile(bob, withMetadata(metadata));
    expect(response.status).toBe(400);
    const error = await errorCode(response);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe(field);
    expect(bob.cookie("tp_owner")).toBeUndefined();
  });

  it("drops unknown keys, __proto__ among them, and keeps what a live turn has", async () => {
    // As a file would hold it: JSON.parse makes "__proto__" an own key, not the prototype.
    const body = JSON.stringify(withMetadata({ model: MODEL, extra: "x" })).replace(
      '"extra":"x"',
      '"extra":"x","__proto__":{"polluted":true},"usage":{"answerTokens":3,"__proto__":{"polluted":true},"more":1}',
    );
    const response = await alice.run(() =>
      IMPORT(jsonRequest("/api/conversations/import", "POST", body)),
    );
    expect(response.status).toBe(201);
    const imported = (await stored((await json<{ id: string }>(response)).id, alice))!;
    const metadata = imported.messages[1]!.metadata!;
    expect(metadata).toEqual({ model: MODEL, usage: { answerTokens: 3 } });
    expect(Object.keys(metadata).sort()).toEqual(["model", "usage"]);
    expect(Object.hasOwn(metadata, "__proto__")).toBe(false);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  /** What an import stored before it was checked, written as it was. */
  const crafted = {
    model: { name: "not text" },
    usage: "lots",
    costUsd: "0.5",
    finishReason: ["length"],
    totalMs: 1234,
    status: "pwned",
    error: { code: "evil:code", message: 42, details: "Check AIMLAPI_API_KEY" },
    extra: "x".repeat(1000),
  } as unknown as TurnMetadata;

  it("reads stored metadata field by field: what fits the schema is kept, the rest left out", async () => {
    const id = await seed(alice, {
      messages: [question("Hi"), { ...answer("Hello", "Think."), metadata: crafted }],
    });
    const conversation = (await stored(id, alice))!;
    expect(conversation.messages[1]!.metadata).toEqual({ totalMs: 1234 });
    expect(toUIMessage(conversation.messages[1]!).metadata).toEqual({ totalMs: 1234 });
  });

  it("shares a conversation with crafted stored metadata, and its page renders", async () => {
    const id = await seed(alice, {
      messages: [question("Hi"), { ...answer("Hello", "Think."), metadata: crafted }],
    });
    const { token } = await share(alice, id);
    const page = await VIEW_SHARE(new Request(url(`/s/${token}`)), tokenContext(token));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Hello");
    expect(html).toContain("1.2 s");
    expect(html).not.toContain("pwned");
    expect(html).not.toContain("AIMLAPI_API_KEY");
  });
});

describe("Share links", () => {
  it("creates an unguessable link, and lists the owner's links newest first", async () => {
    const id = await seed(alice);
    const first = await share(alice, id);
    expect(first).toEqual({
      token: expect.any(String),
      url: `/s/${first.token}`,
      includeReasoning: true,
      includeSettings: true,
      includeSystemPrompt: false,
      includeExchange: false,
      createdAt: expect.any(String),
      expiresAt: null,
      revokedAt: null,
    });
    expect(first.token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(first.token, "base64url").length * 8).toBeGreaterThanOrEqual(128);

    const second = await share(alice, id, { includeReasoning: false, expiresIn: "7d" });
    expect(second.token).not.toBe(first.token);
    expect(second.includeReasoning).toBe(false);
    const expiresIn = Date.parse(second.expiresAt!) - Date.parse(second.createdAt);
    expect(Math.abs(expiresIn - 7 * 24 * 60 * 60 * 1000)).toBeLessThan(60_000);

    expect((await shares(alice, id)).map((s) => s.token)).toEqual([second.token, first.token]);
    // Someone else's conversation is not found, as on every other route; so is one without an owner.
    await ownerOf(bob);
    for (const browser of [bob, new TestBrowser()]) {
      const response = await browser.run(() =>
        LIST_SHARES(new Request(url(`/api/conversations/${id}/shares`)), idContext(id)),
      );
      expect(response.status).toBe(404);
      expect((await errorCode(response)).code).toBe("not_found");
    }
  });

  it("refuses to share someone else's conversation, or with unknown options", async () => {
    const id = await seed(alice);
    const byBob = await createShare(bob, id);
    expect(byBob.status).toBe(404);
    expect((await errorCode(byBob)).code).toBe("not_found");
    expect((await createShare(new TestBrowser(), id)).status).toBe(404);

    const invalid = await createShare(alice, id, { expiresIn: "forever" });
    expect(invalid.status).toBe(400);
    expect((await errorCode(invalid)).details?.field).toBe("expiresIn");
    expect(await shares(alice, id)).toEqual([]);
  });

  it("freezes the conversation as it was when the link was made", async () => {
    const id = await seed(alice, { title: "Before" });
    const { token } = await share(alice, id);
    await appendMessage({ conversationId: id, message: question("A later question") });
    await rename(alice, id, { title: "After" });

    const snapshot = (await getActiveShare({ token }))!.snapshot;
    expect(snapshot.title).toBe("Before");
    expect(snapshot.messages).toHaveLength(2);
    expect(JSON.stringify(snapshot)).not.toContain("A later question");

    const forked = await json<{ id: string }>(await fork(bob, token));
    expect((await stored(forked.id, bob))?.messages).toHaveLength(2);
  });

  it("leaves reasoning and settings out of the snapshot when asked to", async () => {
    const id = await seed(alice);
    const { token } = await share(alice, id, { includeReasoning: false, includeSettings: false });
    const snapshot = (await getActiveShare({ token }))!.snapshot;
    expect(snapshot.settings).toBeUndefined();
    expect(snapshot.messages.flatMap((m) => m.parts).some((p) => p.type === "reasoning")).toBe(
      false,
    );
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain("Add them.");
    expect(text).not.toContain("openai/gpt-oss-20b");
    expect(text).not.toContain(await ownerOf(alice));
  });

  it("revokes a link for its owner only; a revoked link shows nothing and cannot be forked", async () => {
    const id = await seed(alice);
    const { token } = await share(alice, id);

    const byBob = await revoke(bob, token);
    expect(byBob.status).toBe(404);
    expect((await errorCode(byBob)).code).toBe("not_found");
    expect((await revoke(new TestBrowser(), token)).status).toBe(404);
    expect(await getActiveShare({ token })).toBeDefined();

    expect((await revoke(alice, token)).status).toBe(204);
    // What the share page reads: nothing, so it answers 404.
    expect(await getActiveShare({ token })).toBeUndefined();
    const [listed] = await shares(alice, id);
    expect(listed?.revokedAt).toEqual(expect.any(String));

    const forked = await fork(bob, token);
    expect(forked.status).toBe(404);
    expect((await errorCode(forked)).code).toBe("not_found");
    // Revoking again is harmless.
    expect((await revoke(alice, token)).status).toBe(204);
  });
});

describe("POST /api/shares/[token]/fork", () => {
  it("gives the viewer a copy of their own, with the snapshot's settings, and a turn that was streaming as interrupted", async () => {
    const id = await seed(alice, {
      title: "Live one",
      messages: [question("Still going?"), answer("Partly", "Thinking…", "streaming")],
    });
    // The turn is running while the link is made, so the snapshot says "streaming".
    const run = await generationBus().begin(
      turnKey({ ownerId: await ownerOf(alice), conversationId: id }),
      () => {},
    );
    let token: string;
    try {
      ({ token } = await share(alice, id, { includeSystemPrompt: true }));
    } finally {
      await run.end();
    }
    expect((await getActiveShare({ token }))!.snapshot.messages[1]?.status).toBe("streaming");

    const response = await fork(bob, token);
    expect(response.status).toBe(201);
    const forked = await json<{ id: string; url: string }>(response);
    expect(forked.url).toBe(`/c/${forked.id}`);
    expect(forked.id).not.toBe(id);

    const copy = (await stored(forked.id, bob))!;
    expect(copy.title).toBe("Live one");
    expect(copy.settings).toEqual(SETTINGS);
    expect(copy.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "done"],
      ["assistant", "interrupted"],
    ]);
    const original = (await stored(id, alice))!;
    expect(copy.messages.map((m) => m.parts)).toEqual(original.messages.map((m) => m.parts));
    for (const message of copy.messages)
      expect(original.messages.map((m) => m.id)).not.toContain(message.id);

    // Each owner sees their own conversation only.
    expect(await stored(forked.id, alice)).toBeUndefined();
    expect(await stored(id, bob)).toBeUndefined();
    expect((await list(bob)).map((c) => c.id)).toEqual([forked.id]);
  });

  it("uses the default settings when the snapshot left them out", async () => {
    const id = await seed(alice);
    const { token } = await share(alice, id, { includeSettings: false });
    const forked = await json<{ id: string }>(await fork(bob, token));
    expect((await stored(forked.id, bob))?.settings).toEqual({
      model: MODEL,
      params: recommendedParams(),
    });
  });

  it("gives a viewer without an owner one", async () => {
    const { token } = await share(alice, await seed(alice));
    const viewer = new TestBrowser();
    const response = await fork(viewer, token);
    expect(response.status).toBe(201);
    expect(viewer.cookie("tp_owner")).toBeDefined();
    expect(await stored((await json<{ id: string }>(response)).id, viewer)).toBeDefined();
  });

  it("answers 404 for a token that does not exist", async () => {
    const response = await fork(bob, "x".repeat(43));
    expect(response.status).toBe(404);
    expect((await errorCode(response)).code).toBe("not_found");
  });
});
