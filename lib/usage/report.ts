import "server-only";
import { readOwner, signInRequired } from "@/lib/auth/owner";
import { dailyUsage, type DailyUsage } from "@/lib/db/usage";
import { ThinkpaneError } from "@/lib/errors";
import { limits, limitsConfig } from "@/lib/limits";

export type UsageReport = {
  days: number;
  /** With access codes the whole team's usage, by user; without, the viewer's own. */
  scope: "team" | "self";
  rows: (Omit<DailyUsage, "ownerId"> & { user: string })[];
  /** The viewer's budget for today (UTC). */
  today: { tokensUsed: number; tokensPerDay: number | null };
};

function userName(ownerId: string, viewer: string): string {
  if (ownerId.startsWith("user:")) return ownerId.slice("user:".length);
  return ownerId === viewer ? "You" : "Anonymous";
}

/**
 * The usage page's data. A team that signs in with access codes sees everyone's usage by name:
 * the budget is shared and so is the view. Anonymous browsers see only their own.
 */
export async function usageReport(days = 30): Promise<UsageReport> {
  const viewer = await readOwner();
  if (!viewer) {
    if (signInRequired()) throw new ThinkpaneError("auth:required");
    return {
      days,
      scope: "self",
      rows: [],
      today: { tokensUsed: 0, tokensPerDay: limitsConfig().tokensPerDay || null },
    };
  }
  const scope = signInRequired() ? "team" : "self";
  const rows = await dailyUsage({ days, ownerId: scope === "team" ? undefined : viewer });
  return {
    days,
    scope,
    rows: rows.map(({ ownerId, ...row }) => ({ ...row, user: userName(ownerId, viewer) })),
    today: {
      tokensUsed: await limits().tokensUsedToday(viewer),
      tokensPerDay: limitsConfig().tokensPerDay || null,
    },
  };
}
