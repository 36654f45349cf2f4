import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { params, type ParamKey } from "@/lib/params";
import { cn } from "@/lib/utils";

export const inputClass =
  "w-full rounded-md border border-input bg-background px-2 py-1 text-sm aria-[invalid=true]:border-destructive";

export type ParamFieldProps = {
  paramKey: ParamKey;
  inputId: string;
  helpId: string;
  error?: string;
  isSet: boolean;
  onUnset: () => void;
  children: React.ReactNode;
};

/**
 * One parameter's row: its label and wire name, whether it is set (with an Unset button), the
 * control, and its help or error. Holds no state, so that the playground's panel (the settings
 * store) and a Compare column (its own settings) render the same row.
 */
export function ParamField({
  paramKey,
  inputId,
  helpId,
  error,
  isSet,
  onUnset,
  children,
}: ParamFieldProps) {
  const d = params[paramKey];
  return (
    <div className="flex flex-col gap-1.5" data-param={paramKey}>
      <div className="flex min-h-7 items-center gap-2">
        <label htmlFor={inputId} className="text-sm font-medium">
          {d.label}
        </label>
        <code className="text-[11px] text-muted-foreground">{paramKey}</code>
        {isSet ? (
          <>
            <span className="ml-auto rounded bg-accent px-1.5 text-[11px] font-medium text-accent-foreground">
              set
            </span>
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`Unset ${d.label}`}
              title="Unset: use the upstream default"
              onClick={onUnset}
            >
              <X aria-hidden />
            </Button>
          </>
        ) : (
          <span className="ml-auto text-[11px] text-muted-foreground">default</span>
        )}
      </div>
      {children}
      <p
        id={helpId}
        className={cn("text-xs", error ? "text-destructive" : "text-muted-foreground")}
      >
        {error ?? d.help}
      </p>
    </div>
  );
}
