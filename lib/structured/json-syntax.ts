/**
 * Where a JSON text first goes wrong, as line and column (1-based), in words. JSON.parse's own
 * messages differ by engine and some give no position at all, so the text is scanned here, only
 * after JSON.parse has refused it.
 */
export type JsonSyntaxError = { offset: number; line: number; column: number; message: string };

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

function scan(text: string): void {
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (message: string): never => {
    throw new Stop(i, i >= text.length ? "unexpected end of the text" : message);
  };
  const expect = (char: string, what: string) => {
    space();
    if (text[i] !== char) fail(what);
    i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Stop(i, "unterminated string: the text ends inside it");
      if (c === '"') return void i++;
      if (c! < " ") fail("control character in a string (escape it, e.g. \\n)");
      if (c === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("bad \\u escape");
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) fail("bad escape in a string");
      }
      i++;
    }
  };
  const value = (depth: number): void => {
    space();
    if (depth > 512) fail("nested too deeply");
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail("expected a property name in double quotes");
        string();
        expect(":", 'expected ":" after a property name');
        value(depth + 1);
        space();
        if (text[i] === "}") return void i++;
        if (text[i] !== ",") fail('expected "," or "}"');
        i++;
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        space();
        if (text[i] === "]") return void i++;
        if (text[i] !== ",") fail('expected "," or "]"');
        i++;
      }
    }
    if (c === '"') return string();
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number && number[0] !== "" && number[0] !== "-") return void (i += number[0].length);
    for (const word of ["true", "false", "null"])
      if (text.startsWith(word, i)) return void (i += word.length);
    fail("expected a value (an object, array, string, number, true, false or null)");
  };
  value(0);
  space();
  if (i < text.length) fail("unexpected text after the JSON value");
}

/** The first syntax error of a text JSON.parse refused; undefined when it parses. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split("\n").length;
    const column = error.offset - (before.lastIndexOf("\n") + 1) + 1;
    return { offset: error.offset, line, column, message: error.message };
  }
}

/** JSON.parse with a located error. */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const error = jsonSyntaxError(text) ?? {
      offset: 0,
      line: 1,
      column: 1,
      message: "not valid JSON",
    };
    return { ok: false, error };
  }
}

export const describeSyntaxError = (e: JsonSyntaxError) =>
  `line ${e.line}, column ${e.column}: ${e.message}`;
