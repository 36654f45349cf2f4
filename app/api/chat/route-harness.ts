import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, expect, vi } from "vitest";
import { FakeUpstreamControl } from "@/e2e/fake-upstream/client";
import { startFakeUpstream, type FakeUpstream } from "@/e2e/fake-upstream/server";
import { readOwner } from "@/lib/auth/owner";
import { closeDb, getDb } from "@/lib/db/client";
import { getConversation } from "@/lib/db/conversations";
import { TestBrowser } from "@/lib/testing/browser";
import { chatRequest, submitBody } from "@/lib/testing/chat-request";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import { sseData } from "@/lib/testing/sse";
import { POST as STOP } from "./[id]/stop/route";
import { POST } from "./route";

/**
 * What the fault and Stop tests share: a fake upstream and a PGlite database of the file's own,
 * and POST /api/chat called as a browser would. The test file must also mock next/headers:
 * `vi.mock("next/headers", () => import("@/lib/testing/browser"))`.
 */
const API_KEY = "sk-route-harness-TEST";

export function setupChatRoute(env: Record<string, string> = {}) {
  const state = {} as { fake: FakeUpstream; control: FakeUpstreamControl; dataDir: string };
  const configure = (extra: Record<string, string> = {}) =>
    configureEnv({
      ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
      AIMLAPI_BASE_URL: state.fake.baseURL,
      AIMLAPI_API_KEY: API_KEY,
      UPSTREAM_MAX_RETRIES: "0",
      DATA_DIR: state.dataDir,
      ...env,
      ...extra,
    });

  beforeAll(async () => {
    state.fake = await startFakeUpstream();
    state.control = new FakeUpstreamControl(state.fake.origin);
    state.dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-route-"));
    configure();
    await getDb();
  }, 60_000);

  afterAll(async () => {
    await closeDb();
    restoreEnv();
    await rm(state.dataDir, { recursive: true, force: true });
    await state.fake?.close();
  });

  beforeEach(() => {
    // The app logs every upstream failure; keep the output readable.
    vi.spyOn(console, "error").mockImplementation(() => {});
  });

  return {
    get control() {
      return state.control;
    },
    /** The app's AI/ML API key: tests check it never leaves the server. */
    apiKey: API_KEY,
    /** The fake upstream's base URL, as the app is configured with it. */
    get baseURL() {
      return state.fake.baseURL;
    },
    /** Changes the app's settings for the rest of the file. */
    configure,
  };
}

/** Starts a turn: a new message tagged for the fake upstream's scenario `key`. */
export async function startTurn(
  browser: TestBrowser,
  conversationId: string,
  key: string,
  text: string,
): Promise<Response> {
  const request = chatRequest(submitBody(conversationId, text, { key }), {
    address: browser.address,
  });
  const response = await browser.run(() => POST(request));
  expect(response.status).toBe(200);
  return response;
}

export async function stopTurn(browser: TestBrowser, conversationId: string): Promise<boolean> {
  const request = new Request(`http://localhost/api/chat/${conversationId}/stop`, {
    method: "POST",
  });
  const response = await browser.run(() =>
    STOP(request, { params: Promise.resolve({ id: conversationId }) }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { stopped: boolean }).stopped;
}

export type UIPart = { type: string; delta?: string; errorText?: string };

/** The UI message chunks of a finished response body. */
export function uiParts(text: string): UIPart[] {
  const events = sseData(text);
  expect(events.at(-1)).toBe("[DONE]");
  return events.slice(0, -1).map((event) => JSON.parse(event) as UIPart);
}

/** The conversation's messages as its owner sees them in the database. */
export async function storedMessages(browser: TestBrowser, conversationId: string) {
  const ownerId = await browser.run(() => readOwner());
  const conversation = await getConversation({ id: conversationId, ownerId: ownerId! });
  if (!conversation) throw new Error(`Conversation ${conversationId} is not stored`);
  return conversation.messages;
}

export const textOf = (parts: readonly { type: string; text?: string }[] | undefined) =>
  (parts ?? []).map((p) => (p.type === "text" ? (p.text ?? "") : "")).join("");
