/* api_admin_winners.c — winners and shipping (winners.read /
 * winners.manage) and the winners export (export.winners): the list with
 * delivery details decrypted for owners and admins and masked for viewers,
 * shipping per winner, the tracking-number file with a report per line,
 * and the download for the shipping company. Reading or exporting delivery
 * details is itself an audited action. */
#include <inttypes.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "campaign/delivery.h"
#include "campaign/shipping_csv.h"
#include "campaign/winners.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/server.h"
#include "http/table_out.h"

#define WINNERS_PAGE_DEFAULT 100
#define WINNERS_PAGE_MAX 500

static bool one_of(const char *s, const char *const *ok)
{
	for (; *ok; ok++)
		if (strcmp(s, *ok) == 0)
			return true;
	return false;
}

static const char *const statuses[] = {"won", "claimed", "shipped", "forfeited", NULL};
static const char *const kinds[] = {"instant", "draw", NULL};

/* status and kind from the query string; a field error when unknown. */
static json_t *filter_parse(recam_req *req, recam_winners_filter *f)
{
	json_t *fields = json_object();
	f->status = recam_req_query(req, "status");
	f->kind = recam_req_query(req, "kind");
	if (f->status && f->status[0] && !one_of(f->status, statuses))
		json_object_set_new(fields, "status",
				    json_string(api_admin_msg(req, "won・claimed・shipped・forfeited のいずれかです。",
							      "One of won, claimed, shipped or forfeited.")));
	if (f->kind && f->kind[0] && !one_of(f->kind, kinds))
		json_object_set_new(fields, "kind",
				    json_string(api_admin_msg(req, "instant か draw です。", "instant or draw.")));
	f->after_created = -1;
	f->after_id = "";
	if (json_object_size(fields) == 0) {
		json_decref(fields);
		return NULL;
	}
	return fields;
}

/* ---- the list ------------------------------------------------------------- */

struct list_ctx {
	recam_req *req;
	const recam_campaign *c;
	const recam_key *key;
	json_t *arr;
	int64_t now;
	int64_t last_created;
	char last_id[RECAM_ID_LEN + 1];
};

/* The details for this reader: in full, masked, or null when none were sent. */
static json_t *delivery_for(recam_req *req, const recam_key *key, const recam_win *w)
{
	if (w->delivery == NULL)
		return json_null();
	json_t *d = NULL;
	if (recam_delivery_open(key, w->id, w->delivery, w->delivery_len, &d) != 0) {
		recam_warn("delivery details of win %s do not open", w->id);
		return json_null();
	}
	if (req->pii)
		return d;
	json_t *m = recam_winners_mask(d);
	json_decref(d);
	return m;
}

static json_t *win_json(struct list_ctx *l, const recam_win *w)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:o, s:b, s:o, s:s?, s:s?, s:I, s:I, s:o, s:o}",
			 "id", w->id, "kind", w->kind, "status", w->status, "prize", "code", w->prize_code, "name",
			 recam_campaign_prize_name(l->c, w->prize_code), "entry_id", w->entry_id, "created_at",
			 api_admin_time(w->created_at), "claim_deadline", api_admin_time(w->claim_deadline), "claim_expired",
			 strcmp(w->status, "won") == 0 && w->claim_deadline > 0 && l->now > w->claim_deadline,
			 "forfeited_at", api_admin_time(w->forfeited_at), "forfeit_reason",
			 w->forfeit_reason[0] ? w->forfeit_reason : NULL, "replaces", w->replaces[0] ? w->replaces : NULL,
			 "alternate_rank", (json_int_t)w->alternate_rank, "version", (json_int_t)w->version, "shipping",
			 w->tracking[0] ? json_pack("{s:s, s:s, s:s}", "carrier", w->carrier, "tracking_number",
						    w->tracking, "shipped_on", w->shipped_on)
					: json_null(),
			 "delivery", delivery_for(l->req, l->key, w));
}

static int list_one(void *ctx, const recam_win *w)
{
	struct list_ctx *l = ctx;
	json_t *j = win_json(l, w);
	if (j == NULL || json_array_append_new(l->arr, j) != 0)
		return RECAM_ENOMEM;
	l->last_created = w->created_at;
	snprintf(l->last_id, sizeof(l->last_id), "%s", w->id);
	return 0;
}

