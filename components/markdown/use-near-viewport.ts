"use client";

import {
  createContext,
  startTransition,
  useContext,
  useEffect,
  useState,
  type RefObject,
} from "react";

/**
 * The scroll container that blocks are read in. An observer's margin extends its root only, not
 * the scroll containers between root and target, so the observer must use this container as its
 * root for "near" to reach beyond what is in view. Null: the viewport.
 */
export const ScrollRootContext = createContext<Element | null>(null);

/** One observer per scroll root; a block stops being watched once it was near. */
const observers = new WeakMap<Element, IntersectionObserver>();
let viewportObserver: IntersectionObserver | undefined;
const onNear = new WeakMap<Element, () => void>();

function observerFor(root: Element | null): IntersectionObserver {
  let observer = root ? observers.get(root) : viewportObserver;
  if (!observer) {
    observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) if (entry.isIntersecting) onNear.get(entry.target)?.();
      },
      // A screen or two ahead, so that reading or scrolling rarely meets an unrendered block.
      { root, rootMargin: "1500px 0px" },
    );
    if (root) observers.set(root, observer);
    else viewportObserver = observer;
  }
  return observer;
}

/**
 * True once the element has been near the viewport (or from the start when `initially`). The
 * switch is a transition: many blocks coming into view at once render in slices that yield to
 * input, rather than in one long task.
 */
export function useNearViewport(ref: RefObject<Element | null>, initially: boolean): boolean {
  const [near, setNear] = useState(initially);
  const root = useContext(ScrollRootContext);
  useEffect(() => {
    const el = ref.current;
    if (near || !el) return;
    const observer = observerFor(root);
    onNear.set(el, () => startTransition(() => setNear(true)));
    observer.observe(el);
    return () => {
      observer.unobserve(el);
      onNear.delete(el);
    };
  }, [near, ref, root]);
  return near;
}
