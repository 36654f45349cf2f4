import { is, SQL, sql } from "drizzle-orm";
import { getTableConfig, PgDialect, type PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import type { Exchange } from "@/lib/inspect/exchange";
import {
  appSecrets,
  conversations,
  exchanges,
  messages,
  presets,
  presetVersions,
  comparisons,
  comparisonRuns,
  shares,
  usageEvents,
} from "@/lib/db/schema";
import { forEachBackend } from "@/lib/testing/db";

const tables: PgTable[] = [
  conversations,
  messages,
  shares,
  appSecrets,
  usageEvents,
  exchanges,
  presets,
  presetVersions,
  comparisons,
  comparisonRuns,
];
const dialect = new PgDialect();

type Column = { name: string; type: string; nullable: boolean; default: string | null };

/** What the migrated database should hold, as drizzle's schema describes it. */
function expectedColumns(table: PgTable): Column[] {
  return getTableConfig(table).columns.map((column) => ({
    name: column.name,
    type: column.getSQLType(),
    nullable: !column.notNull,
    default:
      column.default === undefined
        ? null
        : is(column.default, SQL)
          ? dialect.sqlToQuery(column.default).sql
          : typeof column.default === "string"
            ? `'${column.default}'::text`
            : String(column.default),
  }));
}

function expectedConstraints(table: PgTable): string[] {
  const config = getTableConfig(table);
  const list = (names: string[]) => names.join(", ");
  const primary = config.columns.filter((c) => c.primary).map((c) => c.name);
  return [
    `p PRIMARY KEY (${list(primary)})`,
    ...config.uniqueConstraints.map(
      (u) => `u ${u.getName()} UNIQUE (${list(u.columns.map((c) => c.name))})`,
    ),
    ...config.foreignKeys.map((fk) => {
      const ref = fk.reference();
      const onDelete =
        fk.onDelete && fk.onDelete !== "no action" ? ` ON DELETE ${fk.onDelete}` : "";
      return `f ${fk.getName()} FOREIGN KEY (${list(ref.columns.map((c) => c.name))}) REFERENCES ${getTableConfig(ref.foreignTable).name}(${list(ref.foreignColumns.map((c) => c.name))})${onDelete.toUpperCase()}`;
    }),
  ].sort();
}

function expectedIndexes(table: PgTable): string[] {
  return getTableConfig(table)
    .indexes.map(
      (index) =>
        `${index.config.unique ? "unique " : ""}${index.config.name} (${index.config.columns
          .map((c) => ("name" in c ? c.name : "?"))
          .join(", ")})`,
    )
    .sort();
}

async function rows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return (await db.execute<T>(query)).rows;
}

async function actualColumns(db: Db, table: string): Promise<Column[]> {
  const found = await rows<{
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
  }>(
    db,
    sql`SELECT column_name, data_type, is_nullable, column_default
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ${table}
        ORDER BY ordinal_position`,
  );
  return found.map((c) => ({
    name: c.column_name,
    type: c.data_type,
    nullable: c.is_nullable === "YES",
    default: c.column_default,
  }));
}

async function actualConstraints(db: Db, table: string): Promise<string[]> {
  // Only primary, unique and foreign keys: PostgreSQL 18 (PGlite) also lists NOT NULL here.
  const found = await rows<{ contype: string; conname: string; def: string }>(
    db,
    sql`SELECT contype, conname, pg_get_constraintdef(c.oid) AS def
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ${table}
          AND contype IN ('p', 'u', 'f')`,
  );
  return found
    .map((c) => (c.contype === "p" ? `p ${c.def}` : `${c.contype} ${c.conname} ${c.def}`))
    .sort();
}

