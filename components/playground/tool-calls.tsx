"use client";

import { Send, Wrench } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { useSettings } from "@/lib/store/settings";
import { isCall, roundFailed, type CallPart } from "@/lib/tools/results";
import type { ThinkpaneUIMessage } from "@/lib/types";
import { JsonTextField } from "./json-text-field";

export type ToolResult = { toolCallId: string; toolName: string; output: string };

type Props = {
  parts: ThinkpaneUIMessage["parts"];
  /** Set when the calls waiting for a result can be answered now (the last turn, at rest). */
  onSubmit?: (results: ToolResult[]) => void;
  /** Why automatic answers stopped, shown above the form. */
  notice?: string;
};

const pretty = (value: unknown) =>
  typeof value === "string" ? value : JSON.stringify(value, null, 2);

function Arguments({ call }: { call: CallPart }) {
  if (call.state === "input-streaming") {
    const raw = (call as CallPart & { rawInput?: string }).rawInput;
    return (
      <pre className="overflow-x-auto rounded bg-muted px-2 py-1 font-mono text-xs whitespace-pre-wrap">
        {raw || "…"}
      </pre>
    );
  }
  if (call.state === "output-error" && call.errorText) {
    return (
      <>
        <p role="alert" className="text-xs text-destructive">
          The arguments are not valid JSON: the call cannot run as sent. {call.errorText}
        </p>
        <pre className="overflow-x-auto rounded bg-muted px-2 py-1 font-mono text-xs whitespace-pre-wrap">
          {pretty(call.input)}
        </pre>
      </>
    );
  }
  return (
    <pre
      aria-label="Arguments"
      className="overflow-x-auto rounded bg-muted px-2 py-1 font-mono text-xs whitespace-pre-wrap"
    >
      {pretty(call.input)}
    </pre>
  );
}

/**
 * The function calls of an answer, in order: name and arguments (raw while they stream, pretty
 * JSON once complete), and the result each got. Calls waiting for a result get a form, pre-filled
 * with the tool's saved mock; Submit results carries the loop on.
 */
export function ToolCalls({ parts, onSubmit, notice }: Props) {
  const calls = parts.filter(isCall);
  const tools = useSettings((s) => s.params.tools);
  const formId = useId();
  const waiting = calls.filter((c) => c.state === "input-available");
  const failedRound = roundFailed(parts);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const draftOf = (call: CallPart) =>
    drafts[call.toolCallId] ?? tools?.find((t) => t.name === call.toolName)?.mock ?? "";
  if (calls.length === 0) return null;
  const answerable = onSubmit && (waiting.length > 0 || failedRound);

  return (
    <section
      aria-label="Function calls"
      className="flex flex-col gap-2 rounded-lg border bg-card p-3"
    >
      <h3 className="flex items-center gap-2 text-sm font-semibold">
        <Wrench aria-hidden className="size-4 text-muted-foreground" />
        Function calls
      </h3>
      {calls.map((call) => (
        <div
          key={call.toolCallId}
          role="group"
          aria-label={`Call to ${call.toolName}`}
          className="flex flex-col gap-1.5 border-t pt-2 first-of-type:border-t-0 first-of-type:pt-0"
        >
          <div className="flex items-center gap-2">
            <code className="text-xs font-semibold">{call.toolName}</code>
            <span className="text-[11px] text-muted-foreground">
              {call.state === "input-streaming"
                ? "writing arguments…"
                : call.state === "input-available"
                  ? "waiting for a result"
                  : call.state === "output-available"
                    ? "answered"
                    : "failed"}
            </span>
          </div>
          <Arguments call={call} />
          {call.state === "output-available" ? (
            <div className="flex flex-col gap-1">
              <span className="text-xs font-medium">Result</span>
              <pre
                aria-label={`Result of ${call.toolName}`}
                className="overflow-x-auto rounded border px-2 py-1 font-mono text-xs whitespace-pre-wrap"
              >
                {pretty(call.output)}
              </pre>
            </div>
          ) : call.state === "input-available" && answerable ? (
            <JsonTextField
              id={`${formId}-${call.toolCallId}`}
              label={`Result for ${call.toolName}`}
              text={draftOf(call)}
              onText={(text) => setDrafts((d) => ({ ...d, [call.toolCallId]: text }))}
              rows={3}
              lenient
            />
          ) : null}
        </div>
      ))}
      {notice ? (
        <p role="status" className="text-xs text-muted-foreground">
          {notice}
        </p>
      ) : null}
      {answerable ? (
        <div className="flex justify-end">
          <Button
            size="sm"
            onClick={() =>
              onSubmit(
                waiting.map((call) => ({
                  toolCallId: call.toolCallId,
                  toolName: call.toolName,
                  output: draftOf(call),
                })),
              )
            }
          >
            <Send aria-hidden />
            {failedRound ? "Send the error back" : "Submit results"}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
