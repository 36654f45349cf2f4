import { describe, expect, it } from "vitest";
import { withTurns } from "./pglite-turns";

/** A client whose queries resolve as microtasks, as PGlite's synchronous WASM calls do. */
function microtaskClient(log: string[]) {
  return {
    query: async (sql: string) => {
      log.push(sql);
      return { rows: [] };
    },
    exec: async (sql: string) => {
      log.push(sql);
      return [];
    },
    label: "client",
    describe() {
      return this.label;
    },
  };
}

async function runChain(client: { query(sql: string): Promise<unknown> }, log: string[]) {
  setImmediate(() => log.push("io"));
  for (let i = 0; i < 20; i++) await client.query(`q${i}`);
}

describe("withTurns", () => {
  it("lets the event loop reach I/O between queries", async () => {
    const bare: string[] = [];
    await runChain(microtaskClient(bare), bare);
    // Without it, twenty queries run back to back before any I/O callback.
    expect(bare.indexOf("io")).toBe(-1);

    const turned: string[] = [];
    await runChain(withTurns(microtaskClient(turned)), turned);
    const io = turned.indexOf("io");
    expect(io).toBeGreaterThanOrEqual(0);
    expect(io).toBeLessThan(3);
  });

  it("passes arguments and results through, and keeps other members bound", async () => {
    const log: string[] = [];
    const client = withTurns(microtaskClient(log));
    await expect(client.query("select 1")).resolves.toEqual({ rows: [] });
    await expect(client.exec("create table t()")).resolves.toEqual([]);
    expect(log).toEqual(["select 1", "create table t()"]);
    expect(client.describe()).toBe("client");
  });
});
