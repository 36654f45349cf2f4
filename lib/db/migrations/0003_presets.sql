CREATE TABLE "presets" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "presets_owner_id_name_key" UNIQUE("owner_id","name")
);
--> statement-breakpoint
CREATE TABLE "preset_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"preset_id" text NOT NULL,
	"version" integer NOT NULL,
	"settings" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "preset_versions_preset_id_version_key" UNIQUE("preset_id","version")
);
--> statement-breakpoint
ALTER TABLE "preset_versions" ADD CONSTRAINT "preset_versions_preset_id_presets_id_fk" FOREIGN KEY ("preset_id") REFERENCES "presets"("id") ON DELETE cascade ON UPDATE no action;
