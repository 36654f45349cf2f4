import { E2E_API_KEY } from "../playwright.config";
import { ask, expect, lastTurn, test } from "./fixtures";
import { errorBodies, httpError, stream } from "./fake-upstream/scenario";

test("the key reaches the upstream and no response the browser receives", async ({
  page,
  scenario,
  upstream,
  request,
}) => {
  // Every response the page receives. Chat streams are captured in full by routing them through
  // the test; other bodies are read as they arrive, and a GET whose body Chromium has already
  // evicted is fetched again and checked the same way.
  const bodies: { url: string; text: string }[] = [];
  const refetch: string[] = [];
  const reads: Promise<void>[] = [];
  await page.route("**/api/chat", async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    bodies.push({ url: route.request().url(), text });
    await route.fulfill({ response, body: text });
  });
  page.on("response", (response) => {
    if (response.url().endsWith("/api/chat")) return;
    reads.push(
      response.body().then(
        (body) => void bodies.push({ url: response.url(), text: body.toString("utf8") }),
        (error: unknown) => {
          if (response.request().method() !== "GET") throw error;
          refetch.push(response.url());
        },
      ),
    );
  });

  await scenario.script(
    stream({ reasoning: ["Thinking about keys."], answer: ["Here is **markdown** and `code`."] }),
  );
  await page.goto("/");
  await ask(page, `Keys ${scenario.tag}`);
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
    "Here is markdown",
  );
  // An upstream error that echoes the key back must not carry it to the browser either.
  await scenario.script(
    httpError(401, errorBodies.openai(`Invalid key ${E2E_API_KEY} for this org`)),
  );
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(lastTurn(page).getByRole("alert")).toContainText("[redacted]");
  await page.waitForLoadState("networkidle");

  const recorded = await upstream.requests(scenario.key);
  expect(recorded[0]!.headers.authorization).toBe(`Bearer ${E2E_API_KEY}`);

  await Promise.all(reads);
  for (const url of refetch) bodies.push({ url, text: await (await request.get(url)).text() });
  const kinds = new Set(
    bodies.map((b) =>
      b.url.endsWith("/api/chat")
        ? "stream"
        : b.url.includes(".js")
          ? "js"
          : b.url.includes("/api/")
            ? "json"
            : "html",
    ),
  );
  expect([...kinds].sort()).toEqual(expect.arrayContaining(["html", "js", "stream"]));
  for (const body of bodies) expect(body.text, body.url).not.toContain(E2E_API_KEY);

  for (const path of ["/", "/api/models", "/api/chat"]) {
    const text = await (await request.get(path)).text();
    expect(text).not.toContain(E2E_API_KEY);
    expect(text).not.toContain("127.0.0.1:4010");
  }
});

test("model output renders as untrusted: no raw HTML, no auto-loaded images, only safe links", async ({
  page,
  scenario,
}) => {
  const external: string[] = [];
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, async (route) => {
    external.push(route.request().url());
    await route.abort();
  });
  let dialogs = 0;
  page.on("dialog", async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  const answer = [
    "<script>alert(1)</script>\n\n",
    '<img src="https://tracker.example/pixel.gif" onerror="alert(2)">\n\n',
    "![pixel](https://tracker.example/p.png)\n\n",
    "[bad](javascript:alert(3)) [data](data:text/html,<script>alert(4)</script>) [good](https://example.com/ok) [mail](mailto:a@example.com)\n\n",
    "```python\nprint('hi')\n```\n\n",
    "Math: $x^2$\n",
  ];
  await scenario.script(stream({ answer }));
  await page.goto("/");
  await ask(page, `Hostile ${scenario.tag}`);
  const pane = lastTurn(page).getByRole("region", { name: "Answer" });
  await expect(pane).toContainText("print('hi')");
  await expect(pane).toContainText("<script>alert(1)</script>");
  await expect(pane.locator("script")).toHaveCount(0);
  await expect(pane.locator("img")).toHaveCount(0);
  await expect(pane).toContainText("Image not loaded: pixel");
  const hrefs = await pane
    .locator("a[href]")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  expect(hrefs).toEqual(expect.arrayContaining(["https://example.com/ok", "mailto:a@example.com"]));
  for (const href of hrefs) expect(href).toMatch(/^(https?:|mailto:|#)/);
  await expect(pane.getByRole("button", { name: /copy/i }).first()).toBeVisible();
  expect(dialogs).toBe(0);
  expect(external).toEqual([]);
});
