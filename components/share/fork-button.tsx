"use client";

import { GitFork } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** "Continue in playground": copies the snapshot into a conversation of the viewer's own. */
export function ForkButton({ token }: { token: string }) {
  const [forkError, setForkError] = useState<string>();
  const [forking, setForking] = useState(false);

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

  return (
    <>
      <Button variant="primary" size="sm" onClick={() => void fork()} disabled={forking}>
        <GitFork aria-hidden />
        Continue in playground
      </Button>
      {forkError ? (
        <p role="alert" className="w-full text-sm text-destructive">
          {forkError}
        </p>
      ) : null}
    </>
  );
}
