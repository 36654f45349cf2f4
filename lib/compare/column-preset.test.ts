import { describe, expect, it } from "vitest";
import { recommendedParams } from "@/lib/params";
import { columnFromPreset, columnMatchesPreset } from "./column-preset";

const MODEL = "openai/gpt-oss-120b";

describe("a compare column from a preset", () => {
  it("takes the model and parameters, and overrides the shared system prompt only with one of its own", () => {
    const json = {
      model: MODEL,
      system: "Answer with JSON.",
      params: { temperature: 0.3, response_format: { type: "json_object" as const } },
    };
    expect(columnFromPreset(json)).toEqual({ settings: json, overrideSystem: true });
    expect(columnFromPreset({ model: MODEL, system: "  ", params: { top_p: 0.5 } })).toEqual({
      settings: { model: MODEL, params: { top_p: 0.5 } },
      overrideSystem: false,
    });
  });

  it("matches a preset while the column's own settings are the preset's", () => {
    const preset = {
      model: MODEL,
      params: { ...recommendedParams(), reasoning_effort: "low" as const },
    };
    const column = columnFromPreset(preset);
    expect(columnMatchesPreset(column, preset)).toBe(true);
    // A system prompt the column does not use does not count; one it uses does.
    const unused = { settings: { ...column.settings, system: "Be brief." }, overrideSystem: false };
    expect(columnMatchesPreset(unused, preset)).toBe(true);
    expect(columnMatchesPreset({ ...unused, overrideSystem: true }, preset)).toBe(false);
    const changed = { ...column, settings: { ...column.settings, params: { temperature: 0.2 } } };
    expect(columnMatchesPreset(changed, preset)).toBe(false);
  });
});
