import "server-only";
import type { Element, Root } from "hast";
import { toJsxRuntime, type Components } from "hast-util-to-jsx-runtime";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { markdownToHast } from "@/lib/markdown-html";
import { safeImageUrl, safeLinkUrl } from "@/lib/markdown";
import { cn } from "@/lib/utils";
import { CopyTextButton, DownloadTextButton } from "./snapshot-actions";

/*
 * A finished answer or reasoning as server-rendered HTML: no markdown code reaches the browser,
 * and the page hydrates nothing but the buttons. Looks like Streamdown's output (same classes).
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
    if (!url) return <span className="text-muted-foreground">{children}</span>;
    // In-page anchors (footnotes) stay in this tab.
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
  pre: ({ children, node }) => {
    const language = languageOf(node);
    return (
      <div
        data-code-block=""
        className="relative my-4 flex w-full flex-col gap-2 rounded-xl border border-border bg-sidebar p-2"
      >
        <div className="flex h-8 items-center gap-1 text-xs text-muted-foreground">
          <span className="ml-1 font-mono lowercase">{language ?? "text"}</span>
          <span className="ml-auto flex gap-1">
            <CopyTextButton label="Copy code" scope="[data-code-block]" source="code" />
            <DownloadTextButton
              label="Download code"
              scope="[data-code-block]"
              source="code"
              fileName={`code.${/^[\w-]{1,16}$/.test(language ?? "") ? language : "txt"}`}
            />
          </span>
        </div>
        <pre className="max-h-[400px] overflow-auto rounded-md border border-border bg-background p-4 font-mono text-sm [&>code]:rounded-none [&>code]:bg-transparent [&>code]:p-0">
          {children}
        </pre>
      </div>
    );
  },
  // Inline code; inside a block, the pre's classes take its background and padding away.
  code: ({ className, children }) => (
    <code className={cn("rounded bg-muted px-1.5 py-0.5 font-mono text-sm", className)}>
      {children}
    </code>
  ),
  table: ({ children }) => (
    <div
      data-table=""
      className="my-4 flex flex-col gap-2 rounded-lg border border-border bg-sidebar p-2"
    >
      <div className="flex items-center justify-end gap-1">
        <CopyTextButton label="Copy table" scope="[data-table]" source="table" />
        <DownloadTextButton
          label="Download table"
          scope="[data-table]"
          source="table"
          fileName="table.csv"
        />
      </div>
      <div className="overflow-x-auto">
        <table className="w-full divide-y divide-border">{children}</table>
      </div>
    </div>
  ),
  thead: ({ children }) => <thead className="bg-muted/80">{children}</thead>,
  tbody: ({ children }) => <tbody className="divide-y divide-border">{children}</tbody>,
  th: ({ children, style }) => (
    <th style={style} className="px-4 py-2 text-left text-sm font-semibold whitespace-nowrap">
      {children}
    </th>
  ),
  td: ({ children, style }) => (
    <td style={style} className="px-4 py-2 text-sm">
      {children}
    </td>
  ),
  h1: ({ children, id }) => (
    <h1 id={id} className="mt-6 mb-2 text-3xl font-semibold">
      {children}
    </h1>
  ),
  h2: ({ children, id, className }) => (
    <h2 id={id} className={cn("mt-6 mb-2 text-2xl font-semibold", className)}>
      {children}
    </h2>
  ),
  h3: ({ children, id }) => (
    <h3 id={id} className="mt-6 mb-2 text-xl font-semibold">
      {children}
    </h3>
  ),
  h4: ({ children, id }) => (
    <h4 id={id} className="mt-6 mb-2 text-lg font-semibold">
      {children}
    </h4>
  ),
  ul: ({ children, className }) => (
    <ul className={cn("list-inside list-disc whitespace-normal [li_&]:pl-6", className)}>
      {children}
    </ul>
  ),
  ol: ({ children, start, className }) => (
    <ol
      start={start}
      className={cn("list-inside list-decimal whitespace-normal [li_&]:pl-6", className)}
    >
      {children}
    </ol>
  ),
  li: ({ children, id, className }) => (
    <li id={id} className={cn("py-1 [&>p]:inline", className)}>
      {children}
    </li>
  ),
  blockquote: ({ children }) => (
    <blockquote className="my-4 border-l-4 border-muted-foreground/30 pl-4 text-muted-foreground italic">
      {children}
    </blockquote>
  ),
  hr: () => <hr className="my-6 border-border" />,
};

/** The React elements of a hast tree; exported for tests of the tree itself. */
export function hastToReact(tree: Root) {
  return toJsxRuntime(tree, { Fragment, jsx, jsxs, components, passNode: true });
}

/** Rendered now, not when React gets to it: the result is kept (see lib/snapshot-cache.ts). */
export function renderMarkdown(markdown: string) {
  return (
    <div className="min-w-0 space-y-3 text-sm leading-relaxed break-words">
      {hastToReact(markdownToHast(markdown))}
    </div>
  );
}
