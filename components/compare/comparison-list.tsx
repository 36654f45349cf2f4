"use client";

import { Columns3 } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";

type Item = { id: string; title: string };

/** The owner's saved comparisons in the history sidebar, marked as comparisons. */
export function ComparisonList() {
  const [items, setItems] = useState<Item[]>([]);
  useEffect(() => {
    let live = true;
    void fetch("/api/compare", { cache: "no-store" })
      .then((r) => (r.ok ? (r.json() as Promise<{ comparisons: Item[] }>) : undefined))
      .then((body) => live && body && setItems(body.comparisons))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (items.length === 0) return null;
  return (
    <section aria-label="Comparisons" className="mt-3 flex flex-col gap-0.5">
      <h3 className="px-2 text-xs font-semibold text-muted-foreground uppercase">Comparisons</h3>
      <ul className="flex flex-col gap-0.5">
        {items.map((item) => (
          <li key={item.id}>
            <Link
              href={`/compare/${encodeURIComponent(item.id)}`}
              prefetch={false}
              className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-muted"
            >
              <Columns3 aria-hidden className="size-4 shrink-0 text-muted-foreground" />
              <span className="truncate">{item.title}</span>
              <span className="sr-only">(comparison)</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
