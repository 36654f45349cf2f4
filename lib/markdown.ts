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
