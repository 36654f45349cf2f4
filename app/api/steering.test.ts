import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeUpstreamControl, tag, uniqueKey } from "@/e2e/fake-upstream/client";
import {
  DEFAULT_ANSWER,
  errorBodies,
  httpError,
  stream,
  type RecordedRequest,
} from "@/e2e/fake-upstream/scenario";
import { startFakeUpstream, type FakeUpstream } from "@/e2e/fake-upstream/server";
import { closeDb, getDb } from "@/lib/db/client";
import { ThinkpaneError, type ErrorPayload } from "@/lib/errors";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { configureEnv, ENV_VARS, restoreEnv } from "@/lib/testing/env";
import { sseData } from "@/lib/testing/sse";
import { POST as CHAT } from "./chat/route";
import { GET as EXPORT } from "./conversations/[id]/export/route";
import { POST as IMPORT } from "./conversations/import/route";
import { GET as HEALTH } from "./health/route";
import { GET as MODELS } from "./models/route";

/**
 * Everything the browser controls (headers, body fields, model ids, the URL it posts to) is tried
 * as a way to steer the server's upstream call elsewhere or to get at the key. The configured
 * upstream is the fake; a second server, the attacker, records every request that reaches it and
 * must see none. No response, stored turn or log line may contain a key.
 */

vi.mock("next/headers", () => import("@/lib/testing/browser"));

const API_KEY = "sk-STEER-only-to-the-configured-upstream-5d1c9e";
/** The key of a second configured provider, which must reach that provider and no other. */
const OTHER_KEY = "sk-STEER-other-provider-83b2f0";
/** What a browser might present as a key of its own. It must reach no upstream. */
const BROWSER_TOKEN = "sk-browser-supplied-d4e7a1";
const MODEL = "openai/gpt-oss-120b";

type Hit = { method: string; url: string; headers: http.IncomingHttpHeaders };

