/**
 * Everything a benchmark starts registers its stopper here, so that the runner can stop it all
 * after a benchmark throws, and on Ctrl-C.
 */

const cleanups = new Set<() => Promise<void>>();
/** Process groups still running, killed synchronously if the runner exits abruptly. */
export const liveGroups = new Set<number>();

/** Runs `stop` on cleanupAll() unless it already ran; returns the idempotent stopper. */
export function registerCleanup(stop: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => {
    cleanups.delete(once);
    return (done ??= stop());
  };
  cleanups.add(once);
  return once;
}

/** Stops everything still registered (newest first). */
export async function cleanupAll(): Promise<void> {
  for (const stop of [...cleanups].reverse()) {
    await stop().catch((error: unknown) => console.error(`cleanup failed: ${String(error)}`));
  }
}

process.on("exit", () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});
