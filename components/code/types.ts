import type { Settings } from "@/lib/params";
import type { TurnPreset } from "@/lib/presets/schema";

/** What the next Send would carry, for POST /api/chat/preview. */
export type PreviewRequest = { settings: Settings; conversationId?: string; text?: string };

/**
 * Where View code gets its request: `live` asks the server for the next Send's body (dry run),
 * `recorded` reads a turn's recorded request from `url` (GET …/messages/<id>/request), with the
 * preset it was sent with, if any.
 */
export type CodeSource =
  | { kind: "live"; request: () => PreviewRequest }
  | { kind: "recorded"; url: string; preset?: TurnPreset };
