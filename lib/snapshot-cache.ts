import "server-only";

/**
 * Rendered snapshots, kept in memory: a snapshot never changes, so it is rendered once. Keyed by
 * token and checked against the snapshot's identity (its creation time); the caller asks the
 * database whether the link is still active on every view before using an entry, so a revoked
 * or expired link stops being served at once. Least recently used entries go first once the
 * text they hold passes a budget.
 */
export type SnapshotCache<T> = {
  get(
    token: string,
    identity: number,
    render: () => Promise<Rendered<T> | undefined>,
  ): Promise<T | undefined>;
  forget(token: string): void;
};

/** What was rendered, and its weight: about the characters of model text it holds. */
export type Rendered<T> = { value: T; size: number };

type Entry<T> = { identity: number; size: number; value: Promise<T | undefined> };

export function createSnapshotCache<T>({
  maxSize,
  maxEntries,
}: {
  maxSize: number;
  maxEntries: number;
}): SnapshotCache<T> {
  const entries = new Map<string, Entry<T>>();
  let total = 0;

  const forget = (token: string) => {
    const entry = entries.get(token);
    if (!entry) return;
    entries.delete(token);
    total -= entry.size;
  };

  const evict = () => {
    for (const [token] of entries) {
      if (total <= maxSize && entries.size <= maxEntries) return;
      forget(token);
    }
  };

  return {
    forget,
    get(token, identity, render) {
      const hit = entries.get(token);
      if (hit && hit.identity === identity) {
        // Map order is insertion order: re-inserting marks it the most recently used.
        entries.delete(token);
        entries.set(token, hit);
        return hit.value;
      }
      forget(token);
      // Concurrent views of a new snapshot share one rendering.
      const entry: Entry<T> = { identity, size: 0, value: Promise.resolve(undefined) };
      entry.value = render().then(
        (rendered) => {
          if (!rendered || entries.get(token) !== entry) {
            if (entries.get(token) === entry) forget(token);
            return rendered?.value;
          }
          entry.size = rendered.size;
          total += rendered.size;
          evict();
          return rendered.value;
        },
        (error: unknown) => {
          if (entries.get(token) === entry) forget(token);
          throw error;
        },
      );
      entries.set(token, entry);
      return entry.value;
    },
  };
}