/** Answers anything with 200 and remembers it. A hit means the server was steered here. */
async function startAttacker() {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    hits,
    host,
    origin: `http://${host}`,
    baseURL: `http://${host}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let upstream: FakeUpstream;
let control: FakeUpstreamControl;
/** A second configured upstream: a keyless local server and a provider with a key of its own. */
let local: FakeUpstream;
let localControl: FakeUpstreamControl;
let attacker: Awaited<ReturnType<typeof startAttacker>>;
let dataDir: string;
let browser: TestBrowser;
let bodies: string[];
let logs: string[];

function baseEnv(): Record<string, string | undefined> {
  return {
    ...Object.fromEntries(ENV_VARS.map((name) => [name, undefined])),
    AIMLAPI_BASE_URL: upstream.baseURL,
    AIMLAPI_API_KEY: API_KEY,
    UPSTREAM_MAX_RETRIES: "0",
    DATA_DIR: dataDir,
    THINKPANE_PROVIDERS: JSON.stringify([
      {
        // Its key is not set, so its (hostile) base URL must never be called.
        id: "unkeyed",
        label: "Provider without its key",
        baseURL: attacker.baseURL,
        apiKeyEnv: "THINKPANE_TEST_UNSET_KEY",
        models: [{ id: MODEL }],
      },
      { id: "local", label: "Local server", baseURL: local.baseURL, models: [{ id: MODEL }] },
      {
        id: "other",
        label: "Other provider",
        baseURL: local.baseURL,
        apiKeyEnv: "THINKPANE_TEST_OTHER_KEY",
        models: [{ id: "openai/gpt-oss-20b" }],
      },
    ]),
    THINKPANE_TEST_UNSET_KEY: undefined,
    THINKPANE_TEST_OTHER_KEY: OTHER_KEY,
  };
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  control = new FakeUpstreamControl(upstream.origin);
  local = await startFakeUpstream();
  localControl = new FakeUpstreamControl(local.origin);
  attacker = await startAttacker();
  dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-steering-"));
  configureEnv(baseEnv());
  await getDb();
}, 30_000);

afterAll(async () => {
  await closeDb();
  restoreEnv();
  await rm(dataDir, { recursive: true, force: true });
  await Promise.all([upstream?.close(), local?.close(), attacker?.close()]);
});

beforeEach(() => {
  configureEnv(baseEnv());
  browser = new TestBrowser();
  bodies = [];
  logs = [];
  attacker.hits.length = 0;
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map((arg) => (typeof arg === "string" ? arg : String(arg))).join(" "));
    });
  }
});

afterEach(() => {
  expect(attacker.hits).toEqual([]);
  for (const text of [...bodies, ...logs]) {
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(OTHER_KEY);
  }
  restoreEnv();
});

type ChatBody = Record<string, unknown> & {
  conversationId: string;
  settings: Record<string, unknown>;
};

/** A new message tagged for the fake's scenario `key`. */
function submit(key: string, settings: Record<string, unknown> = {}): ChatBody {
  return {
    conversationId: uniqueId("c"),
    trigger: "submit-message",
    message: { id: uniqueId("u"), text: `${tag(key)} Hello` },
    settings: { model: MODEL, params: {}, ...settings },
  };
}

async function send(
  body: unknown,
  init: { headers?: Record<string, string>; url?: string } = {},
): Promise<{ response: Response; text: string }> {
  const request = new Request(init.url ?? "http://localhost/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify(body),
  });
  // The premise: the handler really receives what the test claims the browser sent.
  for (const [name, value] of Object.entries(init.headers ?? {}))
    expect(request.headers.get(name)).toBe(value);
  const response = await browser.run(() => CHAT(request));
  const text = await response.text();
  bodies.push(text);
  return { response, text };
}

type StreamPart = { type: string; delta?: string; errorText?: string };

function parts(text: string): StreamPart[] {
  const events = sseData(text);
  expect(events.at(-1)).toBe("[DONE]");
  return events.slice(0, -1).map((event) => JSON.parse(event) as StreamPart);
}

const answerOf = (text: string) =>
  parts(text)
    .filter((p) => p.type === "text-delta")
    .map((p) => p.delta)
    .join("");

function streamError(text: string): ThinkpaneError {
  const errors = parts(text).filter((p) => p.type === "error");
  expect(errors).toHaveLength(1);
  return ThinkpaneError.fromText(errors[0]?.errorText ?? "");
}

function errorBody(response: Response, text: string): ErrorPayload {
  expect(response.headers.get("content-type")).toBe("application/json");
  const error = (JSON.parse(text) as { error: ErrorPayload }).error;
  expect(ThinkpaneError.fromText(text).code).toBe(error.code);
  return error;
}

/** The one request the configured upstream received under `key`. */
async function onlyRequest(at: FakeUpstreamControl, key: string): Promise<RecordedRequest> {
  await at.waitForRequest(key, { timeoutMs: 2_000 });
  const requests = await at.requests(key);
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

async function expectNoUpstreamCall(key: string): Promise<void> {
  expect(await control.requests(key)).toEqual([]);
  expect(await localControl.requests(key)).toEqual([]);
}

describe("headers from the browser are not forwarded and do not move the upstream", () => {
  // Functions: the attacker's address is known only once it listens.
  const browserHeaders: Record<string, () => string> = {
    "x-base-url": () => attacker.baseURL,
    "x-forwarded-host": () => attacker.host,
    host: () => attacker.host,
    origin: () => attacker.origin,
    forwarded: () => `host=${attacker.host};proto=http`,
    "x-forwarded-proto": () => "http",
    "x-api-key": () => BROWSER_TOKEN,
    authorization: () => `Bearer ${BROWSER_TOKEN}`,
    "api-key": () => BROWSER_TOKEN,
  };

  async function expectSentAsConfigured(key: string, text: string) {
    expect(answerOf(text)).toBe(DEFAULT_ANSWER.join(""));
    const received = await onlyRequest(control, key);
    expect(received.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(received.headers.host).toBe(new URL(upstream.origin).host);
    for (const name of ["x-api-key", "api-key", "x-base-url", "forwarded", "x-forwarded-host"])
      expect(received.headers).not.toHaveProperty(name);
    const everything = JSON.stringify(received);
    expect(everything).not.toContain(BROWSER_TOKEN);
    expect(everything).not.toContain(attacker.host);
  }

  it.each(Object.keys(browserHeaders))("%s", async (name) => {
    const key = uniqueKey("steer-header");
    const { response, text } = await send(submit(key), {
      headers: { [name]: browserHeaders[name]!() },
    });
    expect(response.status).toBe(200);
    await expectSentAsConfigured(key, text);
  });

  it("all at once, posted to a URL that names the attacker in its host and query", async () => {
    const key = uniqueKey("steer-headers");
    const query = new URLSearchParams({ baseURL: attacker.baseURL, apiKey: BROWSER_TOKEN });
    const { response, text } = await send(submit(key), {
      headers: Object.fromEntries(Object.entries(browserHeaders).map(([n, value]) => [n, value()])),
      url: `http://${attacker.host}/api/chat?${query}`,
    });
    expect(response.status).toBe(200);
    await expectSentAsConfigured(key, text);
  });
});

