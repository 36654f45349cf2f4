import { CircleCheck, CircleX } from "lucide-react";
import type { SchemaVerdict } from "@/lib/structured/check";
import { parsedView, parsedViewLabel } from "@/lib/structured/view";
import { cn } from "@/lib/utils";

/**
 * A JSON turn's verdict (lib/structured/check.ts), under its answer: Valid or Invalid and why,
 * the schema errors by path, and the parsed value. The shared page draws the same
 * (lib/snapshot-html/turns.ts).
 */
export function SchemaCheck({ verdict }: { verdict: SchemaVerdict }) {
  const view = parsedView(verdict);
  return (
    <div className="flex flex-col gap-2 border-t px-3 py-2">
      <div
        role="status"
        aria-label="Schema check"
        data-kind={verdict.kind}
        className={cn(
          "flex gap-2 rounded-md border p-2 text-sm",
          verdict.valid
            ? "border-emerald-600/40 bg-emerald-600/5"
            : "border-destructive/40 bg-destructive/5",
        )}
      >
        {verdict.valid ? (
          <CircleCheck aria-hidden className="mt-0.5 size-4 shrink-0 text-emerald-700" />
        ) : (
          <CircleX aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
        )}
        <div className="min-w-0 break-words">
          <p>{verdict.message}</p>
          {verdict.errors.length > 0 ? (
            <ul className="mt-1 list-disc pl-5">
              {verdict.errors.map((error, i) => (
                <li key={i}>
                  <code className="text-xs">{error.path}</code> {error.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
      {view !== undefined ? (
        <section aria-label={parsedViewLabel(verdict)} className="flex flex-col gap-1">
          <h4 className="text-xs font-semibold text-muted-foreground">
            {parsedViewLabel(verdict)}
          </h4>
          <pre
            tabIndex={0}
            className="max-h-80 overflow-auto rounded-md bg-muted p-2 font-mono text-xs"
          >
            {view}
          </pre>
        </section>
      ) : null}
    </div>
  );
}
