import "server-only";
import { h } from "hastscript";
import { toHtml } from "hast-util-to-html";
import type { ComparisonSnapshot } from "@/lib/db/schema";
import { describeParams } from "@/lib/compare/portable";
import { readTurnMetadata } from "@/lib/types";
import { createPageBudget } from "./budget";
import { description, document_, head, themeButton, type SnapshotDocument } from "./document";
import { plainText } from "./markdown";
import { assistantTurn } from "./turns";

/**
 * A shared comparison, read-only: the prompt, then each column's settings and answers, with the
 * panes and usage line of a shared conversation. Same page budget, same escaping (hast only).
 */
export function comparisonDocument(title: string, snapshot: ComparisonSnapshot): SnapshotDocument {
  const budget = createPageBudget();
  const { spec } = snapshot;
  const columns = spec.columns.map((column, c) => {
    const runs = snapshot.runs.filter((r) => r.column === c);
    const params = describeParams(column.settings);
    return h("section.settings", { ariaLabel: `Column ${c + 1}` }, [
      h("h2", `Column ${c + 1}`),
      column.settings.model ? h("p", ["Model ", h("code", column.settings.model)]) : null,
      params ? h("p.muted", params) : null,
      column.overrideSystem && column.settings.system?.trim()
        ? h("p.pre", ["System prompt: ", plainText(column.settings.system, budget, "span")])
        : null,
      ...runs.map((run) => {
        const element = assistantTurn(
          {
            id: `${c}:${run.run}`,
            role: "assistant",
            parts: run.parts,
            metadata: readTurnMetadata(run.metadata).metadata,
            status: run.status,
          },
          run.run + 1,
          budget,
        );
        const html = toHtml(element, { allowDangerousHtml: true });
        budget.bytes -= Buffer.byteLength(html);
        return { type: "raw" as const, value: html };
      }),
    ]);
  });
  return document_(head(`${title} · Thinkpane`, description(spec.prompt)), [
    h("header.top", [
      h("div.heading", [h("p.muted", "Shared comparison · read-only"), h("h1", title)]),
      themeButton(),
    ]),
    h("main", { ariaLabel: "Comparison" }, [
      h("section.settings", { ariaLabel: "Prompt" }, [
        h("p.pre", ["Prompt: ", plainText(spec.prompt, budget, "span")]),
        spec.system?.trim()
          ? h("p.pre", ["System prompt: ", plainText(spec.system, budget, "span")])
          : null,
      ]),
      ...columns,
    ]),
  ]);
}
