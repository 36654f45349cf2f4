import { publicModels } from "@/lib/upstream/registry";
import type { ModelsResponse } from "@/lib/types";

export const dynamic = "force-dynamic";

/** The public part of the model registry: ids, labels, readiness. No URLs, no keys. */
export function GET(): Response {
  const body: ModelsResponse = publicModels();
  return Response.json(body, { headers: { "cache-control": "no-store" } });
}
