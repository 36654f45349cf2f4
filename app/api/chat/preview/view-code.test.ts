import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { tag, uniqueKey } from "@/e2e/fake-upstream/client";
import { sequence, stream } from "@/e2e/fake-upstream/scenario";
import { finalAnswerScenario, toolCallScenario } from "@/e2e/fake-upstream/tools";
import { codeTabs, type CodeTarget, type RequestBody, withStream } from "@/lib/code";
import { PYTHON_OPENAI_ARGUMENTS } from "@/lib/code/python-openai";
import type { Settings } from "@/lib/params";
import { chatRequest, submitBody } from "@/lib/testing/chat-request";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { setupChatRoute } from "../route-harness";
import { POST as CHAT } from "../route";
import { POST as PREVIEW } from "./route";

/**
 * View code, end to end on the server side: for each combination of parameters, the preview's
 * body must be the body the proxy then sends on Send (the fake upstream records both), and each
 * generated snippet, run as-is with the key and base-URL variables set, must make the fake
 * upstream receive that same body, streaming and not.
 */

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const route = setupChatRoute();
const run = promisify(execFile);
const SNIPPET_KEY = "sk-snippet-TEST-5d1c";
const MODEL = "openai/gpt-oss-120b";

/** Snippets live under node_modules, so that Node resolves `openai`, `ai` and the provider. */
let dir: string;
/** A stand-in `openai` Python package that records the call (the real one is not installed here). */
let stubDir: string;

beforeAll(async () => {
  const cache = path.join(process.cwd(), "node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  dir = await mkdtemp(path.join(cache, "view-code-"));
  stubDir = await mkdtemp(path.join(tmpdir(), "openai-stub-"));
  await mkdir(path.join(stubDir, "openai"));
  await writeFile(
    path.join(stubDir, "openai", "__init__.py"),
    [
      "import json, os, sys",
      "class _Completions:",
      "    def __init__(self, client):",
      "        self.client = client",
      "    def create(self, **kwargs):",
      '        with open(os.environ["OPENAI_STUB_OUT"], "w") as f:',
      '            json.dump({"client": self.client, "kwargs": kwargs}, f)',
      "        sys.exit(0)",
      "class _Chat:",
      "    def __init__(self, client):",
      "        self.completions = _Completions(client)",
      "class OpenAI:",
      "    def __init__(self, base_url=None, api_key=None):",
      '        self.chat = _Chat({"base_url": base_url, "api_key": api_key})',
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(stubDir, { recursive: true, force: true });
});

async function chat(
  browser: TestBrowser,
  conversationId: string,
  text: string,
  settings: Settings,
) {
  const response = await browser.run(() =>
    CHAT(chatRequest(submitBody(conversationId, text, { settings }))),
  );
  expect(response.status).toBe(200);
  // Read to the end: the turn is saved by then.
  await response.text();
}

async function preview(browser: TestBrowser, input: unknown): Promise<Response> {
  return browser.run(() =>
    PREVIEW(
      new Request("http://localhost/api/chat/preview", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      }),
    ),
  );
}

type Preview = { body: RequestBody; target: CodeTarget };

async function previewOk(browser: TestBrowser, input: unknown): Promise<Preview> {
  const response = await preview(browser, input);
  expect(response.status).toBe(200);
  return (await response.json()) as Preview;
}

function withoutStream(body: RequestBody): RequestBody {
  const { stream: _s, stream_options: _o, ...rest } = body;
  return rest;
}

/** Runs a snippet file the way its reader would; returns its output. */
async function runSnippet(language: string, file: string, env: Record<string, string>) {
  const command = language === "bash" ? "bash" : language === "python" ? "python3" : "node";
  const { stdout } = await run(command, [file], {
    cwd: dir,
    timeout: 30_000,
    // Nothing of the test runner's environment but PATH: the snippet sees what its reader sets.
    env: {
      NODE_ENV: "production",
      // The test runner's PATH, not the app's configuration.
      // eslint-disable-next-line no-restricted-syntax
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: tmpdir(),
      ...env,
    },
  });
  return stdout;
}

/**
 * Runs every tab's snippet for `previews` (streaming and not) against the fake upstream: each must
 * send the preview's body. `sent` is how many requests `key` has had so far.
 */
async function expectEverySnippetSends(
  key: string,
  { live, once }: { live: Preview; once: Preview },
  sent: number,
) {
  const env = { AIMLAPI_API_KEY: SNIPPET_KEY, AIMLAPI_BASE_URL: route.baseURL };
  let expected = sent;
  for (const [mode, preview] of [
    ["stream", live],
    ["once", once],
  ] as const) {
    for (const tab of codeTabs) {
      const code = tab.generate({ ...preview, stream: mode === "stream" });
      expect(code).not.toContain(SNIPPET_KEY);
      expect(code).not.toContain(route.apiKey);
      const file = path.join(dir, `${key}-${mode}-${tab.filename}`);
      await writeFile(file, code);
      if (tab.label === "Python (openai)") {
        await run("python3", ["-m", "py_compile", file]);
        const out = path.join(dir, `${key}-${mode}-openai.json`);
        await runSnippet("python", file, {
          ...env,
          PYTHONPATH: stubDir,
          OPENAI_STUB_OUT: out,
        });
        const recorded = JSON.parse(await readFile(out, "utf8")) as {
          client: { base_url: string; api_key: string };
          kwargs: RequestBody & { extra_body?: RequestBody };
        };
        expect(recorded.client).toEqual({ base_url: route.baseURL, api_key: SNIPPET_KEY });
        const { extra_body: extra = {}, ...args } = recorded.kwargs;
        for (const name of Object.keys(args)) expect(PYTHON_OPENAI_ARGUMENTS).toContain(name);
        for (const name of Object.keys(extra)) expect(PYTHON_OPENAI_ARGUMENTS).not.toContain(name);
        expect({ ...args, ...extra }).toEqual(preview.body);
        continue;
      }
      const output = await runSnippet(tab.language, file, env);
      const received = await route.control.waitForRequest(key, { count: ++expected });
      expect(received.body, `${tab.label} (${mode})`).toEqual(preview.body);
      expect(received.headers.authorization).toBe(`Bearer ${SNIPPET_KEY}`);
      if (mode === "stream" && tab.label !== "curl") {
        expect(output, tab.label).toContain("Thinking it over.");
        expect(output, tab.label).toContain("The answer.");
      } else expect(output, tab.label).toContain('"The answer."');
    }
  }
}

type Combination = {
  name: string;
  settings: Omit<Settings, "model">;
  history: number;
  /** The field the fake streams reasoning in: the snippets read both. */
  reasoningField?: "reasoning_content" | "reasoning";
};

const combinations: Combination[] = [
  {
    name: "json_schema response format and a system prompt",
    history: 0,
    settings: {
      system: 'You answer in JSON. Quotes " and \\ and a newline\nstay intact.',
      params: {
        reasoning_effort: "low",
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "verdict",
            strict: true,
            schema: {
              type: "object",
              properties: { ok: { type: "boolean" }, "odd key's": { type: "string" } },
              required: ["ok"],
              additionalProperties: false,
            },
          },
        },
      },
    },
  },
  {
    name: "logit_bias and a three-turn history",
    history: 3,
    reasoningField: "reasoning",
    settings: { params: { logit_bias: { "50256": -100, "1234": 5.5 }, temperature: 0.7 } },
  },
  {
    name: "top_k, min_p, seed and reasoning effort",
    history: 1,
    settings: {
      params: { top_k: 40, min_p: 0.05, seed: 42, reasoning_effort: "high", top_p: 0.9 },
    },
  },
  {
    name: "everything at once",
    history: 3,
    settings: {
      system: "Be terse. Ünïcödé ✓",
      params: {
        temperature: 1,
        top_p: 1,
        top_k: 20,
        min_p: 0.001,
        top_a: 0.2,
        repetition_penalty: 1.1,
        frequency_penalty: 0.5,
        presence_penalty: -0.5,
        max_completion_tokens: 2048,
        seed: 7,
        reasoning_effort: "medium",
        response_format: { type: "json_object" },
        logit_bias: { "42": -1 },
        provider: "openrouter",
      },
    },
  },
];

