import { it } from "vitest";
import type { PortableConversation, PortableMessage } from "@/lib/conversations/portable";
import { snapshotDocument } from "./document";
it("worst", () => {
  const heavy = (i: number) =>
    Array.from({ length: 8 }, () => `$$\\begin{pmatrix}${Array.from({ length: 14 }, () => Array(14).fill("ab").join("&")).join("\\\\")}\\end{pmatrix}$$`).join("\n\n") +
    "\n\n" + "- *a* [l](http://x.y) www.a.bc\n".repeat(1200) + i;
  const messages: PortableMessage[] = [];
  let bytes = 0;
  for (let i = 0; bytes < 8_000_000; i++) {
    const text = heavy(i);
    messages.push(i % 2 === 0
      ? { id: `u${i}`, role: "user", status: "done", parts: [{ type: "text", text: "<".repeat(30_000) }] }
      : { id: `a${i}`, role: "assistant", status: "done", parts: [{ type: "reasoning", text }, { type: "text", text }] });
    bytes += i % 2 === 0 ? 30_000 : 2 * text.length;
  }
  const snapshot: PortableConversation = { title: "Worst", createdAt: "2026-01-01T00:00:00Z", messages };
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const page = snapshotDocument(snapshot);
    console.log("WORST", messages.length, "msgs", bytes, "src bytes; render", Math.round(performance.now() - t), "ms; html", page.bytes);
  }
}, 300_000);
