/**
 * Rules for rendering model output, which is untrusted: no raw HTML, no auto-loaded images,
 * links only to http(s) and mailto. Framework-free so that the rules can be unit tested.
 */

const SAFE_LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The URL if it is safe to link to, otherwise undefined. In-page anchors are allowed. */
export function safeLinkUrl(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const value = raw.trim();
  if (value.startsWith("#") && !/[\s"'<>]/.test(value)) return value;
  let url: URL;
  try {
    // No base: relative URLs would resolve against this app and are not something a model links to.
    url = new URL(value);
  } catch {
    return undefined;
  }
  return SAFE_LINK_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}

/** Image sources are never loaded automatically; an http(s) source is offered as a link. */
export function safeImageUrl(raw: string | undefined | null): string | undefined {
  const url = safeLinkUrl(raw);
  return url && /^https?:/.test(url) ? url : undefined;
}

type MdNode = { type: string; value?: string; children?: MdNode[] };

/**
 * A remark plugin that turns raw HTML in the markdown into plain text, so that `<img onerror>`
 * shows as the characters the model wrote instead of becoming an element.
 */
export function remarkHtmlAsText() {
  const visit = (node: MdNode): void => {
    if (node.type === "html") node.type = "text";
    node.children?.forEach(visit);
  };
  return (tree: MdNode) => visit(tree);
}

/** The longest math a message may have typeset: one formula, and all of them together. */
export const MATH_LIMITS = { node: 2_000, total: 20_000 };

/** remark-math's options: `$$…$$` only, since a lone `$` is too often a price. */
export const REMARK_MATH_OPTIONS = { singleDollarTextMath: false } as const;

/** The colour of math that KaTeX cannot typeset: the theme's muted text (app/globals.css). */
export const MATH_ERROR_COLOR = "var(--muted-foreground)";

/**
 * A remark plugin that shows oversized math as LaTeX source in a code block instead of
 * typesetting it. KaTeX's cost grows fast with size (a 40×40 matrix, 17 kB of model text, took
 * seconds of server CPU and 1.3 MB of HTML on every view of a shared page), and model output
 * decides the size. Runs after remark-math has parsed `math` and `inlineMath` nodes.
 */
export function remarkLimitMath(limits = MATH_LIMITS) {
  return (tree: MdNode) => {
    limitMath(tree, limits);
  };
}

/**
 * remarkLimitMath's work on one tree: math past `limits` becomes its source. Returns the
 * characters of math left to typeset, for a budget shared by several texts (a shared page).
 */
export function limitMath(tree: MdNode, limits: { node: number; total: number }): number {
  let budget = limits.total;
  const visit = (node: MdNode): void => {
    if (node.type === "math" || node.type === "inlineMath") {
      const size = node.value?.length ?? 0;
      if (size > limits.node || size > budget) {
        const block = node.type === "math";
        node.type = block ? "code" : "inlineCode";
        if (block) (node as MdNode & { lang?: string }).lang = "latex";
        // remark-math's hast hints would still make it a math element.
        delete (node as { data?: unknown }).data;
      } else budget -= size;
      return;
    }
    node.children?.forEach(visit);
  };
  visit(tree);
  return budget;
}

/**
 * An HTML parser may cut a text node longer than 65,536 characters into several (WebKit does, and
 * Chromium long did), so one long string rendered on the server can reach the browser as sibling
 * text nodes, and hydrating a shared page then fails (React error #418). Server-rendered model
 * text is therefore cut into pieces well below that limit: React separates adjacent text nodes
 * with a comment, so each piece stays one node, and the page reads and copies the same.
 */
export const TEXT_PIECE_LENGTH = 16_384;

/** `text` cut into pieces of at most `max` characters, never inside a surrogate pair. */
export function splitLongText(text: string, max = TEXT_PIECE_LENGTH): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    let end = start + max;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  pieces.push(text.slice(start));
  return pieces;
}

type HastNode = {
  type: string;
  tagName?: string;
  value?: string;
  children?: HastNode[];
};

/**
 * A rehype plugin applying splitLongText to the rendered markdown. Code blocks are left whole:
 * Streamdown reads a block's code from a single string child.
 */
export function rehypeSplitLongText() {
  const visit = (node: HastNode): void => {
    if (!node.children || (node.type === "element" && node.tagName === "pre")) return;
    node.children = node.children.flatMap((child) =>
      child.type === "text" && child.value && child.value.length > TEXT_PIECE_LENGTH
        ? splitLongText(child.value).map((value) => ({ type: "text", value }))
        : [child],
    );
    node.children.forEach(visit);
  };
  return (tree: HastNode) => visit(tree);
}
