// `next build` copies the project's .env files into .next/standalone, so a server or image
// made from it would carry whatever local secrets they hold. The server reads its
// configuration from the process environment, so they are never needed there: the build
// removes them (scripts/standalone-assets.mjs), and `npm test` checks after the build that none
// is left: `node scripts/standalone-secrets.mjs --check`.
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Files named .env or .env.* anywhere under `dir` (relative paths), dependencies included. */
export function envFilesIn(dir) {
  const found = [];
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === ".env" || entry.name.startsWith(".env.")) found.push(full);
    }
  };
  walk(dir);
  return found.map((file) => path.relative(dir, file)).sort();
}

/** Removes them; returns what was removed. */
export function removeEnvFiles(dir) {
  const found = envFilesIn(dir);
  for (const file of found) rmSync(path.join(dir, file), { force: true });
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const standalone = path.join(root, ".next", "standalone");
  const found = envFilesIn(standalone);
  if (found.length > 0) {
    console.error(`Local env files inside ${standalone} (they may hold secrets):`);
    for (const file of found) console.error(`  ${file}`);
    process.exit(1);
  }
  console.log(`No .env files inside ${path.relative(root, standalone)}.`);
}
