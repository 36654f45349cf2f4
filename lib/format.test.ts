import { describe, expect, it } from "vitest";
import {
  estimateTokens,
  formatCost,
  formatDuration,
  formatRate,
  formatTokens,
  reasoningSummary,
} from "@/lib/format";

describe("formatTokens", () => {
  it("groups thousands and passes undefined through", () => {
    expect(formatTokens(undefined)).toBeUndefined();
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(999)).toBe("999");
    expect(formatTokens(131_072)).toBe("131,072");
    expect(formatTokens(1_234_567)).toBe("1,234,567");
  });
});

describe("formatDuration", () => {
  it("uses ms below a second, tenths of seconds below a minute, then minutes and seconds", () => {
    expect(formatDuration(undefined)).toBeUndefined();
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(12.4)).toBe("12 ms");
    expect(formatDuration(999)).toBe("999 ms");
    expect(formatDuration(1000)).toBe("1.0 s");
    expect(formatDuration(1234)).toBe("1.2 s");
    expect(formatDuration(59_900)).toBe("59.9 s");
    expect(formatDuration(60_000)).toBe("1 min 0 s");
    expect(formatDuration(61_400)).toBe("1 min 1 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
  });

  it("carries rounding into the next unit instead of showing 1000 ms, 60.0 s or 60 s", () => {
    expect(formatDuration(999.6)).toBe("1.0 s");
    expect(formatDuration(59_960)).toBe("1 min 0 s");
    expect(formatDuration(119_600)).toBe("2 min 0 s");
    expect(formatDuration(179_999)).toBe("3 min 0 s");
  });
});

describe("formatRate", () => {
  it("shows one decimal below 100 tok/s and whole numbers above", () => {
    expect(formatRate(undefined)).toBeUndefined();
    expect(formatRate(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(formatRate(Number.NaN)).toBeUndefined();
    expect(formatRate(0)).toBe("0.0 tok/s");
    expect(formatRate(12.345)).toBe("12.3 tok/s");
    expect(formatRate(100)).toBe("100 tok/s");
    expect(formatRate(150.6)).toBe("151 tok/s");
  });
});

describe("formatCost", () => {
  it("shows two significant digits below a cent, four decimals below a dollar, cents above", () => {
    expect(formatCost(undefined)).toBeUndefined();
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(0.000123)).toBe("$0.00012");
    expect(formatCost(0.0042)).toBe("$0.0042");
    expect(formatCost(0.01)).toBe("$0.0100");
    expect(formatCost(0.5)).toBe("$0.5000");
    expect(formatCost(1)).toBe("$1.00");
    expect(formatCost(12.345)).toBe("$12.35");
  });
});

describe("estimateTokens", () => {
  it("rounds characters / 4 up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateTokens("x".repeat(400))).toBe(100);
  });
});

describe("reasoningSummary", () => {
  it("prefers the upstream's count, estimates from the text without one, and adds the time", () => {
    expect(reasoningSummary("x".repeat(40), 1204, 3200)).toBe(
      `${formatTokens(1204)} tokens · ${formatDuration(3200)}`,
    );
    expect(reasoningSummary("x".repeat(40), undefined, undefined)).toBe("≈10 tokens");
    expect(reasoningSummary("", undefined, undefined)).toBe("");
  });
});
