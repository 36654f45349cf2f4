/**
 * The text of one kind (the answer's, or the reasoning's) of a turn's parts, as one string. A tool
 * loop's turn has a stretch per round (a preamble, then the final answer after the results); the
 * stretches are separate paragraphs, not run together ("…check.It is…").
 */
export function textOfParts(
  parts: readonly { type: string; text?: string }[],
  type: "text" | "reasoning",
): string {
  let out = "";
  let newRound = false;
  for (const part of parts) {
    if (part.type === "step-start") newRound = true;
    else if (part.type === type && part.text) {
      if (newRound && out.trim() !== "") out += "\n\n";
      out += part.text;
      newRound = false;
    }
  }
  return out;
}
