import { toHtml } from "hast-util-to-html";
import { describe, expect, it } from "vitest";
import type { PortableConversation } from "@/lib/conversations/portable";
import { TEXT_PIECE_LENGTH } from "@/lib/markdown";
import { snapshotDocument } from "./document";
import { markdownElement } from "./markdown";

const render = (markdown: string) => toHtml(markdownElement(markdown));

/** The text a reader sees: tags dropped, entities decoded. */
const visibleText = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3C;/g, "<")
    .replace(/&#x26;/g, "&")
    .replace(/&amp;/g, "&");

describe("snapshot markdown: the untrusted-output rules", () => {
  it("shows raw HTML as the characters the model wrote", () => {
    const html = render('<img src=x onerror="alert(1)"> and <script>window.__pwned=1</script>');
    expect(html).not.toMatch(/<img|<script/i);
    expect(visibleText(html)).toContain('<img src=x onerror="alert(1)">');
    expect(visibleText(html)).toContain("<script>window.__pwned=1</script>");
  });

  it("links only to http(s), mailto and in-page anchors, in a new tab without referrer", () => {
    const html = render(
      "[web](https://docs.example/a) [js](javascript:alert(1)) [data](data:text/html,x) [mail](mailto:a@b.example)",
    );
    expect(html).toMatch(
      /<a href="https:\/\/docs\.example\/a" target="_blank" rel="noopener noreferrer nofollow"[^>]*>web<\/a>/,
    );
    expect(html).toContain('href="mailto:a@b.example"');
    expect(html).not.toMatch(/javascript:|data:text/);
    expect(visibleText(html)).toContain("js");
  });

  it("never loads an image: it offers a link instead", () => {
    const html = render(
      "![a tracker](https://tracker.example/pixel.gif) ![x](javascript:alert(1))",
    );
    expect(html).not.toMatch(/<img/i);
    expect(visibleText(html)).toContain("Image not loaded: a tracker");
    expect(html).toMatch(
      /<a href="https:\/\/tracker\.example\/pixel\.gif" target="_blank" rel="noopener noreferrer nofollow">open<\/a>/,
    );
    // An image with an unsafe source is named, and offers nothing to open.
    expect(visibleText(html)).toContain("[Image blocked: x]");
    expect(html).not.toContain("javascript:");
  });

  it("keeps footnotes as in-page anchors", () => {
    const html = render("Claim[^1].\n\n[^1]: Source.");
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^#[\w-]+$/);
    // In this tab: a footnote is not a new window.
    expect(html).not.toContain("target=");
  });
});

describe("snapshot markdown: math, code and tables", () => {
  it("typesets ordinary math as MathML and shows oversized math as its source", () => {
    const math = render("Euler: $$e^{i\\pi} + 1 = 0$$");
    expect(math).toMatch(/<span class="katex"><math/);
    expect(math).not.toContain("katex-html");
    // Bare MathML: neither the TeX source again nor the namespace.
    expect(math).toContain("<mi>e</mi>");
    expect(math).not.toMatch(/<annotation|xmlns/);
    const row = Array.from({ length: 40 }, (_, j) => `a_{${j}}`).join(" & ");
    const big = `$$\n\\begin{pmatrix}\n${Array(40).fill(row).join(" \\\\\n")}\n\\end{pmatrix}\n$$`;
    const html = render(big);
    expect(html).not.toContain('class="katex');
    expect(visibleText(html)).toContain("a_{39}");
  });

  it("renders a code block whole, with its language, framed for its buttons", () => {
    const html = render("```ts\nconst x = 1 < 2;\n```");
    expect(html).toContain('<div class="code-block"><div><span>ts</span></div><pre>');
    expect(html).toMatch(/<code class="[^"]*language-ts[^"]*">const x = 1 &#x3C; 2;\n<\/code>/);
  });

  it("renders a table, framed for its buttons", () => {
    const html = render("| a | b |\n| - | - |\n| 1 | 2 |");
    expect(html).toContain('<div class="table-block"><div><span></span></div>');
    expect(html).toMatch(/<div class="snapshot-table"><table>/);
  });

  it("cuts a very long text into pieces the browser's parser keeps whole", () => {
    const line = `Start:${"0123456789abcdef".repeat(12_500)}:end`;
    const tree = markdownElement(line);
    const texts: string[] = [];
    const walk = (node: { type: string; value?: string; children?: unknown[] }) => {
      if (node.type === "text") texts.push(node.value!);
      node.children?.forEach((child) => walk(child as typeof node));
    };
    walk(tree);
    expect(texts.join("")).toContain(line);
    expect(Math.max(...texts.map((t) => t.length))).toBeLessThanOrEqual(TEXT_PIECE_LENGTH);
  });
});

const snapshot = (over: Partial<PortableConversation> = {}): PortableConversation => ({
  title: 'Title </title><script>alert("t")</script>',
  createdAt: "2026-01-01T00:00:00.000Z",
  settings: { model: "m<b>", system: "Be <i>terse</i>.", params: {} } as never,
  messages: [
    {
      id: "u1",
      role: "user",
      status: "done",
      parts: [{ type: "text", text: 'Hi <script>window.__pwned=1</script> & "you"' }],
    },
    {
      id: "a1",
      role: "assistant",
      status: "done",
      parts: [
        { type: "reasoning", text: "Think **hard**." },
        { type: "text", text: "Answer <img src=x onerror=alert(1)>." },
      ],
      metadata: { usage: { promptTokens: 12 }, totalMs: 1500 },
    },
  ],
  ...over,
});

const page = (over?: Partial<PortableConversation>) =>
  snapshotDocument(snapshot(over)).html.toString("utf8");

describe("the snapshot document", () => {
  it("escapes every text from the snapshot: title, settings, messages", () => {
    const html = page();
    // Attribute values are quoted, with quotes escaped: markup in them is inert.
    const markup = html.replace(/="[^"]*"/g, '=""');
    expect(markup).not.toMatch(/<img|<b>|<i>/);
    // The only script is the page's own same-origin file, which the shared pages' policy allows.
    expect([...markup.matchAll(/<script/g)]).toHaveLength(1);
    expect(html).toContain('<script src="/snapshot.js"></script>');
    expect(html).toContain("<title>Title &#x3C;/title>&#x3C;script>");
    expect(visibleText(html)).toContain('Hi <script>window.__pwned=1</script> & "you"');
    expect(visibleText(html)).toContain("System prompt: Be <i>terse</i>.");
  });

  it("is built once as the bytes every view gets, with no per-view part", () => {
    const built = snapshotDocument(snapshot());
    expect(built.bytes).toBe(built.html.length);
    expect(built.html.toString()).not.toContain("nonce");
  });

  it("has noindex, no-referrer and link-preview metadata in the head", () => {
    const head = page().split("</head>")[0]!;
    expect(head).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(head).toContain('<meta name="referrer" content="no-referrer">');
    expect(head).toContain(
      '<meta property="og:title" content="Title </title><script>alert(&#x22;t&#x22;)',
    );
    expect(head).toContain(
      '<meta property="og:description" content="Hi <script>window.__pwned=1</script> &#x26; &#x22;you&#x22;">',
    );
    expect(head).toContain('<link rel="stylesheet" href="/snapshot.css">');
  });

  it("names turns and panes as the playground does, the reasoning foldable", () => {
    const html = page();
    expect(html).toContain('<article class="user" aria-label="Your message 1">');
    expect(html).toContain('<article class="turn" aria-label="Assistant turn 1">');
    expect(html).toContain('<section class="pane reasoning" aria-label="Reasoning">');
    expect(html).toContain('<section class="pane" aria-label="Answer">');
    expect(html).toMatch(
      /<button class="icon-button" data-toggle="" data-icon="collapse" aria-expanded="true" aria-controls="reasoning-1"><span class="sr-only">Collapse reasoning<\/span><\/button>/,
    );
    expect(html).toContain('<div class="body scroll" id="reasoning-1">');
    expect(html).toContain('aria-label="Copy answer"');
    expect(html).toContain('aria-label="Copy message"');
    expect(html).toContain('data-fork="">');
    expect(html).toContain('<dl class="usage" role="group" aria-label="Usage">');
  });

  it("leaves out what the snapshot left out", () => {
    const html = page({ settings: undefined });
    expect(html).not.toContain('aria-label="Settings"');
    expect(html).not.toContain("terse");
  });

  it("shows a failed turn as failed, without the hints meant for the server's operator", () => {
    const html = page({
      messages: [
        {
          id: "a1",
          role: "assistant",
          status: "error",
          parts: [],
          metadata: {
            status: "error",
            error: {
              code: "upstream:auth",
              message: "AI/ML API rejected the server's API key (HTTP 401). Check AIMLAPI_API_KEY.",
              details: { envVar: "AIMLAPI_API_KEY", upstreamMessage: "Invalid key sk-abc" },
            },
          },
        },
      ],
    });
    expect(html).toContain('<div class="turn-error" role="alert" data-error-code="upstream:auth">');
    expect(visibleText(html)).toContain("API key rejected");
    expect(visibleText(html)).toContain("The upstream rejected the server's API key.");
    expect(html).not.toMatch(/AIMLAPI_API_KEY|sk-abc|HTTP 401/);
  });

  it("renders a link made before imports were checked, whatever shape its metadata has", () => {
    const crafted = {
      model: { name: "not text" },
      usage: { promptTokens: "12", reasoningTokens: [1] },
      costUsd: "0.5",
      reasoningMs: "soon",
      finishReason: { toString: "length" },
      tokensPerSecond: 40,
      status: "pwned",
      error: { code: "evil:code", message: { text: "Check AIMLAPI_API_KEY" } },
    };
    const html = page({
      messages: [
        { id: "u1", role: "user", status: "done", parts: [{ type: "text", text: "Hi" }] },
        {
          id: "a1",
          role: "assistant",
          status: "done",
          parts: [
            { type: "reasoning", text: "Think." },
            { type: "text", text: "Hello" },
          ],
          metadata: crafted as never,
        },
      ],
    });
    expect(visibleText(html)).toContain("Hello");
    // What fits stays; the rest is left out, not shown as it was stored.
    expect(visibleText(html)).toContain("40.0 tok/s");
    expect(html).not.toMatch(/pwned|evil:code|AIMLAPI_API_KEY|not text/);
  });
});

describe("a structured-output turn on the shared page", () => {
  const withVerdict = (schemaCheck: unknown) =>
    page({
      messages: [
        {
          id: "a1",
          role: "assistant",
          status: "done",
          parts: [{ type: "text", text: '{"total": "12"}' }],
          metadata: { schemaCheck } as never,
        },
      ],
    });

  it("shows the verdict as a status named Schema check, with paths and the parsed JSON", () => {
    const html = withVerdict({
      valid: false,
      kind: "schema",
      message: 'Invalid: the JSON does not match the schema "invoice" (1 error).',
      errors: [{ path: "$.total", message: "expected number, got <string>" }],
      parsed: { total: "12" },
    });
    expect(html).toMatch(/<div class="schema-check" role="status" aria-label="Schema check"/);
    expect(visibleText(html)).toContain('Invalid: the JSON does not match the schema "invoice"');
    expect(visibleText(html)).toContain("$.total expected number, got <string>");
    expect(html).not.toContain("<string>");
    expect(html).toContain('<section aria-label="Parsed JSON">');
  });

  it("leaves out a verdict of the wrong shape, and turns that asked for no JSON", () => {
    expect(withVerdict({ valid: "yes" })).not.toContain("Schema check");
    expect(withVerdict(undefined)).not.toContain("Schema check");
  });
});

describe("the settings line", () => {
  it("names the functions on the settings line, without their schemas or saved mock results", () => {
    const html = page({
      settings: {
        model: "openai/gpt-oss-120b",
        params: {
          tools: [
            {
              name: "get_weather",
              parameters: { type: "object", properties: { secret_schema_field: {} } },
              enabled: true,
              mock: "MOCK-RESULT-42",
            },
            { name: "web_search", parameters: { type: "object" }, enabled: false },
          ],
          tool_choice: { type: "function", function: { name: "get_weather" } },
          temperature: 0.5,
        },
      },
    });
    const settings = visibleText(html.slice(html.indexOf('aria-label="Settings"')));
    expect(settings).toContain("get_weather, web_search (off)");
    expect(settings).toMatch(/Tool choice: get_weather\b/);
    expect(settings).toContain("Temperature: 0.5");
    expect(html).not.toContain("MOCK-RESULT-42");
    expect(html).not.toContain("secret_schema_field");
  });
});

describe("a tool loop on the shared page", () => {
  const call = (over: Record<string, unknown> = {}) =>
    ({
      type: "dynamic-tool",
      toolName: "get_weather",
      toolCallId: "call_1",
      state: "output-available",
      input: { city: "Paris <b>" },
      output: '{"celsius": 18} <img src=x onerror=alert(1)>',
      ...over,
    }) as never;
  const loop = (calls: unknown[], reasoning = true) =>
    page({
      messages: [
        {
          id: "a1",
          role: "assistant",
          status: "done",
          parts: [
            { type: "step-start" },
            ...(reasoning ? [{ type: "reasoning" as const, text: "Call get_weather." }] : []),
            { type: "text", text: "Let me check." },
            ...(calls as never[]),
            { type: "step-start" },
            { type: "text", text: " It is 18 °C." },
          ],
        },
      ],
    });

  it("shows each call's name, arguments and result, named as the live page names them", () => {
    const html = loop([call(), call({ toolCallId: "call_2", toolName: "search", output: "42" })]);
    expect(html).toContain('<section class="tool-calls" aria-label="Function calls">');
    expect(html).toContain('<div class="tool-call" role="group" aria-label="Call to get_weather">');
    expect(html).toContain('<div class="tool-call" role="group" aria-label="Call to search">');
    expect(html).toContain(
      '<pre class="json" aria-label="Arguments" tabindex="0">{\n  "city": "Paris &#x3C;b>"\n}</pre>',
    );
    expect(html).toContain('aria-label="Result of get_weather"');
    expect(visibleText(html)).toContain('{"celsius": 18} <img src=x onerror=alert(1)>');
    // Untrusted text stays text: no element comes from the arguments or the result.
    expect(html.replace(/="[^"]*"/g, '=""')).not.toMatch(/<img|<b>/);
    // The calls come after the answer, as on the live page; the answer holds both rounds' texts,
    // as paragraphs of their own.
    expect(html.indexOf('aria-label="Answer"')).toBeLessThan(html.indexOf("Function calls"));
    expect(html).toMatch(/<p>Let me check.<\/p>\s*<p>It is 18 °C.<\/p>/);
  });

  it("shows a call that failed or waits, and says why there is no answer yet", () => {
    const html = page({
      messages: [
        {
          id: "a1",
          role: "assistant",
          status: "done",
          parts: [
            call({ state: "output-error", input: '{"city": "Par', errorText: "Invalid <JSON>" }),
            call({ toolCallId: "c2", state: "input-available", output: undefined }),
          ],
        },
      ],
    });
    expect(visibleText(html)).toContain(
      "The arguments are not valid JSON: the call cannot run as sent. Invalid <JSON>",
    );
    expect(html).toContain(
      '<pre class="json" aria-label="Arguments" tabindex="0">{"city": "Par</pre>',
    );
    expect(visibleText(html)).toContain("waiting for a result");
    expect(html).not.toContain("Result of");
    expect(visibleText(html)).toContain("No answer yet: the model called a function.");
  });

  it("has no calls region for a turn without calls", () => {
    expect(page()).not.toContain("Function calls");
  });

  it("shows a share without reasoning with its calls and no reasoning", () => {
    const html = loop([call()], false);
    expect(html).toContain('aria-label="Call to get_weather"');
    expect(html).not.toContain("Call get_weather.");
    expect(visibleText(html)).toContain("No reasoning was returned.");
  });
});
