"use client";

import { useSyncExternalStore } from "react";

type MediaStore = {
  subscribe: (onChange: () => void) => () => void;
  getSnapshot: () => boolean;
};

const stores = new Map<string, MediaStore>();

/**
 * One store per media query for the page's lifetime: one `MediaQueryList`, and functions whose
 * identity never changes. (Inline ones made React unsubscribe and subscribe again on every
 * render, with a new `MediaQueryList` each time: the playground renders every 50 ms while a turn
 * streams.)
 */
export function mediaQueryStore(query: string): MediaStore {
  let store = stores.get(query);
  if (!store) {
    let list: MediaQueryList | undefined;
    const media = () => (list ??= matchMedia(query));
    store = {
      subscribe(onChange) {
        const current = media();
        current.addEventListener("change", onChange);
        return () => current.removeEventListener("change", onChange);
      },
      getSnapshot: () => media().matches,
    };
    stores.set(query, store);
  }
  return store;
}

/** Whether `query` matches; `serverValue` while rendering on the server and hydrating. */
export function useMediaQuery(query: string, serverValue: boolean): boolean {
  const { subscribe, getSnapshot } = mediaQueryStore(query);
  return useSyncExternalStore(subscribe, getSnapshot, () => serverValue);
}
