/* entry_search.c — searchable entry columns, entry history, entry search. */
#include "entry_search.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "receipt/normalize.h"

#define STORE_MAX_BYTES 400
#define PRODUCT_MAX_BYTES 400

int recam_entry_store_norm(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	size_t n = strnlen(s, STORE_MAX_BYTES);
	char *t;
	int rc = recam_norm_text(s, n, &t);
	if (rc != 0)
		return rc;
	/* Trim, and one space for a run of them. */
	size_t w = 0;
	for (size_t i = 0; t[i]; i++) {
		if (t[i] == ' ' && (w == 0 || t[w - 1] == ' '))
			continue;
		t[w++] = t[i];
	}
	while (w > 0 && t[w - 1] == ' ')
		w--;
	t[w] = '\0';
	if (w == 0) {
		free(t);
		return 0;
	}
	*out = t;
	return 0;
}

int recam_entry_search_index(recam_db *db, const char *entry_id, const json_t *summary, double confidence)
{
	const char *store_in = json_string_value(json_object_get(summary, "store"));
	const char *date = json_string_value(json_object_get(summary, "date"));
	json_t *jtotal = json_object_get(summary, "total");
	int64_t day = 0;
	bool has_day = date && recam_clock_parse_date(date, &day) == 0;
	char *store = NULL;
	int rc = recam_entry_store_norm(store_in, &store);
	if (rc != 0)
		return rc;
	rc = recam_db_exec(db, "UPDATE entries SET store = ?, purchase_day = ?, total = ?, confidence_ppm = ? WHERE id = ?",
			   RECAM_DB_ARGS(store ? DBV_TEXT(store) : DBV_NULL, has_day ? DBV_INT(day) : DBV_NULL,
					 json_is_integer(jtotal) ? DBV_INT(json_integer_value(jtotal)) : DBV_NULL,
					 DBV_INT((int64_t)(confidence * 1000000.0)), DBV_TEXT(entry_id)));
	free(store);
	if (rc == 0)
		rc = recam_db_exec(db, "DELETE FROM entry_products WHERE entry_id = ?", RECAM_DB_ARGS(DBV_TEXT(entry_id)));
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(summary, "products"), i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		if (rc != 0)
			break;
		if (name == NULL || strnlen(name, PRODUCT_MAX_BYTES) == PRODUCT_MAX_BYTES)
			continue;
		/* One row per product: several lines of one product add up. */
		rc = recam_db_exec(db,
				   "INSERT INTO entry_products(entry_id, campaign_id, product, quantity, amount, created_at)"
				   " SELECT id, campaign_id, ?, ?, ?, created_at FROM entries WHERE id = ?"
				   " ON CONFLICT(entry_id, product) DO UPDATE SET quantity = quantity + excluded.quantity,"
				   " amount = amount + excluded.amount",
				   RECAM_DB_ARGS(DBV_TEXT(name), DBV_INT(json_integer_value(json_object_get(p, "quantity"))),
						 DBV_INT(json_integer_value(json_object_get(p, "amount"))),
						 DBV_TEXT(entry_id)));
	}
	return rc;
}

int recam_entry_event(recam_db *db, const char *entry_id, const char *actor, const char *kind, const json_t *detail)
{
	char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	if (detail && text == NULL)
		return RECAM_ENOMEM;
	int rc = recam_db_exec(db, "INSERT INTO entry_events(entry_id, at_ms, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
			       RECAM_DB_ARGS(DBV_TEXT(entry_id), DBV_INT(recam_clock_now_ms()), DBV_TEXT(actor),
					     DBV_TEXT(kind), text ? DBV_TEXT(text) : DBV_NULL));
	free(text);
	return rc;
}

void recam_entry_cursor_format(int64_t at, const char *id, char out[64])
{
	snprintf(out, 64, "%" PRId64 ".%s", at, id);
}

