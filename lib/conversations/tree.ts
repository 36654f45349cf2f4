/**
 * A conversation's messages form a tree: each message has a parent (null for a first message),
 * and the versions of a turn (regenerate, edit) are siblings. The conversation remembers the
 * last message of the path shown (its active leaf); the path is the walk up from there. Pure
 * functions over the stored rows (the whole conversation is loaded anyway), no I/O.
 */

export type TreeNode = { id: string; parentId: string | null; seq: number };

/** A message's place among its versions: its siblings' ids in order, and which one it is. */
export type Versions = { ids: string[]; index: number; count: number };

/** The path from the first message down to `leafId` (inclusive); empty when it is unknown. */
export function pathTo<T extends TreeNode>(nodes: readonly T[], leafId: string | null): T[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const path: T[] = [];
  const seen = new Set<string>();
  for (let node = leafId ? byId.get(leafId) : undefined; node;) {
    // A cycle cannot be written through this app; a corrupt row must not hang a page.
    if (seen.has(node.id)) break;
    seen.add(node.id);
    path.push(node);
    node = node.parentId ? byId.get(node.parentId) : undefined;
  }
  return path.reverse();
}

/** The newest message (highest seq); a fallback for a leaf that is missing. */
function newest<T extends TreeNode>(nodes: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const n of nodes) if (!best || n.seq > best.seq) best = n;
  return best;
}

/**
 * The path shown: to the stored active leaf, or to the newest message when there is none (a
 * row written before the tree, or a leaf that is gone).
 */
export function activePath<T extends TreeNode>(
  nodes: readonly T[],
  activeLeafId: string | null,
): T[] {
  if (activeLeafId && nodes.some((n) => n.id === activeLeafId)) return pathTo(nodes, activeLeafId);
  return pathTo(nodes, newest(nodes)?.id ?? null);
}

/**
 * The most recently written message under `id` (itself included), which has no children since
 * a child is always written after its parent: choosing a version shows the branch last written
 * under it.
 */
export function latestLeafUnder<T extends TreeNode>(
  nodes: readonly T[],
  id: string,
): T | undefined {
  const children = new Map<string, T[]>();
  for (const n of nodes)
    if (n.parentId) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  let best = nodes.find((n) => n.id === id);
  const stack = best ? [best] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (best && node.seq > best.seq) best = node;
    stack.push(...(children.get(node.id) ?? []));
  }
  return best;
}

/** The siblings of `node` (messages with the same parent, itself included), oldest first. */
export function siblingsOf<T extends TreeNode>(nodes: readonly T[], node: T): T[] {
  return nodes.filter((n) => n.parentId === node.parentId).sort((a, b) => a.seq - b.seq);
}

/** Versions of each message on `path`, by message id; only for messages with more than one. */
export function versionsOf<T extends TreeNode>(
  nodes: readonly T[],
  path: readonly T[],
): Record<string, Versions> {
  const out: Record<string, Versions> = {};
  for (const node of path) {
    const ids = siblingsOf(nodes, node).map((n) => n.id);
    if (ids.length > 1) out[node.id] = { ids, index: ids.indexOf(node.id), count: ids.length };
  }
  return out;
}
