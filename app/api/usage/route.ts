import { ThinkpaneError } from "@/lib/errors";
import { route } from "@/lib/http";
import { usageReport } from "@/lib/usage/report";

export const dynamic = "force-dynamic";

/** The usage page's figures as JSON: tokens (reasoning apart) and cost per user per UTC day. */
export const GET = route("usage.read", async (request: Request): Promise<Response> => {
  const days = Number(new URL(request.url).searchParams.get("days") ?? 30);
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new ThinkpaneError("bad_request:invalid_body", {
      message: 'Invalid field "days": a whole number from 1 to 366.',
      details: { field: "days" },
    });
  return Response.json(await usageReport(days), { headers: { "cache-control": "no-store" } });
});
