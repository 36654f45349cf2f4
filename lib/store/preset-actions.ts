"use client";

import { ThinkpaneError } from "@/lib/errors";
import type { PublicPreset } from "@/lib/presets/schema";
import { callPresets, type PresetActions, usePresets } from "./presets";

/**
 * What changes the caller's presets, each answering with the preset as the server now has it and
 * keeping the list in step. Loaded on first use (import()), not with the page.
 */

const byName = (a: PublicPreset, b: PublicPreset) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

function put(preset: PublicPreset): void {
  const items = usePresets.getState().items.filter((p) => p.id !== preset.id);
  usePresets.setState({ items: [...items, preset].sort(byName) });
}

export const presetActions: PresetActions = {
  create: async (name, settings) => {
    const { preset } = await callPresets<{ preset: PublicPreset }>("/api/presets", {
      method: "POST",
      body: JSON.stringify({ name, settings }),
    });
    put(preset);
    return preset;
  },
  update: async (id, settings) => {
    const { preset } = await callPresets<{ preset: PublicPreset }>(`/api/presets/${id}`, {
      method: "PUT",
      body: JSON.stringify({ settings }),
    });
    put(preset);
    return preset;
  },
  rename: async (id, name) => {
    await callPresets(`/api/presets/${id}`, { method: "PATCH", body: JSON.stringify({ name }) });
    const preset = usePresets.getState().items.find((p) => p.id === id);
    if (preset) put({ ...preset, name });
  },
  remove: async (id) => {
    try {
      await callPresets(`/api/presets/${id}`, { method: "DELETE" });
    } catch (error) {
      // Already gone (another tab): the outcome asked for.
      if (!(ThinkpaneError.is(error) && error.code === "not_found")) throw error;
    }
    usePresets.setState({ items: usePresets.getState().items.filter((p) => p.id !== id) });
  },
};
