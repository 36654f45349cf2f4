// Creates and migrates a PGlite database, then exits: run by lib/db/client.ts in a child process
// when the data folder is new. Creating a cluster (initdb) grows PGlite's WASM heap by hundreds
// of megabytes that the server would hold for its whole life; a short-lived process gives them
// back, and the server then opens an existing, migrated database.
// Plain ESM, outside the Next bundle: `node lib/db/pglite-init.mjs <dataDir> <migrationsFolder>`.
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";

const [dataDir, migrationsFolder, ...startParams] = process.argv.slice(2);
if (!dataDir || !migrationsFolder) {
  console.error("usage: node pglite-init.mjs <dataDir> <migrationsFolder> [startParams...]");
  process.exit(2);
}
const client = await PGlite.create(dataDir, {
  startParams: [...PGlite.defaultStartParams, ...startParams],
});
try {
  await migrate(drizzle({ client }), { migrationsFolder });
} finally {
  await client.close();
}
