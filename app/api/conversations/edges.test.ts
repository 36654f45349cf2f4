import { beforeEach, describe, expect, it, vi } from "vitest";
import { PEER_HEADER } from "@/lib/auth/client-address";
import { ensureOwner } from "@/lib/auth/owner";
import { EXPORT_FORMAT } from "@/lib/conversations/portable";
import { createConversation } from "@/lib/db/conversations";
import { appendMessage } from "@/lib/db/messages";
import { assertWithinQuotas, storedTotals } from "@/lib/db/quotas";
import { recordTurnChange } from "@/lib/db/turns";
import { ThinkpaneError, type ErrorPayload } from "@/lib/errors";
import { recommendedParams, type Settings } from "@/lib/params";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { configureEnv } from "@/lib/testing/env";
import { idContext, jsonRequest, routeTestDatabase, testUrl } from "@/lib/testing/routes";
import { POST as FORK } from "../shares/[token]/fork/route";
import { POST as CREATE_SHARE } from "./[id]/shares/route";
import { POST as IMPORT } from "./import/route";

vi.mock("next/headers", () => import("@/lib/testing/browser"));
// The real quota check, which a test can make fail once to break an import part-way.
vi.mock("@/lib/db/quotas", async (original) => {
  const real = await original<typeof import("@/lib/db/quotas")>();
  return { ...real, assertWithinQuotas: vi.fn(real.assertWithinQuotas) };
});

const { baseEnv } = routeTestDatabase("edges");

const SETTINGS: Settings = { model: "openai/gpt-oss-120b", params: recommendedParams() };

let browser: TestBrowser;
beforeEach(() => {
  browser = new TestBrowser();
});

const ownerOf = (b: TestBrowser) => b.run(() => ensureOwner(new Request(testUrl("/"))));

function exportFile(messages: number, text = "hello") {
  return {
    format: EXPORT_FORMAT,
    version: 1,
    title: "Imported",
    messages: Array.from({ length: messages }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      parts: [{ type: "text", text }],
    })),
  };
}

const importFile = (b: TestBrowser, body: unknown, address = b.address) =>
  b.run(() => {
    const request = jsonRequest("/api/conversations/import", "POST", body);
    // As the server stamps the socket's peer on every request.
    request.headers.set(PEER_HEADER, address);
    return IMPORT(request);
  });

const share = (b: TestBrowser, id: string) =>
  b.run(() => {
    const request = jsonRequest(`/api/conversations/${id}/shares`, "POST", {});
    request.headers.set(PEER_HEADER, b.address);
    return CREATE_SHARE(request, idContext(id));
  });

const fork = (b: TestBrowser, token: string) =>
  b.run(() =>
    FORK(
      new Request(testUrl(`/api/shares/${token}/fork`), {
        method: "POST",
        headers: { [PEER_HEADER]: b.address },
      }),
      { params: Promise.resolve({ token }) },
    ),
  );

async function errorOf(response: Response): Promise<ErrorPayload> {
  return ((await response.json()) as { error: ErrorPayload }).error;
}

describe("storage quotas per owner", () => {
  it("refuse an import past the conversation quota with a 409 naming it, storing nothing", async () => {
    configureEnv({ ...baseEnv(), MAX_CONVERSATIONS_PER_OWNER: "2" });
    expect((await importFile(browser, exportFile(2))).status).toBe(201);
    expect((await importFile(browser, exportFile(2))).status).toBe(201);
    const refused = await importFile(browser, exportFile(2));
    expect(refused.status).toBe(409);
    const error = await errorOf(refused);
    expect(error.code).toBe("quota:conversations");
    expect(error.message).toContain("2 conversations");
    expect(await storedTotals({ ownerId: await ownerOf(browser) })).toMatchObject({
      conversations: 2,
      messages: 4,
    });
  });

  it("refuse an import past the message quota (409) and the byte quota (413)", async () => {
    configureEnv({ ...baseEnv(), MAX_MESSAGES_PER_OWNER: "3" });
    const messages = await importFile(browser, exportFile(4));
    expect(messages.status).toBe(409);
    expect((await errorOf(messages)).code).toBe("quota:messages");

    configureEnv({ ...baseEnv(), MAX_STORED_BYTES_PER_OWNER: "20000" });
    // Random text, so that PostgreSQL's compression cannot shrink it under the quota.
    const noise = Array.from({ length: 3000 }, () => Math.random().toString(36).slice(2, 10)).join(
      "",
    );
    const bytes = await importFile(browser, exportFile(2, noise));
    expect(bytes.status).toBe(413);
    const error = await errorOf(bytes);
    expect(error.code).toBe("quota:storage");
    expect(error.details?.limit).toContain("MB stored per person");
    expect(await storedTotals({ ownerId: await ownerOf(browser) })).toEqual({
      conversations: 0,
      messages: 0,
      bytes: 0,
    });
  });

  it("refuse a fork and a share link past the quotas", async () => {
    const created = await importFile(browser, exportFile(2));
    const { id } = (await created.json()) as { id: string };
    const shared = await share(browser, id);
    expect(shared.status).toBe(201);
    const { share: link } = (await shared.json()) as { share: { token: string } };

    const viewer = new TestBrowser();
    configureEnv({ ...baseEnv(), MAX_MESSAGES_PER_OWNER: "1" });
    const forked = await fork(viewer, link.token);
    expect(forked.status).toBe(409);
    expect((await errorOf(forked)).code).toBe("quota:messages");
    expect((await storedTotals({ ownerId: await ownerOf(viewer) })).conversations).toBe(0);

    configureEnv({ ...baseEnv(), MAX_STORED_BYTES_PER_OWNER: "1" });
    const second = await share(browser, id);
    expect(second.status).toBe(413);
    expect((await errorOf(second)).code).toBe("quota:storage");
  });

  it("refuse a chat turn's messages past the quota, rolling the turn back", async () => {
    const ownerId = uniqueId("owner");
    const conversationId = uniqueId("c");
    await createConversation({ id: conversationId, ownerId, title: "t", settings: SETTINGS });
    await appendMessage({
      conversationId,
      message: { id: uniqueId("m"), role: "user", parts: [{ type: "text", text: "a" }] },
    });
    configureEnv({ ...baseEnv(), MAX_MESSAGES_PER_OWNER: "2" });
    const turn = recordTurnChange({
      conversationId,
      ownerId,
      settings: SETTINGS,
      append: [
        { id: uniqueId("m"), role: "user", parts: [{ type: "text", text: "b" }] },
        { id: uniqueId("m"), role: "assistant", parts: [], status: "streaming" },
      ],
    });
    await expect(turn).rejects.toSatisfy(
      (error) => ThinkpaneError.is(error) && error.code === "quota:messages",
    );
    expect((await storedTotals({ ownerId })).messages).toBe(1);

    configureEnv({ ...baseEnv(), MAX_CONVERSATIONS_PER_OWNER: "1" });
    const another = uniqueId("c");
    await expect(
      recordTurnChange({
        conversationId: another,
        ownerId,
        settings: SETTINGS,
        create: { title: "second" },
        append: [{ id: uniqueId("m"), role: "user", parts: [{ type: "text", text: "c" }] }],
      }),
    ).rejects.toSatisfy(
      (error) => ThinkpaneError.is(error) && error.code === "quota:conversations",
    );
    expect((await storedTotals({ ownerId })).conversations).toBe(1);
  });
});

