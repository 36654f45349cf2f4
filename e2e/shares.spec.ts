import type { Page } from "@playwright/test";
import { PGlite } from "@electric-sql/pglite";
import { ask, expect, lastTurn, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";
import { createAppServer } from "./support/app-server";

const FAKE_ORIGIN = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}`;

async function createLink(
  page: Page,
  options: {
    reasoning?: boolean;
    settings?: boolean;
    systemPrompt?: boolean;
    expires?: string;
  } = {},
): Promise<string> {
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Share conversation" });
  // What a link includes is shown before it is created; the private parts are off by default.
  const included = dialog.getByRole("group", { name: "What the link includes" });
  await expect(included.getByRole("checkbox", { name: "Include reasoning" })).toBeChecked();
  await expect(
    included.getByRole("checkbox", { name: "Include model and parameters" }),
  ).toBeChecked();
  await expect(included.getByRole("checkbox", { name: "Include system prompt" })).not.toBeChecked();
  await expect(included.getByRole("checkbox", { name: "Include raw exchange" })).not.toBeChecked();
  await included
    .getByRole("checkbox", { name: "Include reasoning" })
    .setChecked(options.reasoning ?? true);
  await included
    .getByRole("checkbox", { name: "Include model and parameters" })
    .setChecked(options.settings ?? true);
  if (options.systemPrompt)
    await included.getByRole("checkbox", { name: "Include system prompt" }).check();
  if (options.expires)
    await dialog
      .getByRole("combobox", { name: "Expires" })
      .selectOption({ label: options.expires });
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = await dialog.getByRole("textbox", { name: "Share link" }).inputValue();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{22,}$/);
  // At least 128 random bits: 22 base64url characters carry 132.
  return new URL(url).pathname;
}

test("a share link: read-only snapshot in a fresh browser, frozen, server-rendered, revocable, forkable", async ({
  page,
  browser,
  scenario,
  upstream,
}) => {
  // Three links, two browsers, a revoke and a fork: about 25 s on a loaded 2-core machine.
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await scenario.script(stream({ reasoning: ["Shared thoughts."], answer: ["Shared answer."] }));
  await page.goto("/");
  await page.getByRole("textbox", { name: "System prompt" }).fill("Secret system prompt.");
  await ask(page, `Share me ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "Shared answer.",
  );
  const path = await createLink(page, { systemPrompt: true });
  const private_ = await createLink(page, { reasoning: false, settings: false });
  const byDefault = await createLink(page);

  // Later messages do not appear in the snapshot.
  await scenario.script(stream({ answer: ["Later answer."] }));
  await ask(page, `Added later ${scenario.tag}`);
  await expect(page.getByRole("article", { name: "Assistant turn 2" })).toContainText(
    "Later answer.",
  );

  const stranger = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const viewer = await stranger.newPage();
  const response = await viewer.goto(path);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(viewer.getByRole("article", { name: "Your message 1" })).toContainText("Share me");
  await expect(lastTurn(viewer).getByRole("region", { name: "Reasoning" })).toContainText(
    "Shared thoughts.",
  );
  await expect(lastTurn(viewer).getByRole("region", { name: "Answer" })).toContainText(
    "Shared answer.",
  );
  await expect(viewer.getByRole("region", { name: "Settings" })).toContainText(
    "Secret system prompt.",
  );
  await expect(viewer.getByText("Added later")).toHaveCount(0);
  await expect(viewer.getByRole("textbox", { name: "Message" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Regenerate" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Edit message" })).toHaveCount(0);

  // Rendered on the server, interactive where it needs to be: reasoning folds, answers copy.
  const reasoningPane = lastTurn(viewer).getByRole("region", { name: "Reasoning" });
  await reasoningPane.getByRole("button", { name: "Collapse reasoning" }).click();
  await expect(reasoningPane.getByText("Shared thoughts.")).toBeHidden();
  await reasoningPane.getByRole("button", { name: "Expand reasoning" }).click();
  await expect(reasoningPane.getByText("Shared thoughts.")).toBeVisible();
  await lastTurn(viewer).getByRole("button", { name: "Copy answer" }).click();
  expect(await viewer.evaluate(() => navigator.clipboard.readText())).toBe("Shared answer.");

  // Rendered on the server: the text is in the HTML, with noindex and link-preview metadata.
  const html = await (await stranger.request.get(path)).text();
  expect(html).toContain("Shared answer.");
  expect(html).toContain("Share me");
  expect(html).toMatch(/<meta name="robots" content="noindex, ?nofollow"/);
  expect(html).toMatch(/<meta property="og:title" content="Share me/);
  expect(html).toMatch(/<meta property="og:description" content="Share me/);
  expect(html).not.toContain("tp_owner");

  // Without reasoning and settings, they are not there at all.
  const privateHtml = await (await stranger.request.get(private_)).text();
  expect(privateHtml).toContain("Shared answer.");
  expect(privateHtml).not.toContain("Shared thoughts.");
  expect(privateHtml).not.toContain("Secret system prompt.");

  // By default: the model, not the system prompt.
  const defaultHtml = await (await stranger.request.get(byDefault)).text();
  expect(defaultHtml).toContain('aria-label="Settings"');
  expect(defaultHtml).not.toContain("Secret system prompt.");

  // Fork: the viewer's own copy, with the same settings, that they can continue.
  await scenario.script(stream({ answer: ["Fork answer."] }));
  await viewer.getByRole("button", { name: "Continue in playground" }).click();
  await expect(viewer).toHaveURL(/\/c\/[A-Za-z0-9_-]+$/);
  await expect(viewer.getByRole("article", { name: "Your message 1" })).toContainText("Share me");
  await expect(viewer.getByRole("textbox", { name: "System prompt" })).toHaveValue(
    "Secret system prompt.",
  );
  await ask(viewer, `Continue ${scenario.tag}`);
  await expect(viewer.getByRole("article", { name: "Assistant turn 2" })).toContainText(
    "Fork answer.",
  );
  const forkRequest = (await upstream.requests(scenario.key)).at(-1)!.body as {
    messages: { role: string; content: string }[];
  };
  expect(forkRequest.messages[0]).toEqual({ role: "system", content: "Secret system prompt." });
  // The owner's conversation did not change.
  await page.reload();
  await expect(page.getByRole("article", { name: /^Assistant turn/ })).toHaveCount(2);
  await expect(page.getByText("Continue")).toHaveCount(0);

  // Revoking answers 404 at once.
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Share conversation" });
  await dialog
    .getByRole("button", { name: `Revoke link ${path.split("/").at(-1)!.slice(0, 10)}` })
    .click();
  await expect(dialog).toContainText("revoked");
  expect((await stranger.request.get(path)).status()).toBe(404);
  expect((await stranger.request.post(`/api/shares${path.slice(2)}/fork`)).status()).toBe(404);
  await stranger.close();
});

test("an expired link answers 404", async ({ browser }) => {
  test.setTimeout(90_000);
  const server = await createAppServer({ fakeUpstreamOrigin: FAKE_ORIGIN });
  try {
    await server.start();
    const owner = await browser.newContext({ baseURL: server.url });
    const page = await owner.newPage();
    await page.goto("/");
    await ask(page, "Expire me");
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
      "fake upstream",
    );
    const path = await createLink(page, { expires: "1 day" });
    const viewer = await browser.newContext({ baseURL: server.url });
    expect((await viewer.request.get(path)).status()).toBe(200);

    // A day passes: move the link's expiry into the past, in the app's own data folder.
    await server.stop();
    const db = new PGlite(`${server.dataDir}/pglite`);
    const result = await db.query(
      "UPDATE shares SET expires_at = now() - interval '1 minute' WHERE token = $1",
      [path.split("/").at(-1)],
    );
    expect(result.affectedRows).toBe(1);
    await db.close();
    await server.start();

    expect((await viewer.request.get(path)).status()).toBe(404);
    await owner.close();
    await viewer.close();
  } finally {
    await server.dispose();
  }
});
