import { jsString } from "./literals";
import type { CodeTarget } from "./types";

/** `const baseURL = ...;` and `const apiKey = ...;` read from the environment (Node). */
export function jsEnvLines(target: CodeTarget): string[] {
  const lines = target.baseURL
    ? [`const baseURL = process.env.${target.baseURLEnv} || ${jsString(target.baseURL)};`]
    : [
        `const baseURL = process.env.${target.baseURLEnv};`,
        `if (!baseURL) throw new Error(${jsString(`Set ${target.baseURLEnv} to the base URL of the provider.`)});`,
      ];
  if (target.keyEnv) lines.push(`const apiKey = process.env.${target.keyEnv};`);
  return lines;
}

/** Prints reasoning and answer as they arrive, each under a heading when it starts. */
export const JS_SHOW = [
  "let phase = '';",
  "function show(kind, text) {",
  "  if (kind !== phase) {",
  "    process.stdout.write(`${phase ? '\\n' : ''}--- ${kind} ---\\n`);",
  "    phase = kind;",
  "  }",
  "  process.stdout.write(text);",
  "}",
];
