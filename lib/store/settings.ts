"use client";

import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";
import {
  paramKeys,
  paramsSchema,
  recommendedParams,
  settingsSchema,
  type ParamKey,
  type ParamValue,
  type ParamValues,
  type Settings,
} from "@/lib/params";

/**
 * The preset last applied, with the settings of the version applied: the panel compares the
 * settings in use with these ("modified"), and each request names the preset and version.
 */
export type AppliedPreset = {
  id: string;
  name: string;
  version: number;
  settings: Settings;
  builtIn?: boolean;
};

function appliedPresetOf(value: unknown): AppliedPreset | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { id, name, version, settings, builtIn } = value as Record<string, unknown>;
  const parsed = settingsSchema.safeParse(settings);
  if (typeof id !== "string" || typeof name !== "string" || typeof version !== "number")
    return undefined;
  return parsed.success
    ? { id, name, version, settings: parsed.data, ...(builtIn === true ? { builtIn } : {}) }
    : undefined;
}

/**
 * The playground's settings, kept in the browser. Parameters live under their wire names;
 * a parameter absent from `params` is unset and not sent.
 */
type SettingsState = {
  model: string | undefined;
  system: string;
  params: ParamValues;
  preset: AppliedPreset | undefined;
  /** Text of editors whose value is JSON, kept while it does not parse yet. */
  drafts: Partial<Record<"json_schema" | "logit_bias", string>>;
  panelOpen: boolean;
  historyOpen: boolean;
  reasoningCollapsed: boolean;
  /** Answer function calls with their tools' saved mocks, without asking (a few rounds at most). */
  autoSubmitMocks: boolean;
  setModel: (model: string) => void;
  setSystem: (system: string) => void;
  setParam: <K extends ParamKey>(key: K, value: ParamValue<K>) => void;
  unsetParam: (key: ParamKey) => void;
  setDraft: (key: "json_schema" | "logit_bias", text: string | undefined) => void;
  setPanelOpen: (open: boolean) => void;
  setHistoryOpen: (open: boolean) => void;
  /** Takes a conversation's settings (model, system prompt, parameters). */
  apply: (settings: { model: string; system?: string; params?: ParamValues }) => void;
  /** Takes a preset's settings and remembers the preset; undefined forgets it. */
  applyPreset: (preset: AppliedPreset | undefined) => void;
  setReasoningCollapsed: (collapsed: boolean) => void;
  setAutoSubmitMocks: (on: boolean) => void;
  reset: () => void;
};

const initial = () => ({
  model: undefined,
  system: "",
  params: recommendedParams(),
  drafts: {},
});

const fromSettings = ({ model, system, params }: Settings) => ({
  model,
  system: system ?? "",
  params: params ?? {},
  drafts: {},
});

export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      ...initial(),
      panelOpen: true,
      historyOpen: true,
      reasoningCollapsed: false,
      autoSubmitMocks: false,
      setAutoSubmitMocks: (autoSubmitMocks) => set({ autoSubmitMocks }),
      setModel: (model) => set({ model }),
      setSystem: (system) => set({ system }),
      setParam: (key, value) => set((s) => ({ params: { ...s.params, [key]: value } })),
      unsetParam: (key) =>
        set((s) => {
          const params = { ...s.params };
          delete params[key];
          return { params };
        }),
      setDraft: (key, text) =>
        set((s) => {
          const drafts = { ...s.drafts };
          if (text === undefined) delete drafts[key];
          else drafts[key] = text;
          return { drafts };
        }),
      setPanelOpen: (panelOpen) => set({ panelOpen }),
      setHistoryOpen: (historyOpen) => set({ historyOpen }),
      apply: (settings) => set(fromSettings({ params: {}, ...settings })),
      preset: undefined,
      applyPreset: (preset) =>
        set(preset ? { ...fromSettings(preset.settings), preset } : { preset: undefined }),
      setReasoningCollapsed: (reasoningCollapsed) => set({ reasoningCollapsed }),
      reset: () => set((s) => ({ ...initial(), model: s.model })),
    }),
    {
      name: "thinkpane.settings",
      version: 1,
      storage: createJSONStorage(() => localStorage),
      // Rehydrated after mount (see Playground) so the server-rendered HTML matches the first render.
      skipHydration: true,
      // What was saved by an older version (or edited by hand) is checked parameter by parameter:
      // a value that no longer validates is dropped rather than sent.
      merge: (persisted, current) => {
        const saved = (persisted ?? {}) as Partial<SettingsState>;
        const params: Record<string, unknown> = {};
        for (const key of paramKeys) {
          const value = saved.params?.[key];
          if (value !== undefined && paramsSchema.shape[key].safeParse(value).success)
            params[key] = value;
        }
        return {
          ...current,
          model: typeof saved.model === "string" ? saved.model : current.model,
          system: typeof saved.system === "string" ? saved.system : current.system,
          params: saved.params ? (params as ParamValues) : current.params,
          drafts: saved.drafts && typeof saved.drafts === "object" ? saved.drafts : current.drafts,
          preset: appliedPresetOf(saved.preset),
          panelOpen: typeof saved.panelOpen === "boolean" ? saved.panelOpen : current.panelOpen,
          historyOpen:
            typeof saved.historyOpen === "boolean" ? saved.historyOpen : current.historyOpen,
          reasoningCollapsed:
            typeof saved.reasoningCollapsed === "boolean"
              ? saved.reasoningCollapsed
              : current.reasoningCollapsed,
          autoSubmitMocks:
            typeof saved.autoSubmitMocks === "boolean"
              ? saved.autoSubmitMocks
              : current.autoSubmitMocks,
        };
      },
      partialize: ({
        model,
        system,
        params,
        drafts,
        preset,
        panelOpen,
        historyOpen,
        reasoningCollapsed,
        autoSubmitMocks,
      }) => ({
        model,
        system,
        params,
        drafts,
        preset,
        panelOpen,
        historyOpen,
        reasoningCollapsed,
        autoSubmitMocks,
      }),
    },
  ),
);
