import "server-only";
import type { Element, ElementContent, Root } from "hast";
import { h } from "hastscript";
import { toHtml } from "hast-util-to-html";
import type { PortableConversation } from "@/lib/conversations/portable";
import { params as paramDescriptors, type ParamKey } from "@/lib/params";
import { readTurnMetadata } from "@/lib/types";
import { createPageBudget, type PageBudget } from "./budget";
import { plainText } from "./markdown";
import { assistantTurn, iconButton, userMessage } from "./turns";

/*
 * A shared snapshot as one complete HTML document, built once (see app/s/[token]/route.ts) and
 * served as it is: no React in the browser, only public/snapshot.js (theme, copy, download,
 * fold, fork) and public/snapshot.css. Text reaches the HTML only as text nodes of a hast tree,
 * which hast-util-to-html escapes: nothing here writes HTML by hand.
 */

/**
 * A page as it is served: every view sends the same bytes. Its script needs no nonce (proxy.ts
 * gives shared pages a policy of same-origin script files only), so a view joins nothing in.
 */
export type SnapshotDocument = { html: Buffer; bytes: number };

export function description(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

export function head(title: string, summary?: string): Element {
  const meta = (name: string, content: string) => h("meta", { name, content });
  const og = (property: string, content: string) => h("meta", { property, content });
  return h("head", [
    h("meta", { charSet: "utf-8" }),
    meta("viewport", "width=device-width, initial-scale=1"),
    h("title", title),
    summary ? meta("description", summary) : null,
    meta("robots", "noindex, nofollow"),
    meta("referrer", "no-referrer"),
    ...(summary
      ? [
          og("og:title", title.replace(/ · Thinkpane$/, "")),
          og("og:description", summary),
          og("og:type", "article"),
          og("og:site_name", "Thinkpane"),
        ]
      : []),
    h("link", { rel: "icon", href: "/icon.svg", type: "image/svg+xml" }),
    h("link", { rel: "stylesheet", href: "/snapshot.css" }),
    // Not deferred: it applies the saved theme before the first paint.
    h("script", { src: "/snapshot.js" }),
  ]);
}

export function document_(headElement: Element, body: Element[]): SnapshotDocument {
  const tree: Root = {
    type: "root",
    children: [{ type: "doctype" }, h("html", { lang: "en" }, [headElement, h("body", body)])],
  };
  // The only raw nodes are typeset markdown, which hast-util-to-html wrote (pageMarkdown).
  const html = Buffer.from(toHtml(tree, { allowDangerousHtml: true }));
  return { html, bytes: html.length };
}

export const themeButton = () =>
  iconButton("system", "Theme: system. Switch to light", { dataTheme: "" });

/**
 * A parameter's value on the settings line. Functions by name (their schemas and saved mock
 * results are the owner's workbench, not the conversation); everything else as JSON.
 */
function settingText(key: ParamKey, value: unknown): string {
  if (key === "tools" && Array.isArray(value))
    return (value as { name?: unknown; enabled?: unknown }[])
      .map((tool) => `${String(tool.name)}${tool.enabled === false ? " (off)" : ""}`)
      .join(", ");
  if (key === "tool_choice" && typeof value === "object" && value !== null)
    return String((value as { function?: { name?: unknown } }).function?.name);
  return JSON.stringify(value);
}

function settingsSection({ settings }: PortableConversation, budget: PageBudget): Element | null {
  if (!settings) return null;
  const setParams = Object.entries(settings.params ?? {}) as [ParamKey, unknown][];
  return h("section.settings", { ariaLabel: "Settings" }, [
    h("p", ["Model ", h("code", settings.model)]),
    setParams.length > 0
      ? h(
          "p.muted",
          setParams
            .map(
              ([key, value]) =>
                `${paramDescriptors[key]?.label ?? key}: ${settingText(key, value)}`,
            )
            .join(" · "),
        )
      : null,
    settings.system?.trim()
      ? h("p.pre", ["System prompt: ", plainText(settings.system, budget, "span")])
      : null,
  ]);
}

/**
 * The messages while the page's budget lasts (see ./budget.ts), each written out as it is built
 * so that its bytes are counted exactly; then a note of how many are left out.
 */
function messages(
  snapshot: PortableConversation,
  budget: PageBudget,
  exchangeHref: ((messageId: string) => string) | undefined,
): ElementContent[] {
  const counts = { user: 0, assistant: 0 };
  const out: ElementContent[] = [];
  for (const [i, message] of snapshot.messages.entries()) {
    if (budget.bytes <= 0) {
      const left = snapshot.messages.length - i;
      out.push(
        h("p.muted.snapshot-cut", { role: "note" }, [
          `${left.toLocaleString("en")} more ${left === 1 ? "message is" : "messages are"} not shown: this conversation is longer than a shared page shows. “Continue in playground” copies all of it.`,
        ]),
      );
      break;
    }
    const before = budget.bytes;
    const element =
      message.role === "user"
        ? userMessage(message, ++counts.user, budget)
        : assistantTurn(message, ++counts.assistant, budget, exchangeHref?.(message.id));
    const html = toHtml(element, { allowDangerousHtml: true });
    budget.bytes = before - Buffer.byteLength(html);
    out.push({ type: "raw", value: html });
  }
  return out;
}

/** A shared snapshot, read-only, in the playground's side-by-side layout. */
export function snapshotDocument(
  stored: PortableConversation,
  options: {
    /** Where each assistant turn's raw exchange is, when the owner included them in the link. */
    exchangeHref?: (messageId: string) => string;
    /** What the page may cost (PAGE_LIMITS unless given). */
    budget?: PageBudget;
  } = {},
): SnapshotDocument {
  // A link made before imports were checked may hold metadata of any shape: the page reads only
  // what fits the live turns' schema.
  const snapshot = {
    ...stored,
    messages: stored.messages.map((m) => ({
      ...m,
      metadata: readTurnMetadata(m.metadata).metadata,
    })),
  };
  const firstUser = snapshot.messages.find((m) => m.role === "user");
  const text = firstUser?.parts.map((p) => (p.type === "text" ? p.text : "")).join("") ?? "";
  const budget = options.budget ?? createPageBudget();
  return document_(
    head(
      `${snapshot.title} · Thinkpane`,
      description(text) || "A conversation shared from Thinkpane.",
    ),
    [
      h("header.top", [
        h("div.heading", [
          h("p.muted", "Shared conversation · read-only"),
          h("h1", snapshot.title),
        ]),
        themeButton(),
        h("button.primary", { dataFork: "" }, [
          h("i.icon", { dataIcon: "fork", ariaHidden: "true" }),
          "Continue in playground",
        ]),
      ]),
      h("main", { ariaLabel: "Conversation" }, [
        settingsSection(snapshot, budget),
        ...messages(snapshot, budget, options.exchangeHref),
      ]),
    ],
  );
}

/** A link that is not (or no longer) there: says so, and nothing about why. */
export function notFoundDocument(): SnapshotDocument {
  return document_(head("Not found · Thinkpane"), [
    h("main.not-found", [
      h("h1", "Not found"),
      h("p.muted", "There is nothing at this address, it has expired, or it is not yours."),
      h("p", [h("a", { href: "/" }, "Open the playground")]),
    ]),
  ]);
}
