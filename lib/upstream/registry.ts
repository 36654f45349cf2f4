import "server-only";
import type { CodeTarget } from "@/lib/code/types";
import { AIMLAPI_PUBLIC_BASE_URL, env, EnvError, readSecret, type ProviderConfig } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import type { ParamValues } from "@/lib/params";
import type { PublicModel, ReasoningField, StructuredOutputs } from "@/lib/types";

/**
 * Maps a public model id to the upstream that serves it. Filled from the environment; the
 * browser only ever sees `toPublicModel` of an entry.
 */

type Provider = {
  id: string;
  label: string;
  baseURL: string;
  apiKeyEnv?: string;
  /** The variable that View code's snippets read the base URL from. */
  baseURLEnv: string;
  /** The URL those snippets fall back to; only a URL the operator calls public. */
  publicBaseURL?: string;
  /** Whether it enforces a json_schema response format (THINKPANE_PROVIDERS; default best-effort). */
  structuredOutputs: StructuredOutputs;
  /** The field reasoning goes back in, in tool loops (THINKPANE_PROVIDERS; default `reasoning`). */
  reasoningField: ReasoningField;
};

export type ModelEntry = {
  /** The id the browser uses. */
  id: string;
  label: string;
  /** The id sent upstream. */
  upstreamId: string;
  provider: Provider;
  contextWindow?: number;
};

export type ResolvedModel = ModelEntry & { apiKey: string | undefined };

const AIMLAPI: Omit<Provider, "baseURL" | "reasoningField"> = {
  id: "aimlapi",
  label: "AI/ML API",
  apiKeyEnv: "AIMLAPI_API_KEY",
  baseURLEnv: "AIMLAPI_BASE_URL",
  // Its public address, not AIMLAPI_BASE_URL, which may point at a private server.
  publicBaseURL: AIMLAPI_PUBLIC_BASE_URL,
  // It routes to several backends, which differ (see shared/spec/instruments.md §3).
  structuredOutputs: "best-effort",
};

/** `my-vllm` → `MY_VLLM_BASE_URL`: a variable name for snippets, never read by this server. */
function baseURLEnvOf(providerId: string): string {
  const name = `${providerId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_BASE_URL`;
  return /^[A-Z]/.test(name) ? name : `PROVIDER_${name}`;
}

function builtInModels(baseURL: string, reasoningField: ReasoningField): ModelEntry[] {
  const provider: Provider = { ...AIMLAPI, baseURL, reasoningField };
  return [
    {
      id: "openai/gpt-oss-120b",
      label: "gpt-oss-120b",
      upstreamId: "openai/gpt-oss-120b",
      provider,
      contextWindow: 131_072,
    },
    {
      id: "openai/gpt-oss-20b",
      label: "gpt-oss-20b",
      upstreamId: "openai/gpt-oss-20b",
      provider,
      contextWindow: 131_072,
    },
  ];
}

function configuredModels(configs: ProviderConfig[]): ModelEntry[] {
  return configs.flatMap((config) => {
    const provider: Provider = {
      id: config.id,
      label: config.label,
      baseURL: config.baseURL,
      apiKeyEnv: config.apiKeyEnv,
      baseURLEnv: baseURLEnvOf(config.id),
      publicBaseURL: config.publicBaseURL ? config.baseURL : undefined,
      structuredOutputs: config.structuredOutputs ?? "best-effort",
      // Accepted by OpenRouter, vLLM, Groq and Cerebras (shared/spec/instruments.md §2);
      // llama.cpp's server wants reasoning_content.
      reasoningField: config.reasoningField ?? "reasoning",
    };
    return config.models.map((m) => ({
      // Provider-scoped so that two providers can serve the same upstream model.
      id: `${config.id}:${m.id}`,
      label: m.label ?? m.id,
      upstreamId: m.id,
      provider,
      contextWindow: m.contextWindow,
    }));
  });
}

let cached: { models: ModelEntry[]; defaultModel: string } | undefined;

