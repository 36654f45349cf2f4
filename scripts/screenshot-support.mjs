// What the README screenshot scripts share: the fake upstream's "default" scenario (untagged
// prompts get it, so no test tag shows in a picture) and a browser page on the app.
import { chromium } from "@playwright/test";

/** Scripts the reply every untagged prompt gets from the fake upstream. */
export async function scriptDefaultReply(scenario) {
  const fake = new URL(process.env.FAKE_UPSTREAM_ORIGIN ?? "http://127.0.0.1:4010");
  const response = await fetch(new URL("/__fake/scenarios/default", fake), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(scenario),
  });
  if (!response.ok) throw new Error(`the fake upstream refused the scenario: ${response.status}`);
}

/** Debian's Chromium on a page of the app (argv[2], or http://127.0.0.1:3000). */
export async function openApp({ height }) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--disable-gpu", "--disable-background-networking"],
  });
  const page = await browser.newPage({ viewport: { width: 1360, height }, deviceScaleFactor: 1 });
  await page.goto(process.argv[2] ?? "http://127.0.0.1:3000");
  return { browser, page };
}
