"use client";

import { RotateCcw } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * Retry for a request that was refused. After a 429 from one of this server's own limits it
 * counts down the Retry-After before it can be pressed, so the person sees when the limit
 * resets instead of being refused again. Long waits (a daily budget) are not counted down.
 * Give it a new key for each refusal.
 */
export function RetryButton({
  waitSeconds,
  onRetry,
}: {
  /** Seconds until a retry can succeed; undefined when there is nothing to wait for. */
  waitSeconds: number | undefined;
  onRetry: () => void;
}) {
  const countdown = waitSeconds !== undefined && waitSeconds <= 120 ? waitSeconds : 0;
  // Mounted once per refusal (the caller keys it), so the deadline is fixed at mount.
  const [until] = useState(() => Date.now() + countdown * 1000);
  const [left, setLeft] = useState(countdown);

  useEffect(() => {
    if (countdown === 0) return;
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [countdown, until]);

  const waiting = left > 0;
  return (
    <Button variant="outline" size="sm" className="self-start" disabled={waiting} onClick={onRetry}>
      <RotateCcw aria-hidden />
      {waiting ? `Retry in ${left} s` : "Retry"}
    </Button>
  );
}
