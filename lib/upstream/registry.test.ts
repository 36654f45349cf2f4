import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { env, EnvError } from "@/lib/env";
import { ThinkpaneError } from "@/lib/errors";
import { codeTargetOf, publicModels, registry, resolveModel } from "./registry";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";

const AIMLAPI_KEY = "sk-aimlapi-REGISTRY-test-91c2";
const GROQ_KEY = "gsk-groq-REGISTRY-test-55aa";

const groq = {
  id: "groq",
  label: "Groq",
  baseURL: "https://api.groq.com/openai/v1",
  apiKeyEnv: "THINKPANE_TEST_GROQ_KEY",
  structuredOutputs: "strict",
  reasoningField: "reasoning_content",
  models: [{ id: "openai/gpt-oss-120b", label: "gpt-oss-120b (Groq)", contextWindow: 131_072 }],
};
const ollama = {
  id: "local",
  label: "Ollama",
  baseURL: "http://127.0.0.1:11434/v1",
  models: [{ id: "gpt-oss:20b" }],
};

const VARS = [...ENV_VARS, "THINKPANE_TEST_GROQ_KEY"];

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

function thinkpaneError(fn: () => unknown): ThinkpaneError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(ThinkpaneError);
  return error as ThinkpaneError;
}

function envError(fn: () => unknown): EnvError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(EnvError);
  return error as EnvError;
}

beforeEach(() => {
  configureEnv(Object.fromEntries(VARS.map((name) => [name, undefined])));
});

afterEach(() => {
  restoreEnv();
});

describe("registry: built-in models", () => {
  it("offers gpt-oss-120b (default) and gpt-oss-20b from AI/ML API", () => {
    configureEnv({ AIMLAPI_API_KEY: AIMLAPI_KEY });
    const { models, defaultModel } = publicModels();
    expect(defaultModel).toBe("openai/gpt-oss-120b");
    expect(models).toEqual([
      {
        id: "openai/gpt-oss-120b",
        label: "gpt-oss-120b",
        provider: "AI/ML API",
        contextWindow: 131_072,
        structuredOutputs: "best-effort",
        reasoningField: "reasoning",
        ready: true,
      },
      {
        id: "openai/gpt-oss-20b",
        label: "gpt-oss-20b",
        provider: "AI/ML API",
        contextWindow: 131_072,
        structuredOutputs: "best-effort",
        reasoningField: "reasoning",
        ready: true,
      },
    ]);
  });

  it("resolves a model to its upstream, base URL and key", () => {
    configureEnv({ AIMLAPI_API_KEY: AIMLAPI_KEY, AIMLAPI_BASE_URL: "http://127.0.0.1:4010/v1" });
    const model = resolveModel("openai/gpt-oss-20b");
    expect(model.upstreamId).toBe("openai/gpt-oss-20b");
    expect(model.provider.baseURL).toBe("http://127.0.0.1:4010/v1");
    expect(model.apiKey).toBe(AIMLAPI_KEY);
  });

  it("marks models not ready without AIMLAPI_API_KEY, and refuses to resolve them", () => {
    const { models } = publicModels();
    expect(models.map((m) => [m.ready, m.missingEnv])).toEqual([
      [false, "AIMLAPI_API_KEY"],
      [false, "AIMLAPI_API_KEY"],
    ]);
    const error = thinkpaneError(() => resolveModel("openai/gpt-oss-120b"));
    expect(error.code).toBe("config:missing_key");
    expect(error.status).toBe(503);
    expect(error.details.envVar).toBe("AIMLAPI_API_KEY");
  });

  it("refuses an unknown model id with bad_request:unknown_model", () => {
    configureEnv({ AIMLAPI_API_KEY: AIMLAPI_KEY });
    for (const id of ["gpt-4o", "https://evil.example/v1", "groq:openai/gpt-oss-120b", ""]) {
      const error = thinkpaneError(() => resolveModel(id));
      expect(error.code).toBe("bad_request:unknown_model");
      expect(error.status).toBe(400);
      expect(error.details.field).toBe("settings.model");
    }
  });

  it("takes AI/ML API's reasoning field from AIMLAPI_REASONING_FIELD, `reasoning` by default", () => {
    configureEnv({ AIMLAPI_API_KEY: AIMLAPI_KEY });
    expect(resolveModel("openai/gpt-oss-120b").provider.reasoningField).toBe("reasoning");
    configureEnv({ AIMLAPI_REASONING_FIELD: "reasoning_content" });
    expect(resolveModel("openai/gpt-oss-120b").provider.reasoningField).toBe("reasoning_content");
    configureEnv({ AIMLAPI_REASONING_FIELD: "reasoning_details" });
    expect(envError(() => registry()).message).toMatch(/AIMLAPI_REASONING_FIELD/);
  });

  it("honours THINKPANE_DEFAULT_MODEL and refuses one that is not configured", () => {
    configureEnv({ THINKPANE_DEFAULT_MODEL: "openai/gpt-oss-20b" });
    expect(registry().defaultModel).toBe("openai/gpt-oss-20b");
    configureEnv({ THINKPANE_DEFAULT_MODEL: "nope" });
    expect(envError(() => registry()).message).toMatch(/THINKPANE_DEFAULT_MODEL/);
  });
});

