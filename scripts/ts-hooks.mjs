// Node module hooks that run this repo's TypeScript (tests' helpers, benchmarks) without a build
// step: resolve extensionless and "@/..." imports to .ts files, then strip types with the
// TypeScript compiler the project already depends on. Not used by the app itself.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const root = new URL("../", import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  const candidates = [];
  if (specifier.startsWith("@/")) candidates.push(new URL(specifier.slice(2), root));
  else if (
    (specifier.startsWith("./") || specifier.startsWith("../")) &&
    context.parentURL?.endsWith(".ts")
  ) {
    candidates.push(new URL(specifier, context.parentURL));
  }
  for (const base of candidates) {
    for (const suffix of ["", ".ts", ".tsx", "/index.ts"]) {
      const url = new URL(base.href + suffix);
      if (/\.tsx?$/.test(url.pathname) && existsSync(fileURLToPath(url))) {
        return { url: url.href, shortCircuit: true, format: "module" };
      }
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!/\.tsx?$/.test(new URL(url).pathname)) return nextLoad(url, context);
  const source = await readFile(fileURLToPath(url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      verbatimModuleSyntax: false,
      sourceMap: false,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}

export const rootURL = pathToFileURL(fileURLToPath(root)).href;
