CREATE TABLE "digest_subscriptions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "digest_subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"alliance_id" integer NOT NULL,
	"conversation" text NOT NULL,
	"locale" text,
	"schedule" jsonb NOT NULL,
	"time_zone" text NOT NULL,
	"next_at" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"paused_reason" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "digest_subscriptions_status" CHECK ("digest_subscriptions"."status" in ('active', 'paused', 'off'))
);
--> statement-breakpoint
ALTER TABLE "digest_subscriptions" ADD CONSTRAINT "digest_subscriptions_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "public"."alliances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_subscriptions" ADD CONSTRAINT "digest_subscriptions_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "digest_subscriptions_conversation" ON "digest_subscriptions" USING btree ("conversation");--> statement-breakpoint
CREATE INDEX "digest_subscriptions_alliance" ON "digest_subscriptions" USING btree ("alliance_id");