"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { Versions } from "@/lib/conversations/tree";

type Props = {
  versions: Versions;
  /** Absent while a turn streams: the buttons show, disabled. */
  onChoose?: (messageId: string) => void;
};

/** "‹ 2 / 3 ›": which version of a turn is shown, and the way to the others. */
export function VersionSwitcher({ versions, onChoose }: Props) {
  const { ids, index, count } = versions;
  const go = (to: number) => {
    const id = ids[to];
    if (id && onChoose) onChoose(id);
  };
  return (
    <span className="flex items-center text-xs text-muted-foreground tabular-nums">
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Previous version"
        disabled={!onChoose || index <= 0}
        onClick={() => go(index - 1)}
      >
        <ChevronLeft aria-hidden />
      </Button>
      <span>
        {index + 1} / {count}
      </span>
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Next version"
        disabled={!onChoose || index >= count - 1}
        onClick={() => go(index + 1)}
      >
        <ChevronRight aria-hidden />
      </Button>
    </span>
  );
}
