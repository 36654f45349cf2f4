import { describe, expect, it } from "vitest";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { estimatePrompt, turnTokens } from "./tokens";

const message = (
  parts: ThinkpaneUIMessage["parts"],
  metadata: ThinkpaneUIMessage["metadata"] = {},
): Pick<ThinkpaneUIMessage, "parts" | "metadata"> => ({ parts, metadata });

describe("turnTokens", () => {
  it("takes the upstream's counts when it sent them", () => {
    const tokens = turnTokens(
      message([{ type: "text", text: "hi" }], {
        usage: { promptTokens: 120, reasoningTokens: 40, answerTokens: 10, totalTokens: 170 },
      }),
      9999,
    );
    expect(tokens).toEqual({
      promptTokens: 120,
      completionTokens: 50,
      reasoningTokens: 40,
      estimated: false,
    });
  });

  it("adds reasoning and answer when the total is missing", () => {
    expect(
      turnTokens(
        message([], { usage: { promptTokens: 5, reasoningTokens: 7, answerTokens: 3 } }),
        0,
      ),
    ).toMatchObject({ completionTokens: 10, reasoningTokens: 7, estimated: false });
  });

  it("estimates from the text of a turn without usage (stopped, failed), reasoning included", () => {
    const tokens = turnTokens(
      message([
        { type: "reasoning", text: "r".repeat(400) },
        { type: "text", text: "a".repeat(80) },
      ]),
      300,
    );
    expect(tokens).toEqual({
      promptTokens: 300,
      completionTokens: 120,
      reasoningTokens: 100,
      estimated: true,
    });
  });

  it("counts nothing for a turn that generated nothing", () => {
    expect(turnTokens(undefined, 300)).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      estimated: true,
    });
  });

  it("estimates the prompt from the history and system prompt", () => {
    expect(
      estimatePrompt(
        [
          { parts: [{ type: "text", text: "x".repeat(40) }] },
          { parts: [{ type: "text", text: "y".repeat(38) }] },
        ],
        "s".repeat(2),
      ),
    ).toBe(20);
  });
});
