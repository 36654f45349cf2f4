import { describe, expect, it } from "vitest";
import type { PortableConversation, PortableMessage } from "@/lib/conversations/portable";
import { MATH_LIMITS } from "@/lib/markdown";
import { createPageBudget, cutToBytes, htmlTextBytes, markdownCost, PAGE_LIMITS } from "./budget";
import { snapshotDocument } from "./document";

const answer = (id: string, text: string, reasoning = ""): PortableMessage => ({
  id,
  role: "assistant",
  status: "done",
  parts: [
    ...(reasoning ? [{ type: "reasoning" as const, text: reasoning }] : []),
    { type: "text" as const, text },
  ],
});
const question = (id: string, text: string): PortableMessage => ({
  id,
  role: "user",
  status: "done",
  parts: [{ type: "text", text }],
});
const conversation = (messages: PortableMessage[]): PortableConversation => ({
  title: "Budget",
  createdAt: "2026-01-01T00:00:00.000Z",
  messages,
});
const html = (snapshot: PortableConversation, budget = createPageBudget()) =>
  snapshotDocument(snapshot, { budget }).html.toString("utf8");

describe("a shared page's budgets hold for the page, not each message", () => {
  it("typesets math up to the page's budget; the rest shows as its source", () => {
    // 400 characters a formula, 5 a message: well inside one message's budget, 60,000 in all.
    const formula = `$$${"x+".repeat(199)}y$$`;
    const messages = Array.from({ length: 30 }, (_, i) =>
      answer(`a${i}`, Array(5).fill(formula).join("\n\n")),
    );
    expect(5 * formula.length).toBeLessThan(MATH_LIMITS.total);
    const page = html(conversation(messages), createPageBudget({ markdownCost: Infinity }));
    const typeset = page.match(/<math/g)?.length ?? 0;
    expect(typeset).toBeGreaterThan(0);
    expect(typeset).toBeLessThanOrEqual(Math.floor(PAGE_LIMITS.math / 400));
    // Past the budget, a formula is its source, as code.
    expect(page).toContain(`<code>${"x+".repeat(199)}y</code>`);
  });

  it("stops typesetting markdown once the page's markdown cost is spent", () => {
    const texts = Array.from({ length: 6 }, (_, i) => `**bold ${i}**`);
    // Room for exactly three of them.
    const budget = createPageBudget({ markdownCost: 3 * markdownCost(texts[0]!) });
    const page = html(conversation(texts.map((text, i) => answer(`a${i}`, text))), budget);
    expect(page).toContain("<strong>bold 0</strong>");
    expect(page).toContain("<strong>bold 2</strong>");
    expect(page).not.toContain("<strong>bold 3</strong>");
    expect(page).toContain('<div class="snapshot-plain">**bold 5**</div>');
  });

  it("starts no text whose estimated cost is more than the page has left", () => {
    const text = `**bold**${" word".repeat(1_198)}`;
    const cost = markdownCost(text);
    const tight = html(
      conversation([answer("a0", text)]),
      createPageBudget({ markdownCost: cost - 1 }),
    );
    expect(tight).not.toContain("<strong>bold</strong>");
    expect(tight).toContain('<div class="snapshot-plain">**bold**');
    const roomy = html(
      conversation([answer("a0", text)]),
      createPageBudget({ markdownCost: cost }),
    );
    expect(roomy).toContain("<strong>bold</strong>");
  });

  it("estimates markup and lines as costlier than prose", () => {
    const prose = "The quick brown fox jumps over the lazy dog. ".repeat(20);
    const nested = "> - > 1. > - **a** _b_\n".repeat(40);
    expect(markdownCost(prose)).toBe(3 * prose.length);
    expect(markdownCost(nested) / nested.length).toBeGreaterThan(
      5 * (markdownCost(prose) / prose.length),
    );
  });

  it("builds the same page however long typesetting takes: the budget counts no clock", () => {
    const messages = Array.from({ length: 200 }, (_, i) =>
      answer(
        `a${i}`,
        `## Part ${i}\n\n- **one** $x_${i}$\n- | a |\n\n| a | b |\n| - | - |\n| ${i} | y |`,
      ),
    );
    const first = html(conversation(messages));
    const slow = performance.now;
    let clock = 0;
    performance.now = () => (clock += 1_000);
    try {
      expect(html(conversation(messages))).toBe(first);
    } finally {
      performance.now = slow;
    }
    // The budget ran out within the page: later parts are plain text.
    expect(first).toContain("<strong>one</strong>");
    expect(first).toContain('<div class="snapshot-plain">## Part 199');
  });

  it("shows a text too long to typeset as plain text, escaped", () => {
    const list = "- <b>item</b>\n".repeat(5_000);
    expect(list.length).toBeGreaterThan(PAGE_LIMITS.markdownText);
    const started = performance.now();
    const page = html(conversation([answer("a", list)]));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(page).not.toMatch(/<li>|<b>/);
    expect(page).toContain("- &#x3C;b>item&#x3C;/b>\n- ");
  });

  it("keeps the page's HTML bounded whatever the snapshot holds, and says what is left out", () => {
    // As big as an import may be (8 MB), in text that escaping makes six times larger.
    const lt = "<".repeat(190_000);
    const messages = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? question(`u${i}`, lt) : answer(`a${i}`, lt, lt),
    );
    const page = html(conversation(messages));
    expect(Buffer.byteLength(page)).toBeLessThan(2_000_000);
    expect(page).toContain("more characters are not shown here.");
    expect(page).toMatch(/\d+ more messages are not shown/);
  });

  it("keeps many small turns bounded too: their frames count", () => {
    const messages = Array.from({ length: 2_000 }, (_, i) =>
      i % 2 === 0 ? question(`u${i}`, "Hi") : answer(`a${i}`, "Hello."),
    );
    const page = html(conversation(messages));
    expect(Buffer.byteLength(page)).toBeLessThan(2_000_000);
  });
});

describe("escaped text sizes", () => {
  it("counts what escaping and UTF-8 make of a text, and cuts within a byte budget", () => {
    expect(htmlTextBytes("a<&é€😀")).toBe(1 + 6 + 6 + 2 + 3 + 4);
    expect(cutToBytes("ab<cd", 7)).toBe("ab");
    expect(cutToBytes("ab<cd", 8)).toBe("ab<");
    // Never half of a surrogate pair.
    expect(cutToBytes("a😀", 3)).toBe("a");
  });
});

describe("function calls count toward the page's bytes", () => {
  it("cuts large arguments and results, and leaves out the turns past the budget", () => {
    const lt = "<".repeat(99_000);
    const messages = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? question(`u${i}`, "Go")
        : {
            ...answer(`a${i}`, "Done."),
            parts: [
              ...Array.from({ length: 4 }, (_, j) => ({
                type: "dynamic-tool" as const,
                toolName: "f",
                toolCallId: `c${i}-${j}`,
                state: "output-available" as const,
                input: { text: lt },
                output: lt,
              })),
              { type: "text" as const, text: "Done." },
            ],
          },
    );
    const page = html(conversation(messages));
    expect(Buffer.byteLength(page)).toBeLessThan(2_000_000);
    expect(page).toContain("more characters are not shown here.");
    expect(page).toMatch(/\d+ more messages are not shown/);
  });
});
