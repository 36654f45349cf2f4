"use client";

import { lazy, Suspense } from "react";
import { splitLongText } from "@/lib/markdown";
import type { MarkdownProps } from "./markdown";

/**
 * The markdown renderer (Streamdown with Shiki and KaTeX) is a large chunk: it loads on first
 * use, and until then the text shows as plain, wrapped text.
 */
const Markdown = lazy(() => import("./block-markdown").then((m) => ({ default: m.BlockMarkdown })));

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
