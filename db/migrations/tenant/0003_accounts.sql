-- Staff accounts of the tenant admin console, their sessions and the
-- tenant's audit log. Security settings (password policy, session
-- timeouts) live in tenant_settings under the key 'security', versioned.

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,       -- lower-cased; freed when the user is deleted
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'reviewer', 'viewer')),
    password_hash  TEXT NOT NULL,              -- Argon2id string (libsodium crypto_pwhash_str)
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'deleted')),
    failed_logins  INTEGER NOT NULL DEFAULT 0, -- consecutive failures since the last success
    locked_until   INTEGER NOT NULL DEFAULT 0, -- unix seconds; 0 when not locked
    password_set_at INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

-- Failed logins for addresses that have no account: they are throttled and
-- locked exactly like real accounts, so a lock does not reveal which
-- addresses exist. Rows older than two days are pruned.
CREATE TABLE login_throttle (
    email          TEXT PRIMARY KEY,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL
);

-- Only the SHA-256 of the 256-bit session token is stored: a copy of the
-- database does not let anyone log in. The CSRF token is derived from the
-- session token (keyed BLAKE2b), so it is not stored either.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,               -- unix seconds: the absolute lifetime counts from here
    last_seen   INTEGER NOT NULL,               -- unix seconds: the idle timeout counts from here
    client      TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Append-only and hash-chained: hash = SHA-256(canonical record || prev_hash).
-- The triggers stop accidental edits through the application's own
-- connection; `recam audit verify` finds edits made around them.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at_ms        INTEGER NOT NULL,              -- unix milliseconds, UTC
    actor        TEXT NOT NULL,                 -- user id, 'cli', or '-' when unknown
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL DEFAULT '',
    object_id    TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL,                 -- success, failure, denied
    client       TEXT NOT NULL DEFAULT '',
    request_id   TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_actor ON audit_log(actor, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
