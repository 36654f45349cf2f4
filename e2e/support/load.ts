import { expect } from "@playwright/test";
import type { FakeUpstreamControl } from "../fake-upstream/client";
import { stream } from "../fake-upstream/scenario";
import { newId, Owner, percentiles, readTurn, readUntil, storedText } from "./chat-client";

/**
 * The load and Stop checks of e2e/load.spec.ts, against one app instance or several (turns and
 * Stop requests spread over them), each a plain function of the servers' URLs.
 */

/**
 * Limits that let 20 owners run 10 turns each at once. In anonymous mode the per-user limits
 * count per client address too, and every owner here comes from 127.0.0.1: the address must
 * fit all 200. The total is off so that other runs on a shared Redis cannot count against it.
 */
export const LOAD_LIMITS = {
  MAX_CONCURRENT_STREAMS_PER_USER: "200",
  MAX_CONCURRENT_STREAMS: "0",
  RATE_LIMIT_REQUESTS_PER_MINUTE: "2000",
};

/**
 * 20 owners × 10 turns, all streaming at once: every response complete and error-free, every
 * turn stored as done with the whole text. Owner i's turns alternate between the servers.
 */
export async function concurrentTurns(
  servers: string[],
  upstream: FakeUpstreamControl,
  key: string,
  { owners = 20, perOwner = 10 } = {},
) {
  const pieces = Array.from({ length: 40 }, (_, i) => ` t${i}`);
  await upstream.script(key, stream({ reasoning: ["Thinking."], answer: pieces, delayMs: 40 }));
  const expected = pieces.join("");
  const started = Date.now();

  const runOwner = async (index: number) => {
    const owner = new Owner();
    const server = (turn: number) => servers[(index + turn) % servers.length]!;
    const ids = Array.from({ length: perOwner }, () => newId("c"));
    // The first response's headers carry the owner cookie that the other nine turns send.
    const first = await owner.send(server(0), ids[0]!, key, "Load 0");
    const rest = ids
      .slice(1)
      .map((id, i) => owner.send(server(i + 1), id, key, `Load ${i + 1}`).then(readTurn));
    const results = await Promise.all([readTurn(first), ...rest]);
    return { owner, ids, results, server };
  };
  const all = await Promise.all(Array.from({ length: owners }, (_, i) => runOwner(i)));
  const seconds = (Date.now() - started) / 1000;
  console.info(
    `load: ${owners * perOwner} turns on ${servers.length} instance(s) answered in ${seconds.toFixed(1)} s`,
  );

  const results = all.flatMap((o) => o.results);
  const failures = results.filter(
    (r) => r.status !== 200 || !r.finished || r.errors.length > 0 || r.text !== expected,
  );
  expect(failures.map((r) => ({ ...r, text: r.text.slice(0, 80) }))).toEqual([]);
  expect(results).toHaveLength(owners * perOwner);

  // Every turn stored, read back from the instance that did not run it when there are two.
  for (const { owner, ids, server } of all) {
    await Promise.all(
      ids.map(async (id, turn) => {
        const { messages } = await owner.stored(server(turn + 1), id);
        expect(messages.map((m) => [m.role, m.status])).toEqual([
          ["user", "done"],
          ["assistant", "done"],
        ]);
        expect(storedText(messages[0]?.parts)).toContain(`Load ${turn}`);
        expect(storedText(messages[1]?.parts)).toBe(expected);
      }),
    );
  }
  const requests = await upstream.requests(key);
  expect(requests.filter((r) => r.completed)).toHaveLength(owners * perOwner);
}

/**
 * Stop, `trials` times: a turn runs on `runOn`, is followed from `stopFrom` and stopped there.
 * Returns the milliseconds from the Stop request to the fake upstream seeing the hang-up.
 */
