/**
 * Whether the server is open to more than this machine without sign-in: then anyone who can
 * reach it spends the key (within the budgets). Read from the address the standalone server
 * listens on (HOSTNAME; unset means every interface). Inside a container that address is
 * 0.0.0.0 even when the port is published on loopback only, so the warning says how to tell.
 */

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

export function isLoopbackHost(hostname: string | undefined): boolean {
  return hostname !== undefined && LOOPBACK.test(hostname.trim());
}

export function exposureWarning({
  hostname,
  signIn,
}: {
  hostname: string | undefined;
  signIn: boolean;
}): string | undefined {
  if (signIn || isLoopbackHost(hostname)) return undefined;
  const where = hostname?.trim() ? hostname.trim() : "every interface";
  return (
    `Listening on ${where} without ACCESS_CODES: anyone who can reach this server can spend its API key, ` +
    "up to the per-address and deployment budgets. Set ACCESS_CODES, or listen on 127.0.0.1 (HOSTNAME) " +
    "and put an authenticating proxy in front. In a container whose port is published on 127.0.0.1 only, this is expected."
  );
}
