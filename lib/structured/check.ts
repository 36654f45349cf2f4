import { describeSyntaxError, parseJson } from "./json-syntax";
import { schemaErrors } from "./schema-errors";

/**
 * The verdict on a turn whose request asked for JSON (`response_format` json_object or
 * json_schema): whether the answer is JSON that fits, and if not, why, in words a person can act
 * on. Pure: the server computes it when a turn ends and stores it with the turn; the browser and
 * the shared page only show it.
 */
export type SchemaVerdict = {
  valid: boolean;
  kind: "valid" | "not_json" | "fenced" | "in_reasoning" | "length" | "schema";
  message: string;
  errors: { path: string; message: string }[];
  parsed?: unknown;
};

type Wanted = { type: "json_object" } | { type: "json_schema"; name: string; schema: unknown };

function wantedOf(responseFormat: unknown): Wanted | null {
  if (typeof responseFormat !== "object" || responseFormat === null) return null;
  const format = responseFormat as { type?: unknown; json_schema?: unknown };
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type !== "json_schema") return null;
  const spec = (format.json_schema ?? {}) as { name?: unknown; schema?: unknown };
  return {
    type: "json_schema",
    name: typeof spec.name === "string" ? spec.name : "response",
    schema: spec.schema ?? {},
  };
}

/** Whether a request's response_format asks for JSON (and its answer gets a verdict). */
export const asksForJson = (responseFormat: unknown): boolean => wantedOf(responseFormat) !== null;

const FENCE = /```[^\n`]*\n([\s\S]*?)\n?[ \t]*```/g;

function isContainer(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

/** JSON somewhere in a text: the whole of it, a fenced block, or from the first brace to the last. */
export function findJson(text: string): { found: true; value: unknown } | { found: false } {
  const candidates = [text.trim(), ...[...text.matchAll(FENCE)].map((m) => m[1]!)];
  for (const [open, close] of [
    ["{", "}"],
    ["[", "]"],
  ] as const) {
    const start = text.indexOf(open);
    const end = text.lastIndexOf(close);
    if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  }
  for (const candidate of candidates) {
    const parsed = parseJson(candidate);
    if (parsed.ok && isContainer(parsed.value)) return { found: true, value: parsed.value };
  }
  return { found: false };
}

function fencedJson(answer: string): { found: true; value: unknown } | { found: false } {
  for (const match of answer.matchAll(FENCE)) {
    const parsed = parseJson(match[1]!);
    if (parsed.ok) return { found: true, value: parsed.value };
  }
  return { found: false };
}

const invalid = (
  kind: SchemaVerdict["kind"],
  message: string,
  extra: Partial<SchemaVerdict> = {},
): SchemaVerdict => ({ valid: false, kind, message: `Invalid: ${message}`, errors: [], ...extra });

const MAX_ERRORS = 5;

function checkParsed(wanted: Wanted, parsed: unknown): SchemaVerdict {
  if (wanted.type === "json_object") {
    if (isContainer(parsed) && !Array.isArray(parsed))
      return {
        valid: true,
        kind: "valid",
        message: "Valid: the answer is a JSON object.",
        errors: [],
        parsed,
      };
    const got = Array.isArray(parsed)
      ? "an array"
      : `a ${parsed === null ? "null" : typeof parsed}`;
    return invalid("schema", `JSON mode asks for an object, but the answer is ${got}.`, {
      errors: [{ path: "$", message: `expected an object, got ${got}` }],
      parsed,
    });
  }
  const errors = schemaErrors(wanted.schema, parsed);
  if (errors.length === 0)
    return {
      valid: true,
      kind: "valid",
      message: `Valid: the answer is JSON that matches the schema "${wanted.name}".`,
      errors: [],
      parsed,
    };
  const count = errors.length === 1 ? "1 error" : `${errors.length} errors`;
  return invalid("schema", `the JSON does not match the schema "${wanted.name}" (${count}).`, {
    errors: errors.slice(0, MAX_ERRORS),
    parsed,
  });
}

/**
 * Checks an answer against what its request asked for; null when it asked for no JSON.
 * Precedence when the answer is not JSON: cut off by the token budget, then JSON in a Markdown
 * fence, then JSON in the reasoning (with an empty answer), then plainly not JSON.
 */
export function checkStructuredOutput(input: {
  responseFormat: unknown;
  answer: string;
  reasoning: string;
  finishReason: string | undefined;
}): SchemaVerdict | null {
  const wanted = wantedOf(input.responseFormat);
  if (!wanted) return null;
  const answer = input.answer.trim();
  const parsed = answer === "" ? undefined : parseJson(answer);
  if (parsed?.ok) return checkParsed(wanted, parsed.value);

  if (input.finishReason === "length")
    return invalid(
      "length",
      answer === ""
        ? 'cut off: the token budget ran out (finish_reason "length") before any answer. Raise Max completion tokens.'
        : 'cut off: the token budget ran out (finish_reason "length") before the JSON was complete. Raise Max completion tokens.',
    );
  const fenced = fencedJson(answer);
  if (fenced.found)
    return invalid(
      "fenced",
      "the JSON is wrapped in a Markdown code fence (```json … ```). Strip the fence before parsing, or ask for bare JSON.",
      { parsed: fenced.value },
    );
  if (answer === "") {
    const inReasoning = findJson(input.reasoning);
    if (inReasoning.found)
      return invalid(
        "in_reasoning",
        "the answer is empty, but JSON was found in the reasoning instead. The provider put the output in the reasoning channel.",
        { parsed: inReasoning.value },
      );
    return invalid("not_json", "the answer is empty: no JSON was returned.");
  }
  const where = parsed && !parsed.ok ? ` (${describeSyntaxError(parsed.error)})` : "";
  const around = findJson(answer).found ? " It has text around the JSON." : "";
  return invalid("not_json", `the answer is not JSON${where}.${around}`);
}
