/* db_sqlite.c — SQLite implementation of recam_db: prepared statements with
 * bound parameters only, a small per-connection statement cache. */
#include "db_sqlite.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/log.h"

#define STMT_CACHE 24

struct stmt_slot {
	const char *sql; /* the caller's string: services pass literals */
	sqlite3_stmt *stmt;
};

struct sqlite_conn {
	recam_db db;
	sqlite3 *h;
	struct stmt_slot cache[STMT_CACHE];
	unsigned next_evict;
};

static int sqlite_fail(struct sqlite_conn *c, const char *what, int src)
{
	recam_db_count_error();
	recam_error("%s: %s (%d)", what, sqlite3_errmsg(c->h), src);
	switch (src & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return RECAM_EBUSY;
	case SQLITE_CONSTRAINT: return RECAM_ECONFLICT;
	case SQLITE_FULL:
	case SQLITE_IOERR: return RECAM_EIO;
	case SQLITE_TOOBIG: return RECAM_ETOOBIG;
	default: return RECAM_EDB;
	}
}

static int stmt_get(struct sqlite_conn *c, const char *sql, sqlite3_stmt **out)
{
	for (int i = 0; i < STMT_CACHE; i++) {
		if (c->cache[i].sql != NULL && strcmp(c->cache[i].sql, sql) == 0) {
			*out = c->cache[i].stmt;
			return 0;
		}
	}
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (src != SQLITE_OK)
		return sqlite_fail(c, "prepare", src);
	/* Keyed by a copy of the text: a caller may pass a string that does not
	 * outlive the call. */
	struct stmt_slot *slot = NULL;
	for (int i = 0; i < STMT_CACHE && slot == NULL; i++)
		if (c->cache[i].sql == NULL)
			slot = &c->cache[i];
	if (slot == NULL) {
		slot = &c->cache[c->next_evict++ % STMT_CACHE];
		sqlite3_finalize(slot->stmt);
		free((void *)slot->sql);
	}
	slot->sql = strdup(sql);
	if (slot->sql == NULL) {
		sqlite3_finalize(st);
		slot->stmt = NULL;
		return RECAM_ENOMEM;
	}
	slot->stmt = st;
	*out = st;
	return 0;
}

static int bind_all(struct sqlite_conn *c, sqlite3_stmt *st, const recam_dbval *args, int nargs)
{
	if (sqlite3_bind_parameter_count(st) != nargs) {
		recam_error("statement takes %d parameters, %d given", sqlite3_bind_parameter_count(st), nargs);
		return RECAM_EINTERNAL;
	}
	for (int i = 0; i < nargs; i++) {
		int src;
		const recam_dbval *v = &args[i];
		switch (v->type) {
		case RECAM_DB_INT: src = sqlite3_bind_int64(st, i + 1, v->i); break;
		case RECAM_DB_TEXT: src = sqlite3_bind_text64(st, i + 1, v->p, v->n, SQLITE_STATIC, SQLITE_UTF8); break;
		case RECAM_DB_BLOB: src = sqlite3_bind_blob64(st, i + 1, v->p ? v->p : "", v->n, SQLITE_STATIC); break;
		default: src = sqlite3_bind_null(st, i + 1); break;
		}
		if (src != SQLITE_OK)
			return sqlite_fail(c, "bind", src);
	}
	return 0;
}

static int row_columns(const recam_dbrow *r) { return sqlite3_column_count(r->impl); }
static bool row_is_null(const recam_dbrow *r, int col) { return sqlite3_column_type(r->impl, col) == SQLITE_NULL; }
static int64_t row_int(const recam_dbrow *r, int col) { return sqlite3_column_int64(r->impl, col); }
static const void *row_bytes(const recam_dbrow *r, int col, size_t *len)
{
	sqlite3_stmt *st = r->impl;
	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		if (len)
			*len = 0;
		return NULL;
	}
	/* Text first so SQLite adds the terminating NUL; then the byte count. */
	const void *p = sqlite3_column_type(st, col) == SQLITE_BLOB ? sqlite3_column_blob(st, col)
								    : (const void *)sqlite3_column_text(st, col);
	if (len)
		*len = (size_t)sqlite3_column_bytes(st, col);
	return p ? p : "";
}

