import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * The one place that reads process.env. Parsed once, lazily (so `next build` needs no
 * configuration), with messages that name the variable at fault.
 */

const intFromEnv = (fallback: number, min: number) =>
  z.coerce.number().int().min(min).default(fallback);

const envVarName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, "must be an environment variable name such as OPENROUTER_API_KEY")
  .refine(
    (name) => !name.startsWith("NEXT_PUBLIC_"),
    "must not start with NEXT_PUBLIC_ (those reach the browser)",
  );

const providerConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "lower-case letters, digits, - and _"),
    label: z.string().min(1).max(60),
    baseURL: z.url({ protocol: /^https?$/ }),
    /** Name of the variable holding this provider's key; omit for servers that need none (local vLLM, Ollama). */
    apiKeyEnv: envVarName.optional(),
    /** The base URL may be shown in View code's snippets (a public API); otherwise they name a variable only. */
    publicBaseURL: z.boolean().optional(),
    /** Whether the server enforces a json_schema response format: shown beside the control. */
    structuredOutputs: z.enum(["strict", "best-effort", "none"]).optional(),
    /** The field that carries reasoning back on assistant messages in tool loops (lib/upstream/provider.ts). */
    reasoningField: z.enum(["reasoning", "reasoning_content", "none"]).optional(),
    models: z
      .array(
        z.object({
          /** The id the upstream expects, e.g. "openai/gpt-oss-120b" or "gpt-oss:20b". */
          id: z.string().min(1).max(200),
          label: z.string().min(1).max(80).optional(),
          contextWindow: z.number().int().positive().optional(),
        }),
      )
      .min(1),
  })
  .strict();

export type ProviderConfig = z.infer<typeof providerConfigSchema>;

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["", "0", "1", "true", "false", "yes", "no"].includes(v), "must be true or false")
  .transform((v) => ["1", "true", "yes"].includes(v))
  .default(false);

export type AccessCode = { user: string; code: string };

/**
 * `alice:code1,bob:code2,code3`: each entry a code, optionally named after its person. An
 * unnamed code's user is named after a hash of the code, so it stays the same user across
 * restarts and reorderings without the code itself ever showing up as a name.
 */
const accessCodesSchema = z
  .string()
  .optional()
  .transform((raw, ctx): AccessCode[] => {
    if (!raw || raw.trim() === "") return [];
    const codes: AccessCode[] = [];
    for (const entry of raw.split(",").map((e) => e.trim())) {
      if (entry === "") continue;
      const colon = entry.indexOf(":");
      const user = colon > 0 ? entry.slice(0, colon).trim() : undefined;
      const code = colon > 0 ? entry.slice(colon + 1).trim() : entry;
      if (user !== undefined && !/^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,63}$/u.test(user)) {
        ctx.addIssue({
          code: "custom",
          message: `user name "${user}" must be 1-64 letters, digits, spaces, . _ @ or -`,
        });
        continue;
      }
      if (code.length < 8) {
        ctx.addIssue({
          code: "custom",
          message: `the code for ${user ?? "an unnamed entry"} must be at least 8 characters`,
        });
        continue;
      }
      codes.push({
        user: user ?? `user-${createHash("sha256").update(code).digest("hex").slice(0, 8)}`,
        code,
      });
    }
    if (new Set(codes.map((c) => c.code)).size !== codes.length)
      ctx.addIssue({ code: "custom", message: "a code appears twice" });
    if (new Set(codes.map((c) => c.user)).size !== codes.length)
      ctx.addIssue({ code: "custom", message: "a user name appears twice" });
    return codes;
  });

/** AI/ML API's own address: the default, and the one View code's snippets fall back to. */
export const AIMLAPI_PUBLIC_BASE_URL = "https://api.aimlapi.com/v1";

