import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { SharedConversation } from "@/components/share/shared-conversation";
import { getActiveShare } from "@/lib/db/shares";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

// One lookup per request for both the metadata and the page.
const shareFor = cache(async (token: string) =>
  token.length <= 100 ? getActiveShare({ token }) : undefined,
);

function description(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const share = await shareFor((await params).token);
  const robots = { index: false, follow: false };
  if (!share) return { title: "Not found · Thinkpane", robots };
  const firstUser = share.snapshot.messages.find((m) => m.role === "user");
  const text = firstUser?.parts.map((p) => (p.type === "text" ? p.text : "")).join("") ?? "";
  const summary = description(text) || "A conversation shared from Thinkpane.";
  return {
    title: `${share.snapshot.title} · Thinkpane`,
    description: summary,
    robots,
    referrer: "no-referrer",
    openGraph: {
      title: share.snapshot.title,
      description: summary,
      type: "article",
      siteName: "Thinkpane",
    },
  };
}

/** A shared snapshot, rendered on the server: its text is in the HTML; it says nothing about the owner. */
export default async function SharePage({ params }: Props) {
  const { token } = await params;
  const share = await shareFor(token);
  if (!share) notFound();
  return <SharedConversation token={token} snapshot={share.snapshot} />;
}
