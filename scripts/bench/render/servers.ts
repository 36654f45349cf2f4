/**
 * The fake upstream and a production app server (`npm start`, through scripts/bench/support.ts)
 * for the render benchmark.
 */
import { startApp, startFake, type Fake } from "../support";

export type Servers = { app: string; fake: Fake; stop(): Promise<void> };

export async function startServers(root: string): Promise<Servers> {
  const fake = await startFake();
  try {
    // The 50-turn conversation is imported in one request.
    const app = await startApp({
      root,
      fake,
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
