/**
 * The fake upstream (in this process) and a production app server for the render benchmark.
 * Private to it until scripts/bench/support.ts offers the same; ports come from
 * BENCH_APP_PORT / BENCH_FAKE_PORT, otherwise free ones.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startFakeUpstream, type FakeUpstream } from "../../../e2e/fake-upstream/server";

export type Servers = { app: string; fake: FakeUpstream; stop(): Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

const portFrom = async (value: string | undefined) => (value ? Number(value) : freePort());

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}`)),
    );
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app server exited:\n${log()}`);
    const up = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false, // not listening yet
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`app server did not start:\n${log()}`);
}

/** Builds when there is no build, then starts `next start` against the fake upstream. */
export async function startServers(root: string, log: (m: string) => void): Promise<Servers> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    log("no production build: running next build");
    await run("npx", ["next", "build"], root);
  }
  const fake = await startFakeUpstream({ port: await portFrom(process.env.BENCH_FAKE_PORT) });
  const port = await portFrom(process.env.BENCH_APP_PORT);
  const dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-bench-render-"));
  let output = "";
  // `next start` until the runner's standalone server exists; same settings as the e2e server.
  const child = spawn("npx", ["next", "start", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      AIMLAPI_API_KEY: "bench-key",
      AIMLAPI_BASE_URL: fake.baseURL,
      UPSTREAM_MAX_RETRIES: "0",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      // The 50-turn conversation is imported in one request.
      MAX_REQUEST_BYTES: String(64 * 1024 * 1024),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr])
    stream?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const app = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    }
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(app, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { app, fake, stop };
}
