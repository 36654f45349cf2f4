/**
 * Tool-calling turns in the shapes gpt-oss sends them (shared/spec/instruments.md §2), as
 * ordinary stream scenarios: a test scripts one per key like any other, or a `sequence` of a call
 * and then `finalAnswerScenario` for the turn after the tool result. Data only (no Node imports),
 * so Playwright specs and Vitest tests can share it.
 */
import { stream, type ScriptedToolCall, type StreamScenario } from "./scenario";
import { pieces as textPieces } from "./structured";

/** One call as a test writes it: `args` is JSON-encoded unless it is already a string. */
export type ToolCallInput = {
  name: string;
  args: Record<string, unknown> | string;
  id?: string;
  /** Split the arguments over this many deltas. Default 1. */
  pieces?: number;
};

export type ToolCallScenarioOptions = ToolCallInput & {
  /** Content before the call, meant for the user. Default: none. */
  preamble?: string;
  /** Default: a short line about calling the tool. A string is streamed in small pieces. */
  reasoning?: string | string[];
};

const toScripted = ({ name, args, id, pieces }: ToolCallInput): ScriptedToolCall => ({
  ...(id === undefined ? {} : { id }),
  name,
  arguments: typeof args === "string" ? args : JSON.stringify(args),
  ...(pieces === undefined ? {} : { pieces }),
});

const asPieces = (text: string | string[]) => (typeof text === "string" ? textPieces(text) : text);

/** One call after the reasoning (and the preamble, if any); finish_reason `tool_calls`. */
export function toolCallScenario(options: ToolCallScenarioOptions): StreamScenario {
  const { preamble, reasoning, ...call } = options;
  return stream({
    reasoning: asPieces(
      reasoning ?? [
        "The user needs",
        " live data.",
        ` I should call ${call.name}`,
        " with the right arguments.",
      ],
    ),
    answer: preamble === undefined ? [] : textPieces(preamble),
    toolCalls: [toScripted(call)],
  });
}

const WEATHER_CALLS: ToolCallInput[] = [
  { name: "get_weather", args: { city: "Paris" } },
  { name: "get_weather", args: { city: "London" } },
];

/** Several calls in one turn (indexes 0, 1, …), each split over two deltas unless told. */
export function twoCallsScenario(calls: readonly ToolCallInput[] = WEATHER_CALLS): StreamScenario {
  return stream({
    reasoning: ["The user asks", " about two things.", " I can look both up at once."],
    answer: [],
    toolCalls: calls.map((call) => {
      const scripted = toScripted(call);
      // Two pieces need two characters; a no-argument call ("") stays whole.
      if (call.pieces === undefined && scripted.arguments.length >= 2) scripted.pieces = 2;
      return scripted;
    }),
  });
}

/** A call whose arguments are cut-off JSON (`{"city": "Par`), as a model can emit them. */
export function invalidArgumentsScenario(name: string): StreamScenario {
  return stream({
    reasoning: ["The user wants", " the weather.", ` Call ${name}.`],
    answer: [],
    toolCalls: [{ name, arguments: '{"city": "Par', pieces: 2 }],
  });
}

/**
 * A server that does not parse harmony: the call leaks into `content` as raw syntax and the turn
 * ends with finish_reason `stop`, no tool_calls. The app must show it, not crash.
 */
export function harmonyLeakScenario(): StreamScenario {
  return stream({
    reasoning: ["Need the weather", " for Paris.", " Use get_weather."],
    answer: [
      "<|channel|>commentary",
      " to=functions.get_weather",
      " <|constrain|>json",
      '<|message|>{"city":"Paris"}',
    ],
    finishReason: "stop",
  });
}

/** The turn after a tool result: short reasoning, then `text` as the final answer. */
export function finalAnswerScenario(text: string): StreamScenario {
  return stream({
    reasoning: ["The tool returned", " what I need.", " Summarise it", " for the user."],
    answer: textPieces(text),
    finishReason: "stop",
  });
}
