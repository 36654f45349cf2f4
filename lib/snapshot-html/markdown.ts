import "server-only";
import type { Element, ElementContent, Properties, Root } from "hast";
import { toHtml } from "hast-util-to-html";
import { h } from "hastscript";
import { markdownToHast } from "@/lib/markdown-html";
import { safeImageUrl, safeLinkUrl, splitLongText } from "@/lib/markdown";
import { cutToBytes, htmlTextBytes, takeTypesetting, type PageBudget } from "./budget";

/*
 * A finished answer or reasoning as an HTML tree for the plain-HTML snapshot page: the tree of
 * lib/markdown-html.ts (every rule for untrusted output already applied), with links checked
 * once more, images replaced by a note, math as bare MathML, and code blocks and tables framed
 * for the buttons public/snapshot.js gives them.
 */

const EXTERNAL = { target: "_blank", rel: ["noopener", "noreferrer", "nofollow"] };

function languageOf(pre: Element): string | undefined {
  const code = pre.children.find((c): c is Element => c.type === "element");
  const classes = code?.properties.className;
  const found = Array.isArray(classes)
    ? classes.find((c) => String(c).startsWith("language-"))
    : undefined;
  return found ? String(found).slice("language-".length) : undefined;
}

function link(node: Element, children: ElementContent[]): Element {
  const href = typeof node.properties.href === "string" ? node.properties.href : undefined;
  const url = safeLinkUrl(href);
  if (!url) return h("span.snapshot-blocked", children);
  // In-page anchors (footnotes) stay in this tab (harden gives every link a new one).
  const { target: _target, rel: _rel, ...rest } = node.properties;
  const properties = { ...rest, href: url, ...(url.startsWith("#") ? {} : EXTERNAL) };
  return { ...node, properties, children };
}

function image(node: Element): Element {
  const src = typeof node.properties.src === "string" ? node.properties.src : undefined;
  const url = safeImageUrl(src);
  const alt = typeof node.properties.alt === "string" ? node.properties.alt.trim() : "";
  return h("span.snapshot-image", [
    `Image not loaded: ${alt || "image"}`,
    url ? h("a", { href: url, ...EXTERNAL }, "open") : null,
  ]);
}

// The blocks' copy and download buttons are added by snapshot.js: there can be hundreds, and
// they do nothing without it.
function codeBlock(node: Element, children: ElementContent[]): Element {
  return h("div.code-block", [
    h("div", [h("span", languageOf(node) ?? "text")]),
    { ...node, children },
  ]);
}

function table(node: Element, children: ElementContent[]): Element {
  return h("div.table-block", [
    h("div", [h("span")]),
    h("div.snapshot-table", [{ ...node, children }]),
  ]);
}

/** MathML as the browser needs it: the TeX source and the namespace only add bytes. */
function math(node: Element, children: ElementContent[]): Element {
  const { xmlns: _, ...properties } = node.properties;
  return { ...node, properties, children };
}

function transform(node: ElementContent): ElementContent {
  if (node.type !== "element") return node;
  if (node.tagName === "img") return image(node);
  const children = node.children
    .filter((child) => child.type !== "element" || child.tagName !== "annotation")
    .flatMap((child) =>
      // Without its annotation, <semantics> says nothing: its content alone.
      child.type === "element" && child.tagName === "semantics"
        ? child.children.filter((c) => c.type !== "element" || c.tagName !== "annotation")
        : [child],
    )
    .map(transform);
  if (node.tagName === "math") return math(node, children);
  if (node.tagName === "a") return link(node, children);
  if (node.tagName === "pre") return codeBlock(node, children);
  if (node.tagName === "table") return table(node, children);
  return { ...node, children };
}

/** The snapshot's HTML tree of one markdown text, in the element snapshot.css styles. */
export function markdownElement(markdown: string, budget?: { math: number }): Element {
  const tree: Root = markdownToHast(markdown, budget);
  const children = tree.children.flatMap((child) =>
    child.type === "doctype" ? [] : [transform(child)],
  );
  return h("div.snapshot-md", children);
}

/** Text past the page's budgets: as written, escaped, cut where the page's bytes run out. */
export function plainText(
  text: string,
  budget: PageBudget,
  selector = "div.snapshot-plain",
  properties: Properties = {},
): Element {
  const shown = cutToBytes(text, Math.max(0, budget.bytes));
  budget.bytes -= htmlTextBytes(shown);
  return h(selector, properties, [
    ...splitLongText(shown),
    shown.length < text.length
      ? h(
          "span.snapshot-cut",
          ` … ${(text.length - shown.length).toLocaleString("en")} more characters are not shown here.`,
        )
      : null,
  ]);
}

/**
 * A model text on a shared page: typeset while the page's markdown and math budgets last (see
 * ./budget.ts), plain text after. Typeset HTML goes in as written by hast-util-to-html, so that
 * its bytes are counted once, exactly; document.ts serialises the page with such `raw` nodes.
 */
export function pageMarkdown(text: string, budget: PageBudget): ElementContent {
  if (!takeTypesetting(budget, text)) return plainText(text, budget);
  const html = toHtml(markdownElement(text, budget));
  budget.bytes -= Buffer.byteLength(html);
  return { type: "raw", value: html };
}
