import type { Page } from "@playwright/test";
import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";

async function conversationId(page: Page): Promise<string> {
  await expect(page).toHaveURL(/\/c\/[A-Za-z0-9_-]+$/);
  return new URL(page.url()).pathname.split("/").at(-1)!;
}

test("a conversation has its own URL and survives a reload, settings included", async ({
  page,
  scenario,
}) => {
  await scenario.script(stream({ reasoning: ["Saved thoughts."], answer: ["Saved answer."] }));
  await page.goto("/");
  await page.getByRole("spinbutton", { name: "Temperature", exact: true }).fill("0.4");
  await page.getByRole("textbox", { name: "System prompt" }).fill("Be brief.");
  await ask(page, `Remember me ${scenario.tag}`);
  await answered(page, "Saved answer.");
  const id = await conversationId(page);

  // Another conversation's settings in the browser must not leak into this one on reload.
  await page.getByRole("spinbutton", { name: "Temperature", exact: true }).fill("1.5");
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  await expect(page.getByRole("article", { name: "Your message 1" })).toContainText("Remember me");
  await expect(lastTurn(page).getByRole("region", { name: "Reasoning" })).toContainText(
    "Saved thoughts.",
  );
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "Saved answer.",
  );
  await expect(lastTurn(page).getByRole("group", { name: "Usage" })).toBeVisible();
  await expect(page.getByRole("spinbutton", { name: "Temperature", exact: true })).toHaveValue(
    "0.4",
  );
  await expect(page.getByRole("textbox", { name: "System prompt" })).toHaveValue("Be brief.");
});

test("the server keeps history: a second turn sends the stored first one", async ({
  page,
  scenario,
  upstream,
}) => {
  await scenario.script(stream({ answer: ["First."] }));
  await page.goto("/");
  await ask(page, `One ${scenario.tag}`);
  await answered(page, "First.");
  await page.reload();
  await ask(page, `Two ${scenario.tag}`);
  await expect(page.getByRole("article", { name: "Assistant turn 2" })).toContainText("First.");
  const requests = await upstream.requests(scenario.key);
  const body = requests[1]!.body as { messages: { role: string; content: string }[] };
  expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  expect(body.messages[0]!.content).toContain("One");
});

