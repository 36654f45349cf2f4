"use client";

import { ScanSearch } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { Button } from "@/components/ui/button";

// The panel (tabs, virtual list, timeline) loads on the first click, not with the page.
const InspectDialog = lazy(() =>
  import("./inspect-dialog").then((m) => ({ default: m.InspectDialog })),
);

/** "Inspect" in an assistant turn's actions: the raw exchange of that turn. */
export function InspectButton({ url, turn }: { url: string; turn: number }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-haspopup="dialog">
        <ScanSearch aria-hidden />
        Inspect
      </Button>
      {open ? (
        <Suspense fallback={null}>
          <InspectDialog url={url} turn={turn} open={open} onOpenChange={setOpen} />
        </Suspense>
      ) : null}
    </>
  );
}
