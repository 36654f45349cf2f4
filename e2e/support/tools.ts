import type { Page } from "@playwright/test";
import { expect } from "../fixtures";

export const panelOf = (page: Page) => page.getByRole("complementary", { name: "Parameters" });

export const WEATHER_PARAMETERS = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
};

/** The function most tests define: the model's calls carry a city. */
export const WEATHER_TOOL = {
  name: "get_weather",
  description: "Current weather for a city.",
  parameters: WEATHER_PARAMETERS,
};

/** Adds a function through the Add tool form, typing every field. */
export async function addTool(
  page: Page,
  tool: { name: string; description: string; parameters: object; mock?: string },
) {
  await panelOf(page).getByRole("button", { name: "Add tool" }).click();
  const dialog = page.getByRole("dialog", { name: "Add tool" });
  await dialog.getByRole("textbox", { name: "Name" }).fill(tool.name);
  await dialog.getByRole("textbox", { name: "Description" }).fill(tool.description);
  await dialog.getByRole("textbox", { name: "Parameters" }).fill(JSON.stringify(tool.parameters));
  if (tool.mock) await dialog.getByRole("textbox", { name: "Mock result" }).fill(tool.mock);
  await dialog.getByRole("button", { name: "Save tool" }).click();
  await expect(dialog).toBeHidden();
  await expect(panelOf(page).getByRole("switch", { name: `Use ${tool.name}` })).toBeChecked();
}
