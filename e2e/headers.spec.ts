import type { APIResponse, Page, Response } from "@playwright/test";
import { answered, ask, expect, lastTurn, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";

/** The policy's directives, by name. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** Asserts the security headers; returns the script-src directive's values. */
function expectSecurityHeaders(
  response: Response | APIResponse | null,
  referrerPolicy = "strict-origin-when-cross-origin",
): string[] {
  expect(response).not.toBeNull();
  const headers = response!.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe(referrerPolicy);
  const csp = directives(headers["content-security-policy"] ?? "");
  expect(csp).toMatchObject({
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  });
  const scripts = csp["script-src"] ?? [];
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  return scripts;
}

/** The app's pages: scripts by the response's nonce only. */
function expectNonce(scripts: string[]): string {
  const nonce = scripts.map((s) => /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(s)?.[1]).find(Boolean);
  expect(nonce, "script-src has a nonce").toBeTruthy();
  return nonce!;
}

/** Every script element the server sent carries the response's nonce. */
function expectScriptsNonced(html: string, nonce: string) {
  const tags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
}

type Watched = { violations: () => Promise<string[]> };

async function watchCsp(page: Page): Promise<Watched> {
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = list;
    document.addEventListener("securitypolicyviolation", (e) =>
      list.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
    // The inline theme script must run: it turns on the saved dark theme before first paint.
    localStorage.setItem("thinkpane.theme", "dark");
  });
  return {
    violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

async function expectHydrated(page: Page) {
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.waitForFunction(() => "next" in window);
}

test("every page sends the security headers, and the app runs under its CSP", async ({
  page,
  browser,
  scenario,
  consoleErrors,
}) => {
  const csp = await watchCsp(page);
  // The code block is highlighted in a Web Worker (components/markdown/highlight.worker.ts).
  await scenario.script(stream({ answer: ["Answer under CSP.\n\n", "```py\nx = 1\n```"] }));

  const home = await page.goto("/");
  const homeNonce = expectNonce(expectSecurityHeaders(home));
  expectScriptsNonced(await home!.text(), homeNonce);
  await expectHydrated(page);
  // Typing and sending needs the client app: it hydrated under the policy.
  await ask(page, `Headers ${scenario.tag}`);
  await answered(page, "Answer under CSP.");
  // Shiki colours each token through a CSS variable: the worker started and answered.
  await expect(
    lastTurn(page).locator('[data-streamdown="code-block-body"] span[style*="--sdm-c"]').first(),
  ).toBeVisible();
  expect(await csp.violations()).toEqual([]);
  await expect(page).toHaveURL(/\/c\/[A-Za-z0-9_-]+$/);
  const conversationPath = new URL(page.url()).pathname;

  const conversation = await page.goto(conversationPath);
  const conversationNonce = expectNonce(expectSecurityHeaders(conversation));
  expect(conversationNonce).not.toBe(homeNonce);
  expectScriptsNonced(await conversation!.text(), conversationNonce);
  await expectHydrated(page);
  await expect(page.getByRole("article", { name: "Assistant turn 1" })).toContainText(
    "Answer under CSP.",
  );
  expect(await csp.violations()).toEqual([]);

  // In a page of its own: its one console error is the 404 of the document itself.
  const lost = await page.context().newPage();
  const lostErrors: string[] = [];
  lost.on("console", (msg) => {
    if (msg.type() === "error") lostErrors.push(msg.text());
  });
  const lostCsp = await watchCsp(lost);
  const missing = await lost.goto("/no/such/page");
  expect(missing?.status()).toBe(404);
  expectScriptsNonced(await missing!.text(), expectNonce(expectSecurityHeaders(missing)));
  await expect(lost.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expectHydrated(lost);
  expect(await lostCsp.violations()).toEqual([]);
  expect(lostErrors).toEqual([expect.stringContaining("status of 404")]);
  await lost.close();

  const created = await page.request.post(`/api/conversations${conversationPath.slice(2)}/shares`, {
    data: { includeReasoning: true },
  });
  expect(created.status()).toBe(201);
  const { share } = (await created.json()) as { share: { url: string } };

  const stranger = await browser.newContext();
  const viewer = await stranger.newPage();
  const viewerCsp = await watchCsp(viewer);
  const viewerErrors: string[] = [];
  viewer.on("console", (msg) => {
    if (msg.type() === "error") viewerErrors.push(msg.text());
  });
  const shared = await viewer.goto(share.url);
  expect(shared?.status()).toBe(200);
  // The shared pages keep their stricter Referrer-Policy.
  // Built once and served as the same bytes to everyone: same-origin script files only, and
  // the page's one script is such a file.
  expect(expectSecurityHeaders(shared, "no-referrer")).toEqual(["'self'"]);
  expect((await shared!.text()).match(/<script\b[^>]*>/g)).toEqual(['<script src="/snapshot.js">']);
  // Plain HTML and one script of its own, no React: the script ran under the policy (the saved
  // theme is applied) and its click handler works.
  await expect(viewer.locator("html")).toHaveClass(/\bdark\b/);
  await expect(viewer.getByRole("article", { name: "Assistant turn 1" })).toContainText(
    "Answer under CSP.",
  );
  await viewer.getByRole("button", { name: /^Theme: dark/ }).click();
  await expect(viewer.getByRole("button", { name: /^Theme: system/ })).toBeVisible();
  expect(await viewerCsp.violations()).toEqual([]);
  await stranger.close();

  expect(viewerErrors).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test("API responses carry the headers too", async ({ request }) => {
  const models = await request.get("/api/models");
  expect(models.status()).toBe(200);
  expectSecurityHeaders(models);
});

test.describe("state-changing requests from another origin are refused", () => {
  const chatBody = {
    conversationId: "origin-check",
    trigger: "submit-message",
    message: { id: "m1", text: "   " },
    settings: { model: "openai/gpt-oss-120b", params: {} },
  };

  async function expectForbidden(response: APIResponse) {
    expect(response.status()).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: "forbidden:origin", message: expect.any(String) },
    });
  }

  test("by Origin, for every method", async ({ request }) => {
    const evil = { origin: "http://evil.example" };
    await expectForbidden(await request.post("/api/chat", { headers: evil, data: chatBody }));
    await expectForbidden(await request.delete("/api/conversations/x", { headers: evil }));
    await expectForbidden(await request.patch("/api/conversations/x", { headers: evil, data: {} }));
    await expectForbidden(await request.post("/api/conversations/import", { headers: evil }));
    await expectForbidden(await request.post("/api/shares/x/fork", { headers: evil }));
    // Same host, other port: another origin.
    await expectForbidden(
      await request.post("/api/chat", { headers: { origin: "http://127.0.0.1:1" }, data: {} }),
    );
    await expectForbidden(await request.post("/api/chat", { headers: { origin: "null" } }));
    // Reading is not refused.
    expect((await request.get("/api/models", { headers: evil })).status()).toBe(200);
  });

  test("by Sec-Fetch-Site when there is no Origin", async ({ request }) => {
    await expectForbidden(
      await request.delete("/api/conversations/x", { headers: { "sec-fetch-site": "cross-site" } }),
    );
  });

  test("same-origin and non-browser requests reach the route", async ({ request, baseURL }) => {
    // The route itself answers: a 400 for the blank message, a 404 for the unknown conversation.
    const own = await request.post("/api/chat", { headers: { origin: baseURL! }, data: chatBody });
    expect(own.status()).toBe(400);
    const plain = await request.delete("/api/conversations/x");
    expect(plain.status()).toBe(404);
    const sameOrigin = await request.delete("/api/conversations/x", {
      headers: { origin: baseURL!, "sec-fetch-site": "same-origin" },
    });
    expect(sameOrigin.status()).toBe(404);
  });

  test("a page on another origin cannot post, even a same-site one that gets SameSite cookies", async ({
    page,
  }) => {
    // The fake upstream stands in for the other page: same host, another port.
    await page.goto("/");
    const appOrigin = new URL(page.url()).origin;
    await page.goto(`http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}/v1/models`);
    const refused = page.waitForResponse(`${appOrigin}/api/conversations/import`);
    await page.evaluate((url) => {
      // A "simple" request: no preflight, cookies included, the response opaque.
      void fetch(url, { method: "POST", mode: "no-cors", credentials: "include", body: "{}" });
    }, `${appOrigin}/api/conversations/import`);
    expect((await refused).status()).toBe(403);
  });
});
