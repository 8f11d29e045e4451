/* api_admin_entries.c — entries for staff: search with filters (campaign,
 * status, entry date, store, product, participant by email), keyset pages,
 * one entry with its history, and the export of a filtered list through
 * http/table_out (CSV UTF-8 with BOM, CSV Shift_JIS, .xlsx). Every search,
 * read and export is an audit record; viewers see addresses masked. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "campaign/entry_search.h"
#include "campaign/judge.h"
#include "campaign/participant.h"
#include "campaign/review.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/server.h"
#include "http/table_out.h"

#define PAGE_DEFAULT 50
#define PRODUCT_MAX_BYTES 400

static const char *const STATUSES[] = {"queued", "reading", "accepted", "rejected", "review"};

static const char *given(recam_req *req, const char *name)
{
	const char *v = recam_req_query(req, name);
	return v && v[0] ? v : NULL;
}

/* "YYYY-MM-DD" (a day in Asia/Tokyo; as an end, the whole day) or RFC 3339. */
static void time_filter(recam_req *req, const char *name, bool end, int64_t *out, json_t *fields)
{
	const char *v = given(req, name);
	int64_t day, t;
	if (v == NULL)
		return;
	if (strlen(v) == 10 && recam_clock_parse_date(v, &day) == 0 && day >= 0 && day < 200000)
		*out = (day + (end ? 1 : 0)) * 86400 - 9 * 3600;
	else if (recam_clock_parse_rfc3339(v, &t) == 0 && t >= 0)
		*out = t;
	else
		json_object_set_new(fields, name,
				    json_string(api_admin_msg(req, "日付は YYYY-MM-DD で指定してください。", "A date as YYYY-MM-DD.")));
}

struct query {
	recam_entry_filter f;
	char cursor_id[RECAM_ID_LEN + 1];
	char participant[RECAM_ID_LEN + 1];
	char email[RECAM_EMAIL_MAX + 1];
	char *store; /* malloc'd */
	bool nobody; /* an address that never entered: nothing matches */
};

static void query_free(struct query *q)
{
	free(q->store);
	q->store = NULL;
}

/* The filters of the query string; RECAM_EINVAL with *fields set. */
static int parse_query(recam_req *req, struct query *q, bool paged, json_t **fields)
{
	memset(q, 0, sizeof(*q));
	q->f.to = INT64_MAX;
	*fields = json_object();
	const char *campaign = given(req, "campaign"), *status = given(req, "status"), *store = given(req, "store");
	const char *product = given(req, "product"), *email = given(req, "email"), *pid = given(req, "participant");
	const char *cursor = given(req, "cursor"), *limit = given(req, "limit");
	if (campaign && !recam_id_valid(campaign))
		json_object_set_new(*fields, "campaign", json_string(api_admin_msg(req, "正しくないキャンペーンIDです。",
										   "Not a campaign id.")));
	q->f.campaign_id = campaign;
	bool status_ok = status == NULL;
	for (size_t i = 0; status && i < sizeof(STATUSES) / sizeof(STATUSES[0]); i++)
		status_ok |= strcmp(status, STATUSES[i]) == 0;
	if (!status_ok)
		json_object_set_new(*fields, "status",
				    json_string(api_admin_msg(req, "状態は queued・reading・accepted・rejected・review のいずれかです。",
							      "One of queued, reading, accepted, rejected, review.")));
	q->f.status = status;
	time_filter(req, "from", false, &q->f.from, *fields);
	time_filter(req, "to", true, &q->f.to, *fields);
	if (store && (recam_utf8_text(store, strlen(store), false) < 0 || recam_entry_store_norm(store, &q->store) != 0))
		json_object_set_new(*fields, "store", json_string(api_admin_msg(req, "店舗名が正しくありません。",
										"Not a store name.")));
	q->f.store = q->store;
	if (product && (strlen(product) > PRODUCT_MAX_BYTES || recam_utf8_text(product, strlen(product), false) < 0))
		json_object_set_new(*fields, "product", json_string(api_admin_msg(req, "商品名が正しくありません。",
										  "Not a product name.")));
	q->f.product = product;
	if (email && !recam_email_normalize(email, q->email))
		json_object_set_new(*fields, "email", json_string(api_admin_msg(req, "メールアドレスの形式が正しくありません。",
										"Enter a valid email address.")));
	if (pid && !recam_id_valid(pid))
		json_object_set_new(*fields, "participant", json_string(api_admin_msg(req, "正しくない応募者IDです。",
										      "Not a participant id.")));
	else if (pid)
		memcpy(q->participant, pid, RECAM_ID_LEN + 1);
	if (paged && cursor && recam_entry_cursor_parse(cursor, &q->f.cursor_at, q->cursor_id) != 0)
		json_object_set_new(*fields, "cursor", json_string(api_admin_msg(req, "正しくないカーソルです。", "Invalid cursor.")));
	else if (paged && cursor)
		q->f.cursor_id = q->cursor_id;
	q->f.limit = paged ? PAGE_DEFAULT : 0;
	if (paged && limit && recam_parse_i64(recam_str_c(limit), 1, RECAM_ENTRY_PAGE_MAX, &q->f.limit) != 0)
		json_object_set_new(*fields, "limit", json_string(api_admin_msg(req, "1〜200の整数にしてください。",
										"A whole number from 1 to 200.")));
	if (json_object_size(*fields) > 0)
		return RECAM_EINVAL;
	json_decref(*fields);
	*fields = NULL;
	return 0;
}

