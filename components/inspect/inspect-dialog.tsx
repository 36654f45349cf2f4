"use client";

import { useId, useRef, useState } from "react";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import type { TurnPreset } from "@/lib/presets/schema";
import { ChunksTab } from "./chunks-tab";
import { RequestTab } from "./request-tab";
import { ResponseTab } from "./response-tab";
import { TimelineTab } from "./timeline-tab";
import { useExchange } from "./use-exchange";

const TABS = ["Request", "Response", "Chunks", "Timeline"] as const;

type Tab = (typeof TABS)[number];

/**
 * Plain ARIA tabs (arrow keys, Home, End), as View code has: Radix's Tabs in this lazy chunk
 * would split shared Radix code out of the page's first-load chunks.
 */
function TabList({
  id,
  active,
  onSelect,
}: {
  id: string;
  active: Tab;
  onSelect: (tab: Tab) => void;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const at = TABS.indexOf(active);
  return (
    <div
      role="tablist"
      aria-label="Views"
      className="flex gap-1 border-b pb-2"
      onKeyDown={(e) => {
        const keys: Record<string, number> = {
          ArrowRight: at + 1,
          ArrowLeft: at - 1,
          Home: 0,
          End: TABS.length - 1,
        };
        const target = keys[e.key];
        if (target === undefined) return;
        e.preventDefault();
        const next = (target + TABS.length) % TABS.length;
        onSelect(TABS[next]!);
        refs.current[next]?.focus();
      }}
    >
      {TABS.map((tab, i) => (
        <button
          key={tab}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`${id}-tab-${tab}`}
          aria-selected={tab === active}
          aria-controls={`${id}-panel`}
          tabIndex={tab === active ? 0 : -1}
          onClick={() => onSelect(tab)}
          className="rounded-md px-3 py-1 text-sm hover:bg-muted aria-selected:bg-muted aria-selected:font-semibold"
        >
          {tab}
        </button>
      ))}
    </div>
  );
}

/** The raw exchange of one assistant turn, in four tabs. */
export function InspectDialog({
  url,
  turn,
  preset,
  open,
  onOpenChange,
}: {
  url: string;
  turn: number;
  preset?: TurnPreset;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const loaded = useExchange(url);
  const [tab, setTab] = useState<Tab>("Request");
  const id = useId();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Inspect"
        description={`Assistant turn ${turn}${
          preset
            ? `, sent with preset ${preset.name} (version ${preset.version}${preset.modified ? ", modified" : ""})`
            : ""
        }: what went to the upstream and what came back, as recorded by the server.`}
        className="h-[90dvh] w-[min(72rem,calc(100vw-2rem))] overflow-hidden"
      >
        {loaded.state === "loading" ? (
          <p role="status" className="text-sm text-muted-foreground">
            Loading the raw exchange…
          </p>
        ) : loaded.state === "missing" ? (
          <p role="status" className="text-sm text-muted-foreground">
            No raw exchange was recorded for this turn (turns from before Inspect existed, or that
            never reached the upstream, have none).
          </p>
        ) : loaded.state === "failed" ? (
          <p role="alert" className="text-sm text-destructive">
            Could not load the raw exchange: {loaded.message}
          </p>
        ) : (
          <div className="flex min-h-0 flex-1 flex-col gap-3">
            <TabList id={id} active={tab} onSelect={setTab} />
            <div
              role="tabpanel"
              id={`${id}-panel`}
              aria-labelledby={`${id}-tab-${tab}`}
              className={
                tab === "Chunks" ? "flex min-h-0 flex-1 flex-col" : "min-h-0 flex-1 overflow-auto"
              }
            >
              {tab === "Request" ? (
                <RequestTab exchange={loaded.exchange} />
              ) : tab === "Response" ? (
                <ResponseTab exchange={loaded.exchange} chunks={loaded.chunks} />
              ) : tab === "Chunks" ? (
                <ChunksTab exchange={loaded.exchange} lines={loaded.lines} chunks={loaded.chunks} />
              ) : (
                <TimelineTab
                  exchange={loaded.exchange}
                  lines={loaded.lines}
                  chunks={loaded.chunks}
                />
              )}
            </div>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
