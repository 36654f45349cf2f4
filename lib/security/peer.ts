import "server-only";
import http from "node:http";
import https from "node:https";
import { PEER_HEADER } from "@/lib/auth/client-address";

/**
 * Puts the socket's peer address on every request the server receives, as PEER_HEADER,
 * replacing whatever the client sent under that name. Next.js gives route handlers the
 * request's headers but not its socket, and the X-Forwarded-For it fills in is the client's
 * own when the client sent one; this is the one address the client cannot choose. Installed
 * once, from instrumentation.ts, before any request is handled.
 */
const INSTALLED = Symbol.for("thinkpane.peer-header");

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

export function installPeerHeader(): void {
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as unknown as { emit: Emit; [INSTALLED]?: true };
    if (proto[INSTALLED]) continue;
    const emit = proto.emit;
    proto.emit = function (this: http.Server, event, ...args) {
      if (event === "request") stamp(args[0] as http.IncomingMessage);
      return emit.call(this, event, ...args);
    };
    proto[INSTALLED] = true;
  }
}

export function stamp(request: http.IncomingMessage): void {
  const address = request.socket?.remoteAddress;
  // Gone already (the client hung up): no address, and the header must not be the client's.
  if (address) request.headers[PEER_HEADER] = address;
  else delete request.headers[PEER_HEADER];
}
