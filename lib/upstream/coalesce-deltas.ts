/**
 * Joins consecutive text deltas of an upstream event stream that arrived in one network read.
 *
 * Every event the AI SDK reads costs the server a JSON and schema parse and a pass through a
 * dozen web streams, each a few promises (and every promise runs Next's async-context hooks):
 * at thousands of tokens a second that, not the bytes, is what saturates the proxy. Events that
 * arrive together are read together anyway, so joining them adds no delay: the events of one
 * read become one event per run of the same text field. When the server keeps up, reads hold
 * one event each and nothing changes; when it falls behind, reads grow and the work per token
 * shrinks.
 *
 * Only plain text deltas are joined: one `data:` line whose chunk has one choice (index 0) with
 * no finish reason or logprobs, no usage, no fields but the usual ones, and a delta with exactly
 * one non-empty text field (`content`, `reasoning_content` or `reasoning`) besides empty ones.
 * Two such events join when they have the same id and the same text field. Everything else (role
 * and tool-call chunks, OpenRouter's `reasoning_details`, Cerebras's content and reasoning in one
 * delta, usage, errors, comments, `[DONE]`, broken JSON) passes through as it came, in order.
 * The raw exchange is recorded before this (Inspect shows what crossed the wire).
 */

/** The delta fields that carry text: the answer, and reasoning as providers name it. */
export const TEXT_FIELDS = ["content", "reasoning_content", "reasoning"] as const;
const TEXT_FIELD_SET = new Set<string>(TEXT_FIELDS);
const CHUNK_FIELDS = new Set([
  "id",
  "object",
  "created",
  "model",
  "system_fingerprint",
  "service_tier",
  "provider",
  "obfuscation",
  "choices",
  "usage",
]);
const CHOICE_FIELDS = new Set(["index", "delta", "finish_reason", "logprobs"]);

type Json = Record<string, unknown>;
type TextEvent = { chunk: Json; delta: Json; field: string };

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The event as a joinable text delta, or undefined when it must pass through as it came. */
function textEvent(data: string): TextEvent | undefined {
  // Cheap refusals first: most events that are not text deltas say so in their first bytes.
  if (data[0] !== "{" || !data.includes('"delta"')) return undefined;
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObject(chunk) || chunk.usage != null) return undefined;
  for (const key in chunk) if (!CHUNK_FIELDS.has(key)) return undefined;
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length !== 1) return undefined;
  const choice: unknown = choices[0];
  if (!isObject(choice)) return undefined;
  for (const key in choice) if (!CHOICE_FIELDS.has(key)) return undefined;
  if ((choice.index ?? 0) !== 0 || choice.finish_reason != null || choice.logprobs != null)
    return undefined;
  const delta = choice.delta;
  if (!isObject(delta)) return undefined;
  let field: string | undefined;
  for (const key in delta) {
    const value = delta[key];
    if (!TEXT_FIELD_SET.has(key)) return undefined;
    if (value === null || value === "") continue;
    if (typeof value !== "string" || field !== undefined) return undefined;
    field = key;
  }
  return field === undefined ? undefined : { chunk, delta, field };
}

/**
 * A stateful transformer for an SSE text cut at line ends (as fetch.ts forwards it): returns the
 * same events with runs of joinable text deltas joined. An event whose lines continue into the
 * next piece passes through as it came. Pieces never wait for one another: whatever is joined
 * is written before the piece's end.
 */
export function createDeltaCoalescer(): (text: string) => string {
  // Inside an event whose first lines went out with an earlier piece.
  let midEvent = false;

  return (text) => {
    // One data line: nothing to join (the common case while the server keeps up).
    const first = text.indexOf("data:");
    if (first === -1 || text.indexOf("data:", first + 5) === -1) {
      midEvent = endsMidEvent(text, midEvent);
      return text;
    }
    const lines = text.split("\n");
    // The text after the last newline (empty when the piece ends with one) is not a whole line.
    const partial = lines.pop() ?? "";
    const out: string[] = [];
    let joined: TextEvent | undefined;
    const flush = () => {
      if (!joined) return;
      out.push(`data: ${JSON.stringify(joined.chunk)}`, "");
      joined = undefined;
    };

    let i = 0;
    if (midEvent) {
      // The rest of an event begun in an earlier piece, through its blank line.
      while (i < lines.length && stripCr(lines[i]!) !== "") out.push(lines[i++]!);
      if (i < lines.length) {
        out.push(lines[i++]!);
        midEvent = false;
      }
    }
    while (i < lines.length) {
      const start = i;
      while (i < lines.length && stripCr(lines[i]!) !== "") i++;
      const event = lines.slice(start, i);
      if (i === lines.length) {
        // No blank line yet: the event goes on in the next piece.
        flush();
        out.push(...event);
        midEvent = event.length > 0;
        break;
      }
      const blank = lines[i++]!;
      const only = event.length === 1 ? stripCr(event[0]!) : undefined;
      const next = only?.startsWith("data:") ? textEvent(only.slice(5).trimStart()) : undefined;
      if (next && joined && joined.field === next.field && joined.chunk.id === next.chunk.id) {
        joined.delta[joined.field] =
          `${joined.delta[joined.field] as string}${next.delta[next.field] as string}`;
        continue;
      }
      flush();
      if (next) joined = next;
      else out.push(...event, blank);
    }
    flush();
    out.push(partial);
    if (partial !== "") midEvent = true;
    return out.join("\n");
  };
}

const stripCr = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);

/** Whether a piece passed through whole leaves an event open (its last line is not blank). */
function endsMidEvent(text: string, wasMidEvent: boolean): boolean {
  if (text === "") return wasMidEvent;
  const body = text.replace(/\r\n/g, "\n");
  if (!body.endsWith("\n")) return true;
  const lastLine = body.slice(body.lastIndexOf("\n", body.length - 2) + 1, -1);
  return lastLine !== "";
}
