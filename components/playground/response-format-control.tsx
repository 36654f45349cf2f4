"use client";

import { useSettings } from "@/lib/store/settings";
import type { PublicModel } from "@/lib/types";
import { ResponseFormatField } from "./response-format-field";

/** response_format in the parameter panel, bound to the playground's settings. */
export function ResponseFormatControl({ model }: { model: PublicModel | undefined }) {
  const value = useSettings((s) => s.params.response_format);
  const draft = useSettings((s) => s.drafts.json_schema);
  const setParam = useSettings((s) => s.setParam);
  const unset = useSettings((s) => s.unsetParam);
  const setDraft = useSettings((s) => s.setDraft);
  return (
    <ResponseFormatField
      model={model}
      value={value}
      draft={draft}
      onChange={(next) =>
        next === undefined ? unset("response_format") : setParam("response_format", next)
      }
      onDraft={(text) => setDraft("json_schema", text)}
    />
  );
}
