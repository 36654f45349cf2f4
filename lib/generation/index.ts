import "server-only";
import { Redis } from "ioredis";
import { env } from "@/lib/env";
import type { GenerationBus } from "./bus";
import { MemoryGenerationBus } from "./memory-bus";
import { RedisGenerationBus } from "./redis-bus";

export type { GenerationBus, GenerationPublisher } from "./bus";

// On globalThis: Next.js may evaluate a module once per route bundle, and every route must see
// the same running generations.
const KEY = Symbol.for("thinkpane.generationBus");
type Holder = { [KEY]?: GenerationBus };

export function generationBus(): GenerationBus {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const url = env().REDIS_URL;
    holder[KEY] = url
      ? new RedisGenerationBus(
          // Auto-pipelining: the chunks of all running turns written in one tick go out in one write.
          new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true }),
          new Redis(url, { maxRetriesPerRequest: 2 }),
        )
      : new MemoryGenerationBus();
  }
  return holder[KEY];
}
