"use client";

import { lazy, Suspense, useEffect } from "react";
import { splitLongText } from "@/lib/markdown";
import type { MarkdownProps } from "./markdown";

/**
 * The markdown renderer (Streamdown with Shiki and KaTeX) is a large chunk: it loads on first
 * use, and until then the text shows as plain, wrapped text.
 */
const load = () => import("./block-markdown");
const Markdown = lazy(() => load().then((m) => ({ default: m.BlockMarkdown })));

/**
 * Loads (and evaluates) the renderer when the browser is idle, so that the first answer does not
 * pay for it mid-stream: evaluating it is one task of about 200 ms. Returns a cancel function.
 */
export function preloadMarkdownWhenIdle(): () => void {
  if (typeof requestIdleCallback !== "function") return () => {};
  const id = requestIdleCallback(() => void load(), { timeout: 2_000 });
  return () => cancelIdleCallback(id);
}

/**
 * For pages that will stream at once (Compare). The playground's first load stays lean: it
 * preloads once a message is being typed (see Composer).
 */
export function usePreloadMarkdown() {
  useEffect(() => preloadMarkdownWhenIdle(), []);
}

export function LazyMarkdown(props: MarkdownProps) {
  return (
    <Suspense
      fallback={
        <div className="text-sm leading-relaxed whitespace-pre-wrap">
          {splitLongText(props.children)}
        </div>
      }
    >
      <Markdown {...props} />
    </Suspense>
  );
}
