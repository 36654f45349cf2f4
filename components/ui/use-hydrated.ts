"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False while the page renders on the server and while React hydrates it, true from then on
 * (and at once for anything mounted later). Server-rendered controls do nothing until the page
 * hydrates: a click on one before that is lost, so they say they are not ready yet.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
