import { Redis } from "ioredis";
import { afterAll } from "vitest";

/**
 * The test runner's Redis (TEST_REDIS_URL), not the app's configuration: lib/env.ts does not
 * know it. Suites that need it are skipped, by name, when it is unset.
 */
// eslint-disable-next-line no-restricted-syntax
export const testRedisUrl = process.env.TEST_REDIS_URL?.trim() || undefined;

/**
 * Connections for one suite whose keys all start with `prefix`: after the suite, its keys are
 * deleted and every connection it opened is closed. Call inside the suite's describe.
 */
export function suiteRedis(prefix: string): () => Redis {
  const connections: Redis[] = [];
  const connect = () => {
    const connection = new Redis(testRedisUrl!, { maxRetriesPerRequest: 1 });
    connections.push(connection);
    return connection;
  };
  afterAll(async () => {
    const admin = connections[0] ?? connect();
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await Promise.all(connections.map((c) => c.quit()));
  });
  return connect;
}