static int read_pid(void *ctx, const recam_dbrow *row) { return recam_dbrow_copy_text(row, 0, ctx, RECAM_ID_LEN + 1); }

/* The participant an address belongs to, found as participant.c keeps it:
 * by the keyed hash of the normalized address (addresses are sealed). */
static int resolve_email(recam_req *req, recam_db *db, struct query *q)
{
	if (q->email[0] == '\0') {
		q->f.participant_id = q->participant[0] ? q->participant : NULL;
		return 0;
	}
	recam_key key;
	int rc = recam_tenant_key(&req->srv->master, req->tenant, &key);
	if (rc != 0)
		return rc;
	char hash[65], pid[RECAM_ID_LEN + 1];
	recam_keyed_hash_hex(&key, "emailidx", q->email, strlen(q->email), hash);
	recam_key_wipe(&key);
	rc = recam_db_query_one(db, "SELECT id FROM participants WHERE email_hash = ?", RECAM_DB_ARGS(DBV_TEXT(hash)),
				read_pid, pid);
	if (rc == RECAM_ENOTFOUND || (rc == 0 && q->participant[0] && strcmp(pid, q->participant) != 0)) {
		q->nobody = true;
		return 0;
	}
	if (rc == 0) {
		memcpy(q->participant, pid, sizeof(pid));
		q->f.participant_id = q->participant;
	}
	return rc;
}

static json_t *text_or_null(const recam_dbrow *row, int col)
{
	size_t n;
	const char *s = recam_dbrow_text(row, col, &n);
	return s ? json_stringn(s, n) : json_null();
}

struct page {
	json_t *rows;
	recam_lang lang;
};

static int page_row(void *ctx, const recam_dbrow *row)
{
	struct page *p = ctx;
	char created[40], reviewed[40], day[16];
	recam_clock_format_rfc3339(recam_dbrow_int(row, RECAM_EC_CREATED_AT), created, sizeof(created));
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:I, s:o, s:o, s:o}", "id",
			      text_or_null(row, RECAM_EC_ID), "campaign_id", text_or_null(row, RECAM_EC_CAMPAIGN_ID),
			      "campaign_slug", text_or_null(row, RECAM_EC_CAMPAIGN_SLUG), "status",
			      text_or_null(row, RECAM_EC_STATUS), "reason", text_or_null(row, RECAM_EC_REASON), "created_at",
			      created, "store", text_or_null(row, RECAM_EC_STORE), "products",
			      text_or_null(row, RECAM_EC_PRODUCTS), "units", (json_int_t)recam_dbrow_int(row, RECAM_EC_UNITS),
			      "participant_id", text_or_null(row, RECAM_EC_PARTICIPANT), "reviewed_by",
			      text_or_null(row, RECAM_EC_REVIEWED_BY), "total",
			      recam_dbrow_is_null(row, RECAM_EC_TOTAL) ? json_null()
								       : json_integer(recam_dbrow_int(row, RECAM_EC_TOTAL)));
	if (o == NULL)
		return RECAM_ENOMEM;
	const char *reason = json_string_value(json_object_get(o, "reason"));
	json_object_set_new(o, "reason_label", reason ? json_string(recam_reason_label(reason, p->lang)) : json_null());
	if (recam_dbrow_is_null(row, RECAM_EC_PURCHASE_DAY)) {
		json_object_set_new(o, "purchase_date", json_null());
	} else {
		recam_clock_format_daynum(recam_dbrow_int(row, RECAM_EC_PURCHASE_DAY), day, sizeof(day));
		json_object_set_new(o, "purchase_date", json_string(day));
	}
	if (recam_dbrow_is_null(row, RECAM_EC_REVIEWED_AT)) {
		json_object_set_new(o, "reviewed_at", json_null());
	} else {
		recam_clock_format_rfc3339(recam_dbrow_int(row, RECAM_EC_REVIEWED_AT), reviewed, sizeof(reviewed));
		json_object_set_new(o, "reviewed_at", json_string(reviewed));
	}
	json_array_append_new(p->rows, o);
	return 0;
}

