"use client";

import { Link2, Share2 } from "lucide-react";
import { useCallback, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ResponsiveLabel } from "@/components/ui/responsive-label";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { shareExpiries, type ShareExpiry } from "@/lib/conversations/portable";
import { CopyButton } from "@/components/playground/copy-button";

type PublicShare = {
  token: string;
  url: string;
  includeReasoning: boolean;
  includeSettings: boolean;
  includeSystemPrompt: boolean;
  includeExchange: boolean;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
};

function absolute(url: string): string {
  return new URL(url, window.location.origin).href;
}

function describe(share: PublicShare): string {
  const parts = [
    share.includeReasoning ? "with reasoning" : "no reasoning",
    share.includeSettings ? "with settings" : "no settings",
  ];
  if (share.includeSystemPrompt) parts.push("with system prompt");
  if (share.includeExchange) parts.push("with raw exchange");
  if (share.revokedAt) parts.push("revoked");
  else if (share.expiresAt)
    parts.push(
      new Date(share.expiresAt) < new Date()
        ? "expired"
        : `expires ${new Date(share.expiresAt).toLocaleDateString()}`,
    );
  else parts.push("never expires");
  return parts.join(" · ");
}

/**
 * Creates read-only snapshot links of a conversation (or, with `sharesUrl`, of a comparison), and
 * lists and revokes them.
 */
export function ShareDialog({
  conversationId,
  sharesUrl = `/api/conversations/${conversationId}/shares`,
  allowExchange = true,
}: {
  conversationId?: string;
  sharesUrl?: string;
  /** Whether "Include raw exchange" is offered (a comparison keeps no raw exchanges). */
  allowExchange?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [includeReasoning, setIncludeReasoning] = useState(true);
  const [includeSettings, setIncludeSettings] = useState(true);
  const [includeSystemPrompt, setIncludeSystemPrompt] = useState(false);
  const [includeExchange, setIncludeExchange] = useState(false);
  const [expiresIn, setExpiresIn] = useState<ShareExpiry>("never");
  const [shares, setShares] = useState<PublicShare[]>([]);
  const [created, setCreated] = useState<PublicShare>();
  const [error, setError] = useState<string>();
  const expiryId = useId();

  const load = useCallback(async () => {
    const response = await fetch(sharesUrl, {
      cache: "no-store",
    });
    if (!response.ok) return setError("Could not load this conversation's links.");
    setShares(((await response.json()) as { shares: PublicShare[] }).shares);
  }, [sharesUrl]);

  const create = async () => {
    setError(undefined);
    setCreated(undefined);
    const response = await fetch(sharesUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        includeReasoning,
        includeSettings,
        includeSystemPrompt: includeSettings && includeSystemPrompt,
        includeExchange: allowExchange && includeExchange,
        expiresIn,
      }),
    });
    if (!response.ok) return setError("Could not create the link.");
    setCreated(((await response.json()) as { share: PublicShare }).share);
    await load();
  };

  const revoke = async (token: string) => {
    const response = await fetch(`/api/shares/${token}`, { method: "DELETE" });
    if (!response.ok) return setError("Could not revoke the link.");
    if (created?.token === token) setCreated(undefined);
    await load();
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) return;
        // Each link starts from the defaults (the private parts off): what the last one
        // included is not carried over to the next without being chosen again.
        setIncludeReasoning(true);
        setIncludeSettings(true);
        setIncludeSystemPrompt(false);
        setIncludeExchange(false);
        setExpiresIn("never");
        void load();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm">
          <Share2 aria-hidden />
          <ResponsiveLabel>Share</ResponsiveLabel>
        </Button>
      </DialogTrigger>
      <DialogContent
        title={conversationId ? "Share conversation" : "Share comparison"}
        description={
          conversationId
            ? "A read-only snapshot of the conversation as it is now. Messages added later do not appear."
            : "A read-only snapshot of the comparison as it is now. A later run does not appear."
        }
      >
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="mb-1 font-medium">What the link includes</legend>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={includeReasoning}
              onChange={(e) => setIncludeReasoning(e.target.checked)}
            />
            Include reasoning
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={includeSettings}
              onChange={(e) => setIncludeSettings(e.target.checked)}
            />
            Include model and parameters
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={includeSettings && includeSystemPrompt}
              disabled={!includeSettings}
              onChange={(e) => setIncludeSystemPrompt(e.target.checked)}
            />
            Include system prompt
          </label>
          {allowExchange ? (
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={includeExchange}
                onChange={(e) => setIncludeExchange(e.target.checked)}
              />
              Include raw exchange
              <span className="text-xs text-muted-foreground">
                (request bodies, response headers and every chunk)
              </span>
            </label>
          ) : null}
          <div className="flex items-center gap-2">
            <label htmlFor={expiryId}>Expires</label>
            <select
              id={expiryId}
              value={expiresIn}
              onChange={(e) => setExpiresIn(e.target.value as ShareExpiry)}
              className="rounded-md border border-input bg-background px-2 py-1"
            >
              {Object.entries(shareExpiries).map(([value, { label }]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <Button variant="primary" className="self-start" onClick={() => void create()}>
          <Link2 aria-hidden />
          Create link
        </Button>
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        {created ? (
          <div className="flex items-center gap-2 rounded-md border bg-muted/40 p-2">
            <input
              readOnly
              aria-label="Share link"
              value={absolute(created.url)}
              className="min-w-0 flex-1 bg-transparent font-mono text-xs"
              onFocus={(e) => e.target.select()}
            />
            <CopyButton text={absolute(created.url)} label="Copy link" />
          </div>
        ) : null}
        {shares.length > 0 ? (
          <section aria-label="Links" className="flex flex-col gap-1">
            <h3 className="text-sm font-medium">
              Links of this {conversationId ? "conversation" : "comparison"}
            </h3>
            <ul className="flex flex-col gap-1 text-sm">
              {shares.map((share) => (
                <li key={share.token} className="flex items-center gap-2">
                  <a
                    href={share.url}
                    target="_blank"
                    rel="noreferrer"
                    className="truncate font-mono text-xs underline"
                  >
                    /s/{share.token.slice(0, 10)}…
                  </a>
                  <span className="truncate text-xs text-muted-foreground">{describe(share)}</span>
                  {share.revokedAt ? null : (
                    <Button
                      variant="ghost"
                      size="sm"
                      className="ml-auto"
                      aria-label={`Revoke link ${share.token.slice(0, 10)}`}
                      onClick={() => void revoke(share.token)}
                    >
                      Revoke
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
