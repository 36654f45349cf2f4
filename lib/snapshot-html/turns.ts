import "server-only";
import type { Element } from "hast";
import { h } from "hastscript";
import type { PortableMessage } from "@/lib/conversations/portable";
import { defaultMessageOf, ThinkpaneError } from "@/lib/errors";
import {
  formatCost,
  formatDuration,
  formatRate,
  formatTokens,
  reasoningSummary,
} from "@/lib/format";
import type { SchemaVerdict } from "@/lib/structured/check";
import { parsedView, parsedViewLabel } from "@/lib/structured/view";
import type { TurnMetadata } from "@/lib/types";
import type { PageBudget } from "./budget";
import { pageMarkdown, plainText } from "./markdown";
import { textOfParts } from "@/lib/chat/parts-text";

/*
 * A snapshot's turns as HTML trees, with the playground's accessible names
 * (components/playground/user-message.tsx and assistant-turn.tsx), read-only. Icons are drawn by
 * the stylesheet (public/snapshot.css) from `data-icon`; buttons work through public/snapshot.js.
 */

/** An icon-only button; its kind (data-copy, data-theme) is what snapshot.js acts on, and its
 * tooltip is set there from its name. No type: there is no form on the page. */
export const iconButton = (icon: string, label: string, more: Record<string, unknown> = {}) =>
  h("button.icon-button", { dataIcon: icon, ariaLabel: label, ...more });

const icon = (name: string) => h("i.icon", { dataIcon: name, ariaHidden: "true" });

export function userMessage(message: PortableMessage, index: number, budget: PageBudget): Element {
  const text = textOfParts(message.parts, "text");
  return h("article.user", { ariaLabel: `Your message ${index}` }, [
    plainText(text, budget, "div.bubble", { dataCopySource: "" }),
    h("div.actions", [
      iconButton("copy", "Copy message", { dataCopy: "message", disabled: !text }),
    ]),
  ]);
}

function usageLine(metadata: TurnMetadata | undefined): Element | null {
  if (!metadata) return null;
  const usage = metadata.usage;
  const items: [string, string | undefined][] = [
    ["Prompt", formatTokens(usage?.promptTokens)],
    ["Reasoning", formatTokens(usage?.reasoningTokens)],
    ["Answer", formatTokens(usage?.answerTokens)],
    ["First reasoning token", formatDuration(metadata.firstReasoningMs)],
    ["First answer token", formatDuration(metadata.firstAnswerMs)],
    ["Speed", formatRate(metadata.tokensPerSecond)],
    ["Total", formatDuration(metadata.totalMs)],
    ["Cost", formatCost(metadata.costUsd)],
    [
      "Finish",
      metadata.finishReason && metadata.finishReason !== "stop" ? metadata.finishReason : undefined,
    ],
  ];
  const shown = items.filter(([, value]) => value !== undefined);
  if (shown.length === 0) return null;
  return h(
    "dl.usage",
    { role: "group", ariaLabel: "Usage" },
    shown.map(([label, value]) => h("div", [h("dt", label), h("dd", value)])),
  );
}

/**
 * A failed turn, as failed: its title and the message every owner sees for its code, never the
 * stored text, which speaks to the server's operator (links made before toSnapshot dropped it
 * still hold it).
 */
function turnError(metadata: TurnMetadata | undefined): Element | null {
  if (!metadata?.error) return null;
  const error = ThinkpaneError.fromUnknown(metadata.error);
  return h("div.turn-error", { role: "alert", dataErrorCode: error.code }, [
    icon("alert"),
    h("div", [h("p.title", error.title), h("p", defaultMessageOf(error.code))]),
  ]);
}

const note = (text: string) => h("p.muted", text);

/** A JSON turn's verdict, as components/playground/schema-check.tsx draws it. */
function schemaCheck(verdict: SchemaVerdict | undefined): Element | null {
  if (!verdict) return null;
  const view = parsedView(verdict);
  return h("div.schema", [
    h(
      verdict.valid ? "div.schema-check.valid" : "div.schema-check",
      { role: "status", ariaLabel: "Schema check", dataKind: verdict.kind },
      [
        h("p", verdict.message),
        verdict.errors.length > 0
          ? h(
              "ul",
              verdict.errors.map((e) => h("li", [h("code", e.path), ` ${e.message}`])),
            )
          : null,
      ],
    ),
    view === undefined
      ? null
      : h("section", { ariaLabel: parsedViewLabel(verdict) }, [
          h("h4", parsedViewLabel(verdict)),
          h("pre.json", { tabIndex: 0 }, view),
        ]),
  ]);
}

type CallPart = Extract<PortableMessage["parts"][number], { type: "dynamic-tool" }>;

const pretty = (value: unknown) =>
  typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? "");

