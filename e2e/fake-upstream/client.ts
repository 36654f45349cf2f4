/**
 * Typed client for the fake upstream's control API, for Playwright specs and Vitest tests.
 * Uses the global fetch only, so it runs in any Node test runner process.
 */
import type { RecordedRequest, Scenario } from "./scenario";

export type WaitOptions = {
  /** Give up (and throw) after this long. Default 5000 ms. */
  timeoutMs?: number;
};

const POLL_INTERVAL_MS = 20;
const DEFAULT_TIMEOUT_MS = 5_000;

let keyCounter = 0;

/** A key no other test uses: `<prefix>-<time>-<counter>-<random>`, within `[A-Za-z0-9_-]`. */
export function uniqueKey(prefix = "t"): string {
  const safePrefix = prefix.replace(/[^A-Za-z0-9_-]/g, "_") || "t";
  const random = Math.random().toString(36).slice(2, 8);
  return `${safePrefix}-${Date.now().toString(36)}-${(keyCounter++).toString(36)}-${random}`;
}

/** The marker to put in a user message so the fake answers it with `key`'s scenario. */
export const tag = (key: string) => `[t:${key}]`;

export class FakeUpstreamControl {
  /** Accepts the fake's origin or its baseURL (anything on the same origin). */
  readonly origin: string;

  constructor(origin: string) {
    this.origin = new URL(origin).origin;
  }

  /** Scripts how the fake answers requests tagged with `key` (resets a sequence's position). */
  async script(key: string, scenario: Scenario): Promise<void> {
    const response = await fetch(this.url("scenarios", key), {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(scenario),
    });
    if (response.status !== 204) {
      throw new Error(
        `Fake upstream refused scenario "${key}" (${response.status}): ${await response.text()}`,
      );
    }
  }

  /** Requests recorded under `key`, in arrival order. */
  async requests(key: string): Promise<RecordedRequest[]> {
    const response = await fetch(this.url("requests", key));
    if (!response.ok) {
      throw new Error(
        `Fake upstream: GET requests "${key}" failed (${response.status}): ${await response.text()}`,
      );
    }
    const payload = (await response.json()) as { requests: RecordedRequest[] };
    return payload.requests;
  }

  /** Releases the next `holdAfter` hold of the streams under `key`. */
  async release(key: string): Promise<void> {
    const response = await fetch(this.url("releases", key), { method: "POST" });
    if (response.status !== 204) {
      throw new Error(
        `Fake upstream: release "${key}" failed (${response.status}): ${await response.text()}`,
      );
    }
  }

  /** Forgets the scenario and the recorded requests for `key`. */
  async reset(key: string): Promise<void> {
    const response = await fetch(this.url("scenarios", key), { method: "DELETE" });
    if (response.status !== 204) {
      throw new Error(
        `Fake upstream: reset "${key}" failed (${response.status}): ${await response.text()}`,
      );
    }
  }

  /** Waits until `count` (default 1) requests arrived under `key`; returns the `count`-th. */
  waitForRequest(
    key: string,
    options: WaitOptions & { count?: number } = {},
  ): Promise<RecordedRequest> {
    const count = options.count ?? 1;
    return this.poll(key, `${count} request(s)`, options, (requests) => requests[count - 1]);
  }

  /** Waits until a request under `key` was abandoned by its client; returns that request. */
  waitForHangUp(key: string, options: WaitOptions = {}): Promise<RecordedRequest> {
    return this.poll(key, "a client hang-up", options, (requests) =>
      requests.find((request) => request.clientClosed),
    );
  }

  private async poll(
    key: string,
    what: string,
    options: WaitOptions,
    pick: (requests: RecordedRequest[]) => RecordedRequest | undefined,
  ): Promise<RecordedRequest> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const requests = await this.requests(key);
      const found = pick(requests);
      if (found) return found;
      if (Date.now() >= deadline) {
        const seen = requests.map((r) => ({
          id: r.id,
          status: r.status,
          completed: r.completed,
          clientClosed: r.clientClosed,
        }));
        throw new Error(
          `Fake upstream: timed out after ${timeoutMs} ms waiting for ${what} under key "${key}"; ` +
            `recorded: ${JSON.stringify(seen)}`,
        );
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))),
      );
    }
  }

  private url(resource: "scenarios" | "requests" | "releases", key: string): string {
    return `${this.origin}/__fake/${resource}/${encodeURIComponent(key)}`;
  }
}
