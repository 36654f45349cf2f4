import type { HighlightResult } from "streamdown";
import { describe, expect, it } from "vitest";
import { highlight } from "./highlight-core";
import type { HighlightReply, HighlightRequest } from "./highlight-protocol";
import { createWorkerCodePlugin } from "./worker-code-plugin";

/** A stand-in for the worker: the same highlighting, answered asynchronously. */
function fakeWorker() {
  const requests: HighlightRequest[] = [];
  const listeners: ((event: MessageEvent<HighlightReply>) => void)[] = [];
  const worker = {
    requests,
    addEventListener: (_: "message", listener: (event: MessageEvent<HighlightReply>) => void) =>
      listeners.push(listener),
    postMessage(request: HighlightRequest) {
      requests.push(request);
      void highlight(request).then((result) => {
        for (const l of listeners) l({ data: { id: request.id, result } } as MessageEvent);
      });
    },
  };
  return worker;
}

const themes: [string, string] = ["github-light", "github-dark"];
const text = (result: HighlightResult) =>
  result.tokens.map((line) => line.map((t) => t.content).join("")).join("\n");

function highlighted(
  plugin: ReturnType<typeof createWorkerCodePlugin>,
  code: string,
  language: string,
) {
  return new Promise<HighlightResult>((resolve) => {
    const now = plugin.highlight({ code, language, themes }, resolve);
    if (now) resolve(now);
  });
}

describe("createWorkerCodePlugin", () => {
  it("answers later with Shiki's tokens in both themes, text unchanged", async () => {
    const worker = fakeWorker();
    const plugin = createWorkerCodePlugin(() => worker as unknown as Worker);
    const code = "def double(x):\n    return x * 2";
    expect(plugin.highlight({ code, language: "py", themes }, () => {})).toBeNull();
    const result = await highlighted(plugin, code, "py");
    expect(text(result)).toBe(code);
    expect(result.tokens[0]!.length).toBeGreaterThan(1);
    expect(result.tokens[0]![0]!.htmlStyle).toHaveProperty("--shiki-dark");
  });

  it("asks once for the same finished block, and then answers from its cache", async () => {
    const worker = fakeWorker();
    const plugin = createWorkerCodePlugin(() => worker as unknown as Worker);
    const code = "const a = 1;";
    const [first, second] = await Promise.all([
      highlighted(plugin, code, "ts"),
      highlighted(plugin, code, "ts"),
    ]);
    expect(second).toBe(first);
    expect(plugin.highlight({ code, language: "ts", themes })).toBe(first);
    expect(worker.requests).toHaveLength(1);
  });

  it("shows an unknown language as one plain token a line", async () => {
    const plugin = createWorkerCodePlugin(() => fakeWorker() as unknown as Worker);
    const result = await highlighted(plugin, "a b\nc", "no-such-language");
    expect(result.tokens.map((line) => line.map((t) => t.content))).toEqual([["a b"], ["c"]]);
  });

  it("leaves code plain where no worker can start", () => {
    const plugin = createWorkerCodePlugin(() => null);
    expect(plugin.highlight({ code: "x", language: "ts", themes }, () => {})).toBeNull();
  });
});
