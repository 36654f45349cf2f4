import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "test-results/**",
    "playwright-report/**",
    ".data/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through lib/env.ts only.",
        },
      ],
    },
  },
  {
    // The env module is the one place that reads process.env; tooling and tests configure processes.
    files: ["lib/env.ts", "instrumentation.ts", "e2e/**", "scripts/**", "*.config.*", "bench/**"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // Playwright fixtures take a `use` callback that is not React's `use`.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // lib/ is framework-free: no React components and nothing from app/ or components/.
    files: ["lib/**"],
    ignores: ["lib/store/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/components/*", "@/app/*", "react", "react-dom"],
              message: "lib/ must not depend on UI layers.",
            },
          ],
        },
      ],
    },
  },
]);
