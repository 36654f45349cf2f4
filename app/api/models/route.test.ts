import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModelsResponse } from "@/lib/types";
import { GET } from "./route";
import { configureEnv, restoreEnv } from "@/lib/testing/env";

const API_KEY = "sk-models-route-TEST-0a9f";

beforeEach(() => {
  configureEnv({
    AIMLAPI_API_KEY: API_KEY,
    AIMLAPI_BASE_URL: "https://gateway.internal.example/v1",
    THINKPANE_PROVIDERS: JSON.stringify([
      {
        id: "local",
        label: "vLLM",
        baseURL: "http://10.0.0.5:8000/v1",
        apiKeyEnv: "THINKPANE_TEST_VLLM_KEY",
        models: [{ id: "openai/gpt-oss-120b" }],
      },
    ]),
    THINKPANE_TEST_VLLM_KEY: undefined,
    THINKPANE_DEFAULT_MODEL: undefined,
  });
});

afterEach(() => {
  restoreEnv();
});

describe("GET /api/models", () => {
  it("lists ids, labels and readiness, uncached, with no URL or key", async () => {
    const response = GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain("http");
    expect(text).not.toContain("10.0.0.5");
    const body = JSON.parse(text) as ModelsResponse;
    expect(body.defaultModel).toBe("openai/gpt-oss-120b");
    expect(body.models.map((m) => [m.id, m.ready, m.missingEnv])).toEqual([
      ["openai/gpt-oss-120b", true, undefined],
      ["openai/gpt-oss-20b", true, undefined],
      ["local:openai/gpt-oss-120b", false, "THINKPANE_TEST_VLLM_KEY"],
    ]);
  });
});
