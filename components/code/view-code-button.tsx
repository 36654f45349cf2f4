"use client";

import { Code } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { Button } from "@/components/ui/button";
import { ResponsiveLabel } from "@/components/ui/responsive-label";
import type { CodeSource } from "./types";

/** The dialog, its generators and its highlighter load on first use, not with the page. */
const ViewCodeDialog = lazy(() =>
  import("./view-code-dialog").then((m) => ({ default: m.ViewCodeDialog })),
);

/** "View code": opens the dialog with the request as code in six languages. */
export function ViewCodeButton({
  source,
  size = "sm",
}: {
  source: CodeSource;
  size?: "sm" | "icon-sm";
}) {
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        size={size}
        aria-haspopup="dialog"
        aria-label={size === "icon-sm" ? "View code" : undefined}
        title="The request as code: curl, Python, JavaScript"
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
      >
        <Code aria-hidden />
        {size === "icon-sm" ? null : <ResponsiveLabel>View code</ResponsiveLabel>}
      </Button>
      {used ? (
        <Suspense fallback={null}>
          <ViewCodeDialog open={open} onOpenChange={setOpen} source={source} />
        </Suspense>
      ) : null}
    </>
  );
}
