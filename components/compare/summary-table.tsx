import {
  type Cell,
  finishCells,
  numericCells,
  numericRows,
  type RunFigures,
  schemaCells,
} from "@/lib/compare/stats";
import { cn } from "@/lib/utils";

/**
 * The Comparison table: one column per setting, one row per figure (the median with min–max
 * when a column has several answers). The best value of a row is marked; the other columns
 * show their difference to the first in %.
 */
export function SummaryTable({ labels, columns }: { labels: string[]; columns: RunFigures[][] }) {
  const rows: { label: string; cells: Cell[] }[] = [
    ...numericRows.map((row) => ({ label: row.label, cells: numericCells(row, columns) })),
    { label: "Finish reason", cells: finishCells(columns) },
  ];
  const schema = schemaCells(columns);
  if (schema) rows.push({ label: "Schema valid", cells: schema });
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table aria-label="Comparison" className="w-full text-sm tabular-nums">
        <thead className="bg-muted/50 text-left">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Figure
            </th>
            {labels.map((label) => (
              <th key={label} scope="col" className="px-3 py-2 font-medium">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} className="border-t">
              <th scope="row" className="px-3 py-1.5 text-left font-medium whitespace-nowrap">
                {row.label}
              </th>
              {row.cells.map((cell, i) => (
                <td
                  key={labels[i] ?? i}
                  className={cn(
                    "px-3 py-1.5",
                    cell.best && "bg-accent font-semibold text-accent-foreground",
                  )}
                >
                  {cell.text}
                  {cell.best ? (
                    <span className="ml-1 text-xs" aria-label="best" title="Best in this row">
                      ★
                    </span>
                  ) : null}
                  {cell.diff ? (
                    <span className="ml-1 text-xs text-muted-foreground">{cell.diff}</span>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
