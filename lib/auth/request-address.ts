import "server-only";
import { env } from "@/lib/env";
import { clientAddress } from "./client-address";

/** The client address of a request under this deployment's TRUST_PROXY_HOPS. */
export function requestAddress(request: Request): string {
  return clientAddress(request.headers, env().TRUST_PROXY_HOPS);
}

/**
 * The address budgets count against besides the owner: in anonymous mode only, where the
 * owner is a cookie the client can drop. Signed-in users are counted by their name alone
 * (a team behind one office address shares nothing but the deployment's budget).
 */
export function budgetAddress(request: Request): string | undefined {
  return env().ACCESS_CODES.length === 0 ? requestAddress(request) : undefined;
}
