import "server-only";
import { createOpenAICompatible, type MetadataExtractor } from "@ai-sdk/openai-compatible";
import { env } from "@/lib/env";
import { createUpstreamFetch } from "./fetch";
import type { ExchangeRecorder } from "./recorder";
import type { ResolvedModel } from "./registry";
import type { ReasoningField } from "@/lib/types";
import { METADATA_KEY } from "./turn-metrics";

/** Request parameters travel as provider options under this key, already in wire names. */
export const PROVIDER_OPTIONS_KEY = "upstream";

function readCost(chunk: unknown): number | undefined {
  if (!chunk || typeof chunk !== "object") return undefined;
  const meta = (chunk as { meta?: { usage?: { usd_spent?: unknown } } }).meta;
  const spent = meta?.usage?.usd_spent;
  const value = typeof spent === "string" ? Number(spent) : spent;
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** AI/ML API reports the cost of a call in `meta.usage.usd_spent` (last chunk, or the JSON body). */
const costExtractor: MetadataExtractor = {
  async extractMetadata({ parsedBody }) {
    const costUsd = readCost(parsedBody);
    return costUsd === undefined ? undefined : { [METADATA_KEY]: { costUsd } };
  },
  createStreamExtractor() {
    let costUsd: number | undefined;
    return {
      processChunk(chunk) {
        costUsd = readCost(chunk) ?? costUsd;
      },
      buildMetadata() {
        return costUsd === undefined ? undefined : { [METADATA_KEY]: { costUsd } };
      },
    };
  },
};

/**
 * The AI SDK writes reasoning on assistant messages as `reasoning_content`; each server takes it
 * under its own name, or not at all (shared/spec/instruments.md §2). Renamed here, in the body
 * itself, so that View code, Inspect and the wire agree. `none` removes it.
 */
export function withReasoningField(
  body: Record<string, unknown>,
  field: ReasoningField,
): Record<string, unknown> {
  if (field === "reasoning_content" || !Array.isArray(body.messages)) return body;
  const messages = (body.messages as Record<string, unknown>[]).map((message) => {
    if (message.role !== "assistant" || !("reasoning_content" in message)) return message;
    const { reasoning_content: reasoning, ...rest } = message;
    return field === "none" ? rest : { ...rest, [field]: reasoning };
  });
  return { ...body, messages };
}

export type ChatModelOptions = {
  /** Replaces the upstream fetch (timeouts, no redirects): the dry run captures the body with it. */
  fetch?: typeof fetch;
  /** Records the turn's raw exchange; it sees the network's bytes, before fetch.ts's guards. */
  recorder?: ExchangeRecorder;
};

export function chatModelFor(model: ResolvedModel, options: ChatModelOptions = {}) {
  const e = env();
  const provider = createOpenAICompatible({
    name: PROVIDER_OPTIONS_KEY,
    baseURL: model.provider.baseURL,
    apiKey: model.apiKey,
    includeUsage: true,
    supportsStructuredOutputs: true,
    metadataExtractor: costExtractor,
    transformRequestBody: (body) => withReasoningField(body, model.provider.reasoningField),
    fetch:
      options.fetch ??
      createUpstreamFetch({
        connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
        idleTimeoutMs: e.UPSTREAM_IDLE_TIMEOUT_MS,
        fetch: options.recorder?.wrap(globalThis.fetch),
      }),
  });
  return provider.chatModel(model.upstreamId);
}
