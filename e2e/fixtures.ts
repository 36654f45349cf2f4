import { test as base, expect, type Page } from "@playwright/test";
import { FakeUpstreamControl, tag, uniqueKey } from "./fake-upstream/client";
import type { Scenario } from "./fake-upstream/scenario";

const FAKE_ORIGIN = `http://127.0.0.1:${process.env.FAKE_UPSTREAM_PORT ?? 4010}`;

type Fixtures = {
  upstream: FakeUpstreamControl;
  /** A scenario key unique to this test, and the tag that routes a message to it. */
  scenario: {
    key: string;
    tag: string;
    script: (scenario: Scenario) => Promise<void>;
    /** Releases the next `holdAfter` hold of this test's streams. */
    release: () => Promise<void>;
  };
  /** Console errors and uncaught page errors seen during the test; asserted empty after it. */
  consoleErrors: string[];
};

export const test = base.extend<Fixtures>({
  upstream: async ({}, use) => {
    await use(new FakeUpstreamControl(FAKE_ORIGIN));
  },
  scenario: async ({ upstream }, use) => {
    const key = uniqueKey("e2e");
    await use({
      key,
      tag: tag(key),
      script: (s) => upstream.script(key, s),
      release: () => upstream.release(key),
    });
    await upstream.reset(key);
  },
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error") errors.push(msg.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      await use(errors);
    },
    { auto: true },
  ],
});

export { expect };

/** Types a message into the composer and sends it with Enter. */
export async function ask(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  // Send is enabled once the page is interactive and holds the text: an Enter pressed before
  // the page hydrated would only add a line.
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeEnabled();
  await box.press("Enter");
}

export function lastTurn(page: Page) {
  return page.getByRole("article", { name: /^Assistant turn/ }).last();
}

/** Waits until the last turn's answer contains `text` and the composer is ready again. */
export async function answered(page: Page, text: string, options: { timeout?: number } = {}) {
  await expect(lastTurn(page).getByRole("region", { name: "Answer" })).toContainText(text, options);
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeVisible(options);
}
