"use client";

import { create } from "zustand";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import type { PublicPreset } from "@/lib/presets/schema";

/**
 * The caller's saved presets (the built-in ones live in lib/presets/builtins). The list loads
 * with the page; the actions that change it (presetActions) load when first used.
 */

type State = {
  items: PublicPreset[];
  loaded: boolean;
  error: string | undefined;
  refresh: () => Promise<void>;
  /** As refresh, but joins a fetch already under way: every Compare column mounts at once. */
  load: () => Promise<void>;
};

/** A call to the presets API: the JSON answer, or a ThinkpaneError whose message can be shown. */
export async function callPresets<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    cache: "no-store",
    headers: init.body ? { "content-type": "application/json" } : undefined,
  });
  if (!response.ok) throw ThinkpaneError.fromText(await response.text());
  return (response.status === 204 ? undefined : await response.json()) as T;
}

let loading: Promise<void> | undefined;

export const usePresets = create<State>()((set, get) => ({
  items: [],
  loaded: false,
  error: undefined,
  refresh: async () => {
    try {
      const { presets } = await callPresets<{ presets: PublicPreset[] }>("/api/presets");
      set({ items: presets, loaded: true, error: undefined });
    } catch (error) {
      set({ loaded: true, error: `Could not load presets: ${(error as Error).message}` });
    }
  },
  load: () =>
    (loading ??= get()
      .refresh()
      .finally(() => {
        loading = undefined;
      })),
}));

export type PresetActions = {
  create: (name: string, settings: Settings) => Promise<PublicPreset>;
  /** Saves the settings as the preset's next version. */
  update: (id: string, settings: Settings) => Promise<PublicPreset>;
  rename: (id: string, name: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
};
