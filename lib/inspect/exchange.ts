import { z } from "zod";
import { MAX_TOOL_ROUNDS } from "@/lib/tools/results";
import type { ReasoningField } from "@/lib/types";

/**
 * The raw exchange of one assistant turn: what crossed the wire between this server and the
 * upstream, one request after the other when a tool loop took several. Recorded on the server (lib/upstream/recorder.ts), stored with the turn, exported
 * with the conversation, and read by Inspect in the browser. Pure: no I/O, no server imports.
 *
 * Lines are stored front-coded: a line that shares a start and an end with the line before it
 * (every chunk of a stream repeats its id, model and envelope) keeps only what differs, as
 * `[ms, prefix, suffix, middle]`; others are `[ms, text]`. Decoding is exact. This is what lets a
 * 40,000-chunk turn fit the ~2 MB bound instead of losing most of its middle.
 */

/** About 2 MB per turn, counted as stored. */
export const MAX_EXCHANGE_BYTES = 2_000_000;
/**
 * Decoded lines may be larger than stored ones, but never past this: a line repeated many times
 * costs almost nothing stored, and must not cost gigabytes decoded.
 */
export const MAX_DECODED_BYTES = 32_000_000;
/** Error bodies (and any non-streamed body) are kept up to this many characters. */
export const MAX_BODY_CHARS = 64_000;
/** Bookkeeping per stored line (its time, brackets and commas), for the byte count. */
export const LINE_OVERHEAD = 12;

export type StoredLine =
  [ms: number, text: string] | [ms: number, prefix: number, suffix: number, middle: string];

export type ExchangeAttempt = {
  /** ms from the first attempt's start. */
  atMs: number;
  /** ms waited since the previous attempt ended (the backoff); 0 for the first. */
  waitMs: number;
  /** HTTP status; absent when no response came (connection refused, timeout). */
  status?: number;
  /** Response headers, names lower-cased; cookies left out. */
  headers?: Record<string, string>;
  /** ms until the response headers came. */
  headersMs?: number;
  /** The body when it was not a stream (an error), secrets redacted, cut at MAX_BODY_CHARS. */
  body?: string;
  /** Why no response came (the transport error's message). */
  error?: string;
};

/** What decided whether reasoning went back on assistant messages (the body cannot say why not). */
export type ReasoningBack = {
  /** The provider's `reasoningField` when the request was made. */
  field: ReasoningField;
  /** The switch "Send reasoning back in tool loops". */
  inToolLoops: boolean;
};

/** One request to the upstream (with its retries) and what came back. */
export type ExchangeRequest = {
  version: 1;
  provider: { id: string; label: string };
  model: { id: string; upstreamId: string };
  /** ISO 8601: when the first attempt started. */
  startedAt: string;
  /** The JSON body sent upstream (as parsed; the raw text when it was not JSON). */
  request: { body: unknown };
  attempts: ExchangeAttempt[];
  /** Raw SSE lines of the streamed attempt, blank separators left out; ms since that attempt started. */
  lines: StoredLine[];
  /** Lines left out past the bound: they sat between lines[after - 1] and lines[after]. */
  omitted?: { after: number; lines: number; bytes: number };
  /** How the stream ended: its last byte ("done"), an abort (Stop, a stall) or a broken connection. */
  end?: { ms: number; reason: "done" | "aborted" | "error"; message?: string };
  /** Absent in exchanges recorded before tool loops. */
  reasoningBack?: ReasoningBack;
};

/**
 * The raw exchange of an assistant message: its last request at the top level, and the requests
 * before it (the earlier rounds of a tool loop), oldest first, in `earlier`.
 *
 * Why one value per message rather than a row per round: rows, shares (`shares.exchanges`, by
 * message id) and JSON exports all hold one exchange per message already; with the last request
 * on top, every one of them stays valid as it is and every reader that knows one request still
 * reads the last one, with no migration and no new shape to carry through shares and exports.
 */
export type Exchange = ExchangeRequest & { earlier?: ExchangeRequest[] };

/** A message has at most MAX_TOOL_ROUNDS requests (lib/tools/results.ts refuses more). */
export const MAX_EARLIER_REQUESTS = MAX_TOOL_ROUNDS - 1;
/**
 * All the requests of one message together, counted as stored. Past it, the earliest requests
 * give up their lines first, then their bodies; the last request keeps its own ~2 MB bound.
 */
