import type { UIMessageChunk } from "ai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ThinkpaneError } from "@/lib/errors";
import { MemoryGenerationBus } from "./memory-bus";

const delta = (text: string): UIMessageChunk => ({ type: "text-delta", id: "t1", delta: text });

async function readAll(stream: ReadableStream<UIMessageChunk> | undefined) {
  if (!stream) throw new Error("Expected a stream to follow");
  const chunks: UIMessageChunk[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read())
    chunks.push(next.value);
  return chunks;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("MemoryGenerationBus", () => {
  it("replays a running generation from the start, then follows it live until its end", async () => {
    const bus = new MemoryGenerationBus();
    const publisher = await bus.begin("c1", () => {});
    publisher.publish(delta("a"));
    publisher.publish(delta("b"));

    const followed = readAll(await bus.subscribe("c1"));
    publisher.publish(delta("c"));
    await publisher.end();

    expect(await followed).toEqual([delta("a"), delta("b"), delta("c")]);
  });

  it("follows a generation subscribed to before its first chunk", async () => {
    const bus = new MemoryGenerationBus();
    const publisher = await bus.begin("c1", () => {});
    const followed = readAll(await bus.subscribe("c1"));
    publisher.publish(delta("a"));
    await publisher.end();
    expect(await followed).toEqual([delta("a")]);
  });

  it("gives every subscriber every chunk, whenever it joined", async () => {
    const bus = new MemoryGenerationBus();
    const publisher = await bus.begin("c1", () => {});
    const early = readAll(await bus.subscribe("c1"));
    publisher.publish(delta("a"));
    const middle = readAll(await bus.subscribe("c1"));
    publisher.publish(delta("b"));
    const late = readAll(await bus.subscribe("c1"));
    await publisher.end();

    const all = [delta("a"), delta("b")];
    expect(await early).toEqual(all);
    expect(await middle).toEqual(all);
    expect(await late).toEqual(all);
  });

  it("lets a subscriber leave without disturbing the run or the others", async () => {
    const bus = new MemoryGenerationBus();
    const publisher = await bus.begin("c1", () => {});
    publisher.publish(delta("a"));
    const leaving = (await bus.subscribe("c1"))!.getReader();
    expect((await leaving.read()).value).toEqual(delta("a"));
    await leaving.cancel();

    const staying = readAll(await bus.subscribe("c1"));
    publisher.publish(delta("b"));
    await publisher.end();
    expect(await staying).toEqual([delta("a"), delta("b")]);
  });

  it("replays a run that just ended, whole, then closes; forgets it after the linger window", async () => {
    vi.useFakeTimers();
    const bus = new MemoryGenerationBus();
    const publisher = await bus.begin("c1", () => {});
    publisher.publish(delta("a"));
    publisher.publish(delta("b"));
    await publisher.end();

    expect(await readAll(await bus.subscribe("c1"))).toEqual([delta("a"), delta("b")]);
    vi.advanceTimersByTime(29_000);
    expect(await readAll(await bus.subscribe("c1"))).toEqual([delta("a"), delta("b")]);
    vi.advanceTimersByTime(1_000);
    expect(await bus.subscribe("c1")).toBeUndefined();
  });

  it("keeps a new run of the same key when the previous run's linger ends", async () => {
    vi.useFakeTimers();
    const bus = new MemoryGenerationBus();
    const first = await bus.begin("c1", () => {});
    first.publish(delta("old"));
    await first.end();
    vi.advanceTimersByTime(1_000);

    const second = await bus.begin("c1", () => {});
    second.publish(delta("new"));
    vi.advanceTimersByTime(30_000);
    expect(await bus.isActive("c1")).toBe(true);
    const followed = readAll(await bus.subscribe("c1"));
    await second.end();
    expect(await followed).toEqual([delta("new")]);
  });

  it("has nothing to follow for a key that never ran", async () => {
    const bus = new MemoryGenerationBus();
    expect(await bus.subscribe("nothing")).toBeUndefined();
  });

  it("is active from begin to end", async () => {
    const bus = new MemoryGenerationBus();
    expect(await bus.isActive("c1")).toBe(false);
    const publisher = await bus.begin("c1", () => {});
    expect(await bus.isActive("c1")).toBe(true);
    expect(await bus.isActive("c2")).toBe(false);
    await publisher.end();
    expect(await bus.isActive("c1")).toBe(false);
  });

  it("requestStop calls the running generation's onStop, and only while it runs", async () => {
    const bus = new MemoryGenerationBus();
    const onStop = vi.fn();
    const publisher = await bus.begin("c1", onStop);

    expect(await bus.requestStop("c2")).toBe(false);
    expect(onStop).not.toHaveBeenCalled();
    expect(await bus.requestStop("c1")).toBe(true);
    expect(onStop).toHaveBeenCalledTimes(1);

    await publisher.end();
    expect(await bus.requestStop("c1")).toBe(false);
    expect(onStop).toHaveBeenCalledTimes(1);
  });

  it("gives one claim per key at a time, counts it as active, and lets begin take it over", async () => {
    const bus = new MemoryGenerationBus();
    const claims = await Promise.all([bus.claim("k"), bus.claim("k"), bus.claim("k")]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await bus.isActive("k")).toBe(true);

    const publisher = await bus.begin("k", () => undefined);
    expect(await bus.claim("k")).toBeUndefined();
    await publisher.end();
    const next = await bus.claim("k");
    expect(next).toBeDefined();
    await next!();
    expect(await bus.isActive("k")).toBe(false);
    expect(await bus.claim("k")).toBeDefined();
  });

  it("keeps a bounded buffer: a late follower of a long run gets its whole text in few chunks", async () => {
    const bus = new MemoryGenerationBus({
      replay: { keep: 50, compactAt: 100, maxBytes: 1_000_000, holdBytes: 250_000 },
    });
    const publisher = await bus.begin("c1", () => {});
    publisher.publish({ type: "text-start", id: "t1" });
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i} `);
    for (const word of words) publisher.publish(delta(word));
    const late = readAll(await bus.subscribe("c1"));
    publisher.publish(delta("end"));
    await publisher.end();
    const chunks = await late;
    expect(chunks.length).toBeLessThan(200);
    const text = chunks.map((c) => (c.type === "text-delta" ? c.delta : "")).join("");
    expect(text).toBe(`${words.join("")}end`);
  });

  it("gives a follower that stalls for thousands of chunks every one of them, within the byte budget", async () => {
    const bus = new MemoryGenerationBus({
      replay: { keep: 50, compactAt: 100, maxBytes: 1_000_000, holdBytes: 500_000 },
    });
    const publisher = await bus.begin("c1", () => {});
    publisher.publish({ type: "text-start", id: "t1" });
    const reader = (await bus.subscribe("c1"))!.getReader();
    expect((await reader.read()).value).toEqual({ type: "text-start", id: "t1" });
    // It reads nothing while 5,000 chunks go by (a busy server or browser, a burst).
    const burst = Array.from({ length: 5_000 }, (_, i) => delta(`x${i} `));
    for (const chunk of burst) publisher.publish(chunk);
    const caughtUp: UIMessageChunk[] = [];
    while (caughtUp.length < burst.length) caughtUp.push((await reader.read()).value!);
    expect(caughtUp).toEqual(burst);
    // Once it has caught up, what it read is compacted again: a late follower gets the whole
    // text in few chunks.
    publisher.publish(delta("end"));
    expect((await reader.read()).value).toEqual(delta("end"));
    await publisher.end();
    expect((await reader.read()).done).toBe(true);
    const late = await readAll(await bus.subscribe("c1"));
    expect(late.length).toBeLessThan(200);
    const text = (chunks: UIMessageChunk[]) =>
      chunks.map((c) => (c.type === "text-delta" ? c.delta : "")).join("");
    expect(text(late)).toBe(`${text(burst)}end`);
  });

  it("tells a follower that fell behind past the byte budget, instead of skipping chunks", async () => {
    const bus = new MemoryGenerationBus({
      replay: { keep: 50, compactAt: 100, maxBytes: 1_000_000, holdBytes: 10_000 },
    });
    const publisher = await bus.begin("c1", () => {});
    publisher.publish({ type: "text-start", id: "t1" });
    const reader = (await bus.subscribe("c1"))!.getReader();
    expect((await reader.read()).value).toEqual({ type: "text-start", id: "t1" });
    publisher.publish(delta("a"));
    expect((await reader.read()).value).toEqual(delta("a"));
    // It reads nothing while 500 chunks (about 32 kB, over the 10 kB it may hold) go by.
    for (let i = 0; i < 500; i++) publisher.publish(delta("x"));
    const next = (await reader.read()).value;
    expect(next?.type).toBe("error");
    expect(ThinkpaneError.fromText(next?.type === "error" ? next.errorText : "").code).toBe(
      "gone:replay",
    );
    expect((await reader.read()).done).toBe(true);
    await publisher.end();
  });

  it("past its byte budget, a late follower is told the start is gone; live ones go on", async () => {
    const bus = new MemoryGenerationBus({
      replay: { keep: 50, compactAt: 100, maxBytes: 10_000, holdBytes: 2_500 },
    });
    const publisher = await bus.begin("c1", () => {});
    const live = readAll(await bus.subscribe("c1"));
    for (let i = 0; i < 1_000; i++) {
      publisher.publish(delta("0123456789"));
      // The live follower reads as the chunks come.
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const late = readAll(await bus.subscribe("c1"));
    await publisher.end();
    expect(await live).toHaveLength(1_000);
    const [lost, ...rest] = await late;
    expect(rest).toEqual([]);
    expect(ThinkpaneError.fromText(lost?.type === "error" ? lost.errorText : "").message).toMatch(
      /too long to replay/,
    );
  });
});
