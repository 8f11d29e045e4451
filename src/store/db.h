/* db.h — the store interface the services use: one connection to one
 * database (the control database or one tenant's), typed bound parameters
 * only, rows read through accessors inside a callback.
 *
 * SQL uses '?' placeholders and the common subset of SQLite and PostgreSQL;
 * a PostgreSQL backend (one schema per tenant) implements recam_db_ops and
 * rewrites placeholders, without touching the services. */
#ifndef RECAM_DB_H
#define RECAM_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/str.h"

enum recam_dbtype { RECAM_DB_NULL, RECAM_DB_INT, RECAM_DB_TEXT, RECAM_DB_BLOB };

typedef struct recam_dbval {
	enum recam_dbtype type;
	int64_t i;
	const void *p;
	size_t n;
} recam_dbval;

#define DBV_NULL ((recam_dbval){.type = RECAM_DB_NULL})
#define DBV_INT(x) ((recam_dbval){.type = RECAM_DB_INT, .i = (int64_t)(x)})
#define DBV_TEXT(s) ((recam_dbval){.type = RECAM_DB_TEXT, .p = (s), .n = strlen(s)})
#define DBV_TEXTN(s, len) ((recam_dbval){.type = RECAM_DB_TEXT, .p = (s), .n = (len)})
#define DBV_BLOB(b, len) ((recam_dbval){.type = RECAM_DB_BLOB, .p = (b), .n = (len)})
/* RECAM_DB_ARGS(DBV_TEXT(x), DBV_INT(1)) expands to "array, count". */
#define RECAM_DB_ARGS(...) (recam_dbval[]){__VA_ARGS__}, (int)(sizeof((recam_dbval[]){__VA_ARGS__}) / sizeof(recam_dbval))
#define RECAM_DB_NOARGS NULL, 0

typedef struct recam_db recam_db;
typedef struct recam_dbrow recam_dbrow;

/* Return non-zero from the callback to stop; that value is returned by query. */
typedef int (*recam_db_row_fn)(void *ctx, const recam_dbrow *row);

struct recam_dbrow_ops {
	int (*columns)(const recam_dbrow *r);
	bool (*is_null)(const recam_dbrow *r, int col);
	int64_t (*get_int)(const recam_dbrow *r, int col);
	const void *(*get_bytes)(const recam_dbrow *r, int col, size_t *len);
};

struct recam_dbrow {
	const struct recam_dbrow_ops *ops;
	void *impl;
};

struct recam_db_ops {
	int (*exec)(recam_db *db, const char *sql, const recam_dbval *args, int nargs, int64_t *changes);
	int (*query)(recam_db *db, const char *sql, const recam_dbval *args, int nargs, recam_db_row_fn fn,
		     void *ctx);
	/* Several statements, no parameters: only for migrations. */
	int (*exec_script)(recam_db *db, const char *sql);
	int (*begin)(recam_db *db);
	int (*commit)(recam_db *db);
	int (*rollback)(recam_db *db);
	void (*close)(recam_db *db);
};

struct recam_db {
	const struct recam_db_ops *ops;
	void *impl;
	struct recam_db_pool *pool; /* where release() returns it */
	recam_db *next_free;
};

static inline int recam_db_exec(recam_db *db, const char *sql, const recam_dbval *args, int nargs)
{
	return db->ops->exec(db, sql, args, nargs, NULL);
}
static inline int recam_db_exec_changes(recam_db *db, const char *sql, const recam_dbval *args, int nargs,
					int64_t *changes)
{
	return db->ops->exec(db, sql, args, nargs, changes);
}
static inline int recam_db_query(recam_db *db, const char *sql, const recam_dbval *args, int nargs,
				 recam_db_row_fn fn, void *ctx)
{
	return db->ops->query(db, sql, args, nargs, fn, ctx);
}
static inline int recam_db_begin(recam_db *db) { return db->ops->begin(db); }
static inline int recam_db_commit(recam_db *db) { return db->ops->commit(db); }
static inline int recam_db_rollback(recam_db *db) { return db->ops->rollback(db); }

static inline int recam_dbrow_columns(const recam_dbrow *r) { return r->ops->columns(r); }
static inline bool recam_dbrow_is_null(const recam_dbrow *r, int col) { return r->ops->is_null(r, col); }
static inline int64_t recam_dbrow_int(const recam_dbrow *r, int col) { return r->ops->get_int(r, col); }
/* Text is NUL-terminated; NULL for SQL NULL. Valid only inside the callback. */
static inline const char *recam_dbrow_text(const recam_dbrow *r, int col, size_t *len)
{
	return (const char *)r->ops->get_bytes(r, col, len);
}
static inline const void *recam_dbrow_blob(const recam_dbrow *r, int col, size_t *len)
{
	return r->ops->get_bytes(r, col, len);
}

/* Copies column text into a fixed buffer (empty for NULL); RECAM_ETOOBIG if cut. */
int recam_dbrow_copy_text(const recam_dbrow *r, int col, char *out, size_t n);

/* A growing list of ids: recam_db_collect_id, as the row callback of a
 * query, appends column 0 of each row; the caller frees ids. */
typedef struct recam_db_ids {
	char (*ids)[RECAM_ID_LEN + 1];
	size_t n, cap;
} recam_db_ids;
int recam_db_collect_id(void *ctx, const recam_dbrow *row);

/* One query expected to return exactly the first row: RECAM_ENOTFOUND if none. */
int recam_db_query_one(recam_db *db, const char *sql, const recam_dbval *args, int nargs, recam_db_row_fn fn,
		       void *ctx);

/* Counts every database error (exported in /metrics). */
void recam_db_count_error(void);
uint64_t recam_db_error_count(void);

#endif
