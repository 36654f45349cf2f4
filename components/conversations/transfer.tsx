"use client";

import { Download, Ellipsis, Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { DropdownMenu } from "radix-ui";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";

const itemClass =
  "flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm outline-none select-none data-[disabled]:opacity-50 data-[highlighted]:bg-muted [&_svg]:size-4";

/**
 * Export (Markdown, JSON) and import, in one menu so that the header fits narrow screens.
 * Import reads a JSON export and opens it as a new conversation.
 */
export function TransferMenu({ conversationId }: { conversationId: string | undefined }) {
  const input = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const [error, setError] = useState<string>();
  const base = conversationId ? `/api/conversations/${conversationId}/export` : undefined;

  const onFile = async (file: File) => {
    setError(undefined);
    const response = await fetch("/api/conversations/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: await file.text(),
    });
    const body = (await response.json().catch(() => ({}))) as {
      id?: string;
      error?: { message: string };
    };
    if (!response.ok || !body.id)
      return setError(body.error?.message ?? "The file could not be imported.");
    router.push(`/c/${body.id}`);
  };

  return (
    <>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        aria-label="Import conversation (JSON)"
        className="sr-only"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void onFile(file);
        }}
      />
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <Button variant="ghost" size="icon" aria-label="Export and import">
            <Ellipsis aria-hidden />
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={4}
            className="z-50 min-w-48 rounded-md border bg-background p-1 shadow-lg"
          >
            {base ? (
              <>
                <DropdownMenu.Item asChild className={itemClass}>
                  <a href={`${base}?format=markdown`} download>
                    <Download aria-hidden />
                    Export Markdown
                  </a>
                </DropdownMenu.Item>
                <DropdownMenu.Item asChild className={itemClass}>
                  <a href={`${base}?format=json`} download>
                    <Download aria-hidden />
                    Export JSON
                  </a>
                </DropdownMenu.Item>
                <DropdownMenu.Separator className="my-1 h-px bg-border" />
              </>
            ) : null}
            <DropdownMenu.Item className={itemClass} onSelect={() => input.current?.click()}>
              <Upload aria-hidden />
              Import JSON…
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {error ? (
        <span role="alert" className="text-xs text-destructive">
          {error}
        </span>
      ) : null}
    </>
  );
}
