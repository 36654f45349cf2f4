import { requestAddress } from "@/lib/auth/request-address";
import { admitCopy } from "@/lib/limits/copies";
import { ensureOwner } from "@/lib/auth/owner";
import { importSchema } from "@/lib/conversations/portable";
import { importConversation } from "@/lib/conversations/service";
import { env } from "@/lib/env";
import { invalidBody, readJsonBody, route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Imports a JSON export as a new conversation of the caller's. */
export const POST = route(
  "conversations.import",
  async function POST(request: Request): Promise<Response> {
    const parsed = importSchema.safeParse(await readJsonBody(request, env().MAX_IMPORT_BYTES));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const ownerId = await ensureOwner(request);
    await admitCopy({ action: "import", ownerId, address: requestAddress(request) });
    const id = await importConversation({ ownerId, data: parsed.data });
    return Response.json({ id }, { status: 201 });
  },
);
