"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport, generateId } from "ai";
import {
  ChevronsDownUp,
  ChevronsUpDown,
  PanelLeftClose,
  PanelLeftOpen,
  SquarePen,
} from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { ThemeToggle } from "@/components/theme-toggle";
import { Button } from "@/components/ui/button";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { useSettings } from "@/lib/store/settings";
import type { PublicModel, ThinkpaneUIMessage } from "@/lib/types";

import { AssistantTurn } from "./assistant-turn";
import { Composer } from "./composer";
import { ParamsPanel } from "./params-panel";
import { TurnError } from "./turn-error";
import { UserMessage } from "./user-message";

type Props = { models: PublicModel[]; defaultModel: string };

function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const media = matchMedia(query);
      media.addEventListener("change", onChange);
      return () => media.removeEventListener("change", onChange);
    },
    () => matchMedia(query).matches,
    () => true,
  );
}

function resolveModelId(
  models: PublicModel[],
  wanted: string | undefined,
  fallback: string,
): string {
  return wanted && models.some((m) => m.id === wanted) ? wanted : fallback;
}

/** What the browser sends: text and reasoning parts only (the server drops old reasoning itself). */
function toWireMessage(message: ThinkpaneUIMessage) {
  return {
    id: message.id,
    role: message.role,
    parts: message.parts
      .filter((p) => p.type === "text" || p.type === "reasoning")
      .map((p) => ({ type: p.type, text: (p as { text: string }).text })),
  };
}

export function Playground({ models, defaultModel }: Props) {
  useEffect(() => {
    void useSettings.persist.rehydrate();
  }, []);

  // On wide screens the panel is a column whose state persists; on narrow ones it is an overlay,
  // closed on load so that the conversation comes first.
  const desktopPanelOpen = useSettings((s) => s.panelOpen);
  const setDesktopPanelOpen = useSettings((s) => s.setPanelOpen);
  const [mobilePanelOpen, setMobilePanelOpen] = useState(false);
  const isWide = useMediaQuery("(min-width: 768px)");
  const panelOpen = isWide ? desktopPanelOpen : mobilePanelOpen;
  const setPanelOpen = isWide ? setDesktopPanelOpen : setMobilePanelOpen;
  const reasoningCollapsed = useSettings((s) => s.reasoningCollapsed);
  const setReasoningCollapsed = useSettings((s) => s.setReasoningCollapsed);
  const storedModel = useSettings((s) => s.model);
  const modelId = resolveModelId(models, storedModel, defaultModel);
  const model = models.find((m) => m.id === modelId);

  // The request reads settings when it is sent, not when the hook was created.
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ThinkpaneUIMessage>({
        api: "/api/chat",
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => {
          const s = useSettings.getState();
          const settings: Settings = {
            model: resolveModelId(models, s.model, defaultModel),
            system: s.system,
            params: s.params,
          };
          return {
            body: { id, messages: messages.map(toWireMessage), settings, trigger, messageId },
          };
        },
      }),
    [models, defaultModel],
  );

  const [chatId, setChatId] = useState(() => generateId());
  const { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError } =
    useChat<ThinkpaneUIMessage>({
      id: chatId,
      transport,
      experimental_throttle: 50,
    });
  const busy = status === "submitted" || status === "streaming";
  const requestError = useMemo(
    () => (error ? ThinkpaneError.fromText(error.message) : undefined),
    [error],
  );

  const onStop = useCallback(async () => {
    await stop();
    setMessages((current) => {
      const last = current.at(-1);
      if (!last || last.role !== "assistant") return current;
      return [
        ...current.slice(0, -1),
        { ...last, metadata: { ...last.metadata, status: "stopped" } },
      ];
    });
  }, [stop, setMessages]);

  const onNewChat = useCallback(async () => {
    if (busy) await stop();
    setMessages([]);
    clearError();
    setChatId(generateId());
  }, [busy, stop, setMessages, clearError]);

  const onEdit = useCallback(
    (messageId: string, text: string) => {
      // Editing a message drops everything after it, then asks again.
      const index = messages.findIndex((m) => m.id === messageId);
      if (index < 0) return;
      setMessages(messages.slice(0, index + 1));
      void sendMessage({ text, messageId });
    },
    [messages, setMessages, sendMessage],
  );

  // Keep the newest content in view while it streams, unless the reader scrolled up.
  const scrollRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = scrollRef.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const last = messages.at(-1);
  const lastAssistantIndex = last?.role === "assistant" ? messages.length - 1 : -1;
  // Ordinals for accessible names: "Your message 2", "Assistant turn 2".
  const ordinals = useMemo(() => {
    const counts = { user: 0, assistant: 0, system: 0 };
    return messages.map((m) => ++counts[m.role]);
  }, [messages]);

  return (
    <div className="flex h-dvh flex-col">
      <header className="flex items-center gap-2 border-b px-3 py-2">
        <Button
          variant="ghost"
          size="icon"
          aria-label={panelOpen ? "Hide parameters" : "Show parameters"}
          aria-expanded={panelOpen}
          aria-controls="params-panel"
          onClick={() => setPanelOpen(!panelOpen)}
        >
          {panelOpen ? <PanelLeftClose aria-hidden /> : <PanelLeftOpen aria-hidden />}
        </Button>
        <h1 className="text-base font-semibold">Thinkpane</h1>
        <span className="hidden truncate text-sm text-muted-foreground sm:inline">
          {model ? `${model.label} · ${model.provider}` : null}
        </span>
        <div className="ml-auto flex items-center gap-1">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setReasoningCollapsed(!reasoningCollapsed)}
          >
            {reasoningCollapsed ? <ChevronsUpDown aria-hidden /> : <ChevronsDownUp aria-hidden />}
            <span className="hidden sm:inline">
              {reasoningCollapsed ? "Expand all reasoning" : "Collapse all reasoning"}
            </span>
            <span className="sr-only sm:hidden">
              {reasoningCollapsed ? "Expand all reasoning" : "Collapse all reasoning"}
            </span>
          </Button>
          <ThemeToggle />
          <Button variant="outline" size="sm" onClick={onNewChat}>
            <SquarePen aria-hidden />
            New chat
          </Button>
        </div>
      </header>

      <div className="relative flex min-h-0 flex-1">
        {panelOpen ? (
          <div className="absolute inset-y-0 left-0 z-20 w-[min(22rem,100%)] shadow-lg md:static md:w-80 md:shrink-0 md:shadow-none lg:w-88">
            <ParamsPanel id="params-panel" models={models} modelId={modelId} />
          </div>
        ) : null}

        <main className="flex min-w-0 flex-1 flex-col" aria-label="Conversation">
          <div
            ref={scrollRef}
            onScroll={(e) => {
              const el = e.currentTarget;
              pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
            }}
            className="@container flex-1 overflow-y-auto"
          >
            <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-6">
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
                    onRegenerate={isLast && !busy ? () => void regenerate() : undefined}
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
                  <Button
                    variant="outline"
                    size="sm"
                    className="self-start"
                    onClick={() => void regenerate()}
                  >
                    Retry
                  </Button>
                </div>
              ) : null}
            </div>
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
            <Composer busy={busy} onSend={(text) => void sendMessage({ text })} onStop={onStop} />
          </div>
        </main>
      </div>
    </div>
  );
}
