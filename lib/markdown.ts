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