test("closing the tab mid-stream: the finished answer is in the conversation afterwards", async ({
  page,
  context,
  scenario,
  upstream,
}) => {
  const pieces = Array.from({ length: 20 }, (_, i) => ` part${i}`);
  await scenario.script(stream({ reasoning: ["Thinking."], answer: pieces, delayMs: 100 }));
  await page.goto("/");
  await ask(page, `Close me ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("part1");
  const id = await conversationId(page);
  await page.close();

  const request = await upstream.waitForRequest(scenario.key);
  expect(request.clientClosed).toBe(false);
  const again = await context.newPage();
  await again.goto(`/c/${id}`);
  await expect(lastTurn(again).getByRole("region", { name: "Answer" })).toContainText("part19", {
    timeout: 10_000,
  });
  await again.reload();
  await expect(lastTurn(again).getByRole("region", { name: "Answer" })).toContainText(
    "part0 part1",
  );
  await expect(lastTurn(again).getByRole("region", { name: "Answer" })).toContainText("part19");
  expect((await upstream.requests(scenario.key))[0]!.completed).toBe(true);
});

test("reloading during a generation shows the turn and keeps streaming it", async ({
  page,
  scenario,
}) => {
  const pieces = Array.from({ length: 60 }, (_, i) => ` bit${i}`);
  await scenario.script(
    stream({
      reasoning: ["Long thought."],
      answer: pieces,
      delayMs: 20,
      // Held after the role chunk, the reasoning and bit0..bit2 (data events): the generation
      // is surely still running when the page comes back, however slow the machine.
      holdAfter: [1 + 1 + 3],
    }),
  );
  await page.goto("/");
  await ask(page, `Reload me ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("bit2");
  await page.reload();
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("bit2");
  await scenario.release();
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("bit59", {
    timeout: 20_000,
  });
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText("bit0 bit1");
  await expect(page.getByRole("article", { name: /^Assistant turn/ })).toHaveCount(1);
});

test("the history sidebar: titles, newest first, filter, rename, delete with confirmation", async ({
  page,
  scenario,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await scenario.script(stream({ answer: ["ok"] }));
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Conversations" });
  await ask(page, `Alpha topic ${scenario.tag}`);
  await answered(page, "ok");
  await page.getByRole("button", { name: "New chat" }).click();
  await expect(page).toHaveURL(/\/$/);
  await ask(page, `Beta topic ${scenario.tag}`);
  await answered(page, "ok");

  const links = nav.getByRole("link");
  await expect(links.first()).toContainText("Beta topic");
  await expect(nav.getByRole("link", { name: /Alpha topic/ })).toBeVisible();

  await nav.getByRole("searchbox", { name: "Filter conversations" }).fill("alpha");
  await expect(nav.getByRole("link", { name: /Alpha topic/ })).toBeVisible();
  await expect(nav.getByRole("link", { name: /Beta topic/ })).toHaveCount(0);
  await nav.getByRole("searchbox", { name: "Filter conversations" }).fill("");

  await nav.getByRole("button", { name: /^Rename “Alpha topic/ }).click();
  await nav.getByRole("textbox", { name: "Conversation title" }).fill("Renamed by test");
  await nav.getByRole("textbox", { name: "Conversation title" }).press("Enter");
  await expect(nav.getByRole("link", { name: "Renamed by test" })).toBeVisible();

  await nav.getByRole("button", { name: "Delete “Renamed by test”" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete conversation?" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(nav.getByRole("link", { name: "Renamed by test" })).toBeVisible();
  await nav.getByRole("button", { name: "Delete “Renamed by test”" }).click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(nav.getByRole("link", { name: "Renamed by test" })).toHaveCount(0);

  // Keyboard: the filter and the links are reachable with Tab.
  await nav.getByRole("searchbox", { name: "Filter conversations" }).focus();
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link").first()).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("article", { name: "Your message 1" })).toContainText("Beta topic");
});

test("export as Markdown and JSON, and import the JSON as a new conversation", async ({
  page,
  scenario,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await scenario.script(
    stream({ reasoning: ["Export thoughts."], answer: ["Export **answer**."] }),
  );
  await page.goto("/");
  await ask(page, `Export me ${scenario.tag}`);
  await answered(page, "Export answer.");
  const id = await conversationId(page);

  const markdown = await page.request.get(`/api/conversations/${id}/export?format=markdown`);
  expect(markdown.headers()["content-disposition"]).toContain(".md");
  const md = await markdown.text();
  expect(md).toContain("## You");
  expect(md).toContain("Export me");
  expect(md).toContain("> Export thoughts.");
  expect(md).toContain("Export **answer**.");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export and import" }).click();
  await page.getByRole("menuitem", { name: "Export JSON" }).click();
  const file = await (await download).path();
  const { readFile } = await import("node:fs/promises");
  const json = JSON.parse(await readFile(file, "utf8")) as { format: string; messages: unknown[] };
  expect(json.format).toBe("thinkpane.conversation");
  expect(json.messages).toHaveLength(2);

  await page.getByLabel("Import conversation (JSON)").setInputFiles(file);
  await expect(page).not.toHaveURL(new RegExp(`/c/${id}$`));
  const imported = await conversationId(page);
  expect(imported).not.toBe(id);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "Export answer.",
  );
  await expect(lastTurn(page).getByRole("region", { name: "Reasoning" })).toContainText(
    "Export thoughts.",
  );
});

test("another browser gets 404 for someone else's conversation on every page and route", async ({
  page,
  browser,
  scenario,
}) => {
  await scenario.script(stream({ answer: ["Private."] }));
  await page.goto("/");
  await ask(page, `Mine only ${scenario.tag}`);
  await answered(page, "Private.");
  const id = await conversationId(page);
  const shareResponse = await page.request.post(`/api/conversations/${id}/shares`, { data: {} });
  expect(shareResponse.status()).toBe(201);

  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  const visit = await other.goto(`/c/${id}`);
  expect(visit?.status()).toBe(404);
  await expect(other.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(other.getByText("Mine only")).toHaveCount(0);

  const api = other.request;
  const settings = { model: "openai/gpt-oss-120b", params: {} };
  const attempts = [
    api.get(`/api/chat/${id}/stream`),
    api.post(`/api/chat/${id}/stop`),
    api.post("/api/chat", {
      data: {
        conversationId: id,
        trigger: "submit-message",
        message: { id: "x1", text: "hijack" },
        settings,
      },
    }),
    api.post("/api/chat", {
      data: { conversationId: id, trigger: "regenerate-message", settings },
    }),
    api.patch(`/api/conversations/${id}`, { data: { title: "stolen" } }),
    api.delete(`/api/conversations/${id}`),
    api.get(`/api/conversations/${id}/export?format=json`),
    api.get(`/api/conversations/${id}/export?format=markdown`),
    api.get(`/api/conversations/${id}/shares`),
    api.post(`/api/conversations/${id}/shares`, { data: {} }),
  ];
  for (const response of await Promise.all(attempts)) {
    expect(response.status(), response.url()).toBe(404);
    expect(await response.text()).not.toContain("Mine only");
  }
  const list = (await (await api.get("/api/conversations")).json()) as { conversations: unknown[] };
  expect(list.conversations).toEqual([]);
  await stranger.close();

  // Still intact for its owner.
  await page.reload();
  await expect(page.getByRole("article", { name: "Your message 1" })).toContainText("Mine only");
});
