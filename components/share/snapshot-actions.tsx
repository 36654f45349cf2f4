"use client";

import { Check, Copy, Download } from "lucide-react";
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

export function CopyTextButton({
  label,
  disabled,
  ...source
}: Source & { label: string; disabled?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      aria-label={label}
      title={copied ? "Copied" : label}
      disabled={disabled}
      onClick={async (event) => {
        const content = readCells(event.currentTarget, source);
        const text =
          typeof content === "string" ? content : content.map((r) => r.join("\t")).join("\n");
        await navigator.clipboard.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
    </Button>
  );
}

export function DownloadTextButton({
  label,
  fileName,
  ...source
}: Source & { label: string; fileName: string }) {
  return (
    <Button
      variant="ghost"
      size="icon-sm"
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
    >
      <Download aria-hidden />
    </Button>
  );
}
