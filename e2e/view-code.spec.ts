import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Locator, Page } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";
import { answered, expect, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";

/**
 * View code after setting parameters in the panel: each tab's code, taken from the page as the
 * text of its `code` element, is run as-is against the fake upstream, and the body it sends
 * must be the body the app then sends on Send.
 */

const run = promisify(execFile);
const FAKE_BASE_URL = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}/v1`;
const SNIPPET_KEY = "sk-e2e-snippet-1b2c";

type Body = Record<string, unknown>;

const RUNNERS: Record<string, string> = {
  curl: "bash",
  "Python (requests)": "python3",
  "JavaScript (fetch)": "node",
  "JavaScript (openai)": "node",
  "AI SDK": "node",
};
const FILES: Record<string, string> = {
  curl: "request.sh",
  "Python (requests)": "request.py",
  "Python (openai)": "request_openai.py",
  "JavaScript (fetch)": "request.mjs",
  "JavaScript (openai)": "request-openai.mjs",
  "AI SDK": "request-ai-sdk.mjs",
};

/** Under node_modules, so that Node resolves `openai`, `ai` and the provider package. */
let dir: string;
test.beforeAll(async () => {
  const cache = path.join(process.cwd(), "node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  dir = await mkdtemp(path.join(cache, "view-code-e2e-"));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(dialog: Locator, tab: string): Promise<string> {
  await dialog.getByRole("tab", { name: tab, exact: true }).click();
  const code = dialog.getByRole("region", { name: `${tab} code` }).locator("code");
  await expect(code).toBeVisible();
  return (await code.textContent()) ?? "";
}

async function runCode(tab: string, code: string, file: string): Promise<string> {
  await writeFile(file, code);
  if (tab === "Python (openai)") {
    // The openai package for Python is not installed here: its syntax is checked.
    await run("python3", ["-m", "py_compile", file]);
    return "";
  }
  const { stdout } = await run(RUNNERS[tab]!, [file], {
    cwd: dir,
    timeout: 30_000,
    // Only what a reader would set: the key and base-URL variables.
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      HOME: tmpdir(),
      AIMLAPI_API_KEY: SNIPPET_KEY,
      AIMLAPI_BASE_URL: FAKE_BASE_URL,
    },
  });
  return stdout;
}

async function setParameters(page: Page) {
  const panel = page.getByRole("complementary", { name: "Parameters" });
  await panel.getByRole("textbox", { name: "System prompt" }).fill('You are terse. It\'s "fine".');
  await panel.getByRole("combobox", { name: "Reasoning effort" }).selectOption("low");
  await panel.getByRole("spinbutton", { name: "Temperature", exact: true }).fill("0.7");
  await panel.getByRole("spinbutton", { name: "Seed", exact: true }).fill("42");
  await panel.getByRole("spinbutton", { name: "Top K", exact: true }).fill("40");
}

test("each tab's code sends the body the app sends on Send, streaming and not", async ({
  page,
  context,
  scenario,
  upstream,
}) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await scenario.script(stream({ reasoning: ["Weighing it."], answer: ["Short answer."] }));
  await page.goto("/");
  await setParameters(page);
  const text = `Which is it? ${scenario.tag}`;
  await page.getByRole("textbox", { name: "Message" }).fill(text);

  await page.getByRole("button", { name: "View code" }).click();
  const dialog = page.getByRole("dialog", { name: "View code" });
  await expect(dialog).toBeVisible();
  const streamSwitch = dialog.getByRole("switch", { name: "Stream" });
  await expect(streamSwitch).toBeChecked();

  // Keyboard: arrows move between the tabs.
  await dialog.getByRole("tab", { name: "curl" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(dialog.getByRole("tab", { name: "Python (requests)" })).toBeFocused();
  await expect(dialog.getByRole("tab", { name: "Python (requests)" })).toHaveAttribute(
    "aria-selected",
    "true",
  );

  const ran: { tab: string; stream: boolean }[] = [];
  for (const streaming of [true, false]) {
    if (!streaming) {
      await streamSwitch.click();
      await expect(streamSwitch).not.toBeChecked();
    }
    for (const tab of Object.keys(FILES)) {
      const code = await codeOf(dialog, tab);
      expect(code, tab).not.toContain(SNIPPET_KEY);
      expect(code, tab).not.toContain(E2E_API_KEY);
      expect(code, tab).toContain(streaming ? "stream" : "openai/gpt-oss-120b");
      if (tab === "curl" && streaming) {
        // Copy puts exactly the code's text on the clipboard.
        await dialog.getByRole("button", { name: "Copy", exact: true }).click();
        await expect(dialog.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
      }
      const output = await runCode(tab, code, path.join(dir, `${streaming}-${FILES[tab]}`));
      if (tab === "Python (openai)") continue;
      ran.push({ tab, stream: streaming });
      expect(output, tab).toContain("Short answer.");
      if (streaming && tab !== "curl") expect(output, tab).toContain("Weighing it.");
    }
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "View code" })).toBeFocused();

  await page.getByRole("textbox", { name: "Message" }).press("Enter");
  await answered(page, "Short answer.");
  const requests = await upstream.requests(scenario.key);
  expect(requests).toHaveLength(ran.length + 1);
  const sent = requests.at(-1)!.body as Body;
  expect(sent).toMatchObject({
    model: "openai/gpt-oss-120b",
    temperature: 0.7,
    seed: 42,
    top_k: 40,
    reasoning_effort: "low",
    stream: true,
  });
  const { stream: _s, stream_options: _o, ...once } = sent;
  ran.forEach(({ tab, stream: streaming }, i) => {
    const request = requests[i]!;
    expect(request.body, `${tab} (${streaming ? "stream" : "JSON"})`).toEqual(
      streaming ? sent : once,
    );
    expect(request.headers.authorization).toBe(`Bearer ${SNIPPET_KEY}`);
  });
});
