import type { CodeHighlighterPlugin, HighlightOptions, HighlightResult } from "streamdown";
import type { HighlightReply, HighlightRequest } from "./highlight-protocol";

const THEMES: [string, string] = ["github-light", "github-dark"];
/** Finished code blocks kept highlighted, most recently used last. */
const CACHE_SIZE = 500;

type Pending = { key: string | null; callbacks: ((result: HighlightResult) => void)[] };

/**
 * Streamdown's code plugin with Shiki in a Web Worker (highlight.worker.ts). A code block shows
 * its plain text at once, laid out as the highlighted form will be (Streamdown renders both
 * through the same body), and takes the tokens when the worker answers. Results of finished
 * blocks are cached by language and code, so a block that renders again is highlighted at once.
 * Where no worker can start (a server render, a test without one), code stays plain.
 */
export function createWorkerCodePlugin(
  startWorker: () => Worker | null = defaultWorker,
): CodeHighlighterPlugin {
  let worker: Worker | null | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const inFlight = new Map<string, number>();
  const cache = new Map<string, HighlightResult>();

  function receive(event: MessageEvent<HighlightReply>) {
    const { id, result } = event.data;
    const request = pending.get(id);
    if (!request) return;
    pending.delete(id);
    if (request.key !== null) inFlight.delete(request.key);
    if (!result) return;
    if (request.key !== null) remember(request.key, result);
    for (const callback of request.callbacks) callback(result);
  }

  function remember(key: string, result: HighlightResult) {
    cache.delete(key);
    cache.set(key, result);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }

  function connect(): Worker | null {
    if (worker === undefined) {
      worker = startWorker();
      worker?.addEventListener("message", receive);
    }
    return worker;
  }

  return {
    name: "shiki",
    type: "code-highlighter",
    getThemes: () => THEMES,
    // Shiki's list of languages stays in the worker; an unknown language comes back as plain text.
    getSupportedLanguages: () => [],
    supportsLanguage: () => true,
    highlight({ code, language, themes, isIncomplete = false }: HighlightOptions, callback) {
      const names = themes.map((t) => (typeof t === "string" ? t : t.name)) as [string, string];
      if (!names.every(Boolean)) return null;
      // A block still being written is superseded by its next update: not cached.
      const key = isIncomplete ? null : `${language}\n${names.join("\n")}\n${code}`;
      if (key !== null) {
        const cached = cache.get(key);
        if (cached) {
          remember(key, cached);
          return cached;
        }
        const id = inFlight.get(key);
        if (id !== undefined) {
          if (callback) pending.get(id)?.callbacks.push(callback);
          return null;
        }
      }
      const target = connect();
      if (!target) return null;
      const id = nextId++;
      pending.set(id, { key, callbacks: callback ? [callback] : [] });
      if (key !== null) inFlight.set(key, id);
      target.postMessage({ id, code, language, themes: names } satisfies HighlightRequest);
      return null;
    },
  };
}

function defaultWorker(): Worker | null {
  if (typeof Worker === "undefined") return null;
  return new Worker(new URL("./highlight.worker.ts", import.meta.url), {
    type: "module",
    name: "highlight",
  });
}
