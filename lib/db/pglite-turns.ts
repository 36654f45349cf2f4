/**
 * PGlite runs PostgreSQL in WASM on the server's own thread: each query is a synchronous call,
 * and its promise resolves as a microtask. Under load, queries queue behind each other and run
 * back to back in one macrotask, so the event loop never reaches its I/O phase: new sockets are
 * not accepted, keep-alive timers fire late, and clients see "socket hang up" or ECONNRESET
 * (2 to 6 of 200 concurrent turns did). Waiting one event-loop turn before each query lets the
 * loop serve I/O between queries, at a cost of well under a millisecond per query.
 *
 * Only the top-level `query` and `exec` wait: statements inside a transaction run back to back,
 * as they must hold PGlite's lock anyway.
 */
export function withTurns<T extends object>(client: T): T {
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "query" || property === "exec") {
        const method = Reflect.get(target, property, target) as (...args: unknown[]) => unknown;
        return async (...args: unknown[]) => {
          await nextTurn();
          return method.apply(target, args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
