"use client";

import { ChevronDown, ChevronRight } from "lucide-react";
import { lazy, Suspense, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ResponseFormat } from "@/lib/params";
import type { PublicModel } from "@/lib/types";

// The playground's control, loaded when a column's format is first opened: /compare's first load
// carries neither it nor the schema editor.
const ResponseFormatField = lazy(() =>
  import("@/components/playground/response-format-field").then((m) => ({
    default: m.ResponseFormatField,
  })),
);

function describe(value: ResponseFormat | undefined): string {
  switch (value?.type) {
    case undefined:
      return "not set";
    case "text":
      return "text";
    case "json_object":
      return "JSON object";
    case "json_schema":
      return `JSON schema “${value.json_schema.name}”`;
  }
}

/** A column's response_format, behind a disclosure that says which format is set. */
export function ColumnResponseFormat({
  value,
  model,
  disabled,
  onChange,
}: {
  value: ResponseFormat | undefined;
  model: PublicModel | undefined;
  disabled: boolean;
  onChange: (value: ResponseFormat | undefined) => void;
}) {
  const panelId = useId();
  const [open, setOpen] = useState(false);
  // The schema's text while it does not parse yet, as the playground keeps it in its store.
  const [draft, setDraft] = useState<string>();
  return (
    <div className="rounded-md border px-2 py-1">
      <Button
        variant="ghost"
        size="sm"
        className="-ml-1 h-auto px-1 py-0.5 text-xs"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        {open ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />}
        Response format: {describe(value)}
      </Button>
      {open ? (
        <fieldset id={panelId} disabled={disabled} className="py-2">
          <Suspense fallback={<p className="text-xs text-muted-foreground">Loading…</p>}>
            <ResponseFormatField
              model={model}
              value={value}
              draft={draft}
              onChange={onChange}
              onDraft={setDraft}
            />
          </Suspense>
        </fieldset>
      ) : null}
    </div>
  );
}
