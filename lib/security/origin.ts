import { ThinkpaneError, type ErrorCode } from "@/lib/errors";

/**
 * Cross-site request forgery guard: a request that changes state must come from this app's own
 * pages. Browsers send Origin with every POST/PUT/PATCH/DELETE, and a page on another site cannot
 * forge it. Requests with neither Origin nor Sec-Fetch-Site (curl, server to server) carry no
 * browser's cookies, so they are let through.
 */

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const FORBIDDEN_ORIGIN_CODE = "forbidden:origin" satisfies ErrorCode;

type RequestLike = { method: string; headers: Headers };

const DEFAULT_PORTS: Record<string, string> = { "http:": "80", "https:": "443" };

function normaliseHost(host: string, protocol: string): string {
  const value = host.trim().toLowerCase();
  const port = DEFAULT_PORTS[protocol];
  return port && value.endsWith(`:${port}`) ? value.slice(0, -(port.length + 1)) : value;
}

/**
 * The hosts this server answers as: the Host header and, behind a load balancer that rewrites
 * Host, the first X-Forwarded-Host. Trusting the latter does not weaken the guard: a page on
 * another site cannot make the browser send a custom header without a CORS preflight, which
 * this app never grants.
 */
function ownHosts(headers: Headers, protocol: string): string[] {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0];
  return [headers.get("host"), forwarded]
    .filter((host): host is string => !!host && host.trim() !== "")
    .map((host) => normaliseHost(host, protocol));
}

/**
 * Whether the Origin is this server's own. Only the host and port are compared: Host carries no
 * scheme, and behind a TLS-terminating proxy the app itself sees plain HTTP.
 */
export function isSameOrigin(origin: string, headers: Headers): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // Includes "null", sent by sandboxed frames and opaque origins.
  }
  if (!(url.protocol in DEFAULT_PORTS)) return false;
  return ownHosts(headers, url.protocol).includes(url.host.toLowerCase());
}

/** True when a state-changing request comes from another site and must be refused. */
export function isCrossOriginWrite({ method, headers }: RequestLike): boolean {
  if (!STATE_CHANGING.has(method.toUpperCase())) return false;
  const origin = headers.get("origin");
  if (origin !== null) return !isSameOrigin(origin, headers);
  // No Origin: fall back to Fetch Metadata. "same-site" is still another origin (a sibling subdomain).
  const site = headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

/** The coded 403 for a refused cross-origin request, in the app's usual error shape. */
export function forbiddenOriginResponse(): Response {
  return new ThinkpaneError(FORBIDDEN_ORIGIN_CODE).toResponse();
}
