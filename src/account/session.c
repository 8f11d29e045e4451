/* session.c — server-side staff sessions and the login that makes them. */
#include "session.h"

#include <sodium.h>
#include <string.h>

#include "account/audit.h"
#include "core/clock.h"
#include "core/log.h"

void recam_session_token_hash(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

void recam_session_csrf(const char *token, char out[65])
{
	static const char label[] = "recam-csrf-v1";
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)label, sizeof(label) - 1, (const unsigned char *)token,
			   strlen(token));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static const char *nz(const char *s) { return s ? s : ""; }

int recam_session_create(recam_db *db, const char *user_id, const recam_client_info *ci, char token[RECAM_TOKEN_HEX + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, RECAM_TOKEN_HEX + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	char hash[65];
	recam_session_token_hash(token, hash);
	int64_t now = recam_clock_now();
	char ua[256];
	recam_strlcpy(ua, nz(ci ? ci->user_agent : NULL), sizeof(ua));
	return recam_db_exec(db,
			     "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, client, user_agent) "
			     "VALUES (?, ?, ?, ?, ?, ?)",
			     RECAM_DB_ARGS(DBV_TEXT(hash), DBV_TEXT(user_id), DBV_INT(now), DBV_INT(now),
					   DBV_TEXT(nz(ci ? ci->address : NULL)), DBV_TEXT(ua)));
}

struct sess_row {
	recam_session *s;
	char user_id[RECAM_ID_LEN + 1];
};

static int read_sess(void *ctx, const recam_dbrow *row)
{
	struct sess_row *r = ctx;
	r->s->created_at = recam_dbrow_int(row, 0);
	r->s->last_seen = recam_dbrow_int(row, 1);
	return recam_dbrow_copy_text(row, 2, r->user_id, sizeof(r->user_id));
}

int recam_session_resolve(recam_db *db, const char *token, const recam_security *sec, recam_session *out)
{
	memset(out, 0, sizeof(*out));
	if (token == NULL || strlen(token) != RECAM_TOKEN_HEX)
		return RECAM_EUNAUTH;
	recam_session_token_hash(token, out->token_hash);
	struct sess_row r = {out, ""};
	int rc = recam_db_query_one(db, "SELECT created_at, last_seen, user_id FROM sessions WHERE token_hash = ?",
				    RECAM_DB_ARGS(DBV_TEXT(out->token_hash)), read_sess, &r);
	if (rc == RECAM_ENOTFOUND)
		return RECAM_EUNAUTH;
	if (rc != 0)
		return rc;
	int64_t now = recam_clock_now();
	bool idle = now - out->last_seen >= (int64_t)sec->idle_timeout_minutes * 60;
	bool old = now - out->created_at >= (int64_t)sec->absolute_lifetime_hours * 3600;
	if (idle || old) {
		recam_session_delete(db, out->token_hash);
		return RECAM_EUNAUTH;
	}
	rc = recam_user_by_id(db, r.user_id, &out->user);
	if (rc == RECAM_ENOTFOUND || (rc == 0 && !recam_user_active(&out->user))) {
		recam_session_delete(db, out->token_hash);
		return RECAM_EUNAUTH;
	}
	if (rc != 0)
		return rc;
	recam_session_csrf(token, out->csrf);
	/* Only the idle clock moves; a write per request is the price of an
	 * exact idle timeout, and SQLite's WAL makes it cheap. */
	if (now != out->last_seen)
		rc = recam_db_exec(db, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
				   RECAM_DB_ARGS(DBV_INT(now), DBV_TEXT(out->token_hash)));
	out->last_seen = now;
	return rc;
}

int recam_session_delete(recam_db *db, const char *token_hash)
{
	return recam_db_exec(db, "DELETE FROM sessions WHERE token_hash = ?", RECAM_DB_ARGS(DBV_TEXT(token_hash)));
}

int recam_session_delete_user(recam_db *db, const char *user_id, const char *keep_hash)
{
	return recam_db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND token_hash != ?",
			     RECAM_DB_ARGS(DBV_TEXT(user_id), DBV_TEXT(nz(keep_hash))));
}

/* The outcome of checking the password, written in one transaction with
 * its audit records. */
