// After `next build`: the standalone server serves /_next/static and public/ from its own
// folder, and next build leaves them out (a CDN may serve them instead). Copy them in, so that
// `npm start` and the Docker image serve the whole app. It also copies .env files in; those
// are taken out (scripts/standalone-secrets.mjs): the server reads the process environment.
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { removeEnvFiles } from "./standalone-secrets.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const standalone = path.join(root, ".next", "standalone");
if (!existsSync(standalone))
  throw new Error(".next/standalone is missing: is output 'standalone'?");
for (const [from, to] of [
  [path.join(root, ".next", "static"), path.join(standalone, ".next", "static")],
  [path.join(root, "public"), path.join(standalone, "public")],
]) {
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
for (const file of removeEnvFiles(standalone))
  console.log(
    `Removed ${file} from the standalone server (configuration comes from the environment).`,
  );
