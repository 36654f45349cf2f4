// `npm start`: the standalone server that `npm run build` prepared (the same one the Dockerfile
// runs), with the project's .data folder as the default DATA_DIR. The server changes into
// .next/standalone, and a relative data folder there would be deleted by the next build.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const server = path.join(root, ".next", "standalone", "server.js");
if (!existsSync(server)) {
  console.error("No build found: run `npm run build` first.");
  process.exit(1);
}
process.env.DATA_DIR = path.resolve(root, process.env.DATA_DIR || ".data");
await import(server);
