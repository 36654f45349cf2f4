import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { E2E_API_KEY } from "../../playwright.config";

/**
 * An app server of a test's own (the production build, started as `npm start` does), for what the shared one
 * cannot do: be stopped, killed with SIGKILL and started again on the same data folder.
 */
export type AppServer = {
  url: string;
  dataDir: string;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  dispose(): Promise<void>;
};

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

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilUp(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`app server exited with ${child.exitCode}:\n${output()}`);
    try {
      // Health opens the database: up means ready to serve conversations.
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`app server did not start within ${timeoutMs} ms:\n${output()}`);
}

export async function createAppServer(options: {
  fakeUpstreamOrigin: string;
  env?: Record<string, string>;
}): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), "thinkpane-e2e-"));
  let child: ChildProcess | undefined;
  let log = "";

  const server: AppServer = {
    url,
    dataDir,
    async start() {
      log = "";
      child = spawn("node", ["scripts/start.mjs"], {
        env: {
          ...process.env,
          NEXT_TELEMETRY_DISABLED: "1",
          HOSTNAME: "127.0.0.1",
          PORT: String(port),
          AIMLAPI_API_KEY: E2E_API_KEY,
          AIMLAPI_BASE_URL: `${options.fakeUpstreamOrigin}/v1`,
          UPSTREAM_MAX_RETRIES: "0",
          DATA_DIR: dataDir,
          DATABASE_URL: "",
          REDIS_URL: "",
          ...options.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group, so that a signal reaches the server and anything it started.
        detached: true,
      });
      // E2E_SERVER_LOGS=1 shows the server's own log lines while debugging a spec.
      const echo = process.env.E2E_SERVER_LOGS === "1";
      for (const output of [child.stdout, child.stderr])
        output?.on("data", (d: Buffer) => {
          log += d.toString();
          if (echo) process.stderr.write(d);
        });
      await waitUntilUp(url, child, () => log);
    },
    async stop(signal = "SIGTERM") {
      const running = child;
      if (!running || running.exitCode !== null || running.pid === undefined) return;
      const group = running.pid;
      const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
      process.kill(-group, signal);
      await exited;
      // Wait until every process of the group is gone too, so
      // that a restart cannot be answered by the old server or find its database still open.
      const deadline = Date.now() + 15_000;
      while (groupAlive(group)) {
        if (Date.now() > deadline) throw new Error(`app server group ${group} did not exit`);
        await new Promise((r) => setTimeout(r, 50));
      }
      child = undefined;
    },
    async dispose() {
      await server.stop("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
