import { describe, expect, it, vi } from "vitest";
import { tag, uniqueKey } from "@/e2e/fake-upstream/client";
import {
  errorBodies,
  httpError,
  stream,
  type Scenario,
  type StreamScenario,
} from "@/e2e/fake-upstream/scenario";
import { ThinkpaneError } from "@/lib/errors";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { startTurn, storedMessages, textOf, uiParts, setupChatRoute } from "./route-harness";

/**
 * The fault table: every way the upstream can fail, each through POST /api/chat. Each must end
 * the turn with a coded message naming the cause and what to do, keep the user's message and the
 * partial answer in the database, and leave the conversation ready for the next turn.
 */

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const IDLE_MS = 400;
const route = setupChatRoute({ UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_MS) });

type Fault = {
  name: string;
  scenario: Scenario;
  code: string;
  /** The cause, in the person's words. */
  cause: RegExp;
  /** What to do about it. */
  action: RegExp;
  /** Answer text that reached the person, kept in the database. */
  partial?: string;
};

/** An answer cut short after "Partial answer" (role, reasoning, two answer pieces). */
const partial = (fault: Partial<StreamScenario>): StreamScenario =>
  stream({ reasoning: ["Thinking"], answer: ["Partial", " answer", " never seen"], ...fault });

const flat = (status: number, message: string) =>
  httpError(status, errorBodies.aimlapiFlat(status, message));

const faults: Fault[] = [
  {
    name: "401",
    scenario: flat(401, "This request requires a valid API key."),
    code: "upstream:auth",
    cause: /rejected the server's API key \(HTTP 401\).*valid API key/,
    action: /Check AIMLAPI_API_KEY/,
  },
  {
    name: "402 (OpenRouter shape)",
    scenario: httpError(402, errorBodies.openrouter(402, "Insufficient credits")),
    code: "upstream:forbidden",
    cause: /refused the request \(HTTP 402\).*Insufficient credits/,
    action: /credits/,
  },
  {
    name: "403",
    scenario: flat(403, "You've run out of credits."),
    code: "upstream:forbidden",
    cause: /refused the request \(HTTP 403\).*run out of credits/,
    action: /credits/,
  },
  {
    name: "429 with Retry-After",
    scenario: httpError(429, errorBodies.aimlapiFlat(429, "Too Many Requests"), {
      "retry-after": "7",
    }),
    code: "upstream:rate_limited",
    cause: /rate limiting requests \(HTTP 429\)/,
    action: /Try again in 7 s/,
  },
  {
    name: "500 (OpenAI shape)",
    scenario: httpError(500, errorBodies.openai("Internal server error", "server_error")),
    code: "upstream:unavailable",
    cause: /unavailable or failed \(HTTP 500\).*Internal server error/,
    action: /Try again/,
  },
  {
    name: "502 (plain text)",
    scenario: httpError(502, "Bad Gateway"),
    code: "upstream:unavailable",
    cause: /unavailable or failed \(HTTP 502\).*Bad Gateway/,
    action: /Try again/,
  },
  {
    name: "503",
    scenario: flat(503, "Service unavailable"),
    code: "upstream:unavailable",
    cause: /unavailable or failed \(HTTP 503\).*Service unavailable/,
    action: /Try again/,
  },
  {
    name: "504",
    scenario: flat(504, "Generation timeout"),
    code: "upstream:timeout",
    cause: /timed out \(HTTP 504\).*Generation timeout/,
    action: /Try again/,
  },
  {
    name: "AI/ML API flat body with a string statusCode",
    scenario: httpError(400, errorBodies.aimlapiFlat("400", "Body validation error!")),
    code: "upstream:bad_request",
    cause: /rejected the request \(HTTP 400\).*Body validation error!/,
    action: /Check the parameters/,
  },
  {
    name: "an error event inside a 200 stream",
    scenario: partial({
      errorAfter: { chunks: 4, error: { code: 502, message: "Provider returned error" } },
    }),
    code: "upstream:stream_error",
    cause: /reported an error while generating.*Provider returned error/,
    action: /Regenerate/,
    partial: "Partial answer",
  },
  {
    name: "a connection dropped mid-answer",
    scenario: partial({ dropAfter: 4 }),
    code: "upstream:connection_lost",
    cause: /broke off/,
    action: /Regenerate/,
    partial: "Partial answer",
  },
  {
    name: "a stream that stalls past the idle timeout",
    scenario: partial({ stallAfter: 4 }),
    code: "upstream:stalled",
    cause: /sent nothing for/,
    action: /Regenerate/,
    partial: "Partial answer",
  },
  {
    name: "a 200 response that is not an event stream",
    scenario: httpError(200, "<html><body>Sign in to the gateway</body></html>", {
      "content-type": "text/html; charset=utf-8",
    }),
    code: "upstream:invalid_response",
    cause: /answered with text\/html instead of an event stream/,
    action: /base URL/,
  },
  {
    name: "malformed JSON in a chunk",
    // The SDK skips the unreadable event and reads on: the rest of the answer is kept too.
    scenario: partial({ malformedAfter: 4 }),
    code: "upstream:invalid_response",
    cause: /could not read; the answer may be missing a piece/,
    action: /Regenerate/,
    partial: "Partial answer never seen",
  },
];

describe("every upstream fault ends the turn cleanly, and the next turn works", () => {
  it.each(faults)("$name", async (fault) => {
    const browser = new TestBrowser();
    const conversationId = uniqueId("c");
    const key = uniqueKey("fault");
    await route.control.script(key, fault.scenario);
    const turn = async (key: string, text: string) =>
      uiParts(await (await startTurn(browser, conversationId, key, text)).text());

    const failed = await turn(key, "First question");
    const errors = failed.filter((p) => p.type === "error");
    expect(errors).toHaveLength(1);
    const error = ThinkpaneError.fromText(errors[0]!.errorText!);
    expect(error.code).toBe(fault.code);
    expect(error.message).toMatch(fault.cause);
    expect(error.message).toMatch(fault.action);
    const shown = failed
      .filter((p) => p.type === "text-delta")
      .map((p) => p.delta)
      .join("");
    expect(shown).toBe(fault.partial ?? "");

    const [question, answer] = await storedMessages(browser, conversationId);
    expect(question).toMatchObject({ role: "user", status: "done" });
    expect(question?.parts).toEqual([{ type: "text", text: `${tag(key)} First question` }]);
    expect(answer).toMatchObject({ role: "assistant", status: "error" });
    expect(answer?.metadata?.error?.code).toBe(fault.code);
    expect(textOf(answer?.parts)).toBe(fault.partial ?? "");

    const next = uniqueKey("fault-next");
    await route.control.script(next, stream({ reasoning: [], answer: ["Recovered."] }));
    const recovered = await turn(next, "Second question");
    expect(recovered.filter((p) => p.type === "error")).toEqual([]);
    const messages = await storedMessages(browser, conversationId);
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "done"],
      ["assistant", "error"],
      ["user", "done"],
      ["assistant", "done"],
    ]);
    expect(textOf(messages[3]?.parts)).toBe("Recovered.");
    // The next turn's history carries the first question.
    const [sent] = await route.control.requests(next);
    expect(JSON.stringify(sent?.body)).toContain("First question");
  });
});
