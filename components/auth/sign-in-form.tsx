"use client";

import { LogIn } from "lucide-react";
import { useId, useState } from "react";
import { TurnError } from "@/components/playground/turn-error";
import { Button } from "@/components/ui/button";
import { ThinkpaneError } from "@/lib/errors";

export function SignInForm({ next }: { next: string }) {
  const inputId = useId();
  const [code, setCode] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ThinkpaneError>();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      const response = await fetch("/api/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code }),
      });
      if (!response.ok) {
        setError(ThinkpaneError.fromText(await response.text()));
        return;
      }
      // A full navigation: every server-rendered page must see the new cookie.
      window.location.assign(next);
    } catch {
      setError(
        new ThinkpaneError("internal:unexpected", { message: "The server could not be reached." }),
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Sign in">
      <label htmlFor={inputId} className="text-sm font-medium">
        Access code
      </label>
      <input
        id={inputId}
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        value={code}
        onChange={(e) => setCode(e.target.value)}
        className="rounded-md border bg-background px-3 py-2 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      />
      {error ? <TurnError error={error} /> : null}
      <Button type="submit" disabled={pending || code === ""}>
        <LogIn aria-hidden />
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
