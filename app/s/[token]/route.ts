import { getActiveShare, getActiveShareIdentity } from "@/lib/db/shares";
import {
  notFoundDocument,
  snapshotDocument,
  type SnapshotDocument,
} from "@/lib/snapshot-html/document";
import { comparisonDocument } from "@/lib/snapshot-html/comparison";
import { createSnapshotCache } from "@/lib/snapshot-cache";

/*
 * A shared snapshot: plain HTML, built once per snapshot and kept (a snapshot never changes), so
 * that a view costs one lookup by primary key and the writing of the kept bytes (which the
 * server compresses: a route handler cannot send an encoded body, Next.js drops the header). Every view asks the
 * database whether the link is still active (a lookup that leaves the snapshot out), so a revoked
 * or expired link stops at once. The page says nothing about the owner.
 */

/** About 64 MB of pages: a few hundred long snapshots. */
const pages = createSnapshotCache<SnapshotDocument>({ maxSize: 64_000_000, maxEntries: 1_000 });
const notFound = notFoundDocument();

async function activePage(token: string): Promise<SnapshotDocument | undefined> {
  if (token.length > 100) return undefined;
  const active = await getActiveShareIdentity({ token });
  if (!active) {
    pages.forget(token);
    return undefined;
  }
  return pages.get(token, active.createdAt.getTime(), async () => {
    const share = await getActiveShare({ token });
    if (!share) return undefined;
    // Relative to /s/<token>: the link serves each turn's exchange only when its owner included them.
    if (share.snapshot.comparison) {
      const page = comparisonDocument(share.snapshot.title, share.snapshot.comparison);
      return { value: page, size: page.bytes };
    }
    const page = snapshotDocument(share.snapshot, {
      exchangeHref: share.includeExchange
        ? (messageId) => `${encodeURIComponent(token)}/exchange/${encodeURIComponent(messageId)}`
        : undefined,
    });
    return { value: page, size: page.bytes };
  });
}

/**
 * The kept bytes as the body, not copied: a Response copies a buffer it is given, which for a
 * long page is a megabyte more to allocate and collect on every view. Nothing writes to them.
 */
function keptBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const page = await activePage((await params).token);
  return new Response(keptBody((page ?? notFound).html), {
    status: page ? 200 : 404,
    headers: {
      "content-type": "text/html; charset=utf-8",
      // Revoking must take effect at once: no copy kept on the way.
      "cache-control": "private, no-store",
    },
  });
}
