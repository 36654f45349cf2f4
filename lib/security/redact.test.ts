import { describe, expect, it } from "vitest";
import { REDACTED, redactKeyLike } from "./redact";

/** Built at run time: no key-shaped literal sits in the source for scanners to flag. */
const SK = ["sk", ""].join("-");

/** Each text carries one secret (the second element), which must not survive. */
const WITH_SECRETS: [string, string][] = [
  [`Incorrect API key provided: ${SK}abc123DEF456ghi789JKL.`, `${SK}abc123DEF456ghi789JKL`],
  [`key ${SK}proj-Ab3dEf6hIj9kLm2nOp5qRs8t is over quota`, `${SK}proj-Ab3dEf6hIj9kLm2nOp5qRs8t`],
  [
    `OpenRouter: invalid key ${SK}or-v1-0a1b2c3d4e5f67890a1b2c3d`,
    `${SK}or-v1-0a1b2c3d4e5f67890a1b2c3d`,
  ],
  [`Anthropic says ${SK}ant-api03-AbCdEf123456-xyz`, `${SK}ant-api03-AbCdEf123456-xyz`],
  ["stripe sk_live_51HxYzAbCdEf123456", "sk_live_51HxYzAbCdEf123456"],
  [
    "Authorization: Bearer eyJhbGciOi.eyJzdWIiOiIx.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  ],
  ["header was Bearer abcdef0123456789abcdef", "abcdef0123456789abcdef"],
  ["header was bearer%20Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"],
  ["Basic dXNlcjpwYXNzd29yZA== rejected", "dXNlcjpwYXNzd29yZA=="],
  ["GET https://api.example/v1/models?key=AbC123xYz789 failed", "AbC123xYz789"],
  ["GET https://api.example/v1/models?api_key=hunter2hunter2&x=1", "hunter2hunter2"],
  ["see /v1/chat?foo=1&apikey=q1w2e3r4t5 for details", "q1w2e3r4t5"],
  ["redirect to /cb?access_token=ya29.a0AfH6SMB&state=x", "ya29.a0AfH6SMB"],
  ["callback /cb?token=plainwordsecret", "plainwordsecret"],
  ["signed url ?X-Amz-Signature=9f86d081884c7d65&sig=abcdef123456", "abcdef123456"],
  ['{"api_key": "my-own-secret-value"} was refused', "my-own-secret-value"],
  ["x-api-key: 0123456789abcdef0123 invalid", "0123456789abcdef0123"],
  ["password: correcthorse rejected", "correcthorse"],
  ["client_secret=s3cr3tValue!", "s3cr3tValue!"],
  ["AI/ML API key 4f9a1c2e8b7d6a5f4e3d2c1b0a9f8e7d not valid", "4f9a1c2e8b7d6a5f4e3d2c1b0a9f8e7d"],
  ["token Zx8Qm2Lp9Rt4Vw7Yb3Nc6Hd1Kf5Gj0Sa is unknown", "Zx8Qm2Lp9Rt4Vw7Yb3Nc6Hd1Kf5Gj0Sa"],
  [
    "base64 key aGVsbG8gd29ybGQgdGhpcyBpcyBhIGtleQ12 rejected",
    "aGVsbG8gd29ybGQgdGhpcyBpcyBhIGtleQ12",
  ],
  ["github ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
  [
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
  ],
  ["slack xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij"],
  ["google AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv", "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv"],
  ["aws AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE"],
  ["hf hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345"],
  ["groq gsk_AbCdEfGhIjKlMnOpQrStUvWx0123", "gsk_AbCdEfGhIjKlMnOpQrStUvWx0123"],
  ["replicate r8_AbCdEfGhIjKlMnOpQrSt0123", "r8_AbCdEfGhIjKlMnOpQrSt0123"],
  ["jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123def456", "eyJhbGciOiJIUzI1NiJ9"],
  [`echo: ${SK}THINKPANE-7f3a9c and more`, `${SK}THINKPANE-7f3a9c`],
];

/** Upstream words that carry no secret and must come through as they are. */
const BENIGN = [
  "max_tokens or model output limit was reached",
  "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens.",
  "The model meta-llama/Llama-3.3-70B-Instruct-Turbo does not exist",
  "openai/gpt-oss-120b is temporarily unavailable",
  "Rate limit reached for requests. Limit: 20, Used: 20, Requested: 1.",
  "request id 2b1f3c1e-1d2b-4d7e-9a1a-0c2f1d2e3f4a",
  "Invalid value for 'reasoning_effort': expected one of low, medium, high",
  "insufficient_quota: You exceeded your current quota, please check your plan and billing details.",
  "POST /v1/chat/completions returned 502",
  "tokens: 5000",
  "Your API key is invalid. Check the key and try again.",
];

describe("redactKeyLike", () => {
  it.each(WITH_SECRETS)("scrubs %j", (text, secret) => {
    const out = redactKeyLike(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it.each(BENIGN.map((text) => [text]))("keeps %j", (text) => {
    expect(redactKeyLike(text)).toBe(text);
  });

  it("keeps the words around a key", () => {
    expect(redactKeyLike(`Incorrect API key provided: ${SK}abc123DEF456ghi789JKL.`)).toBe(
      "Incorrect API key provided: [redacted].",
    );
    expect(redactKeyLike("https://x.example/v1?a=1&key=AbC123xYz789&b=2")).toBe(
      "https://x.example/v1?a=1&key=[redacted]&b=2",
    );
  });
});
