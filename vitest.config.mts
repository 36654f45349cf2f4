import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Route handlers and lib modules guard themselves with "server-only"; under Vitest we are the server.
      "server-only": fileURLToPath(new URL("./lib/testing/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: [
      "lib/**/*.test.ts",
      "app/**/*.test.ts",
      "components/**/*.test.{ts,tsx}",
      "e2e/fake-upstream/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    environment: "node",
    restoreMocks: true,
  },
});
