import { aiSdkCode } from "./ai-sdk";
import { curlCode } from "./curl";
import { jsFetchCode } from "./js-fetch";
import { jsOpenAICode } from "./js-openai";
import { pythonOpenAICode } from "./python-openai";
import { pythonRequestsCode } from "./python-requests";
import type { CodeInput, RequestBody } from "./types";

export type { CodeInput, CodeTarget, RequestBody } from "./types";

export type CodeTab = {
  label: string;
  /** Shiki's language id, for highlighting. */
  language: "bash" | "python" | "javascript";
  /** What Download saves it as. */
  filename: string;
  generate: (input: CodeInput) => string;
};

/** The View code tabs, in order: the provider's own shapes first, then the SDKs. */
export const codeTabs: readonly CodeTab[] = [
  { label: "curl", language: "bash", filename: "request.sh", generate: curlCode },
  {
    label: "Python (requests)",
    language: "python",
    filename: "request.py",
    generate: pythonRequestsCode,
  },
  {
    label: "Python (openai)",
    language: "python",
    filename: "request_openai.py",
    generate: pythonOpenAICode,
  },
  {
    label: "JavaScript (fetch)",
    language: "javascript",
    filename: "request.mjs",
    generate: jsFetchCode,
  },
  {
    label: "JavaScript (openai)",
    language: "javascript",
    filename: "request-openai.mjs",
    generate: jsOpenAICode,
  },
  { label: "AI SDK", language: "javascript", filename: "request-ai-sdk.mjs", generate: aiSdkCode },
];

/**
 * A recorded (streamed) body as the same request made without streaming: the provider call
 * differs only in these two fields. For a fixed body; live previews get both from the dry run.
 */
export function withStream(body: RequestBody, stream: boolean): RequestBody {
  const copy: RequestBody = { ...body };
  if (stream) {
    copy.stream = true;
    copy.stream_options ??= { include_usage: true };
  } else {
    delete copy.stream;
    delete copy.stream_options;
  }
  return copy;
}
