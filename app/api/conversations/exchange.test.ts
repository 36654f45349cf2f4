import { describe, expect, it, vi } from "vitest";
import { uniqueKey } from "@/e2e/fake-upstream/client";
import { httpError, stream } from "@/e2e/fake-upstream/scenario";
import { EXPORT_FORMAT } from "@/lib/conversations/portable";
import { decodeLines, type Exchange } from "@/lib/inspect/exchange";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { GET as SHARED_EXCHANGE } from "../../s/[token]/exchange/[messageId]/route";
import { setupChatRoute, startTurn, storedMessages } from "../chat/route-harness";
import { GET as EXCHANGE } from "./[id]/messages/[messageId]/exchange/route";
import { GET as RECORDED_REQUEST } from "./[id]/messages/[messageId]/request/route";
import { GET as EXPORT } from "./[id]/export/route";
import { POST as CREATE_SHARE } from "./[id]/shares/route";
import { POST as IMPORT } from "./import/route";

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const KEY = "sk-route-harness-TEST";
const harness = setupChatRoute();

async function finishedTurn(browser: TestBrowser, scenario = stream()) {
  const conversationId = uniqueId("c");
  const key = uniqueKey("exchange");
  await harness.control.script(key, scenario);
  // Reading the response to its end waits for the turn to be saved, exchange included.
  await (await startTurn(browser, conversationId, key, "Hello")).text();
  const messages = await storedMessages(browser, conversationId);
  const assistant = messages.find((m) => m.role === "assistant")!;
  const [sent] = await harness.control.requests(key);
  return { conversationId, messageId: assistant.id, sent: sent! };
}

async function getExchange(browser: TestBrowser, id: string, messageId: string) {
  const response = await browser.run(() =>
    EXCHANGE(
      new Request(`http://localhost/api/conversations/${id}/messages/${messageId}/exchange`),
      {
        params: Promise.resolve({ id, messageId }),
      },
    ),
  );
  return {
    status: response.status,
    text: await response.text(),
  };
}

const exchangeOf = (text: string) => (JSON.parse(text) as { exchange: Exchange }).exchange;

describe("GET /api/conversations/:id/messages/:messageId/exchange", () => {
  it("gives the owner the turn's raw exchange: the body sent, every line received, no key", async () => {
    const alice = new TestBrowser();
    const { conversationId, messageId, sent } = await finishedTurn(
      alice,
      stream({ comments: true, meta: { usd_spent: 0.001 } }),
    );
    const { status, text } = await getExchange(alice, conversationId, messageId);
    expect(status).toBe(200);
    expect(text).not.toContain(KEY);
    const exchange = exchangeOf(text);
    expect(exchange.request.body).toEqual(sent.body);
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(decodeLines(exchange)).toHaveLength(sent.sentLines);
    expect(decodeLines(exchange).at(-1)?.text).toBe("data: [DONE]");
    expect(exchange.attempts).toHaveLength(1);
    expect(exchange.attempts[0]?.status).toBe(200);
    expect(exchange.attempts[0]?.headers?.["x-inference-id"]).toBeTruthy();
    expect(exchange.end?.reason).toBe("done");
  });

  it("answers 404 to anyone but the owner, and for a message that is not there", async () => {
    const alice = new TestBrowser();
    const bob = new TestBrowser();
    const { conversationId, messageId } = await finishedTurn(alice);
    expect((await getExchange(bob, conversationId, messageId)).status).toBe(404);
    expect((await getExchange(alice, conversationId, "no-such-message")).status).toBe(404);
    expect((await getExchange(alice, "no-such-conversation", messageId)).status).toBe(404);
  });

  it("keeps a failed turn's error body, with the key redacted", async () => {
    const alice = new TestBrowser();
    const { conversationId, messageId } = await finishedTurn(
      alice,
      httpError(401, { error: { message: `Invalid key ${KEY}`, type: "auth" } }) as never,
    );
    const { status, text } = await getExchange(alice, conversationId, messageId);
    expect(status).toBe(200);
    expect(text).not.toContain(KEY);
    const exchange = exchangeOf(text);
    expect(exchange.lines).toEqual([]);
    expect(exchange.attempts.at(-1)?.status).toBe(401);
    expect(JSON.parse(exchange.attempts.at(-1)!.body!)).toEqual({
      error: { message: "Invalid key [redacted]", type: "auth" },
    });
  });
});

