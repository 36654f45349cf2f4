import katex from "katex";
import { memo, useMemo } from "react";
import remarkMath from "remark-math";
import type { MathPlugin } from "streamdown";
import { SKIP, visitParents } from "unist-util-visit-parents";
import { toText } from "hast-util-to-text";
import type { Element, ElementContent, Root } from "hast";
import { MATH_ERROR_COLOR, REMARK_MATH_OPTIONS } from "@/lib/markdown";

/**
 * Typeset math for Streamdown, as @streamdown/math (remark-math, then KaTeX), with each formula
 * a component of its own that KaTeX's HTML goes into as it is.
 *
 * rehype-katex parses KaTeX's HTML back into a tree, and React then builds an element for each of
 * its spans (and of its MathML): a paragraph with two formulas took 7 times as long to render as
 * without them, and one block was a single task of that size that React cannot split. A component
 * per formula lets a transition yield between formulas, and the browser's own parser builds the
 * spans.
 *
 * The HTML is KaTeX's, not the model's: KaTeX escapes the text it typesets, and with `trust`
 * off (its default) it refuses \href, \url, \includegraphics and \html*. Math is limited in size
 * before it gets here (remarkLimitMath). Its inline styles need `style-src 'unsafe-inline'`,
 * which the app's CSP has.
 */
export const MATH_TAG = "tp-math";

/** The math elements of remark-math's hast (and ` ```math ` code) become MATH_TAG elements. */
function rehypeMathElements() {
  return (tree: Root) => {
    visitParents(tree, "element", (element, parents) => {
      const classes = Array.isArray(element.properties.className)
        ? element.properties.className
        : [];
      const languageMath = classes.includes("language-math");
      const mathDisplay = classes.includes("math-display");
      if (!languageMath && !mathDisplay && !classes.includes("math-inline")) return;
      let parent = parents[parents.length - 1];
      let scope: Element = element;
      let display = mathDisplay;
      // ```math fences and remark-math's display math: the whole <pre> goes, shown as a block.
      if (
        element.tagName === "code" &&
        languageMath &&
        parent?.type === "element" &&
        parent.tagName === "pre"
      ) {
        scope = parent;
        parent = parents[parents.length - 2];
        display = true;
      }
      if (!parent) return;
      const math: ElementContent = {
        type: "element",
        tagName: MATH_TAG,
        properties: { dataTex: toText(scope, { whitespace: "pre" }), dataDisplay: display },
        children: [],
      };
      parent.children.splice(parent.children.indexOf(scope), 1, math);
      // The source's own nodes are gone from the tree: nothing below them to visit.
      return SKIP;
    });
  };
}

/** KaTeX's HTML for `tex`, or undefined when it cannot typeset it at all. */
function typeset(tex: string, display: boolean): string | undefined {
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      errorColor: MATH_ERROR_COLOR,
      // No console warning for each formula that is not strict LaTeX (model output often is not).
      strict: "ignore",
    });
  } catch {
    // A parse error is typeset as the source in MATH_ERROR_COLOR, with the error as its title (a
    // command that trust refuses, such as \href, is shown so too, without throwing).
    try {
      return katex.renderToString(tex, {
        displayMode: display,
        throwOnError: false,
        strict: "ignore",
        errorColor: MATH_ERROR_COLOR,
      });
    } catch {
      return undefined;
    }
  }
}

/** One formula: typeset once per source (memoised), its HTML inserted as KaTeX wrote it. */
export const TexMath = memo(function TexMath(props: {
  "data-tex"?: string;
  "data-display"?: boolean | string;
}) {
  const tex = props["data-tex"] ?? "";
  const display = props["data-display"] === true || props["data-display"] === "true";
  const html = useMemo(() => typeset(tex, display), [tex, display]);
  if (html === undefined)
    return (
      <span className="katex-error" style={{ color: MATH_ERROR_COLOR }}>
        {tex}
      </span>
    );
  // `contents`: KaTeX's own element (inline, or a block for display math) is the box.
  return <span className="contents" dangerouslySetInnerHTML={{ __html: html }} />;
});

export const math: MathPlugin = {
  name: "katex",
  type: "math",
  remarkPlugin: [remarkMath, REMARK_MATH_OPTIONS],
  rehypePlugin: rehypeMathElements,
};
