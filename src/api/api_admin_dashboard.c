/* api_admin_dashboard.c — the console's dashboard: per campaign, entries per
 * day and per hour (Asia/Tokyo) by verdict, acceptance / rejection / review
 * rates, the commonest reasons, prize stock left, the stores and target
 * products found. Aggregates only: no personal data leaves here, so viewers
 * see the same figures as owners.
 *
 * Stores and products come from the columns the judging job fills for the
 * entry search (entries.store, entry_products; migration 0004), never from
 * JSON per row. A reviewer's rejection names a template, whose label wins
 * over the judge's. */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "campaign/campaign.h"
#include "campaign/judge.h"
#include "core/clock.h"

#define TOKYO_OFFSET (9 * 3600)
#define MAX_DAYS 400 /* the newest days of a longer campaign */
#define TOP_N 10

enum { V_ACCEPTED, V_REJECTED, V_REVIEW, V_PENDING, V_N };
static const char *const verdict_names[V_N] = {"accepted", "rejected", "review", "pending"};

static int verdict_index(const char *status)
{
	if (status == NULL)
		return V_PENDING;
	for (int i = 0; i < V_PENDING; i++)
		if (strcmp(status, verdict_names[i]) == 0)
			return i;
	return V_PENDING; /* queued, reading */
}

/* Unix seconds at which a Tokyo day (days since 1970-01-01) begins. */
static int64_t day_start(int64_t day) { return day * 86400 - TOKYO_OFFSET; }

static json_t *counts_json(const int64_t c[V_N])
{
	json_t *o = json_object();
	for (int i = 0; i < V_N; i++)
		json_object_set_new(o, verdict_names[i], json_integer(c[i]));
	return o;
}

/* ---- the overview: every campaign with its headline numbers ---- */

struct overview {
	json_t *list;
	int64_t today;
};

static int overview_row(void *ctx, const recam_dbrow *row)
{
	struct overview *ov = ctx;
	size_t n;
	char start[32], end[32];
	recam_clock_format_rfc3339(recam_dbrow_int(row, 4), start, sizeof(start));
	recam_clock_format_rfc3339(recam_dbrow_int(row, 5), end, sizeof(end));
	int64_t c[V_N] = {recam_dbrow_int(row, 6), recam_dbrow_int(row, 7), recam_dbrow_int(row, 8),
			  recam_dbrow_int(row, 9)};
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:I, s:I, s:o}", "id", recam_dbrow_text(row, 0, &n),
			      "slug", recam_dbrow_text(row, 1, &n), "title", recam_dbrow_text(row, 2, &n), "status",
			      recam_dbrow_text(row, 3, &n), "entry_period", "start", start, "end", end, "entries",
			      (json_int_t)(c[0] + c[1] + c[2] + c[3]), "today", (json_int_t)recam_dbrow_int(row, 10),
			      "counts", counts_json(c));
	if (o == NULL)
		return RECAM_ENOMEM;
	json_array_append_new(ov->list, o);
	return 0;
}

int api_admin_dashboard_list(recam_req *req)
{
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	struct overview ov = {json_array(), recam_clock_tokyo_day(recam_clock_now())};
	/* Published first, then the newest period: the campaign staff most
	 * likely want is at the top. */
	rc = recam_db_query(db,
			    "SELECT c.id, c.slug, c.title, c.status, c.entry_start, c.entry_end,"
			    " (SELECT count(*) FROM entries e WHERE e.campaign_id = c.id AND e.status = 'accepted'),"
			    " (SELECT count(*) FROM entries e WHERE e.campaign_id = c.id AND e.status = 'rejected'),"
			    " (SELECT count(*) FROM entries e WHERE e.campaign_id = c.id AND e.status = 'review'),"
			    " (SELECT count(*) FROM entries e WHERE e.campaign_id = c.id"
			    "   AND e.status IN ('queued', 'reading')),"
			    " (SELECT count(*) FROM entries e WHERE e.campaign_id = c.id"
			    "   AND e.created_at >= ? AND e.created_at < ?)"
			    " FROM campaigns c"
			    " ORDER BY c.status = 'published' DESC, c.entry_start DESC, c.title",
			    RECAM_DB_ARGS(DBV_INT(day_start(ov.today)), DBV_INT(day_start(ov.today + 1))), overview_row, &ov);
	recam_db_release(db);
	if (rc < 0) {
		json_decref(ov.list);
		return rc;
	}
	char today[16];
	recam_clock_format_daynum(ov.today, today, sizeof(today));
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o, s:s}", "campaigns", ov.list, "today", today));
}

