"use client";

import { WandSparkles } from "lucide-react";
import { Button } from "@/components/ui/button";
import { describeSyntaxError, parseJson } from "@/lib/structured/json-syntax";
import { formatSchemaText } from "@/lib/structured/templates";
import { cn } from "@/lib/utils";
import { inputClass } from "./param-field";

type Props = {
  id: string;
  label: string;
  text: string;
  onText: (text: string) => void;
  rows?: number;
  /** Text that is not JSON is fine here (a tool's result may be plain text): checked only when it looks like JSON. */
  lenient?: boolean;
  /** The Format button's accessible name; by default it names the field. */
  formatName?: string;
};

/** Whether text is meant as JSON: an object or an array. */
export const looksLikeJson = (text: string) => /^\s*[[{]/.test(text);

/**
 * A code textbox for JSON with its errors by line and column as you type, and Format. The JSON
 * schema of the response format, a tool's parameters and its results use it.
 */
export function JsonTextField({
  id,
  label,
  text,
  onText,
  rows = 10,
  lenient = false,
  formatName = `Format ${label}`,
}: Props) {
  const checked = !lenient || looksLikeJson(text);
  const syntax = checked ? parseJson(text) : undefined;
  const error = syntax && !syntax.ok ? syntax.error : undefined;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center justify-between gap-2">
        <label htmlFor={id} className="text-xs font-medium">
          {label}
        </label>
        <Button
          variant="ghost"
          size="sm"
          disabled={!syntax?.ok}
          title="Indent the JSON, two spaces a level"
          aria-label={formatName === "Format" ? undefined : formatName}
          onClick={() => syntax?.ok && onText(formatSchemaText(syntax.value))}
        >
          <WandSparkles aria-hidden />
          Format
        </Button>
      </div>
      <textarea
        id={id}
        rows={rows}
        value={text}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-syntax` : undefined}
        onChange={(e) => onText(e.target.value)}
        className={cn(inputClass, "resize-y font-mono text-xs leading-5 whitespace-pre")}
      />
      {error ? (
        <p id={`${id}-syntax`} className="font-mono text-xs text-destructive">
          JSON error at {describeSyntaxError(error)}
        </p>
      ) : null}
    </div>
  );
}
