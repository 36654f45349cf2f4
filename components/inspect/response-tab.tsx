import { useMemo } from "react";
import { assembleResponse, upstreamFailure } from "@/lib/inspect/assemble";
import type { ParsedChunk } from "@/lib/inspect/chunks";
import type { ExchangeRequest } from "@/lib/inspect/exchange";
import { JsonBlock } from "./json-block";

/** The stream put back together as a non-streamed response; the upstream's error when it failed. */
export function ResponseTab({
  exchange,
  chunks,
}: {
  exchange: ExchangeRequest;
  chunks: ParsedChunk[];
}) {
  const response = useMemo(() => assembleResponse(chunks), [chunks]);
  const failure = useMemo(() => upstreamFailure(exchange, chunks), [exchange, chunks]);
  return (
    <div className="flex flex-col gap-3">
      {failure ? (
        <div className="flex flex-col gap-1">
          <p className="text-sm">
            The upstream answered with an error
            {failure.status ? ` (HTTP ${failure.status})` : " inside the stream"}:
          </p>
          <JsonBlock label="Upstream error" value={failure.body} />
        </div>
      ) : null}
      {response ? (
        <>
          {exchange.omitted ? (
            <p className="text-sm text-muted-foreground">
              Assembled from the lines kept: {exchange.omitted.lines.toLocaleString("en")} lines in
              the middle were left out.
            </p>
          ) : null}
          <JsonBlock label="Assembled response" value={response} />
        </>
      ) : failure ? null : (
        <p className="text-sm text-muted-foreground">No response was received.</p>
      )}
    </div>
  );
}
