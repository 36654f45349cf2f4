"use client";

import { ArrowUp, Square } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { preloadMarkdownWhenIdle } from "@/components/markdown/lazy-markdown";
import { Button } from "@/components/ui/button";
import { useTypedBeforeHydration } from "@/components/ui/use-typed-before-hydration";

type Props = {
  busy: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  /** Told the text as it changes (View code shows the request it would send). */
  onTextChange?: (text: string) => void;
};

/** Enter sends, Shift+Enter starts a new line; while a turn streams the button stops it. */
export function Composer({ busy, onSend, onStop, onTextChange }: Props) {
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  useTypedBeforeHydration(box, text, setText);
  useEffect(() => onTextChange?.(text), [text, onTextChange]);
  // A message is on its way: the renderer its answer needs loads now, not mid-stream.
  const typing = text !== "";
  useEffect(() => (typing ? preloadMarkdownWhenIdle() : undefined), [typing]);
  const send = () => {
    if (busy || text.trim() === "") return;
    onSend(text);
    setText("");
  };
  return (
    <form
      className="flex items-end gap-2 rounded-xl border border-input bg-background p-2 shadow-sm focus-within:border-ring"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        ref={box}
        aria-label="Message"
        placeholder="Ask anything (Shift+Enter for a new line)"
        value={text}
        rows={Math.min(10, Math.max(1, text.split("\n").length))}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
        className="max-h-64 min-h-9 flex-1 resize-none bg-transparent px-2 py-1.5 text-sm outline-none focus-visible:outline-none"
      />
      {busy ? (
        <Button variant="outline" size="md" onClick={onStop}>
          <Square aria-hidden className="fill-current" />
          Stop
        </Button>
      ) : (
        <Button type="submit" variant="primary" size="md" disabled={text.trim() === ""}>
          <ArrowUp aria-hidden />
          Send
        </Button>
      )}
    </form>
  );
}
