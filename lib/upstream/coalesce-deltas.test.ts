import { describe, expect, it } from "vitest";
import { createDeltaCoalescer } from "./coalesce-deltas";

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "openai/gpt-oss-120b",
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  })}\n\n`;

/** What an SSE reader gets: the data of each event, in order (comments and blank lines dropped). */
function events(text: string): string[] {
  return text
    .replace(/\r\n/g, "\n")
    .split("\n\n")
    .map((block) =>
      block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n"),
    )
    .filter((data) => data !== "");
}

/** The message the events build: text per field joined, every other event as it came. */
function message(text: string) {
  const out: (string | { field: string; text: string })[] = [];
  for (const data of events(text)) {
    let parsed: { choices?: { delta?: Record<string, unknown> }[] } | undefined;
    try {
      parsed = JSON.parse(data);
    } catch {
      out.push(data);
      continue;
    }
    const delta = parsed?.choices?.[0]?.delta ?? {};
    const fields = Object.entries(delta).filter(([, v]) => typeof v === "string" && v !== "");
    const last = out.at(-1);
    if (Object.keys(delta).length === 1 && fields.length === 1) {
      const [field, value] = fields[0]!;
      if (typeof last === "object" && last.field === field) last.text += value as string;
      else out.push({ field, text: value as string });
    } else out.push(data);
  }
  return out;
}

describe("createDeltaCoalescer", () => {
  it("joins the text deltas of one read into one event per run of the same field", () => {
    const piece =
      chunk({ reasoning_content: "The" }) +
      chunk({ reasoning_content: " user" }) +
      chunk({ reasoning_content: " asks." }) +
      chunk({ content: "Olá" }) +
      chunk({ content: "!" });
    const out = createDeltaCoalescer()(piece);
    expect(events(out).map((e) => JSON.parse(e).choices[0].delta)).toEqual([
      { reasoning_content: "The user asks." },
      { content: "Olá!" },
    ]);
    // The chunk's own fields are kept.
    expect(JSON.parse(events(out)[0]!)).toMatchObject({ id: "c1", model: "openai/gpt-oss-120b" });
  });

  it("passes every other event through as it came, in order", () => {
    const others = [
      chunk({ role: "assistant", content: null }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] }),
      chunk({ reasoning: "x", reasoning_details: [{ type: "reasoning.text", text: "x" }] }),
      // Cerebras: content and reasoning in one delta.
      chunk({ reasoning: "r", content: "c" }),
      chunk({}, { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
      `data: ${JSON.stringify({ id: "c1", choices: [], usage: { completion_tokens: 3 } })}\n\n`,
      ": OPENROUTER PROCESSING\n\n",
      'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"bro\n\n',
      `data: ${JSON.stringify({ error: { message: "Upstream overloaded", code: 502 } })}\n\n`,
      "data: [DONE]\n\n",
    ];
    const piece = others.map((e) => chunk({ content: "a" }) + e).join("");
    const out = createDeltaCoalescer()(piece);
    expect(out).toBe(piece);
  });

  it("joins only events of the same id and the same field, and keeps empty fields", () => {
    const piece =
      chunk({ content: "", reasoning: "a" }) +
      chunk({ reasoning: "b" }) +
      chunk({ reasoning_content: "c" }) +
      chunk({ content: "d" }, { id: "c2" }) +
      chunk({ content: "e" }, { id: "c2" });
    const out = createDeltaCoalescer()(piece);
    expect(events(out).map((e) => JSON.parse(e).choices[0].delta)).toEqual([
      { content: "", reasoning: "ab" },
      { reasoning_content: "c" },
      { content: "de" },
    ]);
  });

  it("leaves an event that goes on into the next piece as it came", () => {
    const coalesce = createDeltaCoalescer();
    const a = chunk({ content: "one" });
    const b = chunk({ content: "two" });
    // The piece ends after b's data line, before its blank line; the next begins with it.
    const first = coalesce(a + b.slice(0, -1));
    const second = coalesce("\n" + chunk({ content: "three" }) + chunk({ content: "four" }));
    expect(message(first + second)).toEqual([{ field: "content", text: "onetwothreefour" }]);
    expect(events(first + second)).toHaveLength(3);
    // A data line split from its event's other lines, on either side of a piece boundary.
    const split = createDeltaCoalescer();
    const out =
      split("event: message\n") + split(chunk({ content: "x" }) + chunk({ content: "y" }));
    expect(out).toBe("event: message\n" + chunk({ content: "x" }) + chunk({ content: "y" }));
  });

  it("reads CRLF line ends", () => {
    const piece = (chunk({ content: "a" }) + chunk({ content: "b" })).replace(/\n/g, "\r\n");
    expect(
      events(createDeltaCoalescer()(piece)).map((e) => JSON.parse(e).choices[0].delta),
    ).toEqual([{ content: "ab" }]);
  });

  it("builds the same message however a long stream is cut into reads", () => {
    const parts: string[] = [chunk({ role: "assistant", content: null })];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    // Reasoning, then the answer, as a model streams them, with other events in between.
    for (let i = 0; i < 2_000; i++) {
      const r = random();
      const field = i < 1_000 ? "reasoning_content" : "content";
      if (r < 0.94) parts.push(chunk({ [field]: `${field[0]}${i} ` }));
      else if (r < 0.96) parts.push(": keep-alive\n\n");
      else if (r < 0.98)
        parts.push(chunk({ tool_calls: [{ index: 0, function: { arguments: `${i}` } }] }));
      else parts.push(chunk({ reasoning: "both", content: `${i}` }));
    }
    parts.push(
      `data: ${JSON.stringify({ id: "c1", choices: [], usage: { completion_tokens: 9 } })}\n\n`,
    );
    parts.push("data: [DONE]\n\n");
    const whole = parts.join("");
    const lines = whole.split(/(?<=\n)/);
    const coalesce = createDeltaCoalescer();
    let out = "";
    for (let at = 0; at < lines.length;) {
      const take = 1 + Math.floor(random() * 40);
      out += coalesce(lines.slice(at, at + take).join(""));
      at += take;
    }
    expect(message(out)).toEqual(message(whole));
    expect(events(out).length).toBeLessThan(events(whole).length / 2);
  });
});
