/** A request body as the proxy sends it upstream (JSON). */
export type RequestBody = Record<string, unknown>;

/**
 * Where a snippet sends its request. Variable names only, plus the base URL when the operator
 * calls it public: the key is never in the code, and a private URL stays on the server.
 */
export type CodeTarget = {
  /** The provider's id in the registry, e.g. "aimlapi"; names the AI SDK provider. */
  providerId: string;
  /** Its label, e.g. "AI/ML API". */
  provider: string;
  /** The variable holding the key; absent for servers that need none. */
  keyEnv?: string;
  /** The variable the base URL is read from. */
  baseURLEnv: string;
  /** The public base URL the snippet falls back to; absent when it is not public. */
  baseURL?: string;
};

export type CodeInput = { body: RequestBody; target: CodeTarget; stream: boolean };
