import type { UIMessageChunk } from "ai";
import { afterEach, describe, expect, it, vi } from "vitest";
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
});
