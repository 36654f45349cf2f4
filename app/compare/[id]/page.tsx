import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CompareView } from "@/components/compare/compare-view";
import { readOwner } from "@/lib/auth/owner";
import { toSavedComparison } from "@/lib/compare/saved";
import { loadComparison } from "@/lib/compare/service";
import { publicModels } from "@/lib/upstream/registry";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function comparisonFor(id: string) {
  const ownerId = await readOwner();
  // Someone else's comparison and a missing one look the same: 404.
  return ownerId ? loadComparison({ id, ownerId }) : undefined;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const comparison = await comparisonFor((await params).id);
  return {
    title: comparison ? `${comparison.title} · Compare · Thinkpane` : "Not found · Thinkpane",
    robots: { index: false },
  };
}

export default async function SavedComparisonPage({ params }: Props) {
  const comparison = await comparisonFor((await params).id);
  if (!comparison) notFound();
  const { models, defaultModel } = publicModels();
  return (
    <CompareView
      key={comparison.id}
      models={models}
      defaultModel={defaultModel}
      saved={toSavedComparison(comparison)}
    />
  );
}
