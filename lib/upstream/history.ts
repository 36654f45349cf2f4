import type { ThinkpaneUIMessage } from "@/lib/types";

type Part = ThinkpaneUIMessage["parts"][number];

/**
 * The AI SDK turns a part's provider metadata into fields of the message it sends upstream
 * (`providerMetadata.openaiCompatible` is spread over the message, `role` and `content`
 * included). Stored parts can come from an import or a share, that is from a browser, so the
 * history goes upstream without it: role and text only.
 */
export function withoutPartMetadata(messages: readonly ThinkpaneUIMessage[]): ThinkpaneUIMessage[] {
  return messages.map((message) => ({ ...message, parts: message.parts.map(stripPart) }));
}

function stripPart(part: Part): Part {
  if (!("providerMetadata" in part) && !("callProviderMetadata" in part)) return part;
  const copy: Record<string, unknown> = { ...part };
  delete copy.providerMetadata;
  delete copy.callProviderMetadata;
  return copy as Part;
}
