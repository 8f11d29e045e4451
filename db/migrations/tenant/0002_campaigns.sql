-- Campaigns and what shoppers send to them.

CREATE TABLE campaigns (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'published', 'paused', 'ended')),
    title          TEXT NOT NULL,
    entry_start    INTEGER NOT NULL,          -- unix seconds, inclusive
    entry_end      INTEGER NOT NULL,          -- unix seconds, exclusive
    definition     TEXT NOT NULL,             -- the whole campaign as recam's JSON format
    version        INTEGER NOT NULL DEFAULT 1, -- a stale save is refused (409)
    instant_seed   BLOB,                      -- secret: the fixed-number instant-win schedule
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Prize courses: stock lives here so that a win and its reservation are one
-- UPDATE ... WHERE stock > 0 inside the entry's transaction.
CREATE TABLE prizes (
    campaign_id    TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    stock          INTEGER NOT NULL CHECK (stock >= 0),
    won            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, code)
);

-- A participant is one email address per tenant; the address is sealed with
-- the tenant key, and found by a keyed hash.
CREATE TABLE participants (
    id             TEXT PRIMARY KEY,
    email_hash     TEXT NOT NULL UNIQUE,
    email_sealed   BLOB NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE entries (
    id              TEXT PRIMARY KEY,
    campaign_id     TEXT NOT NULL REFERENCES campaigns(id),
    participant_id  TEXT NOT NULL REFERENCES participants(id),
    idempotency_key TEXT,
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'reading', 'accepted', 'rejected', 'review')),
    reason          TEXT,                     -- snake_case reason when rejected or under review
    units           INTEGER NOT NULL DEFAULT 0, -- 口数 earned
    result          TEXT,                     -- judgement JSON shown to the shopper
    campaign_day    INTEGER NOT NULL,         -- days since epoch in Asia/Tokyo, for daily caps
    created_at      INTEGER NOT NULL,
    judged_at       INTEGER,
    UNIQUE (campaign_id, participant_id, idempotency_key)
);
CREATE INDEX entries_campaign_status ON entries(campaign_id, status);
CREATE INDEX entries_participant ON entries(campaign_id, participant_id, campaign_day);

CREATE TABLE entry_images (
    entry_id    TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    blob_id     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    receipt     TEXT,                         -- the reader's JSON for this image
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX entry_images_sha ON entry_images(sha256);

-- A receipt may earn a chance once per campaign, whoever sends it.
CREATE TABLE receipts_used (
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id),
    fingerprint  TEXT NOT NULL,
    entry_id     TEXT NOT NULL REFERENCES entries(id),
    PRIMARY KEY (campaign_id, fingerprint)
);

CREATE TABLE wins (
    id             TEXT PRIMARY KEY,
    campaign_id    TEXT NOT NULL REFERENCES campaigns(id),
    participant_id TEXT NOT NULL REFERENCES participants(id),
    entry_id       TEXT REFERENCES entries(id),
    prize_code     TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('instant', 'draw')),
    status         TEXT NOT NULL DEFAULT 'won'
                   CHECK (status IN ('won', 'claimed', 'forfeited', 'shipped')),
    claim_deadline INTEGER,
    delivery       BLOB,                      -- sealed delivery details
    created_at     INTEGER NOT NULL
);
CREATE INDEX wins_participant ON wins(campaign_id, participant_id);

-- The closed draw of a campaign: the commitment published before it (seed
-- hash, list hash), the sealed seed, and after the draw the whole record.
CREATE TABLE draws (
    campaign_id  TEXT PRIMARY KEY REFERENCES campaigns(id),
    record       TEXT NOT NULL,               -- recam-draw record JSON as last published
    seed_sealed  BLOB NOT NULL,               -- the secret seed, sealed with the tenant key
    executed_at  INTEGER,
    created_at   INTEGER NOT NULL
);
