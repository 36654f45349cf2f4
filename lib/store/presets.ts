"use client";

import { create } from "zustand";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import type { PublicPreset } from "@/lib/presets/schema";

/**
 * The caller's saved presets (the built-in ones live in lib/presets/builtins). Each action
 * answers with the preset as the server now has it, or throws a ThinkpaneError whose message
 * can be shown as it is.
 */

type State = {
  items: PublicPreset[];
  loaded: boolean;
  error: string | undefined;
  refresh: () => Promise<void>;
  create: (name: string, settings: Settings) => Promise<PublicPreset>;
  /** Saves the settings as the preset's next version. */
  update: (id: string, settings: Settings) => Promise<PublicPreset>;
  rename: (id: string, name: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
};

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    cache: "no-store",
    headers: init.body ? { "content-type": "application/json" } : undefined,
  });
  if (!response.ok) throw ThinkpaneError.fromText(await response.text());
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const byName = (a: PublicPreset, b: PublicPreset) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

export const usePresets = create<State>()((set, get) => {
  const put = (preset: PublicPreset) =>
    set({ items: [...get().items.filter((p) => p.id !== preset.id), preset].sort(byName) });
  return {
    items: [],
    loaded: false,
    error: undefined,
    refresh: async () => {
      try {
        const { presets } = await call<{ presets: PublicPreset[] }>("/api/presets");
        set({ items: presets, loaded: true, error: undefined });
      } catch (error) {
        set({ loaded: true, error: `Could not load presets: ${(error as Error).message}` });
      }
    },
    create: async (name, settings) => {
      const { preset } = await call<{ preset: PublicPreset }>("/api/presets", {
        method: "POST",
        body: JSON.stringify({ name, settings }),
      });
      put(preset);
      return preset;
    },
    update: async (id, settings) => {
      const { preset } = await call<{ preset: PublicPreset }>(`/api/presets/${id}`, {
        method: "PUT",
        body: JSON.stringify({ settings }),
      });
      put(preset);
      return preset;
    },
    rename: async (id, name) => {
      await call(`/api/presets/${id}`, { method: "PATCH", body: JSON.stringify({ name }) });
      const preset = get().items.find((p) => p.id === id);
      if (preset) put({ ...preset, name });
    },
    remove: async (id) => {
      try {
        await call(`/api/presets/${id}`, { method: "DELETE" });
      } catch (error) {
        // Already gone (another tab): the outcome asked for.
        if (!(ThinkpaneError.is(error) && error.code === "not_found")) throw error;
      }
      set({ items: get().items.filter((p) => p.id !== id) });
    },
  };
});