/* ---- one campaign ---- */

struct totals {
	int64_t c[V_N];
	int64_t units;
};

static int totals_row(void *ctx, const recam_dbrow *row)
{
	struct totals *t = ctx;
	size_t n;
	int v = verdict_index(recam_dbrow_text(row, 0, &n));
	t->c[v] += recam_dbrow_int(row, 1);
	t->units += recam_dbrow_int(row, 2);
	return 0;
}

static int int_row(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

static double rate(int64_t part, int64_t whole)
{
	return whole > 0 ? (double)(int64_t)((double)part * 10000.0 / (double)whole + 0.5) / 10000.0 : 0.0;
}

static int totals_json(recam_db *db, const char *cid, json_t *out)
{
	struct totals t = {{0}, 0};
	int rc = recam_db_query(db,
				"SELECT status, count(*), coalesce(sum(units), 0) FROM entries WHERE campaign_id = ?"
				" GROUP BY status",
				RECAM_DB_ARGS(DBV_TEXT(cid)), totals_row, &t);
	int64_t participants = 0, wins = 0;
	if (rc >= 0)
		rc = recam_db_query(db, "SELECT count(DISTINCT participant_id) FROM entries WHERE campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(cid)), int_row, &participants);
	if (rc >= 0)
		rc = recam_db_query(db, "SELECT count(*) FROM wins WHERE campaign_id = ? AND status <> 'forfeited'",
				    RECAM_DB_ARGS(DBV_TEXT(cid)), int_row, &wins);
	if (rc < 0)
		return rc;
	int64_t judged = t.c[V_ACCEPTED] + t.c[V_REJECTED] + t.c[V_REVIEW];
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:{s:f, s:f, s:f}}", "entries",
			      (json_int_t)(judged + t.c[V_PENDING]), "judged", (json_int_t)judged, "participants",
			      (json_int_t)participants, "units", (json_int_t)t.units, "wins", (json_int_t)wins, "counts",
			      counts_json(t.c), "rates", "accepted", rate(t.c[V_ACCEPTED], judged), "rejected",
			      rate(t.c[V_REJECTED], judged), "review", rate(t.c[V_REVIEW], judged));
	if (o == NULL)
		return RECAM_ENOMEM;
	json_object_set_new(out, "totals", o);
	return 0;
}

/* Entries per Tokyo day, by verdict, over [first, last] with empty days. */
struct days {
	int64_t first, last;
	int64_t (*c)[V_N];
};

static int days_row(void *ctx, const recam_dbrow *row)
{
	struct days *d = ctx;
	int64_t day = recam_dbrow_int(row, 0);
	size_t n;
	if (day >= d->first && day <= d->last)
		d->c[day - d->first][verdict_index(recam_dbrow_text(row, 1, &n))] += recam_dbrow_int(row, 2);
	return 0;
}

struct span {
	int64_t lo, hi;
	bool any;
};

static int span_row(void *ctx, const recam_dbrow *row)
{
	struct span *s = ctx;
	s->any = !recam_dbrow_is_null(row, 0);
	s->lo = recam_dbrow_int(row, 0);
	s->hi = recam_dbrow_int(row, 1);
	return 0;
}

