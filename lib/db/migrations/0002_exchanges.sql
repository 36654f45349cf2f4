CREATE TABLE "exchanges" (
	"message_id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exchanges" ADD CONSTRAINT "exchanges_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "exchanges" ADD CONSTRAINT "exchanges_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "exchanges_conversation_id_idx" ON "exchanges" USING btree ("conversation_id");
--> statement-breakpoint
ALTER TABLE "shares" ADD COLUMN "include_exchange" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "shares" ADD COLUMN "exchanges" jsonb;
