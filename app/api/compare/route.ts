import { ensureOwner, readOwner } from "@/lib/auth/owner";
import { saveComparisonSpec } from "@/lib/compare/service";
import { saveComparisonSchema } from "@/lib/compare/schema";
import { listComparisons } from "@/lib/db/comparisons";
import { env } from "@/lib/env";
import { invalidBody, readJsonBody, route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The owner's comparisons, newest first (the history sidebar). */
export const GET = route("compare.list", async function GET(): Promise<Response> {
  const ownerId = await readOwner();
  const rows = ownerId ? await listComparisons({ ownerId }) : [];
  return Response.json(
    { comparisons: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })) },
    { headers: { "cache-control": "no-store" } },
  );
});

/** Saves a comparison's prompt and columns before a Run (a new Run replaces its answers). */
export const POST = route("compare.save", async function POST(request: Request) {
  const parsed = saveComparisonSchema.safeParse(
    await readJsonBody(request, env().MAX_REQUEST_BYTES),
  );
  if (!parsed.success) throw invalidBody(parsed.error.issues);
  const ownerId = await ensureOwner(request);
  const { id, ...spec } = parsed.data;
  await saveComparisonSpec({ id, ownerId, spec });
  return Response.json({ id }, { status: 201 });
});
