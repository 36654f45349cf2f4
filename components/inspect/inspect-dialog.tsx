"use client";

import { useId, useRef, useState } from "react";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import type { TurnPreset } from "@/lib/presets/schema";
import { ChunksTab } from "./chunks-tab";
import { RequestTab } from "./request-tab";
import { ResponseTab } from "./response-tab";
import { TimelineTab } from "./timeline-tab";
import { useExchange, useReadRequest } from "./use-exchange";

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

/**
 * Which request of the turn the tabs show, when a tool loop made several: a native select, so
 * that its name, the keyboard and a screen reader's list of options come for free.
 */
function RequestPicker({
  count,
  index,
  onPick,
}: {
  count: number;
  index: number;
  onPick: (index: number) => void;
}) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="font-medium">
        Upstream request
      </label>
      <select
        id={id}
        value={index}
        onChange={(e) => onPick(Number(e.target.value))}
        className="rounded-md border border-input bg-background px-2 py-1"
      >
        {Array.from({ length: count }, (_, i) => (
          <option key={i} value={i}>
            Request {i + 1} of {count}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The raw exchange of one assistant turn, in four tabs; one request of it at a time. */
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
  // Unpicked: the last request, the one that made the answer as it stands.
  const [picked, setPicked] = useState<number>();
  const requests = loaded.state === "ready" ? loaded.requests : [];
  const index = picked ?? requests.length - 1;
  const request = requests[index];
  const read = useReadRequest(request);
  const id = useId();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Inspect"
        description={`Assistant turn ${turn}${
          preset
            ? `, sent with preset ${preset.name} (version ${preset.version}${preset.modified ? ", modified" : ""})`
            : ""
        }: what went to the upstream and what came back, as recorded by the server.${
          requests.length > 1
            ? ` A tool loop made ${requests.length} requests for this answer.`
            : ""
        }`}
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
        ) : request ? (
          <div className="flex min-h-0 flex-1 flex-col gap-3">
            {requests.length > 1 ? (
              <RequestPicker count={requests.length} index={index} onPick={setPicked} />
            ) : null}
            <TabList id={id} active={tab} onSelect={setTab} />
            <div
              // A request's own chunk filter and selection do not carry over to another's.
              key={index}
              role="tabpanel"
              id={`${id}-panel`}
              aria-labelledby={`${id}-tab-${tab}`}
              className={
                tab === "Chunks" ? "flex min-h-0 flex-1 flex-col" : "min-h-0 flex-1 overflow-auto"
              }
            >
              {tab === "Request" ? (
                <RequestTab exchange={request} />
              ) : read.state === "failed" ? (
                <p role="alert" className="text-sm text-destructive">
                  Could not read the chunks of this request: {read.message}
                </p>
              ) : read.state === "reading" ? (
                <p role="status" className="text-sm text-muted-foreground">
                  Reading the chunks…
                </p>
              ) : tab === "Response" ? (
                <ResponseTab exchange={request} chunks={read.chunks} />
              ) : tab === "Chunks" ? (
                <ChunksTab exchange={request} lines={read.lines} chunks={read.chunks} />
              ) : (
                <TimelineTab exchange={request} lines={read.lines} chunks={read.chunks} />
              )}
            </div>
          </div>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
