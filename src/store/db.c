/* db.c — backend-independent helpers of the store interface. */
#include "db.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/str.h"

static _Atomic uint64_t db_errors;

void recam_db_count_error(void) { atomic_fetch_add(&db_errors, 1); }
uint64_t recam_db_error_count(void) { return atomic_load(&db_errors); }

int recam_db_collect_id(void *ctx, const recam_dbrow *row)
{
	recam_db_ids *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *p = realloc(l->ids, cap * sizeof(*l->ids));
		if (p == NULL)
			return RECAM_ENOMEM;
		l->ids = p;
		l->cap = cap;
	}
	return recam_dbrow_copy_text(row, 0, l->ids[l->n++], sizeof(l->ids[0]));
}

int recam_dbrow_copy_text(const recam_dbrow *r, int col, char *out, size_t n)
{
	size_t len = 0;
	const char *s = recam_dbrow_text(r, col, &len);
	if (n == 0)
		return RECAM_ETOOBIG;
	if (s == NULL) {
		out[0] = '\0';
		return 0;
	}
	if (len >= n) {
		out[0] = '\0';
		return RECAM_ETOOBIG;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

struct one_ctx {
	recam_db_row_fn fn;
	void *ctx;
	int rc;
	bool seen;
};

static int one_row(void *vctx, const recam_dbrow *row)
{
	struct one_ctx *c = vctx;
	c->seen = true;
	c->rc = c->fn ? c->fn(c->ctx, row) : 0;
	return 1; /* stop after the first row */
}

int recam_db_query_one(recam_db *db, const char *sql, const recam_dbval *args, int nargs, recam_db_row_fn fn,
		       void *ctx)
{
	struct one_ctx c = {fn, ctx, 0, false};
	int rc = recam_db_query(db, sql, args, nargs, one_row, &c);
	if (rc < 0)
		return rc;
	if (!c.seen)
		return RECAM_ENOTFOUND;
	return c.rc;
}
