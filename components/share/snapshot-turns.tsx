import "server-only";
import { Brain } from "lucide-react";
import { TurnError } from "@/components/playground/turn-error";
import { UsageLine } from "@/components/playground/usage-line";
import type { PortableMessage } from "@/lib/conversations/portable";
import { ThinkpaneError } from "@/lib/errors";
import { estimateTokens, formatDuration, formatTokens } from "@/lib/format";
import { splitLongText } from "@/lib/markdown";
import { ReasoningPanes } from "./reasoning-panes";
import { CopyTextButton } from "./snapshot-actions";
import { renderMarkdown } from "./snapshot-markdown";

/*
 * A snapshot's turns, rendered once on the server (functions, not components: their result is
 * kept, see lib/snapshot-cache.ts) in the playground's layout and with its
 * accessible names (components/playground/user-message.tsx and assistant-turn.tsx), read-only.
 */

function textOf(message: PortableMessage, type: "text" | "reasoning"): string {
  let out = "";
  for (const part of message.parts) if (part.type === type) out += part.text;
  return out;
}

export function renderUserMessage(message: PortableMessage, index: number) {
  const text = textOf(message, "text");
  return (
    <article
      key={message.id}
      aria-label={`Your message ${index}`}
      className="group ml-auto flex max-w-3xl flex-col items-end gap-1"
    >
      <div
        data-copy-source=""
        className="rounded-2xl bg-muted px-4 py-2 text-sm break-words whitespace-pre-wrap"
      >
        {splitLongText(text)}
      </div>
      <div className="flex gap-1 opacity-70 group-focus-within:opacity-100 group-hover:opacity-100">
        <CopyTextButton
          label="Copy message"
          scope="article"
          source="[data-copy-source]"
          disabled={text === ""}
        />
      </div>
    </article>
  );
}

export function renderAssistantTurn(message: PortableMessage, index: number) {
  const reasoning = textOf(message, "reasoning");
  const answer = textOf(message, "text");
  const metadata = message.metadata;
  const error = metadata?.error ? ThinkpaneError.fromUnknown(metadata.error) : undefined;
  const reasoningTokens = metadata?.usage?.reasoningTokens;
  const tokenLabel =
    reasoningTokens !== undefined
      ? `${formatTokens(reasoningTokens)} tokens`
      : reasoning
        ? `≈${formatTokens(estimateTokens(reasoning))} tokens`
        : undefined;
  const duration = formatDuration(metadata?.reasoningMs);
  const status =
    message.status === "stopped" || message.status === "interrupted"
      ? message.status
      : metadata?.status;

  const header = (
    <>
      <Brain aria-hidden className="size-4 text-muted-foreground" />
      <h3 className="text-sm font-semibold">Reasoning</h3>
      <span
        className="rounded bg-warning px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap text-warning-foreground"
        title="The model's raw chain of thought. It is not safety-filtered like the answer and may contain errors."
      >
        Raw model reasoning
      </span>
      <span className="ml-auto text-xs whitespace-nowrap text-muted-foreground tabular-nums">
        {[tokenLabel, duration].filter(Boolean).join(" · ")}
      </span>
    </>
  );
  const answerPane = (
    <section aria-label="Answer" className="flex min-w-0 flex-col rounded-lg border bg-card">
      <header className="flex items-center gap-2 px-3 py-2">
        <h3 className="text-sm font-semibold">Answer</h3>
        {status === "stopped" ? (
          <span className="rounded bg-muted px-1.5 py-0.5 text-[11px]">Stopped</span>
        ) : null}
        {status === "interrupted" ? (
          <span
            className="rounded bg-warning px-1.5 py-0.5 text-[11px] text-warning-foreground"
            title="The server stopped while this turn was being generated; what had arrived is kept."
          >
            Interrupted
          </span>
        ) : null}
        <span className="ml-auto">
          <CopyTextButton
            label="Copy answer"
            scope="section"
            source="[data-copy-source]"
            disabled={answer === ""}
          />
        </span>
      </header>
      {/* Deeply nested quotes or lists can be wider than any screen: they scroll in here. */}
      <div data-copy-source="" className="overflow-x-auto border-t px-3 py-2">
        {answer ? (
          renderMarkdown(answer)
        ) : (
          <p className="text-sm text-muted-foreground">
            {metadata?.finishReason === "length"
              ? "No answer: the token budget ran out while the model was reasoning. Raise Max completion tokens."
              : "No answer."}
          </p>
        )}
      </div>
    </section>
  );

  return (
    <article
      key={message.id}
      aria-label={`Assistant turn ${index}`}
      className="flex flex-col gap-2"
    >
      <ReasoningPanes
        id={`reasoning-${message.id}`}
        header={header}
        reasoning={
          reasoning ? (
            renderMarkdown(reasoning)
          ) : (
            <p className="text-sm text-muted-foreground">No reasoning was returned.</p>
          )
        }
        answer={answerPane}
      />
      {error ? <TurnError error={error} /> : null}
      <div className="flex flex-wrap items-center gap-2">
        <UsageLine metadata={metadata} />
      </div>
    </article>
  );
}
