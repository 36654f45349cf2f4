import type { Page } from "@playwright/test";
import { answered, ask, expect, test } from "./fixtures";
import { stream } from "./fake-upstream/scenario";

/*
 * Issue 12, acceptance 4: regenerate and edit keep every version of a turn; the switcher shows
 * which one, the history sent upstream follows the versions shown, and the choice is saved.
 */

const turn = (page: Page, n: number) => page.getByRole("article", { name: `Assistant turn ${n}` });
const question = (page: Page, n: number) =>
  page.getByRole("article", { name: `Your message ${n}` });
const answerOf = (page: Page, n: number) => turn(page, n).getByRole("region", { name: "Answer" });

type Body = { messages: { role: string; content: unknown }[] };

test("regenerate keeps every answer; the one shown goes upstream and stays after reload; an edit keeps the old branch", async ({
  page,
  scenario,
  upstream,
  consoleErrors,
}) => {
  // Five turns and two reloads in one story.
  test.setTimeout(60_000);
  await scenario.script(stream({ reasoning: ["R1."], answer: ["Answer v1."] }));
  await page.goto("/");
  await ask(page, `Question ${scenario.tag}`);
  await answered(page, "Answer v1.");
  // One version: no switcher.
  await expect(turn(page, 1).getByRole("button", { name: "Next version" })).toHaveCount(0);

  await scenario.script(stream({ reasoning: ["R2."], answer: ["Answer v2."] }));
  await page.getByRole("button", { name: "Regenerate" }).click();
  await answered(page, "Answer v2.");
  await expect(turn(page, 1)).toContainText("2 / 2");

  await scenario.script(stream({ reasoning: ["R3."], answer: ["Answer v3."] }));
  await page.getByRole("button", { name: "Regenerate" }).click();
  await answered(page, "Answer v3.");
  await expect(turn(page, 1)).toContainText("3 / 3");
  await expect(turn(page, 1).getByRole("button", { name: "Next version" })).toBeDisabled();
  await expect(page.getByRole("article", { name: /^Assistant turn/ })).toHaveCount(1);

  // Back to the first answer.
  await turn(page, 1).getByRole("button", { name: "Previous version" }).click();
  await expect(turn(page, 1)).toContainText("2 / 3");
  await expect(answerOf(page, 1)).toContainText("Answer v2.");
  await turn(page, 1).getByRole("button", { name: "Previous version" }).click();
  await expect(turn(page, 1)).toContainText("1 / 3");
  await expect(answerOf(page, 1)).toContainText("Answer v1.");
  await expect(turn(page, 1).getByRole("button", { name: "Previous version" })).toBeDisabled();

  // A follow-up continues from the answer shown: version 1 goes upstream, not 3.
  await scenario.script(stream({ reasoning: ["R4."], answer: ["Follow-up answer."] }));
  await ask(page, `Follow-up ${scenario.tag}`);
  await answered(page, "Follow-up answer.");
  const requests = await upstream.requests(scenario.key);
  expect(requests).toHaveLength(4);
  const sent = (requests.at(-1)!.body as Body).messages;
  expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  expect(JSON.stringify(sent[1]!.content)).toContain("Answer v1.");
  expect(JSON.stringify(sent)).not.toContain("Answer v3.");
  expect(JSON.stringify(sent)).not.toContain("Answer v2.");

  // The choice is saved: a reload shows the same path.
  await page.reload();
  await expect(answerOf(page, 1)).toContainText("Answer v1.");
  await expect(turn(page, 1)).toContainText("1 / 3");
  await expect(answerOf(page, 2)).toContainText("Follow-up answer.");

  // Editing the follow-up adds a version of it; the old branch stays, a switch away.
  await scenario.script(stream({ reasoning: ["R5."], answer: ["Edited answer."] }));
  await question(page, 2).getByRole("button", { name: "Edit message" }).click();
  await page
    .getByRole("textbox", { name: "Edit message" })
    .fill(`Edited follow-up ${scenario.tag}`);
  await page.getByRole("button", { name: "Save and resend" }).click();
  await answered(page, "Edited answer.");
  await expect(question(page, 2)).toContainText("Edited follow-up");
  await expect(question(page, 2)).toContainText("2 / 2");
  const edited = ((await upstream.requests(scenario.key)).at(-1)!.body as Body).messages;
  expect(JSON.stringify(edited[1]!.content)).toContain("Answer v1.");
  expect(JSON.stringify(edited[2]!.content)).toContain("Edited follow-up");
  expect(JSON.stringify(edited)).not.toContain("Follow-up answer.");

  await question(page, 2).getByRole("button", { name: "Previous version" }).click();
  await expect(question(page, 2)).toContainText("1 / 2");
  await expect(question(page, 2)).not.toContainText("Edited follow-up");
  await expect(answerOf(page, 2)).toContainText("Follow-up answer.");
  await page.reload();
  await expect(question(page, 2)).toContainText("1 / 2");
  await expect(answerOf(page, 2)).toContainText("Follow-up answer.");
  expect(consoleErrors).toEqual([]);
});
