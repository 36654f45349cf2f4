"use client";

import { Download } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { codeTabs, withStream, type CodeTab } from "@/lib/code";
import type { CodeTarget, RequestBody } from "@/lib/code/types";
import { HighlightedCode } from "./highlighted-code";
import type { CodeSource } from "./types";

/*
 * Loaded on first use. Tabs and the switch are plain elements with their ARIA roles rather
 * than Radix's: a Radix module shared with the page would be split out of the page's chunks
 * into one of their own, which costs the first load more than these few lines.
 */

type Loaded =
  | { status: "loading" }
  | { status: "ready"; body: RequestBody; target: CodeTarget }
  | { status: "error"; message: string };

function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === "string") return message;
  } catch {
    // Not JSON: the generic message below.
  }
  return "The request could not be built. Try again.";
}

/** Reads `{ body, target }` from one of View code's endpoints; undefined once aborted. */
async function fetchRequest(
  url: string,
  init: RequestInit,
  failure: string,
): Promise<Loaded | undefined> {
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    if (!response.ok) return { status: "error", message: errorMessage(text) };
    const { body, target } = JSON.parse(text) as { body: RequestBody; target: CodeTarget };
    return { status: "ready", body, target };
  } catch {
    return init.signal?.aborted ? undefined : { status: "error", message: failure };
  }
}

/**
 * The body for the source: a dry run of the next Send, asked again when Stream changes, or a
 * turn's recorded request, read once (Stream only changes its `stream` flag).
 */
function useRequest(stream: boolean, source: CodeSource): Loaded {
  const [live, setLive] = useState<Loaded>({ status: "loading" });
  const [recorded, setRecorded] = useState<Loaded>({ status: "loading" });
  // The live source's request reads the settings when the dialog opens or Stream changes.
  const sourceRef = useRef(source);
  useEffect(() => {
    sourceRef.current = source;
  });
  const recordedUrl = source.kind === "recorded" ? source.url : undefined;
  useEffect(() => {
    if (!recordedUrl) return;
    const controller = new AbortController();
    void fetchRequest(
      recordedUrl,
      { signal: controller.signal },
      "The recorded request could not be read.",
    ).then((result) => result && setRecorded(result));
    return () => controller.abort();
  }, [recordedUrl]);
  useEffect(() => {
    const current = sourceRef.current;
    if (current.kind !== "live") return;
    const controller = new AbortController();
    setLive({ status: "loading" });
    void fetchRequest(
      "/api/chat/preview",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...current.request(), stream }),
        signal: controller.signal,
      },
      "The request could not be built. Try again.",
    ).then((result) => result && setLive(result));
    return () => controller.abort();
  }, [stream, recordedUrl]);
  if (!recordedUrl) return live;
  return recorded.status === "ready"
    ? { ...recorded, body: withStream(recorded.body, stream) }
    : recorded;
}

function describeTarget(target: CodeTarget): string {
  const key = target.keyEnv ? `the key from ${target.keyEnv}, ` : "";
  const url = target.baseURL
    ? `the base URL from ${target.baseURLEnv} (default ${target.baseURL})`
    : `the base URL from ${target.baseURLEnv}, which you set`;
  return `${target.provider}: the code reads ${key}${url}. The key is never in the code.`;
}

function download(code: string, filename: string) {
  const url = URL.createObjectURL(new Blob([code], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function CodePanel({ tab, code }: { tab: CodeTab; code: string }) {
  const [status, setStatus] = useState("");
  return (
    <div className="flex min-h-0 flex-col gap-2">
      <div className="flex items-center gap-1">
        <Button
          size="sm"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(code);
              setStatus("Copied");
            } catch {
              setStatus("Could not copy: select the code and copy it by hand.");
            }
            setTimeout(() => setStatus(""), 2000);
          }}
        >
          Copy
        </Button>
        <Button size="sm" onClick={() => download(code, tab.filename)}>
          <Download aria-hidden />
          Download
        </Button>
        <span role="status" className="ml-2 text-xs text-muted-foreground">
          {status}
        </span>
      </div>
      <HighlightedCode code={code} language={tab.language} label={`${tab.label} code`} />
    </div>
  );
}

/** Tabs by the WAI-ARIA pattern: arrows, Home and End move between them. */
function TabList({
  id,
  active,
  onSelect,
}: {
  id: string;
  active: number;
  onSelect: (index: number) => void;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (index: number) => {
    const next = (index + codeTabs.length) % codeTabs.length;
    onSelect(next);
    refs.current[next]?.focus();
  };
  return (
    <div
      role="tablist"
      aria-label="Language"
      className="flex flex-wrap gap-1 border-b pb-1"
      onKeyDown={(e) => {
        const keys: Record<string, number> = {
          ArrowRight: active + 1,
          ArrowLeft: active - 1,
          Home: 0,
          End: codeTabs.length - 1,
        };
        const target = keys[e.key];
        if (target === undefined) return;
        e.preventDefault();
        move(target);
      }}
    >
      {codeTabs.map((t, i) => (
        <button
          key={t.label}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`${id}-tab-${i}`}
          aria-selected={i === active}
          aria-controls={`${id}-panel`}
          tabIndex={i === active ? 0 : -1}
          onClick={() => onSelect(i)}
          className="rounded-md px-2 py-1 text-xs font-medium hover:bg-muted aria-selected:bg-muted aria-selected:text-foreground"
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** The request as code, in six tabs; the Stream switch picks streaming or one JSON response. */
export function ViewCodeBody({ source }: { source: CodeSource }) {
  const [stream, setStream] = useState(true);
  const [active, setActive] = useState(0);
  const id = useId();
  const loaded = useRequest(stream, source);
  const tab = codeTabs[active] ?? codeTabs[0]!;
  const ready = loaded.status === "ready" ? loaded : undefined;
  const code = useMemo(
    () => (ready ? tab.generate({ body: ready.body, target: ready.target, stream }) : undefined),
    [ready, tab, stream],
  );

  return (
    <>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <button
          type="button"
          role="switch"
          id={`${id}-stream`}
          aria-checked={stream}
          onClick={() => setStream(!stream)}
          className="relative h-5 w-9 shrink-0 rounded-full bg-muted-foreground/40 transition-colors aria-checked:bg-primary"
        >
          <span
            aria-hidden
            className={`block size-4 rounded-full bg-background shadow transition-transform ${stream ? "translate-x-[1.125rem]" : "translate-x-0.5"}`}
          />
        </button>
        <label htmlFor={`${id}-stream`}>Stream</label>
        <span className="text-xs text-muted-foreground">
          {stream ? "prints reasoning and answer as they arrive" : "prints the response JSON"}
        </span>
      </div>
      {ready ? (
        <p className="text-xs text-muted-foreground">{describeTarget(ready.target)}</p>
      ) : null}
      <div className="flex min-h-0 flex-col gap-2">
        <TabList id={id} active={active} onSelect={setActive} />
        <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${active}`}>
          {loaded.status === "error" ? (
            <p role="alert" className="text-sm text-destructive">
              {loaded.message}
            </p>
          ) : code === undefined ? (
            <p role="status" className="text-sm text-muted-foreground">
              Building the request…
            </p>
          ) : (
            <CodePanel key={tab.label} tab={tab} code={code} />
          )}
        </div>
      </div>
    </>
  );
}
