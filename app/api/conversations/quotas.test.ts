import { count } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ensureOwner } from "@/lib/auth/owner";
import { EXPORT_FORMAT } from "@/lib/conversations/portable";
import { getDb } from "@/lib/db/client";
import { createConversation } from "@/lib/db/conversations";
import { appendMessage } from "@/lib/db/messages";
import { storedTotals } from "@/lib/db/quotas";
import { conversations, exchanges, messages, shares } from "@/lib/db/schema";
import type { ErrorPayload } from "@/lib/errors";
import type { Exchange } from "@/lib/inspect/exchange";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { configureEnv } from "@/lib/testing/env";
import { idContext, jsonRequest, routeTestDatabase, testUrl } from "@/lib/testing/routes";
import { POST as FORK } from "../shares/[token]/fork/route";
import { POST as CREATE_SHARE } from "./[id]/shares/route";
import { POST as IMPORT } from "./import/route";

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const { baseEnv } = routeTestDatabase("quotas");
const settings = { model: "openai/gpt-oss-120b", params: {} };

let alice: TestBrowser;
beforeEach(() => {
  alice = new TestBrowser();
});

const exchange: Exchange = {
  version: 1,
  provider: { id: "aimlapi", label: "AI/ML API" },
  model: { id: "openai/gpt-oss-120b", upstreamId: "openai/gpt-oss-120b" },
  startedAt: "2026-01-01T00:00:00.000Z",
  request: { body: { model: "openai/gpt-oss-120b", messages: [] } },
  attempts: [{ atMs: 0, waitMs: 0, status: 200 }],
  lines: [[3, `data: {"choices":[{"delta":{"content":"4"}}]}`]],
};

/** A file of `turns` question/answer pairs, each answer with its raw exchange. */
const file = (turns: number, last: string = "4") => ({
  format: EXPORT_FORMAT,
  version: 1,
  title: "Imported",
  messages: Array.from({ length: turns }, (_, i) => [
    { role: "user", parts: [{ type: "text", text: `Question ${i}` }] },
    {
      role: "assistant",
      parts: [{ type: "text", text: i === turns - 1 ? last : "4" }],
      exchange,
    },
  ]).flat(),
});

async function rowCounts() {
  const db = await getDb();
  const n = async (
    table: typeof conversations | typeof messages | typeof exchanges | typeof shares,
  ) => (await db.select({ n: count() }).from(table))[0]?.n ?? 0;
  return {
    conversations: await n(conversations),
    messages: await n(messages),
    exchanges: await n(exchanges),
    shares: await n(shares),
  };
}

async function refusal(response: Response, code: string, status: number): Promise<ErrorPayload> {
  expect(response.status).toBe(status);
  const { error } = (await response.json()) as { error: ErrorPayload };
  expect(error.code).toBe(code);
  expect(error.message).toMatch(/at most .* per person.*Delete some conversations/);
  return error;
}

const importFile = (browser: TestBrowser, body: unknown) =>
  browser.run(() => IMPORT(jsonRequest("/api/conversations/import", "POST", body)));

async function seed(browser: TestBrowser, turns = 1): Promise<string> {
  const ownerId = await browser.run(() => ensureOwner(new Request(testUrl("/"))));
  const { id } = await createConversation({ ownerId, title: "Seeded", settings });
  for (let i = 0; i < turns; i++) {
    await appendMessage({
      conversationId: id,
      message: { id: uniqueId("u"), role: "user", parts: [{ type: "text", text: "2+2?" }] },
    });
    await appendMessage({
      conversationId: id,
      message: { id: uniqueId("a"), role: "assistant", parts: [{ type: "text", text: "4" }] },
    });
  }
  return id;
}

async function shareOf(browser: TestBrowser, id: string): Promise<Response> {
  return browser.run(() =>
    CREATE_SHARE(jsonRequest(`/api/conversations/${id}/shares`, "POST", {}), idContext(id)),
  );
}

describe("storage quotas on import, fork and share", () => {
  it("refuses an import over each quota with its code, and stores nothing of it", async () => {
    await seed(alice);
    const ownerId = await alice.run(() => ensureOwner(new Request(testUrl("/"))));
    // Room for one more conversation, message or byte than stored: the file needs more.
    const { bytes } = await storedTotals({ ownerId });
    const cases: [Record<string, string>, string, number][] = [
      [{ MAX_CONVERSATIONS_PER_OWNER: "1" }, "quota:conversations", 409],
      [{ MAX_MESSAGES_PER_OWNER: "3" }, "quota:messages", 409],
      [{ MAX_STORED_BYTES_PER_OWNER: String(bytes + 1) }, "quota:storage", 413],
    ];
    for (const [variables, code, status] of cases) {
      configureEnv({ ...baseEnv(), ...variables });
      const before = await rowCounts();
      await refusal(await importFile(alice, file(2)), code, status);
      expect(await rowCounts()).toEqual(before);
    }
    // Quotas off (the default is generous): the same file goes in.
    configureEnv(baseEnv());
    expect((await importFile(alice, file(2))).status).toBe(201);
  }, 30_000);

  it("stores nothing of an import whose last row the database refuses (all or nothing)", async () => {
    const before = await rowCounts();
    // A NUL character passes the schema but not PostgreSQL's jsonb: the last row fails.
    const response = await importFile(alice, file(3, "bad \u0000 row"));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a fork over a quota and stores nothing of it", { timeout: 30_000 }, async () => {
    const source = await seed(alice, 3);
    const created = await shareOf(alice, source);
    expect(created.status).toBe(201);
    const { share } = (await created.json()) as { share: { token: string } };
    const bob = new TestBrowser();
    await seed(bob);
    configureEnv({ ...baseEnv(), MAX_MESSAGES_PER_OWNER: "4" });
    const before = await rowCounts();
    const response = await bob.run(() =>
      FORK(new Request(testUrl(`/api/shares/${share.token}/fork`), { method: "POST" }), {
        params: Promise.resolve({ token: share.token }),
      }),
    );
    await refusal(response, "quota:messages", 409);
    expect(await rowCounts()).toEqual(before);
  });

  it(
    "refuses a share link over the byte quota (a snapshot is a copy) and stores no link",
    {
      timeout: 30_000,
    },
    async () => {
      const id = await seed(alice, 20);
      const ownerId = await alice.run(() => ensureOwner(new Request(testUrl("/"))));
      // Room for what is stored, not for a copy of it.
      const { bytes } = await storedTotals({ ownerId });
      configureEnv({ ...baseEnv(), MAX_STORED_BYTES_PER_OWNER: String(bytes + 100) });
      const before = await rowCounts();
      await refusal(await shareOf(alice, id), "quota:storage", 413);
      expect(await rowCounts()).toEqual(before);
    },
  );
});