describe("View code", () => {
  it.each(combinations)(
    "$name: preview, Send and every snippet send the same body",
    async ({ settings: partial, history, reasoningField }) => {
      const settings: Settings = { model: MODEL, ...partial };
      const browser = new TestBrowser();
      const conversationId = uniqueId("c");
      for (let turn = 1; turn <= history; turn++) {
        const key = uniqueKey("vc-history");
        await route.control.script(
          key,
          stream({ reasoning: ["Earlier reasoning."], answer: [`Answer ${turn}.`] }),
        );
        await chat(browser, conversationId, `${tag(key)} Question ${turn}`, settings);
      }

      const key = uniqueKey("vc");
      await route.control.script(
        key,
        stream({ reasoning: ["Thinking it over."], answer: ["The answer."], reasoningField }),
      );
      const text = `${tag(key)} Final question, with 'quotes' and "doubles"`;
      const live = await previewOk(browser, { settings, conversationId, text, stream: true });
      const once = await previewOk(browser, { settings, conversationId, text, stream: false });

      // The dry run sent nothing upstream, and the server's key is nowhere in what it returned.
      expect(await route.control.requests(key)).toHaveLength(0);
      expect(JSON.stringify([live, once])).not.toContain(route.apiKey);

      await chat(browser, conversationId, text, settings);
      const sent = (await route.control.waitForRequest(key)).body as RequestBody;
      expect(live.body).toEqual(sent);
      expect(once.body).toEqual(withoutStream(sent));
      expect(sent.messages).toHaveLength(2 * history + 1 + (settings.system ? 1 : 0));
      expect(live.target).toEqual({
        providerId: "aimlapi",
        provider: "AI/ML API",
        keyEnv: "AIMLAPI_API_KEY",
        baseURLEnv: "AIMLAPI_BASE_URL",
        baseURL: "https://api.aimlapi.com/v1",
      });

      await expectEverySnippetSends(key, { live, once }, 1);
    },
    120_000,
  );
});

