-- "Test the reader" in the admin console: staff send sample receipt photos
-- for a campaign and see what was read and how its rules judge it. A test
-- is no entry: it takes no stock and no lottery chance. Its photos wait in
-- the encrypted blob store until the reader job has read them, then go.

CREATE TABLE reader_tests (
    id          TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,                -- the staff member who sent it
    status      TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'reading', 'done', 'failed')),
    images      TEXT NOT NULL,                -- JSON list of blob ids, emptied once read
    result      TEXT,                         -- what was read and the judgement (JSON)
    created_at  INTEGER NOT NULL,             -- unix seconds
    done_at     INTEGER
);
CREATE INDEX reader_tests_created ON reader_tests(created_at);
