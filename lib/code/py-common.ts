/**
 * The start of both Python tabs' streaming loop: `show(kind, text)` prints a heading when the
 * stream moves between reasoning and answer, then the text as it arrives.
 */
export const PY_SHOW_LINES: readonly string[] = [
  "phase = None",
  "",
  "",
  "def show(kind, text):",
  "    global phase",
  "    if kind != phase:",
  `        print(f"{'' if phase is None else chr(10)}--- {kind} ---")`,
  "        phase = kind",
  '    print(text, end="", flush=True)',
  "",
  "",
  "usage = None",
];