static int login_commit(recam_db *db, recam_user *u, bool found, bool ok, const char *rehash, const char *email,
			const char *old_token, const recam_client_info *ci, char token[RECAM_TOKEN_HEX + 1])
{
	int rc = recam_db_begin(db);
	if (rc != 0)
		return rc;
	int64_t now = recam_clock_now();
	int result = 0;
	if (!found) {
		/* The attempted address is kept so a guessing run shows in the log,
		 * and it is throttled like an account (no tell-tale difference). */
		int64_t until = 0;
		rc = recam_login_unknown_failed(db, email, now, &until);
		if (rc == 0)
			rc = recam_audit_append(db, "-", "login", "user", email, "failure", ci->address, ci->rid);
		if (rc == 0 && until > now)
			rc = recam_audit_append(db, "-", "account.lock", "user", email, "success", ci->address, ci->rid);
		result = RECAM_EUNAUTH;
	} else if (!ok) {
		int64_t until = 0;
		rc = recam_user_login_failed(db, u, now, &until);
		if (rc == 0)
			rc = recam_audit_append(db, u->id, "login", "user", u->id, "failure", ci->address, ci->rid);
		if (rc == 0 && until > now) {
			rc = recam_audit_append(db, u->id, "account.lock", "user", u->id, "success", ci->address,
						ci->rid);
			recam_warn("staff account locked after %lld failed logins", (long long)u->failed_logins + 1);
		}
		result = RECAM_EUNAUTH;
	} else {
		if (old_token && strlen(old_token) == RECAM_TOKEN_HEX) {
			char oh[65];
			recam_session_token_hash(old_token, oh);
			rc = recam_session_delete(db, oh);
		}
		/* Sessions of this user past the longest timeouts a tenant may set
		 * are cleared on the way, so the table does not grow forever. */
		if (rc == 0)
			rc = recam_db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND (last_seen < ? OR created_at < ?)",
					   RECAM_DB_ARGS(DBV_TEXT(u->id), DBV_INT(now - RECAM_IDLE_MIN_HIGH * 60),
							 DBV_INT(now - RECAM_ABSOLUTE_H_HIGH * 3600)));
		if (rc == 0)
			rc = recam_user_login_succeeded(db, u->id);
		if (rc == 0 && rehash)
			rc = recam_user_set_password(db, u->id, rehash);
		if (rc == 0)
			rc = recam_session_create(db, u->id, ci, token);
		if (rc == 0)
			rc = recam_audit_append(db, u->id, "login", "user", u->id, "success", ci->address, ci->rid);
	}
	if (rc == 0)
		rc = recam_db_commit(db);
	if (rc != 0) {
		recam_db_rollback(db);
		return rc;
	}
	return result;
}

int recam_session_login(recam_db *db, const char *email, const char *password, const char *old_token,
			const recam_client_info *ci, recam_user *out, char token[RECAM_TOKEN_HEX + 1],
			int64_t *retry_after)
{
	*retry_after = 0;
	token[0] = '\0';
	int rc = recam_user_by_email(db, email, out);
	if (rc != 0 && rc != RECAM_ENOTFOUND)
		return rc;
	bool found = rc == 0 && recam_user_active(out);
	int64_t now = recam_clock_now();
	int64_t unknown_failures = 0, locked_until = found ? out->locked_until : 0;
	if (!found && (rc = recam_login_unknown_state(db, email, &unknown_failures, &locked_until)) != 0)
		return rc;
	if (locked_until > now) {
		/* Locked: the password is not even checked, so guessing goes nowhere. */
		*retry_after = locked_until - now;
		recam_audit_record(db, found ? out->id : "-", "login", "user", found ? out->id : email, "denied",
				   ci->address, ci->rid);
		return RECAM_ELIMIT;
	}
	bool rehash_needed = false;
	/* An unknown or inactive user is checked against a dummy hash: the same
	 * work, so the time taken does not say whether the account exists. */
	rc = recam_password_verify(found ? out->password_hash : NULL, password, &rehash_needed);
	if (rc != 0 && rc != RECAM_EUNAUTH)
		return rc;
	bool ok = rc == 0;
	char newhash[RECAM_PWHASH_MAX];
	const char *rehash = NULL;
	if (ok && rehash_needed && recam_password_hash(password, newhash) == 0)
		rehash = newhash;
	return login_commit(db, out, found, ok, rehash, email, old_token, ci, token);
}
