/* api_admin_draw.c — the closed draw from the console (draw.read /
 * draw.run): its state with the commitment published before and the result
 * after, commit and run (the same code as `recam draw commit|run`), the
 * published files, verification, forfeits with the promotion of the next
 * alternate, and the re-draw of wins unclaimed past their deadline. Every
 * action is in the audit log. */
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "campaign/closed_draw.h"
#include "campaign/winners.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/response.h"
#include "http/server.h"

#define DRAW_WINNERS_MAX 100000
#define DRAW_ALTERNATES_MAX 10000

int api_admin_campaign_open(recam_req *req, recam_db **db, recam_campaign *c)
{
	*db = NULL;
	memset(c, 0, sizeof(*c));
	int rc = api_admin_db(req, db);
	if (rc != 0)
		return rc;
	rc = recam_campaign_load_by_id(*db, recam_req_param(req, "id"), c);
	if (rc != 0) {
		recam_db_release(*db);
		*db = NULL;
	}
	return rc;
}

static int list_path(recam_req *req, const recam_campaign *c, char *out, size_t n)
{
	char dir[RECAM_PATH_MAX];
	int rc = recam_store_tenant_dir(req->srv->store, req->tenant->id, dir, sizeof(dir));
	return rc == 0 ? recam_closed_draw_list_path(dir, c->id, out, n) : rc;
}

static const char *draw_mode(const recam_campaign *c)
{
	return c->rules.draw == RECAM_DRAW_UNIFORM ? "uniform" : c->rules.draw == RECAM_DRAW_WEIGHTED ? "weighted" : "none";
}

/* Entries are no longer taken: ended by staff, or past the entry period. */
static bool campaign_closed(const recam_campaign *c, int64_t now)
{
	return strcmp(c->status, "ended") == 0 || now >= c->rules.entry_end;
}

static int read_count(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

static int64_t count_of(recam_db *db, const char *sql, const char *campaign_id, int64_t arg)
{
	int64_t n = 0;
	if (recam_db_query(db, sql, RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_INT(arg)), read_count, &n) < 0)
		return -1;
	return n;
}

/* Entries a commitment made now would list (closed_draw.c's rule). */
static int64_t eligible_count(recam_db *db, const recam_campaign *c)
{
	return count_of(db,
			"SELECT count(*) FROM entries e WHERE e.campaign_id = ? AND e.status = 'accepted'"
			" AND (? = 0 OR NOT EXISTS (SELECT 1 FROM wins w WHERE w.campaign_id = e.campaign_id"
			" AND w.participant_id = e.participant_id))",
			c->id, c->rules.one_win);
}

/* The draw's prize course: the first without an instant-win chance (as
 * closed_draw.c records it), its stock the suggested number of winners. */
static const struct recam_prize_rule *draw_prize(const recam_campaign *c)
{
	for (int i = 0; i < c->rules.nprizes; i++)
		if (c->rules.prizes[i].probability_ppm == 0)
			return &c->rules.prizes[i];
	return c->rules.nprizes > 0 ? &c->rules.prizes[0] : NULL;
}

/* A win as the draw screen shows it: no personal data. */
static json_t *win_brief(const recam_campaign *c, const recam_win *w, int64_t now)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:o, s:b, s:o, s:s?, s:s?, s:I, s:b}", "id", w->id,
			 "kind", w->kind, "status", w->status, "prize", "code", w->prize_code, "name",
			 recam_campaign_prize_name(c, w->prize_code), "entry_id", w->entry_id, "created_at", api_admin_time(w->created_at),
			 "claim_deadline", api_admin_time(w->claim_deadline),
			 "claim_expired", strcmp(w->status, "won") == 0 && w->claim_deadline > 0 && now > w->claim_deadline,
			 "forfeited_at", api_admin_time(w->forfeited_at), "forfeit_reason",
			 w->forfeit_reason[0] ? w->forfeit_reason : NULL, "replaces", w->replaces[0] ? w->replaces : NULL,
			 "alternate_rank", (json_int_t)w->alternate_rank, "delivery_sent", w->delivery != NULL);
}

struct draw_wins {
	const recam_campaign *c;
	json_t *by_entry; /* entry id → [wins] */
	int64_t now;
};

static int collect_draw_win(void *ctx, const recam_win *w)
{
	struct draw_wins *d = ctx;
	if (strcmp(w->kind, "draw") != 0)
		return 0;
	json_t *arr = json_object_get(d->by_entry, w->entry_id);
	if (arr == NULL) {
		arr = json_array();
		json_object_set_new(d->by_entry, w->entry_id, arr);
	}
	return json_array_append_new(arr, win_brief(d->c, w, d->now)) == 0 ? 0 : RECAM_ENOMEM;
}

