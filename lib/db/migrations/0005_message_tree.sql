ALTER TABLE "messages" ADD COLUMN "parent_id" text;
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "active_leaf_id" text;
--> statement-breakpoint
UPDATE "messages" AS m SET "parent_id" = o."previous_id"
FROM (
	SELECT "id", lag("id") OVER (PARTITION BY "conversation_id" ORDER BY "seq") AS "previous_id"
	FROM "messages"
) AS o
WHERE m."id" = o."id" AND o."previous_id" IS NOT NULL;
--> statement-breakpoint
UPDATE "conversations" AS c SET "active_leaf_id" = l."id"
FROM (
	SELECT DISTINCT ON ("conversation_id") "conversation_id", "id"
	FROM "messages"
	ORDER BY "conversation_id", "seq" DESC
) AS l
WHERE c."id" = l."conversation_id";
--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_parent_id_messages_id_fk" FOREIGN KEY ("parent_id") REFERENCES "messages"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "messages_parent_id_idx" ON "messages" USING btree ("parent_id");
