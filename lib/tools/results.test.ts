import { describe, expect, it } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { lastRound, MAX_TOOL_ROUNDS, pendingCalls, roundFailed, withToolResults } from "./results";

type Part = ThinkpaneUIMessage["parts"][number];

const call = (id: string, name: string, state: string, extra: object = {}): Part =>
  ({ type: "dynamic-tool", toolCallId: id, toolName: name, state, input: {}, ...extra }) as Part;

const round: Part[] = [
  { type: "step-start" },
  { type: "reasoning", text: "Two cities: two calls.", state: "done" },
  call("c1", "get_weather", "input-available", { input: { city: "Paris" } }),
  call("c2", "get_weather", "input-available", { input: { city: "London" } }),
];

function refusal(fn: () => unknown): ThinkpaneError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ThinkpaneError);
    return error as ThinkpaneError;
  }
  throw new Error("expected a refusal");
}

describe("withToolResults", () => {
  it("gives each waiting call its result as typed, leaving the other parts as they were", () => {
    const out = withToolResults(round, [
      { toolCallId: "c2", output: '{"celsius": 12}' },
      { toolCallId: "c1", output: "18 °C and sunny" },
    ]);
    expect(out.slice(0, 2)).toEqual(round.slice(0, 2));
    expect(out[2]).toMatchObject({ state: "output-available", output: "18 °C and sunny" });
    expect(out[3]).toMatchObject({ state: "output-available", output: '{"celsius": 12}' });
    expect(pendingCalls(out)).toEqual([]);
    expect(pendingCalls(round)).toHaveLength(2);
  });

  it("refuses a round with a call left unanswered, naming the function", () => {
    const error = refusal(() => withToolResults(round, [{ toolCallId: "c1", output: "x" }]));
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details.field).toBe("results");
    expect(error.message).toContain("get_weather");
  });

  it("refuses a result for a call that is not waiting, naming its index", () => {
    const error = refusal(() =>
      withToolResults(round, [
        { toolCallId: "c1", output: "x" },
        { toolCallId: "c2", output: "y" },
        { toolCallId: "c9", output: "z" },
      ]),
    );
    expect(error.details.field).toBe("results[2].toolCallId");
  });

  it("refuses an answer with nothing to answer", () => {
    const answered = withToolResults(round, [
      { toolCallId: "c1", output: "x" },
      { toolCallId: "c2", output: "y" },
    ]);
    expect(refusal(() => withToolResults(answered, [])).details.field).toBe("messageId");
  });

  it("carries on with no results after a round whose calls failed (arguments not JSON)", () => {
    const failed: Part[] = [
      { type: "step-start" },
      call("c1", "get_weather", "output-error", { input: '{"city": "Par', errorText: "bad" }),
    ];
    expect(withToolResults(failed, [])).toEqual(failed);
  });

  it(`stops an answer after ${MAX_TOOL_ROUNDS} rounds`, () => {
    const many: Part[] = Array.from({ length: MAX_TOOL_ROUNDS }, (_, i) => [
      { type: "step-start" } as Part,
      call(`c${i}`, "f", i === MAX_TOOL_ROUNDS - 1 ? "input-available" : "output-available"),
    ]).flat();
    const id = `c${MAX_TOOL_ROUNDS - 1}`;
    expect(refusal(() => withToolResults(many, [{ toolCallId: id, output: "" }])).message).toMatch(
      /32 rounds/,
    );
    expect(() => withToolResults(many.slice(2), [{ toolCallId: id, output: "" }])).not.toThrow();
  });
});

describe("lastRound and roundFailed", () => {
  const failed = call("c3", "get_weather", "output-error", { errorText: "not JSON" });
  const answered = withToolResults(round, [
    { toolCallId: "c1", output: "18" },
    { toolCallId: "c2", output: "12" },
  ]);

  it("the last round starts at the last step start, or at the first part without one", () => {
    const next: Part[] = [...answered, { type: "step-start" }, failed];
    expect(lastRound(next)).toEqual([{ type: "step-start" }, failed]);
    // No step start (a stored turn from before them): the whole answer, not its last part.
    expect(lastRound(round.slice(1))).toEqual(round.slice(1));
  });

  it("a round is failed when its calls all failed and none waits", () => {
    expect(roundFailed([...answered, { type: "step-start" }, failed])).toBe(true);
    expect(roundFailed([...round, failed])).toBe(false);
    expect(roundFailed(answered)).toBe(false);
    // An earlier round's failure does not make the last one failed.
    expect(roundFailed([{ type: "step-start" }, failed, ...answered])).toBe(false);
  });
});
