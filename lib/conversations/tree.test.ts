import { describe, expect, it } from "vitest";
import { activePath, latestLeafUnder, pathTo, versionsOf } from "./tree";

/*
 *   q1 ─┬─ a1 ── q2 ─┬─ a2
 *       │            └─ a2b
 *       └─ a1b
 *   q1b ── a3            (an edit of the first message)
 */
const nodes = [
  { id: "q1", parentId: null, seq: 1 },
  { id: "a1", parentId: "q1", seq: 2 },
  { id: "q2", parentId: "a1", seq: 3 },
  { id: "a2", parentId: "q2", seq: 4 },
  { id: "a1b", parentId: "q1", seq: 5 },
  { id: "a2b", parentId: "q2", seq: 6 },
  { id: "q1b", parentId: null, seq: 7 },
  { id: "a3", parentId: "q1b", seq: 8 },
];
const ids = (list: { id: string }[]) => list.map((n) => n.id);

describe("conversation tree", () => {
  it("walks the path from the first message down to a leaf", () => {
    expect(ids(pathTo(nodes, "a2b"))).toEqual(["q1", "a1", "q2", "a2b"]);
    expect(ids(pathTo(nodes, null))).toEqual([]);
    expect(ids(pathTo(nodes, "missing"))).toEqual([]);
  });

  it("shows the stored leaf's path, or the newest message's when the leaf is unknown", () => {
    expect(ids(activePath(nodes, "a1b"))).toEqual(["q1", "a1b"]);
    expect(ids(activePath(nodes, null))).toEqual(["q1b", "a3"]);
    expect(ids(activePath(nodes, "gone"))).toEqual(["q1b", "a3"]);
    expect(activePath([], null)).toEqual([]);
  });

  it("does not hang on a cycle", () => {
    const cycle = [
      { id: "x", parentId: "y", seq: 1 },
      { id: "y", parentId: "x", seq: 2 },
    ];
    expect(ids(pathTo(cycle, "x"))).toEqual(["y", "x"]);
  });

  it("chooses the branch last written under a version", () => {
    expect(latestLeafUnder(nodes, "a1")?.id).toBe("a2b");
    expect(latestLeafUnder(nodes, "q1")?.id).toBe("a2b");
    expect(latestLeafUnder(nodes, "a1b")?.id).toBe("a1b");
    expect(latestLeafUnder(nodes, "missing")).toBeUndefined();
  });

  it("gives the versions of each message on a path that has more than one", () => {
    expect(versionsOf(nodes, pathTo(nodes, "a2"))).toEqual({
      q1: { ids: ["q1", "q1b"], index: 0, count: 2 },
      a1: { ids: ["a1", "a1b"], index: 0, count: 2 },
      a2: { ids: ["a2", "a2b"], index: 0, count: 2 },
    });
    expect(versionsOf(nodes, pathTo(nodes, "a3"))).toEqual({
      q1b: { ids: ["q1", "q1b"], index: 1, count: 2 },
    });
  });
});
