import type { Metadata } from "next";
import Link from "next/link";
import { ThemeToggle } from "@/components/theme-toggle";
import { formatCost, formatTokens } from "@/lib/format";
import { type UsageReport, usageReport } from "@/lib/usage/report";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Usage · Thinkpane", robots: { index: false } };

const DAYS = 30;

type Figures = Pick<
  UsageReport["rows"][number],
  "turns" | "promptTokens" | "reasoningTokens" | "answerTokens" | "costUsd"
>;

/** The figures of a row, and of the totals; token columns show ≈ where a day has estimates. */
const columns: { label: string; value: (f: Figures) => string | undefined; tokens?: true }[] = [
  { label: "Turns", value: (f) => String(f.turns) },
  { label: "Prompt", value: (f) => formatTokens(f.promptTokens), tokens: true },
  { label: "Reasoning", value: (f) => formatTokens(f.reasoningTokens), tokens: true },
  { label: "Answer", value: (f) => formatTokens(f.answerTokens), tokens: true },
  { label: "Cost", value: (f) => (f.costUsd === null ? "—" : formatCost(f.costUsd)) },
];

const numeric = "py-2 pr-4 text-right last:pr-0";

export default async function UsagePage() {
  const report = await usageReport(DAYS);
  const totals = report.rows.reduce<Figures>(
    (sum, row) => ({
      turns: sum.turns + row.turns,
      promptTokens: sum.promptTokens + row.promptTokens,
      reasoningTokens: sum.reasoningTokens + row.reasoningTokens,
      answerTokens: sum.answerTokens + row.answerTokens,
      costUsd: row.costUsd === null ? sum.costUsd : (sum.costUsd ?? 0) + row.costUsd,
    }),
    { turns: 0, promptTokens: 0, reasoningTokens: 0, answerTokens: 0, costUsd: null },
  );
  const { tokensUsed, tokensPerDay } = report.today;

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center gap-2 border-b px-3 py-2">
        <Link href="/" className="text-base font-semibold">
          Thinkpane
        </Link>
        <span className="text-sm text-muted-foreground">Usage</span>
        <div className="ml-auto">
          <ThemeToggle />
        </div>
      </header>
      <main className="mx-auto flex w-full max-w-5xl flex-col gap-6 px-4 py-6">
        <div>
          <h1 className="text-xl font-semibold">Usage</h1>
          <p className="mt-1 text-sm text-muted-foreground">
            {report.scope === "team" ? "Everyone on this server" : "This browser"}, per UTC day,
            over the last {DAYS} days. Stopped and failed turns count too; figures marked ≈ include
            estimates where the upstream reported no usage.
          </p>
        </div>

        <section aria-labelledby="budget-heading" className="rounded-md border p-4">
          <h2 id="budget-heading" className="text-sm font-medium">
            Your budget today
          </h2>
          <p className="mt-1 text-sm" data-testid="budget-today">
            {formatTokens(tokensUsed)} tokens used
            {tokensPerDay === null
              ? " (no daily limit)"
              : ` of ${formatTokens(tokensPerDay)}; resets at 00:00 UTC`}
          </p>
          {tokensPerDay !== null ? (
            <progress
              className="mt-2 h-2 w-full"
              max={tokensPerDay}
              value={Math.min(tokensUsed, tokensPerDay)}
              aria-label="Share of today's token budget used"
            />
          ) : null}
        </section>

        <section aria-labelledby="daily-heading" className="overflow-x-auto">
          <h2 id="daily-heading" className="mb-2 text-sm font-medium">
            Per user per day
          </h2>
          {report.rows.length === 0 ? (
            <p className="text-sm text-muted-foreground">No usage yet.</p>
          ) : (
            <table className="w-full text-sm tabular-nums">
              <caption className="sr-only">Tokens and cost per user per UTC day</caption>
              <thead className="border-b text-left text-muted-foreground">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Day (UTC)
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    User
                  </th>
                  {columns.map((column) => (
                    <th key={column.label} scope="col" className={`${numeric} font-medium`}>
                      {column.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <tr key={`${row.day}-${row.user}`} className="border-b last:border-0">
                    <td className="py-2 pr-4">{row.day}</td>
                    <th scope="row" className="py-2 pr-4 text-left font-normal">
                      {row.user}
                    </th>
                    {columns.map((column) => (
                      <td key={column.label} className={numeric}>
                        {column.tokens && row.estimatedTurns > 0 ? "≈" : ""}
                        {column.value(row)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot className="border-t font-medium">
                <tr>
                  <th scope="row" colSpan={2} className="py-2 pr-4 text-left">
                    Total
                  </th>
                  {columns.map((column) => (
                    <td key={column.label} className={numeric}>
                      {column.value(totals)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          )}
        </section>
      </main>
    </div>
  );
}
