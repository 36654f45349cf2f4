import { describe, expect, it } from "vitest";
import { withReasoningField } from "./provider";

const body = {
  model: "openai/gpt-oss-120b",
  messages: [
    { role: "user", content: "Weather in Paris?" },
    {
      role: "assistant",
      content: null,
      reasoning_content: "I should call get_weather.",
      tool_calls: [
        { id: "c1", type: "function", function: { name: "get_weather", arguments: "{}" } },
      ],
    },
    { role: "tool", tool_call_id: "c1", content: "18 °C" },
  ],
};

describe("withReasoningField", () => {
  it("keeps reasoning_content as the AI SDK wrote it", () => {
    expect(withReasoningField(body, "reasoning_content")).toBe(body);
  });

  it("renames it to reasoning on assistant messages only, leaving the rest as it was", () => {
    const out = withReasoningField(body, "reasoning") as typeof body;
    expect(out.messages[1]).toEqual({
      role: "assistant",
      content: null,
      reasoning: "I should call get_weather.",
      tool_calls: body.messages[1]?.tool_calls,
    });
    expect(out.messages[0]).toBe(body.messages[0]);
    expect(out.messages[2]).toBe(body.messages[2]);
    expect(body.messages[1]).toHaveProperty("reasoning_content");
  });

  it("removes it for none", () => {
    const out = withReasoningField(body, "none") as typeof body;
    expect(out.messages[1]).not.toHaveProperty("reasoning_content");
    expect(out.messages[1]).not.toHaveProperty("reasoning");
    expect(out.messages[1]?.tool_calls).toHaveLength(1);
  });
});
