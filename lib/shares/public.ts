import type { ShareRow } from "@/lib/db/shares";

/** A share link as its owner's browser sees it (conversation and comparison links alike). */
export function publicShare(share: ShareRow) {
  return {
    token: share.token,
    url: `/s/${share.token}`,
    includeReasoning: share.includeReasoning,
    includeSettings: share.includeSettings,
    // Not a column of its own: the snapshot holds the system prompt only when it was chosen.
    includeSystemPrompt:
      share.snapshot.settings?.system !== undefined ||
      share.snapshot.comparison?.spec.system !== undefined,
    includeExchange: share.includeExchange,
    createdAt: share.createdAt.toISOString(),
    expiresAt: share.expiresAt?.toISOString() ?? null,
    revokedAt: share.revokedAt?.toISOString() ?? null,
  };
}

export type PublicShare = ReturnType<typeof publicShare>;
