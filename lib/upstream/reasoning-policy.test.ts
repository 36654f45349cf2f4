import { describe, expect, it } from "vitest";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { applyReasoningPolicy } from "./reasoning-policy";

type Part = ThinkpaneUIMessage["parts"][number];

const user = (id: string, text: string): ThinkpaneUIMessage => ({
  id,
  role: "user",
  parts: [{ type: "text", text }],
});
const assistant = (id: string, parts: Part[]): ThinkpaneUIMessage => ({
  id,
  role: "assistant",
  parts,
});
const reasoning = (text: string): Part => ({ type: "reasoning", text, state: "done" });
const text = (value: string): Part => ({ type: "text", text: value, state: "done" });
const toolCall: Part = {
  type: "tool-get_weather",
  toolCallId: "call_1",
  state: "output-available",
  input: { city: "Lisbon" },
  output: { celsius: 21 },
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe("applyReasoningPolicy", () => {
  it("drops reasoning from assistant turns that ended before the last user message", () => {
    const messages = [
      user("u1", "Hi"),
      assistant("a1", [{ type: "step-start" }, reasoning("The user greets me."), text("Hello!")]),
      user("u2", "How are you?"),
    ];
    const out = applyReasoningPolicy(messages);
    expect(out.map((m) => m.id)).toEqual(["u1", "a1", "u2"]);
    expect(out[1]?.parts).toEqual([{ type: "step-start" }, text("Hello!")]);
    expect(out.flatMap((m) => m.parts).some((p) => p.type === "reasoning")).toBe(false);
  });

  it("keeps reasoning on assistant messages after the last user message (tool-call loop)", () => {
    const inLoop = assistant("a2", [reasoning("I need the weather."), toolCall]);
    const messages = [
      user("u1", "Hi"),
      assistant("a1", [reasoning("old thoughts"), text("Hello!")]),
      user("u2", "Weather?"),
      inLoop,
    ];
    const out = applyReasoningPolicy(messages);
    expect(out.map((m) => m.id)).toEqual(["u1", "a1", "u2", "a2"]);
    expect(out[3]).toBe(inLoop);
    expect(out[3]?.parts).toEqual([reasoning("I need the weather."), toolCall]);
    expect(out[1]?.parts).toEqual([text("Hello!")]);
  });

  it("drops an earlier assistant message that had only reasoning (a turn stopped mid-thought)", () => {
    const messages = [
      user("u1", "Solve this"),
      assistant("a1", [{ type: "step-start" }, reasoning("Let me think...")]),
      user("u2", "Never mind, hi"),
    ];
    expect(applyReasoningPolicy(messages).map((m) => m.id)).toEqual(["u1", "u2"]);
  });

  it("also drops an earlier assistant message whose text is blank", () => {
    const messages = [
      user("u1", "?"),
      assistant("a1", [reasoning("hmm"), text("  \n ")]),
      user("u2", "!"),
    ];
    expect(applyReasoningPolicy(messages).map((m) => m.id)).toEqual(["u1", "u2"]);
  });

  it("keeps an earlier assistant message that made a tool call, without its reasoning", () => {
    const messages = [
      user("u1", "Weather?"),
      assistant("a1", [reasoning("call the tool"), toolCall]),
      user("u2", "Thanks"),
    ];
    const out = applyReasoningPolicy(messages);
    expect(out.map((m) => m.id)).toEqual(["u1", "a1", "u2"]);
    expect(out[1]?.parts).toEqual([toolCall]);
  });

  it("leaves user messages untouched, even ones carrying reasoning-like parts", () => {
    const odd: ThinkpaneUIMessage = {
      id: "u1",
      role: "user",
      parts: [text("a"), reasoning("not ours to drop")],
    };
    const last = user("u2", "b");
    const out = applyReasoningPolicy([odd, assistant("a1", [text("ok")]), last]);
    expect(out[0]).toBe(odd);
    expect(out[2]).toBe(last);
  });

  it("keeps metadata and ids of the messages it rewrites", () => {
    const a1: ThinkpaneUIMessage = {
      id: "a1",
      role: "assistant",
      metadata: { model: "openai/gpt-oss-120b", status: "done" },
      parts: [reasoning("r"), text("t")],
    };
    const out = applyReasoningPolicy([user("u1", "x"), a1, user("u2", "y")]);
    expect(out[1]).toEqual({
      id: "a1",
      role: "assistant",
      metadata: { model: "openai/gpt-oss-120b", status: "done" },
      parts: [text("t")],
    });
  });

  it("does not mutate its input", () => {
    const messages = deepFreeze([
      user("u1", "Hi"),
      assistant("a1", [reasoning("r1"), text("Hello")]),
      assistant("a0", [reasoning("only reasoning")]),
      user("u2", "Again"),
      assistant("a2", [reasoning("r2"), toolCall]),
    ]);
    const before = structuredClone(messages);
    const out = applyReasoningPolicy(messages);
    expect(messages).toEqual(before);
    expect(out).not.toBe(messages);
    expect(out.map((m) => m.id)).toEqual(["u1", "a1", "u2", "a2"]);
  });

  it("handles an empty history", () => {
    expect(applyReasoningPolicy([])).toEqual([]);
  });

  it("drops the tool loop's reasoning too when keepToolLoopReasoning is off, keeping its calls", () => {
    const dynamicCall: Part = {
      type: "dynamic-tool",
      toolName: "get_weather",
      toolCallId: "call_2",
      state: "output-available",
      input: { city: "Oslo" },
      output: "4 °C",
    };
    const messages = [
      user("u1", "Weather in Oslo?"),
      assistant("a1", [
        { type: "step-start" },
        reasoning("I should call get_weather."),
        dynamicCall,
      ]),
    ];
    expect(applyReasoningPolicy(messages).at(-1)?.parts).toHaveLength(3);
    const off = applyReasoningPolicy(messages, { keepToolLoopReasoning: false });
    expect(off.at(-1)?.parts).toEqual([{ type: "step-start" }, dynamicCall]);
  });
});
