CREATE TABLE "comparisons" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"title" text NOT NULL,
	"spec" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "comparison_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"comparison_id" text NOT NULL,
	"column_index" integer NOT NULL,
	"run_index" integer NOT NULL,
	"parts" jsonb NOT NULL,
	"metadata" jsonb,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comparison_runs" ADD CONSTRAINT "comparison_runs_comparison_id_comparisons_id_fk" FOREIGN KEY ("comparison_id") REFERENCES "comparisons"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "comparisons_owner_id_updated_at_idx" ON "comparisons" USING btree ("owner_id","updated_at");
--> statement-breakpoint
CREATE INDEX "comparison_runs_comparison_id_idx" ON "comparison_runs" USING btree ("comparison_id");
--> statement-breakpoint
ALTER TABLE "shares" ALTER COLUMN "conversation_id" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "shares" ADD COLUMN "comparison_id" text;
--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_comparison_id_comparisons_id_fk" FOREIGN KEY ("comparison_id") REFERENCES "comparisons"("id") ON DELETE cascade ON UPDATE no action;
