import { describe, expect, it, vi } from "vitest";
import { uniqueKey } from "@/e2e/fake-upstream/client";
import { stream } from "@/e2e/fake-upstream/scenario";
import { readUntil } from "@/e2e/support/chat-client";
import { ensureOwner } from "@/lib/auth/owner";
import { createConversation } from "@/lib/db/conversations";
import { chatRequest, submitBody } from "@/lib/testing/chat-request";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { DELETE } from "../conversations/[id]/route";
import { GET as FOLLOW } from "./[id]/stream/route";
import { POST } from "./route";
import { startTurn, stopTurn, storedMessages, setupChatRoute, uiParts } from "./route-harness";

/**
 * A running generation belongs to its owner: found by owner and id, stopped when its
 * conversation is deleted, and given an id nobody can predict.
 */

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const route = setupChatRoute({ UPSTREAM_IDLE_TIMEOUT_MS: "30000" });

const context = (id: string) => ({ params: Promise.resolve({ id }) });

const slow = (delayMs = 40) =>
  stream({ delayMs, reasoning: ["r"], answer: Array.from({ length: 30 }, (_, i) => ` w${i}`) });

async function follow(browser: TestBrowser, conversationId: string): Promise<Response> {
  const request = new Request(`http://localhost/api/chat/${conversationId}/stream`);
  return browser.run(() => FOLLOW(request, context(conversationId)));
}

async function remove(browser: TestBrowser, conversationId: string): Promise<Response> {
  const request = new Request(`http://localhost/api/conversations/${conversationId}`, {
    method: "DELETE",
  });
  return browser.run(() => DELETE(request, context(conversationId)));
}

const answerText = (text: string) =>
  uiParts(text)
    .filter((p) => p.type === "text-delta")
    .map((p) => p.delta)
    .join("");

describe("A running generation is its owner's", () => {
  it("deleting a conversation stops its running turn", async () => {
    const owner = new TestBrowser();
    const conversationId = uniqueId("c");
    const key = uniqueKey("gen-delete");
    await route.control.script(key, slow());
    const response = await startTurn(owner, conversationId, key, "Go on");
    const reading = await readUntil(response, " w1");

    expect((await remove(owner, conversationId)).status).toBe(204);
    const hungUp = await route.control.waitForHangUp(key, { timeoutMs: 2_000 });
    expect(hungUp).toMatchObject({ clientClosed: true, completed: false });
    await reading.drain();
  });

  it("a stranger who re-creates a deleted conversation's id sees nothing of its turn", async () => {
    const owner = new TestBrowser();
    const stranger = new TestBrowser();
    const conversationId = uniqueId("c");
    const key = uniqueKey("gen-recreate");
    await route.control.script(key, stream({ answer: ["Private ", "words"] }));
    // The owner's turn ends; its chunks linger for a reconnect.
    const finished = await startTurn(owner, conversationId, key, "Secret");
    expect(answerText(await finished.text())).toBe("Private words");
    expect((await remove(owner, conversationId)).status).toBe(204);

    // The id comes from the browser: a stranger may create a conversation with it.
    const strangerId = await stranger.run(() => ensureOwner(new Request("http://localhost/")));
    await createConversation({
      id: conversationId,
      ownerId: strangerId,
      title: "Mine now",
      settings: { model: "openai/gpt-oss-120b", params: {} },
    });
    const followed = await follow(stranger, conversationId);
    expect(followed.status).toBe(204);
    expect(await followed.text()).toBe("");
    expect(await stopTurn(stranger, conversationId)).toBe(false);
  });

  it("a stranger's new turn on a deleted conversation's id is not refused by the old one", async () => {
    const owner = new TestBrowser();
    const stranger = new TestBrowser();
    const conversationId = uniqueId("c");
    const key = uniqueKey("gen-squat");
    await route.control.script(key, slow(60));
    const running = await startTurn(owner, conversationId, key, "Long one");
    const reading = await readUntil(running, " w1");

    const theirs = uniqueKey("gen-squat-2");
    await route.control.script(theirs, stream({ answer: ["Fresh"] }));
    expect((await remove(owner, conversationId)).status).toBe(204);
    const response = await startTurn(stranger, conversationId, theirs, "Hello");
    expect(answerText(await response.text())).toBe("Fresh");
    await reading.drain();
  });

  it("gives each answer an id from a cryptographic generator, not Math.random", async () => {
    const browser = new TestBrowser();
    const ids = [uniqueId("c"), uniqueId("c")];
    const keys = [uniqueKey("gen-id"), uniqueKey("gen-id")];
    for (const key of keys) await route.control.script(key, stream({ answer: ["ok"] }));
    // A predictable Math.random gives predictable (here: equal) ids to anything built on it.
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
    try {
      for (const [i, conversationId] of ids.entries()) {
        const response = await browser.run(() =>
          POST(chatRequest(submitBody(conversationId, "Hi", { key: keys[i]! }))),
        );
        expect(response.status).toBe(200);
        await response.text();
      }
    } finally {
      random.mockRestore();
    }
    const answers = await Promise.all(
      ids.map(async (id) => (await storedMessages(browser, id))[1]),
    );
    expect(answers.map((a) => a?.status)).toEqual(["done", "done"]);
    const [first, second] = answers.map((a) => a!.id);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });
});

describe("Followers of running turns", () => {
  it("caps each owner's open follows (MAX_FOLLOWERS_PER_USER) with a 429 that says why", async () => {
    route.configure({ UPSTREAM_IDLE_TIMEOUT_MS: "30000", MAX_FOLLOWERS_PER_USER: "2" });
    try {
      const owner = new TestBrowser();
      const conversationId = uniqueId("c");
      const key = uniqueKey("gen-followers");
      await route.control.script(key, slow(40));
      // The request that started the turn is not a follow.
      const running = await readUntil(await startTurn(owner, conversationId, key, "Go on"), " w0");
      const open = [await follow(owner, conversationId), await follow(owner, conversationId)];
      expect(open.map((r) => r.status)).toEqual([200, 200]);

      const refused = await follow(owner, conversationId);
      expect(refused.status).toBe(429);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("rate_limited:followers");
      expect(error.message).toContain("2 running answers");

      // Another owner has a count of their own.
      const other = new TestBrowser();
      const theirs = uniqueId("c");
      const otherKey = uniqueKey("gen-followers-2");
      await route.control.script(otherKey, slow(40));
      const otherRun = await readUntil(await startTurn(other, theirs, otherKey, "Mine"), " w0");
      expect((await follow(other, theirs)).status).toBe(200);

      // A follow that goes away frees its place.
      await open[0]!.body!.cancel();
      const again = await follow(owner, conversationId);
      expect(again.status).toBe(200);
      // So does one that ends with its turn.
      await Promise.all([open[1]!.text(), again.text(), running.drain(), otherRun.drain()]);
      const afterEnd = [await follow(owner, conversationId), await follow(owner, conversationId)];
      expect(afterEnd.map((r) => r.status)).toEqual([200, 200]);
      await Promise.all(afterEnd.map((r) => r.text()));
    } finally {
      route.configure();
    }
  });
});
