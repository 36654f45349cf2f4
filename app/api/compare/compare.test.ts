import { describe, expect, it, vi } from "vitest";
import { tag, uniqueKey } from "@/e2e/fake-upstream/client";
import { stream } from "@/e2e/fake-upstream/scenario";
import { PEER_HEADER } from "@/lib/auth/client-address";
import { ThinkpaneError } from "@/lib/errors";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { setupChatRoute, textOf, uiParts } from "../chat/route-harness";
import { GET as GET_ONE } from "./[id]/route";
import { POST as RUN } from "./[id]/run/route";
import { POST as STOP } from "./[id]/stop/route";
import { POST as SAVE } from "./route";

vi.mock("next/headers", () => import("@/lib/testing/browser"));

/**
 * Compare through its routes: each column's answer is a request of its own, admitted by the
 * limits like a chat turn, sent with the column's settings, stored with the comparison.
 */
const harness = setupChatRoute();

const efforts = ["low", "medium", "high"] as const;

function json(url: string, body: unknown, browser: TestBrowser) {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", [PEER_HEADER]: browser.address },
    body: JSON.stringify(body),
  });
}

const effortColumns = efforts.map((effort) => ({
  settings: { model: "openai/gpt-oss-120b", params: { reasoning_effort: effort } },
}));

async function save(
  browser: TestBrowser,
  key: string,
  columns: unknown[] = effortColumns,
): Promise<string> {
  const id = uniqueId("cmp");
  const body = {
    id,
    prompt: `${tag(key)} Why is the sky blue?`,
    system: "Be brief.",
    columns,
    runsPerColumn: 1,
    sequential: false,
  };
  const response = await browser.run(() =>
    SAVE(json("http://localhost/api/compare", body, browser)),
  );
  expect(response.status).toBe(201);
  return id;
}

function run(browser: TestBrowser, id: string, column: number) {
  return browser.run(() =>
    RUN(json(`http://localhost/api/compare/${id}/run`, { column, run: 0 }, browser), {
      params: Promise.resolve({ id }),
    }),
  );
}

describe("Compare routes", () => {
  it("sends each column with its own effort and otherwise equal bodies, and stores the answers", async () => {
    const browser = new TestBrowser();
    const key = uniqueKey("cmp");
    await harness.control.script(key, stream({ answer: ["Rayleigh", " scattering."] }));
    const id = await save(browser, key);
    const responses = await Promise.all(efforts.map((_, column) => run(browser, id, column)));
    for (const response of responses) {
      expect(response.status).toBe(200);
      const parts = uiParts(await response.text());
      expect(
        parts
          .filter((p) => p.type === "text-delta")
          .map((p) => p.delta)
          .join(""),
      ).toBe("Rayleigh scattering.");
    }
    const bodies = (await harness.control.requests(key)).map(
      (r) => r.body as Record<string, unknown>,
    );
    expect(bodies.map((b) => b.reasoning_effort).sort()).toEqual(["high", "low", "medium"]);
    const rest = bodies.map(({ reasoning_effort: _, ...body }) => body);
    expect(rest[1]).toEqual(rest[0]);
    expect(rest[2]).toEqual(rest[0]);

    const got = await browser.run(() =>
      GET_ONE(new Request(`http://localhost/api/compare/${id}`), {
        params: Promise.resolve({ id }),
      }),
    );
    const { comparison } = (await got.json()) as {
      comparison: { runs: { column: number; status: string; parts: { type: string }[] }[] };
    };
    expect(comparison.runs.map((r) => [r.column, r.status])).toEqual([
      [0, "done"],
      [1, "done"],
      [2, "done"],
    ]);
    expect(textOf(comparison.runs[0]?.parts)).toBe("Rayleigh scattering.");

    const stranger = await new TestBrowser().run(() =>
      GET_ONE(new Request(`http://localhost/api/compare/${id}`), {
        params: Promise.resolve({ id }),
      }),
    );
    expect(stranger.status).toBe(404);
  });

  it("sends a column's response format and checks its answer against it, as for a chat turn", async () => {
    const browser = new TestBrowser();
    const key = uniqueKey("cmp");
    await harness.control.script(key, stream({ answer: ['{"ok":', " true}"] }));
    const responseFormat = {
      type: "json_schema",
      json_schema: {
        name: "check",
        strict: true,
        schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
      },
    };
    const model = "openai/gpt-oss-120b";
    const id = await save(browser, key, [
      { settings: { model, params: {} } },
      { settings: { model, params: { response_format: responseFormat } } },
    ]);
    for (const column of [0, 1]) {
      const response = await run(browser, id, column);
      expect(response.status).toBe(200);
      await response.text();
    }
    const bodies = (await harness.control.requests(key))
      .sort((a, b) => a.id - b.id)
      .map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b.response_format)).toEqual([undefined, responseFormat]);

    const got = await browser.run(() =>
      GET_ONE(new Request(`http://localhost/api/compare/${id}`), {
        params: Promise.resolve({ id }),
      }),
    );
    const { comparison } = (await got.json()) as {
      comparison: { runs: { column: number; metadata: { schemaCheck?: { valid: boolean } } }[] };
    };
    const checks = comparison.runs
      .sort((a, b) => a.column - b.column)
      .map((r) => r.metadata.schemaCheck?.valid);
    expect(checks).toEqual([undefined, true]);
  });

  it("refuses the column over the cap of answers at once with its reason; the others run", async () => {
    harness.configure({ MAX_CONCURRENT_STREAMS_PER_USER: "2" });
    const browser = new TestBrowser();
    const key = uniqueKey("cap");
    await harness.control.script(key, stream({ delayMs: 60, answer: ["a", "b", "c", "d"] }));
    const id = await save(browser, key);
    const first = await run(browser, id, 0);
    const second = await run(browser, id, 1);
    const third = await run(browser, id, 2);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(third.status).toBe(429);
    const error = ThinkpaneError.fromText(await third.text());
    expect(error.code).toBe("rate_limited:user_streams");
    expect(error.message).toContain("You already have 2 answers generating");
    for (const ok of [first, second])
      expect(
        uiParts(await ok.text())
          .filter((p) => p.type === "text-delta")
          .map((p) => p.delta)
          .join(""),
      ).toBe("abcd");
    expect(await harness.control.requests(key)).toHaveLength(2);
    harness.configure();
  });

  it("Stop ends every running column and closes their upstream connections", async () => {
    const browser = new TestBrowser();
    const key = uniqueKey("stop");
    await harness.control.script(key, stream({ stallAfter: 3 }));
    const id = await save(browser, key);
    const responses = await Promise.all(efforts.map((_, column) => run(browser, id, column)));
    await vi.waitFor(async () => expect(await harness.control.requests(key)).toHaveLength(3));
    const stop = await browser.run(() =>
      STOP(new Request(`http://localhost/api/compare/${id}/stop`, { method: "POST" }), {
        params: Promise.resolve({ id }),
      }),
    );
    expect(((await stop.json()) as { stopped: number }).stopped).toBe(3);
    for (const response of responses) await response.text();
    await vi.waitFor(async () => {
      const requests = await harness.control.requests(key);
      expect(requests.map((r) => r.clientClosed)).toEqual([true, true, true]);
    });
  });
});
