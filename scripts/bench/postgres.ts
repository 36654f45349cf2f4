/** PostgreSQL for the benchmarks' variants: a database of their own, dropped afterwards. */
import { createThrowawayDatabase as createDatabase } from "../../e2e/support/postgres";
import { registerCleanup } from "./cleanup";
import type { BenchContext, Section } from "./types";

/** A throwaway database on the server of `baseUrl`, dropped on stop (also on Ctrl-C). */
export async function createThrowawayDatabase(
  baseUrl: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const database = await createDatabase(baseUrl, "bench");
  return { url: database.url, stop: registerCleanup(() => database.drop()) };
}

/**
 * A section measured on a throwaway PostgreSQL database (and Redis when `withRedis`), dropped
 * afterwards; a "skipped" section saying why when they are not available.
 */
export async function onPostgres(
  ctx: BenchContext,
  title: string,
  withRedis: boolean,
  measure: (db: { databaseUrl: string; redisUrl?: string }) => Promise<Section>,
): Promise<Section> {
  if (!ctx.databaseUrl || (withRedis && !ctx.redisUrl)) {
    const needs = withRedis ? "DATABASE_URL and REDIS_URL" : "DATABASE_URL";
    return {
      title,
      figures: [{ name: "skipped", value: null, note: `${needs} not set or not reachable` }],
    };
  }
  const database = await createThrowawayDatabase(ctx.databaseUrl);
  try {
    return await measure({
      databaseUrl: database.url,
      redisUrl: withRedis ? ctx.redisUrl : undefined,
    });
  } finally {
    await database.stop();
  }
}
