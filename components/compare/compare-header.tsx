"use client";

import { ChevronsDownUp, ChevronsUpDown, Download, MessageSquare } from "lucide-react";
import Link from "next/link";
import { Suspense } from "react";
import { ShareDialog } from "@/components/share/share-dialog";
import { ThemeToggle } from "@/components/theme-toggle";
import { Button } from "@/components/ui/button";

/** The Compare page's header: back to the playground, export and share once saved. */
export function CompareHeader({
  id,
  reasoningCollapsed,
  onToggleReasoning,
}: {
  /** The saved comparison, when it is not running. */
  id: string | undefined;
  reasoningCollapsed: boolean;
  onToggleReasoning: () => void;
}) {
  const base = id ? `/api/compare/${encodeURIComponent(id)}` : undefined;
  return (
    <header className="flex items-center gap-1 border-b px-2 py-2 sm:gap-2 sm:px-3">
      <h1 className="text-base font-semibold">Compare</h1>
      <div className="ml-auto flex items-center gap-0.5 sm:gap-1">
        {base ? (
          <>
            <Button asChild variant="ghost" size="sm">
              <a href={`${base}/export?format=markdown`} download>
                <Download aria-hidden />
                Export Markdown
              </a>
            </Button>
            <Button asChild variant="ghost" size="sm">
              <a href={`${base}/export?format=json`} download>
                <Download aria-hidden />
                Export JSON
              </a>
            </Button>
            <Suspense fallback={null}>
              <ShareDialog sharesUrl={`${base}/shares`} allowExchange={false} />
            </Suspense>
          </>
        ) : null}
        <Button variant="ghost" size="sm" onClick={onToggleReasoning}>
          {reasoningCollapsed ? <ChevronsUpDown aria-hidden /> : <ChevronsDownUp aria-hidden />}
          {reasoningCollapsed ? "Expand all reasoning" : "Collapse all reasoning"}
        </Button>
        <ThemeToggle />
        <Button asChild variant="outline" size="sm">
          <Link href="/">
            <MessageSquare aria-hidden />
            Playground
          </Link>
        </Button>
      </div>
    </header>
  );
}
