/* user.h — a tenant's staff accounts: roles, status, creation, changes
 * that keep at least one active owner, and the login-failure counters. */
#ifndef RECAM_USER_H
#define RECAM_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "account/password.h"
#include "core/str.h"
#include "store/db.h"

#define RECAM_EMAIL_MAX 254
#define RECAM_USER_NAME_MAX 100
/* Consecutive failures that lock an account, and the first lock's length;
 * each further lock doubles it, up to a day. */
#define RECAM_LOGIN_MAX_FAILURES 5
#define RECAM_LOGIN_LOCK_SECONDS (15 * 60)
#define RECAM_LOGIN_LOCK_MAX_SECONDS (24 * 3600)

enum recam_role { RECAM_ROLE_OWNER = 0, RECAM_ROLE_ADMIN, RECAM_ROLE_REVIEWER, RECAM_ROLE_VIEWER };

typedef struct recam_user {
	char id[RECAM_ID_LEN + 1];
	char email[RECAM_EMAIL_MAX + 1];
	char name[RECAM_USER_NAME_MAX * 4 + 1];
	enum recam_role role;
	char status[12]; /* active, disabled, deleted */
	char password_hash[RECAM_PWHASH_MAX];
	int64_t failed_logins;
	int64_t locked_until;
	int64_t created_at;
} recam_user;

const char *recam_role_name(enum recam_role r);
int recam_role_parse(const char *s, enum recam_role *out);
/* A plausible address (local@domain, no spaces or controls, <= 254 bytes),
 * lower-cased into out. */
bool recam_user_email_normalize(const char *in, char out[RECAM_EMAIL_MAX + 1]);
bool recam_user_name_valid(const char *name);
static inline bool recam_user_active(const recam_user *u) { return strcmp(u->status, "active") == 0; }

int recam_user_by_id(recam_db *db, const char *id, recam_user *out);
/* email already normalized. Deleted users are not found. */
int recam_user_by_email(recam_db *db, const char *email, recam_user *out);
int recam_user_count(recam_db *db, int64_t *n);
/* RECAM_ECONFLICT when the email is taken. */
int recam_user_create(recam_db *db, const char *email, const char *name, enum recam_role role,
		      const char *password_hash, recam_user *out);
int recam_user_list(recam_db *db, int (*fn)(void *ctx, const recam_user *u), void *ctx);
/* Changes role and/or status (NULL: unchanged) inside the caller's
 * transaction. A user who is not active loses every session at once.
 * RECAM_ECONFLICT when the change would leave no active owner. */
int recam_user_update(recam_db *db, const char *id, const enum recam_role *role, const char *status);
/* Marks the user deleted, frees the email address, ends the sessions. */
int recam_user_delete(recam_db *db, const char *id);
int recam_user_set_password(recam_db *db, const char *id, const char *hash);
/* When failures consecutive failures lock an account, until when (else 0). */
int64_t recam_login_lock_until(int64_t failures, int64_t now);
/* The same counters for an address without an account (login_throttle). */
int recam_login_unknown_state(recam_db *db, const char *email, int64_t *failures, int64_t *locked_until);
int recam_login_unknown_failed(recam_db *db, const char *email, int64_t now, int64_t *locked_until);
/* Counts a failed login; *locked_until is set (> now) when this failure locks the account. */
int recam_user_login_failed(recam_db *db, const recam_user *u, int64_t now, int64_t *locked_until);
int recam_user_login_succeeded(recam_db *db, const char *id);
json_t *recam_user_json(const recam_user *u, bool pii);

#endif
