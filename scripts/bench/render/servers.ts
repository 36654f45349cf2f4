/**
 * The fake upstream and a production app server (`npm start`, through scripts/bench/support.ts)
 * for the render benchmark.
 */
import { startApp, startFake, startFakeProcess, type Fake, type Priority } from "../support";

export type Servers = { app: string; fake: Fake; stop(): Promise<void> };

/**
 * With a priority, the fake upstream runs as a process of its own at that priority, and so does
 * the app; without one, the fake runs in this process and the app at the same priority.
 */
export async function startServers(root: string, priority?: Priority): Promise<Servers> {
  const fake = priority ? await startFakeProcess(root, priority) : await startFake();
  try {
    // The 50-turn conversation is imported in one request.
    const app = await startApp({
      root,
      fake,
      priority,
      env: { MAX_REQUEST_BYTES: String(64 * 1024 * 1024) },
    });
    return {
      app: app.origin,
      fake,
      stop: async () => {
        await app.stop();
        await fake.stop();
      },
    };
  } catch (error) {
    await fake.stop();
    throw error;
  }
}
