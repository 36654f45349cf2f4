"use client";

import { ChevronDown, ChevronRight } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/**
 * A snapshot turn's two panes side by side, the reasoning collapsible. The panes' contents are
 * rendered on the server and passed through as they are: only the toggle runs in the browser.
 */
export function ReasoningPanes({
  id,
  header,
  reasoning,
  answer,
}: {
  id: string;
  header: ReactNode;
  reasoning: ReactNode;
  answer: ReactNode;
}) {
  const [collapsed, setCollapsed] = useState(false);
  return (
    <div className={cn("grid gap-3", !collapsed && "@2xl:grid-cols-2")}>
      <section
        aria-label="Reasoning"
        className="flex min-w-0 flex-col rounded-lg border bg-reasoning"
      >
        <header className="flex flex-wrap items-center gap-x-2 gap-y-1 px-3 py-2">
          <Button
            variant="ghost"
            size="sm"
            className="-ml-1 px-1"
            aria-expanded={!collapsed}
            aria-controls={id}
            onClick={() => setCollapsed(!collapsed)}
          >
            {collapsed ? <ChevronRight aria-hidden /> : <ChevronDown aria-hidden />}
            <span className="sr-only">{collapsed ? "Expand reasoning" : "Collapse reasoning"}</span>
          </Button>
          {header}
        </header>
        <div
          id={id}
          hidden={collapsed}
          className="max-h-[32rem] overflow-y-auto border-t px-3 py-2 text-foreground/85"
        >
          {reasoning}
        </div>
      </section>
      {answer}
    </div>
  );
}
