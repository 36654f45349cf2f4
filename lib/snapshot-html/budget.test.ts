import { describe, expect, it } from "vitest";
import type { PortableConversation, PortableMessage } from "@/lib/conversations/portable";
import { MATH_LIMITS } from "@/lib/markdown";
import { createPageBudget, cutToBytes, htmlTextBytes, PAGE_LIMITS } from "./budget";
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
    const page = html(conversation(messages), createPageBudget({ markdownMs: Infinity }));
    const typeset = page.match(/<math/g)?.length ?? 0;
    expect(typeset).toBeGreaterThan(0);
    expect(typeset).toBeLessThanOrEqual(Math.floor(PAGE_LIMITS.math / 400));
    // Past the budget, a formula is its source, as code.
    expect(page).toContain(`<code>${"x+".repeat(199)}y</code>`);
  });

  it("stops typesetting markdown once the page has spent its time on it", () => {
    let clock = 0;
    // Each typesetting seems to take 60 ms: three start within 150 ms, later ones do not.
    const budget = createPageBudget({ markdownMs: 150 }, () => (clock += 60));
    const messages = Array.from({ length: 6 }, (_, i) => answer(`a${i}`, `**bold ${i}**`));
    const page = html(conversation(messages), budget);
    expect(page).toContain("<strong>bold 0</strong>");
    expect(page).toContain("<strong>bold 2</strong>");
    expect(page).not.toContain("<strong>bold 3</strong>");
    expect(page).toContain('<div class="snapshot-plain">**bold 5**</div>');
  });

  it("starts no text whose worst-case typesetting would overrun the page's time left", () => {
    // 6,000 characters may take 120 ms: not started with 100 ms left, started with 150.
    const text = `**bold**${" word".repeat(1_198)}`;
    const tight = html(conversation([answer("a0", text)]), createPageBudget({ markdownMs: 100 }));
    expect(tight).not.toContain("<strong>bold</strong>");
    expect(tight).toContain('<div class="snapshot-plain">**bold**');
    const roomy = html(conversation([answer("a0", text)]), createPageBudget({ markdownMs: 150 }));
    expect(roomy).toContain("<strong>bold</strong>");
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
