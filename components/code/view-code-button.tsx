"use client";

import { Code } from "lucide-react";
import { lazy, Suspense } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { ResponsiveLabel } from "@/components/ui/responsive-label";
import type { CodeSource } from "./types";

/**
 * The dialog's body (generators, tabs, highlighter) loads on first use, not with the page. It
 * uses nothing the page has not loaded already, so that the page's own chunks stay as they are.
 */
const ViewCodeBody = lazy(() =>
  import("./view-code-body").then((m) => ({ default: m.ViewCodeBody })),
);

/** ", with preset Fast (version 2)": the preset a recorded turn was sent with. */
function presetNote(source: CodeSource): string {
  const preset = source.kind === "recorded" ? source.preset : undefined;
  if (!preset) return "";
  return `, with preset ${preset.name} (version ${preset.version}${preset.modified ? ", modified" : ""})`;
}

/** "View code": a dialog with the request as code in six languages. */
export function ViewCodeButton({
  source,
  size = "sm",
}: {
  source: CodeSource;
  size?: "sm" | "icon-sm";
}) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button
          variant="ghost"
          size={size}
          aria-label={size === "icon-sm" ? "View code" : undefined}
          title="The request as code: curl, Python, JavaScript"
        >
          <Code aria-hidden />
          {size === "icon-sm" ? null : <ResponsiveLabel>View code</ResponsiveLabel>}
        </Button>
      </DialogTrigger>
      <DialogContent
        title="View code"
        description={
          source.kind === "live"
            ? "The request the next Send would make: the conversation so far, the text in the composer (or Hello) and every parameter that is set."
            : `The request that produced this turn, exactly as it was sent${presetNote(source)}.`
        }
        className="w-[min(60rem,calc(100vw-2rem))]"
      >
        <Suspense
          fallback={
            <p role="status" className="text-sm text-muted-foreground">
              Loading…
            </p>
          }
        >
          <ViewCodeBody source={source} />
        </Suspense>
      </DialogContent>
    </Dialog>
  );
}
