import "server-only";
import "katex/dist/katex.min.css";
import type { Element, Root } from "hast";
import { toJsxRuntime, type Components } from "hast-util-to-jsx-runtime";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { markdownToHast } from "@/lib/markdown-html";
import { safeImageUrl, safeLinkUrl } from "@/lib/markdown";
import { BlockCopyButton, BlockDownloadButton } from "./snapshot-actions";
import "./snapshot.css";

/*
 * A finished answer or reasoning as server-rendered HTML: no markdown code reaches the browser,
 * and the page hydrates nothing but the buttons. Styled by snapshot.css, like Streamdown's output.
 */

function languageOf(pre: Element | undefined): string | undefined {
  const code = pre?.children.find((c): c is Element => c.type === "element");
  const classes = code?.properties.className;
  const found = Array.isArray(classes)
    ? classes.find((c) => String(c).startsWith("language-"))
    : undefined;
  return found ? String(found).slice("language-".length) : undefined;
}

const components: Partial<Components> = {
  a: ({ href, children }) => {
    const url = safeLinkUrl(href);
    if (!url) return <span className="snapshot-blocked">{children}</span>;
    // In-page anchors (footnotes) stay in this tab.
    const external = !url.startsWith("#");
    return external ? (
      <a href={url} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <a href={url}>{children}</a>
    );
  },
  img: ({ src, alt }) => {
    const url = safeImageUrl(typeof src === "string" ? src : undefined);
    const label = alt?.trim() ? alt : "image";
    return (
      <span className="snapshot-image">
        Image not loaded: {label}
        {url ? (
          <a href={url} target="_blank" rel="noopener noreferrer nofollow">
            open
          </a>
        ) : null}
      </span>
    );
  },
  pre: ({ children, node }) => {
    const language = languageOf(node) ?? "text";
    const extension = /^[\w-]{1,16}$/.test(language) ? language : "txt";
    return (
      <div data-code-block="" className="snapshot-block">
        <div>
          <span>{language}</span>
          <BlockCopyButton label="Copy code" scope="[data-code-block]" source="code" />
          <BlockDownloadButton
            label="Download code"
            scope="[data-code-block]"
            source="code"
            fileName={`code.${extension}`}
          />
        </div>
        <pre>{children}</pre>
      </div>
    );
  },
  table: ({ children }) => (
    <div data-table="" className="snapshot-block">
      <div>
        <span />
        <BlockCopyButton label="Copy table" scope="[data-table]" source="table" />
        <BlockDownloadButton
          label="Download table"
          scope="[data-table]"
          source="table"
          fileName="table.csv"
        />
      </div>
      <div className="snapshot-table">
        <table>{children}</table>
      </div>
    </div>
  ),
};

/** The React elements of a hast tree; exported for tests of the tree itself. */
export function hastToReact(tree: Root) {
  return toJsxRuntime(tree, {
    Fragment,
    jsx,
    jsxs,
    components,
    passNode: true,
    // Siblings are static (jsxs), so React needs no keys; without them the RSC payload is smaller.
    passKeys: false,
  });
}

/** Rendered now, not when React gets to it: the result is kept (see lib/snapshot-cache.ts). */
export function renderMarkdown(markdown: string) {
  return (
    <div className="snapshot-md min-w-0 space-y-3 text-sm leading-relaxed break-words">
      {hastToReact(markdownToHast(markdown))}
    </div>
  );
}
