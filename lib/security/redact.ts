/**
 * Removes what looks like a credential from text that is shown to a person or stored: an
 * upstream's error message can echo a key (its own, a header it was sent, a URL with a key in
 * its query), and not always the exact key this server configured. Pure and dependency-free:
 * the server scrubs upstream words with it, the client scrubs error text it could not parse.
 *
 * Over-redacting an error message costs little; leaking a key costs a lot. Canonical UUIDs
 * are kept (upstreams put request ids in their messages, and those help support).
 */

export const REDACTED = "[redacted]";

/** Keys with a recognisable prefix: OpenAI and compatibles, Stripe-style, GitHub, Slack, Google, AWS, Hugging Face, Groq, Replicate, JWTs. */
const PREFIXED: RegExp[] = [
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{6,}/g,
  /\b(?:sk|pk|rk)_(?:live|test|proj)_[A-Za-z0-9_]{6,}/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{16,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{16,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/g,
  /\bAIza[A-Za-z0-9_-]{20,}/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{12,}/g,
  /\bhf_[A-Za-z0-9]{16,}/g,
  /\bgsk_[A-Za-z0-9]{16,}/g,
  /\br8_[A-Za-z0-9]{16,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
];

/** "Bearer <token>", "Basic <credentials>", "Token <token>" (headers echoed back in a message). */
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Api-Key|ApiKey)(\s+|%20|\+)[A-Za-z0-9._~+/=-]{8,}/gi;

/** Names under which a secret travels in a query string, a form, JSON or a header dump. */
const SECRET_NAME =
  "(?:api[_-]?key|apikey|x-api-key|key|access[_-]?token|refresh[_-]?token|auth[_-]?token|id[_-]?token|token|secret|client[_-]?secret|password|passwd|pwd|authorization|auth|sig|signature|session)";

/** name=value in a URL or form (value up to the next separator). */
const NAME_EQUALS = new RegExp(`(\\b${SECRET_NAME}=)([^&\\s"'<>;,]+)`, "gi");

/** "name": "value" or name: value in JSON, YAML or a header dump. */
const NAME_COLON = new RegExp(`(["']?\\b${SECRET_NAME}["']?\\s*:\\s*["']?)([^"'\\s,;}]{6,})`, "gi");

/** Long runs of key-like characters, checked one by one with `looksRandom`. */
const LONG_TOKEN = /[A-Za-z0-9_+/=-]{24,}/g;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function entropyPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A long token of mixed letters and digits with high entropy: a key, a hash or a signature.
 * Words joined by hyphens or underscores ("max_completion_tokens_exceeded") have no digits or
 * low entropy; model names ("Llama-3.3-70B-Instruct") have dots and no long run.
 */
function looksRandom(token: string): boolean {
  if (UUID.test(token)) return false;
  const digits = token.replace(/[^0-9]/g, "").length;
  const letters = token.replace(/[^A-Za-z]/g, "").length;
  if (digits < 2 || letters < 2) return false;
  // The longest stretch without a separator: keys are one long run.
  const longestRun = Math.max(...token.split(/[_/-]/).map((part) => part.length));
  if (longestRun < 16) return false;
  return entropyPerChar(token) >= 3;
}

/** The text with every key-looking part replaced by "[redacted]". */
export function redactKeyLike(text: string): string {
  let out = text;
  for (const pattern of PREFIXED) out = out.replace(pattern, REDACTED);
  out = out.replace(
    AUTH_SCHEME,
    (_match, scheme: string, gap: string) => `${scheme}${gap}${REDACTED}`,
  );
  out = out.replace(NAME_EQUALS, (_match, name: string) => `${name}${REDACTED}`);
  out = out.replace(NAME_COLON, (match, name: string, value: string) =>
    value === REDACTED || value.startsWith("[redacted") ? match : `${name}${REDACTED}`,
  );
  out = out.replace(LONG_TOKEN, (token) => (looksRandom(token) ? REDACTED : token));
  return out;
}
