import { describe, expect, it } from "vitest";
import {
  finishCells,
  numericCells,
  numericRows,
  percentDiff,
  runFigures,
  schemaCells,
  summarize,
} from "./stats";

const row = (label: string) => numericRows.find((r) => r.label === label)!;
const run = (reasoningTokens: number, finishReason = "stop") => ({
  metadata: { usage: { reasoningTokens }, finishReason },
});

describe("compare stats", () => {
  it("takes the median with min and max", () => {
    expect(summarize([60, 10, 20])).toEqual({ median: 20, min: 10, max: 60, n: 3 });
    expect(summarize([1, 2, 3, 4])?.median).toBe(2.5);
    expect(summarize([])).toBeUndefined();
  });

  it("marks the best median of a row and shows the others' difference to the first", () => {
    const cells = numericCells(row("Reasoning tokens"), [
      [run(10), run(20), run(60)],
      [run(30)],
      [run(5), run(40), run(50)],
    ]);
    expect(cells.map((c) => c.text)).toEqual(["20 (10–60)", "30", "40 (5–50)"]);
    expect(cells.map((c) => c.best)).toEqual([true, false, false]);
    expect(cells.map((c) => c.diff)).toEqual([undefined, "+50%", "+100%"]);
    expect(percentDiff(8, 10)).toBe("−20%");
  });

  it("counts finish reasons and schema-valid answers only when verdicts exist", () => {
    expect(finishCells([[run(1), run(1, "length"), run(1)]])[0]?.text).toBe("stop ×2, length");
    expect(schemaCells([[run(1)], [run(1)]])).toBeUndefined();
    const cells = schemaCells([
      [
        { ...run(1), verdict: { valid: true } },
        { ...run(1), verdict: { valid: false } },
      ],
      [{ ...run(1), verdict: { valid: false } }],
    ]);
    expect(cells?.map((c) => [c.text, c.best])).toEqual([
      ["1 / 2", true],
      ["0 / 1", false],
    ]);
  });

  it("takes an answer's verdict from its schema check, and shows — for a column without one", () => {
    const check = (valid: boolean) => ({
      valid,
      kind: valid ? ("valid" as const) : ("not_json" as const),
      message: valid ? "Valid" : "Invalid: not JSON",
      errors: [],
    });
    const plain = runFigures({ finishReason: "stop" });
    expect(plain.verdict).toBeUndefined();
    expect(runFigures({ finishReason: "stop", schemaCheck: check(false) }).verdict).toEqual({
      valid: false,
    });
    const checked = [true, true, false].map((valid) =>
      runFigures({ finishReason: "stop", schemaCheck: check(valid) }),
    );
    expect(schemaCells([[plain, plain, plain], checked])?.map((c) => [c.text, c.best])).toEqual([
      ["—", false],
      ["2 / 3", false],
    ]);
    // The best share, not the most answers: 2 / 2 beats 2 / 3.
    const cells = schemaCells([checked, checked.slice(0, 2), [plain]]);
    expect(cells?.map((c) => [c.text, c.best])).toEqual([
      ["2 / 3", false],
      ["2 / 2", true],
      ["—", false],
    ]);
  });
});
