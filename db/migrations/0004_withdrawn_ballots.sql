-- A withdrawn vote keeps its row with no choice, so an older click arriving after the withdrawal cannot revive it.
ALTER TABLE "ballots" DROP CONSTRAINT "ballots_some_choice";