describe("View code of a tool loop's request", () => {
  it("tools, tool_choice, the call, its result and the reasoning sent back: every snippet sends the same body", async () => {
    const browser = new TestBrowser();
    const conversationId = uniqueId("c");
    const key = uniqueKey("vc-tools");
    const settings: Settings = {
      model: MODEL,
      params: {
        tools: [
          {
            name: "get_weather",
            description: "The current weather in a city.",
            parameters: {
              type: "object",
              properties: { city: { type: "string" }, "unit's": { enum: ["C", "F"] } },
              required: ["city"],
              additionalProperties: false,
            },
            enabled: true,
          },
          { name: "search-web", parameters: { type: "object", properties: {} }, enabled: true },
        ],
        tool_choice: { type: "function", function: { name: "get_weather" } },
        parallel_tool_calls: false,
      },
    };
    await route.control.script(
      key,
      sequence(
        toolCallScenario({
          name: "get_weather",
          id: "call_weather_1",
          args: { city: "Paris" },
          preamble: "Let me check.",
        }),
        finalAnswerScenario("Sunny in Paris."),
      ),
    );
    const first = await browser.run(() =>
      CHAT(chatRequest(submitBody(conversationId, `${tag(key)} Weather in Paris?`, { settings }))),
    );
    expect(first.status).toBe(200);
    const sse = await first.text();
    const messageId = /"type":"start",.*?"messageId":"([^"]+)"/.exec(sse)?.[1];
    expect(messageId).toBeDefined();
    const loop = await browser.run(() =>
      CHAT(
        chatRequest({
          conversationId,
          trigger: "submit-tool-results",
          messageId,
          results: [{ toolCallId: "call_weather_1", output: '{"temp_c": 21, "sky": "clear"}' }],
          settings,
        }),
      ),
    );
    expect(loop.status).toBe(200);
    await loop.text();
    const body = (await route.control.waitForRequest(key, { count: 2 })).body as RequestBody;
    // The request View code must reproduce: the call with its preamble and the reasoning in the
    // provider's field (AI/ML API: `reasoning`), then the result.
    expect(body.messages).toEqual([
      { role: "user", content: `${tag(key)} Weather in Paris?` },
      {
        role: "assistant",
        content: "Let me check.",
        reasoning: expect.stringContaining("get_weather") as unknown,
        tool_calls: [
          {
            id: "call_weather_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_weather_1", content: '{"temp_c": 21, "sky": "clear"}' },
    ]);
    // The first request forced the call; the one carrying its result lets the model answer.
    const [asked] = await route.control.requests(key);
    expect((asked?.body as RequestBody).tool_choice).toEqual({
      type: "function",
      function: { name: "get_weather" },
    });
    expect(body.tool_choice).toBe("auto");

    await route.control.script(
      key,
      stream({ reasoning: ["Thinking it over."], answer: ["The answer."] }),
    );
    const target: CodeTarget = {
      providerId: "aimlapi",
      provider: "AI/ML API",
      keyEnv: "AIMLAPI_API_KEY",
      baseURLEnv: "AIMLAPI_BASE_URL",
      baseURL: "https://api.aimlapi.com/v1",
    };
    await expectEverySnippetSends(
      key,
      {
        live: { body: withStream(body, true), target },
        once: { body: withStream(body, false), target },
      },
      2,
    );
  }, 120_000);
});

describe("POST /api/chat/preview", () => {
  it("an empty composer is Hello, a new conversation has no history", async () => {
    const { body } = await previewOk(new TestBrowser(), {
      settings: { model: MODEL, params: { seed: 3 } },
      conversationId: uniqueId("c"),
      text: "  ",
    });
    expect(body).toEqual({
      model: MODEL,
      messages: [{ role: "user", content: "Hello" }],
      seed: 3,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("names the field at fault", async () => {
    const response = await preview(new TestBrowser(), {
      settings: { model: MODEL, params: { temperature: 9 } },
    });
    expect(response.status).toBe(400);
    const payload = (await response.json()) as { error: { details: { field: string } } };
    expect(payload.error.details.field).toBe("settings.params.temperature");
    const unknown = await preview(new TestBrowser(), { settings: { model: MODEL }, url: "x" });
    expect(unknown.status).toBe(400);
  });

  it("someone else's conversation is not found, and its history never shows", async () => {
    const owner = new TestBrowser();
    const conversationId = uniqueId("c");
    const key = uniqueKey("vc-private");
    await route.control.script(key, stream({ answer: ["Secret answer."] }));
    await chat(owner, conversationId, `${tag(key)} A private question`, {
      model: MODEL,
      params: {},
    });
    const response = await preview(new TestBrowser(), {
      settings: { model: MODEL },
      conversationId,
      text: "Hi",
    });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("private question");
  });

  it("an unknown model is a 400 naming settings.model", async () => {
    const response = await preview(new TestBrowser(), { settings: { model: "nope" } });
    expect(response.status).toBe(400);
  });
});
