import { isIP } from "node:net";

/**
 * Which client a request comes from, for budgets and the sign-in throttle: something the
 * client cannot choose. The socket's peer address is put on every request by the server
 * itself (PEER_HEADER, see lib/security/peer.ts), overwriting whatever the client sent. Behind
 * reverse proxies the peer is the nearest proxy, so with TRUST_PROXY_HOPS = n the client is the
 * address the outermost trusted proxy saw: X-Forwarded-For read from the right, past the
 * entries the trusted proxies appended. Entries further left were written by the client and
 * are never used.
 */

/** Set by the server on every request from the socket, never taken from the client. */
export const PEER_HEADER = "x-thinkpane-peer";

/** The address when the server could not tell (the peer header is missing). */
export const UNKNOWN_ADDRESS = "unknown";

export function clientAddress(headers: Headers, trustedHops: number): string {
  const peer = headers.get(PEER_HEADER)?.trim();
  if (!peer) return UNKNOWN_ADDRESS;
  if (trustedHops <= 0) return normalizeAddress(peer);
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  // [client-written..., seen by proxy 1, ..., seen by proxy n] then the peer (proxy n itself).
  const chain = [...forwarded, peer];
  const seen = chain[Math.max(0, chain.length - 1 - trustedHops)]!;
  return normalizeAddress(seen);
}

/**
 * One form per client: IPv4-mapped IPv6 as IPv4, ports and brackets dropped, IPv6 by its /64
 * (a client commonly holds a whole /64, and each address in it would otherwise count alone).
 * Anything else (a proxy that writes names or "unknown") is kept as it is, bounded.
 */
export function normalizeAddress(raw: string): string {
  let value = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.indexOf(":"));
  if (value.startsWith("::ffff:") && isIP(value.slice(7)) === 4) value = value.slice(7);
  const zone = value.indexOf("%");
  if (zone > 0) value = value.slice(0, zone);
  if (isIP(value) === 6) return `${expandIpv6(value).slice(0, 4).join(":")}::/64`;
  if (isIP(value) === 4) return value;
  return value.slice(0, 64) || UNKNOWN_ADDRESS;
}

/** The eight groups of an IPv6 address, without leading zeros. */
function expandIpv6(address: string): string[] {
  let text = address;
  // A trailing dotted IPv4 part is two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16).toString(16));
}
