import {
  type AnyPgColumn,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import type { Exchange } from "@/lib/inspect/exchange";
import type { Settings } from "@/lib/params";
import type { ThinkpaneUIMessage, TurnMetadata } from "@/lib/types";

/**
 * One schema for both dialects (PGlite and PostgreSQL). The migrations in ./migrations are
 * written by hand to match it; lib/db/schema.test.ts proves they do.
 */

export type MessageRole = "user" | "assistant";

/** "streaming" rows are heartbeated (updatedAt) while a turn runs; a stale one becomes "interrupted". */
export type MessageStatus = "done" | "streaming" | "stopped" | "error" | "interrupted";

/** A frozen copy of a conversation, taken when a share link is created. */
export type ShareSnapshot = {
  title: string;
  /** ISO 8601. */
  createdAt: string;
  messages: {
    id: string;
    role: MessageRole;
    parts: ThinkpaneUIMessage["parts"];
    metadata?: TurnMetadata;
    status: MessageStatus;
  }[];
  settings?: Settings;
  /** Set when the share is of a comparison (then `messages` is empty). */
  comparison?: ComparisonSnapshot;
};

/** A frozen comparison: its settings and every column's answers. */
export type ComparisonSnapshot = {
  spec: ComparisonSpec;
  runs: {
    column: number;
    run: number;
    parts: ThinkpaneUIMessage["parts"];
    metadata?: TurnMetadata;
    status: MessageStatus;
  }[];
};

const createdAt = () => timestamp("created_at", { withTimezone: true }).defaultNow().notNull();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).defaultNow().notNull();

export const conversations = pgTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id").notNull(),
    title: text("title").notNull(),
    settings: jsonb("settings").$type<Settings>().notNull(),
    createdAt: createdAt(),
    /** Last activity (a message appended, or touchConversation); lists sort by it. */
    updatedAt: updatedAt(),
    // Added by 0005_message_tree.
    /**
     * The last message of the path shown (lib/conversations/tree.ts); null while there are no
     * messages. The path is the walk up parent ids from here, so choosing a version is one write.
     * No foreign key: a leaf that is gone (never expected) reads as the newest message instead.
     */
    activeLeafId: text("active_leaf_id"),
  },
  (t) => [index("conversations_owner_id_updated_at_idx").on(t.ownerId, t.updatedAt)],
);

export const messages = pgTable(
  "messages",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /**
     * Insertion order in the conversation, 1-based, assigned by appendMessage; the order of the
     * path shown comes from parent ids, not from seq.
     */
    seq: integer("seq").notNull(),
    role: text("role").$type<MessageRole>().notNull(),
    parts: jsonb("parts").$type<ThinkpaneUIMessage["parts"]>().notNull(),
    metadata: jsonb("metadata").$type<TurnMetadata>(),
    status: text("status").$type<MessageStatus>().notNull().default("done"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // Added by 0005_message_tree.
    /**
     * The message this one answers or follows; null for a first message. Versions of a turn
     * (regenerate, edit) are siblings: messages with the same parent.
     */
    parentId: text("parent_id").references((): AnyPgColumn => messages.id, {
      onDelete: "cascade",
    }),
  },
  (t) => [
    unique("messages_conversation_id_seq_key").on(t.conversationId, t.seq),
    index("messages_parent_id_idx").on(t.parentId),
  ],
);

export const shares = pgTable(
  "shares",
  {
    token: text("token").primaryKey(),
    /** The conversation shared; null for a comparison's share (comparisonId). */
    conversationId: text("conversation_id").references(() => conversations.id, {
      onDelete: "cascade",
    }),
    ownerId: text("owner_id").notNull(),
    snapshot: jsonb("snapshot").$type<ShareSnapshot>().notNull(),
    includeReasoning: boolean("include_reasoning").notNull(),
    includeSettings: boolean("include_settings").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
    // Added by 0002_exchanges, hence last.
    /** Whether the link serves the turns' raw exchanges ("Include raw exchange"). */
    includeExchange: boolean("include_exchange").notNull().default(false),
    /** The raw exchanges, frozen with the snapshot, by message id; null unless included. */
    exchanges: jsonb("exchanges").$type<Record<string, Exchange>>(),
    // Added by 0004_comparisons.
    /** The comparison shared (Compare); null for a conversation's share. */
    comparisonId: text("comparison_id").references(() => comparisons.id, {
      onDelete: "cascade",
    }),
  },
  (t) => [index("shares_conversation_id_idx").on(t.conversationId)],
);

