import { randomBytes } from "node:crypto";
import { Client } from "pg";

export type ThrowawayDatabase = { url: string; drop(): Promise<void> };

/** A database of its own on the PostgreSQL server of `baseUrl`, for tests and benchmarks. */
export async function createThrowawayDatabase(
  baseUrl: string,
  prefix: string,
): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = async (statement: string) => {
    const client = new Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
