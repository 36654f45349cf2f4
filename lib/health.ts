import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { generationBus } from "@/lib/generation";
import { limits, limitsConfig, type LimitsConfig } from "@/lib/limits";
import { exposureWarning } from "@/lib/security/exposure";
import { publicModels } from "@/lib/upstream/registry";

type Check = { ok: boolean; latencyMs?: number; error?: string };

export type Health = {
  status: "ok" | "degraded";
  database: Check & { kind: "pglite" | "postgres" };
  redis: Check & { configured: boolean };
  upstream: { models: number; ready: number; missingKeys: string[] };
  /** Whether sign-in is on (how many codes, never which), and where limits are counted. */
  access: { signIn: boolean; codes: number; sharesRequireSignIn: boolean };
  limits: LimitsConfig & { store: "redis" | "memory" };
  /** Spent today against the deployment's budgets. */
  budget: { day: string; tokens: number; usd: number };
  /** What an operator should fix, in words (e.g. open to the network without sign-in). */
  warnings: string[];
};

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await fn();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // The error's class only: driver messages can carry hosts and user names.
    return { ok: false, error: error instanceof Error ? error.name : "Error" };
  }
}

/**
 * What an operator or a load balancer needs to know: can this instance reach its database and
 * Redis, which models have keys, whether sign-in is on and what the limits are. No URLs, hosts,
 * user names, codes or secrets.
 */
export async function checkHealth(): Promise<Health> {
  const e = env();
  const database = await timed(async () => (await getDb()).execute(sql`select 1`));
  const redis = e.REDIS_URL
    ? await timed(() => generationBus().isActive("health-probe"))
    : { ok: true };
  const { models } = publicModels();
  const warning = exposureWarning({ hostname: e.HOSTNAME, signIn: e.ACCESS_CODES.length > 0 });
  const missingKeys = [...new Set(models.filter((m) => !m.ready).map((m) => m.missingEnv!))];
  return {
    status: database.ok && redis.ok ? "ok" : "degraded",
    database: { kind: e.DATABASE_URL ? "postgres" : "pglite", ...database },
    redis: { configured: e.REDIS_URL !== undefined, ...redis },
    upstream: { models: models.length, ready: models.filter((m) => m.ready).length, missingKeys },
    access: {
      signIn: e.ACCESS_CODES.length > 0,
      codes: e.ACCESS_CODES.length,
      sharesRequireSignIn: e.ACCESS_CODES.length > 0 && e.SHARES_REQUIRE_SIGN_IN,
    },
    limits: { store: e.REDIS_URL ? "redis" : "memory", ...limitsConfig() },
    budget: await limits().deploymentUsage(),
    warnings: warning ? [warning] : [],
  };
}
