import "server-only";
import { ThemeToggle } from "@/components/theme-toggle";
import type { PortableConversation } from "@/lib/conversations/portable";
import { splitLongText } from "@/lib/markdown";
import { params as paramDescriptors, type ParamKey } from "@/lib/params";
import { ForkButton } from "./fork-button";
import { renderAssistantTurn, renderUserMessage } from "./snapshot-turns";

/**
 * A shared snapshot: read-only, in the playground's side-by-side layout. Rendered on the server,
 * all at once (a function, so that the result can be kept): the model's text arrives as HTML,
 * and only the buttons hydrate.
 */
export function renderSharedConversation(token: string, snapshot: PortableConversation) {
  const counts = { user: 0, assistant: 0 };
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
        <ForkButton token={token} />
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
        {snapshot.messages.map((message) =>
          message.role === "user"
            ? renderUserMessage(message, ++counts.user)
            : renderAssistantTurn(message, ++counts.assistant),
        )}
      </main>
    </div>
  );
}