/**
 * The raw exchange of an assistant turn (Inspect): one row per assistant message, gone with it.
 * A tool loop's requests share the row, the earlier ones inside `data` (lib/inspect/exchange.ts).
 */
export const exchanges = pgTable(
  "exchanges",
  {
    messageId: text("message_id")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    data: jsonb("data").$type<Exchange>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("exchanges_conversation_id_idx").on(t.conversationId)],
);

export const appSecrets = pgTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

/**
 * The usage ledger: one row per finished turn (done, stopped or failed), with what it cost.
 * Rows outlive their conversation (no foreign key): deleting a chat does not undo its spend.
 */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: text("id").primaryKey(),
    /** The owner: "user:<name>" with access codes, an anonymous browser id without. */
    ownerId: text("owner_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    messageId: text("message_id").notNull(),
    model: text("model").notNull(),
    status: text("status").$type<MessageStatus>().notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    /** Everything generated, reasoning included (the upstream's completion_tokens). */
    completionTokens: integer("completion_tokens").notNull().default(0),
    /** The part of completionTokens spent reasoning. */
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    /** The upstream's own figure when it reports one (AI/ML API does), else null. */
    costUsd: doublePrecision("cost_usd"),
    /** True when token counts are estimates (the upstream sent no usage, e.g. a stopped turn). */
    estimated: boolean("estimated").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("usage_events_created_at_owner_id_idx").on(t.createdAt, t.ownerId)],
);

/**
 * A named set of settings (model, system prompt, parameters) of one owner. Its settings live in
 * preset_versions: saving changes adds a version, so what a turn recorded keeps its meaning.
 */
export const presets = pgTable(
  "presets",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id").notNull(),
    name: text("name").notNull(),
    /** The newest version's number; versions count from 1. */
    version: integer("version").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique("presets_owner_id_name_key").on(t.ownerId, t.name)],
);

/** One saved state of a preset; never updated once written. */
export const presetVersions = pgTable(
  "preset_versions",
  {
    id: text("id").primaryKey(),
    presetId: text("preset_id")
      .notNull()
      .references(() => presets.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    settings: jsonb("settings").$type<Settings>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique("preset_versions_preset_id_version_key").on(t.presetId, t.version)],
);

/** What a comparison asks: one prompt, and each column's settings (lib/compare/schema.ts). */
export type ComparisonSpec = {
  prompt: string;
  /** The shared system prompt; a column's own `system` overrides it. */
  system?: string;
  columns: { settings: Settings; overrideSystem?: boolean }[];
  runsPerColumn: number;
  sequential: boolean;
};

/** One prompt run under several settings side by side (Compare); its answers in comparison_runs. */
export const comparisons = pgTable(
  "comparisons",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id").notNull(),
    title: text("title").notNull(),
    spec: jsonb("spec").$type<ComparisonSpec>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("comparisons_owner_id_updated_at_idx").on(t.ownerId, t.updatedAt)],
);

/** One answer of one column of a comparison; id is `<comparison>:<column>:<run>`. */
export const comparisonRuns = pgTable(
  "comparison_runs",
  {
    id: text("id").primaryKey(),
    comparisonId: text("comparison_id")
      .notNull()
      .references(() => comparisons.id, { onDelete: "cascade" }),
    column: integer("column_index").notNull(),
    run: integer("run_index").notNull(),
    parts: jsonb("parts").$type<ThinkpaneUIMessage["parts"]>().notNull(),
    metadata: jsonb("metadata").$type<TurnMetadata>(),
    status: text("status").$type<MessageStatus>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [index("comparison_runs_comparison_id_idx").on(t.comparisonId)],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type ShareRow = typeof shares.$inferSelect;
export type ExchangeRow = typeof exchanges.$inferSelect;
export type UsageEventRow = typeof usageEvents.$inferSelect;
export type PresetRow = typeof presets.$inferSelect;
export type PresetVersionRow = typeof presetVersions.$inferSelect;
export type ComparisonRow = typeof comparisons.$inferSelect;
export type ComparisonRunRow = typeof comparisonRuns.$inferSelect;
