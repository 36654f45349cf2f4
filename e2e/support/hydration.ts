import type { Page } from "@playwright/test";

/**
 * Holds the page's scripts back until the returned function is called: the next navigation
 * shows the server-rendered page, which cannot act yet, for as long as the test needs (to type
 * or click before React is there to see it).
 */
export async function holdScripts(page: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_next\/static\/chunks\/.*\.js$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}
