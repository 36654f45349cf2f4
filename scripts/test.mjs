// The whole test command: typecheck, lint, unit tests, production build, end-to-end tests.
// Stops at the first failing step and exits with its code.
import { spawnSync } from "node:child_process";

const steps = [
  ["Chromium", "bash", ["scripts/ensure-chromium.sh"]],
  ["Typecheck", "npx", ["tsc", "--noEmit"]],
  ["Lint", "npm", ["run", "--silent", "lint"]],
  ["Unit tests", "npx", ["vitest", "run"]],
  ["Build", "npm", ["run", "--silent", "build"]],
  ["No env files in the build", "node", ["scripts/standalone-secrets.mjs", "--check"]],
  ["End-to-end tests", "npx", ["playwright", "test"]],
];

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const started = Date.now();
for (const [name, command, args] of steps) {
  const t0 = Date.now();
  console.log(`\n▶ ${name}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(
      `\n✖ ${name} failed after ${seconds} s (exit ${result.status ?? result.signal}).`,
    );
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds} s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
