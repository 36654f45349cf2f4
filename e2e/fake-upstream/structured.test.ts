import { describe, expect, it } from "vitest";
import { checkStructuredOutput } from "@/lib/structured/check";
import { parseScenario, type StreamScenario } from "./scenario";
import { pieces, structured } from "./structured";

const responseFormat = {
  type: "json_schema",
  json_schema: {
    name: "invoice",
    schema: { type: "object", required: ["total"], properties: { total: { type: "number" } } },
  },
};

const verdictOf = (s: StreamScenario) =>
  checkStructuredOutput({
    responseFormat,
    answer: (s.answer ?? []).join(""),
    reasoning: (s.reasoning ?? []).join(""),
    finishReason: s.finishReason,
  });

describe("structured-output scenarios", () => {
  it("are valid scenarios, each the shape it is named for", () => {
    const cases: [StreamScenario, string][] = [
      [structured.json({ total: 12.5 }), "valid"],
      [structured.json({ total: "12.5" }), "schema"],
      [structured.fenced({ total: 12.5 }), "fenced"],
      [structured.inReasoning({ total: 12.5 }), "in_reasoning"],
      [structured.cutOff({ total: 12.5, vendor: "Acme Office Supplies" }), "length"],
      [structured.prose("The total is 12.50."), "not_json"],
    ];
    for (const [scenario, kind] of cases) {
      expect(parseScenario(scenario).ok).toBe(true);
      expect(verdictOf(scenario)?.kind).toBe(kind);
    }
  });

  it("splits a text into pieces that join back to it", () => {
    expect(pieces("abcdefg", 3)).toEqual(["abc", "def", "g"]);
    expect(pieces("", 3)).toEqual([]);
  });
});