describe("rate limits on imports, forks and share links", () => {
  it("answer 429 with Retry-After past the budget, per owner and per address", async () => {
    configureEnv({ ...baseEnv(), RATE_LIMIT_COPIES_PER_MINUTE: "2" });
    expect((await importFile(browser, exportFile(1), "198.51.100.1")).status).toBe(201);
    expect((await importFile(browser, exportFile(1), "198.51.100.2")).status).toBe(201);
    // A third from another address: the owner's budget is spent.
    const refused = await importFile(browser, exportFile(1), "198.51.100.3");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const error = await errorOf(refused);
    expect(error.code).toBe("rate_limited:copies");
    expect(error.message).toContain("2 conversations in the last minute");

    // A new owner (a dropped cookie) from an address that spent its budget is refused too.
    const other = new TestBrowser();
    expect((await importFile(other, exportFile(1), "198.51.100.9")).status).toBe(201);
    expect((await importFile(other, exportFile(1), "198.51.100.9")).status).toBe(201);
    const fresh = new TestBrowser();
    expect((await importFile(fresh, exportFile(1), "198.51.100.9")).status).toBe(429);
    expect((await storedTotals({ ownerId: await ownerOf(browser) })).conversations).toBe(2);
  });
});

describe("rate limits on share links and forks", () => {
  it("count share links and forks in the same budget as imports, with Retry-After", async () => {
    configureEnv({ ...baseEnv(), RATE_LIMIT_COPIES_PER_MINUTE: "2" });
    const created = await importFile(browser, exportFile(2));
    const { id } = (await created.json()) as { id: string };
    const shared = await share(browser, id);
    expect(shared.status).toBe(201);
    const { share: link } = (await shared.json()) as { share: { token: string } };
    // Import + share spent the owner's two.
    const refused = await share(browser, id);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const error = await errorOf(refused);
    expect(error.code).toBe("rate_limited:copies");
    expect(error.message).toContain("Nothing was shared");

    const viewer = new TestBrowser();
    expect((await fork(viewer, link.token)).status).toBe(201);
    expect((await fork(viewer, link.token)).status).toBe(201);
    const third = await fork(viewer, link.token);
    expect(third.status).toBe(429);
    expect((await errorOf(third)).code).toBe("rate_limited:copies");
    expect((await storedTotals({ ownerId: await ownerOf(viewer) })).conversations).toBe(2);

    configureEnv({ ...baseEnv(), RATE_LIMIT_COPIES_PER_MINUTE: "0" });
    expect((await fork(viewer, link.token)).status).toBe(201);
  });
});

describe("an import", () => {
  it("is one transaction: a failure after some rows were written stores nothing", async () => {
    vi.mocked(assertWithinQuotas).mockRejectedValueOnce(new Error("disk full"));
    const failed = await importFile(browser, exportFile(6));
    expect(failed.status).toBe(500);
    expect(vi.mocked(assertWithinQuotas)).toHaveBeenCalled();
    expect(await storedTotals({ ownerId: await ownerOf(browser) })).toEqual({
      conversations: 0,
      messages: 0,
      bytes: 0,
    });
    // The next import goes through whole.
    expect((await importFile(browser, exportFile(6))).status).toBe(201);
    expect((await storedTotals({ ownerId: await ownerOf(browser) })).messages).toBe(6);
  });
});
