import { afterEach, describe, expect, it, vi } from "vitest";
import { mediaQueryStore } from "./use-media-query";

/** A stand-in for the browser's MediaQueryList: `matches` can be flipped, listeners are kept. */
function fakeMatchMedia(initial: boolean) {
  const lists: { matches: boolean; listeners: Set<() => void> }[] = [];
  const matchMedia = vi.fn((_query: string) => {
    const listeners = new Set<() => void>();
    const list = {
      matches: initial,
      listeners,
      addEventListener: (_type: "change", listener: () => void) => listeners.add(listener),
      removeEventListener: (_type: "change", listener: () => void) => listeners.delete(listener),
    };
    lists.push(list);
    return list;
  });
  vi.stubGlobal("matchMedia", matchMedia);
  return { matchMedia, lists };
}

describe("mediaQueryStore", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("keeps one store and one MediaQueryList per query, so React never subscribes again", () => {
    const { matchMedia, lists } = fakeMatchMedia(true);
    const query = "(min-width: 1000px)";
    const store = mediaQueryStore(query);
    // What each render of a component asks for: the same functions every time.
    for (let render = 0; render < 20; render++) {
      const again = mediaQueryStore(query);
      expect(again.subscribe).toBe(store.subscribe);
      expect(again.getSnapshot).toBe(store.getSnapshot);
      expect(again.getSnapshot()).toBe(true);
    }
    expect(matchMedia).toHaveBeenCalledTimes(1);
    expect(matchMedia).toHaveBeenCalledWith(query);

    const onChange = vi.fn();
    const unsubscribe = store.subscribe(onChange);
    expect(matchMedia).toHaveBeenCalledTimes(1);
    const list = lists[0]!;
    list.matches = false;
    list.listeners.forEach((listener) => listener());
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toBe(false);
    unsubscribe();
    expect(list.listeners.size).toBe(0);
  });

  it("gives each query its own store", () => {
    const { matchMedia } = fakeMatchMedia(false);
    const a = mediaQueryStore("(min-width: 1001px)");
    const b = mediaQueryStore("(prefers-reduced-motion: reduce)");
    expect(a).not.toBe(b);
    expect(a.getSnapshot()).toBe(false);
    expect(b.getSnapshot()).toBe(false);
    expect(matchMedia.mock.calls.map(([q]) => q)).toEqual([
      "(min-width: 1001px)",
      "(prefers-reduced-motion: reduce)",
    ]);
  });
});
