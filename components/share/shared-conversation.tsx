"use client";

import { GitFork } from "lucide-react";
import { useMemo, useState } from "react";
import { AssistantTurn } from "@/components/playground/assistant-turn";
import { UserMessage } from "@/components/playground/user-message";
import { ThemeToggle } from "@/components/theme-toggle";
import { Button } from "@/components/ui/button";
import type { PortableConversation } from "@/lib/conversations/portable";
import { splitLongText } from "@/lib/markdown";
import { params as paramDescriptors, type ParamKey } from "@/lib/params";
import type { ThinkpaneUIMessage } from "@/lib/types";

/** A shared snapshot: read-only, in the playground's side-by-side layout. */
export function SharedConversation({
  token,
  snapshot,
}: {
  token: string;
  snapshot: PortableConversation;
}) {
  const [forkError, setForkError] = useState<string>();
  const [forking, setForking] = useState(false);
  const messages = useMemo(
    () =>
      snapshot.messages.map((m): ThinkpaneUIMessage => ({
        id: m.id,
        role: m.role,
        parts: m.parts,
        metadata: {
          ...m.metadata,
          ...(m.status === "interrupted" || m.status === "stopped" ? { status: m.status } : {}),
        },
      })),
    [snapshot],
  );
  const ordinals = useMemo(() => {
    const counts = { user: 0, assistant: 0, system: 0 };
    return messages.map((m) => ++counts[m.role]);
  }, [messages]);

  const fork = async () => {
    setForking(true);
    setForkError(undefined);
    const response = await fetch(`/api/shares/${token}/fork`, { method: "POST" });
    if (response.status === 401) {
      // A private server: copying needs a user to own the copy.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so the server renders with the new cookie
      window.location.assign(`/sign-in?next=${encodeURIComponent(`/s/${token}`)}`);
      return;
    }
    if (!response.ok) {
      setForking(false);
      return setForkError(
        response.status === 404
          ? "This link is no longer available."
          : "Could not copy the conversation.",
      );
    }
    window.location.assign(((await response.json()) as { url: string }).url);
  };

  const settings = snapshot.settings;
  const setParams = settings
    ? (Object.entries(settings.params ?? {}) as [ParamKey, unknown][])
    : [];

  return (
    <div className="min-h-dvh">
      <header className="flex flex-wrap items-center gap-2 border-b px-4 py-3">
        <div className="min-w-0 flex-1">
          <p className="text-xs text-muted-foreground">Shared conversation · read-only</p>
          <h1 className="truncate text-base font-semibold">{snapshot.title}</h1>
        </div>
        <ThemeToggle />
        <Button variant="primary" size="sm" onClick={() => void fork()} disabled={forking}>
          <GitFork aria-hidden />
          Continue in playground
        </Button>
        {forkError ? (
          <p role="alert" className="w-full text-sm text-destructive">
            {forkError}
          </p>
        ) : null}
      </header>
      <main
        className="@container mx-auto flex max-w-6xl flex-col gap-6 px-4 py-6"
        aria-label="Conversation"
      >
        {settings ? (
          <section aria-label="Settings" className="rounded-lg border bg-sidebar p-3 text-sm">
            <p>
              Model <code className="font-mono">{settings.model}</code>
            </p>
            {setParams.length > 0 ? (
              <p className="mt-1 text-muted-foreground">
                {setParams
                  .map(
                    ([key, value]) =>
                      `${paramDescriptors[key]?.label ?? key}: ${JSON.stringify(value)}`,
                  )
                  .join(" · ")}
              </p>
            ) : null}
            {settings.system?.trim() ? (
              <p className="mt-2 whitespace-pre-wrap">
                System prompt: {splitLongText(settings.system)}
              </p>
            ) : null}
          </section>
        ) : null}
        {messages.map((message, i) =>
          message.role === "user" ? (
            <UserMessage key={message.id} message={message} index={ordinals[i] ?? 0} />
          ) : (
            <AssistantTurn
              key={message.id}
              message={message}
              index={ordinals[i] ?? 0}
              streaming={false}
              reasoningCollapsedGlobally={false}
            />
          ),
        )}
      </main>
    </div>
  );
}
