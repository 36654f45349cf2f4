"use client";

import { Pencil } from "lucide-react";
import { memo, useState } from "react";
import { Button } from "@/components/ui/button";
import { splitLongText } from "@/lib/markdown";
import type { Versions } from "@/lib/conversations/tree";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { CopyButton } from "./copy-button";
import { VersionSwitcher } from "./version-switcher";

type Props = {
  message: ThinkpaneUIMessage;
  index: number;
  /** Absent while a turn streams: editing then would race the stream. */
  onEdit?: (text: string) => void;
  /** Set when the message has other versions (edits). */
  versions?: Versions;
  /** Absent while a turn streams. */
  onChooseVersion?: (messageId: string) => void;
};

function UserMessageImpl({ message, index, onEdit, versions, onChooseVersion }: Props) {
  const text = message.parts.map((p) => (p.type === "text" ? p.text : "")).join("");
  const [draft, setDraft] = useState<string | undefined>(undefined);

  if (draft !== undefined && onEdit) {
    const save = () => {
      if (draft.trim() === "") return;
      onEdit(draft);
      setDraft(undefined);
    };
    return (
      <article
        aria-label={`Your message ${index}`}
        className="ml-auto flex w-full max-w-3xl flex-col gap-2"
      >
        <textarea
          aria-label="Edit message"
          autoFocus
          value={draft}
          rows={Math.min(12, Math.max(3, draft.split("\n").length))}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") setDraft(undefined);
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              save();
            }
          }}
          className="w-full resize-y rounded-lg border border-input bg-background p-3 text-sm"
        />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" size="sm" onClick={() => setDraft(undefined)}>
            Cancel
          </Button>
          <Button variant="primary" size="sm" onClick={save} disabled={draft.trim() === ""}>
            Save and resend
          </Button>
        </div>
      </article>
    );
  }

  return (
    <article
      aria-label={`Your message ${index}`}
      className="group ml-auto flex max-w-3xl flex-col items-end gap-1"
    >
      <div className="rounded-2xl bg-muted px-4 py-2 text-sm break-words whitespace-pre-wrap">
        {/* Shared pages render this on the server; see splitLongText. */}
        {splitLongText(text)}
      </div>
      <div className="flex items-center gap-1 opacity-70 group-focus-within:opacity-100 group-hover:opacity-100">
        {versions ? <VersionSwitcher versions={versions} onChoose={onChooseVersion} /> : null}
        <CopyButton text={text} label="Copy message" />
        {onEdit ? (
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Edit message"
            title="Edit and resend"
            onClick={() => setDraft(text)}
          >
            <Pencil aria-hidden />
          </Button>
        ) : null}
      </div>
    </article>
  );
}

export const UserMessage = memo(UserMessageImpl);