/* The result's winners and alternates with the wins recorded for them. */
static json_t *result_json(recam_db *db, const recam_campaign *c, json_t *record, int64_t now)
{
	struct draw_wins d = {c, json_object(), now};
	recam_winners_filter f = {.kind = "draw", .after_created = -1};
	if (recam_winners_list(db, c->id, &f, collect_draw_win, &d) != 0) {
		json_decref(d.by_entry);
		return NULL;
	}
	json_t *winners = json_array(), *alternates = json_array();
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(record, "winners"), i, v) {
		json_t *wins = json_object_get(d.by_entry, json_string_value(v));
		json_t *orig = NULL, *w;
		size_t k;
		json_array_foreach(wins, k, w)
			if (json_integer_value(json_object_get(w, "alternate_rank")) == 0)
				orig = w;
		json_array_append_new(winners, json_pack("{s:I, s:O, s:O?}", "position", (json_int_t)i + 1, "entry_id",
							 v, "win", orig));
	}
	json_array_foreach(json_object_get(record, "alternates"), i, v) {
		json_t *wins = json_object_get(d.by_entry, json_string_value(v));
		json_t *promoted = NULL, *w;
		size_t k;
		json_array_foreach(wins, k, w)
			if (json_integer_value(json_object_get(w, "alternate_rank")) == (json_int_t)i + 1)
				promoted = w;
		json_array_append_new(alternates, json_pack("{s:I, s:O, s:O?}", "rank", (json_int_t)i + 1, "entry_id", v,
							    "win", promoted));
	}
	json_decref(d.by_entry);
	return json_pack("{s:O?, s:o, s:o}", "seed", json_object_get(record, "seed"), "winners", winners, "alternates",
			 alternates);
}

int api_admin_draw_get(recam_req *req)
{
	recam_db *db;
	recam_campaign c;
	int rc = api_admin_campaign_open(req, &db, &c);
	if (rc != 0)
		return rc;
	int64_t now = recam_clock_now();
	const struct recam_prize_rule *p = draw_prize(&c);
	json_t *out = json_pack(
		"{s:{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:I}, s:{s:I, s:I}}", "campaign", "id", c.id, "slug", c.slug,
		"title", json_string_value(json_object_get(c.def, "title")) ? json_string_value(json_object_get(c.def, "title")) : c.slug,
		"status", c.status, "draw", draw_mode(&c), "entry_end", api_admin_time(c.rules.entry_end), "closed",
		campaign_closed(&c, now), "one_win_per_participant", c.rules.one_win, "claim_days",
		(json_int_t)c.rules.claim_days, "defaults", "winners", (json_int_t)(p && p->stock > 0 ? p->stock : 1),
		"alternates", (json_int_t)(p && p->stock > 0 ? (p->stock + 4) / 5 : 0));
	recam_closed_draw_state st;
	rc = recam_closed_draw_load(db, c.id, &st);
	if (rc == RECAM_ENOTFOUND) {
		json_object_set_new(out, "state", json_string("none"));
		/* What a commitment made now would hold. */
		json_object_set_new(out, "eligible", json_integer(eligible_count(db, &c)));
		rc = 0;
	} else if (rc == 0) {
		json_object_set_new(out, "state", json_string(st.executed_at ? "executed" : "committed"));
		json_object_set_new(out, "commitment", json_incref(st.commitment));
		json_object_set_new(out, "committed_at", api_admin_time(st.committed_at));
		json_object_set_new(out, "executed_at", api_admin_time(st.executed_at));
		if (st.executed_at) {
			json_t *r = result_json(db, &c, st.record, now);
			if (r == NULL)
				rc = RECAM_EDB;
			json_object_set_new(out, "result", r ? r : json_null());
		}
		recam_closed_draw_state_free(&st);
	}
	/* Entries not decided yet are not in a list committed now. */
	json_object_set_new(out, "pending_review",
			    json_integer(count_of(db,
						  "SELECT count(*) FROM entries WHERE campaign_id = ?"
						  " AND status IN ('queued', 'reading', 'review') AND created_at > ?",
						  c.id, -1)));
	json_object_set_new(out, "redraw_due",
			    json_integer(count_of(db,
						  "SELECT count(*) FROM wins WHERE campaign_id = ? AND status = 'won'"
						  " AND claim_deadline > 0 AND claim_deadline < ?",
						  c.id, now)));
	json_object_set_new(out, "counts", recam_winners_counts(db, c.id));
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc != 0) {
		json_decref(out);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, out);
}

