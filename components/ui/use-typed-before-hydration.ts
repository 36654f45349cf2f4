"use client";

import { type RefObject, useLayoutEffect } from "react";

/**
 * Text typed into a server-rendered field before the page hydrated is in the field but not in
 * React's state (React keeps the field's value rather than overwrite what was typed): without
 * this, a controlled field would show the text while its form acts as if it were empty. Takes
 * the typed text into state once, when the field hydrates.
 */
export function useTypedBeforeHydration(
  ref: RefObject<HTMLTextAreaElement | HTMLInputElement | null>,
  value: string,
  setValue: (typed: string) => void,
) {
  useLayoutEffect(() => {
    const typed = ref.current?.value;
    if (typed !== undefined && typed !== value) setValue(typed);
    // Once, at hydration: later changes come through onChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
