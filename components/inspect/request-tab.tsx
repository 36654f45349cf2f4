import { Fragment } from "react";
import type { ExchangeRequest } from "@/lib/inspect/exchange";
import { describeReasoningSent, reasoningSent } from "@/lib/inspect/reasoning-sent";
import { JsonBlock } from "./json-block";

const ms = (value: number | undefined) => (value === undefined ? "—" : `${value} ms`);

/** The body that went upstream, where it went, and each attempt with what came back. */
export function RequestTab({ exchange }: { exchange: ExchangeRequest }) {
  const last = exchange.attempts.at(-1);
  return (
    <div className="flex flex-col gap-3">
      <dl aria-label="Destination" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted-foreground">Provider</dt>
        <dd>
          {exchange.provider.label}{" "}
          <span className="text-muted-foreground">({exchange.provider.id})</span>
        </dd>
        <dt className="text-muted-foreground">Model</dt>
        <dd>
          {exchange.model.upstreamId}
          {exchange.model.id !== exchange.model.upstreamId ? (
            <span className="text-muted-foreground"> (chosen as {exchange.model.id})</span>
          ) : null}
        </dd>
        <dt className="text-muted-foreground">Started</dt>
        <dd>{new Date(exchange.startedAt).toLocaleString()}</dd>
      </dl>
      <ReasoningSentLine exchange={exchange} />
      <JsonBlock label="Request body" value={exchange.request.body} />
      <table aria-label="Attempts" className="w-full text-left text-sm">
        <thead className="text-xs text-muted-foreground">
          <tr>
            <th scope="col">Attempt</th>
            <th scope="col">Started at</th>
            <th scope="col">Waited before</th>
            <th scope="col">Status</th>
            <th scope="col">Headers after</th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {exchange.attempts.map((attempt, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>{ms(attempt.atMs)}</td>
              <td>{ms(attempt.waitMs)}</td>
              <td>{attempt.status ?? attempt.error ?? "no response"}</td>
              <td>{ms(attempt.headersMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {last?.headers ? (
        <section aria-label="Response headers" className="text-sm">
          <h4 className="mb-1 text-xs font-semibold">Response headers (last attempt)</h4>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 font-mono text-xs">
            {Object.entries(last.headers).map(([name, value]) => (
              <div key={name} className="contents">
                <dt className="text-muted-foreground">{name}</dt>
                <dd className="break-all">{value}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
    </div>
  );
}

/** Whether this request took reasoning back on assistant messages, read from its body. */
function ReasoningSentLine({ exchange }: { exchange: ExchangeRequest }) {
  const { lead, fields, tail } = describeReasoningSent(reasoningSent(exchange));
  return (
    <p className="text-sm">
      Reasoning sent back: {lead}
      {fields.map((field, i) => (
        <Fragment key={field}>
          {i > 0 ? " and" : ""} <code className="rounded bg-muted px-1 font-mono">{field}</code>
        </Fragment>
      ))}
      {tail ? `, ${tail}` : ""}
    </p>
  );
}
