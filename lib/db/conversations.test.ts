import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  createConversation,
  deleteConversation,
  getConversation,
  listConversations,
  renameConversation,
  titleFromText,
  touchConversation,
  updateConversationSettings,
} from "@/lib/db/conversations";
import { appendMessage } from "@/lib/db/messages";
import { conversations } from "@/lib/db/schema";
import type { Settings } from "@/lib/params";
import { forEachBackend, uniqueId } from "@/lib/testing/db";

const settings: Settings = { model: "openai/gpt-oss-120b", params: { temperature: 1 } };

describe("titleFromText", () => {
  it("takes the first line with whitespace collapsed", () => {
    expect(titleFromText("  Explain   the\tproof\nof Fermat's theorem")).toBe("Explain the proof");
    expect(titleFromText("\n\n  Hello  \r\nworld")).toBe("Hello");
  });

  it("falls back when there is no text", () => {
    expect(titleFromText("")).toBe("New conversation");
    expect(titleFromText(" \n\t ")).toBe("New conversation");
  });

  it("cuts at 80 characters with an ellipsis, never inside a character", () => {
    expect(titleFromText("a".repeat(80))).toBe("a".repeat(80));
    const long = titleFromText("word ".repeat(40));
    expect(Array.from(long)).toHaveLength(80);
    expect(long.endsWith("…")).toBe(true);
    const emoji = titleFromText("😀".repeat(100));
    expect(emoji).toBe(`${"😀".repeat(79)}…`);
  });
});

describe("conversations", () => {
  forEachBackend((t) => {
    it("creates and reads back a conversation with its messages in order", async () => {
      const ownerId = uniqueId("owner");
      const created = await createConversation({ db: t.db, ownerId, title: "Hello", settings });
      expect(created).toMatchObject({ ownerId, title: "Hello", settings });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      await appendMessage({
        db: t.db,
        conversationId: created.id,
        message: { id: uniqueId("m"), role: "user", parts: [{ type: "text", text: "one" }] },
      });
      await appendMessage({
        db: t.db,
        conversationId: created.id,
        message: { id: uniqueId("m"), role: "assistant", parts: [{ type: "text", text: "two" }] },
      });

      const loaded = await getConversation({ db: t.db, id: created.id, ownerId });
      expect(loaded).toMatchObject({ id: created.id, title: "Hello", settings });
      expect(loaded?.messages.map((m) => [m.seq, m.role, m.parts])).toEqual([
        [1, "user", [{ type: "text", text: "one" }]],
        [2, "assistant", [{ type: "text", text: "two" }]],
      ]);
    });

    it("takes a caller's id, and refuses one that is taken", async () => {
      const id = uniqueId("c");
      await createConversation({ db: t.db, id, ownerId: uniqueId("owner"), title: "x", settings });
      await expect(
        createConversation({ db: t.db, id, ownerId: uniqueId("intruder"), title: "y", settings }),
      ).rejects.toThrow();
    });

    it("shows and changes a conversation only for its owner", async () => {
      const ownerId = uniqueId("owner");
      const other = uniqueId("other");
      const { id } = await createConversation({ db: t.db, ownerId, title: "Mine", settings });
      const changed: Settings = { model: "other-model", params: {} };

      expect(await getConversation({ db: t.db, id, ownerId: other })).toBeUndefined();
      expect(await listConversations({ db: t.db, ownerId: other })).toEqual([]);
      expect(await renameConversation({ db: t.db, id, ownerId: other, title: "Stolen" })).toBe(
        false,
      );
      expect(
        await updateConversationSettings({ db: t.db, id, ownerId: other, settings: changed }),
      ).toBe(false);
      expect(await touchConversation({ db: t.db, id, ownerId: other })).toBe(false);
      expect(await deleteConversation({ db: t.db, id, ownerId: other })).toBe(false);
      expect(await getConversation({ db: t.db, id, ownerId })).toMatchObject({
        title: "Mine",
        settings,
      });

      expect(await renameConversation({ db: t.db, id, ownerId, title: "Renamed" })).toBe(true);
      expect(await updateConversationSettings({ db: t.db, id, ownerId, settings: changed })).toBe(
        true,
      );
      expect(await getConversation({ db: t.db, id, ownerId })).toMatchObject({
        title: "Renamed",
        settings: changed,
      });
      expect(await deleteConversation({ db: t.db, id, ownerId })).toBe(true);
      expect(await getConversation({ db: t.db, id, ownerId })).toBeUndefined();
      expect(await deleteConversation({ db: t.db, id, ownerId })).toBe(false);
      expect(await renameConversation({ db: t.db, id, ownerId, title: "Gone" })).toBe(false);
    });

    it("lists newest activity first, honours the limit, and renaming does not reorder", async () => {
      const ownerId = uniqueId("owner");
      const ids: string[] = [];
      for (const [i, title] of ["first", "second", "third"].entries()) {
        const { id } = await createConversation({ db: t.db, ownerId, title, settings });
        await t.db
          .update(conversations)
          .set({ updatedAt: new Date(Date.UTC(2025, 0, 1 + i)) })
          .where(eq(conversations.id, id));
        ids.push(id);
      }
      const titles = async (limit?: number) =>
        (await listConversations({ db: t.db, ownerId, limit })).map((c) => c.title);

      expect(await titles()).toEqual(["third", "second", "first"]);
      expect(await titles(2)).toEqual(["third", "second"]);

      await renameConversation({ db: t.db, id: ids[0]!, ownerId, title: "first, renamed" });
      expect(await titles()).toEqual(["third", "second", "first, renamed"]);

      expect(await touchConversation({ db: t.db, id: ids[0]!, ownerId })).toBe(true);
      expect(await titles()).toEqual(["first, renamed", "third", "second"]);

      await appendMessage({
        db: t.db,
        conversationId: ids[1]!,
        message: { id: uniqueId("m"), role: "user", parts: [] },
      });
      expect((await titles())[0]).toBe("second");
    });

    it("filters by title, case-insensitively, with % _ and \\ taken literally", async () => {
      const ownerId = uniqueId("owner");
      for (const title of [
        "Rust ownership",
        "TRUSTED types",
        "100% coverage",
        "1000 coverage",
        "snake_case names",
        "snakeXcase names",
        "back\\slash",
        "backslash",
        "Über alles",
      ]) {
        await createConversation({ db: t.db, ownerId, title, settings });
      }
      const search = async (query: string) =>
        (await listConversations({ db: t.db, ownerId, query })).map((c) => c.title).sort();

      expect(await search("rust")).toEqual(["Rust ownership", "TRUSTED types"]);
      expect(await search("0%")).toEqual(["100% coverage"]);
      expect(await search("%")).toEqual(["100% coverage"]);
      expect(await search("_")).toEqual(["snake_case names"]);
      expect(await search("k\\s")).toEqual(["back\\slash"]);
      expect(await search("über")).toEqual(["Über alles"]);
      expect(await search("  rust  ")).toEqual(["Rust ownership", "TRUSTED types"]);
      expect(await search("")).toHaveLength(9);
      expect(await search("nothing like it")).toEqual([]);
    });
  });
});
