import type { Page } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";
import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { errorBodies, httpError, stream } from "./fake-upstream/scenario";

/** Every body the page fetches, to prove the key is in none of them; `read()` waits for all. */
function collectBodies(page: Page) {
  const reads: Promise<{ url: string; text: string }>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "fetch") return;
    // A body the browser dropped (a stream cut off by a navigation) reads as "": nothing to leak.
    reads.push(
      response.text().then(
        (text) => ({ url: response.url(), text }),
        () => ({ url: response.url(), text: "" }),
      ),
    );
  });
  return { read: () => Promise.all(reads) };
}

async function openInspect(page: Page) {
  await lastTurn(page).getByRole("button", { name: "Inspect" }).click();
  const dialog = page.getByRole("dialog", { name: "Inspect" });
  await expect(dialog).toBeVisible();
  return dialog;
}

const conversationId = (page: Page) => new URL(page.url()).pathname.split("/").at(-1)!;

test("Inspect on a finished turn: the request as sent, every chunk, the assembled response and the timeline", async ({
  page,
  scenario,
  upstream,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  const bodies = collectBodies(page);
  await scenario.script(
    stream({
      reasoning: ["Think", "ing."],
      answer: ["Hello", " there."],
      usage: { prompt_tokens: 31, completion_tokens: 9, reasoning_tokens: 4 },
      meta: { usd_spent: 0.00042 },
      // Every line 300 ms after the one before: gaps the timeline must show.
      delayMs: 300,
    }),
  );
  await page.goto("/");
  const panel = page.getByRole("complementary", { name: "Parameters" });
  await panel.getByRole("combobox", { name: "Reasoning effort" }).selectOption("low");
  await page.getByRole("spinbutton", { name: "Temperature", exact: true }).fill("0.3");
  await page.getByRole("spinbutton", { name: "Seed", exact: true }).fill("7");
  await ask(page, `Say hello ${scenario.tag}`);
  await answered(page, "Hello there.");
  const [sent] = await upstream.requests(scenario.key);
  // Role, two reasoning, two answer, finish, usage, [DONE].
  expect(sent!.sentLines).toBe(8);

  const dialog = await openInspect(page);
  await expect(dialog.getByRole("tab", { name: "Request" })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  const body = dialog.getByRole("region", { name: "Request body" });
  await expect(body).toContainText('"temperature": 0.3');
  await expect(body).toContainText('"seed": 7');
  await expect(body).toContainText('"reasoning_effort": "low"');
  await expect(body).toContainText(`Say hello ${scenario.tag}`);
  const destination = dialog.getByRole("definition");
  await expect(destination.filter({ hasText: "AI/ML API" })).toHaveCount(1);
  await expect(destination.filter({ hasText: "openai/gpt-oss-120b" })).toHaveCount(1);
  await expect(dialog.getByRole("table", { name: "Attempts" })).toContainText("200");
  // The tabs follow the arrow keys.
  await dialog.getByRole("tab", { name: "Request" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(dialog.getByRole("tab", { name: "Response" })).toBeFocused();
  await expect(dialog.getByRole("tab", { name: "Response" })).toHaveAttribute(
    "aria-selected",
    "true",
  );

  await dialog.getByRole("tab", { name: "Chunks" }).click();
  await expect(dialog.getByRole("status", { name: "Chunk count" })).toHaveText(
    `${sent!.sentLines} chunks`,
  );
  const list = dialog.getByRole("listbox", { name: "Chunks" });
  await expect(list.getByRole("option")).toHaveCount(sent!.sentLines);
  await expect(list.getByRole("option").first()).toContainText("role");
  await expect(list.getByRole("option").last()).toContainText("data: [DONE]");
  // The keyboard selects a row and shows its whole line.
  await list.focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(list.getByRole("option", { selected: true })).toContainText("reasoning");
  await expect(dialog.getByRole("region", { name: "Selected chunk" })).toContainText(
    '"reasoning_content":"Think"',
  );
  await dialog.getByRole("searchbox", { name: "Filter chunks" }).fill("usage");
  await expect(dialog.getByRole("status", { name: "Chunk count" })).toHaveText(
    `1 of ${sent!.sentLines} chunks`,
  );
  await expect(list.getByRole("option")).toHaveCount(1);

  await dialog.getByRole("tab", { name: "Response" }).click();
  const response = dialog.getByRole("region", { name: "Assembled response" });
  await expect(response).toContainText('"content": "Hello there."');
  await expect(response).toContainText('"reasoning_content": "Thinking."');
  await expect(response).toContainText('"finish_reason": "stop"');
  await expect(response).toContainText('"prompt_tokens": 31');
  await expect(response).toContainText('"completion_tokens": 9');
  await expect(response).toContainText('"usd_spent": 0.00042');

  await dialog.getByRole("tab", { name: "Timeline" }).click();
  const marks = dialog.getByRole("region", { name: "Marks" });
  for (const mark of ["First reasoning token", "First answer token", "End of reasoning", "End"])
    await expect(marks.getByRole("listitem").filter({ hasText: `${mark}:` })).toHaveCount(1);
  // Seven gaps were sent; a busy machine may deliver two lines in one read, so at least one.
  const gaps = dialog.getByRole("region", { name: "Gaps" });
  await expect(
    gaps.getByRole("heading", { name: /^Gaps of 250 ms or more: [1-7]$/ }),
  ).toBeVisible();
  await expect(gaps.getByRole("listitem").first()).toHaveText(/^\d{3,} ms, from /);
  await expect(dialog.getByRole("img", { name: /^Reasoning lane: 2 chunks/ })).toBeVisible();
  await expect(dialog.getByRole("img", { name: /^Answer lane: 2 chunks/ })).toBeVisible();

  await expect(dialog).not.toContainText(E2E_API_KEY);
  const read = await bodies.read();
  expect(read.some((b) => b.url.endsWith("/exchange"))).toBe(true);
  for (const { url, text } of read) expect(text, url).not.toContain(E2E_API_KEY);
  expect(await page.content()).not.toContain(E2E_API_KEY);
});

test("Inspect on a failed turn shows the upstream's error body, the key redacted", async ({
  page,
  scenario,
}) => {
  const bodies = collectBodies(page);
  await scenario.script(
    httpError(401, errorBodies.openai(`Incorrect API key provided: ${E2E_API_KEY}`)),
  );
  await page.goto("/");
  await ask(page, `Fail ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("alert")).toBeVisible();

  const dialog = await openInspect(page);
  await dialog.getByRole("tab", { name: "Response" }).click();
  await expect(dialog).toContainText("HTTP 401");
  const error = dialog.getByRole("region", { name: "Upstream error" });
  await expect(error).toContainText('"message": "Incorrect API key provided: [redacted]"');
  await expect(error).toContainText('"type": "invalid_request_error"');
  await expect(dialog).not.toContainText(E2E_API_KEY);
  const read = await bodies.read();
  expect(read.some((b) => b.url.endsWith("/exchange"))).toBe(true);
  for (const { url, text } of read) expect(text, url).not.toContain(E2E_API_KEY);
});

test("the JSON export carries the raw exchange; a share link serves it only when ticked", async ({
  page,
  scenario,
}) => {
  await scenario.script(stream({ answer: ["Exported."] }));
  await page.goto("/");
  await ask(page, `Export me ${scenario.tag}`);
  await answered(page, "Exported.");
  await expect(page).toHaveURL(/\/c\//);

  const exported = await page.request.get(`/api/conversations/${conversationId(page)}/export`);
  expect(exported.status()).toBe(200);
  const text = await exported.text();
  expect(text).not.toContain(E2E_API_KEY);
  const file = JSON.parse(text) as {
    messages: { id: string; role: string; exchange?: { lines: unknown[]; request: unknown } }[];
  };
  const turn = file.messages.find((m) => m.role === "assistant")!;
  expect(turn.exchange?.lines.length).toBeGreaterThan(5);
  expect(JSON.stringify(turn.exchange?.request)).toContain(`Export me ${scenario.tag}`);

  const share = async (includeExchange: boolean) => {
    await page.getByRole("button", { name: "Share", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Share conversation" });
    const box = dialog.getByRole("checkbox", { name: "Include raw exchange" });
    await expect(box).not.toBeChecked();
    await box.setChecked(includeExchange);
    await dialog.getByRole("button", { name: "Create link" }).click();
    const url = await dialog.getByRole("textbox", { name: "Share link" }).inputValue();
    await dialog.getByRole("button", { name: "Close" }).click();
    return new URL(url).pathname;
  };
  const viewer = await page
    .context()
    .browser()!
    .newContext({ baseURL: new URL(page.url()).origin });
  try {
    const plain = await share(false);
    expect((await viewer.request.get(`${plain}/exchange/${turn.id}`)).status()).toBe(404);
    const withExchange = await share(true);
    const served = await viewer.request.get(`${withExchange}/exchange/${turn.id}`);
    expect(served.status()).toBe(200);
    const body = await served.text();
    expect(body).not.toContain(E2E_API_KEY);
    expect((JSON.parse(body) as { exchange: { lines: unknown[] } }).exchange.lines).toEqual(
      turn.exchange!.lines,
    );
    // The shared page links the turn to it, and only on the link that includes it.
    const reader = await viewer.newPage();
    await reader.goto(plain);
    await expect(reader.getByRole("article", { name: "Assistant turn 1" })).toBeVisible();
    await expect(reader.getByRole("link", { name: "Raw exchange (JSON)" })).toHaveCount(0);
    await reader.goto(withExchange);
    const link = reader.getByRole("link", { name: "Raw exchange (JSON)" });
    await expect(link).toHaveAttribute(
      "href",
      `${withExchange.split("/").at(-1)}/exchange/${turn.id}`,
    );
    const followed = await viewer.request.get(
      new URL((await link.getAttribute("href"))!, reader.url()).href,
    );
    expect(followed.status()).toBe(200);
  } finally {
    await viewer.close();
  }
});
