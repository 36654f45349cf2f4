"use client";

import { useEffect, useRef } from "react";

/**
 * Keeps a scroll container at its bottom while its content grows, unless the reader scrolled
 * up; following resumes when the reader comes back within `threshold` pixels of the bottom. The content is watched with a
 * ResizeObserver, whose callback runs after the frame's own layout: the scroll position is set
 * once per frame that changed the content's size, never in a React commit (where reading
 * scrollHeight would force an extra layout for every update).
 */
export function useStickToBottom<S extends HTMLElement, C extends HTMLElement>(
  active: boolean,
  threshold: number,
) {
  const scrollRef = useRef<S>(null);
  const contentRef = useRef<C>(null);
  const pinned = useRef(true);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let lastTop = el.scrollTop;
    // Only a move up lets go: by the time a scroll event arrives the content may have grown
    // again, which must not read as the reader leaving the bottom.
    const onScroll = () => {
      if (el.scrollHeight - el.scrollTop - el.clientHeight < threshold) pinned.current = true;
      else if (el.scrollTop < lastTop) pinned.current = false;
      lastTop = el.scrollTop;
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, [threshold]);

  useEffect(() => {
    const el = scrollRef.current;
    const content = contentRef.current;
    if (!active || !el || !content) return;
    const follow = () => {
      if (pinned.current) el.scrollTop = el.scrollHeight;
    };
    follow();
    const observer = new ResizeObserver(follow);
    observer.observe(content);
    return () => observer.disconnect();
  }, [active]);

  return { scrollRef, contentRef };
}
