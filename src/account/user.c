/* user.c — staff accounts in the tenant database. */
#include "user.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"

static const char *const role_names[] = {"owner", "admin", "reviewer", "viewer"};

const char *recam_role_name(enum recam_role r)
{
	return (unsigned)r < sizeof(role_names) / sizeof(role_names[0]) ? role_names[r] : "viewer";
}

int recam_role_parse(const char *s, enum recam_role *out)
{
	for (size_t i = 0; s && i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum recam_role)i;
			return 0;
		}
	return RECAM_EINVAL;
}

bool recam_user_email_normalize(const char *in, char out[RECAM_EMAIL_MAX + 1])
{
	size_t n = in ? strlen(in) : 0;
	if (n < 3 || n > RECAM_EMAIL_MAX)
		return false;
	const char *at = strchr(in, '@');
	if (at == NULL || at == in || at[1] == '\0' || strchr(at + 1, '@') || strchr(at + 1, '.') == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c == 0x7f || c >= 0x80 || c == '<' || c == '>' || c == '"' || c == ',' || c == ';')
			return false;
		out[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	out[n] = '\0';
	return true;
}

bool recam_user_name_valid(const char *name)
{
	if (name == NULL)
		return false;
	long n = recam_utf8_text(name, strlen(name), false);
	return n >= 1 && n <= RECAM_USER_NAME_MAX;
}

#define USER_COLS "id, email, name, role, status, password_hash, failed_logins, locked_until, created_at"

static int read_user(void *ctx, const recam_dbrow *row)
{
	recam_user *u = ctx;
	memset(u, 0, sizeof(*u));
	char role[16];
	if (recam_dbrow_copy_text(row, 0, u->id, sizeof(u->id)) != 0 ||
	    recam_dbrow_copy_text(row, 1, u->email, sizeof(u->email)) != 0 ||
	    recam_dbrow_copy_text(row, 2, u->name, sizeof(u->name)) != 0 ||
	    recam_dbrow_copy_text(row, 3, role, sizeof(role)) != 0 ||
	    recam_dbrow_copy_text(row, 4, u->status, sizeof(u->status)) != 0 ||
	    recam_dbrow_copy_text(row, 5, u->password_hash, sizeof(u->password_hash)) != 0 ||
	    recam_role_parse(role, &u->role) != 0)
		return RECAM_EDB;
	u->failed_logins = recam_dbrow_int(row, 6);
	u->locked_until = recam_dbrow_int(row, 7);
	u->created_at = recam_dbrow_int(row, 8);
	return 0;
}

int recam_user_by_id(recam_db *db, const char *id, recam_user *out)
{
	return recam_db_query_one(db, "SELECT " USER_COLS " FROM users WHERE id = ? AND status != 'deleted'",
				  RECAM_DB_ARGS(DBV_TEXT(id)), read_user, out);
}

int recam_user_by_email(recam_db *db, const char *email, recam_user *out)
{
	return recam_db_query_one(db, "SELECT " USER_COLS " FROM users WHERE email = ? AND status != 'deleted'",
				  RECAM_DB_ARGS(DBV_TEXT(email)), read_user, out);
}

static int read_count(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

int recam_user_count(recam_db *db, int64_t *n)
{
	*n = 0;
	return recam_db_query_one(db, "SELECT count(*) FROM users WHERE status != 'deleted'", RECAM_DB_NOARGS,
				  read_count, n);
}

int recam_user_create(recam_db *db, const char *email, const char *name, enum recam_role role,
		      const char *password_hash, recam_user *out)
{
	memset(out, 0, sizeof(*out));
	recam_random_id(out->id);
	recam_strlcpy(out->email, email, sizeof(out->email));
	recam_strlcpy(out->name, name, sizeof(out->name));
	recam_strlcpy(out->status, "active", sizeof(out->status));
	out->role = role;
	out->created_at = recam_clock_now();
	return recam_db_exec(db,
			     "INSERT INTO users (id, email, name, role, password_hash, status, password_set_at, "
			     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?)",
			     RECAM_DB_ARGS(DBV_TEXT(out->id), DBV_TEXT(email), DBV_TEXT(name),
					   DBV_TEXT(recam_role_name(role)), DBV_TEXT(password_hash),
					   DBV_INT(out->created_at), DBV_INT(out->created_at), DBV_INT(out->created_at)));
}

struct list_ctx {
	int (*fn)(void *ctx, const recam_user *u);
	void *ctx;
};

static int list_row(void *ctx, const recam_dbrow *row)
{
	struct list_ctx *l = ctx;
	recam_user u;
	int rc = read_user(&u, row);
	return rc != 0 ? rc : l->fn(l->ctx, &u);
}

int recam_user_list(recam_db *db, int (*fn)(void *ctx, const recam_user *u), void *ctx)
{
	struct list_ctx l = {fn, ctx};
	return recam_db_query(db, "SELECT " USER_COLS " FROM users WHERE status != 'deleted' ORDER BY created_at, id",
			      RECAM_DB_NOARGS, list_row, &l);
}

/* Active owners other than id: the last one may not go. */
static int other_owners(recam_db *db, const char *id, int64_t *n)
{
	return recam_db_query_one(db,
				  "SELECT count(*) FROM users WHERE role = 'owner' AND status = 'active' AND id != ?",
				  RECAM_DB_ARGS(DBV_TEXT(id)), read_count, n);
}

int recam_user_update(recam_db *db, const char *id, const enum recam_role *role, const char *status)
{
	recam_user u;
	int rc = recam_user_by_id(db, id, &u);
	if (rc != 0)
		return rc;
	if (status && strcmp(status, "active") != 0 && strcmp(status, "disabled") != 0)
		return RECAM_EINVAL;
	bool stays_owner = (role ? *role : u.role) == RECAM_ROLE_OWNER && strcmp(status ? status : u.status, "active") == 0;
	if (u.role == RECAM_ROLE_OWNER && recam_user_active(&u) && !stays_owner) {
		int64_t n = 0;
		if ((rc = other_owners(db, id, &n)) != 0)
			return rc;
		if (n == 0)
			return RECAM_ECONFLICT;
	}
	int64_t now = recam_clock_now();
	rc = recam_db_exec(db, "UPDATE users SET role = ?, status = ?, updated_at = ? WHERE id = ?",
			   RECAM_DB_ARGS(DBV_TEXT(recam_role_name(role ? *role : u.role)),
					 DBV_TEXT(status ? status : u.status), DBV_INT(now), DBV_TEXT(id)));
	if (rc == 0 && status && strcmp(status, "active") != 0)
		rc = recam_db_exec(db, "DELETE FROM sessions WHERE user_id = ?", RECAM_DB_ARGS(DBV_TEXT(id)));
	/* A role change takes effect on the next request: the gate reads the role with the session. */
	return rc;
}

int recam_user_delete(recam_db *db, const char *id)
{
	recam_user u;
	int rc = recam_user_by_id(db, id, &u);
	if (rc != 0)
		return rc;
	if (u.role == RECAM_ROLE_OWNER && recam_user_active(&u)) {
		int64_t n = 0;
		if ((rc = other_owners(db, id, &n)) != 0)
			return rc;
		if (n == 0)
			return RECAM_ECONFLICT;
	}
	/* The row stays (the audit log names it); the address is freed for reuse
	 * and the password hash is dropped. */
	char freed[RECAM_EMAIL_MAX + 1];
	snprintf(freed, sizeof(freed), "%s@deleted.invalid", id);
	rc = recam_db_exec(db,
			   "UPDATE users SET status = 'deleted', email = ?, password_hash = '', updated_at = ? WHERE id = ?",
			   RECAM_DB_ARGS(DBV_TEXT(freed), DBV_INT(recam_clock_now()), DBV_TEXT(id)));
	if (rc == 0)
		rc = recam_db_exec(db, "DELETE FROM sessions WHERE user_id = ?", RECAM_DB_ARGS(DBV_TEXT(id)));
	return rc;
}

int recam_user_set_password(recam_db *db, const char *id, const char *hash)
{
	int64_t now = recam_clock_now();
	return recam_db_exec(db, "UPDATE users SET password_hash = ?, password_set_at = ?, updated_at = ? WHERE id = ?",
			     RECAM_DB_ARGS(DBV_TEXT(hash), DBV_INT(now), DBV_INT(now), DBV_TEXT(id)));
}

int64_t recam_login_lock_until(int64_t failures, int64_t now)
{
	if (failures <= 0 || failures % RECAM_LOGIN_MAX_FAILURES != 0)
		return 0;
	/* 15 min, 30 min, 1 h, ... a day: each lock doubles the wait. */
	int64_t secs = RECAM_LOGIN_LOCK_SECONDS;
	for (int64_t k = failures / RECAM_LOGIN_MAX_FAILURES; k > 1 && secs < RECAM_LOGIN_LOCK_MAX_SECONDS; k--)
		secs *= 2;
	if (secs > RECAM_LOGIN_LOCK_MAX_SECONDS)
		secs = RECAM_LOGIN_LOCK_MAX_SECONDS;
	return now + secs;
}

int recam_user_login_failed(recam_db *db, const recam_user *u, int64_t now, int64_t *locked_until)
{
	int64_t failures = u->failed_logins + 1;
	*locked_until = recam_login_lock_until(failures, now);
	return recam_db_exec(db, "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
			     RECAM_DB_ARGS(DBV_INT(failures), DBV_INT(*locked_until ? *locked_until : u->locked_until),
					   DBV_TEXT(u->id)));
}

struct throttle {
	int64_t failures, locked_until;
};

static int read_throttle(void *ctx, const recam_dbrow *row)
{
	struct throttle *t = ctx;
	t->failures = recam_dbrow_int(row, 0);
	t->locked_until = recam_dbrow_int(row, 1);
	return 0;
}

int recam_login_unknown_state(recam_db *db, const char *email, int64_t *failures, int64_t *locked_until)
{
	struct throttle t = {0, 0};
	int rc = recam_db_query_one(db, "SELECT failed_logins, locked_until FROM login_throttle WHERE email = ?",
				    RECAM_DB_ARGS(DBV_TEXT(email)), read_throttle, &t);
	*failures = t.failures;
	*locked_until = t.locked_until;
	return rc == RECAM_ENOTFOUND ? 0 : rc;
}

int recam_login_unknown_failed(recam_db *db, const char *email, int64_t now, int64_t *locked_until)
{
	int64_t failures = 0, prev_lock = 0;
	int rc = recam_login_unknown_state(db, email, &failures, &prev_lock);
	if (rc != 0)
		return rc;
	failures++;
	*locked_until = recam_login_lock_until(failures, now);
	rc = recam_db_exec(db, "DELETE FROM login_throttle WHERE updated_at < ?", RECAM_DB_ARGS(DBV_INT(now - 2 * 86400)));
	if (rc != 0)
		return rc;
	return recam_db_exec(db,
			     "INSERT INTO login_throttle (email, failed_logins, locked_until, updated_at) VALUES (?, ?, ?, ?) "
			     "ON CONFLICT(email) DO UPDATE SET failed_logins = excluded.failed_logins, "
			     "locked_until = excluded.locked_until, updated_at = excluded.updated_at",
			     RECAM_DB_ARGS(DBV_TEXT(email), DBV_INT(failures),
					   DBV_INT(*locked_until ? *locked_until : prev_lock), DBV_INT(now)));
}

int recam_user_login_succeeded(recam_db *db, const char *id)
{
	return recam_db_exec(db, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?",
			     RECAM_DB_ARGS(DBV_TEXT(id)));
}

json_t *recam_user_json(const recam_user *u, bool pii)
{
	char created[40];
	recam_clock_format_rfc3339(u->created_at, created, sizeof(created));
	/* A viewer sees that an account exists and its role, not who it is. */
	const char *at = strchr(u->email, '@');
	char masked[RECAM_EMAIL_MAX + 1];
	snprintf(masked, sizeof(masked), "%.1s***%s", u->email, at ? at : "");
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", u->id, "email", pii ? u->email : masked, "name",
			 pii ? u->name : "***", "role", recam_role_name(u->role), "status", u->status, "created_at",
			 created);
}