static int conflict(recam_req *req, const char *code, const char *ja, const char *en)
{
	return recam_resp_error_code(req, MHD_HTTP_CONFLICT, code, api_admin_msg(req, ja, en), NULL);
}

/* Reads an integer field in [min, max]; a field error otherwise. */
static bool int_field(recam_req *req, json_t *in, const char *key, int64_t min, int64_t max, int64_t *out,
		      json_t *fields)
{
	json_t *v = json_object_get(in, key);
	if (json_is_integer(v) && json_integer_value(v) >= min && json_integer_value(v) <= max) {
		*out = json_integer_value(v);
		return true;
	}
	char ja[96], en[96];
	snprintf(ja, sizeof(ja), "%lld〜%lld の整数で入力してください。", (long long)min, (long long)max);
	snprintf(en, sizeof(en), "A whole number from %lld to %lld.", (long long)min, (long long)max);
	json_object_set_new(fields, key, json_string(api_admin_msg(req, ja, en)));
	return false;
}

int api_admin_draw_commit(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	json_t *fields = json_object();
	int64_t k = 0, a = 0;
	int_field(req, in, "winners", 1, DRAW_WINNERS_MAX, &k, fields);
	int_field(req, in, "alternates", 0, DRAW_ALTERNATES_MAX, &a, fields);
	json_decref(in);
	if (json_object_size(fields) > 0)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	json_decref(fields);
	recam_db *db;
	recam_campaign c;
	if ((rc = api_admin_campaign_open(req, &db, &c)) != 0)
		return rc;
	char path[RECAM_PATH_MAX + 128];
	recam_key key;
	json_t *commitment = NULL;
	const char *refusal = NULL;
	if (c.rules.draw == RECAM_DRAW_NONE)
		refusal = "no_draw";
	else if (!campaign_closed(&c, recam_clock_now()))
		refusal = "campaign_open";
	else if (eligible_count(db, &c) == 0)
		refusal = "no_eligible";
	if (refusal == NULL && (rc = list_path(req, &c, path, sizeof(path))) == 0 &&
	    (rc = recam_tenant_key(&req->srv->master, req->tenant, &key)) == 0) {
		rc = recam_closed_draw_commit(db, &key, &c, (size_t)k, (size_t)a, path, &commitment);
		recam_key_wipe(&key);
	}
	api_admin_audit(req, db, "draw.commit", "campaign", c.id, rc == 0 && !refusal ? "success" : "failure", false);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (refusal && strcmp(refusal, "no_draw") == 0)
		return conflict(req, "no_draw", "このキャンペーンには抽選（後日抽選）がありません。",
				"This campaign has no closed draw.");
	if (refusal && strcmp(refusal, "no_eligible") == 0)
		return conflict(req, "no_eligible", "抽選の対象となる応募（受付済み）がありません。",
				"There is no accepted entry to draw from.");
	if (refusal)
		return conflict(req, "campaign_open",
				"応募受付中は抽選できません。キャンペーンを終了するか、応募期間の終了後に実行してください。",
				"The draw can run only after entries close: end the campaign or wait for the entry period to end.");
	if (rc == RECAM_ECONFLICT)
		return conflict(req, "already_committed", "この抽選はすでに準備（コミットメント公開）済みです。",
				"This draw has been committed already.");
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_CREATED, json_pack("{s:o}", "commitment", commitment));
}

int api_admin_draw_run(recam_req *req)
{
	recam_db *db;
	recam_campaign c;
	int rc = api_admin_campaign_open(req, &db, &c);
	if (rc != 0)
		return rc;
	char path[RECAM_PATH_MAX + 128];
	recam_key key;
	json_t *record = NULL;
	if ((rc = list_path(req, &c, path, sizeof(path))) == 0 &&
	    (rc = recam_tenant_key(&req->srv->master, req->tenant, &key)) == 0) {
		rc = recam_closed_draw_execute(db, &key, &c, path, &record);
		recam_key_wipe(&key);
	}
	api_admin_audit(req, db, "draw.run", "campaign", c.id, rc == 0 ? "success" : "failure", false);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc == RECAM_ENOTFOUND)
		return conflict(req, "not_committed", "先に抽選を準備（コミットメントを公開）してください。",
				"Commit the draw (publish its commitment) first.");
	if (rc == RECAM_ECONFLICT)
		return conflict(req, "already_run", "この抽選はすでに実行済みか、対象リストが公開後に変わっています。",
				"The draw has run already, or its list changed after the commitment.");
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "record", record));
}