export const MAX_MESSAGE_EXCHANGE_BYTES = 4 * MAX_EXCHANGE_BYTES;
/** What an earlier request's body becomes when the message's requests pass the bound. */
export const BODY_LEFT_OUT = "(left out: this answer's requests together passed the size limit)";

const HIGH_SURROGATE = (code: number) => code >= 0xd800 && code <= 0xdbff;
const LOW_SURROGATE = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The shared start and end of two lines, never splitting a surrogate pair (jsonb refuses halves). */
export function sharedEnds(prev: string, text: string): { prefix: number; suffix: number } {
  const max = Math.min(prev.length, text.length);
  let prefix = 0;
  while (prefix < max && prev.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && HIGH_SURROGATE(text.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    prev.charCodeAt(prev.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
  )
    suffix++;
  if (suffix > 0 && LOW_SURROGATE(text.charCodeAt(text.length - suffix))) suffix--;
  return { prefix, suffix };
}

/** Below this, front coding saves less than its two numbers cost. */
const MIN_SHARED = 12;

export function encodeLine(prev: string, text: string, ms: number): StoredLine {
  const { prefix, suffix } = sharedEnds(prev, text);
  if (prefix + suffix < MIN_SHARED) return [ms, text];
  return [ms, prefix, suffix, text.slice(prefix, text.length - suffix)];
}

/** Stored size of a line: what differs from the line before, plus its bookkeeping. */
export function storedSize(line: StoredLine): number {
  return (line.length === 2 ? line[1].length : line[3].length) + LINE_OVERHEAD;
}

/** Front-codes lines in order; `restartAt` (the line after an omission) is stored whole. */
export function encodeLines(
  lines: readonly { ms: number; text: string }[],
  restartAt?: number,
): StoredLine[] {
  let prev = "";
  return lines.map(({ ms, text }, i) => {
    const stored = i === restartAt ? ([ms, text] as StoredLine) : encodeLine(prev, text, ms);
    prev = text;
    return stored;
  });
}

export type DecodedLine = { ms: number; text: string };

/**
 * The lines as received. Throws on a line that refers to more of its predecessor than there is,
 * or when the decoded text would pass MAX_DECODED_BYTES (an imported file can claim anything).
 */
export function decodeLines(exchange: Pick<Exchange, "lines" | "omitted">): DecodedLine[] {
  const out: DecodedLine[] = [];
  let prev = "";
  let total = 0;
  exchange.lines.forEach((line, i) => {
    // Nothing before an omission is shared with what follows it.
    if (i === exchange.omitted?.after) prev = "";
    let text: string;
    if (line.length === 2) text = line[1];
    else {
      const [, prefix, suffix, middle] = line;
      if (prefix + suffix > prev.length)
        throw new Error(`line ${i + 1} refers past its predecessor`);
      text = prev.slice(0, prefix) + middle + prev.slice(prev.length - suffix);
    }
    total += text.length;
    if (total > MAX_DECODED_BYTES) throw new Error("the lines are larger than allowed decoded");
    out.push({ ms: line[0], text });
    prev = text;
  });
  return out;
}

/** Stored size of an exchange's lines, as the bound counts it. */
export function linesSize(lines: readonly StoredLine[]): number {
  let size = 0;
  for (const line of lines) size += storedSize(line);
  return size;
}

/** The requests of a message, oldest first (one for a turn without a tool loop). */
export function requestsOf(exchange: Exchange): ExchangeRequest[] {
  const { earlier = [], ...last } = exchange;
  return [...earlier, last];
}

/** Stored size of one request: its lines, its body and the bodies of its attempts. */
export function requestSize(request: ExchangeRequest): number {
  let size = linesSize(request.lines) + JSON.stringify(request.request.body ?? null).length;
  for (const attempt of request.attempts) size += attempt.body?.length ?? 0;
  return size;
}

/** An earlier request without its lines, which are counted as left out. */
function withoutLines(request: ExchangeRequest): ExchangeRequest {
  if (request.lines.length === 0) return request;
  let bytes = request.omitted?.bytes ?? 0;
  for (const line of decodeLines(request)) bytes += line.text.length;
  return {
    ...request,
    lines: [],
    omitted: { after: 0, lines: (request.omitted?.lines ?? 0) + request.lines.length, bytes },
  };
}

/**
 * The exchange of a message once its next request (a tool loop's next round) has ended: the
 * request on top, everything before it in `earlier`, kept within MAX_MESSAGE_EXCHANGE_BYTES by
 * dropping the earliest requests' lines, then their bodies. Their attempts, timings and how they
 * ended always stay.
 */
export function withNextRequest(previous: Exchange | undefined, next: Exchange): Exchange {
  const { earlier: _ignored, ...request } = next;
  if (!previous) return request;
  const earlier = requestsOf(previous).slice(-MAX_EARLIER_REQUESTS);
  let total = requestSize(request);
  for (const r of earlier) total += requestSize(r);
  for (const shed of [withoutLines, withoutBody])
    for (let i = 0; i < earlier.length && total > MAX_MESSAGE_EXCHANGE_BYTES; i++) {
      const before = requestSize(earlier[i]!);
      earlier[i] = shed(earlier[i]!);
      total += requestSize(earlier[i]!) - before;
    }
  return { ...request, earlier };
}

function withoutBody(request: ExchangeRequest): ExchangeRequest {
  return {
    ...request,
    request: { body: BODY_LEFT_OUT },
    attempts: request.attempts.map(({ body: _body, ...attempt }) => attempt),
  };
}

const ms = z.number().finite().min(0).max(86_400_000);
const count = z.number().int().min(0).max(1_000_000_000);
const shortText = (max: number) => z.string().max(max);

const storedLineSchema = z.union([
  z.tuple([ms, shortText(MAX_EXCHANGE_BYTES)]),
  z.tuple([ms, count, count, shortText(MAX_EXCHANGE_BYTES)]),
]);

const requestFields = {
  version: z.literal(1),
  provider: z.object({ id: shortText(200), label: shortText(200) }).strict(),
  model: z.object({ id: shortText(400), upstreamId: shortText(400) }).strict(),
  startedAt: shortText(40),
  request: z.object({ body: z.unknown() }).strict(),
  attempts: z
    .array(
      z
        .object({
          atMs: ms,
          waitMs: ms,
          status: z.number().int().min(100).max(599).optional(),
          headers: z.record(shortText(200), shortText(8_000)).optional(),
          headersMs: ms.optional(),
          body: shortText(MAX_BODY_CHARS).optional(),
          error: shortText(2_000).optional(),
        })
        .strict(),
    )
    .max(20),
  lines: z.array(storedLineSchema).max(MAX_EXCHANGE_BYTES / LINE_OVERHEAD),
  omitted: z.object({ after: count, lines: count, bytes: count }).strict().optional(),
  end: z
    .object({
      ms,
      reason: z.enum(["done", "aborted", "error"]),
      message: shortText(2_000).optional(),
    })
    .strict()
    .optional(),
  reasoningBack: z
    .object({
      field: z.enum(["reasoning", "reasoning_content", "none"]),
      inToolLoops: z.boolean(),
    })
    .strict()
    .optional(),
};

/** A request as this server records it: bounded then, bounded here as well. */
function checkRequest(
  request: ExchangeRequest,
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  if (JSON.stringify(request.request.body ?? null).length > MAX_EXCHANGE_BYTES)
    ctx.addIssue({ code: "custom", path: [...path, "request", "body"], message: "Too large" });
  if (linesSize(request.lines) > MAX_EXCHANGE_BYTES * 1.1)
    ctx.addIssue({
      code: "custom",
      path: [...path, "lines"],
      message: "Larger than about 2 MB",
    });
  try {
    decodeLines(request);
  } catch (error) {
    ctx.addIssue({ code: "custom", path: [...path, "lines"], message: (error as Error).message });
  }
}

/** An exchange from outside (an imported file): shape, sizes, and that its lines decode. */
export const exchangeSchema: z.ZodType<Exchange> = z
  .object({
    ...requestFields,
    earlier: z.array(z.object(requestFields).strict()).max(MAX_EARLIER_REQUESTS).optional(),
  })
  .strict()
  .superRefine((exchange, ctx) => {
    checkRequest(exchange, ctx);
    let earlierSize = 0;
    exchange.earlier?.forEach((request, i) => {
      checkRequest(request, ctx, ["earlier", i]);
      earlierSize += requestSize(request);
    });
    if (earlierSize > MAX_MESSAGE_EXCHANGE_BYTES)
      ctx.addIssue({ code: "custom", path: ["earlier"], message: "Larger than allowed" });
  });
