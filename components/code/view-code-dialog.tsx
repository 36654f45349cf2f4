"use client";

import { Download } from "lucide-react";
import { Switch, Tabs } from "radix-ui";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { codeTabs, withStream, type CodeTab } from "@/lib/code";
import type { CodeTarget, RequestBody } from "@/lib/code/types";
import { ThinkpaneError } from "@/lib/errors";
import { HighlightedCode } from "./highlighted-code";
import type { CodeSource } from "./types";

type Loaded =
  | { status: "loading" }
  | { status: "ready"; body: RequestBody; target: CodeTarget }
  | { status: "error"; message: string };

/** The body for the source: asked of the server (a dry run of the next Send), or the fixed one. */
function useRequest(open: boolean, stream: boolean, source: CodeSource): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  // The source's request reads the settings at the moment the dialog opens or Stream changes.
  const sourceRef = useRef(source);
  useEffect(() => {
    sourceRef.current = source;
  });
  const fixed = source.kind === "fixed" ? source : undefined;
  useEffect(() => {
    if (!open || fixed) return;
    const current = sourceRef.current;
    if (current.kind !== "live") return;
    const controller = new AbortController();
    setLoaded({ status: "loading" });
    void (async () => {
      try {
        const response = await fetch("/api/chat/preview", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...current.request(), stream }),
          signal: controller.signal,
        });
        const text = await response.text();
        if (!response.ok) {
          setLoaded({ status: "error", message: ThinkpaneError.fromText(text).message });
          return;
        }
        const { body, target } = JSON.parse(text) as { body: RequestBody; target: CodeTarget };
        setLoaded({ status: "ready", body, target });
      } catch (error) {
        if (controller.signal.aborted) return;
        setLoaded({
          status: "error",
          message: error instanceof Error ? error.message : "The request could not be built.",
        });
      }
    })();
    return () => controller.abort();
  }, [open, stream, fixed]);
  if (fixed) return { status: "ready", body: withStream(fixed.body, stream), target: fixed.target };
  return loaded;
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

/** The request as code, in six tabs; the Stream switch picks streaming or one JSON response. */
export function ViewCodeDialog({
  open,
  onOpenChange,
  source,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  source: CodeSource;
}) {
  const [stream, setStream] = useState(true);
  const [tab, setTab] = useState(codeTabs[0]!.label);
  const switchId = useId();
  const loaded = useRequest(open, stream, source);
  const ready = loaded.status === "ready" ? loaded : undefined;
  const code = useMemo(() => {
    if (!ready) return undefined;
    const active = codeTabs.find((t) => t.label === tab) ?? codeTabs[0]!;
    return active.generate({ body: ready.body, target: ready.target, stream });
  }, [ready, tab, stream]);

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="View code"
        description={
          source.kind === "live"
            ? "The request the next Send would make: the conversation so far, the text in the composer (or Hello) and every parameter that is set."
            : "The request that produced this turn, exactly as it was sent."
        }
        className="w-[min(60rem,calc(100vw-2rem))]"
      >
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <Switch.Root
            id={switchId}
            checked={stream}
            onCheckedChange={setStream}
            className="relative h-5 w-9 shrink-0 rounded-full bg-muted-foreground/40 transition-colors data-[state=checked]:bg-primary"
          >
            <Switch.Thumb className="block size-4 translate-x-0.5 rounded-full bg-background shadow transition-transform data-[state=checked]:translate-x-[1.125rem]" />
          </Switch.Root>
          <label htmlFor={switchId}>Stream</label>
          <span className="text-xs text-muted-foreground">
            {stream ? "prints reasoning and answer as they arrive" : "prints the response JSON"}
          </span>
        </div>
        {ready ? (
          <p className="text-xs text-muted-foreground">{describeTarget(ready.target)}</p>
        ) : null}
        <Tabs.Root value={tab} onValueChange={setTab} className="flex min-h-0 flex-col gap-2">
          <Tabs.List aria-label="Language" className="flex flex-wrap gap-1 border-b pb-1">
            {codeTabs.map((t) => (
              <Tabs.Trigger
                key={t.label}
                value={t.label}
                className="rounded-md px-2 py-1 text-xs font-medium hover:bg-muted data-[state=active]:bg-muted data-[state=active]:text-foreground"
              >
                {t.label}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          {codeTabs.map((t) => (
            <Tabs.Content key={t.label} value={t.label} className="min-h-0">
              {loaded.status === "error" ? (
                <p role="alert" className="text-sm text-destructive">
                  {loaded.message}
                </p>
              ) : code === undefined || t.label !== tab ? (
                <p role="status" className="text-sm text-muted-foreground">
                  Building the request…
                </p>
              ) : (
                <CodePanel tab={t} code={code} />
              )}
            </Tabs.Content>
          ))}
        </Tabs.Root>
      </DialogContent>
    </Dialog>
  );
}
