import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeZodJitless } from "./zod-jitless";

describe("makeZodJitless", () => {
  it("sets the configuration zod itself reads", () => {
    expect(z.config().jitless).not.toBe(true);
    makeZodJitless();
    expect(z.config().jitless).toBe(true);
    z.config({ jitless: false });
  });
});