describe("GET /api/conversations/:id/messages/:messageId/request (a turn's View code)", () => {
  const getRequest = (browser: TestBrowser, id: string, messageId: string) =>
    browser.run(() =>
      RECORDED_REQUEST(
        new Request(`http://localhost/api/conversations/${id}/messages/${messageId}/request`),
        { params: Promise.resolve({ id, messageId }) },
      ),
    );

  it("gives the owner the body as sent and where snippets send it, never the key; 404 to others", async () => {
    const alice = new TestBrowser();
    const bob = new TestBrowser();
    const { conversationId, messageId, sent } = await finishedTurn(alice);
    const response = await getRequest(alice, conversationId, messageId);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(KEY);
    const { body, target } = JSON.parse(text) as {
      body: unknown;
      target: { provider: string; keyEnv?: string; baseURLEnv: string; baseURL?: string };
    };
    expect(body).toEqual(sent.body);
    expect(target).toMatchObject({ keyEnv: "AIMLAPI_API_KEY", baseURLEnv: "AIMLAPI_BASE_URL" });
    // The harness's upstream is a private address: only the public URL may appear.
    expect(target.baseURL).not.toContain("127.0.0.1");
    expect((await getRequest(bob, conversationId, messageId)).status).toBe(404);
    expect((await getRequest(alice, conversationId, "no-such-message")).status).toBe(404);
  });
});

describe("the raw exchange in exports and shares", () => {
  it("goes with the JSON export, comes back on import, and is refused when malformed", async () => {
    const alice = new TestBrowser();
    const { conversationId, messageId } = await finishedTurn(alice);
    const exported = await alice.run(() =>
      EXPORT(new Request(`http://localhost/api/conversations/${conversationId}/export`), {
        params: Promise.resolve({ id: conversationId }),
      }),
    );
    const file = (await exported.json()) as {
      format: string;
      messages: { id: string; role: string; exchange?: Exchange }[];
    };
    expect(file.format).toBe(EXPORT_FORMAT);
    const turn = file.messages.find((m) => m.id === messageId)!;
    expect(turn.exchange?.lines.length).toBeGreaterThan(3);

    const post = (body: unknown) =>
      alice.run(() =>
        IMPORT(
          new Request("http://localhost/api/conversations/import", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
        ),
      );
    const imported = await post(file);
    expect(imported.status).toBe(201);
    const { id } = (await imported.json()) as { id: string };
    const copy = (await storedMessages(alice, id)).find((m) => m.role === "assistant")!;
    const { status, text } = await getExchange(alice, id, copy.id);
    expect(status).toBe(200);
    expect(exchangeOf(text).lines).toEqual(turn.exchange!.lines);

    const broken = structuredClone(file);
    broken.messages.find((m) => m.id === messageId)!.exchange!.lines.push([1, 10_000, 0, "x"]);
    const refused = await post(broken);
    expect(refused.status).toBe(400);
    const { error } = (await refused.json()) as { error: { details: { field: string } } };
    expect(error.details.field).toMatch(/^messages\.\d+\.exchange\.lines/);
  });

  it("is served by a share link only when the owner ticked it", async () => {
    const alice = new TestBrowser();
    const { conversationId, messageId } = await finishedTurn(alice);
    const share = async (includeExchange?: boolean) => {
      const response = await alice.run(() =>
        CREATE_SHARE(
          new Request(`http://localhost/api/conversations/${conversationId}/shares`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(includeExchange === undefined ? {} : { includeExchange }),
          }),
          { params: Promise.resolve({ id: conversationId }) },
        ),
      );
      expect(response.status).toBe(201);
      return ((await response.json()) as { share: { token: string; includeExchange: boolean } })
        .share;
    };
    const shared = (token: string, id = messageId) =>
      SHARED_EXCHANGE(new Request(`http://localhost/s/${token}/exchange/${id}`), {
        params: Promise.resolve({ token, messageId: id }),
      });

    const plain = await share();
    expect(plain.includeExchange).toBe(false);
    expect((await shared(plain.token)).status).toBe(404);

    const withExchange = await share(true);
    expect(withExchange.includeExchange).toBe(true);
    const response = await shared(withExchange.token);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(KEY);
    expect(exchangeOf(text).lines.length).toBeGreaterThan(3);
    expect((await shared(withExchange.token, "someone-else")).status).toBe(404);
  });
});
