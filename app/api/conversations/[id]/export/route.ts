import { requireOwner } from "@/lib/auth/owner";
import { toJsonExport, toMarkdown } from "@/lib/conversations/portable";
import { portableConversation } from "@/lib/conversations/service";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

function fileName(title: string, extension: string): string {
  const base =
    title
      .replace(/[^\w\- ]+/g, "")
      .trim()
      .replace(/\s+/g, "-")
      .slice(0, 60) || "conversation";
  return `${base}.${extension}`;
}

/** `?format=markdown` or `?format=json` (the default), as a download. */
export const GET = route(
  "conversations.export",
  async function GET(
    request: Request,
    { params }: { params: Promise<{ id: string }> },
  ): Promise<Response> {
    const { id } = await params;
    const ownerId = await requireOwner();
    const markdown = new URL(request.url).searchParams.get("format") === "markdown";
    // The JSON export carries each turn's raw exchange; the Markdown one is for reading.
    const conversation = await portableConversation({
      id,
      ownerId,
      exchanges: !markdown,
      // Every version of every turn in the JSON; the path shown in Markdown.
      versions: !markdown,
    });
    const body = markdown
      ? toMarkdown(conversation)
      : JSON.stringify(toJsonExport(conversation), null, 2);
    return new Response(body, {
      headers: {
        "content-type": markdown
          ? "text/markdown; charset=utf-8"
          : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName(conversation.title, markdown ? "md" : "json")}"`,
        "cache-control": "no-store",
      },
    });
  },
);
