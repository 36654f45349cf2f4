/**
 * Runs once when the server starts: opens and migrates the database right away, so that the
 * first request does not wait for it (PGlite takes a few seconds to start).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getDb }, { log }] = await Promise.all([import("@/lib/db/client"), import("@/lib/log")]);
  getDb().then(
    () => log.info("db.ready"),
    (error: unknown) =>
      log.error("db.open_failed", {
        message: error instanceof Error ? error.message : String(error),
      }),
  );
}
