import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PortableConversation } from "@/lib/conversations/portable";
import { getActiveShare, getActiveShareIdentity } from "@/lib/db/shares";
import { GET } from "./route";

vi.mock("@/lib/db/shares", () => ({ getActiveShare: vi.fn(), getActiveShareIdentity: vi.fn() }));

const createdAt = new Date("2026-01-01T00:00:00Z");
const snapshot: PortableConversation = {
  title: "Cached",
  createdAt: createdAt.toISOString(),
  messages: [{ id: "u", role: "user", status: "done", parts: [{ type: "text", text: "Hello" }] }],
};

const view = (token: string, acceptEncoding = "identity") =>
  GET(
    new Request(`http://localhost/s/${token}`, { headers: { "accept-encoding": acceptEncoding } }),
    {
      params: Promise.resolve({ token }),
    },
  );

describe("GET /s/<token>", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.mocked(getActiveShareIdentity).mockResolvedValue({ createdAt });
    vi.mocked(getActiveShare).mockResolvedValue({ snapshot } as never);
  });

  it("builds a page once and serves the same kept bytes to every view", async () => {
    const first = await view("token-a");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(first.headers.get("cache-control")).toBe("private, no-store");
    const html = await first.text();
    expect(html).toContain("Hello");
    expect(html).toContain('<script src="/snapshot.js"></script>');
    expect(await (await view("token-a")).text()).toBe(html);
    expect(getActiveShare).toHaveBeenCalledTimes(1);
    expect(getActiveShareIdentity).toHaveBeenCalledTimes(2);
  });

  it("stops serving a cached page as soon as the link is revoked", async () => {
    expect((await view("token-b")).status).toBe(200);
    vi.mocked(getActiveShareIdentity).mockResolvedValue(undefined);
    const revoked = await view("token-b");
    expect(revoked.status).toBe(404);
    const html = await revoked.text();
    expect(html).not.toContain("Hello");
    expect(html).toContain("<h1>Not found</h1>");
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
  });

  it("builds the page again for a new share under the same token", async () => {
    await view("token-c");
    vi.mocked(getActiveShareIdentity).mockResolvedValue({ createdAt: new Date(0) });
    vi.mocked(getActiveShare).mockResolvedValue({
      snapshot: { ...snapshot, title: "Newer" },
    } as never);
    expect(await (await view("token-c")).text()).toContain("<h1>Newer</h1>");
  });

  it("links each assistant turn to its raw exchange only when the owner included them", async () => {
    const withTurn: PortableConversation = {
      ...snapshot,
      messages: [
        ...snapshot.messages,
        { id: "a1", role: "assistant", status: "done", parts: [{ type: "text", text: "Hi" }] },
      ],
    };
    vi.mocked(getActiveShare).mockResolvedValue({
      snapshot: withTurn,
      includeExchange: false,
    } as never);
    expect(await (await view("token-d")).text()).not.toContain("Raw exchange");
    vi.mocked(getActiveShare).mockResolvedValue({
      snapshot: withTurn,
      includeExchange: true,
    } as never);
    const html = await (await view("token-e")).text();
    expect(html).toContain(
      '<a href="token-e/exchange/a1" type="application/json">Raw exchange (JSON)</a>',
    );
  });

  it("answers 404 without a lookup for an impossible token", async () => {
    expect((await view("x".repeat(101))).status).toBe(404);
    expect(getActiveShareIdentity).not.toHaveBeenCalled();
  });
});
