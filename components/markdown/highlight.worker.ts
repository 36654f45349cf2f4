/// <reference lib="webworker" />
/*
 * Shiki off the main thread. Compiling a grammar for the JavaScript regex engine takes hundreds
 * of milliseconds the first time a language is seen (Python: ~500 ms), and a long code block
 * takes tens of milliseconds to tokenise; either would freeze a streaming page. The page asks
 * with a HighlightRequest and gets the tokens back; see worker-code-plugin.ts.
 */
import { highlight } from "./highlight-core";
import type { HighlightReply, HighlightRequest } from "./highlight-protocol";

self.addEventListener("message", (event: MessageEvent<HighlightRequest>) => {
  const request = event.data;
  highlight(request).then(
    (result): void => self.postMessage({ id: request.id, result } satisfies HighlightReply),
    (error: unknown): void => {
      console.error("Code highlighting failed:", error);
      self.postMessage({ id: request.id, result: null } satisfies HighlightReply);
    },
  );
});
