import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const standalone = path.join(root, ".next", "standalone");

/** Walks the folder itself (not through the build script's helper), dependencies included. */
function envFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...envFiles(full));
    else if (entry.name === ".env" || entry.name.startsWith(".env.")) found.push(full);
  }
  return found;
}

describe("the Docker build context", () => {
  it("leaves out env files, keys, local data and build output", () => {
    const ignored = readFileSync(path.join(root, ".dockerignore"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    for (const pattern of [
      "**/.env",
      "**/.env.*",
      "**/*.pem",
      "**/*.key",
      ".git",
      ".data",
      "node_modules",
      ".next",
    ])
      expect(ignored).toContain(pattern);
  });
});

describe.skipIf(!existsSync(standalone))(
  "the built standalone server (skipped when .next/standalone does not exist: run `npm run build`)",
  () => {
    it("holds no .env file", () => {
      expect(envFiles(standalone).map((file) => path.relative(standalone, file))).toEqual([]);
    });
  },
);
