import { describe, expect, it } from "vitest";
import { checkStructuredOutput } from "./check";
import { schemaVerdictSchema } from "./verdict";

const invoice = {
  type: "json_schema",
  json_schema: {
    name: "invoice",
    strict: true,
    schema: {
      type: "object",
      properties: {
        number: { type: "string" },
        total: { type: "number" },
        lines: {
          type: "array",
          items: {
            type: "object",
            properties: { item: { type: "string" }, qty: { type: "integer" } },
            required: ["item", "qty"],
            additionalProperties: false,
          },
        },
      },
      required: ["number", "total", "lines"],
      additionalProperties: false,
    },
  },
};

const good = { number: "INV-7", total: 12.5, lines: [{ item: "Tea", qty: 2 }] };

const check = (answer: string, more: { reasoning?: string; finishReason?: string } = {}) =>
  checkStructuredOutput({
    responseFormat: invoice,
    answer,
    reasoning: more.reasoning ?? "",
    finishReason: more.finishReason ?? "stop",
  });

describe("checkStructuredOutput", () => {
  it("says nothing when the request asked for no JSON", () => {
    for (const responseFormat of [undefined, null, { type: "text" }, "json_object"])
      expect(
        checkStructuredOutput({
          responseFormat,
          answer: "{}",
          reasoning: "",
          finishReason: "stop",
        }),
      ).toBeNull();
  });

  it("calls an answer that matches the schema valid, with its parsed value", () => {
    const verdict = check(`\n${JSON.stringify(good, null, 2)}\n`);
    expect(verdict).toMatchObject({ valid: true, kind: "valid", errors: [], parsed: good });
    expect(verdict?.message).toMatch(/^Valid: .*"invoice"/);
  });

  it("names schema errors by JSON path, innermost only", () => {
    const verdict = check(
      JSON.stringify({ number: 7, lines: [{ item: "Tea", qty: 1.5 }, { item: "Jam" }], x: 1 }),
    );
    expect(verdict).toMatchObject({ valid: false, kind: "schema" });
    expect(verdict?.message).toMatch(/^Invalid: the JSON does not match the schema "invoice"/);
    expect(verdict?.errors).toEqual([
      { path: "$.total", message: "is required but missing" },
      { path: "$.number", message: "expected string, got number" },
      { path: "$.lines[0].qty", message: "expected integer, got number" },
      { path: "$.lines[1].qty", message: "is required but missing" },
      { path: "$.x", message: "is not allowed by the schema" },
    ]);
  });

  it("lists the first five schema errors and counts them all", () => {
    const lines = Array.from({ length: 8 }, () => ({ item: 1, qty: 1 }));
    const verdict = check(JSON.stringify({ ...good, lines }));
    expect(verdict?.errors).toHaveLength(5);
    expect(verdict?.message).toContain("(8 errors)");
  });

  it("says where an answer stops being JSON", () => {
    const verdict = check('{"number": "INV-7",\n  "total": 12.5,,\n}');
    expect(verdict).toMatchObject({ valid: false, kind: "not_json", errors: [] });
    expect(verdict?.message).toBe(
      "Invalid: the answer is not JSON (line 2, column 17: expected a property name in double quotes).",
    );
  });

  it("says when prose surrounds the JSON", () => {
    const verdict = check(`Here is the invoice: ${JSON.stringify(good)}`);
    expect(verdict?.kind).toBe("not_json");
    expect(verdict?.message).toContain("It has text around the JSON.");
  });

  it("recognises JSON inside a Markdown fence", () => {
    const verdict = check(`\`\`\`json\n${JSON.stringify(good)}\n\`\`\``);
    expect(verdict).toMatchObject({ valid: false, kind: "fenced", parsed: good });
    expect(verdict?.message).toMatch(/^Invalid: the JSON is wrapped in a Markdown code fence/);
  });

  it("finds JSON in the reasoning when the answer is empty", () => {
    const verdict = check("", { reasoning: `Output: ${JSON.stringify(good)}` });
    expect(verdict).toMatchObject({ valid: false, kind: "in_reasoning", parsed: good });
    expect(verdict?.message).toContain("JSON was found in the reasoning");
  });

  it("says an empty answer with no JSON anywhere is not JSON", () => {
    expect(check("", { reasoning: "Thinking about it." })).toMatchObject({ kind: "not_json" });
  });

  it("puts a length cut-off before every other reason", () => {
    const cut = '{"number": "INV-7", "total": 12';
    expect(check(cut, { finishReason: "length" })?.kind).toBe("length");
    expect(check('```json\n{"number": "IN', { finishReason: "length" })?.kind).toBe("length");
    const empty = check("", { finishReason: "length", reasoning: JSON.stringify(good) });
    expect(empty?.kind).toBe("length");
    expect(empty?.message).toMatch(/^Invalid: cut off: the token budget ran out/);
    expect(check(cut)?.kind).toBe("not_json");
  });

  it("checks a complete answer even when the budget ran out just after it", () => {
    expect(check(JSON.stringify(good), { finishReason: "length" })?.kind).toBe("valid");
  });

  it("puts a fence before JSON in the reasoning", () => {
    const verdict = check(`\`\`\`\n${JSON.stringify(good)}\n\`\`\``, { reasoning: "{}" });
    expect(verdict?.kind).toBe("fenced");
  });

  it("holds JSON mode to an object", () => {
    const ask = (answer: string) =>
      checkStructuredOutput({
        responseFormat: { type: "json_object" },
        answer,
        reasoning: "",
        finishReason: "stop",
      });
    expect(ask('{"a": 1}')).toMatchObject({ valid: true, kind: "valid" });
    expect(ask("[1, 2]")).toMatchObject({
      valid: false,
      kind: "schema",
      errors: [{ path: "$", message: "expected an object, got an array" }],
    });
    expect(ask("hello")?.kind).toBe("not_json");
  });

  it("reports a schema it cannot use instead of throwing", () => {
    const verdict = checkStructuredOutput({
      responseFormat: {
        type: "json_schema",
        json_schema: { name: "x", schema: { $ref: "#/nope" } },
      },
      answer: "{}",
      reasoning: "",
      finishReason: "stop",
    });
    expect(verdict).toMatchObject({ valid: false, kind: "schema" });
    expect(verdict?.errors[0]?.message).toMatch(/^the schema could not be used/);
  });

  it("gives verdicts that the stored metadata schema accepts", () => {
    for (const answer of ["{}", "x", JSON.stringify(good), "```json\n{}\n```", ""])
      expect(schemaVerdictSchema.safeParse(check(answer)).success).toBe(true);
  });
});
