import { describe, expect, it } from "vitest";
import { MAX_TOOL_ROUNDS } from "@/lib/tools/results";
import {
  BODY_LEFT_OUT,
  decodeLines,
  type Exchange,
  type ExchangeRequest,
  exchangeSchema,
  MAX_EARLIER_REQUESTS,
  MAX_EXCHANGE_BYTES,
  MAX_MESSAGE_EXCHANGE_BYTES,
  requestSize,
  requestsOf,
  withNextRequest,
} from "./exchange";
import { reasoningSent, reasoningSentText } from "./reasoning-sent";

const request = (name: string, extra: Partial<ExchangeRequest> = {}): ExchangeRequest => ({
  version: 1,
  provider: { id: "fake", label: "Fake" },
  model: { id: "m", upstreamId: "m" },
  startedAt: "2026-01-01T00:00:00.000Z",
  request: { body: { model: "m", messages: [{ role: "user", content: name }] } },
  attempts: [{ atMs: 0, waitMs: 0, status: 200 }],
  lines: [[1, `data: {"choices":[{"delta":{"content":"${name}"}}]}`]],
  end: { ms: 2, reason: "done" },
  ...extra,
});

const nameOf = (r: ExchangeRequest) =>
  (r.request.body as { messages: { content: string }[] }).messages[0]!.content;

describe("an answer's requests (tool loop rounds)", () => {
  it("keep every round in order, the last on top, as one exchange per message", () => {
    let exchange: Exchange = withNextRequest(undefined, request("one"));
    expect(exchange.earlier).toBeUndefined();
    exchange = withNextRequest(exchange, request("two"));
    exchange = withNextRequest(exchange, request("three"));
    expect(requestsOf(exchange).map(nameOf)).toEqual(["one", "two", "three"]);
    // The top level is the last request, as a reader of one request expects.
    expect(nameOf(exchange)).toBe("three");
    expect(exchangeSchema.safeParse(exchange).success).toBe(true);
  });

  it("read an exchange stored before rounds as a single request", () => {
    const old = request("old");
    expect(requestsOf(old)).toEqual([old]);
    expect(exchangeSchema.safeParse(old).success).toBe(true);
  });

  it("are bounded in number by the rounds an answer may take", () => {
    expect(MAX_EARLIER_REQUESTS).toBe(MAX_TOOL_ROUNDS - 1);
    let exchange: Exchange = request("r0");
    for (let i = 1; i < MAX_TOOL_ROUNDS + 3; i++)
      exchange = withNextRequest(exchange, request(`r${i}`));
    const all = requestsOf(exchange);
    expect(all).toHaveLength(MAX_TOOL_ROUNDS);
    expect(nameOf(all.at(-1)!)).toBe(`r${MAX_TOOL_ROUNDS + 2}`);
    expect(exchangeSchema.safeParse(exchange).success).toBe(true);
    expect(
      exchangeSchema.safeParse({ ...exchange, earlier: [...exchange.earlier!, request("x")] })
        .success,
    ).toBe(false);
  });

  it("stay within the message's bound: the earliest give up their lines, then their bodies", () => {
    const bigLine = (c: string): ExchangeRequest["lines"] => [
      [1, c.repeat(MAX_EXCHANGE_BYTES / 2)],
      [2, `${c}!`.repeat(MAX_EXCHANGE_BYTES / 4)],
    ];
    let exchange: Exchange = request("a", { lines: bigLine("a") });
    for (const c of ["b", "c", "d", "e", "f"])
      exchange = withNextRequest(exchange, request(c, { lines: bigLine(c) }));
    const all = requestsOf(exchange);
    const total = all.reduce((sum, r) => sum + requestSize(r), 0);
    expect(total).toBeLessThanOrEqual(MAX_MESSAGE_EXCHANGE_BYTES);
    // The first ones lost their lines, counted as left out; the last ones kept theirs.
    expect(all[0]!.lines).toEqual([]);
    expect(all[0]!.omitted).toEqual({
      after: 0,
      lines: 2,
      bytes: MAX_EXCHANGE_BYTES / 2 + MAX_EXCHANGE_BYTES / 2,
    });
    expect(decodeLines(all[0]!)).toEqual([]);
    expect(all.at(-1)!.lines).toHaveLength(2);
    expect(all.at(-2)!.lines).toHaveLength(2);
    // Bodies and attempts stay while lines suffice.
    expect(nameOf(all[0]!)).toBe("a");
    expect(all[0]!.attempts).toEqual([{ atMs: 0, waitMs: 0, status: 200 }]);
    expect(exchangeSchema.safeParse(exchange).success).toBe(true);

    const bigBody = (c: string) => ({
      body: { messages: [{ role: "user", content: c.repeat(MAX_EXCHANGE_BYTES - 100) }] },
    });
    let bodies: Exchange = request("a", { request: bigBody("a") });
    for (const c of ["b", "c", "d", "e", "f"])
      bodies = withNextRequest(bodies, request(c, { request: bigBody(c) }));
    const kept = requestsOf(bodies);
    expect(kept.reduce((sum, r) => sum + requestSize(r), 0)).toBeLessThanOrEqual(
      MAX_MESSAGE_EXCHANGE_BYTES,
    );
    expect(kept[0]!.request.body).toBe(BODY_LEFT_OUT);
    expect(reasoningSent(kept[0]!)).toEqual({ sent: false, reason: "unknown" });
    expect(JSON.stringify(kept.at(-1)!.request.body)).toContain("f".repeat(100));
  });

  it("refuses an imported file whose earlier requests pass the bound or are malformed", () => {
    const huge = Array.from({ length: 5 }, (_, i) =>
      request(String(i), {
        request: { body: "x".repeat(MAX_EXCHANGE_BYTES - 10) },
      }),
    );
    const result = exchangeSchema.safeParse({ ...request("top"), earlier: huge });
    expect(result.error?.issues.map((i) => i.path)).toEqual([["earlier"]]);
    expect(
      exchangeSchema.safeParse({ ...request("top"), earlier: [{ ...request("e"), extra: 1 }] })
        .success,
    ).toBe(false);
    const broken = request("e", {
      lines: [
        [0, "a"],
        [1, 5, 5, "b"],
      ],
    });
    expect(
      exchangeSchema.safeParse({ ...request("top"), earlier: [broken] }).error?.issues[0]?.path,
    ).toEqual(["earlier", 0, "lines"]);
  });
});