/* cursor: "created_at.id" of the last row of the previous page. */
static bool cursor_parse(const char *s, recam_winners_filter *f, char *idbuf, size_t n)
{
	const char *dot = s ? strchr(s, '.') : NULL;
	int64_t t;
	if (dot == NULL || (size_t)(strlen(dot + 1)) >= n ||
	    recam_parse_i64((recam_str){s, (size_t)(dot - s)}, 0, INT64_MAX, &t) != 0)
		return false;
	snprintf(idbuf, n, "%s", dot + 1);
	f->after_created = t;
	f->after_id = idbuf;
	return true;
}

int api_admin_winners_list(recam_req *req)
{
	recam_winners_filter f;
	json_t *fields = filter_parse(req, &f);
	int64_t limit = WINNERS_PAGE_DEFAULT;
	const char *ls = recam_req_query(req, "limit"), *cur = recam_req_query(req, "cursor");
	char idbuf[RECAM_ID_LEN + 1];
	if (ls && recam_parse_i64(recam_str_c(ls), 1, WINNERS_PAGE_MAX, &limit) != 0) {
		fields = fields ? fields : json_object();
		json_object_set_new(fields, "limit", json_string(api_admin_msg(req, "1〜500 の整数です。", "1 to 500.")));
	}
	if (cur && cur[0] && !cursor_parse(cur, &f, idbuf, sizeof(idbuf))) {
		fields = fields ? fields : json_object();
		json_object_set_new(fields, "cursor", json_string(api_admin_msg(req, "カーソルが正しくありません。", "Bad cursor.")));
	}
	if (fields)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	f.limit = limit;
	recam_db *db;
	recam_campaign c;
	int rc = api_admin_campaign_open(req, &db, &c);
	if (rc != 0)
		return rc;
	recam_key key;
	struct list_ctx l = {req, &c, &key, json_array(), recam_clock_now(), 0, ""};
	rc = recam_tenant_key(&req->srv->master, req->tenant, &key);
	if (rc == 0)
		rc = recam_winners_list(db, c.id, &f, list_one, &l);
	recam_key_wipe(&key);
	/* Delivery details were read (masked or not): recorded either way. */
	api_admin_audit(req, db, req->pii ? "winners.read" : "winners.read_masked", "campaign", c.id,
			rc == 0 ? "success" : "failure", false);
	json_t *counts = rc == 0 ? recam_winners_counts(db, c.id) : NULL;
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc != 0) {
		json_decref(l.arr);
		json_decref(counts);
		return rc;
	}
	json_t *next = json_null();
	if ((int64_t)json_array_size(l.arr) == limit) {
		char cbuf[64];
		snprintf(cbuf, sizeof(cbuf), "%" PRId64 ".%s", l.last_created, l.last_id);
		json_decref(next);
		next = json_string(cbuf);
	}
	return recam_resp_json(req, MHD_HTTP_OK,
			       json_pack("{s:o, s:o, s:o, s:b}", "winners", l.arr, "next_cursor", next, "counts",
					 counts ? counts : json_object(), "pii", req->pii));
}

/* ---- shipping, one winner ------------------------------------------------- */

static int ship_conflict(recam_req *req, const char *why)
{
	if (strcmp(why, "stale") == 0)
		return recam_resp_error_code(req, MHD_HTTP_CONFLICT, "stale",
					     api_admin_msg(req, "ほかのスタッフが先に更新しました。再読み込みしてからやり直してください。",
							   "Someone else changed this winner first. Reload and try again."),
					     NULL);
	if (strcmp(why, "forfeited") == 0)
		return recam_resp_error_code(req, MHD_HTTP_CONFLICT, "forfeited",
					     api_admin_msg(req, "無効になった当選は発送できません。",
							   "A forfeited win cannot be shipped."),
					     NULL);
	return recam_resp_error_code(req, MHD_HTTP_CONFLICT, "not_claimed",
				     api_admin_msg(req, "送付先が未入力の当選は発送済みにできません。",
						   "Delivery details have not been sent for this win yet."),
				     NULL);
}

static void today_tokyo(char out[11])
{
	recam_clock_format_daynum(recam_clock_tokyo_day(recam_clock_now()), out, 11);
}