describe("registry: THINKPANE_PROVIDERS", () => {
  it("adds provider-scoped model ids", () => {
    configureEnv({
      AIMLAPI_API_KEY: AIMLAPI_KEY,
      THINKPANE_PROVIDERS: JSON.stringify([groq, ollama]),
    });
    const { models } = publicModels();
    expect(models.map((m) => m.id)).toEqual([
      "openai/gpt-oss-120b",
      "openai/gpt-oss-20b",
      "groq:openai/gpt-oss-120b",
      "local:gpt-oss:20b",
    ]);
    expect(models[2]).toEqual({
      id: "groq:openai/gpt-oss-120b",
      label: "gpt-oss-120b (Groq)",
      provider: "Groq",
      contextWindow: 131_072,
      structuredOutputs: "strict",
      reasoningField: "reasoning_content",
      ready: false,
      missingEnv: "THINKPANE_TEST_GROQ_KEY",
    });
    // No key needed for a local server: ready, label defaults to the upstream id.
    expect(models[3]).toEqual({
      id: "local:gpt-oss:20b",
      label: "gpt-oss:20b",
      provider: "Ollama",
      contextWindow: undefined,
      // Unsaid: best effort, so the answer is always checked here.
      structuredOutputs: "best-effort",
      // Unsaid: `reasoning`, which no server we know refuses.
      reasoningField: "reasoning",
      ready: true,
    });

    const local = resolveModel("local:gpt-oss:20b");
    expect(local.upstreamId).toBe("gpt-oss:20b");
    expect(local.provider.baseURL).toBe("http://127.0.0.1:11434/v1");
    expect(local.apiKey).toBeUndefined();

    const missing = thinkpaneError(() => resolveModel("groq:openai/gpt-oss-120b"));
    expect(missing.code).toBe("config:missing_key");
    expect(missing.details.envVar).toBe("THINKPANE_TEST_GROQ_KEY");
  });

  it("reads a provider's key from the variable its config names", () => {
    configureEnv({
      THINKPANE_PROVIDERS: JSON.stringify([groq]),
      THINKPANE_TEST_GROQ_KEY: GROQ_KEY,
    });
    const model = resolveModel("groq:openai/gpt-oss-120b");
    expect(model.apiKey).toBe(GROQ_KEY);
    expect(model.upstreamId).toBe("openai/gpt-oss-120b");
    expect(model.provider.baseURL).toBe("https://api.groq.com/openai/v1");
    expect(publicModels().models.find((m) => m.id === "groq:openai/gpt-oss-120b")?.ready).toBe(
      true,
    );
  });

  it("View code shows the built-in public URL, and a configured one only when marked public", () => {
    configureEnv({
      // A private mirror of the built-in provider: its address stays on the server.
      AIMLAPI_BASE_URL: "http://10.0.0.7:8080/v1",
      AIMLAPI_API_KEY: AIMLAPI_KEY,
      THINKPANE_PROVIDERS: JSON.stringify([
        { ...groq, publicBaseURL: true },
        { ...ollama, id: "my-vllm" },
      ]),
      THINKPANE_TEST_GROQ_KEY: GROQ_KEY,
    });
    const target = (id: string) => codeTargetOf(registry().models.find((m) => m.id === id)!);
    expect(target("openai/gpt-oss-120b")).toEqual({
      providerId: "aimlapi",
      provider: "AI/ML API",
      keyEnv: "AIMLAPI_API_KEY",
      baseURLEnv: "AIMLAPI_BASE_URL",
      baseURL: "https://api.aimlapi.com/v1",
    });
    expect(target("groq:openai/gpt-oss-120b")).toEqual({
      providerId: "groq",
      provider: "Groq",
      keyEnv: "THINKPANE_TEST_GROQ_KEY",
      baseURLEnv: "GROQ_BASE_URL",
      baseURL: "https://api.groq.com/openai/v1",
    });
    expect(target("my-vllm:gpt-oss:20b")).toEqual({
      providerId: "my-vllm",
      provider: "Ollama",
      keyEnv: undefined,
      baseURLEnv: "MY_VLLM_BASE_URL",
    });
    expect(JSON.stringify(registry().models.map(codeTargetOf))).not.toContain("10.0.0.7");
  });

  it("publicBaseURL must be a boolean", () => {
    configureEnv({ THINKPANE_PROVIDERS: JSON.stringify([{ ...groq, publicBaseURL: "yes" }]) });
    expect(() => registry()).toThrow(/publicBaseURL/);
  });

  it('never gives a configured provider the AI/ML API key, even one with the id "aimlapi"', () => {
    const lookalike = {
      id: "aimlapi",
      label: "Local proxy",
      baseURL: "http://127.0.0.1:9999/v1",
      models: [{ id: "gpt-oss" }],
    };
    configureEnv({
      AIMLAPI_API_KEY: AIMLAPI_KEY,
      THINKPANE_PROVIDERS: JSON.stringify([lookalike]),
    });
    const model = resolveModel("aimlapi:gpt-oss");
    expect(model.provider.baseURL).toBe("http://127.0.0.1:9999/v1");
    expect(model.apiKey).toBeUndefined();
    expect(resolveModel("openai/gpt-oss-120b").apiKey).toBe(AIMLAPI_KEY);
  });

  it("never exposes a URL, a key or a variable's value in the public list", () => {
    configureEnv({
      AIMLAPI_API_KEY: AIMLAPI_KEY,
      AIMLAPI_BASE_URL: "https://proxy.internal.example/v1",
      THINKPANE_PROVIDERS: JSON.stringify([groq, ollama]),
      THINKPANE_TEST_GROQ_KEY: GROQ_KEY,
    });
    const serialized = JSON.stringify(publicModels());
    expect(serialized).not.toContain("http");
    expect(serialized).not.toContain("example");
    expect(serialized).not.toContain("11434");
    for (const key of [AIMLAPI_KEY, GROQ_KEY]) {
      expect(serialized).not.toContain(key);
      expect(serialized).not.toContain(key.slice(4, 16));
    }
    for (const model of publicModels().models) {
      expect(Object.keys(model).sort()).toEqual(
        expect.arrayContaining(["id", "label", "provider", "ready"]),
      );
      expect(model).not.toHaveProperty("baseURL");
      expect(model).not.toHaveProperty("apiKey");
    }
  });

  it.each([
    ["invalid JSON", "[{id:"],
    ["not an array", JSON.stringify(groq)],
    [
      "a NEXT_PUBLIC_ key variable",
      JSON.stringify([{ ...groq, apiKeyEnv: "NEXT_PUBLIC_GROQ_KEY" }]),
    ],
    ["a lower-case key variable", JSON.stringify([{ ...groq, apiKeyEnv: "groq_key" }])],
    ["a bad URL", JSON.stringify([{ ...groq, baseURL: "not a url" }])],
    ["a non-http URL", JSON.stringify([{ ...groq, baseURL: "file:///etc/passwd" }])],
    ["an invalid provider id", JSON.stringify([{ ...groq, id: "Groq Cloud" }])],
    ["no models", JSON.stringify([{ ...groq, models: [] }])],
    ["an unknown field", JSON.stringify([{ ...groq, apiKey: "sk-inline" }])],
  ])("refuses %s with an EnvError naming THINKPANE_PROVIDERS", (_what, value) => {
    configureEnv({ THINKPANE_PROVIDERS: value });
    expect(envError(() => env()).message).toContain("THINKPANE_PROVIDERS");
    // Everything that needs the registry fails the same way.
    expect(envError(() => publicModels()).message).toContain("THINKPANE_PROVIDERS");
  });

  it("names the variable that must not be NEXT_PUBLIC_", () => {
    configureEnv({
      THINKPANE_PROVIDERS: JSON.stringify([{ ...groq, apiKeyEnv: "NEXT_PUBLIC_GROQ_KEY" }]),
    });
    expect(envError(() => env()).message).toMatch(
      /THINKPANE_PROVIDERS\.0\.apiKeyEnv: .*NEXT_PUBLIC_/,
    );
  });

  it("refuses the same model id defined twice", () => {
    configureEnv({ THINKPANE_PROVIDERS: JSON.stringify([groq, { ...groq, label: "Groq again" }]) });
    expect(envError(() => registry()).message).toMatch(/THINKPANE_PROVIDERS/);
  });

  it("treats a blank THINKPANE_PROVIDERS as none", () => {
    configureEnv({ THINKPANE_PROVIDERS: "  " });
    expect(publicModels().models).toHaveLength(2);
  });
});
