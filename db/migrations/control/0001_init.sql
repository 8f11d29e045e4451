-- Control database: the platform's own records. Nothing of a tenant's
-- participants lives here; that is in the tenant's own database.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,            -- random, 26 base32 characters
    slug        TEXT NOT NULL UNIQUE,        -- URL prefix /t/{slug}/
    name        TEXT NOT NULL,               -- display name (会社名・ブランド名)
    status      TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'suspended', 'terminated', 'erased')),
    host        TEXT UNIQUE,                 -- optional custom host name
    wrapped_key BLOB NOT NULL,               -- tenant data key, wrapped by the master key
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE operators (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at    TEXT NOT NULL
);

CREATE TABLE platform_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Durable jobs (receipt reading, mail, webhooks): claimed by workers,
-- retried with back-off. Jobs carry ids, never personal data.
CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT REFERENCES tenants(id),
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    state       TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 3,
    run_after   INTEGER NOT NULL,            -- unix seconds
    locked_until INTEGER,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX jobs_ready ON jobs(state, run_after);