int recam_entry_cursor_parse(const char *s, int64_t *at, char id[RECAM_ID_LEN + 1])
{
	const char *dot = s ? strchr(s, '.') : NULL;
	if (dot == NULL || strlen(dot + 1) != RECAM_ID_LEN)
		return RECAM_EINVAL;
	if (recam_parse_i64((recam_str){s, (size_t)(dot - s)}, 0, INT64_MAX, at) != 0)
		return RECAM_EINVAL;
	for (const char *c = dot + 1; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z')))
			return RECAM_EINVAL;
	memcpy(id, dot + 1, RECAM_ID_LEN + 1);
	return 0;
}

/* The search is put together from fixed fragments (never from request
 * text; every value is a bound parameter), so that each combination of
 * filters is a plain conjunction the planner serves from the index that
 * starts with its equalities and ends with (created_at, id). A product
 * filter reads entry_products' index instead and joins the entries: a rare
 * product is then a short range, not a scan of the campaign. */
#define MAX_ARGS 16

struct sql {
	recam_buf b;
	recam_dbval args[MAX_ARGS];
	int n;
};

static void arg(struct sql *q, recam_dbval v)
{
	if (q->n < MAX_ARGS)
		q->args[q->n] = v;
	q->n++; /* counted past the end: caught before the query runs */
}

static const char select_cols[] =
	"SELECT e.id, e.campaign_id, (SELECT slug FROM campaigns WHERE id = e.campaign_id), e.status, e.reason,"
	" e.created_at, e.store, e.purchase_day, e.total, e.units, e.participant_id, e.reviewed_by, e.reviewed_at,"
	" (SELECT group_concat(product || '×' || quantity, ' / ') FROM entry_products WHERE entry_id = e.id)";

int recam_entry_search(recam_db *db, const recam_entry_filter *f, recam_db_row_fn fn, void *ctx)
{
	struct sql q = {.n = 0};
	recam_buf_init(&q.b, 4096);
	/* t: the table whose (created_at, id) order the rows come in. */
	const char *t = f->product ? "p" : "e";
	const char *tid = f->product ? "p.entry_id" : "e.id";
	int rc = recam_buf_appends(&q.b, select_cols);
	if (rc == 0 && f->with_email)
		rc = recam_buf_appends(&q.b, ", (SELECT email_sealed FROM participants WHERE id = e.participant_id)");
	if (f->product) {
		rc = rc ? rc : recam_buf_appends(&q.b, " FROM entry_products p CROSS JOIN entries e WHERE e.id = p.entry_id"
						       " AND p.product = ?");
		arg(&q, DBV_TEXT(f->product));
		if (f->campaign_id) {
			rc = rc ? rc : recam_buf_appends(&q.b, " AND p.campaign_id = ?");
			arg(&q, DBV_TEXT(f->campaign_id));
		}
	} else {
		rc = rc ? rc : recam_buf_appends(&q.b, " FROM entries e WHERE 1 = 1");
		if (f->campaign_id) {
			rc = rc ? rc : recam_buf_appends(&q.b, " AND e.campaign_id = ?");
			arg(&q, DBV_TEXT(f->campaign_id));
		}
	}
	if (f->status) {
		rc = rc ? rc : recam_buf_appends(&q.b, " AND e.status = ?");
		arg(&q, DBV_TEXT(f->status));
	}
	if (f->store) {
		rc = rc ? rc : recam_buf_appends(&q.b, " AND e.store = ?");
		arg(&q, DBV_TEXT(f->store));
	}
	if (f->participant_id) {
		rc = rc ? rc : recam_buf_appends(&q.b, " AND e.participant_id = ?");
		arg(&q, DBV_TEXT(f->participant_id));
	}
	/* One upper bound on created_at (the range's end or the cursor's time),
	 * so the index is entered there; the cursor's id breaks the tie. */
	int64_t upper = f->to == INT64_MAX ? INT64_MAX : f->to - 1;
	if (f->cursor_id && f->cursor_at < upper)
		upper = f->cursor_at;
	if (f->from > 0) {
		rc = rc ? rc : recam_buf_appendf(&q.b, " AND %s.created_at >= ?", t);
		arg(&q, DBV_INT(f->from));
	}
	if (upper != INT64_MAX) {
		rc = rc ? rc : recam_buf_appendf(&q.b, " AND %s.created_at <= ?", t);
		arg(&q, DBV_INT(upper));
	}
	if (f->cursor_id) {
		rc = rc ? rc : recam_buf_appendf(&q.b, " AND (%s.created_at < ? OR %s < ?)", t, tid);
		arg(&q, DBV_INT(f->cursor_at));
		arg(&q, DBV_TEXT(f->cursor_id));
	}
	rc = rc ? rc : recam_buf_appendf(&q.b, " ORDER BY %s.created_at DESC, %s DESC", t, tid);
	if (f->limit > 0) {
		rc = rc ? rc : recam_buf_appends(&q.b, " LIMIT ?");
		arg(&q, DBV_INT(f->limit));
	}
	if (rc == 0 && q.n > MAX_ARGS)
		rc = RECAM_EINTERNAL;
	if (rc == 0)
		rc = recam_db_query(db, q.b.data, q.args, q.n, fn, ctx);
	recam_buf_free(&q.b);
	return rc;
}
