-- Trust (issue 8): ballots ordered by when the member acted, anonymous ballots keyed per poll with nothing that links or dates them, Slack tokens sealed.
ALTER TABLE "ballots" ADD COLUMN "acted" bigint;--> statement-breakpoint
UPDATE "ballots" SET "acted" = (extract(epoch from "updated_at") * 1000000)::bigint;--> statement-breakpoint
-- Closed anonymous polls were keyed under a secret stored in this database: random keys and no time unlink them for good.
UPDATE "ballots" SET "voter_key" = 'a:' || md5(gen_random_uuid()::text), "acted" = 0
  WHERE "poll_id" IN (SELECT "id" FROM "polls" WHERE "anonymous" AND "status" = 'closed');--> statement-breakpoint
ALTER TABLE "ballots" ALTER COLUMN "acted" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "ballots" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ballots" DROP COLUMN "updated_at";--> statement-breakpoint
DROP INDEX "ballots_poll_voter";--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_poll_id_voter_key_pk" PRIMARY KEY("poll_id","voter_key");--> statement-breakpoint
ALTER TABLE "polls" ADD COLUMN "ballot_salt" text;--> statement-breakpoint
ALTER TABLE "slack_installations" ALTER COLUMN "installation" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "slack_installations" ADD COLUMN "sealed" text;
