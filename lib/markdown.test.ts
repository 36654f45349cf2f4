import { describe, expect, it } from "vitest";
import {
  rehypeSplitLongText,
  remarkHtmlAsText,
  safeImageUrl,
  safeLinkUrl,
  splitLongText,
  TEXT_PIECE_LENGTH,
} from "@/lib/markdown";

describe("safeLinkUrl", () => {
  it.each([
    ["https://example.com/a?b=1#c", "https://example.com/a?b=1#c"],
    ["http://example.com", "http://example.com/"],
    ["HTTPS://Example.COM/Path", "https://example.com/Path"],
    ["  https://example.com/x  ", "https://example.com/x"],
    ["mailto:someone@example.com", "mailto:someone@example.com"],
    ["#section-2", "#section-2"],
    ["#", "#"],
  ])("allows %j", (raw, expected) => {
    expect(safeLinkUrl(raw)).toBe(expected);
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "\u0000javascript:alert(1)",
    "javascript&#58;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.com/file",
    "blob:https://example.com/uuid",
    "//evil.example/path",
    "\\\\evil.example\\share",
    "/relative/path",
    "relative/path.html",
    "./here",
    "?q=1",
    '#x" onmouseover="alert(1)',
    "#a b",
    "#<script>",
    "",
  ])("rejects %j", (raw) => {
    expect(safeLinkUrl(raw)).toBeUndefined();
  });

  it("rejects null and undefined", () => {
    expect(safeLinkUrl(null)).toBeUndefined();
    expect(safeLinkUrl(undefined)).toBeUndefined();
  });

  it("returns the normalised URL, so what is rendered is what was checked", () => {
    expect(safeLinkUrl("https://example.com/a b")).toBe("https://example.com/a%20b");
  });
});

describe("safeImageUrl", () => {
  it("offers only http(s) sources", () => {
    expect(safeImageUrl("https://example.com/cat.png")).toBe("https://example.com/cat.png");
    expect(safeImageUrl("http://example.com/cat.png")).toBe("http://example.com/cat.png");
    for (const raw of [
      "mailto:a@example.com",
      "#top",
      "data:image/png;base64,iVBORw0KGgo=",
      "javascript:alert(1)",
      "/cat.png",
      "",
      null,
      undefined,
    ]) {
      expect(safeImageUrl(raw)).toBeUndefined();
    }
  });
});

type Node = { type: string; value?: string; children?: Node[] };

function collectTypes(node: Node): string[] {
  return [node.type, ...(node.children ?? []).flatMap(collectTypes)];
}

describe("remarkHtmlAsText", () => {
  it("turns html nodes, however deeply nested, into text with the same characters", () => {
    const tree: Node = {
      type: "root",
      children: [
        { type: "html", value: "<script>alert(1)</script>" },
        {
          type: "paragraph",
          children: [
            { type: "text", value: "before " },
            { type: "html", value: '<img src=x onerror="alert(1)">' },
            {
              type: "emphasis",
              children: [
                { type: "html", value: "<b>" },
                { type: "text", value: "bold?" },
                { type: "html", value: "</b>" },
              ],
            },
          ],
        },
        {
          type: "list",
          children: [
            {
              type: "listItem",
              children: [
                { type: "paragraph", children: [{ type: "html", value: "<iframe src=//evil>" }] },
              ],
            },
          ],
        },
        { type: "code", value: "<div>code stays code</div>" },
      ],
    };

    remarkHtmlAsText()(tree);

    expect(collectTypes(tree)).not.toContain("html");
    expect(tree).toEqual({
      type: "root",
      children: [
        { type: "text", value: "<script>alert(1)</script>" },
        {
          type: "paragraph",
          children: [
            { type: "text", value: "before " },
            { type: "text", value: '<img src=x onerror="alert(1)">' },
            {
              type: "emphasis",
              children: [
                { type: "text", value: "<b>" },
                { type: "text", value: "bold?" },
                { type: "text", value: "</b>" },
              ],
            },
          ],
        },
        {
          type: "list",
          children: [
            {
              type: "listItem",
              children: [
                { type: "paragraph", children: [{ type: "text", value: "<iframe src=//evil>" }] },
              ],
            },
          ],
        },
        { type: "code", value: "<div>code stays code</div>" },
      ],
    });
  });

  it("leaves a tree without html alone", () => {
    const tree: Node = {
      type: "root",
      children: [{ type: "paragraph", children: [{ type: "text", value: "plain" }] }],
    };
    const before = structuredClone(tree);
    remarkHtmlAsText()(tree);
    expect(tree).toEqual(before);
  });
});

describe("splitLongText", () => {
  it("keeps short text whole", () => {
    expect(splitLongText("")).toEqual([""]);
    expect(splitLongText("a".repeat(TEXT_PIECE_LENGTH))).toEqual(["a".repeat(TEXT_PIECE_LENGTH)]);
  });

  it("cuts long text into pieces no longer than the limit that join to the original", () => {
    const text = "0123456789".repeat(20_000);
    const pieces = splitLongText(text);
    expect(pieces).toHaveLength(Math.ceil(text.length / TEXT_PIECE_LENGTH));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(TEXT_PIECE_LENGTH);
    expect(pieces.join("")).toBe(text);
  });

  it("never cuts a surrogate pair in half", () => {
    const text = `a${"😀".repeat(10)}`;
    const pieces = splitLongText(text, 4);
    expect(pieces.join("")).toBe(text);
    for (const piece of pieces) expect(piece.isWellFormed()).toBe(true);
  });
});

describe("rehypeSplitLongText", () => {
  type Hast = { type: string; tagName?: string; value?: string; children?: Hast[] };
  const long = "x".repeat(TEXT_PIECE_LENGTH * 2 + 5);

  it("splits long text nodes, however deeply nested, except in code blocks", () => {
    const tree: Hast = {
      type: "root",
      children: [
        {
          type: "element",
          tagName: "p",
          children: [
            { type: "text", value: "short" },
            { type: "element", tagName: "em", children: [{ type: "text", value: long }] },
          ],
        },
        {
          type: "element",
          tagName: "pre",
          children: [
            { type: "element", tagName: "code", children: [{ type: "text", value: long }] },
          ],
        },
      ],
    };

    rehypeSplitLongText()(tree);

    const [paragraph, pre] = tree.children!;
    expect(paragraph!.children![0]).toEqual({ type: "text", value: "short" });
    const pieces = paragraph!.children![1]!.children!;
    expect(pieces.map((p) => p.value!.length)).toEqual([TEXT_PIECE_LENGTH, TEXT_PIECE_LENGTH, 5]);
    expect(pieces.map((p) => p.value).join("")).toBe(long);
    expect(pre!.children![0]!.children).toEqual([{ type: "text", value: long }]);
  });
});
