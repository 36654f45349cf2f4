import type { BrowserContext } from "@playwright/test";
import { answered, ask, expect, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";
import { createAppServer, type AppServer } from "./support/app-server";

/**
 * A team's private server: ACCESS_CODES gate every page and route but shared links and health,
 * sessions are cookies that sign-out ends, and per-user budgets answer 429 with a message that
 * names the limit.
 */
const FAKE_ORIGIN = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}`;
const ALICE = "alice-code-7d1f93";
const BOB = "bob-code-52a8c0";

test.describe("access codes and budgets", () => {
  test.describe.configure({ mode: "serial", timeout: 90_000 });
  let server: AppServer;

  test.beforeAll(async () => {
    // Starting a server (PGlite included) is slow on a loaded machine.
    test.setTimeout(120_000);
    server = await createAppServer({
      fakeUpstreamOrigin: FAKE_ORIGIN,
      env: {
        ACCESS_CODES: `alice:${ALICE},bob:${BOB}`,
        RATE_LIMIT_REQUESTS_PER_MINUTE: "2",
      },
    });
    await server.start();
  });

  test.afterAll(async () => {
    await server?.dispose();
  });

  async function signedIn(context: BrowserContext, code: string) {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await expect(page).toHaveURL(`${server.url}/sign-in`);
    await page.getByLabel("Access code").fill(code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${server.url}/`);
    return page;
  }

  test("without a session, pages go to sign-in and every route answers 401", async ({
    request,
  }) => {
    for (const path of ["/", "/c/some-id", "/usage"]) {
      const response = await request.get(`${server.url}${path}`, { maxRedirects: 0 });
      expect(response.status(), path).toBe(303);
      const location = response.headers()["location"] ?? "";
      expect(location, path).toMatch(/^\/sign-in(\?next=|$)/);
    }
    const routes: [string, string][] = [
      ["POST", "/api/chat"],
      ["GET", "/api/chat/x/stream"],
      ["POST", "/api/chat/x/stop"],
      ["GET", "/api/conversations"],
      ["PATCH", "/api/conversations/x"],
      ["DELETE", "/api/conversations/x"],
      ["GET", "/api/conversations/x/export"],
      ["GET", "/api/conversations/x/shares"],
      ["POST", "/api/conversations/x/shares"],
      ["POST", "/api/conversations/import"],
      ["DELETE", "/api/shares/x"],
      ["POST", "/api/shares/x/fork"],
      ["GET", "/api/models"],
      ["GET", "/api/usage"],
    ];
    for (const [method, path] of routes) {
      const response = await request.fetch(`${server.url}${path}`, {
        method,
        data: method === "GET" ? undefined : {},
      });
      expect(response.status(), `${method} ${path}`).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "auth:required",
      );
    }
    expect((await request.get(`${server.url}/api/health`)).status()).toBe(200);
    expect((await request.get(`${server.url}/sign-in`)).status()).toBe(200);
  });

  test("a wrong code is refused, a right one signs in and lands where it was going, sign-out ends it", async ({
    browser,
  }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/usage`);
    await expect(page).toHaveURL(`${server.url}/sign-in?next=%2Fusage`);
    await page.getByLabel("Access code").fill("not-the-code");
    const started = Date.now();
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText(
      "Wrong access code",
    );
    // Wrong codes are answered slowly.
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);

    await page.getByLabel("Access code").fill(ALICE);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${server.url}/usage`);
    await expect(page.getByRole("heading", { name: "Usage", level: 1 })).toBeVisible();

    const cookie = (await context.cookies()).find((c) => c.name === "tp_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

    await page.goto(`${server.url}/`);
    await page.getByRole("button", { name: "Account: alice" }).click();
    await expect(page.getByRole("menu")).toContainText("Signed in as alice");
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${server.url}/sign-in`);
    expect((await context.cookies()).find((c) => c.name === "tp_session")).toBeUndefined();
    await page.goto(`${server.url}/`);
    await expect(page).toHaveURL(`${server.url}/sign-in`);
    await context.close();
  });

  test("a shared link stays public; copying it asks for sign-in", async ({ browser, scenario }) => {
    await scenario.script(stream({ reasoning: ["Private thought."], answer: ["Team answer."] }));
    const team = await browser.newContext();
    const page = await signedIn(team, ALICE);
    await ask(page, `Share me ${scenario.tag}`);
    await answered(page, "Team answer.", { timeout: 20_000 });
    const id = new URL(page.url()).pathname.split("/")[2];
    const created = await page.request.post(`${server.url}/api/conversations/${id}/shares`, {
      data: {},
      headers: { origin: server.url },
    });
    expect(created.status()).toBe(201);
    const { share } = (await created.json()) as { share: { url: string } };

    const outsider = await browser.newContext();
    const shared = await outsider.newPage();
    await shared.goto(`${server.url}${share.url}`);
    await expect(shared.getByText("Team answer.")).toBeVisible();
    await shared.getByRole("button", { name: /Continue in playground/ }).click();
    await expect(shared).toHaveURL(`${server.url}/sign-in?next=${encodeURIComponent(share.url)}`);
    await outsider.close();
    await team.close();
  });

  test("over the request limit: 429, the limit named in the UI, the message on screen", async ({
    browser,
    scenario,
  }) => {
    await scenario.script(stream({ reasoning: ["Counting."], answer: ["Counted."] }));
    const context = await browser.newContext();
    const page = await signedIn(context, BOB);
    await ask(page, `One ${scenario.tag}`);
    await answered(page, "Counted.", { timeout: 20_000 });
    await ask(page, `Two ${scenario.tag}`);
    await answered(page, "Counted.", { timeout: 20_000 });

    const refused = page.waitForResponse((r) => r.url().endsWith("/api/chat"));
    await ask(page, `Three, please keep me ${scenario.tag}`);
    const response = await refused;
    expect(response.status()).toBe(429);
    expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
    const alert = page.getByRole("main", { name: "Conversation" }).getByRole("alert");
    await expect(alert).toContainText("Request limit reached");
    await expect(alert).toContainText(/2 requests in the last minute.*Try again in/);
    // Retry waits out the limit, counting down.
    await expect(page.getByRole("button", { name: /^Retry in \d+ s$/ })).toBeDisabled();
    await expect(page.getByRole("article", { name: "Your message 3" })).toContainText(
      "Three, please keep me",
    );
    // A refused request stores nothing: a reload shows the two answered turns only.
    await page.reload();
    await expect(page.getByRole("article", { name: "Your message 2" })).toBeVisible();
    await expect(page.getByRole("article", { name: "Your message 3" })).toHaveCount(0);
    await context.close();
  });

  test("the usage page shows tokens (reasoning apart) per user per day", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await signedIn(context, ALICE);
    await page.goto(`${server.url}/usage`);
    const table = page.getByRole("table", { name: /per user per UTC day/ });
    await expect(table.getByRole("columnheader", { name: "Reasoning" })).toBeVisible();
    const bob = table.getByRole("row", { name: /bob/ });
    await expect(bob).toBeVisible();
    // Two answered turns for bob; the refused third is not a turn.
    await expect(bob.getByRole("cell").nth(1)).toHaveText("2");
    await expect(table.getByRole("row", { name: /alice/ })).toBeVisible();
    await context.close();
  });
});
