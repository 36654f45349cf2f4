import { describe, expect, it } from "vitest";
import { textOfParts } from "./parts-text";

describe("textOfParts", () => {
  it("joins one round's pieces as they are and separates rounds by a blank line", () => {
    const parts = [
      { type: "step-start" },
      { type: "reasoning", text: "Need the weather." },
      { type: "text", text: "Let me " },
      { type: "text", text: "check." },
      { type: "dynamic-tool" },
      { type: "step-start" },
      { type: "reasoning", text: "It is sunny." },
      { type: "text", text: "It is sunny." },
    ];
    expect(textOfParts(parts, "text")).toBe("Let me check.\n\nIt is sunny.");
    expect(textOfParts(parts, "reasoning")).toBe("Need the weather.\n\nIt is sunny.");
  });

  it("adds no separator before the first text or after a round without any", () => {
    const parts = [
      { type: "step-start" },
      { type: "dynamic-tool" },
      { type: "step-start" },
      { type: "text", text: "Done." },
    ];
    expect(textOfParts(parts, "text")).toBe("Done.");
    expect(
      textOfParts(
        [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
        "text",
      ),
    ).toBe("ab");
  });
});
