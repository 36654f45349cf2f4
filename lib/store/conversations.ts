"use client";

import { create } from "zustand";

export type ConversationSummary = { id: string; title: string; updatedAt: string };

type State = {
  items: ConversationSummary[];
  query: string;
  loaded: boolean;
  error: string | undefined;
  setQuery: (query: string) => void;
  refresh: () => Promise<void>;
};

/** The history sidebar's list: fetched from /api/conversations, refreshed after each turn. */
export const useConversationList = create<State>()((set, get) => ({
  items: [],
  query: "",
  loaded: false,
  error: undefined,
  setQuery: (query) => {
    set({ query });
    void get().refresh();
  },
  refresh: async () => {
    const query = get().query.trim();
    try {
      const response = await fetch(
        `/api/conversations${query ? `?q=${encodeURIComponent(query)}` : ""}`,
        { cache: "no-store" },
      );
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { conversations } = (await response.json()) as { conversations: ConversationSummary[] };
      // A slower answer to an older query must not overwrite a newer one.
      if (get().query.trim() === query)
        set({ items: conversations, loaded: true, error: undefined });
    } catch (error) {
      set({
        error: `Could not load conversations (${error instanceof Error ? error.message : String(error)}).`,
        loaded: true,
      });
    }
  },
}));
