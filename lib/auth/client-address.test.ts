import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPeerHeader } from "@/lib/security/peer";
import { clientAddress, normalizeAddress, PEER_HEADER, UNKNOWN_ADDRESS } from "./client-address";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("clientAddress", () => {
  it("is the socket's peer by default, whatever X-Forwarded-For and X-Real-IP say", () => {
    const h = headers({
      [PEER_HEADER]: "198.51.100.7",
      "x-forwarded-for": "1.2.3.4",
      "x-real-ip": "5.6.7.8",
    });
    expect(clientAddress(h, 0)).toBe("198.51.100.7");
  });

  it("is unknown, never the client's own header, when the server did not stamp the peer", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "1.2.3.4" }), 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(headers({ "x-forwarded-for": "1.2.3.4" }), 1)).toBe(UNKNOWN_ADDRESS);
  });

  it("behind trusted proxies takes the right-most entry they did not write, never the first", () => {
    // Client -> nginx -> app: nginx appends the address it saw.
    const oneHop = headers({
      [PEER_HEADER]: "10.0.0.2",
      "x-forwarded-for": "6.6.6.6, 203.0.113.9",
    });
    expect(clientAddress(oneHop, 1)).toBe("203.0.113.9");
    // Client -> CDN -> nginx -> app.
    const twoHops = headers({
      [PEER_HEADER]: "10.0.0.2",
      "x-forwarded-for": "6.6.6.6, 7.7.7.7, 203.0.113.9, 192.0.2.50",
    });
    expect(clientAddress(twoHops, 2)).toBe("203.0.113.9");
    // Fewer entries than hops: the left-most there is, still never a guess past it.
    expect(clientAddress(headers({ [PEER_HEADER]: "10.0.0.2" }), 1)).toBe("10.0.0.2");
    expect(
      clientAddress(headers({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.9" }), 3),
    ).toBe("203.0.113.9");
  });

  it("gives one form per client", () => {
    expect(normalizeAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("192.0.2.1:51234")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
    // Every address of an IPv6 /64 is one client.
    expect(normalizeAddress("2001:DB8:0:0:abcd::1")).toBe(normalizeAddress("2001:db8::ffff:1"));
    expect(normalizeAddress("2001:db8:0:1::1")).not.toBe(normalizeAddress("2001:db8::1"));
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(normalizeAddress("::1")).toBe("0:0:0:0::/64");
    expect(normalizeAddress("x".repeat(500))).toHaveLength(64);
    expect(normalizeAddress("   ")).toBe(UNKNOWN_ADDRESS);
  });
});

describe("installPeerHeader", () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    installPeerHeader();
    installPeerHeader(); // twice installs once
    server = http.createServer((request, response) => {
      response.end(JSON.stringify(request.headers[PEER_HEADER] ?? null));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("stamps the socket's address over whatever the client sent under that name", async () => {
    const response = await fetch(url, {
      headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" },
    });
    expect(await response.json()).toBe("127.0.0.1");
  });
});
