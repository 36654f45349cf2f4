import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";
import { createAppServer, type AppServer } from "./support/app-server";

const FAKE_ORIGIN = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}`;

test.describe("conversations outlive the server process (PGlite)", () => {
  test.describe.configure({ timeout: 90_000 });
  let server: AppServer;

  test.beforeEach(async () => {
    server = await createAppServer({ fakeUpstreamOrigin: FAKE_ORIGIN });
    await server.start();
  });

  test.afterEach(async () => {
    await server.dispose();
  });

  test("a conversation survives a server restart", async ({ browser, scenario }) => {
    await scenario.script(
      stream({ reasoning: ["Durable thoughts."], answer: ["Durable answer."] }),
    );
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto("/");
    await ask(page, `Keep me ${scenario.tag}`);
    await answered(page, "Durable answer.", { timeout: 20_000 });
    await expect(page).toHaveURL(/\/c\//);
    const url = page.url();

    await server.stop("SIGTERM");
    await server.start();

    await page.goto(url);
    await expect(page.getByRole("article", { name: "Your message 1" })).toContainText("Keep me");
    await expect(lastTurn(page).getByRole("region", { name: "Reasoning" })).toContainText(
      "Durable thoughts.",
    );
    await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(
      "Durable answer.",
    );
    await context.close();
  });

  test("SIGKILL mid-stream: earlier messages are there, the interrupted turn shows as interrupted", async ({
    browser,
    scenario,
  }) => {
    await scenario.script(stream({ reasoning: ["Before."], answer: ["Earlier answer."] }));
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto("/");
    await ask(page, `First question ${scenario.tag}`);
    await answered(page, "Earlier answer.", { timeout: 20_000 });

    const pieces = Array.from({ length: 80 }, (_, i) => ` chunk${i}`);
    await scenario.script(stream({ reasoning: ["Slow thinking."], answer: pieces, delayMs: 100 }));
    await ask(page, `Second question ${scenario.tag}`);
    const second = page.getByRole("article", { name: "Assistant turn 2" });
    // Wait past a checkpoint (about one second), so that some of the answer is on disk.
    await expect(second.getByRole("region", { name: "Answer" })).toContainText("chunk15", {
      timeout: 10_000,
    });
    const url = page.url();

    await server.stop("SIGKILL");
    await server.start();

    await page.goto(url);
    await expect(page.getByRole("article", { name: "Your message 1" })).toContainText(
      "First question",
    );
    await expect(page.getByRole("article", { name: "Assistant turn 1" })).toContainText(
      "Earlier answer.",
      { timeout: 20_000 },
    );
    await expect(page.getByRole("article", { name: "Your message 2" })).toContainText(
      "Second question",
    );
    const interrupted = page.getByRole("article", { name: "Assistant turn 2" });
    await expect(interrupted.getByText("Interrupted", { exact: true })).toBeVisible();
    await expect(interrupted.getByRole("region", { name: "Answer" })).toContainText("chunk1");
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
    await context.close();
  });
});
