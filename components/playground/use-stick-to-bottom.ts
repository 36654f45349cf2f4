"use client";

import { useEffect, useRef } from "react";

/** Keys that scroll a focused container up. */
const UP_KEYS = new Set(["ArrowUp", "PageUp", "Home"]);

/** Whether a scrollable element between `target` and `container` takes an upward scroll itself. */
function innerScrollsUp(target: EventTarget | null, container: HTMLElement): boolean {
  for (let node = target instanceof Element ? target : null; node && node !== container;) {
    if (node.scrollTop > 0 && /auto|scroll/.test(getComputedStyle(node).overflowY)) return true;
    node = node.parentElement;
  }
  return false;
}

/**
 * Keeps a scroll container at its bottom while its content grows, unless the reader scrolled
 * up; following resumes when the reader scrolls back down to within `threshold` pixels of the
 * bottom. The content is watched with a ResizeObserver, whose callback runs after the frame's
 * own layout: the scroll position is set once per frame that changed the content's size, never
 * in a React commit (where reading scrollHeight would force an extra layout for every update).
 *
 * The reader's wheel, touch, keys and scrollbar let go at once, before the scroll they start has
 * moved far: a smooth scroll's first steps stay within `threshold` of the bottom, and the next
 * write to scrollTop would cancel the scroll the reader had started.
 */
export function useStickToBottom<S extends HTMLElement, C extends HTMLElement>(
  active: boolean,
  threshold: number,
) {
  const scrollRef = useRef<S>(null);
  const contentRef = useRef<C>(null);
  const pinned = useRef(true);
  /** The scroll position last seen, by the scroll listener or after following. */
  const lastTop = useRef(0);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    lastTop.current = el.scrollTop;
    const pin = (value: boolean) => {
      pinned.current = value;
      // While following, the browser's scroll anchoring has nothing to keep in place: its
      // adjustments (content above the view changing height: a block typeset when the page is
      // idle, or rendered as it comes near) only move the position between two follows. Once
      // the reader has let go, it keeps what they are reading in place. (Written only when it
      // changes: the scroll listener pins on every move at the bottom.)
      const anchor = value ? "none" : "";
      if (el.style.overflowAnchor !== anchor) el.style.overflowAnchor = anchor;
    };
    pin(pinned.current);
    const letGo = () => pin(false);
    // A move up that leaves the bottom lets go (the reader dragged, tabbed to or jumped to
    // something above; a position clamped by shrinking content stays at the bottom). Only a move
    // down to the bottom follows again, so the first steps of a scroll up never re-pin.
    const onScroll = () => {
      const top = el.scrollTop;
      const atBottom = el.scrollHeight - top - el.clientHeight < threshold;
      if (top < lastTop.current) {
        if (!atBottom) letGo();
      } else if (atBottom) pin(true);
      lastTop.current = top;
    };
    // A wheel over a pane that scrolls on its own (the reasoning) moves that pane, not this.
    const onWheel = (event: WheelEvent) => {
      if (event.deltaY < 0 && !innerScrollsUp(event.target, el)) letGo();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (UP_KEYS.has(event.key)) letGo();
    };
    // A press on the container itself, not on its content, is a press on its scrollbar.
    const onPointerDown = (event: PointerEvent) => {
      if (event.target === el) letGo();
    };
    const options = { passive: true };
    el.addEventListener("scroll", onScroll, options);
    el.addEventListener("wheel", onWheel, options);
    el.addEventListener("touchmove", letGo, options);
    el.addEventListener("keydown", onKeyDown, options);
    el.addEventListener("pointerdown", onPointerDown, options);
    return () => {
      el.removeEventListener("scroll", onScroll);
      el.removeEventListener("wheel", onWheel);
      el.removeEventListener("touchmove", letGo);
      el.removeEventListener("keydown", onKeyDown);
      el.removeEventListener("pointerdown", onPointerDown);
    };
  }, [threshold]);

  useEffect(() => {
    const el = scrollRef.current;
    const content = contentRef.current;
    if (!active || !el || !content) return;
    const follow = () => {
      if (!pinned.current) return;
      el.scrollTop = el.scrollHeight;
      // Content that shrank (a block rendered in full, a line of the tail repaired) clamped the
      // position in the layout just done; its scroll event comes in a later frame, when more
      // text may have arrived, and must not read as the reader moving up.
      lastTop.current = el.scrollTop;
    };
    // No follow() here: a new observer reports the content's size after the next layout (a
    // shown element is never 0×0), and reading scrollHeight now would force that layout inside
    // the commit that mounted the content (41 ms for four Compare columns starting at once).
    const observer = new ResizeObserver(follow);
    observer.observe(content);
    return () => observer.disconnect();
  }, [active]);

  return { scrollRef, contentRef };
}