static const struct recam_dbrow_ops sqlite_row_ops = {row_columns, row_is_null, row_int, row_bytes};

static int run(recam_db *db, const char *sql, const recam_dbval *args, int nargs, recam_db_row_fn fn, void *ctx,
	       int64_t *changes)
{
	struct sqlite_conn *c = db->impl;
	sqlite3_stmt *st = NULL;
	int rc = stmt_get(c, sql, &st);
	if (rc != 0)
		return rc;
	if ((rc = bind_all(c, st, args, nargs)) != 0)
		goto done;
	recam_dbrow row = {&sqlite_row_ops, st};
	for (;;) {
		int src = sqlite3_step(st);
		if (src == SQLITE_DONE)
			break;
		if (src != SQLITE_ROW) {
			rc = sqlite_fail(c, "step", src);
			break;
		}
		if (fn && (rc = fn(ctx, &row)) != 0)
			break;
	}
	if (rc >= 0 && changes)
		*changes = sqlite3_changes64(c->h);
done:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int op_exec(recam_db *db, const char *sql, const recam_dbval *args, int nargs, int64_t *changes)
{
	return run(db, sql, args, nargs, NULL, NULL, changes);
}

static int op_query(recam_db *db, const char *sql, const recam_dbval *args, int nargs, recam_db_row_fn fn,
		    void *ctx)
{
	return run(db, sql, args, nargs, fn, ctx, NULL);
}

static int op_script(recam_db *db, const char *sql)
{
	struct sqlite_conn *c = db->impl;
	int src = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
	return src == SQLITE_OK ? 0 : sqlite_fail(c, "exec", src);
}

/* IMMEDIATE: take the write lock at the start, so two writers wait on the
 * busy timeout instead of failing with a deadlock half-way. */
static int op_begin(recam_db *db) { return op_exec(db, "BEGIN IMMEDIATE", NULL, 0, NULL); }
static int op_commit(recam_db *db) { return op_exec(db, "COMMIT", NULL, 0, NULL); }
static int op_rollback(recam_db *db)
{
	struct sqlite_conn *c = db->impl;
	if (sqlite3_get_autocommit(c->h))
		return 0;
	return op_exec(db, "ROLLBACK", NULL, 0, NULL);
}

static void op_close(recam_db *db)
{
	struct sqlite_conn *c = db->impl;
	for (int i = 0; i < STMT_CACHE; i++) {
		sqlite3_finalize(c->cache[i].stmt);
		free((void *)c->cache[i].sql);
	}
	sqlite3_close_v2(c->h);
	free(c);
}

static const struct recam_db_ops sqlite_ops = {op_exec, op_query, op_script, op_begin, op_commit, op_rollback, op_close};

int recam_sqlite_open(const char *path, bool create, int busy_timeout_ms, recam_db **out)
{
	struct sqlite_conn *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return RECAM_ENOMEM;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW | (create ? SQLITE_OPEN_CREATE : 0);
	int src = sqlite3_open_v2(path, &c->h, flags, NULL);
	if (src != SQLITE_OK) {
		int rc = (src == SQLITE_CANTOPEN) ? RECAM_ENOTFOUND : RECAM_EDB;
		recam_error("open %s: %s", path, c->h ? sqlite3_errmsg(c->h) : "out of memory");
		recam_db_count_error();
		sqlite3_close_v2(c->h);
		free(c);
		return rc;
	}
	c->db.ops = &sqlite_ops;
	c->db.impl = c;
	sqlite3_busy_timeout(c->h, busy_timeout_ms);
	sqlite3_extended_result_codes(c->h, 1);
	/* Durability first: an entry is acknowledged only once on disk. */
	int rc = op_script(&c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
				   "PRAGMA trusted_schema=OFF;");
	if (rc != 0) {
		op_close(&c->db);
		return rc;
	}
	*out = &c->db;
	return 0;
}
