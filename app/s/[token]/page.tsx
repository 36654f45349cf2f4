import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { renderSharedConversation } from "@/components/share/shared-conversation";
import { createSnapshotCache } from "@/lib/snapshot-cache";
import type { PortableConversation } from "@/lib/conversations/portable";
import { getActiveShare, getActiveShareIdentity } from "@/lib/db/shares";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

type SharedPage = { title: string; summary: string; page: ReactNode };

/** About 16 million characters of model text: a few hundred long snapshots, some tens of MB. */
const rendered = createSnapshotCache<SharedPage>({ maxSize: 16_000_000, maxEntries: 1_000 });

function description(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

function render(token: string, snapshot: PortableConversation) {
  const firstUser = snapshot.messages.find((m) => m.role === "user");
  const text = firstUser?.parts.map((p) => (p.type === "text" ? p.text : "")).join("") ?? "";
  let size = snapshot.title.length + (snapshot.settings?.system?.length ?? 0);
  for (const m of snapshot.messages)
    for (const p of m.parts) size += "text" in p ? p.text.length : 0;
  return {
    size,
    value: {
      title: snapshot.title,
      summary: description(text) || "A conversation shared from Thinkpane.",
      page: renderSharedConversation(token, snapshot),
    },
  };
}

// Every view asks the database whether the link is still active (a cheap lookup by primary key
// that leaves the snapshot out); the rendered page comes from memory. One lookup per request for
// both the metadata and the page.
const sharedPage = cache(async (token: string): Promise<SharedPage | undefined> => {
  if (token.length > 100) return undefined;
  const active = await getActiveShareIdentity({ token });
  if (!active) {
    rendered.forget(token);
    return undefined;
  }
  return rendered.get(token, active.createdAt.getTime(), async () => {
    const share = await getActiveShare({ token });
    return share && render(token, share.snapshot);
  });
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const shared = await sharedPage((await params).token);
  const robots = { index: false, follow: false };
  if (!shared) return { title: "Not found · Thinkpane", robots };
  return {
    title: `${shared.title} · Thinkpane`,
    description: shared.summary,
    robots,
    referrer: "no-referrer",
    openGraph: {
      title: shared.title,
      description: shared.summary,
      type: "article",
      siteName: "Thinkpane",
    },
  };
}

/** A shared snapshot, rendered on the server: its text is in the HTML; it says nothing about the owner. */
export default async function SharePage({ params }: Props) {
  const shared = await sharedPage((await params).token);
  if (!shared) notFound();
  return shared.page;
}
