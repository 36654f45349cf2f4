import { requireOwner } from "@/lib/auth/owner";
import { toComparisonJson, toComparisonMarkdown } from "@/lib/compare/portable";
import { loadComparison } from "@/lib/compare/service";
import { ThinkpaneError } from "@/lib/errors";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

function fileName(title: string, extension: string): string {
  const base =
    title
      .replace(/[^\w\- ]+/g, "")
      .trim()
      .replace(/\s+/g, "-")
      .slice(0, 60) || "comparison";
  return `${base}.${extension}`;
}

/** `?format=markdown` or `?format=json` (the default), as a download. */
export const GET = route(
  "compare.export",
  async function GET(
    request: Request,
    { params }: { params: Promise<{ id: string }> },
  ): Promise<Response> {
    const { id } = await params;
    const comparison = await loadComparison({ id, ownerId: await requireOwner() });
    if (!comparison) throw new ThinkpaneError("not_found");
    const markdown = new URL(request.url).searchParams.get("format") === "markdown";
    const body = markdown
      ? toComparisonMarkdown(comparison)
      : JSON.stringify(toComparisonJson(comparison), null, 2);
    return new Response(body, {
      headers: {
        "content-type": markdown
          ? "text/markdown; charset=utf-8"
          : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName(comparison.title, markdown ? "md" : "json")}"`,
        "cache-control": "no-store",
      },
    });
  },
);