static const char *verify_message(recam_req *req, const char *code)
{
	static const api_admin_text msgs[] = {
		{"verified", "公開したシードと対象リストから、当選者と補欠が同じ順に再現されました。記録された当選も一致しています。",
		 "The winners and alternates follow, in order, from the published seed and list; the recorded wins match."},
		{"not_run", "抽選はまだ実行されていません。", "The draw has not run yet."},
		{"list_missing", "対象リストのファイルが見つかりません。", "The eligible list file is missing."},
		{"draw_mismatch", "公開データから再現した結果が、公開した結果と一致しません。",
		 "The result re-derived from the published data differs from the published result."},
		{"commitment_mismatch", "結果が、抽選前に公開したコミットメントと一致しません。",
		 "The result does not carry the commitment published before the draw."},
		{"wins_mismatch", "記録されている当選が、公開した結果と一致しません。",
		 "The wins recorded do not match the published result."},
	};
	return api_admin_text_for(req, msgs, sizeof(msgs) / sizeof(msgs[0]), code);
}

int api_admin_draw_verify(recam_req *req)
{
	recam_db *db;
	recam_campaign c;
	int rc = api_admin_campaign_open(req, &db, &c);
	if (rc != 0)
		return rc;
	char path[RECAM_PATH_MAX + 128];
	recam_closed_draw_check chk;
	memset(&chk, 0, sizeof(chk));
	if ((rc = list_path(req, &c, path, sizeof(path))) == 0)
		rc = recam_closed_draw_verify(db, &c, path, &chk);
	bool ok = rc == 0;
	if (rc == RECAM_ECONFLICT)
		rc = 0;
	api_admin_audit(req, db, "draw.verify", "campaign", c.id, rc != 0 ? "failure" : ok ? "success" : "mismatch",
			false);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc == RECAM_ENOTFOUND)
		return conflict(req, "not_committed", "抽選はまだ準備されていません。", "The draw has not been committed.");
	if (rc != 0)
		return rc;
	if (!ok)
		recam_warn("draw verification failed: %s: %s", chk.code, chk.mm.message);
	return recam_resp_json(req, MHD_HTTP_OK,
			       json_pack("{s:b, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "verified", ok, "code", chk.code,
					 "message", verify_message(req, chk.code), "detail", ok ? "" : chk.mm.message,
					 "entries", (json_int_t)chk.entries, "winners", (json_int_t)chk.winners,
					 "alternates", (json_int_t)chk.alternates, "promoted", (json_int_t)chk.promoted));
}

