/**
 * Work that can wait for a moment when the page has nothing else to do: one piece per idle
 * period, newest first (the newest is the likeliest to be in view), so that a backlog never
 * runs as one long task. `timeout` bounds the wait for a page that is never idle.
 */
const waiting: (() => void)[] = [];
let scheduled = false;
const TIMEOUT_MS = 1_000;

function runOne() {
  scheduled = false;
  waiting.pop()?.();
  if (waiting.length > 0) schedule();
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  // Safari has no requestIdleCallback: a task of its own comes closest.
  if (typeof requestIdleCallback === "function")
    requestIdleCallback(runOne, { timeout: TIMEOUT_MS });
  else setTimeout(runOne, 0);
}

/** Runs `work` in a later idle period; the returned function cancels it if it has not run. */
export function whenIdle(work: () => void): () => void {
  const entry = () => work();
  waiting.push(entry);
  schedule();
  return () => {
    const at = waiting.indexOf(entry);
    if (at >= 0) waiting.splice(at, 1);
  };
}
