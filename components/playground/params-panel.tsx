"use client";

import { RotateCcw } from "lucide-react";
import { memo, useId } from "react";
import { Button } from "@/components/ui/button";
import { paramGroups, paramKeys, params, setParamKeys, type ParamKey } from "@/lib/params";
import { useSettings } from "@/lib/store/settings";
import type { PublicModel } from "@/lib/types";
import {
  BooleanControl,
  EnumControl,
  LogitBiasControl,
  NumberControl,
  TextControl,
} from "./param-controls";
import { ResponseFormatControl } from "./response-format-control";
import { PresetPicker } from "./preset-picker";
import { ToolChoiceControl, ToolsControl } from "./tool-controls";

function Control({ paramKey, model }: { paramKey: ParamKey; model: PublicModel | undefined }) {
  const d = params[paramKey];
  switch (d.kind) {
    case "number":
    case "integer":
      return <NumberControl paramKey={paramKey} />;
    case "enum":
      return <EnumControl paramKey={paramKey} />;
    case "text":
      return <TextControl paramKey={paramKey} />;
    case "json":
      return <LogitBiasControl />;
    case "response_format":
      return <ResponseFormatControl model={model} />;
    case "boolean":
      return <BooleanControl paramKey={paramKey} />;
    case "tools":
      return <ToolsControl />;
    case "tool_choice":
      return <ToolChoiceControl />;
  }
}

type Props = { id: string; models: PublicModel[]; modelId: string };

/** Every request parameter, rendered from lib/params.ts. Unset parameters are not sent. */
/** Memoised: the playground re-renders with every streamed update, the panel need not. */
export const ParamsPanel = memo(function ParamsPanel({ id, models, modelId }: Props) {
  const modelSelectId = useId();
  const systemId = useId();
  const setModel = useSettings((s) => s.setModel);
  const system = useSettings((s) => s.system);
  const setSystem = useSettings((s) => s.setSystem);
  const reset = useSettings((s) => s.reset);
  const setCount = useSettings((s) => setParamKeys(s.params).length);
  const model = models.find((m) => m.id === modelId);

  return (
    <aside
      id={id}
      aria-label="Parameters"
      className="flex h-full flex-col overflow-hidden border-l bg-sidebar"
    >
      <div className="flex items-center gap-2 border-b px-4 py-3">
        <h2 className="text-sm font-semibold">Parameters</h2>
        <span className="text-xs text-muted-foreground" aria-live="polite">
          {setCount} set
        </span>
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto"
          onClick={reset}
          title="temperature 1, top_p 1, reasoning effort medium; everything else unset"
        >
          <RotateCcw aria-hidden />
          Reset to defaults
        </Button>
      </div>
      <div className="flex-1 space-y-6 overflow-y-auto px-4 py-4">
        <PresetPicker modelId={modelId} />
        <div className="flex flex-col gap-1.5">
          <label htmlFor={modelSelectId} className="text-sm font-medium">
            Model
          </label>
          <select
            id={modelSelectId}
            value={modelId}
            onChange={(e) => setModel(e.target.value)}
            className="w-full rounded-md border border-input bg-background px-2 py-1.5 text-sm"
          >
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label} · {m.provider}
                {m.ready ? "" : " (no key)"}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={systemId} className="text-sm font-medium">
            System prompt
          </label>
          <textarea
            id={systemId}
            rows={4}
            value={system}
            placeholder="You are a helpful assistant."
            onChange={(e) => setSystem(e.target.value)}
            className="w-full resize-y rounded-md border border-input bg-background px-2 py-1.5 text-sm"
          />
        </div>
        {paramGroups.map((group) => (
          <fieldset key={group.id} className="flex flex-col gap-4">
            <legend className="mb-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
              {group.label}
            </legend>
            {paramKeys
              .filter((key) => params[key].group === group.id)
              .map((key) => (
                <Control key={key} paramKey={key} model={model} />
              ))}
          </fieldset>
        ))}
      </div>
    </aside>
  );
});
