import { AlertTriangle } from "lucide-react";
import type { ThinkpaneError } from "@/lib/errors";

/** A coded error, shown where it happened: under a turn, or under the user's message. */
export function TurnError({
  error,
}: {
  error: Pick<ThinkpaneError, "code" | "message" | "title">;
}) {
  return (
    <div
      role="alert"
      data-error-code={error.code}
      className="flex gap-2 rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm"
    >
      <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
      <div className="min-w-0">
        <p className="font-medium text-destructive">{error.title}</p>
        <p className="break-words text-foreground/90">{error.message}</p>
      </div>
    </div>
  );
}
