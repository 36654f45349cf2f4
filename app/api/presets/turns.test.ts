import { describe, expect, it, vi } from "vitest";
import { tag, uniqueKey } from "@/e2e/fake-upstream/client";
import { stream } from "@/e2e/fake-upstream/scenario";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { conversations } from "@/lib/db/schema";
import type { ErrorPayload } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import type { PublicPreset } from "@/lib/presets/schema";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import type { TurnMetadata } from "@/lib/types";
import { setupChatRoute, storedMessages, uiParts } from "../chat/route-harness";
import { POST as CHAT } from "../chat/route";
import { PUT } from "./[id]/route";
import { POST as CREATE } from "./route";

/** Each turn records the preset and version its request named; someone else's is not found. */

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const route = setupChatRoute();

const SETTINGS: Settings = {
  model: "openai/gpt-oss-120b",
  params: { temperature: 0.3, reasoning_effort: "low" },
};

function post(path: string, method: string, body: unknown): Request {
  return new Request(`http://localhost${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function createPreset(browser: TestBrowser, name: string): Promise<PublicPreset> {
  const response = await browser.run(() =>
    CREATE(post("/api/presets", "POST", { name, settings: SETTINGS })),
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { preset: PublicPreset }).preset;
}

async function send(
  browser: TestBrowser,
  options: { preset?: { id: string; version: number }; settings?: Settings },
) {
  const key = uniqueKey("preset");
  await route.control.script(key, stream({ answer: ["ok"] }));
  const conversationId = uniqueId("c");
  const response = await browser.run(() =>
    CHAT(
      post("/api/chat", "POST", {
        conversationId,
        trigger: "submit-message",
        message: { id: uniqueId("u"), text: `${tag(key)} hello` },
        settings: options.settings ?? SETTINGS,
        ...(options.preset ? { preset: options.preset } : {}),
      }),
    ),
  );
  return { response, conversationId, key };
}

async function finishedMetadata(browser: TestBrowser, conversationId: string, body: string) {
  const start = uiParts(body).find((p) => p.type === "start") as
    { messageMetadata?: TurnMetadata } | undefined;
  const stored = (await storedMessages(browser, conversationId)).find(
    (m) => m.role === "assistant",
  );
  return { streamed: start?.messageMetadata, stored: stored?.metadata };
}

describe("a turn records its preset", () => {
  it("stores the owner's preset with its name and version, modified or not", async () => {
    const alice = new TestBrowser();
    const preset = await createPreset(alice, uniqueId("p"));

    const plain = await send(alice, { preset: { id: preset.id, version: 1 } });
    expect(plain.response.status).toBe(200);
    const first = await finishedMetadata(alice, plain.conversationId, await plain.response.text());
    const expected = { id: preset.id, name: preset.name, version: 1, modified: false };
    expect(first.streamed?.preset).toEqual(expected);
    expect(first.stored?.preset).toEqual(expected);
    expect(first.stored?.status).toBe("done");

    const changed = { ...SETTINGS, params: { ...SETTINGS.params, temperature: 1.5 } };
    const edited = await send(alice, { preset: { id: preset.id, version: 1 }, settings: changed });
    const second = await finishedMetadata(
      alice,
      edited.conversationId,
      await edited.response.text(),
    );
    expect(second.stored?.preset).toEqual({ ...expected, modified: true });

    // A new version does not change what the earlier turn recorded.
    const saved = await alice.run(() =>
      PUT(post(`/api/presets/${preset.id}`, "PUT", { settings: changed }), {
        params: Promise.resolve({ id: preset.id }),
      }),
    );
    expect(saved.status).toBe(200);
    const again = await finishedMetadata(alice, plain.conversationId, "data: [DONE]\n\n");
    expect(again.stored?.preset).toEqual(expected);
    const third = await send(alice, { preset: { id: preset.id, version: 2 }, settings: changed });
    const latest = await finishedMetadata(alice, third.conversationId, await third.response.text());
    expect(latest.stored?.preset).toEqual({ ...expected, version: 2 });
  });

  it("accepts a built-in preset", async () => {
    const alice = new TestBrowser();
    const { response, conversationId } = await send(alice, {
      preset: { id: "builtin-fast", version: 1 },
    });
    const { stored } = await finishedMetadata(alice, conversationId, await response.text());
    expect(stored?.preset).toEqual({
      id: "builtin-fast",
      name: "gpt-oss: fast",
      version: 1,
      modified: true,
    });
  });

  it("answers 404 for someone else's preset, a missing version or an unknown id, storing nothing", async () => {
    const alice = new TestBrowser();
    const bob = new TestBrowser();
    const preset = await createPreset(alice, uniqueId("p"));
    for (const [browser, ref] of [
      [bob, { id: preset.id, version: 1 }],
      [alice, { id: preset.id, version: 7 }],
      [alice, { id: "builtin-nope", version: 1 }],
    ] as const) {
      const { response, conversationId, key } = await send(browser, { preset: ref });
      expect(response.status).toBe(404);
      const error = ((await response.json()) as { error: ErrorPayload }).error;
      expect(error).toMatchObject({ code: "not_found", details: { field: "preset" } });
      expect(await route.control.requests(key)).toEqual([]);
      const db = await getDb();
      expect(
        await db.select().from(conversations).where(eq(conversations.id, conversationId)),
      ).toEqual([]);
    }
  });
});
