CREATE TABLE "deliveries" (
	"key" text PRIMARY KEY NOT NULL,
	"alliance_id" integer NOT NULL,
	"message_ref" text,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reminders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"alliance_id" integer NOT NULL,
	"number" integer NOT NULL,
	"created_by" integer,
	"target_kind" text NOT NULL,
	"target_member_id" integer,
	"target_organization_id" integer,
	"target_conversation" text,
	"text" text NOT NULL,
	"next_at" timestamp with time zone,
	"recurrence" jsonb,
	"time_zone" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"task_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reminders_target_kind" CHECK ("reminders"."target_kind" in ('member', 'organization', 'channel')),
	CONSTRAINT "reminders_status" CHECK ("reminders"."status" in ('active', 'done', 'cancelled')),
	CONSTRAINT "reminders_text_length" CHECK (char_length("reminders"."text") between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "alliances" ADD COLUMN "task_reminders" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "public"."alliances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "public"."alliances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_target_member_id_members_id_fk" FOREIGN KEY ("target_member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_target_organization_id_organizations_id_fk" FOREIGN KEY ("target_organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_alliance" ON "deliveries" USING btree ("alliance_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_alliance_number" ON "reminders" USING btree ("alliance_id","number");--> statement-breakpoint
CREATE INDEX "reminders_task" ON "reminders" USING btree ("task_id");