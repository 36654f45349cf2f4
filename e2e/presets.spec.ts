import type { Page } from "@playwright/test";
import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";

type Body = Record<string, unknown> & { messages: { role: string; content: unknown }[] };

const panelOf = (page: Page) => page.getByRole("complementary", { name: "Parameters" });
const presetBox = (page: Page) =>
  panelOf(page).getByRole("combobox", { name: "Preset", exact: true });
const number = (page: Page, label: string) =>
  page.getByRole("spinbutton", { name: label, exact: true });

test("a saved preset survives a reload, applies, shows changes, and is its owner's alone", async ({
  page,
  browser,
  baseURL,
  scenario,
  upstream,
}) => {
  // A long journey (two browsers, a turn, a reload, five API calls): about 20 s on a busy
  // machine, which left too little of the default 30 s.
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await scenario.script(stream({ answer: ["ok"] }));
  const name = `Careful ${scenario.key}`;
  await page.goto("/");
  const panel = panelOf(page);

  // Settings to save.
  await panel.getByRole("textbox", { name: "System prompt" }).fill("Think, then answer.");
  await panel.getByRole("combobox", { name: "Reasoning effort" }).selectOption("high");
  await number(page, "Temperature").fill("0.3");
  await number(page, "Seed").fill("7");

  await panel.getByRole("button", { name: "Save as preset…" }).click();
  const saveDialog = page.getByRole("dialog", { name: "Save as preset" });
  await saveDialog.getByRole("textbox", { name: "Preset name" }).fill(name);
  await saveDialog.getByRole("button", { name: "Save" }).click();
  await expect(saveDialog).toBeHidden();
  await expect(presetBox(page).locator("option:checked")).toHaveText(name);
  await expect(panel.getByText("version 1", { exact: true })).toBeVisible();

  // Reload, move away from the preset, then apply it again from the combobox.
  await page.reload();
  await expect(presetBox(page).getByRole("option", { name })).toBeAttached();
  await presetBox(page).selectOption({ label: "None" });
  await panel.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(number(page, "Temperature")).toHaveValue("1");
  await presetBox(page).selectOption({ label: name });
  await expect(number(page, "Temperature")).toHaveValue("0.3");
  await expect(number(page, "Seed")).toHaveValue("7");
  await expect(panel.getByRole("combobox", { name: "Reasoning effort" })).toHaveValue("high");
  await expect(panel.getByRole("textbox", { name: "System prompt" })).toHaveValue(
    "Think, then answer.",
  );
  await expect(panel.getByText("modified", { exact: true })).toHaveCount(0);

  // The next request carries the preset's parameters, and the turn names the preset.
  await ask(page, `With the preset ${scenario.tag}`);
  await answered(page, "ok");
  const body = (await upstream.waitForRequest(scenario.key)).body as Body;
  expect(body).toMatchObject({ temperature: 0.3, seed: 7, reasoning_effort: "high", top_p: 1 });
  expect(body.messages[0]).toEqual({ role: "system", content: "Think, then answer." });
  await expect(lastTurn(page).getByRole("group", { name: "Usage" })).toContainText(`${name} v1`);

  // A change shows as "modified", with what differs.
  await number(page, "Temperature").fill("0.9");
  await expect(panel.getByText("modified", { exact: true })).toBeVisible();
  await expect(panel.getByRole("list", { name: "Differences from the preset" })).toHaveText(
    "Temperature: 0.9 (preset: 0.3)",
  );

  // Update preset: a new version; the panel is no longer modified.
  await panel.getByRole("button", { name: "Update preset" }).click();
  await expect(panel.getByText("version 2", { exact: true })).toBeVisible();
  await expect(panel.getByText("modified", { exact: true })).toHaveCount(0);

  const mine = (await (await page.request.get("/api/presets")).json()) as {
    presets: { id: string; name: string; version: number }[];
  };
  const saved = mine.presets.find((p) => p.name === name);
  expect(saved?.version).toBe(2);
  const id = saved!.id;

  // Another browser: an owner of its own, who neither sees the preset nor reaches it.
  const other = await browser.newContext({ baseURL });
  try {
    const theirs = await other.request.post("/api/presets", {
      data: { name: "Theirs", settings: { model: "openai/gpt-oss-120b", params: {} } },
    });
    expect(theirs.status()).toBe(201);
    expect((await other.request.get(`/api/presets/${id}`)).status()).toBe(404);
    expect(
      (
        await other.request.put(`/api/presets/${id}`, { data: { settings: { model: "x" } } })
      ).status(),
    ).toBe(400);
    expect(
      (
        await other.request.put(`/api/presets/${id}`, {
          data: { settings: { model: "openai/gpt-oss-120b", params: {} } },
        })
      ).status(),
    ).toBe(404);
    expect((await other.request.delete(`/api/presets/${id}`)).status()).toBe(404);
    const list = (await (await other.request.get("/api/presets")).json()) as {
      presets: { id: string }[];
    };
    expect(list.presets.map((p) => p.id)).not.toContain(id);
    const otherPage = await other.newPage();
    await otherPage.setViewportSize({ width: 1280, height: 1000 });
    await otherPage.goto("/");
    await expect(presetBox(otherPage).getByRole("option", { name: "Theirs" })).toBeAttached();
    await expect(presetBox(otherPage).getByRole("option", { name })).toHaveCount(0);
  } finally {
    await other.close();
  }

  // Delete, confirmed in a dialog.
  await panel.getByRole("button", { name: "Delete preset…" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete preset?" });
  await expect(confirm).toContainText(name);
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toBeHidden();
  await expect(presetBox(page).getByRole("option", { name })).toHaveCount(0);
  await expect(presetBox(page)).toHaveValue("");
  expect((await page.request.get(`/api/presets/${id}`)).status()).toBe(404);
});

test("a built-in preset applies from the keyboard and explains its values", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await scenario.script(stream({ answer: ["ok"] }));
  await page.goto("/");
  const box = presetBox(page);
  await box.focus();
  // Keyboard only: None, then recommended, fast, thorough.
  await expect(box).toHaveValue("");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
  await expect(box.locator("option:checked")).toHaveText("gpt-oss: thorough");
  await expect(box).toHaveAccessibleDescription(/65,536/);
  await expect(number(page, "Max completion tokens")).toHaveValue("65536");
  await expect(panelOf(page).getByRole("button", { name: "Delete preset…" })).toBeDisabled();

  await ask(page, `Thorough ${scenario.tag}`);
  await answered(page, "ok");
  const body = (await upstream.waitForRequest(scenario.key)).body as Body;
  expect(body).toMatchObject({ reasoning_effort: "high", max_completion_tokens: 65_536 });
  await expect(lastTurn(page).getByRole("group", { name: "Usage" })).toContainText(
    "gpt-oss: thorough v1",
  );
});

test("rename, export and import presets from the panel; a bad file imports nothing", async ({
  page,
  scenario,
}) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto("/");
  const panel = panelOf(page);
  const name = `Exported ${scenario.key}`;
  const renamed = `Renamed ${scenario.key}`;
  await number(page, "Temperature").fill("0.4");
  await panel.getByRole("button", { name: "Save as preset…" }).click();
  const saveDialog = page.getByRole("dialog", { name: "Save as preset" });
  await saveDialog.getByRole("textbox", { name: "Preset name" }).fill(name);
  await saveDialog.getByRole("textbox", { name: "Preset name" }).press("Enter");
  await expect(saveDialog).toBeHidden();

  await panel.getByRole("button", { name: "Rename preset…" }).click();
  const renameDialog = page.getByRole("dialog", { name: "Rename preset" });
  await expect(renameDialog.getByRole("textbox", { name: "Preset name" })).toHaveValue(name);
  await renameDialog.getByRole("textbox", { name: "Preset name" }).fill(renamed);
  await renameDialog.getByRole("button", { name: "Rename" }).click();
  await expect(renameDialog).toBeHidden();
  await expect(presetBox(page).locator("option:checked")).toHaveText(renamed);

  await panel.getByRole("button", { name: "Import or export…" }).click();
  const transfer = page.getByRole("dialog", { name: "Import or export presets" });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    transfer.getByRole("link", { name: "Export presets" }).click(),
  ]);
  const { readFile } = await import("node:fs/promises");
  const file = JSON.parse(await readFile((await download.path())!, "utf8")) as {
    presets: { name: string; settings: { params: Record<string, unknown> } }[];
  };
  expect(file.presets).toEqual([
    expect.objectContaining({
      name: renamed,
      settings: expect.objectContaining({ params: expect.objectContaining({ temperature: 0.4 }) }),
    }),
  ]);

  const input = transfer.getByLabel("Import presets from a file");
  const bad = structuredClone(file);
  bad.presets.push({ ...structuredClone(file.presets[0]!), name: "Second" });
  bad.presets[1]!.settings.params.temperature = 5;
  await input.setInputFiles({
    name: "bad.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  await expect(transfer.getByRole("alert")).toContainText("Nothing was imported");
  await expect(transfer.getByRole("alert")).toContainText("presets.1.settings.params.temperature");
  await expect(presetBox(page).getByRole("option", { name: "Second" })).toHaveCount(0);

  await input.setInputFiles({
    name: "good.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(file)),
  });
  await expect(transfer.getByRole("status")).toHaveText("Imported 1 preset.");
  await page.keyboard.press("Escape");
  await expect(transfer).toBeHidden();
  await expect(presetBox(page).getByRole("option", { name: `${renamed} (2)` })).toBeAttached();
});