int api_admin_winners_shipping(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *status = json_string_value(json_object_get(in, "status"));
	const char *carrier = json_string_value(json_object_get(in, "carrier"));
	const char *tracking_in = json_string_value(json_object_get(in, "tracking_number"));
	const char *day = json_string_value(json_object_get(in, "shipped_on"));
	json_t *jv = json_object_get(in, "version");
	char tracking[RECAM_TRACKING_MAX + 1] = "", today[11];
	today_tokyo(today);
	int64_t now = recam_clock_now();
	bool shipped = status && strcmp(status, "shipped") == 0;
	json_t *fields = json_object();
	if (status == NULL || (!shipped && strcmp(status, "pending") != 0))
		json_object_set_new(fields, "status", json_string(api_admin_msg(req, "発送済みか未発送を選んでください。",
										"shipped or pending.")));
	if (shipped && !recam_winners_carrier_valid(carrier))
		json_object_set_new(fields, "carrier", json_string(api_admin_msg(req, "配送業者を1〜40文字で入力してください。",
										 "The carrier, 1 to 40 characters.")));
	if (shipped && !recam_winners_tracking_normalize(tracking_in, tracking))
		json_object_set_new(fields, "tracking_number",
				    json_string(api_admin_msg(req, "追跡番号は英数字とハイフンで4〜40文字です。",
							      "Letters, digits and hyphens, 4 to 40.")));
	if (shipped && day && day[0] && !recam_winners_day_valid(day, now))
		json_object_set_new(fields, "shipped_on",
				    json_string(api_admin_msg(req, "発送日を YYYY-MM-DD で入力してください（未来の日付は不可）。",
							      "The day shipped as YYYY-MM-DD, not in the future.")));
	if (jv && (!json_is_integer(jv) || json_integer_value(jv) < 1))
		json_object_set_new(fields, "version", json_string(api_admin_msg(req, "版が正しくありません。", "Bad version.")));
	if (json_object_size(fields) > 0) {
		json_decref(in);
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	}
	json_decref(fields);
	recam_db *db;
	recam_campaign c;
	if ((rc = api_admin_campaign_open(req, &db, &c)) != 0) {
		json_decref(in);
		return rc;
	}
	const char *win_id = recam_req_param(req, "win");
	recam_shipping s = {shipped, carrier, tracking, day && day[0] ? day : today};
	const char *why = NULL;
	recam_win w;
	if ((rc = recam_db_begin(db)) == 0) {
		rc = recam_winners_ship(db, c.id, win_id, &s, jv ? json_integer_value(jv) : 0, now, &why);
		if (rc == 0)
			rc = api_admin_audit(req, db, shipped ? "win.ship" : "win.unship", "win", win_id, "success", true);
		if (rc == 0)
			rc = recam_winners_find(db, c.id, win_id, &w);
		if (rc == 0)
			rc = recam_db_commit(db);
		if (rc != 0)
			recam_db_rollback(db);
	}
	if (rc != 0 && rc != RECAM_ENOTFOUND)
		api_admin_audit(req, db, shipped ? "win.ship" : "win.unship", "win", win_id, "failure", false);
	json_decref(in);
	recam_db_release(db);
	json_t *out = NULL;
	if (rc == 0) {
		struct list_ctx l = {req, &c, NULL, NULL, now, 0, ""};
		w.delivery = NULL; /* the details are not part of this answer */
		out = win_json(&l, &w);
	}
	recam_campaign_free(&c);
	if (rc == RECAM_ECONFLICT)
		return ship_conflict(req, why ? why : "stale");
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "winner", out));
}

/* ---- the tracking-number file --------------------------------------------- */