static int days_json(recam_db *db, const recam_campaign *c, int64_t today, int64_t *first, int64_t *last,
		     json_t *out)
{
	/* The entry period up to today, widened to any day that has entries
	 * (entries sent while the period was different). */
	struct span s = {0, 0, false};
	int rc = recam_db_query(db, "SELECT min(created_at), max(created_at) FROM entries WHERE campaign_id = ?",
				RECAM_DB_ARGS(DBV_TEXT(c->id)), span_row, &s);
	if (rc < 0)
		return rc;
	s.lo = recam_clock_tokyo_day(s.lo);
	s.hi = recam_clock_tokyo_day(s.hi);
	int64_t lo = recam_clock_tokyo_day(c->rules.entry_start);
	int64_t hi = recam_clock_tokyo_day(c->rules.entry_end - 1);
	if (hi > today)
		hi = today;
	if (s.any && s.lo < lo)
		lo = s.lo;
	if (s.any && s.hi > hi)
		hi = s.hi;
	if (hi < lo)
		hi = lo; /* not started yet: its first day */
	if (hi - lo + 1 > MAX_DAYS)
		lo = hi - MAX_DAYS + 1;
	*first = lo;
	*last = hi;
	int64_t counts[MAX_DAYS][V_N];
	memset(counts, 0, sizeof(counts));
	struct days d = {lo, hi, counts};
	rc = recam_db_query(db,
			    "SELECT campaign_day, status, count(*) FROM entries WHERE campaign_id = ?"
			    " AND created_at >= ? AND created_at < ? GROUP BY campaign_day, status",
			    RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_INT(day_start(lo)), DBV_INT(day_start(hi + 1))), days_row,
			    &d);
	if (rc < 0)
		return rc;
	json_t *arr = json_array();
	for (int64_t day = lo; day <= hi; day++) {
		char name[16];
		recam_clock_format_daynum(day, name, sizeof(name));
		json_t *o = counts_json(counts[day - lo]);
		json_object_set_new(o, "day", json_string(name));
		json_array_append_new(arr, o);
	}
	json_object_set_new(out, "days", arr);
	return 0;
}

static int hours_row(void *ctx, const recam_dbrow *row)
{
	int64_t(*c)[V_N] = ctx;
	int64_t h = recam_dbrow_int(row, 0);
	size_t n;
	if (h >= 0 && h < 24)
		c[h][verdict_index(recam_dbrow_text(row, 1, &n))] += recam_dbrow_int(row, 2);
	return 0;
}

/* Entries per hour of one Tokyo day, or per hour of the day over the whole
 * campaign (day < 0). */
static int hours_json(recam_db *db, const char *cid, int64_t day, json_t *out)
{
	int64_t c[24][V_N];
	memset(c, 0, sizeof(c));
	int rc;
	if (day >= 0)
		rc = recam_db_query(db,
				    "SELECT ((created_at + ?) % 86400) / 3600, status, count(*) FROM entries"
				    " WHERE campaign_id = ? AND created_at >= ? AND created_at < ? GROUP BY 1, 2",
				    RECAM_DB_ARGS(DBV_INT(TOKYO_OFFSET), DBV_TEXT(cid), DBV_INT(day_start(day)),
						  DBV_INT(day_start(day + 1))),
				    hours_row, c);
	else
		rc = recam_db_query(db,
				    "SELECT ((created_at + ?) % 86400) / 3600, status, count(*) FROM entries"
				    " WHERE campaign_id = ? GROUP BY 1, 2",
				    RECAM_DB_ARGS(DBV_INT(TOKYO_OFFSET), DBV_TEXT(cid)), hours_row, c);
	if (rc < 0)
		return rc;
	json_t *arr = json_array();
	for (int h = 0; h < 24; h++) {
		json_t *o = counts_json(c[h]);
		json_object_set_new(o, "hour", json_integer(h));
		json_array_append_new(arr, o);
	}
	char name[16] = "all";
	if (day >= 0)
		recam_clock_format_daynum(day, name, sizeof(name));
	json_object_set_new(out, "hours", json_pack("{s:s, s:o}", "day", name, "counts", arr));
	return 0;
}

struct reasons {
	json_t *rejected, *review;
	int64_t nrejected, nreview;
	recam_lang lang;
};

static int reasons_row(void *ctx, const recam_dbrow *row)
{
	struct reasons *r = ctx;
	size_t n;
	const char *status = recam_dbrow_text(row, 0, &n);
	const char *reason = recam_dbrow_text(row, 1, &n);
	int64_t count = recam_dbrow_int(row, 2);
	const char *tja = recam_dbrow_text(row, 3, &n), *ten = recam_dbrow_text(row, 4, &n);
	bool rej = status && strcmp(status, "rejected") == 0;
	json_t *arr = rej ? r->rejected : r->review;
	if (reason == NULL || json_array_size(arr) >= TOP_N)
		return 0;
	const char *ja = tja ? tja : recam_reason_label(reason, RECAM_LANG_JA);
	const char *en = ten ? ten : recam_reason_label(reason, RECAM_LANG_EN);
	json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "reason", reason, "label", r->lang == RECAM_LANG_EN ? en : ja,
			      "label_ja", ja, "count", (json_int_t)count);
	if (o == NULL)
		return RECAM_ENOMEM;
	json_array_append_new(arr, o);
	return 0;
}

