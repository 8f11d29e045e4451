/* session.h — staff sessions on the server: a 256-bit random token in the
 * cookie, only its SHA-256 in the database; idle and absolute timeouts
 * checked against recam_clock_now() on every request; a CSRF token derived
 * from the session token; and the login that creates them (constant work
 * whether or not the user exists, throttled, audited). */
#ifndef RECAM_SESSION_H
#define RECAM_SESSION_H

#include <stdint.h>

#include "account/security.h"
#include "account/user.h"
#include "store/db.h"

#define RECAM_TOKEN_HEX 64 /* 32 random bytes as hex */

typedef struct recam_session {
	char token_hash[65];
	char csrf[65];
	int64_t created_at, last_seen;
	recam_user user;
} recam_session;

/* Where a request came from, for sessions and the audit log. */
typedef struct recam_client_info {
	const char *address;
	const char *user_agent;
	const char *rid;
} recam_client_info;

void recam_session_token_hash(const char *token, char out[65]);
/* The CSRF token of a session: keyed BLAKE2b of a fixed label under the
 * session token, so it needs no storage and dies with the session. */
void recam_session_csrf(const char *token, char out[65]);

/* Creates a session for user_id; token receives the cookie value. */
int recam_session_create(recam_db *db, const char *user_id, const recam_client_info *ci, char token[RECAM_TOKEN_HEX + 1]);
/* Finds the live session of token and its active user, updating last_seen.
 * RECAM_EUNAUTH when there is none, it timed out (then it is deleted), or
 * the user is no longer active. */
int recam_session_resolve(recam_db *db, const char *token, const recam_security *sec, recam_session *out);
int recam_session_delete(recam_db *db, const char *token_hash);
/* Every session of the user except keep_hash (may be NULL). */
int recam_session_delete_user(recam_db *db, const char *user_id, const char *keep_hash);

/* Logs in: 0 with a new session in token and the user in out; RECAM_EUNAUTH
 * for a wrong email or password (one answer for both); RECAM_ELIMIT while
 * the account is locked (*retry_after seconds). A valid previous session
 * (old_token, may be NULL) is ended: the token is rotated at every login.
 * Writes the audit records. */
int recam_session_login(recam_db *db, const char *email, const char *password, const char *old_token,
			const recam_client_info *ci, recam_user *out, char token[RECAM_TOKEN_HEX + 1],
			int64_t *retry_after);

#endif
