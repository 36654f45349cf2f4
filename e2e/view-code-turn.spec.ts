import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { answered, ask, expect, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";

/**
 * A turn's View code shows the request that produced it, from the server's record: run as-is,
 * its curl sends the very body the app sent for that turn, settings changed since or not.
 */

const run = promisify(execFile);
const FAKE_BASE_URL = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}/v1`;
const SNIPPET_KEY = "sk-e2e-turn-snippet-5d6e";

test("a turn's View code is the request recorded for it", async ({ page, scenario, upstream }) => {
  await scenario.script(stream({ reasoning: ["Recalling."], answer: ["Recorded answer."] }));
  await page.goto("/");
  const panel = page.getByRole("complementary", { name: "Parameters" });
  await panel.getByRole("spinbutton", { name: "Temperature", exact: true }).fill("0.3");
  await ask(page, `What was sent? ${scenario.tag}`);
  await answered(page, "Recorded answer.");
  // Settings changed after the turn do not change what the turn recorded.
  await panel.getByRole("spinbutton", { name: "Temperature", exact: true }).fill("1.5");

  const turn = page.getByRole("article", { name: "Assistant turn 1", exact: true });
  await turn.getByRole("button", { name: "View code" }).click();
  const dialog = page.getByRole("dialog", { name: "View code" });
  await expect(dialog).toContainText("exactly as it was sent");
  await dialog.getByRole("tab", { name: "curl", exact: true }).click();
  const code = dialog.getByRole("region", { name: "curl code" }).locator("code");
  await expect(code).toContainText("temperature");
  const text = (await code.textContent()) ?? "";
  expect(text).not.toContain(SNIPPET_KEY);

  const dir = await mkdtemp(path.join(tmpdir(), "turn-code-"));
  try {
    const file = path.join(dir, "request.sh");
    await writeFile(file, text);
    const { stdout } = await run("bash", [file], {
      timeout: 30_000,
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        AIMLAPI_API_KEY: SNIPPET_KEY,
        AIMLAPI_BASE_URL: FAKE_BASE_URL,
      },
    });
    expect(stdout).toContain("Recorded answer.");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const [sent, replayed] = await upstream.requests(scenario.key);
  expect(sent!.body).toMatchObject({ temperature: 0.3 });
  expect(replayed!.body).toEqual(sent!.body);
  expect(replayed!.headers.authorization).toBe(`Bearer ${SNIPPET_KEY}`);
});
