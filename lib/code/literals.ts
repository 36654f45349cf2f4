/**
 * JSON values printed as JavaScript and Python literals, pretty and deterministic. Strings use
 * JSON's escapes, which both languages read the same way.
 */

const str = (value: string) => JSON.stringify(value);

/** JSON's escapes inside single quotes, as JavaScript is usually written (and the provider's example is). */
const single = (value: string) =>
  `'${JSON.stringify(value)
    .slice(1, -1)
    .replace(/\\"|'/g, (m) => (m === "'" ? "\\'" : '"'))}'`;

import type { CodeTarget } from "./types";

/** A JavaScript key: bare when it is an identifier; `__proto__` computed, so it stays a key. */
function jsKey(key: string): string {
  if (key === "__proto__") return `[${single(key)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : single(key);
}

type Names = { true: string; false: string; null: string; string: (value: string) => string };

function scalar(value: unknown, names: Names): string {
  if (value === null || value === undefined) return names.null;
  if (value === true) return names.true;
  if (value === false) return names.false;
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : names.null;
  return names.string(String(value));
}

type Style = {
  unit: string;
  key: (key: string) => string;
  names: Names;
  /** Python's formatters end multi-line literals with a comma; Prettier does too in JS. */
  trailingComma: boolean;
};

function print(value: unknown, depth: number, style: Style): string {
  const pad = style.unit.repeat(depth + 1);
  const end = style.unit.repeat(depth);
  const comma = style.trailingComma ? "," : "";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => `${pad}${print(v, depth + 1, style)}`);
    return `[\n${items.join(",\n")}${comma}\n${end}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const items = entries.map(([k, v]) => `${pad}${style.key(k)}: ${print(v, depth + 1, style)}`);
    return `{\n${items.join(",\n")}${comma}\n${end}}`;
  }
  return scalar(value, style.names);
}

const js: Style = {
  unit: "  ",
  key: jsKey,
  names: { true: "true", false: "false", null: "null", string: single },
  trailingComma: true,
};

const py: Style = {
  unit: "    ",
  key: str,
  names: { true: "True", false: "False", null: "None", string: str },
  trailingComma: true,
};

/** `value` as a JavaScript literal; `depth` is the indentation level of the line it starts on. */
export const jsLiteral = (value: unknown, depth = 0) => print(value, depth, js);

/** `value` as a Python literal; `depth` is the indentation level of the line it starts on. */
export const pyLiteral = (value: unknown, depth = 0) => print(value, depth, py);

/** A JavaScript string literal. */
export const jsString = single;

/** A Python string literal. */
export const pyString = str;

/** `text` inside double quotes in bash: `\`, `$`, backquote and `"` escaped. */
export const shDouble = (text: string) => `"${text.replace(/[\\$`"]/g, (c) => `\\${c}`)}"`;

/** Text for a comment: an operator's label cannot end the comment and start code. */
export const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");

/** The comment lines that say which variables a snippet reads (same in every language's `#`/`//`). */
export function setup(target: CodeTarget, mark = "#"): string[] {
  const lines = target.keyEnv ? [`${mark} Set ${target.keyEnv} to your key.`] : [];
  lines.push(
    target.baseURL
      ? `${mark} ${target.baseURLEnv} overrides the base URL (default ${oneLine(target.baseURL)}).`
      : `${mark} Set ${target.baseURLEnv} to the base URL of ${oneLine(target.provider)}.`,
  );
  return lines;
}
