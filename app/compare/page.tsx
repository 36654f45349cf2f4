import type { Metadata } from "next";
import { CompareView } from "@/components/compare/compare-view";
import { publicModels } from "@/lib/upstream/registry";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Compare · Thinkpane" };

export default function ComparePage() {
  const { models, defaultModel } = publicModels();
  return <CompareView models={models} defaultModel={defaultModel} />;
}
