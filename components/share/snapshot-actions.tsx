"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/*
 * The buttons of a server-rendered snapshot. They read their text from the page itself (the
 * closest `scope` element's `source`), so that model text is sent once, as HTML, and never a
 * second time as a client component's props in the page's RSC payload.
 */

type Source = { scope: string; source: string };

/** Tables as rows of cells; anything else as the text it shows. */
function readCells(button: HTMLElement, { scope, source }: Source): string[][] | string {
  const element = button.closest(scope)?.querySelector<HTMLElement>(source);
  if (!element) return "";
  if (element.localName !== "table") return element.innerText;
  return [...element.querySelectorAll("tr")].map((row) =>
    [...row.querySelectorAll<HTMLElement>("th, td")].map((cell) => cell.innerText.trim()),
  );
}

const csvCell = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/** Copies the source's text (a table as tab-separated rows); true for a moment afterwards. */
function useCopy(source: Source) {
  const [copied, setCopied] = useState(false);
  const copy = async (button: HTMLElement) => {
    const content = readCells(button, source);
    const text =
      typeof content === "string" ? content : content.map((r) => r.join("\t")).join("\n");
    await navigator.clipboard.writeText(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return [copied, copy] as const;
}

/** A turn's copy button, as in the chat. */
export function CopyTextButton({
  label,
  disabled,
  ...source
}: Source & { label: string; disabled?: boolean }) {
  const [copied, copy] = useCopy(source);
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      aria-label={label}
      title={copied ? "Copied" : label}
      disabled={disabled}
      onClick={(event) => copy(event.currentTarget)}
    >
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
    </Button>
  );
}

/** A code block's or table's copy button: compact, there can be hundreds (see snapshot.css). */
export function BlockCopyButton({ label, ...source }: Source & { label: string }) {
  const [copied, copy] = useCopy(source);
  return (
    <button
      type="button"
      className="snapshot-action"
      data-icon={copied ? "check" : "copy"}
      aria-label={label}
      title={copied ? "Copied" : label}
      onClick={(event) => void copy(event.currentTarget)}
    />
  );
}

/** Saves the source's text as a file (a table as CSV). */
export function BlockDownloadButton({
  label,
  fileName,
  ...source
}: Source & { label: string; fileName: string }) {
  return (
    <button
      type="button"
      className="snapshot-action"
      data-icon="download"
      aria-label={label}
      title={label}
      onClick={(event) => {
        const content = readCells(event.currentTarget, source);
        const text =
          typeof content === "string"
            ? content
            : content.map((r) => r.map(csvCell).join(",")).join("\n");
        const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        link.click();
        URL.revokeObjectURL(url);
      }}
    />
  );
}
