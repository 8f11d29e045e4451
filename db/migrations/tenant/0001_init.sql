-- A tenant's own database: everything of one tenant and nothing of another.

CREATE TABLE tenant_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,   -- a stale save is refused (409)
    updated_at TEXT NOT NULL
);

-- Index of the encrypted blob store (receipt images and thumbnails).
CREATE TABLE blobs (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    bytes      INTEGER NOT NULL,             -- plaintext size
    sha256     TEXT NOT NULL,                -- of the plaintext, for duplicate detection
    created_at TEXT NOT NULL
);
CREATE INDEX blobs_sha256 ON blobs(sha256);