static const api_admin_text line_msgs[] = {
	{"applied", "反映しました。", "Applied."},
	{"would_apply", "反映できます。", "Will be applied."},
	{"unchanged", "変更はありません。", "No change."},
	{"no_tracking", "追跡番号が空欄のため、スキップしました。", "No tracking number: skipped."},
	{"missing_id", "当選IDか応募IDがありません。", "No win id or entry id."},
	{"not_found", "このキャンペーンの当選に見つかりません。", "Not a win of this campaign."},
	{"duplicate", "同じ当選がファイル内で重複しています（最初の行だけ反映）。",
	 "The same win appears earlier in the file (only the first line counts)."},
	{"bad_tracking", "追跡番号の形式が正しくありません（英数字とハイフン、4〜40文字）。",
	 "Bad tracking number (letters, digits and hyphens, 4 to 40)."},
	{"bad_carrier", "配送業者を1〜40文字で入力してください。", "The carrier must be 1 to 40 characters."},
	{"bad_date", "発送日の形式が正しくありません（YYYY-MM-DD、未来の日付は不可）。",
	 "Bad day shipped (YYYY-MM-DD, not in the future)."},
	{"forfeited", "無効になった当選です。", "This win was forfeited."},
	{"not_claimed", "送付先が未入力の当選です。", "Delivery details have not been sent for this win."},
	{"stale", "処理中にほかの更新がありました。", "Changed by someone else meanwhile."},
};

static const api_admin_text file_msgs[] = {
	{"empty", "ファイルが空か、見出し行がありません。", "The file is empty or has no header row."},
	{"encoding", "文字コードを判別できません。UTF-8 か Shift_JIS で保存してください。",
	 "Unknown encoding: save the file as UTF-8 or Shift_JIS."},
	{"nul", "ファイルに不正なバイト（NUL）が含まれています。", "The file contains a NUL byte."},
	{"quote", "引用符（\"）の対応が正しくありません。", "Unbalanced or misplaced quote (\")."},
	{"columns", "見出し行より列の多い行があります。", "A row has more columns than the header."},
	{"field_too_long", "長すぎるセルがあります。", "A cell is too long."},
	{"too_many_records", "行数が多すぎます（最大20,000行）。", "Too many rows (at most 20,000)."},
	{"header", "見出し行に「当選ID」か「応募ID」と、「追跡番号」の列が必要です。",
	 "The header row needs a win id or entry id column and a tracking number column."},
};

static const char *line_msg(recam_req *req, const char *code)
{
	return api_admin_text_for(req, line_msgs, sizeof(line_msgs) / sizeof(line_msgs[0]), code);
}

struct upload {
	recam_req *req;
	recam_db *db;
	const recam_campaign *c;
	bool dry_run;
	int64_t now;
	json_t *lines, *seen;
	size_t applied, unchanged, skipped, refused;
};

static int report(struct upload *u, const recam_shipcsv_rec *r, const char *id, const char *win_id, const char *code)
{
	const char *outcome = strcmp(code, "applied") == 0 || strcmp(code, "would_apply") == 0 ? "applied"
			      : strcmp(code, "unchanged") == 0					? "unchanged"
			      : strcmp(code, "no_tracking") == 0				? "skipped"
												: "refused";
	size_t *counter = outcome[0] == 'a' ? &u->applied : outcome[0] == 'u' ? &u->unchanged
						   : outcome[0] == 's' ? &u->skipped : &u->refused;
	(*counter)++;
	json_t *j = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s}", "line", (json_int_t)r->line, "id", id, "win_id", win_id,
			      "result", outcome, "code", code, "message", line_msg(u->req, code));
	return j && json_array_append_new(u->lines, j) == 0 ? 0 : RECAM_ENOMEM;
}

