/**
 * Runs the fake upstream as a process: for Playwright's webServer, and for trying the app
 * without a key (`npm run fake-upstream`, then AIMLAPI_BASE_URL=http://127.0.0.1:4010/v1).
 */
import { startFakeUpstream } from "./server";

const port = Number(process.env.FAKE_UPSTREAM_PORT ?? 4010);
const upstream = await startFakeUpstream({ port, host: "127.0.0.1" });
console.log(`fake upstream listening on ${upstream.baseURL}`);

const shutdown = () => {
  void upstream.close().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
