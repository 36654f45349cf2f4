import { type OutputUnit, type Schema, type SchemaDraft, Validator } from "@cfworker/json-schema";

/*
 * Schema errors with JSON paths, from @cfworker/json-schema: it interprets schemas (no code
 * generation, so no `unsafe-eval` under our CSP, unlike Ajv or schemasafe). Its output lists each
 * failure once per enclosing keyword too; only the innermost ones are kept, in plain words.
 */

const WRAPPERS = new Set([
  "properties",
  "patternProperties",
  "additionalProperties",
  "items",
  "prefixItems",
  "additionalItems",
  "contains",
  "unevaluatedProperties",
  "unevaluatedItems",
  "allOf",
  "$ref",
  "$recursiveRef",
  "dependentSchemas",
  "dependencies",
  "if",
  "then",
  "else",
]);

function draftOf(schema: unknown): SchemaDraft {
  const id = (schema as { $schema?: unknown }).$schema;
  if (typeof id !== "string") return "2020-12";
  if (id.includes("draft-04")) return "4";
  if (id.includes("draft-07") || id.includes("draft-06")) return "7";
  if (id.includes("2019-09")) return "2019-09";
  return "2020-12";
}

/** `#/items/0/n` → `$.items[0].n` */
export function jsonPath(pointer: string): string {
  const tokens = pointer
    .replace(/^#/, "")
    .split("/")
    .slice(1)
    .map((t) => decodeURIComponent(t).replace(/~1/g, "/").replace(/~0/g, "~"));
  let out = "$";
  for (const token of tokens) {
    if (/^\d+$/.test(token)) out += `[${token}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(token)) out += `.${token}`;
    else out += `[${JSON.stringify(token)}]`;
  }
  return out;
}

const child = (path: string, key: string) =>
  /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

function describe(unit: OutputUnit): { path: string; message: string } {
  const path = jsonPath(unit.instanceLocation);
  const text = unit.error;
  const required = /required property "(.*)"/.exec(text);
  if (unit.keyword === "required" && required)
    return { path: child(path, required[1]!), message: "is required but missing" };
  const extra = /Property "(.*)" does not match additional properties/.exec(text);
  if (unit.keyword === "additionalProperties" && extra)
    return { path: child(path, extra[1]!), message: "is not allowed by the schema" };
  const type = /Instance type "(\w+)" is invalid\. Expected (.*)\./.exec(text);
  if (unit.keyword === "type" && type)
    return { path, message: `expected ${type[2]!.replace(/"/g, "")}, got ${type[1]}` };
  return { path, message: text.replace(/^Instance /, "value ").replace(/\.$/, "") };
}

/** The schema's complaints about a value, innermost first-come; [] when it fits. */
export function schemaErrors(schema: unknown, value: unknown): { path: string; message: string }[] {
  if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null))
    return [{ path: "$", message: "the schema is not a JSON object" }];
  let units: OutputUnit[];
  try {
    const validator = new Validator(schema as Schema | boolean, draftOf(schema), false);
    const result = validator.validate(value);
    if (result.valid) return [];
    units = result.errors;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [{ path: "$", message: `the schema could not be used: ${reason}` }];
  }
  const leaves = units.filter(
    (unit) =>
      unit.keyword !== "false" &&
      !(
        WRAPPERS.has(unit.keyword) &&
        units.some(
          (other) =>
            other !== unit &&
            other.keyword !== "false" &&
            other.keywordLocation.startsWith(`${unit.keywordLocation}/`),
        )
      ),
  );
  const seen = new Set<string>();
  const out: { path: string; message: string }[] = [];
  for (const unit of leaves.length > 0 ? leaves : units) {
    const described = describe(unit);
    const key = `${described.path} ${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(described);
  }
  return out;
}