/* One record: checked, then applied inside the upload's transaction. */
static int apply_record(struct upload *u, const recam_shipcsv_rec *r)
{
	const char *id = r->win_id[0] ? r->win_id : r->entry_id;
	if (id[0] == '\0')
		return report(u, r, "", NULL, "missing_id");
	recam_win w;
	int rc = recam_winners_find(u->db, u->c->id, id, &w);
	if (rc == RECAM_ENOTFOUND)
		return report(u, r, id, NULL, "not_found");
	if (rc != 0)
		return rc;
	if (json_object_get(u->seen, w.id))
		return report(u, r, id, w.id, "duplicate");
	json_object_set_new(u->seen, w.id, json_true());
	if (r->tracking[0] == '\0' && r->carrier[0] == '\0')
		return report(u, r, id, w.id, "no_tracking");
	char tracking[RECAM_TRACKING_MAX + 1];
	if (!recam_winners_tracking_normalize(r->tracking, tracking))
		return report(u, r, id, w.id, "bad_tracking");
	if (!recam_winners_carrier_valid(r->carrier))
		return report(u, r, id, w.id, "bad_carrier");
	char today[11];
	today_tokyo(today);
	const char *day = r->shipped_on[0] ? r->shipped_on : today;
	if (r->shipped_on[0] && !recam_winners_day_valid(r->shipped_on, u->now))
		return report(u, r, id, w.id, "bad_date");
	if (strcmp(w.status, "shipped") == 0 && strcmp(w.carrier, r->carrier) == 0 && strcmp(w.tracking, tracking) == 0 &&
	    (r->shipped_on[0] == '\0' || strcmp(w.shipped_on, r->shipped_on) == 0))
		return report(u, r, id, w.id, "unchanged");
	if (strcmp(w.status, "shipped") == 0 && r->shipped_on[0] == '\0')
		day = w.shipped_on; /* a corrected number keeps the day it left */
	recam_shipping s = {true, r->carrier, tracking, day};
	const char *why = NULL;
	rc = recam_winners_ship(u->db, u->c->id, w.id, &s, w.version, u->now, &why);
	if (rc == RECAM_ECONFLICT)
		return report(u, r, id, w.id, why);
	if (rc == 0 && !u->dry_run)
		rc = api_admin_audit(u->req, u->db, "win.ship", "win", w.id, "success", true);
	return rc == 0 ? report(u, r, id, w.id, u->dry_run ? "would_apply" : "applied") : rc;
}

int api_admin_winners_upload(recam_req *req)
{
	bool dry_run = false;
	const char *dr = recam_req_query(req, "dry_run");
	if (dr && recam_parse_bool(recam_str_c(dr), &dry_run) != 0)
		return recam_resp_error(req, RECAM_EINVAL, NULL,
					json_pack("{s:s}", "dry_run", api_admin_msg(req, "true か false です。", "true or false.")));
	recam_shipcsv csv;
	int rc = recam_shipcsv_parse(req->body.data ? req->body.data : "", req->body.len, &csv);
	if (rc == RECAM_EINVAL) {
		const char *why = api_admin_text_for(req, file_msgs, sizeof(file_msgs) / sizeof(file_msgs[0]), csv.err_code);
		char msg[320];
		if (req->lang == RECAM_LANG_EN)
			snprintf(msg, sizeof(msg), "Line %zu: %s Nothing was applied.", csv.err_line, why);
		else
			snprintf(msg, sizeof(msg), "%zu行目: %s ファイルの内容は何も反映していません。", csv.err_line, why);
		json_t *fields = json_pack("{s:s}", "file", msg);
		json_t *e = json_pack("{s:s, s:s, s:o, s:I, s:s}", "code", "malformed_csv", "message", msg, "fields", fields,
				      "line", (json_int_t)csv.err_line, "reason", csv.err_code);
		recam_shipcsv_free(&csv);
		return recam_resp_json(req, MHD_HTTP_BAD_REQUEST, json_pack("{s:o}", "error", e));
	}
	if (rc != 0) {
		recam_shipcsv_free(&csv);
		return rc;
	}
	recam_db *db;
	recam_campaign c;
	if ((rc = api_admin_campaign_open(req, &db, &c)) != 0) {
		recam_shipcsv_free(&csv);
		return rc;
	}
	struct upload u = {req, db, &c, dry_run, recam_clock_now(), json_array(), json_object(), 0, 0, 0, 0};
	if ((rc = recam_db_begin(db)) == 0) {
		for (size_t i = 0; i < csv.n && rc == 0; i++)
			rc = apply_record(&u, &csv.recs[i]);
		if (rc == 0 && !dry_run)
			rc = api_admin_audit(req, db, "winners.shipping_upload", "campaign", c.id, "success", true);
		if (rc == 0 && !dry_run)
			rc = recam_db_commit(db);
		else
			recam_db_rollback(db);
	}
	if (rc != 0 && !dry_run)
		api_admin_audit(req, db, "winners.shipping_upload", "campaign", c.id, "failure", false);
	json_t *out = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:o}", "encoding", csv.encoding, "dry_run", dry_run,
				"applied", (json_int_t)u.applied, "unchanged", (json_int_t)u.unchanged, "skipped",
				(json_int_t)u.skipped, "refused", (json_int_t)u.refused, "lines", u.lines);
	json_decref(u.seen);
	recam_shipcsv_free(&csv);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc != 0) {
		json_decref(out);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, out);
}

