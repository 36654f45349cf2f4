import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { currentRequestId, REQUEST_ID_HEADER, withRequest } from "./request-context";

afterEach(() => {
  vi.restoreAllMocks();
});

function captureLogs(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  for (const method of ["log", "warn", "error"] as const)
    vi.spyOn(console, method).mockImplementation((line: unknown) => void lines.push(String(line)));
  return () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("withRequest", () => {
  it("puts the proxy's request id on every log line, also from work that outlives the response", async () => {
    const logs = captureLogs();
    const id = "0b6c1f7e-5d7a-4f0e-9a53-3f1b8a2c9d10";
    let detached: Promise<void> | undefined;
    const handler = withRequest(async (_request: Request) => {
      log.info("inside");
      detached = new Promise<void>((resolve) =>
        setTimeout(() => {
          log.warn("later");
          resolve();
        }, 5),
      );
      return new Response("ok");
    });
    await handler(new Request("http://app/x", { headers: { [REQUEST_ID_HEADER]: id } }));
    await detached;
    expect(logs().map((l) => [l.event, l.requestId])).toEqual([
      ["inside", id],
      ["later", id],
    ]);
    expect(currentRequestId()).toBeUndefined();
  });

  it("makes up an id when the header is missing or not one of ours", async () => {
    const seen: (string | undefined)[] = [];
    const handler = withRequest(async (_request: Request) => {
      seen.push(currentRequestId());
      return new Response("ok");
    });
    await handler(new Request("http://app/x"));
    await handler(
      new Request("http://app/x", { headers: { [REQUEST_ID_HEADER]: 'forged", "admin": "yes' } }),
    );
    expect(seen).toHaveLength(2);
    for (const id of seen) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f-]{27}$/);
    expect(seen[0]).not.toBe(seen[1]);
  });
});