static void add_shares(json_t *arr, int64_t whole)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
		json_object_set_new(o, "share", json_real(rate(json_integer_value(json_object_get(o, "count")), whole)));
}

static int reasons_json(recam_db *db, const char *cid, recam_lang lang, const int64_t c[V_N], json_t *out)
{
	struct reasons r = {json_array(), json_array(), c[V_REJECTED], c[V_REVIEW], lang};
	int rc = recam_db_query(db,
				"SELECT e.status, e.reason, count(*), t.label_ja, t.label_en FROM entries e"
				" LEFT JOIN review_templates t ON t.code = e.reason WHERE e.campaign_id = ?"
				" AND e.status IN ('rejected', 'review') AND e.reason IS NOT NULL"
				" GROUP BY e.status, e.reason ORDER BY 3 DESC, 2",
				RECAM_DB_ARGS(DBV_TEXT(cid)), reasons_row, &r);
	if (rc < 0) {
		json_decref(r.rejected);
		json_decref(r.review);
		return rc;
	}
	add_shares(r.rejected, r.nrejected);
	add_shares(r.review, r.nreview);
	json_object_set_new(out, "reasons", json_pack("{s:o, s:o}", "rejected", r.rejected, "review", r.review));
	return 0;
}

struct prize_ctx {
	const recam_campaign *c;
	json_t *arr;
};

static int prize_row(void *ctx, const recam_dbrow *row)
{
	struct prize_ctx *p = ctx;
	size_t n;
	const char *code = recam_dbrow_text(row, 0, &n);
	int64_t left = recam_dbrow_int(row, 2), won = recam_dbrow_int(row, 3);
	int64_t value = 0, initial = left + won;
	for (int i = 0; code && i < p->c->rules.nprizes; i++)
		if (strcmp(p->c->rules.prizes[i].code, code) == 0) {
			value = p->c->rules.prizes[i].value;
			initial = p->c->rules.prizes[i].stock;
		}
	json_t *o = json_pack("{s:s?, s:s?, s:I, s:I, s:I, s:I}", "code", code, "name", recam_dbrow_text(row, 1, &n),
			      "value", (json_int_t)value, "stock", (json_int_t)initial, "won", (json_int_t)won, "left",
			      (json_int_t)left);
	if (o == NULL)
		return RECAM_ENOMEM;
	json_array_append_new(p->arr, o);
	return 0;
}

static int prizes_json(recam_db *db, const recam_campaign *c, json_t *out)
{
	struct prize_ctx p = {c, json_array()};
	int rc = recam_db_query(db, "SELECT code, name, stock, won FROM prizes WHERE campaign_id = ? ORDER BY code",
				RECAM_DB_ARGS(DBV_TEXT(c->id)), prize_row, &p);
	if (rc < 0) {
		json_decref(p.arr);
		return rc;
	}
	json_object_set_new(out, "prizes", p.arr);
	return 0;
}

static int top_row(void *ctx, const recam_dbrow *row)
{
	json_t *arr = ctx;
	size_t n;
	const char *name = recam_dbrow_text(row, 0, &n);
	json_t *o = json_pack("{s:s%, s:I, s:I}", "name", name ? name : "", name ? n : (size_t)0, "entries",
			      (json_int_t)recam_dbrow_int(row, 1), "accepted", (json_int_t)recam_dbrow_int(row, 2));
	if (o == NULL)
		return RECAM_ENOMEM;
	if (recam_dbrow_columns(row) > 3)
		json_object_set_new(o, "quantity", json_integer(recam_dbrow_int(row, 3)));
	json_array_append_new(arr, o);
	return 0;
}

/* The store as read (or corrected) on the entry's first receipt, as the
 * entry search keeps it (NFKC, spaces folded). */
