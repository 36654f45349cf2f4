/**
 * The address to count sign-in failures against. Behind a reverse proxy this is the first
 * X-Forwarded-For entry (the client as the proxy saw it); served directly, Next.js fills the
 * header with the socket's address when the client sent none. A client talking to the app
 * directly can choose the header, so deployments should sit behind a proxy that sets it
 * (README), and codes should be long enough that the per-client limit is not all that stands
 * in the way.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const real = headers.get("x-real-ip")?.trim();
  return (forwarded || real || "unknown").slice(0, 64);
}
