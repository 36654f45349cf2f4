import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeUpstreamControl, tag, uniqueKey } from "@/e2e/fake-upstream/client";
import {
  errorBodies,
  httpError,
  stream,
  type Scenario,
  type StreamScenario,
} from "@/e2e/fake-upstream/scenario";
import { startFakeUpstream, type FakeUpstream } from "@/e2e/fake-upstream/server";
import { readOwner } from "@/lib/auth/owner";
import { closeDb, getDb } from "@/lib/db/client";
import { getConversation } from "@/lib/db/conversations";
import { ThinkpaneError } from "@/lib/errors";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import { sseData } from "@/lib/testing/sse";
import { POST } from "./route";

/**
 * The fault table: every way the upstream can fail, each through POST /api/chat. Each must end
 * the turn with a coded message naming the cause and what to do, keep the user's message and the
 * partial answer in the database, and leave the conversation ready for the next turn.
 */

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const API_KEY = "sk-faults-TEST-9c1d";
const IDLE_MS = 400;

let fake: FakeUpstream;
let control: FakeUpstreamControl;
let dataDir: string;
let browser: TestBrowser;

beforeAll(async () => {
  fake = await startFakeUpstream();
  control = new FakeUpstreamControl(fake.origin);
  dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-faults-"));
  configureEnv({
    ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
    AIMLAPI_BASE_URL: fake.baseURL,
    AIMLAPI_API_KEY: API_KEY,
    UPSTREAM_MAX_RETRIES: "0",
    UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_MS),
    DATA_DIR: dataDir,
  });
  await getDb();
}, 60_000);

afterAll(async () => {
  await closeDb();
  restoreEnv();
  await rm(dataDir, { recursive: true, force: true });
  await fake?.close();
});

beforeEach(() => {
  browser = new TestBrowser();
  // The app logs every upstream failure; keep the output readable.
  vi.spyOn(console, "error").mockImplementation(() => {});
});

/** Sends one message tagged for `key` and reads the whole streamed answer. */
async function turn(conversationId: string, key: string, text: string): Promise<string> {
  const body = {
    conversationId,
    trigger: "submit-message",
    message: { id: uniqueId("u"), text: `${tag(key)} ${text}` },
    settings: { model: "openai/gpt-oss-120b", params: {} },
  };
  const request = new Request("http://localhost/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const response = await browser.run(() => POST(request));
  expect(response.status).toBe(200);
  return response.text();
}

type Part = { type: string; delta?: string; errorText?: string };

function parts(text: string): Part[] {
  const events = sseData(text);
  expect(events.at(-1)).toBe("[DONE]");
  return events.slice(0, -1).map((event) => JSON.parse(event) as Part);
}

async function stored(conversationId: string) {
  const ownerId = await browser.run(() => readOwner());
  const conversation = await getConversation({ id: conversationId, ownerId: ownerId! });
  if (!conversation) throw new Error(`Conversation ${conversationId} is not stored`);
  return conversation.messages;
}

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
    const conversationId = uniqueId("c");
    const key = uniqueKey("fault");
    await control.script(key, fault.scenario);

    const failed = parts(await turn(conversationId, key, "First question"));
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

    const [question, answer] = await stored(conversationId);
    expect(question).toMatchObject({ role: "user", status: "done" });
    expect(question?.parts).toEqual([{ type: "text", text: `${tag(key)} First question` }]);
    expect(answer).toMatchObject({ role: "assistant", status: "error" });
    expect(answer?.metadata.error?.code).toBe(fault.code);
    const kept = (answer?.parts ?? []).map((p) => (p.type === "text" ? p.text : "")).join("");
    expect(kept).toBe(fault.partial ?? "");

    const next = uniqueKey("fault-next");
    await control.script(next, stream({ reasoning: [], answer: ["Recovered."] }));
    const recovered = parts(await turn(conversationId, next, "Second question"));
    expect(recovered.filter((p) => p.type === "error")).toEqual([]);
    const messages = await stored(conversationId);
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "done"],
      ["assistant", "error"],
      ["user", "done"],
      ["assistant", "done"],
    ]);
    expect(messages[3]?.parts).toContainEqual(expect.objectContaining({ text: "Recovered." }));
    // The upstream saw the first question (and any answer text kept) in the second turn's history.
    const [sent] = await control.requests(next);
    expect(JSON.stringify(sent?.body)).toContain("First question");
  });
});
