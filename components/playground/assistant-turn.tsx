"use client";

import { Brain, ChevronDown, ChevronRight, RotateCcw } from "lucide-react";
import { lazy, memo, Suspense, useState } from "react";
import { LazyMarkdown } from "@/components/markdown/lazy-markdown";
import { ScrollRootContext, useScrollRoot } from "@/components/markdown/use-near-viewport";
import { ViewCodeButton } from "@/components/code/view-code-button";
import { InspectButton } from "@/components/inspect/inspect-button";
import { Button } from "@/components/ui/button";
import { ThinkpaneError } from "@/lib/errors";
import { reasoningSummary } from "@/lib/format";
import type { Versions } from "@/lib/conversations/tree";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { cn } from "@/lib/utils";
import { CopyButton } from "./copy-button";
import { ToolCalls, type ToolResult } from "./tool-calls";
import { TurnError } from "./turn-error";
import { UsageLine } from "./usage-line";
import { useStickToBottom } from "./use-stick-to-bottom";
import { VersionSwitcher } from "./version-switcher";
import { textOfParts } from "@/lib/chat/parts-text";

/** Only turns that asked for JSON have a verdict: its view loads with the first of them. */
const SchemaCheck = lazy(() => import("./schema-check").then((m) => ({ default: m.SchemaCheck })));

type Props = {
  message: ThinkpaneUIMessage;
  index: number;
  streaming: boolean;
  /** Set on the last turn when the request failed without an error in the metadata. */
  error?: ThinkpaneError;
  reasoningCollapsedGlobally: boolean;
  onRegenerate?: () => void;
  /** Where this turn's raw exchange is read (Inspect); absent while it streams. */
  inspectUrl?: string;
  /** Where this turn's recorded request is read (View code); absent while it streams. */
  requestUrl?: string;
  /** Set when this turn's waiting function calls can be answered now. */
  onSubmitResults?: (results: ToolResult[]) => void;
  /** Why automatic answers to its calls stopped. */
  toolNotice?: string;
  /** Set when the answer has other versions (regenerated). */
  versions?: Versions;
  /** Absent while a turn streams. */
  onChooseVersion?: (messageId: string) => void;
};

/** Harmony syntax some servers leak into the text instead of parsing it into tool calls. */
const HARMONY = /<\|(?:channel|constrain|message|start|end|call)\|>/;

