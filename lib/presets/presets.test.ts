import { describe, expect, it } from "vitest";
import { paramsSchema, recommendedParams, settingsSchema } from "@/lib/params";
import { BUILT_IN_HELP } from "./builtin-help";
import { BUILT_IN_PRESETS, builtInPreset } from "./builtins";
import { diffSettings, sameSettings } from "./diff";
import { PRESETS_EXPORT_FORMAT, presetRefSchema, presetsFileSchema } from "./schema";

const base = { model: "openai/gpt-oss-120b", params: recommendedParams() };

describe("diffSettings", () => {
  it("finds nothing between equal settings, whatever the key order", () => {
    const a = {
      ...base,
      params: {
        response_format: {
          type: "json_schema" as const,
          json_schema: { name: "x", schema: { a: 1, b: 2 } },
        },
      },
    };
    const b = {
      ...base,
      params: {
        response_format: {
          json_schema: { schema: { b: 2, a: 1 }, name: "x" },
          type: "json_schema" as const,
        },
      },
    };
    expect(diffSettings(a, b)).toEqual([]);
    expect(sameSettings(a, b)).toBe(true);
  });

  it("treats an empty system prompt as none", () => {
    expect(diffSettings({ ...base, system: "" }, base)).toEqual([]);
  });

  it("lists each difference with its label and both values", () => {
    const current = {
      model: "openai/gpt-oss-20b",
      system: "Be brief.",
      params: { ...recommendedParams(), temperature: 0.7, seed: 42 },
    };
    expect(diffSettings(current, base)).toEqual([
      {
        key: "model",
        label: "Model",
        current: "openai/gpt-oss-20b",
        preset: "openai/gpt-oss-120b",
      },
      { key: "system", label: "System prompt", current: "Be brief.", preset: "unset" },
      { key: "temperature", label: "Temperature", current: "0.7", preset: "1" },
      { key: "seed", label: "Seed", current: "42", preset: "unset" },
    ]);
  });

  it("shortens long values", () => {
    const [d] = diffSettings({ ...base, system: "x".repeat(500) }, base);
    expect(Array.from(d!.current)).toHaveLength(40);
    expect(d!.current.endsWith("…")).toBe(true);
  });
});

describe("built-in presets", () => {
  it("are valid settings with unique ids and a reason each", () => {
    expect(Object.keys(BUILT_IN_HELP).sort()).toEqual(BUILT_IN_PRESETS.map((p) => p.id).sort());
    expect(new Set(BUILT_IN_PRESETS.map((p) => p.id)).size).toBe(BUILT_IN_PRESETS.length);
    for (const preset of BUILT_IN_PRESETS) {
      expect(settingsSchema.safeParse(preset.settings).success, preset.id).toBe(true);
      expect(presetRefSchema.safeParse({ id: preset.id, version: preset.version }).success).toBe(
        true,
      );
      expect(BUILT_IN_HELP[preset.id]?.length).toBeGreaterThan(40);
    }
  });

  it("hold what the spec recommends", () => {
    expect(builtInPreset("builtin-recommended")?.settings.params).toEqual({
      temperature: 1,
      top_p: 1,
      reasoning_effort: "medium",
    });
    expect(builtInPreset("builtin-fast")?.settings.params.reasoning_effort).toBe("low");
    const thorough = builtInPreset("builtin-thorough")!.settings.params;
    expect(thorough.reasoning_effort).toBe("high");
    expect(thorough.max_completion_tokens).toBeGreaterThan(16_000);
    expect(
      paramsSchema.shape.max_completion_tokens.safeParse(thorough.max_completion_tokens).success,
    ).toBe(true);
    const json = builtInPreset("builtin-json")!.settings;
    expect(json.params.response_format).toEqual({ type: "json_object" });
    expect(json.system).toMatch(/JSON/);
    expect(builtInPreset("nope")).toBeUndefined();
  });
});

describe("presetsFileSchema", () => {
  const file = (presets: unknown) => ({ format: PRESETS_EXPORT_FORMAT, version: 1, presets });

  it("takes an export file and drops fields it does not know", () => {
    const parsed = presetsFileSchema.parse({
      ...file([{ name: " A ", settings: base, version: 3 }]),
      exportedAt: "x",
    });
    expect(parsed.presets).toEqual([{ name: "A", settings: base }]);
  });

  it("names the problem: a bad parameter, a duplicate name, too many presets", () => {
    const path = (input: unknown) =>
      presetsFileSchema.safeParse(input).error?.issues[0]?.path.join(".");
    expect(path(file([{ name: "A", settings: { ...base, params: { min_p: 2 } } }]))).toBe(
      "presets.0.settings.params.min_p",
    );
    expect(
      path(
        file([
          { name: "A", settings: base },
          { name: "A", settings: base },
        ]),
      ),
    ).toBe("presets.1.name");
    expect(
      path(file(Array.from({ length: 201 }, (_, i) => ({ name: `p${i}`, settings: base })))),
    ).toBe("presets");
  });
});
