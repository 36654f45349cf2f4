"use client";

import { Fragment, useEffect, useState } from "react";

type Token = { content: string; color?: string; htmlStyle?: Record<string, string> };

function joined(lines: Token[][]): string {
  return lines.map((line) => line.map((t) => t.content).join("")).join("\n");
}

/** Shiki's tokens for `code`, once the highlighter (a lazy chunk) has loaded. */
function useTokens(code: string, language: string): Token[][] | undefined {
  const [result, setResult] = useState<{ code: string; lines: Token[][] }>();
  useEffect(() => {
    let live = true;
    void import("@streamdown/code")
      .then(({ code: plugin }) => {
        const done = (r: { tokens: Token[][] }) => {
          if (live) setResult({ code, lines: r.tokens });
        };
        const now = plugin.highlight(
          { code, language: language as never, themes: plugin.getThemes() },
          done,
        );
        if (now) done(now);
      })
      // Without highlighting the code still shows, as plain text.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [code, language]);
  // The text must stay exactly the code (it is what people copy); otherwise show it plain.
  return result && result.code === code && joined(result.lines) === code ? result.lines : undefined;
}

function styleOf(token: Token): React.CSSProperties {
  const style: Record<string, string> = {};
  if (token.color) style["--sdm-c"] = token.color;
  for (const [key, value] of Object.entries(token.htmlStyle ?? {}))
    style[key === "color" ? "--sdm-c" : key] = value;
  return style as React.CSSProperties;
}

/** A `code` element whose text content is exactly `code`, highlighted when Shiki is ready. */
export function HighlightedCode({
  code,
  language,
  label,
}: {
  code: string;
  language: string;
  label: string;
}) {
  const lines = useTokens(code, language);
  return (
    <pre
      role="region"
      aria-label={label}
      // Focusable, so that a keyboard can scroll long code.
      tabIndex={0}
      className="max-h-[55dvh] overflow-auto rounded-md border bg-muted/30 p-3 font-mono text-xs leading-relaxed"
    >
      <code data-language={language}>
        {lines
          ? lines.map((line, i) => (
              <Fragment key={i}>
                {i > 0 ? "\n" : null}
                {line.map((token, j) => (
                  <span
                    key={j}
                    style={styleOf(token)}
                    className="text-[var(--sdm-c,inherit)] dark:text-[var(--shiki-dark,var(--sdm-c,inherit))]"
                  >
                    {token.content}
                  </span>
                ))}
              </Fragment>
            ))
          : code}
      </code>
    </pre>
  );
}