const envSchema = z.object({
  AIMLAPI_API_KEY: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .optional(),
  AIMLAPI_BASE_URL: z.url({ protocol: /^https?$/ }).default(AIMLAPI_PUBLIC_BASE_URL),
  /**
   * The field AI/ML API takes reasoning back in (tool loops). Undocumented; `reasoning` is the
   * default because no server we know refuses it, while Groq and Cerebras (backends AI/ML API
   * may route to) answer `reasoning_content` with a 400. See README, "Tools".
   */
  AIMLAPI_REASONING_FIELD: z.enum(["reasoning", "reasoning_content", "none"]).default("reasoning"),
  /** Extra OpenAI-compatible providers, as a JSON array (see README). */
  THINKPANE_PROVIDERS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw || raw.trim() === "") return [];
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        ctx.addIssue({ code: "custom", message: "is not valid JSON" });
        return z.NEVER;
      }
      const parsed = z.array(providerConfigSchema).safeParse(json);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: "custom" });
        return z.NEVER;
      }
      return parsed.data;
    }),
  THINKPANE_DEFAULT_MODEL: z.string().optional(),
  /** Time allowed until the upstream answers with headers. */
  UPSTREAM_CONNECT_TIMEOUT_MS: intFromEnv(60_000, 100),
  /** Time allowed between two chunks of a stream before it counts as stalled. */
  UPSTREAM_IDLE_TIMEOUT_MS: intFromEnv(60_000, 100),
  /** Retries of 429/5xx answers before the first byte (with backoff, honouring Retry-After). */
  UPSTREAM_MAX_RETRIES: intFromEnv(2, 0),
  MAX_REQUEST_BYTES: intFromEnv(1_000_000, 1024),
  /**
   * Imports carry each turn's raw exchange (up to about 2 MB a turn), so they get a larger cap.
   * Next buffers request bodies for proxy.ts up to 10 MiB: keep this below that.
   */
  MAX_IMPORT_BYTES: intFromEnv(8_000_000, 1024),
  /**
   * Open follows of running answers (GET /api/chat/:id/stream: reloaded tabs) one user may hold
   * on one instance; each holds a connection and a reader. 0 turns the limit off.
   */
  MAX_FOLLOWERS_PER_USER: intFromEnv(20, 0),
  /** PostgreSQL to use instead of the embedded PGlite, e.g. postgres://user:pass@host:5432/thinkpane. */
  DATABASE_URL: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
        .optional(),
    )
    .optional(),
  /** Where the embedded database (PGlite) keeps its files when DATABASE_URL is unset. */
  DATA_DIR: z
    .string()
    .trim()
    .transform((v) => (v === "" ? ".data" : v))
    .default(".data"),
  /** Redis for state shared by several instances (running generations; later, rate limits). */
  REDIS_URL: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
        .optional(),
    )
    .optional(),
  /** Sign-in codes (see accessCodesSchema). Unset: no sign-in, each browser is an anonymous owner. */
  ACCESS_CODES: accessCodesSchema,
  /** With ACCESS_CODES: shared links need a signed-in session too. */
  SHARES_REQUIRE_SIGN_IN: flag,
  /** How long a sign-in lasts. */
  SESSION_MAX_AGE_DAYS: intFromEnv(30, 1),
  /** Chat requests a user may start per minute; 0 turns the limit off. */
  RATE_LIMIT_REQUESTS_PER_MINUTE: intFromEnv(20, 0),
  /** Tokens (prompt, reasoning and answer) a user may spend per UTC day; 0 turns it off. */
  RATE_LIMIT_TOKENS_PER_DAY: intFromEnv(2_000_000, 0),
  /** Answers one user may have generating at once; 0 turns it off. */
  MAX_CONCURRENT_STREAMS_PER_USER: intFromEnv(3, 0),
  /** Answers generating at once on the whole deployment (all instances with Redis); 0 turns it off. */
  MAX_CONCURRENT_STREAMS: intFromEnv(32, 0),
  /** Conversations one owner may keep; 0 turns the quota off. */
  MAX_CONVERSATIONS_PER_OWNER: intFromEnv(5_000, 0),
  /** Messages (both sides of every turn) one owner may keep; 0 turns the quota off. */
  MAX_MESSAGES_PER_OWNER: intFromEnv(100_000, 0),
  /**
   * Bytes one owner may keep, as stored (messages, raw exchanges, share snapshots; PostgreSQL's
   * compressed size); 0 turns the quota off.
   */
  MAX_STORED_BYTES_PER_OWNER: intFromEnv(500_000_000, 0),
  /** Imports, forks and share links one owner (and one client address) may make per minute; 0 turns it off. */
  RATE_LIMIT_COPIES_PER_MINUTE: intFromEnv(30, 0),
  /**
   * What the whole deployment may spend per UTC day, in tokens. Unset: 20,000,000 without
   * ACCESS_CODES (anyone who reaches the server spends the key), off with them; 0 turns it off.
   */
  BUDGET_TOKENS_PER_DAY: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(0).optional(),
  ),
  /** The same in USD, counted from the cost the upstream reports; unset or 0: off. */
  BUDGET_USD_PER_DAY: z.coerce.number().min(0).default(0),
  /**
   * Reverse proxies in front of the app that append to X-Forwarded-For (nginx, a load
   * balancer...). 0: the client is the socket's peer and the header is ignored.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** The address the standalone server listens on (Next.js reads it too); unset: every interface. */
  HOSTNAME: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .optional(),
  /**
   * Strict-Transport-Security max-age sent on responses served over HTTPS (never over HTTP);
   * 0 turns it off. No includeSubDomains: other hosts under the same domain are not ours to pin.
   */
  HSTS_MAX_AGE_SECONDS: intFromEnv(31_536_000, 0),
  /** Signs session cookies. Unset: a secret is generated once and kept in the database. */
  SESSION_SECRET: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(z.string().min(32, "must be at least 32 characters").optional())
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Reads a provider key by the variable name its configuration gives. */
export function readSecret(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/** For tests that change the environment between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
