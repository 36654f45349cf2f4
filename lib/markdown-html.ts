import "server-only";
import type { Root } from "hast";
import { harden } from "rehype-harden";
import rehypeKatex from "rehype-katex";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import {
  limitMath,
  MATH_ERROR_COLOR,
  MATH_LIMITS,
  REMARK_MATH_OPTIONS,
  rehypeSplitLongText,
  remarkHtmlAsText,
} from "./markdown";

/*
 * Markdown to HTML (hast) on the server, for pages that never change once rendered (a shared
 * snapshot): the steps Streamdown runs in the browser, with the same untrusted-output rules as
 * components/markdown/markdown.tsx. Raw HTML becomes text (remarkHtmlAsText; no rehype-raw), the
 * sanitizer keeps Streamdown's schema, harden keeps links to http(s)/mailto and never loads images
 * (the snapshot's img component shows a link instead), math has the same limits, and long text is
 * split for the browser's parser.
 */

/** Streamdown's sanitize schema: the default, ids unprefixed (footnote anchors), `tel:` links. */
export const SANITIZE_SCHEMA = {
  ...defaultSchema,
  clobberPrefix: "",
  protocols: {
    ...defaultSchema.protocols,
    href: [...(defaultSchema.protocols?.href ?? []), "tel"],
  },
  attributes: {
    ...defaultSchema.attributes,
    code: [...(defaultSchema.attributes?.code ?? []), "metastring"],
  },
};

/** Links to the web and mail only; image sources are kept for the component that links them. */
export const HARDEN_OPTIONS = {
  allowedProtocols: ["http", "https", "mailto"],
  allowedLinkPrefixes: ["*"],
  allowedImagePrefixes: ["*"],
  allowDataImages: false,
  defaultOrigin: undefined,
};

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkMath, REMARK_MATH_OPTIONS)
  .use(remarkHtmlAsText)
  .use(remarkRehype)
  .use(rehypeSanitize, SANITIZE_SCHEMA)
  .use(harden, HARDEN_OPTIONS)
  // After sanitize and harden, which rebuild the tree; see splitLongText.
  .use(rehypeSplitLongText)
  // MathML only: the browser lays it out, so no KaTeX stylesheet or fonts are needed.
  .use(rehypeKatex, { output: "mathml", errorColor: MATH_ERROR_COLOR });

/**
 * The HTML tree of a finished markdown text, with every rule for untrusted output applied. Math
 * has the same limits as in the browser (MATH_LIMITS); with `budget`, its total is also what is
 * left of a budget shared by several texts (a shared page), and what this text typesets is spent.
 */
export function markdownToHast(markdown: string, budget?: { math: number }): Root {
  // remark-math makes its nodes while parsing: they are limited before they become MathML.
  const tree = processor.parse(markdown);
  const total = Math.max(0, Math.min(MATH_LIMITS.total, budget?.math ?? MATH_LIMITS.total));
  const left = limitMath(tree, { node: MATH_LIMITS.node, total });
  if (budget) budget.math -= total - left;
  return processor.runSync(tree) as Root;
}