/* GET entries?campaign&status&from&to&store&product&email&participant&cursor&limit */
int api_admin_entries_list(recam_req *req)
{
	struct query q;
	json_t *fields;
	int rc = parse_query(req, &q, true, &fields);
	if (rc != 0) {
		query_free(&q);
		return recam_resp_error(req, rc, NULL, fields);
	}
	recam_db *db = NULL;
	if ((rc = api_admin_db(req, &db)) != 0) {
		query_free(&q);
		return rc;
	}
	struct page p = {.rows = json_array(), .lang = req->lang};
	int64_t limit = q.f.limit;
	q.f.limit = limit + 1; /* one more tells whether a next page exists */
	rc = resolve_email(req, db, &q);
	if (rc == 0 && !q.nobody)
		rc = recam_entry_search(db, &q.f, page_row, &p);
	if (rc >= 0)
		rc = api_admin_audit(req, db, "entries.search", "entry", q.f.campaign_id ? q.f.campaign_id : "", "success",
				     false);
	recam_db_release(db);
	query_free(&q);
	if (rc < 0) {
		json_decref(p.rows);
		return rc;
	}
	json_t *next = json_null();
	if ((int64_t)json_array_size(p.rows) > limit) {
		json_array_remove(p.rows, (size_t)limit);
		json_t *last = json_array_get(p.rows, (size_t)limit - 1);
		char c[64];
		int64_t at;
		recam_clock_parse_rfc3339(json_string_value(json_object_get(last, "created_at")), &at);
		recam_entry_cursor_format(at, json_string_value(json_object_get(last, "id")), c);
		json_decref(next);
		next = json_string(c);
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o, s:o}", "entries", p.rows, "next_cursor", next));
}

static int store_row(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const char *s = recam_dbrow_text(row, 0, &n);
	if (s)
		json_array_append_new(ctx, json_pack("{s:s%, s:I}", "store", s, n, "count", (json_int_t)recam_dbrow_int(row, 1)));
	return 0;
}

/* GET entries/facets[?campaign=]: the campaigns with their target products,
 * and the stores most seen among the latest entries, for the filters. */
int api_admin_entries_facets(recam_req *req)
{
	const char *campaign = given(req, "campaign");
	if (campaign && !recam_id_valid(campaign))
		return recam_resp_error(req, RECAM_EINVAL, NULL,
					json_pack("{s:s}", "campaign", api_admin_msg(req, "正しくないキャンペーンIDです。", "Not a campaign id.")));
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	json_t *campaigns = NULL, *stores = json_array();
	rc = recam_review_campaigns(db, false, &campaigns);
	/* The latest 10,000 entries: a bounded read whatever the tenant's size. */
	if (rc == 0 && campaign)
		rc = recam_db_query(db,
				    "SELECT store, count(*) AS n FROM (SELECT store FROM entries WHERE campaign_id = ?"
				    " ORDER BY created_at DESC LIMIT 10000) WHERE store IS NOT NULL"
				    " GROUP BY store ORDER BY n DESC, store LIMIT 100",
				    RECAM_DB_ARGS(DBV_TEXT(campaign)), store_row, stores);
	else if (rc == 0)
		rc = recam_db_query(db,
				    "SELECT store, count(*) AS n FROM (SELECT store FROM entries"
				    " ORDER BY created_at DESC LIMIT 10000) WHERE store IS NOT NULL"
				    " GROUP BY store ORDER BY n DESC, store LIMIT 100",
				    RECAM_DB_NOARGS, store_row, stores);
	recam_db_release(db);
	if (rc < 0) {
		json_decref(campaigns);
		json_decref(stores);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o, s:o}", "campaigns", campaigns, "stores", stores));
}

/* "h***@example.jp" for those who may not see personal data. */
static void mask_email(const char *e, char *out, size_t n)
{
	const char *at = strchr(e, '@');
	if (at == NULL || at == e)
		snprintf(out, n, "***");
	else
		snprintf(out, n, "%.1s***%s", e, at);
}