/* ---- the export ------------------------------------------------------------- */

struct export_ctx {
	recam_req *req;
	const recam_campaign *c;
	const recam_key *key;
	recam_table_out *t;
};

static void fmt_tokyo(int64_t t, char *out, size_t n)
{
	if (t <= 0) {
		out[0] = '\0';
		return;
	}
	int64_t day = recam_clock_tokyo_day(t), secs = t + 9 * 3600 - day * 86400;
	char d[16];
	recam_clock_format_daynum(day, d, sizeof(d));
	snprintf(out, n, "%s %02d:%02d", d, (int)(secs / 3600), (int)(secs / 60 % 60));
}

static const char *status_label(recam_req *req, const char *s)
{
	if (strcmp(s, "won") == 0)
		return api_admin_msg(req, "当選（送付先未入力）", "won");
	if (strcmp(s, "claimed") == 0)
		return api_admin_msg(req, "送付先入力済み", "claimed");
	if (strcmp(s, "shipped") == 0)
		return api_admin_msg(req, "発送済み", "shipped");
	return api_admin_msg(req, "無効", "forfeited");
}

static int export_row(void *ctx, const recam_win *w)
{
	struct export_ctx *x = ctx;
	char created[32], deadline[32];
	fmt_tokyo(w->created_at, created, sizeof(created));
	fmt_tokyo(w->claim_deadline, deadline, sizeof(deadline));
	json_t *d = delivery_for(x->req, x->key, w);
	const char *kind = strcmp(w->kind, "draw") == 0 ? api_admin_msg(x->req, "抽選", "draw")
							 : api_admin_msg(x->req, "即時", "instant");
#define D(k) json_string_value(json_object_get(d, k))
	const char *cells[] = {w->id,	   w->entry_id,	 kind,		   w->prize_code,	recam_campaign_prize_name(x->c, w->prize_code),
			       status_label(x->req, w->status), created, deadline, D("name"), D("furigana"),
			       D("postal_code"), D("prefecture"), D("address1"), D("address2"), D("phone"),
			       D("email"), w->carrier, w->tracking, w->shipped_on};
#undef D
	int rc = recam_table_row(x->t, cells);
	json_decref(d);
	return rc;
}

int api_admin_winners_export(recam_req *req)
{
	static const char *const cols_ja[] = {"当選ID", "応募ID", "種別", "賞品コード", "賞品", "状態", "当選日時",
					      "受取期限", "氏名", "ふりがな", "郵便番号", "都道府県", "住所1", "住所2",
					      "電話番号", "メールアドレス", "配送業者", "追跡番号", "発送日"};
	static const char *const cols_en[] = {"Win ID", "Entry ID", "Kind", "Prize code", "Prize", "Status",
					      "Won at", "Claim deadline", "Name", "Furigana", "Postal code",
					      "Prefecture", "Address 1", "Address 2", "Phone", "Email", "Carrier",
					      "Tracking number", "Shipped on"};
	enum recam_table_format fmt;
	if (!recam_table_format_parse(recam_req_query(req, "format"), &fmt))
		return api_admin_format_refused(req);
	recam_winners_filter f;
	json_t *fields = filter_parse(req, &f);
	if (fields)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	recam_db *db;
	recam_campaign c;
	int rc = api_admin_campaign_open(req, &db, &c);
	if (rc != 0)
		return rc;
	recam_key key;
	struct export_ctx x = {req, &c, &key, NULL};
	char base[96];
	snprintf(base, sizeof(base), "winners-%s", c.slug);
	rc = recam_tenant_key(&req->srv->master, req->tenant, &key);
	if (rc == 0)
		rc = recam_table_begin(req, fmt, base, req->lang == RECAM_LANG_EN ? cols_en : cols_ja,
				       sizeof(cols_ja) / sizeof(cols_ja[0]), &x.t);
	if (rc == 0)
		rc = recam_winners_list(db, c.id, &f, export_row, &x);
	recam_key_wipe(&key);
	/* A personal-data export: recorded whatever its outcome. */
	api_admin_audit(req, db, "export.winners", "campaign", c.id, rc == 0 ? "success" : "failure", false);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc != 0) {
		if (x.t)
			recam_table_abort(x.t);
		return rc;
	}
	return recam_table_finish(x.t);
}