function AssistantTurnImpl({
  message,
  index,
  streaming,
  error,
  reasoningCollapsedGlobally,
  onRegenerate,
  inspectUrl,
  requestUrl,
  onSubmitResults,
  toolNotice,
  versions,
  onChooseVersion,
}: Props) {
  const reasoning = textOfParts(message.parts, "reasoning");
  const answer = textOfParts(message.parts, "text");
  const metadata = message.metadata;
  // A per-turn choice holds until the global toggle changes; then the global state wins again.
  const [override, setOverride] = useState<{ collapsed: boolean; global: boolean }>();
  const collapsed =
    override && override.global === reasoningCollapsedGlobally
      ? override.collapsed
      : reasoningCollapsedGlobally;
  const { scrollRef: reasoningScrollRef, contentRef: reasoningContentRef } = useStickToBottom<
    HTMLDivElement,
    HTMLDivElement
  >(streaming && !collapsed, 24);
  // The reasoning pane scrolls on its own: its blocks measure "near" in it.
  const [reasoningRoot, reasoningScroller] = useScrollRoot(reasoningScrollRef);
  const reasoningId = `reasoning-${message.id}`;

  const shownError = metadata?.error ? ThinkpaneError.fromUnknown(metadata.error) : error;
  const stopped = metadata?.status === "stopped";
  const interrupted = metadata?.status === "interrupted";
  const summary = reasoningSummary(
    reasoning,
    metadata?.usage?.reasoningTokens,
    metadata?.reasoningMs,
  );
  const hasReasoning = reasoning.length > 0;
  const hasCalls = message.parts.some((p) => p.type === "dynamic-tool");

  return (
    <article
      aria-label={`Assistant turn ${index}`}
      // A finished turn off screen costs no style, layout or paint work. Nor does a full group of
      // finished blocks off screen (per group, see BlockGroup), and each finished block is
      // contained, so it is laid out and painted once while the text grows. The turn, as every
      // group, has its size remembered before it may be skipped: one that became skippable
      // without would take the placeholder size for a frame, and the view in it would jump.
      className={cn(
        "flex flex-col gap-2 [contain-intrinsic-size:auto_40rem]",
        "[&_[data-block-group=full]]:[content-visibility:auto] [&_[data-finished-block]]:[contain:content]",
        !streaming && "[content-visibility:auto]",
      )}
    >
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
              aria-controls={reasoningId}
              onClick={() =>
                setOverride({ collapsed: !collapsed, global: reasoningCollapsedGlobally })
              }
            >
              {collapsed ? <ChevronRight aria-hidden /> : <ChevronDown aria-hidden />}
              <span className="sr-only">
                {collapsed ? "Expand reasoning" : "Collapse reasoning"}
              </span>
            </Button>
            <Brain aria-hidden className="size-4 text-muted-foreground" />
            <h3 className="text-sm font-semibold">Reasoning</h3>
            <span
              className="rounded bg-warning px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap text-warning-foreground"
              title="The model's raw chain of thought. It is not safety-filtered like the answer and may contain errors."
            >
              Raw model reasoning
            </span>
            <span className="ml-auto text-xs whitespace-nowrap text-muted-foreground tabular-nums">
              {summary}
            </span>
          </header>
          <div
            id={reasoningId}
            ref={reasoningScroller}
            hidden={collapsed}
            className="max-h-[32rem] overflow-y-auto border-t px-3 py-2 text-foreground/85"
          >
            <div ref={reasoningContentRef}>
              {hasReasoning ? (
                <ScrollRootContext value={reasoningRoot}>
                  {/* Markdown near the view only; a block finished on view is typeset when the
                      page is idle (see BlockMarkdown): at thousands of tokens a second, parse
                      what can be read. */}
                  <LazyMarkdown streaming={streaming} deferOffscreen>
                    {reasoning}
                  </LazyMarkdown>
                </ScrollRootContext>
              ) : (
                <p className="text-sm text-muted-foreground">
                  {streaming ? "Waiting for reasoning…" : "No reasoning was returned."}
                </p>
              )}
            </div>
          </div>
        </section>

        <section aria-label="Answer" className="flex min-w-0 flex-col rounded-lg border bg-card">
          <header className="flex items-center gap-2 px-3 py-2">
            <h3 className="text-sm font-semibold">Answer</h3>
            {stopped ? (
              <span className="rounded bg-muted px-1.5 py-0.5 text-[11px]">Stopped</span>
            ) : null}
            {interrupted ? (
              <span
                className="rounded bg-warning px-1.5 py-0.5 text-[11px] text-warning-foreground"
                title="The server stopped while this turn was being generated; what had arrived is kept."
              >
                Interrupted
              </span>
            ) : null}
            <span className="ml-auto">
              <CopyButton text={answer} label="Copy answer" />
            </span>
          </header>
          {/* Deeply nested quotes or lists can be wider than any screen: they scroll in here. */}
          <div className="overflow-x-auto border-t px-3 py-2">
            {answer ? (
              <LazyMarkdown streaming={streaming} deferOffscreen>
                {answer}
              </LazyMarkdown>
            ) : (
              <p className="text-sm text-muted-foreground">
                {streaming
                  ? hasReasoning
                    ? "The model is reasoning…"
                    : "Waiting for the model…"
                  : metadata?.finishReason === "length"
                    ? "No answer: the token budget ran out while the model was reasoning. Raise Max completion tokens."
                    : hasCalls
                      ? "No answer yet: the model called a function."
                      : "No answer."}
              </p>
            )}
          </div>
          {HARMONY.test(answer) ? (
            <p className="border-t px-3 py-2 text-xs text-warning-foreground">
              This text holds harmony syntax (such as &lt;|channel|&gt;): the server passed the
              model&apos;s raw tool-call format through instead of parsing it into a call.
            </p>
          ) : null}
          {metadata?.schemaCheck && !streaming ? (
            <Suspense fallback={null}>
              <SchemaCheck verdict={metadata.schemaCheck} />
            </Suspense>
          ) : null}
        </section>
      </div>

      {hasCalls ? (
        <ToolCalls parts={message.parts} onSubmit={onSubmitResults} notice={toolNotice} />
      ) : null}

      {shownError ? <TurnError error={shownError} /> : null}

      <div className="flex flex-wrap items-center gap-2">
        <UsageLine metadata={metadata} />
        <span className="ml-auto flex items-center gap-1">
          {versions ? <VersionSwitcher versions={versions} onChoose={onChooseVersion} /> : null}
          {requestUrl ? (
            <ViewCodeButton
              source={{ kind: "recorded", url: requestUrl, preset: metadata?.preset }}
            />
          ) : null}
          {inspectUrl ? (
            <InspectButton url={inspectUrl} turn={index} preset={metadata?.preset} />
          ) : null}
          {onRegenerate ? (
            <Button variant="ghost" size="sm" onClick={onRegenerate}>
              <RotateCcw aria-hidden />
              Regenerate
            </Button>
          ) : null}
        </span>
      </div>
    </article>
  );
}

/** Finished turns keep their message object, so they do not re-render while another streams. */
export const AssistantTurn = memo(AssistantTurnImpl);
