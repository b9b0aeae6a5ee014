CREATE TABLE "alliance_link_codes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alliance_link_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"alliance_id" integer NOT NULL,
	"code_hash" text NOT NULL,
	"created_by" integer,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by_workspace_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "history_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "history_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"alliance_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"member_id" integer,
	"actor_name" text,
	"workspace_id" integer,
	"platform" text,
	"subject" text NOT NULL,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_attempts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "link_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "resources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"alliance_id" integer NOT NULL,
	"number" integer NOT NULL,
	"url" text NOT NULL,
	"title" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"search_text" text NOT NULL,
	"shared_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resources_title_length" CHECK (char_length("resources"."title") between 1 and 200),
	CONSTRAINT "resources_url_length" CHECK (char_length("resources"."url") between 1 and 2000)
);
--> statement-breakpoint
DROP INDEX "workspaces_platform_external_id";--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "home_conversation" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "unlinked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alliance_link_codes" ADD CONSTRAINT "alliance_link_codes_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "public"."alliances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_link_codes" ADD CONSTRAINT "alliance_link_codes_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_link_codes" ADD CONSTRAINT "alliance_link_codes_used_by_workspace_id_workspaces_id_fk" FOREIGN KEY ("used_by_workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "history_events" ADD CONSTRAINT "history_events_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "public"."alliances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "history_events" ADD CONSTRAINT "history_events_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "history_events" ADD CONSTRAINT "history_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_attempts" ADD CONSTRAINT "link_attempts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "public"."alliances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_shared_by_members_id_fk" FOREIGN KEY ("shared_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alliance_link_codes_hash" ON "alliance_link_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "alliance_link_codes_alliance" ON "alliance_link_codes" USING btree ("alliance_id");--> statement-breakpoint
CREATE INDEX "history_events_subject" ON "history_events" USING btree ("alliance_id","subject","id");--> statement-breakpoint
CREATE INDEX "history_events_alliance" ON "history_events" USING btree ("alliance_id","id");--> statement-breakpoint
CREATE INDEX "link_attempts_workspace" ON "link_attempts" USING btree ("workspace_id","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "resources_alliance_number" ON "resources" USING btree ("alliance_id","number");--> statement-breakpoint
CREATE INDEX "resources_search" ON "resources" USING gin ((to_tsvector('spanish'::regconfig, "search_text") || to_tsvector('english'::regconfig, "search_text")));--> statement-breakpoint
CREATE UNIQUE INDEX "workspaces_platform_external_id" ON "workspaces" USING btree ("platform","external_id") WHERE "workspaces"."unlinked_at" is null;--> statement-breakpoint
-- History is append-only: nothing, from chat or elsewhere, rewrites what happened. The one update let through is the
-- database's own, when a member or workspace it names is deleted (ON DELETE SET NULL): the entry keeps the name it recorded.
-- Deleting an alliance still cascades.
CREATE FUNCTION "history_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.member_id IS NULL OR NEW.member_id = OLD.member_id)
		AND (NEW.workspace_id IS NULL OR NEW.workspace_id = OLD.workspace_id)
		AND (NEW.id, NEW.alliance_id, NEW.at, NEW.actor_name, NEW.platform, NEW.subject, NEW.action, NEW.details)
			IS NOT DISTINCT FROM (OLD.id, OLD.alliance_id, OLD.at, OLD.actor_name, OLD.platform, OLD.subject, OLD.action, OLD.details)
	THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'history_events is append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "history_events_no_update" BEFORE UPDATE ON "history_events" FOR EACH ROW EXECUTE FUNCTION "history_events_append_only"();
