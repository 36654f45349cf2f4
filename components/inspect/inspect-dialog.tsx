"use client";

import { Tabs } from "radix-ui";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { ChunksTab } from "./chunks-tab";
import { RequestTab } from "./request-tab";
import { ResponseTab } from "./response-tab";
import { TimelineTab } from "./timeline-tab";
import { useExchange } from "./use-exchange";

const TABS = ["Request", "Response", "Chunks", "Timeline"] as const;

const tabClass =
  "rounded-md px-3 py-1 text-sm data-[state=active]:bg-muted data-[state=active]:font-semibold";

/** The raw exchange of one assistant turn, in four tabs. */
export function InspectDialog({
  url,
  turn,
  open,
  onOpenChange,
}: {
  url: string;
  turn: number;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const loaded = useExchange(url);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Inspect"
        description={`Assistant turn ${turn}: what went to the upstream and what came back, as recorded by the server.`}
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
          <Tabs.Root defaultValue="Request" className="flex min-h-0 flex-1 flex-col gap-3">
            <Tabs.List aria-label="Views" className="flex gap-1 border-b pb-2">
              {TABS.map((tab) => (
                <Tabs.Trigger key={tab} value={tab} className={tabClass}>
                  {tab}
                </Tabs.Trigger>
              ))}
            </Tabs.List>
            <Tabs.Content value="Request" className="min-h-0 flex-1 overflow-auto">
              <RequestTab exchange={loaded.exchange} />
            </Tabs.Content>
            <Tabs.Content value="Response" className="min-h-0 flex-1 overflow-auto">
              <ResponseTab exchange={loaded.exchange} chunks={loaded.chunks} />
            </Tabs.Content>
            <Tabs.Content value="Chunks" className="flex min-h-0 flex-1 flex-col">
              <ChunksTab exchange={loaded.exchange} lines={loaded.lines} chunks={loaded.chunks} />
            </Tabs.Content>
            <Tabs.Content value="Timeline" className="min-h-0 flex-1 overflow-auto">
              <TimelineTab exchange={loaded.exchange} lines={loaded.lines} chunks={loaded.chunks} />
            </Tabs.Content>
          </Tabs.Root>
        )}
      </DialogContent>
    </Dialog>
  );
}
