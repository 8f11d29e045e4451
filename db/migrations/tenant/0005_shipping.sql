-- Winners after the draw: shipping of their prizes, forfeits and the draw's
-- alternates promoted in their place, and the commitment of a closed draw
-- kept as published before it ran. (docs/console.md, "Draw", "Winners and
-- shipping")

-- Shipping: status 'shipped' with carrier, tracking number and the day it
-- left (YYYY-MM-DD, Asia/Tokyo). Staff edits name the version they loaded
-- and bump it: a stale save is refused (409).
ALTER TABLE wins ADD COLUMN carrier TEXT;
ALTER TABLE wins ADD COLUMN tracking_number TEXT;
ALTER TABLE wins ADD COLUMN shipped_on TEXT;
ALTER TABLE wins ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE wins ADD COLUMN updated_at INTEGER;          -- unix seconds of the last staff change

-- Forfeits: when, and why ('unclaimed' past the claim deadline, or the
-- staff's reason: 'declined', 'ineligible', 'undeliverable', 'other').
ALTER TABLE wins ADD COLUMN forfeited_at INTEGER;
ALTER TABLE wins ADD COLUMN forfeit_reason TEXT;
-- A draw alternate's win: the forfeited win it replaces and its 1-based
-- place in the published alternates. Each forfeited win is replaced once
-- and each alternate promoted once, whatever runs at the same time.
ALTER TABLE wins ADD COLUMN replaces TEXT REFERENCES wins(id);
ALTER TABLE wins ADD COLUMN alternate_rank INTEGER;
CREATE UNIQUE INDEX wins_replaces ON wins(replaces) WHERE replaces IS NOT NULL;
CREATE UNIQUE INDEX wins_alternate ON wins(campaign_id, alternate_rank) WHERE alternate_rank IS NOT NULL;
-- The winners list and the re-draw of unclaimed wins.
CREATE INDEX wins_campaign_time ON wins(campaign_id, created_at, id);
CREATE INDEX wins_campaign_status ON wins(campaign_id, status, claim_deadline);

-- The closed draw's record is rewritten when it runs; the commitment as
-- published before the draw is kept beside it, so verification checks the
-- result against what was announced (recam_draw_same_commitment).
ALTER TABLE draws ADD COLUMN commitment TEXT;
UPDATE draws SET commitment = record WHERE executed_at IS NULL;
