import type { CodeTarget, RequestBody } from "@/lib/code/types";
import type { Settings } from "@/lib/params";

/** What the next Send would carry, for POST /api/chat/preview. */
export type PreviewRequest = { settings: Settings; conversationId?: string; text?: string };

/**
 * Where View code gets its request: `live` asks the server for the next Send's body (dry run),
 * `fixed` shows a body already sent (a turn's recorded request).
 */
export type CodeSource =
  | { kind: "live"; request: () => PreviewRequest }
  | { kind: "fixed"; body: RequestBody; target: CodeTarget };
