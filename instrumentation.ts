/**
 * Runs once when the server starts, before it handles a request: stamps every request with
 * its socket's address (lib/security/peer.ts), warns when the server is open to the network
 * without sign-in, and opens and migrates the database right away, so that the first request
 * does not wait for it (PGlite takes a few seconds to start).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ installPeerHeader }, { exposureWarning }, { env }, { getDb }, { log }] =
    await Promise.all([
      import("@/lib/security/peer"),
      import("@/lib/security/exposure"),
      import("@/lib/env"),
      import("@/lib/db/client"),
      import("@/lib/log"),
    ]);
  installPeerHeader();
  try {
    const e = env();
    const warning = exposureWarning({ hostname: e.HOSTNAME, signIn: e.ACCESS_CODES.length > 0 });
    if (warning) log.warn("security.exposed_without_sign_in", { message: warning });
  } catch (error) {
    // Invalid configuration: every request that needs it answers with the details.
    log.error("config.invalid", {
      message: error instanceof Error ? error.message : String(error),
    });
  }
  getDb().then(
    () => log.info("db.ready"),
    (error: unknown) =>
      log.error("db.open_failed", {
        message: error instanceof Error ? error.message : String(error),
      }),
  );
}