/* The published files, as `recam draw commit|run --out` writes them. */
int api_admin_draw_file(recam_req *req)
{
	const char *name = recam_req_param(req, "name");
	bool list = strcmp(name, "eligible.tsv") == 0, commit = strcmp(name, "commitment.json") == 0,
	     result = strcmp(name, "result.json") == 0;
	if (!list && !commit && !result)
		return RECAM_ENOTFOUND;
	recam_db *db;
	recam_campaign c;
	int rc = api_admin_campaign_open(req, &db, &c);
	if (rc != 0)
		return rc;
	recam_closed_draw_state st;
	char path[RECAM_PATH_MAX + 128], fname[128];
	snprintf(fname, sizeof(fname), "%s-%s", c.slug, name);
	rc = recam_closed_draw_load(db, c.id, &st);
	if (rc == 0 && result && st.executed_at == 0)
		rc = RECAM_ENOTFOUND;
	if (rc == 0 && list && (rc = list_path(req, &c, path, sizeof(path))) == 0) {
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		struct stat sb;
		if (fd < 0 || fstat(fd, &sb) != 0) {
			rc = RECAM_ENOTFOUND;
			if (fd >= 0)
				close(fd);
		} else {
			rc = recam_response_fd(req, fd, (uint64_t)sb.st_size, "text/tab-separated-values; charset=utf-8",
					       fname);
		}
	} else if (rc == 0) {
		char *text = json_dumps(commit ? st.commitment : st.record, JSON_INDENT(2));
		rc = text ? recam_resp_text(req, MHD_HTTP_OK, "application/json; charset=utf-8", text, strlen(text))
			  : RECAM_ENOMEM;
		free(text);
		if (rc == 0) {
			char disp[192];
			snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", fname);
			recam_resp_header(req, "Content-Disposition", disp);
			recam_resp_header(req, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
		}
	}
	if (st.record || st.commitment)
		recam_closed_draw_state_free(&st);
	api_admin_audit(req, db, "draw.file", "campaign", c.id, rc == 0 ? "success" : "failure", false);
	recam_campaign_free(&c);
	recam_db_release(db);
	return rc;
}

/* ---- forfeits and the re-draw --------------------------------------------- */

struct forfeit_log {
	recam_req *req;
	recam_db *db;
	json_t *results;
};

/* Audits one forfeit and what followed it, inside the transaction. */
static int log_forfeit(void *ctx, const recam_forfeit *f)
{
	struct forfeit_log *l = ctx;
	int rc = api_admin_audit(l->req, l->db, "win.forfeit", "win", f->win_id, "success", true);
	if (rc == 0 && f->promoted_win[0])
		rc = api_admin_audit(l->req, l->db, "draw.alternate_promoted", "win", f->promoted_win, "success", true);
	if (rc == 0 && f->stock_returned)
		rc = api_admin_audit(l->req, l->db, "prize.stock_returned", "prize", f->prize_code, "success", true);
	if (rc == 0 && strcmp(f->kind, "draw") == 0 && !f->promoted_win[0])
		rc = api_admin_audit(l->req, l->db, "draw.no_alternate", "win", f->win_id, "success", true);
	json_t *promoted = f->promoted_win[0] ? json_pack("{s:s, s:s, s:I}", "win_id", f->promoted_win, "entry_id",
							  f->promoted_entry, "rank", (json_int_t)f->promoted_rank)
					      : json_null();
	json_array_append_new(l->results,
			      json_pack("{s:s, s:s, s:s, s:b, s:o, s:I}", "win_id", f->win_id, "kind", f->kind, "prize",
					f->prize_code, "stock_returned", f->stock_returned, "promoted", promoted,
					"skipped_alternates", (json_int_t)f->skipped));
	return rc;
}

int api_admin_win_forfeit(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *reason = json_string_value(json_object_get(in, "reason"));
	if (!recam_winners_reason_valid(reason) || strcmp(reason, "unclaimed") == 0) {
		json_decref(in);
		return recam_resp_error(req, RECAM_EINVAL, NULL,
					json_pack("{s:s}", "reason",
						  api_admin_msg(req, "辞退・資格なし・宛先不明・その他 から理由を選んでください。",
								"Choose a reason: declined, ineligible, undeliverable or other.")));
	}
	recam_db *db;
	recam_campaign c;
	if ((rc = api_admin_campaign_open(req, &db, &c)) != 0) {
		json_decref(in);
		return rc;
	}
	const char *win_id = recam_req_param(req, "win");
	recam_forfeit f;
	const char *why = NULL;
	struct forfeit_log l = {req, db, json_array()};
	if ((rc = recam_db_begin(db)) == 0) {
		rc = recam_winners_forfeit(db, &c, win_id, reason, recam_clock_now(), &f, &why);
		if (rc == 0)
			rc = log_forfeit(&l, &f);
		if (rc == 0)
			rc = recam_db_commit(db);
		if (rc != 0)
			recam_db_rollback(db);
	}
	if (rc != 0 && rc != RECAM_ENOTFOUND)
		api_admin_audit(req, db, "win.forfeit", "win", win_id, "failure", false);
	json_decref(in);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc == RECAM_ECONFLICT && why && strcmp(why, "shipped") == 0) {
		json_decref(l.results);
		return conflict(req, "shipped", "発送済みの当選は無効にできません。", "A shipped win cannot be forfeited.");
	}
	if (rc == RECAM_ECONFLICT) {
		json_decref(l.results);
		return conflict(req, "already_forfeited", "この当選はすでに無効です。", "This win has been forfeited already.");
	}
	if (rc != 0) {
		json_decref(l.results);
		return rc;
	}
	json_t *one = json_incref(json_array_get(l.results, 0));
	json_decref(l.results);
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "forfeit", one));
}

int api_admin_draw_redraw(recam_req *req)
{
	recam_db *db;
	recam_campaign c;
	int rc = api_admin_campaign_open(req, &db, &c);
	if (rc != 0)
		return rc;
	struct forfeit_log l = {req, db, json_array()};
	size_t n = 0;
	if ((rc = recam_db_begin(db)) == 0) {
		rc = recam_winners_redraw(db, &c, recam_clock_now(), log_forfeit, &l, &n);
		if (rc == 0)
			rc = api_admin_audit(req, db, "draw.redraw", "campaign", c.id, "success", true);
		if (rc == 0)
			rc = recam_db_commit(db);
		if (rc != 0)
			recam_db_rollback(db);
	}
	if (rc != 0)
		api_admin_audit(req, db, "draw.redraw", "campaign", c.id, "failure", false);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc != 0) {
		json_decref(l.results);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:I, s:o}", "forfeited", (json_int_t)n, "results", l.results));
}