export async function stopTrials(
  runOn: string,
  stopFrom: string,
  upstream: FakeUpstreamControl,
  newKey: () => string,
  trials = 20,
) {
  const pieces = Array.from({ length: 400 }, (_, i) => ` w${i}`);
  const latencies: number[] = [];
  for (let i = 0; i < trials; i++) {
    const key = newKey();
    await upstream.script(key, stream({ reasoning: [], answer: pieces, delayMs: 20 }));
    const owner = new Owner();
    const id = newId("c");
    const running = await readUntil(await owner.send(runOn, id, key, "Stop me"), " w3");
    const followed = await owner.follow(stopFrom, id);
    expect(followed.status).toBe(200);
    const following = await readUntil(followed, " w5");

    const stopAt = Date.now();
    expect(await owner.stop(stopFrom, id)).toBe(true);
    const hungUp = await upstream.waitForHangUp(key, { timeoutMs: 5_000 });
    latencies.push(hungUp.clientClosedAt! - stopAt);
    await Promise.all([running.drain(), following.drain()]);
    const { messages } = await owner.stored(stopFrom, id);
    expect(messages[1]?.status).toBe("stopped");
  }
  const { p50, max } = percentiles(latencies);
  console.info(
    `stop latency, followed and stopped from another instance: p50 ${p50} ms, max ${max} ms`,
  );
  expect(latencies.filter((ms) => ms > 1_000)).toEqual([]);
  return latencies;
}

/**
 * Starts `owners × perOwner` long turns and waits until each has a checkpoint on disk (its stored
 * answer is not empty), so that `kill` can then end the server mid-stream. Returns the check to
 * run once the server is back.
 */
export async function turnsCutShort(
  server: string,
  upstream: FakeUpstreamControl,
  key: string,
  { owners = 5, perOwner = 10 } = {},
) {
  // 2,000 pieces over 40 s: still running when the server dies, however loaded the machine.
  const pieces = Array.from({ length: 2_000 }, (_, i) => ` k${i}`);
  await upstream.script(key, stream({ reasoning: ["Long."], answer: pieces, delayMs: 20 }));
  const full = pieces.join("");
  const turns = await Promise.all(
    Array.from({ length: owners }, async (_, o) => {
      const owner = new Owner();
      const ids = Array.from({ length: perOwner }, () => newId("c"));
      const first = await owner.send(server, ids[0]!, key, `Keep 0 of ${o}`);
      const rest = ids
        .slice(1)
        .map((id, i) => owner.send(server, id, key, `Keep ${i + 1} of ${o}`));
      const responses = [first, ...(await Promise.all(rest))];
      return responses.map((response, turn) => ({ owner, id: ids[turn]!, response, turn, o }));
    }),
  ).then((nested) => nested.flat());
  // The browsers go away at once (that alone stops nothing), so only the signal ends the turns.
  for (const { response } of turns) {
    expect(response.status).toBe(200);
    await response.body?.cancel();
  }
  const checkpoints = new Map<string, string>();
  const deadline = Date.now() + 30_000;
  while (checkpoints.size < turns.length) {
    expect(Date.now(), `checkpoints on disk: ${checkpoints.size} of ${turns.length}`).toBeLessThan(
      deadline,
    );
    await Promise.all(
      turns
        .filter(({ id }) => !checkpoints.has(id))
        .map(async ({ owner, id }) => {
          const { messages } = await owner.stored(server, id);
          // A turn that already finished has its whole text as its checkpoint.
          expect(["streaming", "done"]).toContain(messages[1]?.status);
          const text = storedText(messages[1]?.parts);
          if (text) checkpoints.set(id, text);
        }),
    );
  }

  return async function check() {
    const statuses: Record<string, number> = {};
    const kept: number[] = [];
    for (const { owner, id, turn, o } of turns) {
      const { messages } = await owner.stored(server, id);
      expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
      expect(storedText(messages[0]?.parts)).toContain(`Keep ${turn} of ${o}`);
      const answer = messages[1]!;
      const text = storedText(answer.parts);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      expect(["interrupted", "done"]).toContain(answer.status);
      if (answer.status === "done") expect(text).toBe(full);
      // What was kept is what the fake sent, up to at least the checkpoint seen before the kill.
      expect(full.startsWith(text)).toBe(true);
      expect(text.startsWith(checkpoints.get(id)!)).toBe(true);
      kept.push(text.split(" k").length - 1);
    }
    const { p50, max } = percentiles(kept);
    const min = Math.min(...kept);
    console.info(
      `restart: ${turns.length} turns ${JSON.stringify(statuses)}; pieces kept min ${min}, p50 ${p50}, max ${max} of ${pieces.length}`,
    );
  };
}