export function registry(): { models: ModelEntry[]; defaultModel: string } {
  if (cached) return cached;
  const e = env();
  const models = [
    ...builtInModels(e.AIMLAPI_BASE_URL, e.AIMLAPI_REASONING_FIELD),
    ...configuredModels(e.THINKPANE_PROVIDERS),
  ];
  const ids = new Set<string>();
  for (const m of models) {
    if (ids.has(m.id))
      throw new EnvError(`THINKPANE_PROVIDERS: model id "${m.id}" is defined twice`);
    ids.add(m.id);
  }
  const defaultModel = e.THINKPANE_DEFAULT_MODEL ?? "openai/gpt-oss-120b";
  if (!ids.has(defaultModel)) {
    throw new EnvError(`THINKPANE_DEFAULT_MODEL: "${defaultModel}" is not a configured model id`);
  }
  cached = { models, defaultModel };
  return cached;
}

function apiKeyOf(entry: ModelEntry): string | undefined {
  // Keyed on the variable, not the provider id: a configured provider may also be called "aimlapi".
  if (entry.provider.apiKeyEnv === AIMLAPI.apiKeyEnv) return env().AIMLAPI_API_KEY;
  return entry.provider.apiKeyEnv ? readSecret(entry.provider.apiKeyEnv) : undefined;
}

export function toPublicModel(entry: ModelEntry): PublicModel {
  const missing = entry.provider.apiKeyEnv !== undefined && apiKeyOf(entry) === undefined;
  return {
    id: entry.id,
    label: entry.label,
    provider: entry.provider.label,
    contextWindow: entry.contextWindow,
    structuredOutputs: entry.provider.structuredOutputs,
    reasoningField: entry.provider.reasoningField,
    ready: !missing,
    ...(missing ? { missingEnv: entry.provider.apiKeyEnv } : {}),
  };
}

export function publicModels(): { models: PublicModel[]; defaultModel: string } {
  const { models, defaultModel } = registry();
  return { models: models.map(toPublicModel), defaultModel };
}

/** Where View code's snippets send a request: variable names, and a URL only when public. */
export function codeTargetOf(entry: ModelEntry): CodeTarget {
  return {
    providerId: entry.provider.id,
    provider: entry.provider.label,
    keyEnv: entry.provider.apiKeyEnv,
    baseURLEnv: entry.provider.baseURLEnv,
    ...(entry.provider.publicBaseURL ? { baseURL: entry.provider.publicBaseURL } : {}),
  };
}

/**
 * The target for a request recorded earlier: its model's current entry, or, when that model is no
 * longer configured, the provider it went to, with no URL (it may not be public).
 */
export function codeTargetOfRecorded(
  modelId: string,
  provider: { id: string; label: string },
): CodeTarget {
  const entry = registry().models.find((m) => m.id === modelId);
  if (entry && entry.provider.id === provider.id) return codeTargetOf(entry);
  return {
    providerId: provider.id,
    provider: provider.label,
    baseURLEnv: baseURLEnvOf(provider.id),
  };
}

/** The model behind a public id, with its key. Throws a coded error for unknown ids and missing keys. */
export function resolveModel(id: string): ResolvedModel {
  const entry = registry().models.find((m) => m.id === id);
  if (!entry) {
    throw new ThinkpaneError("bad_request:unknown_model", {
      message: `Unknown model "${id.slice(0, 100)}". Pick one of the configured models.`,
      details: { field: "settings.model" },
    });
  }
  const apiKey = apiKeyOf(entry);
  if (entry.provider.apiKeyEnv && !apiKey) {
    throw new ThinkpaneError("config:missing_key", {
      message: `No API key is configured for ${entry.provider.label}. Set ${entry.provider.apiKeyEnv} in the server's environment and restart it.`,
      details: { envVar: entry.provider.apiKeyEnv },
    });
  }
  return { ...entry, apiKey };
}

/** The window assumed for a configured model that does not state one: gpt-oss's. */
export const DEFAULT_CONTEXT_WINDOW = 131_072;

/**
 * A turn's output budget fits the model's context window: a larger one can never be used, and
 * it would let a single request ask the upstream for unbounded work. Refused like any invalid
 * field, before anything is stored.
 */
export function checkOutputBudget(model: ModelEntry, params: ParamValues): void {
  const limit = model.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const value = params.max_completion_tokens;
  if (value === undefined || value <= limit) return;
  const field = "settings.params.max_completion_tokens";
  throw new ThinkpaneError("bad_request:invalid_body", {
    message: `Invalid field "${field}": at most ${limit}, the context window of ${model.label}.`,
    details: { field },
  });
}

export function resetRegistryForTests(): void {
  cached = undefined;
}
