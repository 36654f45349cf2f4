"use client";

import { Check, Pencil, Trash2, X } from "lucide-react";
import Link from "next/link";
import { ComparisonList } from "@/components/compare/comparison-list";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import { useConversationList, type ConversationSummary } from "@/lib/store/conversations";
import { cn } from "@/lib/utils";

type Props = {
  id: string;
  activeId: string | undefined;
  /** Called after the active conversation was deleted. */
  onActiveDeleted: () => void;
};

function Item({
  item,
  active,
  onDelete,
}: {
  item: ConversationSummary;
  active: boolean;
  onDelete: (item: ConversationSummary) => void;
}) {
  const refresh = useConversationList((s) => s.refresh);
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<string>();

  const save = async () => {
    const title = draft?.trim();
    if (!title) return setDraft(undefined);
    const response = await fetch(`/api/conversations/${item.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title }),
    });
    if (!response.ok) return setError("Could not rename.");
    setDraft(undefined);
    setError(undefined);
    await refresh();
  };

  if (draft !== undefined) {
    return (
      <li className="flex items-center gap-1 px-2 py-1">
        <input
          aria-label="Conversation title"
          autoFocus
          value={draft}
          maxLength={200}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") void save();
            if (e.key === "Escape") setDraft(undefined);
          }}
          className="min-w-0 flex-1 rounded border border-input bg-background px-2 py-1 text-sm"
        />
        <Button variant="ghost" size="icon-sm" aria-label="Save title" onClick={() => void save()}>
          <Check aria-hidden />
        </Button>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="Cancel renaming"
          onClick={() => setDraft(undefined)}
        >
          <X aria-hidden />
        </Button>
        {error ? (
          <span role="alert" className="sr-only">
            {error}
          </span>
        ) : null}
      </li>
    );
  }

  return (
    <li
      className={cn(
        "group flex items-center gap-1 rounded-md pr-1",
        active ? "bg-muted" : "hover:bg-muted/60",
      )}
    >
      <Link
        href={`/c/${item.id}`}
        aria-current={active ? "page" : undefined}
        className="min-w-0 flex-1 truncate px-2 py-1.5 text-sm"
        title={item.title}
      >
        {item.title}
      </Link>
      <span className="flex opacity-0 group-focus-within:opacity-100 group-hover:opacity-100">
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={`Rename “${item.title}”`}
          onClick={() => setDraft(item.title)}
        >
          <Pencil aria-hidden />
        </Button>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={`Delete “${item.title}”`}
          onClick={() => onDelete(item)}
        >
          <Trash2 aria-hidden />
        </Button>
      </span>
    </li>
  );
}

/** The history: the caller's conversations, newest first, with filter, rename and delete. */
export function ConversationSidebar({ id, activeId, onActiveDeleted }: Props) {
  const { items, query, loaded, error, setQuery, refresh } = useConversationList();
  const [deleting, setDeleting] = useState<ConversationSummary>();
  const [deleteError, setDeleteError] = useState<string>();

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const confirmDelete = async () => {
    if (!deleting) return;
    const response = await fetch(`/api/conversations/${deleting.id}`, { method: "DELETE" });
    if (!response.ok && response.status !== 404) {
      setDeleteError("Could not delete the conversation. Try again.");
      return;
    }
    const wasActive = deleting.id === activeId;
    setDeleting(undefined);
    setDeleteError(undefined);
    await refresh();
    if (wasActive) onActiveDeleted();
  };

  return (
    <nav
      id={id}
      aria-label="Conversations"
      className="flex h-full flex-col overflow-hidden border-r bg-sidebar"
    >
      <div className="flex flex-col gap-2 border-b px-3 py-3">
        <h2 className="text-sm font-semibold">History</h2>
        <input
          type="search"
          aria-label="Filter conversations"
          placeholder="Filter by title"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="w-full rounded-md border border-input bg-background px-2 py-1 text-sm"
        />
      </div>
      <div className="flex-1 overflow-y-auto p-2">
        {error ? (
          <p role="alert" className="px-2 text-sm text-destructive">
            {error}
          </p>
        ) : null}
        {loaded && items.length === 0 && !error ? (
          <p className="px-2 py-1 text-sm text-muted-foreground">
            {query ? "No conversation matches." : "No conversations yet."}
          </p>
        ) : null}
        <ul className="flex flex-col gap-0.5">
          {items.map((item) => (
            <Item key={item.id} item={item} active={item.id === activeId} onDelete={setDeleting} />
          ))}
        </ul>
        <ComparisonList />
      </div>

      <Dialog
        open={deleting !== undefined}
        onOpenChange={(open) => !open && setDeleting(undefined)}
      >
        <DialogContent
          title="Delete conversation?"
          description={
            deleting
              ? `“${deleting.title}” and its share links will be deleted. This cannot be undone.`
              : undefined
          }
        >
          {deleteError ? (
            <p role="alert" className="text-sm text-destructive">
              {deleteError}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button variant="destructive" onClick={() => void confirmDelete()}>
              Delete
            </Button>
          </div>
        </DialogContent>
      </Dialog>
    </nav>
  );
}
