"use client";

import "katex/dist/katex.min.css";
import {
  defaultRehypePlugins,
  defaultRemarkPlugins,
  Streamdown,
  type Components,
} from "streamdown";
import { useMemo } from "react";
import {
  MATH_LIMITS,
  rehypeSplitLongText,
  remarkHtmlAsText,
  remarkLimitMath,
  safeImageUrl,
  safeLinkUrl,
} from "@/lib/markdown";
import { cn } from "@/lib/utils";
import { math, MATH_TAG, TexMath } from "./math-plugin";
import { createWorkerCodePlugin } from "./worker-code-plugin";

/*
 * Model output is untrusted. Raw HTML is shown as text (remarkHtmlAsText, and no rehype-raw),
 * the sanitizer stays on, links keep to http(s)/mailto, and images are never fetched: they
 * render as a link the reader may choose to open.
 */
const [harden] = defaultRehypePlugins.harden as [unknown, unknown];
const rehypePlugins = [
  defaultRehypePlugins.sanitize,
  [
    harden,
    {
      allowedProtocols: ["http", "https", "mailto"],
      allowedLinkPrefixes: ["*"],
      allowedImagePrefixes: ["*"],
      allowDataImages: false,
      defaultOrigin: undefined,
    },
  ],
  // After sanitize and harden, which rebuild the tree; see splitLongText.
  rehypeSplitLongText,
] as NonNullable<React.ComponentProps<typeof Streamdown>["rehypePlugins"]>;
const remarkPlugins = [
  ...Object.values(defaultRemarkPlugins),
  remarkHtmlAsText,
  remarkLimitMath,
] as NonNullable<React.ComponentProps<typeof Streamdown>["remarkPlugins"]>;

const components: Components = {
  a: ({ href, children }) => {
    const url = safeLinkUrl(href);
    if (!url) return <span className="text-muted-foreground">{children}</span>;
    // In-page anchors (footnotes) stay in this tab; a new tab would load the whole app again.
    const external = !url.startsWith("#");
    return (
      <a
        href={url}
        target={external ? "_blank" : undefined}
        rel={external ? "noopener noreferrer nofollow" : undefined}
        className="font-medium underline underline-offset-2"
      >
        {children}
      </a>
    );
  },
  img: ({ src, alt }) => {
    const url = safeImageUrl(typeof src === "string" ? src : undefined);
    const label = alt?.trim() ? alt : "image";
    return (
      <span className="inline-flex items-center gap-1 rounded border border-dashed px-1.5 py-0.5 text-xs text-muted-foreground">
        Image not loaded: {label}
        {url ? (
          <a href={url} target="_blank" rel="noopener noreferrer nofollow" className="underline">
            open
          </a>
        ) : null}
      </span>
    );
  },
};
// Typeset math (see math-plugin.tsx) under a tag of ours, which Streamdown's Components do not
// list: added outside the literal, so that the components above keep their types.
const withMath = { ...components, [MATH_TAG]: TexMath };

// Shiki runs in a worker: a grammar compile or a long block never blocks the page.
const plugins = { code: createWorkerCodePlugin(), math };
const noPlugins = {};

/*
 * While a turn streams, Streamdown repairs the unfinished markdown at its end (an open `**`, an
 * open link) so that the partial answer reads well; an open link becomes its bare words rather
 * than a link to the `streamdown:incomplete-link` placeholder, which the sanitizer would show
 * as a blocked URL. A finished answer is rendered as it is: a `[` the model never closed is
 * just a character, and repairing it would leave the placeholder in the text.
 */
const remend = { linkMode: "text-only" } as const;
// Streamdown is memoised on its props by identity: an object made in render would parse again.
const linkSafety = { enabled: false } as const;
// Code blocks without line numbers: Streamdown numbers lines with a CSS counter (a ::before with
// counter-increment on every line), and Chromium recounts every counter in the document each
// time an element that changes one is inserted: appending a numbered line to a page of 21,000
// elements forced 6-9 ms of style work, any other element 0.2-0.4 ms. While a long answer
// streamed, that was every frame that wrote or typeset a code block (render benchmark at 3,000
// tokens/s: style recalculation 903 -> 603 ms, long tasks 10-11 -> 4-7). A code block is copied
// whole with its copy button, as in most chat pages.

export type MarkdownProps = {
  children: string;
  streaming?: boolean;
  className?: string;
  /** Code highlighting and typeset math; off for text still being written (see BlockMarkdown). */
  highlight?: boolean;
  /**
   * BlockMarkdown only: markdown is rendered near the view only, and is plain text further away
   * (see BlockMarkdown). Only where the page runs in a browser (a server-only page would stay
   * plain).
   */
  deferOffscreen?: boolean;
  /** What is left of the message's math budget (MATH_LIMITS.total) when this is one block of it. */
  mathBudget?: number;
};

export function Markdown({
  children,
  streaming = false,
  className,
  highlight = true,
  mathBudget,
}: MarkdownProps) {
  const remark = useMemo(
    () =>
      mathBudget === undefined || mathBudget >= MATH_LIMITS.total
        ? remarkPlugins
        : remarkPlugins
            .slice(0, -1)
            .concat([[remarkLimitMath, { ...MATH_LIMITS, total: Math.max(0, mathBudget) }]]),
    [mathBudget],
  );
  return (
    <Streamdown
      className={cn("min-w-0 space-y-3 text-sm leading-relaxed break-words", className)}
      mode={streaming ? "streaming" : "static"}
      remend={remend}
      isAnimating={streaming}
      plugins={highlight ? plugins : noPlugins}
      rehypePlugins={rehypePlugins}
      remarkPlugins={remark}
      components={withMath}
      linkSafety={linkSafety}
      lineNumbers={false}
    >
      {children}
    </Streamdown>
  );
}
