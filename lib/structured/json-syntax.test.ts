import { describe, expect, it } from "vitest";
import { jsonSyntaxError, parseJson } from "./json-syntax";

describe("jsonSyntaxError", () => {
  it("accepts what JSON.parse accepts", () => {
    for (const text of ['{"a": [1, -2.5e3, true, null, "\\u00e9\\n"]}', " 3 ", '"x"', "[]"])
      expect(jsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    ['{"a": 1,}', 1, 9, "expected a property name in double quotes"],
    ['{\n  "a" 1\n}', 2, 7, 'expected ":" after a property name'],
    ["[1 2]", 1, 4, 'expected "," or "]"'],
    ['{"a": tru}', 1, 7, "expected a value"],
    ['{"a": 1', 1, 8, "unexpected end of the text"],
    ['{"a": "b', 1, 9, "unterminated string"],
    ["{} x", 1, 4, "unexpected text after the JSON value"],
    ["{'a': 1}", 1, 2, "expected a property name in double quotes"],
  ])("locates the error in %j", (text, line, column, message) => {
    const error = jsonSyntaxError(text);
    expect(error).toMatchObject({ line, column });
    expect(error?.message).toContain(message);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("parses or locates", () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson("")).toMatchObject({ ok: false, error: { line: 1, column: 1 } });
  });
});