const callStates: Record<CallPart["state"], string> = {
  "input-streaming": "arguments incomplete",
  "input-available": "waiting for a result",
  "approval-requested": "waiting for approval",
  "approval-responded": "approval answered",
  "output-available": "answered",
  "output-error": "failed",
  "output-denied": "denied",
};

/**
 * An answer's function calls, read-only, as components/playground/tool-calls.tsx names them:
 * each call's name and arguments (pretty JSON, or the text the model sent when it was not
 * JSON), and the result it got. Arguments and results are untrusted text: plain text nodes,
 * cut where the page's bytes run out.
 */
function toolCalls(calls: CallPart[], budget: PageBudget): Element | null {
  if (calls.length === 0) return null;
  return h("section.tool-calls", { ariaLabel: "Function calls" }, [
    h("h3", [icon("wrench"), "Function calls"]),
    ...calls.map((call) => {
      const raw = (call as CallPart & { rawInput?: string }).rawInput;
      const input = call.input === undefined ? raw : call.input;
      return h("div.tool-call", { role: "group", ariaLabel: `Call to ${call.toolName}` }, [
        h("div.tool-call-head", [
          h("code", call.toolName),
          h("span.muted", callStates[call.state]),
        ]),
        call.state === "output-error"
          ? h("p.tool-call-error", [
              "The arguments are not valid JSON: the call cannot run as sent. ",
              plainText(call.errorText ?? "", budget, "span"),
            ])
          : null,
        input === undefined
          ? null
          : plainText(pretty(input), budget, "pre.json", { ariaLabel: "Arguments", tabIndex: 0 }),
        call.state === "output-available"
          ? h("div.tool-result", [
              h("span", "Result"),
              plainText(pretty(call.output), budget, "pre.json", {
                ariaLabel: `Result of ${call.toolName}`,
                tabIndex: 0,
              }),
            ])
          : null,
      ]);
    }),
  ]);
}

export function assistantTurn(
  message: PortableMessage,
  index: number,
  budget: PageBudget,
  exchangeHref?: string,
): Element {
  const reasoning = textOfParts(message.parts, "reasoning");
  const answer = textOfParts(message.parts, "text");
  const metadata = message.metadata;
  const summary = reasoningSummary(
    reasoning,
    metadata?.usage?.reasoningTokens,
    metadata?.reasoningMs,
  );
  const status =
    message.status === "stopped" || message.status === "interrupted"
      ? message.status
      : metadata?.status;
  const paneId = `reasoning-${index}`;
  const calls = message.parts.filter((p): p is CallPart => p.type === "dynamic-tool");

  const reasoningPane = h("section.pane.reasoning", { ariaLabel: "Reasoning" }, [
    h("header", [
      // Named by its hidden text, which snapshot.js swaps with the state.
      h(
        "button.icon-button",
        {
          dataToggle: "",
          dataIcon: "collapse",
          ariaExpanded: "true",
          ariaControls: paneId,
        },
        h("span.sr-only", "Collapse reasoning"),
      ),
      icon("brain"),
      h("h3", "Reasoning"),
      // Its tooltip (what raw reasoning is) is set by snapshot.js: one string, not one a turn.
      h("span.badge.warn.raw", "Raw model reasoning"),
      h("span.meta", summary),
    ]),
    h("div.body.scroll", { id: paneId }, [
      reasoning ? pageMarkdown(reasoning, budget) : note("No reasoning was returned."),
    ]),
  ]);

  const answerPane = h("section.pane", { ariaLabel: "Answer" }, [
    h("header", [
      h("h3", "Answer"),
      status === "stopped" ? h("span.badge", "Stopped") : null,
      status === "interrupted"
        ? h(
            "span.badge.warn",
            {
              title:
                "The server stopped while this turn was being generated; what had arrived is kept.",
            },
            "Interrupted",
          )
        : null,
      h("span.meta", [
        iconButton("copy", "Copy answer", { dataCopy: "answer", disabled: !answer }),
      ]),
    ]),
    // Deeply nested quotes or lists can be wider than any screen: they scroll in here.
    h("div.body.wide", { dataCopySource: "" }, [
      answer
        ? pageMarkdown(answer, budget)
        : note(
            metadata?.finishReason === "length"
              ? "No answer: the token budget ran out while the model was reasoning. Raise Max completion tokens."
              : calls.length > 0
                ? "No answer yet: the model called a function."
                : "No answer.",
          ),
    ]),
    schemaCheck(metadata?.schemaCheck),
  ]);

  return h("article.turn", { ariaLabel: `Assistant turn ${index}` }, [
    h("div.panes", [reasoningPane, answerPane]),
    toolCalls(calls, budget),
    turnError(metadata),
    usageLine(metadata),
    exchangeHref
      ? h("p.muted", [
          h("a", { href: exchangeHref, type: "application/json" }, "Raw exchange (JSON)"),
          ": the request as sent upstream and every chunk received",
        ])
      : null,
  ]);
}
