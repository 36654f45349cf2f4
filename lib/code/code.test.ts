import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { codeTabs, withStream } from "./index";
import { jsLiteral, pyLiteral } from "./literals";
import { splitForPythonOpenAI } from "./python-openai";
import type { CodeTarget } from "./types";

// A JSON body can have an own "__proto__" key (JSON.parse makes one); the literal must keep it a key.
const value: unknown = {
  ...(JSON.parse('{"__proto__": {"polluted": true}}') as object),
  plain: "text",
  quotes: `it's "quoted" \\ backslash \\" and \\'`,
  lines: "a\nb\r\tc\u2028d\u0000",
  unicode: "Ünïcödé ✓ 😀",
  'odd key\'s "name"': [1, -0.5, 1e-7, 12345678901234, true, false, null],
  "50256": -100,
  nested: { empty: {}, list: [], deep: [{ a: [{}] }] },
};

describe("literals", () => {
  it("a JavaScript literal evaluates to the same JSON value", () => {
    const back: unknown = vm.runInNewContext(`(${jsLiteral(value)})`);
    expect(JSON.parse(JSON.stringify(back))).toEqual(value);
    expect(Object.getPrototypeOf(back)).not.toHaveProperty("polluted");
  });

  it("a Python literal evaluates to the same JSON value", () => {
    const out = execFileSync(
      "python3",
      ["-c", `import json, sys\nsys.stdout.write(json.dumps(${pyLiteral(value)}))`],
      { encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual(value);
  });
});

const body = {
  model: "openai/gpt-oss-120b",
  messages: [{ role: "user", content: "Hi" }],
  temperature: 0.5,
  top_k: 40,
  reasoning_effort: "low",
  provider: "openrouter",
  stream: true,
  stream_options: { include_usage: true },
};

/** Parses a snippet without running it: bash -n, py_compile, node --check (a process each: slow on a busy machine). */
function checkSyntax(language: string, code: string, filename: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "code-syntax-"));
  try {
    const file = path.join(dir, filename);
    writeFileSync(file, code);
    if (language === "bash") execFileSync("bash", ["-n", file]);
    else if (language === "python") execFileSync("python3", ["-m", "py_compile", file]);
    else execFileSync("node", ["--check", file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("generators", () => {
  it("a provider whose URL is not public: the code names its variable and no URL", () => {
    const target: CodeTarget = {
      providerId: "my-vllm",
      provider: "Internal vLLM\n# injected",
      keyEnv: "VLLM_KEY",
      baseURLEnv: "MY_VLLM_BASE_URL",
    };
    for (const tab of codeTabs) {
      for (const stream of [true, false]) {
        const code = tab.generate({ body: withStream(body, stream), target, stream });
        checkSyntax(tab.language, code, tab.filename);
        expect(code, tab.label).toContain("MY_VLLM_BASE_URL");
        expect(code, tab.label).toContain("VLLM_KEY");
        expect(code, tab.label).not.toMatch(/https?:\/\//);
        expect(code, tab.label).not.toMatch(/^# injected/m);
      }
    }
  }, 30_000);

  it("a provider without a key: no Authorization header in the raw HTTP tabs", () => {
    const target: CodeTarget = {
      providerId: "ollama",
      provider: "Ollama",
      baseURLEnv: "OLLAMA_BASE_URL",
      baseURL: "http://localhost:11434/v1",
    };
    for (const tab of codeTabs) {
      const code = tab.generate({ body, target, stream: true });
      checkSyntax(tab.language, code, tab.filename);
      if (["curl", "Python (requests)", "JavaScript (fetch)"].includes(tab.label))
        expect(code, tab.label).not.toContain("Authorization");
    }
  }, 30_000);

  it("Python openai: SDK parameters as arguments, the rest in extra_body", () => {
    expect(splitForPythonOpenAI(body)).toEqual({
      args: {
        model: body.model,
        messages: body.messages,
        temperature: 0.5,
        reasoning_effort: "low",
        stream: true,
        stream_options: { include_usage: true },
      },
      extraBody: { top_k: 40, provider: "openrouter" },
    });
  });

  it("withStream turns a recorded streamed body into the non-streamed call and back", () => {
    const once = withStream(body, false);
    expect(once).not.toHaveProperty("stream");
    expect(once).not.toHaveProperty("stream_options");
    expect(withStream(once, true)).toEqual(body);
  });
});
