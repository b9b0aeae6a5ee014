-- Minga instances keep the identity rows of the members they know in memory (db/identity-cache.ts). A change to one of
-- those rows tells every instance at commit (NOTIFY), and the session that made it before its statement returns (a
-- NOTICE), so no instance goes on acting with an old role, language, zone or alliance. An insert changes nothing known,
-- nor does an update that writes the same values (making every member of a workspace a plain member, as unlinking does).
CREATE FUNCTION "identity_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('minga_identity', TG_TABLE_NAME || ':' || OLD.id);
	RAISE NOTICE 'minga_identity %:%', TG_TABLE_NAME, OLD.id;
	RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "alliances_identity_changed" AFTER UPDATE ON "alliances" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION "identity_changed"();--> statement-breakpoint
CREATE TRIGGER "alliances_identity_deleted" AFTER DELETE ON "alliances" FOR EACH ROW EXECUTE FUNCTION "identity_changed"();--> statement-breakpoint
CREATE TRIGGER "workspaces_identity_changed" AFTER UPDATE ON "workspaces" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION "identity_changed"();--> statement-breakpoint
CREATE TRIGGER "workspaces_identity_deleted" AFTER DELETE ON "workspaces" FOR EACH ROW EXECUTE FUNCTION "identity_changed"();--> statement-breakpoint
CREATE TRIGGER "members_identity_changed" AFTER UPDATE ON "members" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION "identity_changed"();--> statement-breakpoint
CREATE TRIGGER "members_identity_deleted" AFTER DELETE ON "members" FOR EACH ROW EXECUTE FUNCTION "identity_changed"();
