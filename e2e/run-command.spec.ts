import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";
import { E2E_API_KEY } from "../playwright.config";

/**
 * The README's run command, `npm start`, as a person runs it: no reverse proxy in front. Pages
 * and scripts go out gzip-compressed, streamed answers go out chunk by chunk (compression never
 * holds one back), and the command prints no warning.
 */

const PORT = Number(process.env.E2E_APP_PORT ?? 3210) + 7;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const FAKE_PORT = Number(process.env.FAKE_UPSTREAM_PORT ?? 4010);

let server: ChildProcess;
let output = "";
let dataDir: string;

/** A raw GET or POST with Accept-Encoding, resolving at the response's headers. */
function request(
  pathname: string,
  options: { method?: string; body?: unknown } = {},
): Promise<http.IncomingMessage> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${ORIGIN}${pathname}`,
      {
        method: options.method ?? "GET",
        headers: {
          "accept-encoding": "gzip, deflate, br",
          ...(body ? { "content-type": "application/json", origin: ORIGIN } : {}),
        },
      },
      resolve,
    );
    req.on("error", reject);
    req.end(body);
  });
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-e2e-start-"));
  server = spawn("npm", ["start"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      AIMLAPI_API_KEY: E2E_API_KEY,
      AIMLAPI_BASE_URL: `http://127.0.0.1:${FAKE_PORT}/v1`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect
    .poll(
      async () => {
        expect(server.exitCode, output).toBeNull();
        return fetch(`${ORIGIN}/api/health`).then(
          (response) => response.status,
          () => 0,
        );
      },
      { timeout: 110_000 },
    )
    .toBe(200);
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  await new Promise((resolve) =>
    server.exitCode === null ? server.once("exit", resolve) : resolve(null),
  );
  await rm(dataDir, { recursive: true, force: true });
});

test("serves the page and its scripts gzip-compressed, and prints no warning", async () => {
  const page = await request("/");
  expect(page.statusCode).toBe(200);
  expect(page.headers["content-encoding"]).toBe("gzip");
  const html = await new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    page.on("data", (chunk: Buffer) => chunks.push(chunk));
    page.on("end", () => resolve(gunzipSync(Buffer.concat(chunks)).toString()));
  });
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script, "the page loads a script").toBeTruthy();
  const js = await request(script!);
  expect(js.statusCode).toBe(200);
  expect(js.headers["content-encoding"]).toBe("gzip");
  js.resume();

  expect(output).toContain("Ready");
  expect(output).not.toMatch(/warn|⚠|does not work with/i);
});

test("a streamed answer's first token reaches the browser while the upstream holds the rest", async ({
  scenario,
}) => {
  // The role chunk and one reasoning token, then the upstream goes quiet with the stream open.
  await scenario.script(stream({ reasoning: ["first thought", " more"], stallAfter: 2 }));
  const started = Date.now();
  const response = await request("/api/chat", {
    method: "POST",
    body: {
      conversationId: `start-${Date.now()}`,
      trigger: "submit-message",
      message: { id: `m-${Date.now()}`, text: `Think ${scenario.tag}` },
      settings: { model: "openai/gpt-oss-120b", params: {} },
    },
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers["content-type"]).toContain("text/event-stream");
  // Compression is on for this server, and leaves the stream alone.
  expect(response.headers["content-encoding"]).toBeUndefined();

  let text = "";
  const firstToken = await new Promise<number>((resolve, reject) => {
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      text += chunk;
      if (text.includes('"delta":"first thought"')) resolve(Date.now() - started);
    });
    response.on("end", () => reject(new Error(`the stream ended first: ${text}`)));
  });
  // The upstream is still stalled (its idle timeout is a minute): the token came on its own.
  expect(response.complete).toBe(false);
  expect(firstToken).toBeLessThan(5_000);
  response.destroy();
});
