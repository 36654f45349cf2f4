"use client";

import { useChat } from "@ai-sdk/react";
import { generateId } from "ai";
import {
  ChevronsDownUp,
  ChevronsUpDown,
  Columns3,
  History,
  SlidersHorizontal,
  SquarePen,
} from "lucide-react";
import { lazy, memo, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AccountMenu } from "@/components/auth/account-menu";
import type { CodeSource } from "@/components/code/types";
import { ViewCodeButton } from "@/components/code/view-code-button";
import { TransferMenu } from "@/components/conversations/transfer";
import { ConversationSidebar as Sidebar } from "@/components/conversations/sidebar";
import { ScrollRootContext, useScrollRoot } from "@/components/markdown/use-near-viewport";
import { ThemeToggle } from "@/components/theme-toggle";
import { Button } from "@/components/ui/button";
import { ResponsiveLabel } from "@/components/ui/responsive-label";
import { useMediaQuery } from "@/components/ui/use-media-query";
import type { Versions } from "@/lib/conversations/tree";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { useConversationList } from "@/lib/store/conversations";
import { useSettings } from "@/lib/store/settings";
import type { PublicModel, ThinkpaneUIMessage } from "@/lib/types";
import { AssistantTurn } from "./assistant-turn";
import { ChatTransport } from "./chat-transport";
import { Composer } from "./composer";
import { ParamsPanel } from "./params-panel";
import { RetryButton } from "./retry-button";
import { TurnError } from "./turn-error";
import { UserMessage } from "./user-message";
import { useStickToBottom } from "./use-stick-to-bottom";
import { useToolLoop } from "./use-tool-loop";
import { lastRoundResults } from "@/lib/tools/results";

// Only a saved conversation can be shared: the dialog's code loads once there is one, not with "/".
const ShareDialog = lazy(() =>
  import("@/components/share/share-dialog").then((m) => ({ default: m.ShareDialog })),
);

/** Memoised: the playground re-renders with every streamed update, the list need not. */
const ConversationSidebar = memo(Sidebar);

export type InitialConversation = {
  id: string;
  /** The path shown. */
  messages: ThinkpaneUIMessage[];
  /** By message id, for messages on the path with more than one version. */
  versions: Record<string, Versions>;
  settings: Settings;
  /** A turn is still being generated: follow it. */
  streaming: boolean;
};

type Props = {
  models: PublicModel[];
  defaultModel: string;
  conversation?: InitialConversation;
  /** The signed-in user, when the server uses access codes. */
  user?: string;
};

function resolveModelId(
  models: PublicModel[],
  wanted: string | undefined,
  fallback: string,
): string {
  return wanted && models.some((m) => m.id === wanted) ? wanted : fallback;
}

function textOf(message: ThinkpaneUIMessage | undefined): string {
  return message?.parts.map((p) => (p.type === "text" ? p.text : "")).join("") ?? "";
}

/** A panel that is a column on wide screens (state persisted) and an overlay on narrow ones (closed on load). */
function usePanel(persisted: boolean, setPersisted: (open: boolean) => void, isWide: boolean) {
  const [mobileOpen, setMobileOpen] = useState(false);
  return isWide ? ([persisted, setPersisted] as const) : ([mobileOpen, setMobileOpen] as const);
}