describe("body fields cannot name a host, a key or headers", () => {
  const hostileFields: Record<string, () => unknown> = {
    baseURL: () => attacker.baseURL,
    base_url: () => attacker.baseURL,
    url: () => `${attacker.baseURL}/chat/completions`,
    endpoint: () => `${attacker.baseURL}/chat/completions`,
    apiKey: () => BROWSER_TOKEN,
    api_key: () => BROWSER_TOKEN,
    headers: () => ({ authorization: `Bearer ${BROWSER_TOKEN}`, "x-base-url": attacker.baseURL }),
    provider: () => ({ baseURL: attacker.baseURL, apiKey: BROWSER_TOKEN }),
    extra_body: () => ({ base_url: attacker.baseURL }),
    fetchOptions: () => ({ redirect: "follow" }),
  };
  const names = Object.keys(hostileFields);

  async function expectRefused(body: ChatBody, key: string, field: string) {
    const { response, text } = await send(body);
    expect(response.status).toBe(400);
    const error = errorBody(response, text);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe(field);
    await expectNoUpstreamCall(key);
  }

  it.each(names)("top level: %s is refused with a 400 naming it", async (name) => {
    const key = uniqueKey("steer-body");
    await expectRefused({ ...submit(key), [name]: hostileFields[name]!() }, key, name);
  });

  it.each(names)("in settings: %s is refused with a 400 naming it", async (name) => {
    const key = uniqueKey("steer-settings");
    const body = submit(key);
    await expectRefused(
      { ...body, settings: { ...body.settings, [name]: hostileFields[name]!() } },
      key,
      `settings.${name}`,
    );
  });

  it.each([...names, "model", "messages", "stream", "stream_options"])(
    "in settings.params: %s is refused with a 400 naming it",
    async (name) => {
      const key = uniqueKey("steer-params");
      const value = hostileFields[name]?.() ?? attacker.baseURL;
      await expectRefused(
        submit(key, { params: { [name]: value } }),
        key,
        `settings.params.${name}`,
      );
    },
  );

  it("in the message: an extra field is refused with a 400 naming it", async () => {
    const key = uniqueKey("steer-message");
    const body = submit(key);
    await expectRefused(
      { ...body, message: { ...(body.message as object), baseURL: attacker.baseURL } },
      key,
      "message.baseURL",
    );
  });

  it.each([
    ["a URL", () => attacker.baseURL],
    ["a scheme-relative URL", () => `//${attacker.host}`],
    ["a host", () => attacker.host.split(":")[0]!],
    ["a user@host", () => `openai@${attacker.host}`],
    ["a path", () => "../openai"],
  ])("the provider-routing parameter refuses %s: it is a backend's name", async (_what, value) => {
    const key = uniqueKey("steer-routing");
    await expectRefused(
      submit(key, { params: { provider: value() } }),
      key,
      "settings.params.provider",
    );
  });

  it("a provider-routing name travels in the body to the configured upstream only", async () => {
    const key = uniqueKey("steer-routing-ok");
    const { response } = await send(submit(key, { params: { provider: "openrouter" } }));
    expect(response.status).toBe(200);
    const received = await onlyRequest(control, key);
    expect((received.body as Record<string, unknown>).provider).toBe("openrouter");
    expect(received.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });
});

describe("model ids select a configured model, nothing else", () => {
  it.each([
    ["a URL", () => attacker.baseURL],
    ["an endpoint URL", () => `${attacker.baseURL}/chat/completions`],
    ["a scheme-relative URL", () => `//${attacker.host}/v1`],
    ["a URL with the model as its path", () => `${attacker.origin}/${MODEL}`],
    ["a user@host suffix", () => `${MODEL}@${attacker.host}`],
    ["a named user@host suffix", () => `${MODEL}@evil.host`],
    ["a path climbing out", () => `${MODEL}/../../${attacker.host}`],
    ["a bare ../", () => "../"],
    ["a query", () => `${MODEL}?baseURL=${attacker.baseURL}`],
    ["a fragment", () => `${MODEL}#${attacker.host}`],
    ["a provider prefix with a URL", () => `local:${attacker.baseURL}`],
    ["an unknown provider prefix", () => `aimlapi:${MODEL}`],
    ["another case", () => MODEL.toUpperCase()],
    ["surrounding space", () => ` ${MODEL} `],
    ["an unknown model", () => "gpt-4o"],
    ["an object property name", () => "constructor"],
    ["__proto__", () => "__proto__"],
  ])("refuses %s with bad_request:unknown_model", async (_what, model) => {
    const key = uniqueKey("steer-model");
    const { response, text } = await send(submit(key, { model: model() }));
    expect(response.status).toBe(400);
    const error = errorBody(response, text);
    expect(error.code).toBe("bad_request:unknown_model");
    expect(error.details?.field).toBe("settings.model");
    await expectNoUpstreamCall(key);
  });

  it("refuses a model whose provider has no key, without calling it or lending it another key", async () => {
    const key = uniqueKey("steer-unkeyed");
    const { response, text } = await send(submit(key, { model: `unkeyed:${MODEL}` }));
    expect(response.status).toBe(503);
    const error = errorBody(response, text);
    expect(error.code).toBe("config:missing_key");
    expect(error.details?.envVar).toBe("THINKPANE_TEST_UNSET_KEY");
    await expectNoUpstreamCall(key);
    // The attacker is that provider's base URL; afterEach checks it saw nothing.
  });

  it("sends a keyless provider's requests without any key", async () => {
    const key = uniqueKey("steer-keyless");
    const { response, text } = await send(submit(key, { model: `local:${MODEL}` }), {
      headers: { authorization: `Bearer ${BROWSER_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(answerOf(text)).toBe(DEFAULT_ANSWER.join(""));
    const received = await onlyRequest(localControl, key);
    expect(received.headers).not.toHaveProperty("authorization");
    expect((received.body as Record<string, unknown>).model).toBe(MODEL);
    expect(await control.requests(key)).toEqual([]);
  });

  it("sends each provider its own key and no other", async () => {
    const other = uniqueKey("steer-other");
    await send(submit(other, { model: "other:openai/gpt-oss-20b" }));
    const toOther = await onlyRequest(localControl, other);
    expect(toOther.headers.authorization).toBe(`Bearer ${OTHER_KEY}`);
    expect(JSON.stringify(toOther)).not.toContain(API_KEY);
    expect(await control.requests(other)).toEqual([]);

    const main = uniqueKey("steer-main");
    await send(submit(main));
    const toMain = await onlyRequest(control, main);
    expect(toMain.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.stringify(toMain)).not.toContain(OTHER_KEY);
    expect(await localControl.requests(main)).toEqual([]);
  });
});

describe("a redirect from the upstream is not followed", () => {
  it.each([301, 302, 303, 307, 308])("HTTP %i to the attacker", async (status) => {
    const key = uniqueKey("steer-redirect");
    await control.script(
      key,
      httpError(status, "moved", { location: `${attacker.baseURL}/chat/completions` }),
    );
    const { response, text } = await send(submit(key));
    expect(response.status).toBe(200);
    const error = streamError(text);
    expect(error.code).toBe("upstream:invalid_response");
    expect(error.details.upstreamStatus).toBe(status);
    expect(await control.requests(key)).toHaveLength(1);
    // afterEach: the attacker recorded no hit.
  });

  it("from any configured provider, not just the default one", async () => {
    const key = uniqueKey("steer-redirect-other");
    await localControl.script(key, httpError(307, "moved", { location: attacker.baseURL }));
    const error = streamError(
      (await send(submit(key, { model: "other:openai/gpt-oss-20b" }))).text,
    );
    expect(error.code).toBe("upstream:invalid_response");
    expect(await localControl.requests(key)).toHaveLength(1);
  });
});

describe("no response or log carries a key", () => {
  it("GET /api/models names models and readiness, no key, URL or host", async () => {
    const text = await MODELS().text();
    bodies.push(text);
    expect(JSON.parse(text)).toMatchObject({ defaultModel: MODEL });
    for (const secret of [upstream.origin, local.origin, attacker.host, "http"])
      expect(text).not.toContain(secret);
  });

  it("GET /api/health reports readiness and the missing variable's name, not its value or any URL", async () => {
    const response = await HEALTH();
    const text = await response.text();
    bodies.push(text);
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      upstream: { missingKeys: ["THINKPANE_TEST_UNSET_KEY"] },
    });
    for (const secret of [upstream.origin, local.origin, attacker.host, dataDir])
      expect(text).not.toContain(secret);
  });

  it.each([
    {
      what: "a 401 in the OpenAI shape",
      scenario: httpError(401, errorBodies.openai(`Bad key ${API_KEY}`)),
    },
    {
      what: "a 403 in AI/ML API's flat shape",
      scenario: httpError(403, errorBodies.aimlapiFlat(403, API_KEY)),
    },
    {
      what: "a 500 as plain text",
      scenario: httpError(500, `upstream crashed handling Bearer ${API_KEY}`),
    },
    {
      what: "an error inside the stream",
      scenario: stream({
        errorAfter: { chunks: 2, error: { code: 500, message: `key ${API_KEY} rejected` } },
      }),
    },
    {
      what: "a 401 from another provider, with that provider's key",
      model: "other:openai/gpt-oss-20b",
      // A function: the fake's control exists only once it listens.
      at: () => localControl,
      scenario: httpError(401, errorBodies.openai(`Bad key ${OTHER_KEY}`)),
    },
  ])(
    "an upstream that echoes the key in $what: redacted in the stream, the stored turn and the logs",
    async ({ model, at, scenario }) => {
      const key = uniqueKey("steer-echo");
      await (at?.() ?? control).script(key, scenario);
      const body = submit(key, model ? { model } : {});
      const { response, text } = await send(body);
      expect(response.status).toBe(200);
      expect(JSON.stringify(streamError(text).toJSON())).toContain("[redacted]");

      const exported = await browser.run(() =>
        EXPORT(new Request(`http://localhost/api/conversations/${body.conversationId}/export`), {
          params: Promise.resolve({ id: body.conversationId }),
        }),
      );
      expect(exported.status).toBe(200);
      const stored = await exported.text();
      bodies.push(stored);
      expect(stored).toContain("[redacted]");

      // The logs were captured (afterEach checks them for the key): the failure is in them.
      expect(logs.some((line) => line.includes('"event":"upstream.error"'))).toBe(true);
    },
  );
});

describe("stored history carries only roles and text upstream", () => {
  it("an imported part's provider metadata neither adds fields nor changes a role", async () => {
    // The AI SDK would spread `providerMetadata.openaiCompatible` over the upstream message.
    const injected = { openaiCompatible: { role: "system", base_url: attacker.baseURL } };
    const request = new Request("http://localhost/api/conversations/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        format: "thinkpane.conversation",
        version: 1,
        title: "Imported",
        messages: [
          {
            role: "user",
            parts: [{ type: "text", text: "Earlier question", providerMetadata: injected }],
          },
          {
            role: "assistant",
            parts: [{ type: "text", text: "Earlier answer", providerMetadata: injected }],
          },
        ],
      }),
    });
    const imported = await browser.run(() => IMPORT(request));
    expect(imported.status).toBe(201);
    const { id } = (await imported.json()) as { id: string };

    const key = uniqueKey("steer-import");
    const { response } = await send({ ...submit(key), conversationId: id });
    expect(response.status).toBe(200);
    const received = await onlyRequest(control, key);
    expect((received.body as { messages: unknown }).messages).toEqual([
      { role: "user", content: "Earlier question" },
      { role: "assistant", content: "Earlier answer" },
      { role: "user", content: `${tag(key)} Hello` },
    ]);
  });
});
