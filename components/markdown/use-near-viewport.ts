"use client";

import {
  createContext,
  startTransition,
  useCallback,
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

/**
 * For a scroll container that is a ScrollRootContext: its element (null until mounted), and a
 * ref for it that also fills `ref`. The ref is stable, so that React does not detach and attach
 * it (two state updates) on every render.
 */
export function useScrollRoot<T extends Element>(ref: RefObject<T | null>) {
  const [root, setRoot] = useState<T | null>(null);
  const attach = useCallback(
    (el: T | null) => {
      ref.current = el;
      setRoot(el);
    },
    [ref],
  );
  return [root, attach] as const;
}

/** One observer per scroll root; each watched element has one listener. */
const observers = new WeakMap<Element, IntersectionObserver>();
let viewportObserver: IntersectionObserver | undefined;
const listeners = new WeakMap<Element, (near: boolean) => void>();

function observerFor(root: Element | null): IntersectionObserver {
  let observer = root ? observers.get(root) : viewportObserver;
  if (!observer) {
    observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) listeners.get(entry.target)?.(entry.isIntersecting);
      },
      // A screen or two ahead, so that reading or scrolling rarely meets an unrendered block.
      { root, rootMargin: "1500px 0px" },
    );
    if (root) observers.set(root, observer);
    else viewportObserver = observer;
  }
  return observer;
}

/** Watches `el` near its scroll root (ScrollRootContext) until the returned cleanup runs. */
function watch(el: Element, root: Element | null, listener: (near: boolean) => void) {
  const observer = observerFor(root);
  listeners.set(el, listener);
  observer.observe(el);
  return () => {
    observer.unobserve(el);
    listeners.delete(el);
  };
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
    return watch(el, root, (isNear) => {
      if (isNear) startTransition(() => setNear(true));
    });
  }, [near, ref, root]);
  return near;
}

/**
 * Whether the element is near the viewport now, both ways, while `active`; when it stops being
 * active, the last answer holds. False until the first observation.
 */
export function useNearNow(ref: RefObject<Element | null>, active: boolean): boolean {
  const [near, setNear] = useState(false);
  const root = useContext(ScrollRootContext);
  useEffect(() => {
    const el = ref.current;
    if (!active || !el) return;
    return watch(el, root, setNear);
  }, [active, ref, root]);
  return near;
}
