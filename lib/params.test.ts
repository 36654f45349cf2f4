import { describe, expect, it } from "vitest";
import {
  paramKeys,
  paramsSchema,
  recommendedParams,
  setParamKeys,
  settingsSchema,
  toWireParams,
  type ParamKey,
  type ParamValues,
} from "@/lib/params";

/** Valid values for every parameter, boundaries included. */
const validSamples: Record<ParamKey, unknown[]> = {
  reasoning_effort: ["low", "medium", "high"],
  temperature: [0, 0.7, 1, 2],
  top_p: [0.01, 0.5, 1],
  top_k: [0, 1, 40, 200],
  min_p: [0.001, 0.05, 0.999],
  top_a: [0, 0.5, 1],
  repetition_penalty: [0, 1, 1.15, 2],
  frequency_penalty: [-2, 0, 1.5, 2],
  presence_penalty: [-2, 0, -1.5, 2],
  max_completion_tokens: [1, 256, 131_072],
  seed: [1, 42, 1_000_000],
  response_format: [
    { type: "text" },
    { type: "json_object" },
    { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } },
    {
      type: "json_schema",
      json_schema: {
        name: "Weather_Report-2",
        schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        strict: true,
        description: "A weather report",
      },
    },
  ],
  logit_bias: [{}, { "1234": -100 }, { "0": 100, "42": 0, "50256": -7.5 }],
  provider: ["openrouter", "openai", "togetherai", "fireworks-ai", "deep_infra"],
  tools: [
    [],
    [{ name: "get_weather", parameters: { type: "object" }, enabled: true }],
    [
      {
        name: "search-web_2",
        description: "Search the web",
        parameters: { type: "object", properties: { q: { type: "string" } } },
        enabled: false,
        mock: '{"results": []}',
      },
    ],
  ],
  tool_choice: ["auto", "none", "required"],
  parallel_tool_calls: [true, false],
  reasoning_in_tool_loops: [true, false],
};

/** One out-of-range or malformed value per line: [key, value]. */
const invalidSamples: [ParamKey, unknown][] = [
  ["tools", [{ name: "get weather", parameters: {}, enabled: true }]],
  ["tools", [{ name: "f", parameters: {}, enabled: true, extra: 1 }]],
  ["tools", [{ name: "f", parameters: [], enabled: true }]],
  ["tool_choice", "always"],
  ["tool_choice", { type: "function", function: {} }],
  ["parallel_tool_calls", "true"],
  ["temperature", 2.01],
  ["temperature", -0.01],
  ["temperature", "1"],
  ["top_p", 0],
  ["top_p", 1.01],
  ["min_p", 1],
  ["min_p", 0],
  ["top_a", 1.01],
  ["top_a", -0.1],
  ["seed", 0],
  ["seed", 1.5],
  ["seed", -3],
  ["max_completion_tokens", 0],
  ["max_completion_tokens", 10.5],
  ["frequency_penalty", -2.5],
  ["frequency_penalty", 2.01],
  ["presence_penalty", 2.5],
  ["presence_penalty", -2.01],
  ["top_k", Number.POSITIVE_INFINITY],
  ["top_k", Number.NaN],
  ["reasoning_effort", "extreme"],
  ["reasoning_effort", "MEDIUM"],
  ["response_format", { type: "json_schema", json_schema: { name: "has space", schema: {} } }],
  ["response_format", { type: "json_schema", json_schema: { name: "", schema: {} } }],
  ["response_format", { type: "json_schema", json_schema: { name: "x".repeat(65), schema: {} } }],
  ["response_format", { type: "json_schema", json_schema: { name: "answer" } }],
  ["response_format", { type: "json_schema", json_schema: { name: "answer", schema: "object" } }],
  ["response_format", { type: "json_schema", json_schema: { name: "a", schema: {}, extra: 1 } }],
  ["response_format", { type: "json_schema" }],
  ["response_format", { type: "xml" }],
  ["response_format", { type: "text", json_schema: {} }],
  ["logit_bias", { "1234": 101 }],
  ["logit_bias", { "1234": -100.5 }],
  ["logit_bias", { abc: 1 }],
  ["logit_bias", { "-5": 1 }],
  ["logit_bias", { "12": "high" }],
  ["logit_bias", Object.fromEntries(Array.from({ length: 301 }, (_, i) => [String(i), 1]))],
  ["provider", ""],
  ["provider", "   "],
  ["provider", "p".repeat(65)],
  ["provider", "https://evil.example/v1"],
  ["provider", "//evil.example"],
  ["provider", "evil.example"],
  ["provider", "openai@evil.example"],
  ["provider", "../openai"],
  ["provider", "open ai"],
  ["provider", "-openai"],
];

