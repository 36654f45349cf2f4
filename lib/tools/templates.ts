import type { ToolDef } from "./schema";

/** Starting points for the tool form: a definition and a plausible mock result for each. */
export type ToolTemplate = { id: string; label: string; tool: ToolDef };

export const toolTemplates: ToolTemplate[] = [
  {
    id: "weather",
    label: "Weather: current conditions in a city",
    tool: {
      name: "get_weather",
      description: "Current weather for a city.",
      parameters: {
        type: "object",
        properties: {
          city: { type: "string", description: "City name, e.g. Lisbon" },
          unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        },
        required: ["city"],
        additionalProperties: false,
      },
      enabled: true,
      mock: '{"temperature": 18, "unit": "celsius", "conditions": "partly cloudy", "wind_kmh": 14}',
    },
  },
  {
    id: "search",
    label: "Search: the web, top results",
    tool: {
      name: "web_search",
      description: "Search the web and return the top results with a snippet each.",
      parameters: {
        type: "object",
        properties: {
          query: { type: "string" },
          max_results: { type: "integer", minimum: 1, maximum: 10 },
        },
        required: ["query"],
        additionalProperties: false,
      },
      enabled: true,
      mock: '{"results": [{"title": "gpt-oss model card", "url": "https://openai.com/index/gpt-oss-model-card/", "snippet": "Two open-weight reasoning models, 120b and 20b."}]}',
    },
  },
  {
    id: "calculator",
    label: "Calculator: evaluate an arithmetic expression",
    tool: {
      name: "calculate",
      description: "Evaluate an arithmetic expression exactly, e.g. (17.5 * 4) / 3.",
      parameters: {
        type: "object",
        properties: { expression: { type: "string" } },
        required: ["expression"],
        additionalProperties: false,
      },
      enabled: true,
      mock: '{"result": 23.333333}',
    },
  },
];