static int open_email(const recam_key *key, const char *pid, const void *sealed, size_t len, bool pii, char *out,
		      size_t n)
{
	char ad[64];
	snprintf(ad, sizeof(ad), "participants.email:%s", pid);
	recam_buf b;
	recam_buf_init(&b, 1024);
	int rc = recam_open(key, ad, sealed, len, &b);
	if (rc == 0 && pii)
		snprintf(out, n, "%s", b.data ? b.data : "");
	else if (rc == 0)
		mask_email(b.data ? b.data : "", out, n);
	recam_buf_free(&b);
	return rc;
}

struct sealed {
	unsigned char *p;
	size_t n;
};

static int read_sealed(void *ctx, const recam_dbrow *row)
{
	struct sealed *s = ctx;
	size_t n;
	const void *b = recam_dbrow_blob(row, 0, &n);
	s->p = b ? malloc(n ? n : 1) : NULL;
	if (b && s->p == NULL)
		return RECAM_ENOMEM;
	if (b)
		memcpy(s->p, b, n);
	s->n = n;
	return 0;
}

static int win_row(void *ctx, const recam_dbrow *row)
{
	json_t *w = json_pack("{s:o, s:o, s:o, s:o}", "id", text_or_null(row, 0), "prize_code", text_or_null(row, 1),
			      "kind", text_or_null(row, 2), "status", text_or_null(row, 3));
	json_array_append_new(ctx, w);
	return 0;
}

/* GET entries/{id}: the entry, its photos' readings and corrections, its
 * history, its wins and its participant (the address masked for viewers). */
int api_admin_entry_get(recam_req *req)
{
	const char *id = recam_req_param(req, "id");
	if (!recam_id_valid(id))
		return RECAM_ENOTFOUND;
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	json_t *entry = NULL, *wins = json_array();
	struct sealed s = {NULL, 0};
	char email[RECAM_EMAIL_MAX + 8] = "";
	rc = recam_review_entry_json(db, id, req->lang, &entry);
	const char *pid = rc == 0 ? json_string_value(json_object_get(entry, "participant_id")) : NULL;
	if (rc == 0)
		rc = recam_db_query_one(db, "SELECT email_sealed FROM participants WHERE id = ?",
					RECAM_DB_ARGS(DBV_TEXT(pid ? pid : "")), read_sealed, &s);
	if (rc == 0 && s.p) {
		recam_key key;
		if ((rc = recam_tenant_key(&req->srv->master, req->tenant, &key)) == 0) {
			/* An address that does not open is shown as unknown, not as a failed page. */
			if (open_email(&key, pid, s.p, s.n, req->pii, email, sizeof(email)) != 0) {
				recam_warn("participant %s: sealed address does not open", pid);
				email[0] = '\0';
			}
			recam_key_wipe(&key);
		}
	}
	if (rc == 0)
		rc = recam_db_query(db, "SELECT id, prize_code, kind, status FROM wins WHERE entry_id = ? ORDER BY created_at",
				    RECAM_DB_ARGS(DBV_TEXT(id)), win_row, wins);
	if (rc >= 0)
		rc = api_admin_audit(req, db, "entry.read", "entry", id, "success", false);
	recam_db_release(db);
	free(s.p);
	if (rc < 0) {
		json_decref(entry);
		json_decref(wins);
		return rc;
	}
	json_object_set_new(entry, "participant", json_pack("{s:s?, s:s?}", "id", pid, "email", email[0] ? email : NULL));
	json_object_set_new(entry, "wins", wins);
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "entry", entry));
}

/* ---- export ---- */

struct export_ctx {
	recam_table_out *t;
	recam_key key;
	recam_lang lang;
	bool pii;
	int err;
};

static const char *status_label(const char *s, recam_lang lang)
{
	static const char *const ja[] = {"受付待ち", "読み取り中", "受付", "却下", "審査中"};
	static const char *const en[] = {"queued", "reading", "accepted", "rejected", "review"};
	for (size_t i = 0; s && i < sizeof(STATUSES) / sizeof(STATUSES[0]); i++)
		if (strcmp(s, STATUSES[i]) == 0)
			return lang == RECAM_LANG_EN ? en[i] : ja[i];
	return s;
}

/* Unix seconds as a time in Asia/Tokyo, "YYYY-MM-DD HH:MM:SS". */
static void tokyo_time(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)(t + 9 * 3600);
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, n, "?");
}