describe("paramsSchema", () => {
  it("has a valid sample for every parameter (a new parameter needs one here)", () => {
    expect(Object.keys(validSamples).sort()).toEqual([...paramKeys].sort());
  });

  it.each(paramKeys.flatMap((key) => validSamples[key].map((value) => [key, value] as const)))(
    "accepts %s = %j",
    (key, value) => {
      const result = paramsSchema.safeParse({ [key]: value });
      expect(result.error?.issues).toBeUndefined();
      expect(result.data).toEqual({ [key]: value });
    },
  );

  it("accepts every parameter set at once, and none at all", () => {
    const all = Object.fromEntries(paramKeys.map((key) => [key, validSamples[key][0]]));
    expect(paramsSchema.parse(all)).toEqual(all);
    expect(paramsSchema.parse({})).toEqual({});
  });

  it.each(invalidSamples)("rejects %s = %j, naming the parameter", (key, value) => {
    const result = paramsSchema.safeParse({ [key]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(key);
  });

  it("rejects a tool_choice naming a function that is not defined or is off, at tool_choice", () => {
    const tools = [
      { name: "get_weather", parameters: { type: "object" }, enabled: true },
      { name: "search", parameters: { type: "object" }, enabled: false },
    ];
    const choose = (name: string) => ({ type: "function", function: { name } });
    expect(paramsSchema.safeParse({ tools, tool_choice: choose("get_weather") }).success).toBe(
      true,
    );
    for (const name of ["search", "calculator"]) {
      const result = paramsSchema.safeParse({ tools, tool_choice: choose(name) });
      expect(result.error?.issues[0]?.path).toEqual(["tool_choice"]);
      expect(result.error?.issues[0]?.message).toContain(name);
    }
  });

  it("rejects two tools with one name, at the second one's name", () => {
    const tool = { name: "f", parameters: {}, enabled: true };
    const result = paramsSchema.safeParse({ tools: [tool, { ...tool, enabled: false }] });
    expect(result.error?.issues[0]?.path).toEqual(["tools", 1, "name"]);
  });

  it("rejects unknown keys, including max_tokens", () => {
    for (const key of ["max_tokens", "n", "stop", "Temperature"]) {
      const result = paramsSchema.safeParse({ temperature: 1, [key]: 1 });
      expect(result.success).toBe(false);
      const issue = result.error?.issues[0];
      expect(issue?.code).toBe("unrecognized_keys");
      expect(issue && "keys" in issue ? issue.keys : undefined).toEqual([key]);
    }
  });

  it("trims the provider routing value", () => {
    expect(paramsSchema.parse({ provider: "  openrouter " })).toEqual({ provider: "openrouter" });
  });
});

describe("settingsSchema", () => {
  it("accepts a model with params and a system prompt, defaulting params to {}", () => {
    expect(settingsSchema.parse({ model: "openai/gpt-oss-120b" })).toEqual({
      model: "openai/gpt-oss-120b",
      params: {},
    });
    const full = {
      model: "groq:openai/gpt-oss-120b",
      system: "Be brief.",
      params: { temperature: 0.2, seed: 7 },
    };
    expect(settingsSchema.parse(full)).toEqual(full);
  });

  it.each(invalidSamples)(
    "rejects params.%s = %j with the path settings → params → key",
    (key, value) => {
      const result = settingsSchema.safeParse({ model: "m", params: { [key]: value } });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path.slice(0, 2)).toEqual(["params", key]);
    },
  );

  it("rejects an empty or missing model, an oversized system prompt and unknown keys", () => {
    expect(settingsSchema.safeParse({ model: "" }).success).toBe(false);
    expect(settingsSchema.safeParse({ params: {} }).success).toBe(false);
    expect(settingsSchema.safeParse({ model: "m", system: "x".repeat(100_001) }).success).toBe(
      false,
    );
    expect(settingsSchema.safeParse({ model: "m", system: "x".repeat(100_000) }).success).toBe(
      true,
    );
    const unknown = settingsSchema.safeParse({ model: "m", baseURL: "https://evil.example/v1" });
    expect(unknown.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});

describe("toWireParams", () => {
  it("emits exactly the set parameters under their wire names, with the same values", () => {
    const values: ParamValues = {
      reasoning_effort: "high",
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      min_p: 0.05,
      top_a: 0.2,
      repetition_penalty: 1.1,
      frequency_penalty: -0.5,
      presence_penalty: 0.5,
      max_completion_tokens: 2048,
      seed: 1234,
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", schema: { type: "object" }, strict: true },
      },
      logit_bias: { "50256": -100 },
      provider: "openrouter",
      parallel_tool_calls: false,
      // Sent through the AI SDK's call options (tools, tool_choice) or not at all.
      tools: [{ name: "get_weather", parameters: { type: "object" }, enabled: true }],
      tool_choice: "required",
      reasoning_in_tool_loops: false,
    };
    const wire = toWireParams(values);
    expect(wire).toEqual({
      reasoning_effort: "high",
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      min_p: 0.05,
      top_a: 0.2,
      repetition_penalty: 1.1,
      frequency_penalty: -0.5,
      presence_penalty: 0.5,
      max_completion_tokens: 2048,
      seed: 1234,
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", schema: { type: "object" }, strict: true },
      },
      logit_bias: { "50256": -100 },
      provider: "openrouter",
      parallel_tool_calls: false,
    });
    const notInBody = ["tools", "tool_choice", "reasoning_in_tool_loops"];
    expect(Object.keys(wire).sort()).toEqual(
      paramKeys.filter((k) => !notInBody.includes(k)).sort(),
    );
    expect(wire).not.toHaveProperty("max_tokens");
  });

  it("omits unset parameters (absent or undefined) and keeps falsy values that are set", () => {
    const wire = toWireParams({
      temperature: 0,
      top_k: 0,
      seed: undefined,
      max_completion_tokens: 16,
    });
    expect(wire).toEqual({ temperature: 0, top_k: 0, max_completion_tokens: 16 });
    expect(Object.keys(wire)).toHaveLength(3);
    expect(toWireParams({})).toEqual({});
  });

  it("never emits max_tokens, whatever it is given", () => {
    const sneaky = { max_tokens: 10, max_completion_tokens: 20 } as unknown as ParamValues;
    expect(toWireParams(sneaky)).toEqual({ max_completion_tokens: 20 });
  });
});

describe("recommendedParams and setParamKeys", () => {
  it("recommends temperature 1, top_p 1 and medium effort, nothing else", () => {
    expect(recommendedParams()).toEqual({ temperature: 1, top_p: 1, reasoning_effort: "medium" });
    // The recommendation is itself valid input.
    expect(paramsSchema.safeParse(recommendedParams()).success).toBe(true);
  });

  it("lists the keys that are set, in descriptor order", () => {
    expect(setParamKeys({ seed: 3, temperature: 0, top_p: undefined })).toEqual([
      "temperature",
      "seed",
    ]);
    expect(setParamKeys({})).toEqual([]);
  });
});
