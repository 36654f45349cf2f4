/**
 * A deterministic generator of gpt-oss-like markdown (headings, paragraphs, bullet and numbered
 * lists, fenced code, inline and display math) cut into token-sized pieces, for long streams.
 * No Node-only imports: the server, benchmarks and specs share it.
 */

export type MarkdownOptions = {
  /** At least this many pieces (about 4 characters each); the text ends after the block that reaches it. */
  tokens: number;
  /** Same seed, same text. */
  seed?: number;
  /** Reasoning reads as thinking aloud (mostly prose); an answer is structured. */
  kind?: "reasoning" | "answer";
  /** A last paragraph, so that a reader can tell the whole text arrived. */
  end?: string;
};

/** mulberry32: a tiny seeded PRNG, good enough to vary the text. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the a of to and in is that for it with as on this be are we by can which from or an " +
  "value request stream token model answer reasoning buffer latency cache index query server " +
  "client memory function result error length order parameter budget step case first second " +
  "check compute return simple because then so therefore however note consider each every"
).split(" ");
const NAMES = ["alpha", "beta", "gamma", "delta", "items", "total", "count", "limit", "offset"];
const MATH = [
  "$$O(n \\log n)$$",
  "$$x^2 + y^2 = r^2$$",
  "$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$",
  "$$p \\le 0.05$$",
  "$$e^{i\\pi} + 1 = 0$$",
  "$$\\sqrt{a^2+b^2}$$",
];

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

function sentence(rand: Rand, math: boolean): string {
  const n = 6 + Math.floor(rand() * 14);
  const words = Array.from({ length: n }, (_, i) => {
    const roll = rand();
    if (math && roll < 0.04) return pick(rand, MATH);
    if (roll < 0.08) return `\`${pick(rand, NAMES)}\``;
    if (roll < 0.11) return `**${pick(rand, WORDS)}**`;
    return i === 0 ? pick(rand, WORDS).replace(/^./, (c) => c.toUpperCase()) : pick(rand, WORDS);
  });
  return `${words.join(" ")}${rand() < 0.1 ? "?" : "."}`;
}

function paragraph(rand: Rand, math: boolean): string {
  return Array.from({ length: 2 + Math.floor(rand() * 4) }, () => sentence(rand, math)).join(" ");
}

function list(rand: Rand, numbered: boolean): string {
  const n = 3 + Math.floor(rand() * 4);
  return Array.from(
    { length: n },
    (_, i) => `${numbered ? `${i + 1}.` : "-"} ${sentence(rand, true)}`,
  ).join("\n");
}

function code(rand: Rand): string {
  const name = pick(rand, NAMES);
  if (rand() < 0.5) {
    const body = Array.from(
      { length: 3 + Math.floor(rand() * 6) },
      (_, i) => `  const ${pick(rand, NAMES)}${i} = ${name}.map((x) => x * ${i + 2});`,
    ).join("\n");
    return `\`\`\`ts\nexport function ${name}Of(${name}: number[]): number {\n${body}\n  return ${name}.length;\n}\n\`\`\``;
  }
  const body = Array.from(
    { length: 3 + Math.floor(rand() * 6) },
    (_, i) => `    ${pick(rand, NAMES)}_${i} = sum(x * ${i + 2} for x in ${name})`,
  ).join("\n");
  return `\`\`\`python\ndef ${name}_of(${name}):\n${body}\n    return len(${name})\n\`\`\``;
}

function block(rand: Rand, kind: "reasoning" | "answer", index: number): string {
  const roll = rand();
  if (kind === "reasoning") {
    if (roll < 0.1) return list(rand, rand() < 0.5);
    if (roll < 0.14) return code(rand);
    return paragraph(rand, roll < 0.5);
  }
  if (index % 8 === 0)
    return `${rand() < 0.5 ? "##" : "###"} ${sentence(rand, false).slice(0, -1)}`;
  if (roll < 0.25) return list(rand, rand() < 0.5);
  if (roll < 0.4) return code(rand);
  if (roll < 0.45) return `$$\n${pick(rand, MATH).slice(2, -2)}\n$$`;
  return paragraph(rand, true);
}

/** Token-sized pieces: leading whitespace with up to 4 more characters, like a BPE tokenizer's. */
export function toTokens(text: string): string[] {
  return text.match(/\s*[^\s]{1,4}|\s+/g) ?? [];
}

/** Markdown of at least `tokens` pieces, as the pieces a stream would carry. */
export function generateMarkdown(options: MarkdownOptions): string[] {
  const rand = random(options.seed ?? 1);
  const kind = options.kind ?? "answer";
  const pieces: string[] = [];
  for (let i = 0; pieces.length < options.tokens; i++) {
    pieces.push(...toTokens(`${i === 0 ? "" : "\n\n"}${block(rand, kind, i)}`));
  }
  if (options.end) pieces.push(...toTokens(`\n\n${options.end}`));
  return pieces;
}