static int export_row(void *vctx, const recam_dbrow *row)
{
	struct export_ctx *x = vctx;
	size_t n;
	char created[32] = "", reviewed[32] = "", day[16] = "", total[24] = "", units[24] = "";
	char email[RECAM_EMAIL_MAX + 8] = "";
	tokyo_time(recam_dbrow_int(row, RECAM_EC_CREATED_AT), created, sizeof(created));
	if (!recam_dbrow_is_null(row, RECAM_EC_REVIEWED_AT))
		tokyo_time(recam_dbrow_int(row, RECAM_EC_REVIEWED_AT), reviewed, sizeof(reviewed));
	if (!recam_dbrow_is_null(row, RECAM_EC_PURCHASE_DAY))
		recam_clock_format_daynum(recam_dbrow_int(row, RECAM_EC_PURCHASE_DAY), day, sizeof(day));
	if (!recam_dbrow_is_null(row, RECAM_EC_TOTAL))
		snprintf(total, sizeof(total), "%lld", (long long)recam_dbrow_int(row, RECAM_EC_TOTAL));
	snprintf(units, sizeof(units), "%lld", (long long)recam_dbrow_int(row, RECAM_EC_UNITS));
	const char *pid = recam_dbrow_text(row, RECAM_EC_PARTICIPANT, &n);
	const void *sealed = recam_dbrow_blob(row, RECAM_EC_EMAIL_SEALED, &n);
	if (pid && sealed && open_email(&x->key, pid, sealed, n, x->pii, email, sizeof(email)) != 0)
		snprintf(email, sizeof(email), "?");
	const char *cells[] = {recam_dbrow_text(row, RECAM_EC_ID, &n),
			       recam_dbrow_text(row, RECAM_EC_CAMPAIGN_SLUG, &n),
			       status_label(recam_dbrow_text(row, RECAM_EC_STATUS, &n), x->lang),
			       recam_dbrow_text(row, RECAM_EC_REASON, &n),
			       created,
			       day,
			       recam_dbrow_text(row, RECAM_EC_STORE, &n),
			       total,
			       recam_dbrow_text(row, RECAM_EC_PRODUCTS, &n),
			       units,
			       pid,
			       email,
			       recam_dbrow_text(row, RECAM_EC_REVIEWED_BY, &n),
			       reviewed};
	int rc = recam_table_row(x->t, cells);
	if (rc != 0)
		x->err = rc;
	return rc;
}

/* GET entries/export?format=csv|csv-sjis|xlsx&<the list's filters> */
int api_admin_entries_export(recam_req *req)
{
	enum recam_table_format fmt;
	if (!recam_table_format_parse(given(req, "format"), &fmt))
		return api_admin_format_refused(req);
	struct query q;
	json_t *fields;
	int rc = parse_query(req, &q, false, &fields);
	if (rc != 0) {
		query_free(&q);
		return recam_resp_error(req, rc, NULL, fields);
	}
	q.f.with_email = true;
	static const char *const cols_ja[] = {"応募ID",	   "キャンペーン", "状態",   "理由",	 "応募日時",
					      "購入日",	   "店舗",	   "合計金額", "対象商品", "口数",
					      "応募者ID", "メールアドレス", "審査者ID", "審査日時"};
	static const char *const cols_en[] = {"entry_id",	"campaign", "status",	      "reason",	     "entered_at",
					      "purchase_date", "store",	    "total",	      "products",    "units",
					      "participant_id", "email",    "reviewed_by", "reviewed_at"};
	recam_db *db = NULL;
	if ((rc = api_admin_db(req, &db)) != 0) {
		query_free(&q);
		return rc;
	}
	struct export_ctx x = {.lang = req->lang, .pii = req->pii};
	char base[80];
	snprintf(base, sizeof(base), "entries-%s", q.f.campaign_id ? q.f.campaign_id : "all");
	rc = resolve_email(req, db, &q);
	if (rc == 0)
		rc = recam_tenant_key(&req->srv->master, req->tenant, &x.key);
	if (rc == 0) {
		rc = recam_table_begin(req, fmt, base, req->lang == RECAM_LANG_EN ? cols_en : cols_ja, 14, &x.t);
		if (rc == 0 && !q.nobody)
			rc = recam_entry_search(db, &q.f, export_row, &x);
		if ((rc < 0 || x.err) && x.t) {
			recam_table_abort(x.t);
			x.t = NULL;
		}
		recam_key_wipe(&x.key);
	}
	/* Recorded before the file leaves, whatever the outcome. */
	int arc = api_admin_audit(req, db, "entries.export", "entry", q.f.campaign_id ? q.f.campaign_id : "",
				  rc >= 0 && x.err == 0 ? "success" : "failure", false);
	recam_db_release(db);
	query_free(&q);
	if (rc >= 0 && x.err == 0 && arc != 0) {
		recam_table_abort(x.t);
		return arc;
	}
	if (rc < 0 || x.err)
		return rc < 0 ? rc : x.err;
	return recam_table_finish(x.t);
}