async function actualIndexes(db: Db, table: string): Promise<string[]> {
  // Indexes of their own, not the ones behind a primary key or unique constraint.
  const found = await rows<{ name: string; unique: boolean; columns: string }>(
    db,
    sql`SELECT i.relname AS name, x.indisunique AS unique,
               (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ${table}
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
  );
  return found.map((i) => `${i.unique ? "unique " : ""}${i.name} (${i.columns})`).sort();
}

describe("migrations match lib/db/schema.ts", () => {
  forEachBackend((t) => {
    it("creates exactly the schema's tables", async () => {
      const found = await rows<{ table_name: string }>(
        t.db,
        sql`SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_name <> '__drizzle_migrations'`,
      );
      expect(found.map((r) => r.table_name).sort()).toEqual(
        tables.map((table) => getTableConfig(table).name).sort(),
      );
    });

    for (const table of tables) {
      const name = getTableConfig(table).name;

      it(`${name}: columns, types, nullability and defaults`, async () => {
        expect(await actualColumns(t.db, name)).toEqual(expectedColumns(table));
      });

      it(`${name}: primary, unique and foreign keys`, async () => {
        expect(await actualConstraints(t.db, name)).toEqual(expectedConstraints(table));
      });

      it(`${name}: indexes`, async () => {
        expect(await actualIndexes(t.db, name)).toEqual(expectedIndexes(table));
      });
    }

    it("round-trips every column through drizzle", async () => {
      const at = (iso: string) => new Date(iso);
      const conversation = {
        id: "rt-conversation",
        ownerId: "rt-owner",
        title: "Ünïcode ✓ title",
        settings: {
          model: "openai/gpt-oss-120b",
          system: "Be brief.",
          params: { temperature: 0.7, reasoning_effort: "high" as const, logit_bias: { "1": -5 } },
        },
        createdAt: at("2025-01-02T03:04:05.678Z"),
        updatedAt: at("2025-01-02T03:04:06.789Z"),
        activeLeafId: "rt-message",
      };
      const message = {
        id: "rt-message",
        conversationId: conversation.id,
        seq: 7,
        role: "assistant" as const,
        parts: [
          { type: "reasoning" as const, text: "thinking…", state: "done" as const },
          { type: "text" as const, text: 'quote " and \\ backslash', state: "done" as const },
        ],
        metadata: { model: "m", usage: { reasoningTokens: 12, answerTokens: 3 }, totalMs: 1234 },
        status: "stopped" as const,
        createdAt: at("2025-01-02T03:04:07.000Z"),
        updatedAt: at("2025-01-02T03:04:08.001Z"),
        parentId: null,
      };
      const share = {
        token: "rt-token",
        conversationId: conversation.id,
        ownerId: conversation.ownerId,
        snapshot: {
          title: conversation.title,
          createdAt: conversation.createdAt.toISOString(),
          messages: [
            {
              id: message.id,
              role: message.role,
              parts: message.parts,
              metadata: message.metadata,
              status: message.status,
            },
          ],
          settings: conversation.settings,
        },
        includeReasoning: true,
        includeSettings: false,
        expiresAt: at("2030-01-01T00:00:00.000Z"),
        revokedAt: at("2026-06-01T12:00:00.500Z"),
        createdAt: at("2025-01-02T03:04:09.000Z"),
        includeExchange: true,
        exchanges: {} as Record<string, Exchange>,
        comparisonId: null,
      };
      const exchange = {
        messageId: message.id,
        conversationId: conversation.id,
        data: {
          version: 1 as const,
          provider: { id: "p", label: "P" },
          model: { id: "m", upstreamId: "m" },
          startedAt: "2025-01-02T03:04:07.000Z",
          request: {
            body: { model: "m", messages: [{ role: "user", content: 'a "quote" \\ 😀' }] },
          },
          attempts: [{ atMs: 0, waitMs: 0, status: 200, headers: { "x-id": "1" } }],
          lines: [
            [12.5, 'data: {"choices":[{"delta":{"content":"😀"}}]}'],
            [20, 27, 6, "é"],
          ] as Exchange["lines"],
          omitted: { after: 1, lines: 3, bytes: 300 },
          end: { ms: 30, reason: "done" as const },
        },
        createdAt: at("2025-01-02T03:04:09.500Z"),
      };
      share.exchanges[message.id] = exchange.data;
      const secret = {
        name: "rt-secret",
        value: "s3cret",
        createdAt: at("2025-01-02T03:04:10.000Z"),
      };

      await t.db.insert(conversations).values(conversation);
      await t.db.insert(messages).values(message);
      await t.db.insert(shares).values(share);
      await t.db.insert(appSecrets).values(secret);
      await t.db.insert(exchanges).values(exchange);

      expect(
        await t.db
          .select()
          .from(conversations)
          .where(sql`id = ${conversation.id}`),
      ).toEqual([conversation]);
      expect(
        await t.db
          .select()
          .from(messages)
          .where(sql`id = ${message.id}`),
      ).toEqual([message]);
      expect(
        await t.db
          .select()
          .from(shares)
          .where(sql`token = ${share.token}`),
      ).toEqual([share]);
      expect(
        await t.db
          .select()
          .from(appSecrets)
          .where(sql`name = ${secret.name}`),
      ).toEqual([secret]);
      expect(
        await t.db
          .select()
          .from(exchanges)
          .where(sql`message_id = ${exchange.messageId}`),
      ).toEqual([exchange]);
    });

    it("fills defaults and leaves nullable columns null", async () => {
      await t.db.insert(conversations).values({
        id: "df-conversation",
        ownerId: "df",
        title: "t",
        settings: { model: "m", params: {} },
      });
      await t.db.insert(messages).values({
        id: "df-message",
        conversationId: "df-conversation",
        seq: 1,
        role: "user",
        parts: [],
      });
      const [row] = await t.db
        .select()
        .from(messages)
        .where(sql`id = 'df-message'`);
      expect(row).toMatchObject({ status: "done", metadata: null });
      expect(row?.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(Date.now() - (row?.createdAt.getTime() ?? 0))).toBeLessThan(60_000);
    });
  });
});