describe("reasoningSent (Inspect's summary line)", () => {
  const loop = (assistant: Record<string, unknown>) => ({
    body: {
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "c" }], ...assistant },
        { role: "tool", tool_call_id: "c", content: "18" },
      ],
    },
  });
  const on = { field: "reasoning", inToolLoops: true } as const;

  it("reads the field and the messages from the body as sent", () => {
    const sent = reasoningSent({ request: loop({ reasoning: "Call it." }), reasoningBack: on });
    expect(sent).toEqual({ sent: true, fields: ["reasoning"], messages: 1 });
    expect(reasoningSentText(sent)).toBe("yes, in `reasoning`, on 1 assistant message");
    const two = reasoningSent({
      request: {
        body: {
          messages: [
            { role: "user", content: "q" },
            { role: "assistant", reasoning_content: "a", tool_calls: [] },
            { role: "tool", content: "1" },
            { role: "assistant", reasoning_content: "b", tool_calls: [] },
            { role: "tool", content: "2" },
          ],
        },
      },
      // The body wins over what the settings say.
      reasoningBack: { field: "none", inToolLoops: false },
    });
    expect(reasoningSentText(two)).toBe("yes, in `reasoning_content`, on 2 assistant messages");
  });

  it("says why none went: nothing to send, the switch, the provider's field", () => {
    const first = { body: { messages: [{ role: "user", content: "Weather?" }] } };
    expect(reasoningSentText(reasoningSent({ request: first, reasoningBack: on }))).toBe(
      "none to send",
    );
    expect(
      reasoningSentText(
        reasoningSent({ request: first, reasoningBack: { ...on, inToolLoops: false } }),
      ),
    ).toBe("none to send");
    expect(
      reasoningSentText(
        reasoningSent({ request: loop({}), reasoningBack: { ...on, inToolLoops: false } }),
      ),
    ).toBe("not sent: switched off (Send reasoning back in tool loops)");
    expect(
      reasoningSentText(
        reasoningSent({ request: loop({}), reasoningBack: { field: "none", inToolLoops: true } }),
      ),
    ).toBe("not sent: the provider's reasoningField is none");
    // The model gave no reasoning to carry back.
    expect(reasoningSentText(reasoningSent({ request: loop({}), reasoningBack: on }))).toBe(
      "none to send",
    );
    // A finished turn's reasoning never goes back: a new question has none to send.
    const after = {
      body: {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "answer" },
          { role: "user", content: "next" },
        ],
      },
    };
    expect(reasoningSent({ request: after, reasoningBack: on })).toEqual({
      sent: false,
      reason: "none-to-send",
    });
  });

  it("cannot say why for an exchange recorded before the settings were, or a body that is not JSON", () => {
    expect(reasoningSent({ request: loop({}) })).toEqual({ sent: false, reason: "unknown" });
    expect(reasoningSent({ request: { body: "not json" } })).toEqual({
      sent: false,
      reason: "unknown",
    });
    expect(reasoningSentText({ sent: false, reason: "unknown" })).toBe("no");
  });
});