static int top_stores(recam_db *db, const char *cid, json_t *out)
{
	json_t *arr = json_array();
	int rc = recam_db_query(db,
				"SELECT store, count(*), sum(status = 'accepted') FROM entries"
				" WHERE campaign_id = ? AND store IS NOT NULL AND store <> ''"
				" GROUP BY store ORDER BY 2 DESC, 1 LIMIT ?",
				RECAM_DB_ARGS(DBV_TEXT(cid), DBV_INT(TOP_N)), top_row, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	json_object_set_new(out, "stores", arr);
	return 0;
}

/* Target products found: in how many entries, of which accepted, and how
 * many pieces (the judge's summary lists each match with its quantity). */
static int top_products(recam_db *db, const char *cid, json_t *out)
{
	json_t *arr = json_array();
	int rc = recam_db_query(db,
				"SELECT p.product, count(*), sum(e.status = 'accepted'), sum(p.quantity)"
				" FROM entry_products p JOIN entries e ON e.id = p.entry_id"
				" WHERE p.campaign_id = ? GROUP BY p.product ORDER BY 2 DESC, 1 LIMIT ?",
				RECAM_DB_ARGS(DBV_TEXT(cid), DBV_INT(TOP_N)), top_row, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	json_object_set_new(out, "products", arr);
	return 0;
}

static json_t *campaign_json(const recam_campaign *c)
{
	char start[32], end[32], first[16], last[16];
	recam_clock_format_rfc3339(c->rules.entry_start, start, sizeof(start));
	recam_clock_format_rfc3339(c->rules.entry_end, end, sizeof(end));
	recam_clock_format_daynum(c->rules.purchase_first, first, sizeof(first));
	recam_clock_format_daynum(c->rules.purchase_last, last, sizeof(last));
	const char *title = json_string_value(json_object_get(c->def, "title"));
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "id", c->id, "slug", c->slug, "title",
			 title ? title : "", "status", c->status, "entry_period", "start", start, "end", end,
			 "purchase_period", "first", first, "last", last);
}

int api_admin_dashboard_get(recam_req *req)
{
	const char *id = recam_req_param(req, "id");
	const char *qday = recam_req_query(req, "day");
	int64_t hday = -2; /* -2: the default day; -1: every day */
	if (qday && strcmp(qday, "all") == 0)
		hday = -1;
	else if (qday && *qday && recam_clock_parse_date(qday, &hday) != 0)
		return recam_resp_error(req, RECAM_EINVAL, NULL,
					json_pack("{s:s}", "day",
						  api_admin_msg(req, "日付は YYYY-MM-DD か all で指定してください。",
								"A date as YYYY-MM-DD, or all.")));
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	recam_campaign c;
	if ((rc = recam_campaign_load_by_id(db, id, &c)) != 0) {
		recam_db_release(db);
		return rc;
	}
	int64_t now = recam_clock_now(), today = recam_clock_tokyo_day(now), first = 0, last = 0;
	json_t *out = json_object();
	json_object_set_new(out, "campaign", campaign_json(&c));
	rc = totals_json(db, c.id, out);
	if (rc == 0)
		rc = days_json(db, &c, today, &first, &last, out);
	/* The hourly chart shows today while the campaign runs, else its last day. */
	if (hday == -2)
		hday = today >= first && today <= last ? today : last;
	if (rc == 0)
		rc = hours_json(db, c.id, hday, out);
	if (rc == 0) {
		json_t *counts = json_object_get(json_object_get(out, "totals"), "counts");
		int64_t cnt[V_N];
		for (int i = 0; i < V_N; i++)
			cnt[i] = json_integer_value(json_object_get(counts, verdict_names[i]));
		rc = reasons_json(db, c.id, req->lang, cnt, out);
	}
	if (rc == 0)
		rc = prizes_json(db, &c, out);
	if (rc == 0)
		rc = top_stores(db, c.id, out);
	if (rc == 0)
		rc = top_products(db, c.id, out);
	if (rc == 0) {
		char today_s[16], gen[32];
		recam_clock_format_daynum(today, today_s, sizeof(today_s));
		recam_clock_format_rfc3339(now, gen, sizeof(gen));
		json_object_set_new(out, "today", json_string(today_s));
		json_object_set_new(out, "generated_at", json_string(gen));
		/* Figures only, no personal data: recorded so the log shows who
		 * looked at a campaign's results and when. */
		api_admin_audit(req, db, "dashboard.view", "campaign", c.id, "success", false);
	}
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc != 0) {
		json_decref(out);
		return rc < 0 ? rc : RECAM_EINTERNAL;
	}
	return recam_resp_json(req, MHD_HTTP_OK, out);
}
