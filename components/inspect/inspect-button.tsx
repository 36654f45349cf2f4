"use client";

import { lazy, Suspense, useState } from "react";
import { Button } from "@/components/ui/button";
import type { TurnPreset } from "@/lib/presets/schema";

// The panel (tabs, virtual list, timeline) loads on the first click, not with the page.
const InspectDialog = lazy(() =>
  import("./inspect-dialog").then((m) => ({ default: m.InspectDialog })),
);

/** "Inspect" in an assistant turn's actions: the raw exchange of that turn. */
export function InspectButton({
  url,
  turn,
  preset,
}: {
  url: string;
  turn: number;
  /** The preset the turn was sent with, as the server recorded it. */
  preset?: TurnPreset;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Inspect
      </Button>
      {open ? (
        <Suspense fallback={null}>
          <InspectDialog url={url} turn={turn} preset={preset} open={open} onOpenChange={setOpen} />
        </Suspense>
      ) : null}
    </>
  );
}
