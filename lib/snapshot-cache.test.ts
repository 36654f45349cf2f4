import { describe, expect, it, vi } from "vitest";
import { createSnapshotCache } from "./snapshot-cache";

const rendering = (value: string, size = value.length) => vi.fn(async () => ({ value, size }));

describe("snapshot cache", () => {
  it("renders a snapshot once and serves it again while its identity holds", async () => {
    const cache = createSnapshotCache<string>({ maxSize: 100, maxEntries: 10 });
    const render = rendering("page");
    expect(await cache.get("t", 1, render)).toBe("page");
    expect(await cache.get("t", 1, render)).toBe("page");
    expect(render).toHaveBeenCalledTimes(1);
  });

  it("renders again when the token shows another snapshot, or was forgotten", async () => {
    const cache = createSnapshotCache<string>({ maxSize: 100, maxEntries: 10 });
    await cache.get("t", 1, rendering("old"));
    expect(await cache.get("t", 2, rendering("new"))).toBe("new");
    cache.forget("t");
    const render = rendering("again");
    expect(await cache.get("t", 2, render)).toBe("again");
    expect(render).toHaveBeenCalledTimes(1);
  });

  it("shares one rendering between concurrent views", async () => {
    const cache = createSnapshotCache<string>({ maxSize: 100, maxEntries: 10 });
    const render = rendering("page");
    const views = await Promise.all([1, 2, 3].map(() => cache.get("t", 1, render)));
    expect(views).toEqual(["page", "page", "page"]);
    expect(render).toHaveBeenCalledTimes(1);
  });

  it("keeps nothing for a snapshot that is gone or failed to render", async () => {
    const cache = createSnapshotCache<string>({ maxSize: 100, maxEntries: 10 });
    expect(await cache.get("t", 1, async () => undefined)).toBeUndefined();
    await expect(cache.get("u", 1, () => Promise.reject(new Error("db down")))).rejects.toThrow(
      "db down",
    );
    const render = rendering("page");
    await cache.get("t", 1, render);
    await cache.get("u", 1, render);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it("drops the least recently used snapshots past its size or entry budget", async () => {
    const cache = createSnapshotCache<string>({ maxSize: 10, maxEntries: 2 });
    await cache.get("a", 1, rendering("a", 4));
    await cache.get("b", 1, rendering("b", 4));
    await cache.get("a", 1, rendering("unused")); // a is now the most recent
    await cache.get("c", 1, rendering("c", 4)); // over 2 entries and 10 in size: b goes
    const again = { a: rendering("a", 4), b: rendering("b", 4) };
    await cache.get("a", 1, again.a);
    await cache.get("b", 1, again.b);
    expect(again.a).not.toHaveBeenCalled();
    expect(again.b).toHaveBeenCalledTimes(1);
  });
});