export function Playground({ models, defaultModel, conversation, user }: Props) {
  useEffect(() => {
    // Browser settings first, then the conversation's own, which win.
    void Promise.resolve(useSettings.persist.rehydrate()).then(() => {
      if (conversation) useSettings.getState().apply(conversation.settings);
    });
  }, [conversation]);

  const isWide = useMediaQuery("(min-width: 1024px)", true);
  const [paramsOpen, setParamsOpen] = usePanel(
    useSettings((s) => s.panelOpen),
    useSettings((s) => s.setPanelOpen),
    isWide,
  );
  const [historyOpen, setHistoryOpen] = usePanel(
    useSettings((s) => s.historyOpen),
    useSettings((s) => s.setHistoryOpen),
    isWide,
  );
  const reasoningCollapsed = useSettings((s) => s.reasoningCollapsed);
  const setReasoningCollapsed = useSettings((s) => s.setReasoningCollapsed);
  const storedModel = useSettings((s) => s.model);
  const modelId = resolveModelId(models, storedModel, defaultModel);
  const model = models.find((m) => m.id === modelId);
  const refreshList = useConversationList((s) => s.refresh);

  const [chatId, setChatId] = useState(() => conversation?.id ?? generateId());
  const [saved, setSaved] = useState(conversation !== undefined);
  const [versions, setVersions] = useState<Record<string, Versions>>(
    () => conversation?.versions ?? {},
  );
  /** Counts failed requests, so that each one's Retry button starts afresh. */
  const [refusals, setRefusals] = useState(0);

  /** A turn added a version (regenerate, edit): the switchers' counts come from the server. */
  const refreshVersions = useCallback(async () => {
    const response = await fetch(`/api/conversations/${chatId}/path`).catch(() => undefined);
    // Nothing stored (a send refused by a limit): no versions to show.
    if (!response?.ok) return;
    const path = (await response.json()) as { versions: Record<string, Versions> };
    setVersions(path.versions);
  }, [chatId]);

  /** The settings the next request carries. */
  const currentSettings = useCallback((): Settings => {
    const s = useSettings.getState();
    return {
      model: resolveModelId(models, s.model, defaultModel),
      system: s.system,
      params: s.params,
    };
  }, [models, defaultModel]);

  // The browser sends only what changed and the settings; the server holds the history.
  const transport = useMemo(
    () =>
      new ChatTransport<ThinkpaneUIMessage>({
        api: "/api/chat",
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => {
          const settings = currentSettings();
          // The turn records the preset (and version) these settings came from.
          const applied = useSettings.getState().preset;
          const preset = applied ? { id: applied.id, version: applied.version } : undefined;
          const target =
            trigger === "submit-message" && messageId
              ? messages.find((m) => m.id === messageId)
              : undefined;
          // An answer continued: its function calls got their results (useToolLoop).
          if (target?.role === "assistant")
            return {
              body: {
                conversationId: id,
                trigger: "submit-tool-results",
                messageId: target.id,
                results: lastRoundResults(target.parts),
                settings,
                preset,
              },
            };
          // A regenerate sends the latest question again: the server answers it afresh (another
          // version) if it has it, and stores it first if it never did (a send refused by a
          // limit). An edit is a new message (new id) beside the one edited (see onEdit).
          // parentId is what this tab shows before the question: the turn goes there, whatever
          // another tab chose meanwhile.
          const index = messages.findLastIndex((m) => m.role === "user");
          const message = messages[index];
          return {
            body: {
              conversationId: id,
              trigger: "submit-message",
              message: { id: message?.id, text: textOf(message) },
              parentId: index > 0 ? messages[index - 1]?.id : null,
              settings,
              preset,
            },
          };
        },
      }),
    [currentSettings],
  );

  // View code shows what the next Send would make: these settings, this conversation, this text.
  const composerText = useRef("");
  const onComposerText = useCallback((text: string) => {
    composerText.current = text;
  }, []);
  const codeSource = useMemo<CodeSource>(
    () => ({
      kind: "live",
      request: () => ({
        settings: currentSettings(),
        conversationId: chatId,
        text: composerText.current,
      }),
    }),
    [currentSettings, chatId],
  );

  const {
    messages,
    setMessages,
    sendMessage,
    regenerate,
    stop,
    status,
    error,
    clearError,
    addToolOutput,
  } = useChat<ThinkpaneUIMessage>({
    id: chatId,
    messages: conversation?.id === chatId ? conversation.messages : undefined,
    resume: conversation?.id === chatId && conversation.streaming,
    transport,
    experimental_throttle: 50,
    onFinish: () => {
      void refreshList();
      void refreshVersions();
    },
    onError: () => {
      setRefusals((n) => n + 1);
      void refreshList();
      void refreshVersions();
    },
  });
  const busy = status === "submitted" || status === "streaming";
  const toolLoop = useToolLoop({
    messages,
    busy,
    addToolOutput: addToolOutput as (r: {
      tool: string;
      toolCallId: string;
      output: string;
    }) => Promise<void>,
    continueAnswer: useCallback(() => sendMessage(), [sendMessage]),
  });
  const { onUserAction } = toolLoop;
  const requestError = useMemo(
    () => (error ? ThinkpaneError.fromText(error.message) : undefined),
    [error],
  );

  const onSend = useCallback(
    (text: string) => {
      if (!saved) {
        // The conversation gets its own address as soon as it exists on the server.
        window.history.replaceState(null, "", `/c/${chatId}`);
        setSaved(true);
      }
      onUserAction();
      void sendMessage({ text });
    },
    [saved, chatId, sendMessage, onUserAction],
  );

  const onStop = useCallback(async () => {
    // Stop reaches the generation on the server; closing our stream alone would not end it.
    await fetch(`/api/chat/${chatId}/stop`, { method: "POST" });
    await stop();
    setMessages((current) => {
      const last = current.at(-1);
      if (!last || last.role !== "assistant") return current;
      return [
        ...current.slice(0, -1),
        { ...last, metadata: { ...last.metadata, status: "stopped" } },
      ];
    });
  }, [chatId, stop, setMessages]);

  const onNewChat = useCallback(async () => {
    if (busy) await stop();
    setMessages([]);
    setVersions({});
    clearError();
    setChatId(generateId());
    setSaved(false);
    window.history.pushState(null, "", "/");
  }, [busy, stop, setMessages, clearError]);

  const onEdit = useCallback(
    (messageId: string, text: string) => {
      // The edited text is a new version of the message: the path shown ends before the
      // original, then the new message is sent under the same parent. The original and its
      // answers stay on the server, a switch away.
      const index = messages.findIndex((m) => m.id === messageId);
      if (index < 0) return;
      setMessages(messages.slice(0, index));
      onUserAction();
      void sendMessage({ text });
    },
    [messages, setMessages, sendMessage, onUserAction],
  );

  const onRegenerate = useCallback(() => {
    onUserAction();
    void regenerate();
  }, [onUserAction, regenerate]);
  // Shows another version of a turn: the server saves the choice and returns the path shown.
  const [choosing, setChoosing] = useState(false);
  const onChooseVersion = useCallback(
    async (messageId: string) => {
      setChoosing(true);
      try {
        const response = await fetch(`/api/conversations/${chatId}/path`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ messageId }),
        });
        if (!response.ok) throw ThinkpaneError.fromText(await response.text());
        const path = (await response.json()) as {
          messages: ThinkpaneUIMessage[];
          versions: Record<string, Versions>;
        };
        clearError();
        setMessages(path.messages);
        setVersions(path.versions);
      } finally {
        setChoosing(false);
      }
    },
    [chatId, clearError, setMessages],
  );
  const chooseVersion = busy || choosing ? undefined : onChooseVersion;

  // Keep the newest content in view while it streams, unless the reader scrolled up.
  const { scrollRef, contentRef } = useStickToBottom<HTMLDivElement, HTMLDivElement>(true, 48);
  // Markdown blocks render as they come near this container's visible part.
  const [scrollRoot, scrollContainer] = useScrollRoot(scrollRef);

  const last = messages.at(-1);
  const lastAssistantIndex = last?.role === "assistant" ? messages.length - 1 : -1;
  // Ordinals for accessible names: "Your message 2", "Assistant turn 2".
  const ordinals = useMemo(() => {
    const counts = { user: 0, assistant: 0, system: 0 };
    return messages.map((m) => ++counts[m.role]);
  }, [messages]);
  const hasConversation = saved && messages.length > 0;

  return (
    <div className="flex h-dvh flex-col">
      <header className="flex items-center gap-1 border-b px-2 py-2 sm:gap-2 sm:px-3">
        <Button
          variant="ghost"
          size="icon"
          aria-label={historyOpen ? "Hide conversations" : "Show conversations"}
          aria-expanded={historyOpen}
          aria-controls="history-panel"
          onClick={() => setHistoryOpen(!historyOpen)}
        >
          <History aria-hidden />
        </Button>
        {/* On a phone the header's buttons need the title's room; it stays the page's heading. */}
        <h1 className="text-base font-semibold max-[420px]:sr-only">Thinkpane</h1>
        <span className="hidden truncate text-sm text-muted-foreground xl:inline">
          {model ? `${model.label} · ${model.provider}` : null}
        </span>
        <div className="ml-auto flex items-center gap-0.5 sm:gap-1">
          <Button asChild variant="ghost" size="sm">
            {/* A plain link: /compare is its own route, and Link would add to this page's first load. */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
            <a href="/compare">
              <Columns3 aria-hidden />
              <ResponsiveLabel>Compare</ResponsiveLabel>
            </a>
          </Button>
          <ViewCodeButton source={codeSource} />
          {hasConversation ? (
            <Suspense fallback={null}>
              <ShareDialog conversationId={chatId} />
            </Suspense>
          ) : null}
          <TransferMenu conversationId={hasConversation ? chatId : undefined} />
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setReasoningCollapsed(!reasoningCollapsed)}
          >
            {reasoningCollapsed ? <ChevronsUpDown aria-hidden /> : <ChevronsDownUp aria-hidden />}
            <ResponsiveLabel>
              {reasoningCollapsed ? "Expand all reasoning" : "Collapse all reasoning"}
            </ResponsiveLabel>
          </Button>
          <ThemeToggle />
          <AccountMenu user={user} />
          <Button
            variant="ghost"
            size="icon"
            aria-label={paramsOpen ? "Hide parameters" : "Show parameters"}
            aria-expanded={paramsOpen}
            aria-controls="params-panel"
            onClick={() => setParamsOpen(!paramsOpen)}
          >
            <SlidersHorizontal aria-hidden />
          </Button>
          <Button variant="outline" size="sm" onClick={onNewChat}>
            <SquarePen aria-hidden />
            <ResponsiveLabel>New chat</ResponsiveLabel>
          </Button>
        </div>
      </header>

      <div className="relative flex min-h-0 flex-1">
        {historyOpen ? (
          <div className="absolute inset-y-0 left-0 z-20 w-[min(18rem,100%)] shadow-lg lg:static lg:w-64 lg:shrink-0 lg:shadow-none">
            <ConversationSidebar
              id="history-panel"
              activeId={saved ? chatId : undefined}
              onActiveDeleted={onNewChat}
            />
          </div>
        ) : null}

        <main className="flex min-w-0 flex-1 flex-col" aria-label="Conversation">
          <div ref={scrollContainer} className="@container flex-1 overflow-y-auto">
            <ScrollRootContext value={scrollRoot}>
              <div ref={contentRef} className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-6">
                {messages.length === 0 ? (
                  <div className="mx-auto mt-16 max-w-md text-center text-sm text-muted-foreground">
                    <p className="text-base font-medium text-foreground">
                      Ask {model?.label ?? "the model"} anything.
                    </p>
                    <p className="mt-2">
                      Its raw reasoning streams on the left, the answer on the right. Set parameters
                      in the panel; unset ones use the upstream default.
                    </p>
                  </div>
                ) : null}
                {messages.map((message, i) => {
                  if (message.role === "user") {
                    return (
                      <UserMessage
                        key={message.id}
                        message={message}
                        index={ordinals[i] ?? 0}
                        onEdit={busy ? undefined : (text) => onEdit(message.id, text)}
                        versions={versions[message.id]}
                        onChooseVersion={chooseVersion}
                      />
                    );
                  }
                  const isLast = i === lastAssistantIndex;
                  return (
                    <AssistantTurn
                      key={message.id}
                      message={message}
                      index={ordinals[i] ?? 0}
                      streaming={isLast && busy}
                      error={isLast && !message.metadata?.error ? requestError : undefined}
                      reasoningCollapsedGlobally={reasoningCollapsed}
                      onRegenerate={isLast && !busy ? onRegenerate : undefined}
                      onSubmitResults={isLast && !busy ? toolLoop.submitByHand : undefined}
                      toolNotice={isLast ? toolLoop.notice : undefined}
                      inspectUrl={
                        isLast && busy
                          ? undefined
                          : `/api/conversations/${chatId}/messages/${message.id}/exchange`
                      }
                      requestUrl={
                        isLast && busy
                          ? undefined
                          : `/api/conversations/${chatId}/messages/${message.id}/request`
                      }
                      versions={versions[message.id]}
                      onChooseVersion={chooseVersion}
                    />
                  );
                })}
                {status === "submitted" && last?.role === "user" ? (
                  <p role="status" className="text-sm text-muted-foreground">
                    Waiting for the model…
                  </p>
                ) : null}
                {requestError && last?.role === "user" ? (
                  <div className="flex flex-col gap-2">
                    <TurnError error={requestError} />
                    <RetryButton
                      key={refusals}
                      waitSeconds={
                        requestError.code.startsWith("rate_limited:")
                          ? requestError.details.retryAfterSeconds
                          : undefined
                      }
                      onRetry={() => void regenerate()}
                    />
                  </div>
                ) : null}
              </div>
            </ScrollRootContext>
          </div>

          <div className="mx-auto w-full max-w-4xl px-4 pb-4">
            {model && !model.ready ? (
              <p
                role="alert"
                className="mb-2 rounded-md border border-warning-foreground/30 bg-warning px-3 py-2 text-sm text-warning-foreground"
              >
                {model.provider} has no API key on this server. Set{" "}
                <code className="font-mono font-semibold">{model.missingEnv}</code> in the
                server&apos;s environment and restart the app.
              </p>
            ) : null}
            <Composer busy={busy} onSend={onSend} onStop={onStop} onTextChange={onComposerText} />
          </div>
        </main>

        {paramsOpen ? (
          <div className="absolute inset-y-0 right-0 z-20 w-[min(22rem,100%)] shadow-lg lg:static lg:w-80 lg:shrink-0 lg:shadow-none">
            <ParamsPanel id="params-panel" models={models} modelId={modelId} />
          </div>
        ) : null}
      </div>
    </div>
  );
}
