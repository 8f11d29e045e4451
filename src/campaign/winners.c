/* winners.c — wins after the fact: list, masking, shipping, forfeits with
 * the promotion of the draw's alternates, re-draw of unclaimed wins. */
#include "winners.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/closed_draw.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"

#define WIN_COLUMNS                                                                                                \
	"id, kind, prize_code, status, coalesce(entry_id, ''), participant_id, created_at,"                        \
	" coalesce(claim_deadline, 0), coalesce(forfeited_at, 0), coalesce(forfeit_reason, ''),"                   \
	" coalesce(replaces, ''), coalesce(alternate_rank, 0), coalesce(carrier, ''),"                              \
	" coalesce(tracking_number, ''), coalesce(shipped_on, ''), version, coalesce(updated_at, 0), delivery"

static int win_from_row(const recam_dbrow *row, recam_win *w)
{
	memset(w, 0, sizeof(*w));
	int rc = 0;
	struct {
		int col;
		char *out;
		size_t n;
	} texts[] = {
		{0, w->id, sizeof(w->id)},
		{1, w->kind, sizeof(w->kind)},
		{2, w->prize_code, sizeof(w->prize_code)},
		{3, w->status, sizeof(w->status)},
		{4, w->entry_id, sizeof(w->entry_id)},
		{5, w->participant_id, sizeof(w->participant_id)},
		{9, w->forfeit_reason, sizeof(w->forfeit_reason)},
		{10, w->replaces, sizeof(w->replaces)},
		{12, w->carrier, sizeof(w->carrier)},
		{13, w->tracking, sizeof(w->tracking)},
		{14, w->shipped_on, sizeof(w->shipped_on)},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]) && rc == 0; i++)
		rc = recam_dbrow_copy_text(row, texts[i].col, texts[i].out, texts[i].n);
	w->created_at = recam_dbrow_int(row, 6);
	w->claim_deadline = recam_dbrow_int(row, 7);
	w->forfeited_at = recam_dbrow_int(row, 8);
	w->alternate_rank = recam_dbrow_int(row, 11);
	w->version = recam_dbrow_int(row, 15);
	w->updated_at = recam_dbrow_int(row, 16);
	if (!recam_dbrow_is_null(row, 17))
		w->delivery = recam_dbrow_blob(row, 17, &w->delivery_len);
	return rc;
}

struct list_ctx {
	recam_win_fn fn;
	void *ctx;
};

static int list_row(void *ctx, const recam_dbrow *row)
{
	struct list_ctx *l = ctx;
	recam_win w;
	int rc = win_from_row(row, &w);
	return rc != 0 ? rc : l->fn(l->ctx, &w);
}

int recam_winners_list(recam_db *db, const char *campaign_id, const recam_winners_filter *f, recam_win_fn fn,
		       void *ctx)
{
	const char *status = f->status ? f->status : "", *kind = f->kind ? f->kind : "";
	const char *after_id = f->after_id ? f->after_id : "";
	struct list_ctx l = {fn, ctx};
	int rc = recam_db_query(db,
				"SELECT " WIN_COLUMNS " FROM wins WHERE campaign_id = ? AND (? = '' OR status = ?)"
				" AND (? = '' OR kind = ?) AND (created_at > ? OR (created_at = ? AND id > ?))"
				" ORDER BY created_at, id LIMIT ?",
				RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_TEXT(status), DBV_TEXT(status), DBV_TEXT(kind),
					      DBV_TEXT(kind), DBV_INT(f->after_created), DBV_INT(f->after_created),
					      DBV_TEXT(after_id), DBV_INT(f->limit > 0 ? f->limit : INT64_MAX)),
				list_row, &l);
	return rc < 0 ? rc : 0;
}

static int find_row(void *ctx, const recam_dbrow *row)
{
	recam_win *w = ctx;
	int rc = win_from_row(row, w);
	w->delivery = NULL; /* the row goes away with the callback */
	return rc;
}

int recam_winners_find(recam_db *db, const char *campaign_id, const char *id, recam_win *out)
{
	if (id == NULL || id[0] == '\0')
		return RECAM_ENOTFOUND;
	/* By win id first; an entry has at most one win in practice, the
	 * newest one counts (a forfeited win's entry cannot win again). */
	int rc = recam_db_query_one(db, "SELECT " WIN_COLUMNS " FROM wins WHERE id = ? AND campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(campaign_id)), find_row, out);
	if (rc == RECAM_ENOTFOUND)
		rc = recam_db_query_one(db,
					"SELECT " WIN_COLUMNS " FROM wins WHERE entry_id = ? AND campaign_id = ?"
					" ORDER BY created_at DESC, id DESC",
					RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(campaign_id)), find_row, out);
	return rc;
}

static int count_row(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const char *status = recam_dbrow_text(row, 0, &n);
	return json_object_set_new(ctx, status ? status : "", json_integer(recam_dbrow_int(row, 1))) == 0
		       ? 0
		       : RECAM_ENOMEM;
}

json_t *recam_winners_counts(recam_db *db, const char *campaign_id)
{
	json_t *out = json_pack("{s:i, s:i, s:i, s:i}", "won", 0, "claimed", 0, "shipped", 0, "forfeited", 0);
	if (out && recam_db_query(db, "SELECT status, count(*) FROM wins WHERE campaign_id = ? GROUP BY status",
				  RECAM_DB_ARGS(DBV_TEXT(campaign_id)), count_row, out) < 0) {
		json_decref(out);
		out = NULL;
	}
	return out;
}

/* ---- masking ------------------------------------------------------------- */

static size_t cp_len(unsigned char c) { return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1; }

/* 山田 太郎 → 山田 **; 山田太郎 → 山**. */
static json_t *mask_name(const char *s)
{
	char out[256];
	const char *sp = strchr(s, ' ');
	const char *wide = strstr(s, "\xe3\x80\x80");
	if (wide && (sp == NULL || wide < sp))
		sp = wide;
	size_t keep = sp ? (size_t)(sp - s) : (s[0] ? cp_len((unsigned char)s[0]) : 0);
	if (keep > strlen(s) || keep > 200)
		keep = 0;
	snprintf(out, sizeof(out), "%.*s%s**", (int)keep, s, sp ? " " : "");
	return json_string(out);
}

/* 100-0001 → 100-****: the area stays, the street goes. */
static json_t *mask_postal(const char *s)
{
	char out[16];
	bool digits = strlen(s) >= 3 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
		      s[2] <= '9';
	snprintf(out, sizeof(out), "%.3s-****", digits ? s : "***");
	return json_string(out);
}

static json_t *mask_phone(const char *s)
{
	char digits[32];
	size_t n = 0;
	for (const char *p = s; *p && n + 1 < sizeof(digits); p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	digits[n] = '\0';
	char out[48];
	snprintf(out, sizeof(out), "***-****-%s", n >= 4 ? digits + n - 4 : "****");
	return json_string(out);
}

static json_t *mask_email(const char *s)
{
	const char *at = strchr(s, '@');
	char out[320];
	if (at == NULL || at == s)
		return json_string("***");
	snprintf(out, sizeof(out), "%.*s***%.250s", (int)cp_len((unsigned char)s[0]), s, at);
	return json_string(out);
}

json_t *recam_winners_mask(const json_t *d)
{
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)d, k, v) {
		const char *s = json_string_value(v);
		if (s == NULL)
			continue;
		json_t *m;
		if (strcmp(k, "name") == 0 || strcmp(k, "furigana") == 0)
			m = mask_name(s);
		else if (strcmp(k, "postal_code") == 0)
			m = mask_postal(s);
		else if (strcmp(k, "phone") == 0)
			m = mask_phone(s);
		else if (strcmp(k, "email") == 0)
			m = mask_email(s);
		else if (strcmp(k, "prefecture") == 0)
			m = json_string(s);
		else
			m = json_string(s[0] ? "****" : "");
		json_object_set_new(out, k, m);
	}
	return out;
}

/* ---- shipping ------------------------------------------------------------ */

static const char *next_cp(const char *p, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t len = cp_len(u[0]);
	for (size_t i = 1; i < len; i++)
		if ((u[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return p + 1;
		}
	uint32_t c = len == 1 ? u[0] : u[0] & (0xffu >> (len + 1));
	for (size_t i = 1; i < len; i++)
		c = (c << 6) | (u[i] & 0x3f);
	*cp = c;
	return p + len;
}

bool recam_winners_tracking_normalize(const char *in, char out[RECAM_TRACKING_MAX + 1])
{
	size_t n = 0, alnum = 0;
	if (in == NULL || recam_utf8_text(in, strlen(in), false) < 0)
		return false;
	for (const char *p = in; *p;) {
		uint32_t c;
		p = next_cp(p, &c);
		if (c >= 0xff10 && c <= 0xff5a) /* full-width digits and letters */
			c = c - 0xff10 + '0';
		if (c >= 'a' && c <= 'z')
			c = c - 'a' + 'A';
		char o;
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
			o = (char)c;
			alnum++;
		} else if (c == '-' || c == 0xff0d || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x30fc ||
			   c == 0xff70) {
			o = '-';
		} else if (c == ' ' || c == 0x3000) {
			continue;
		} else {
			return false;
		}
		if (n == RECAM_TRACKING_MAX)
			return false;
		out[n++] = o;
	}
	out[n] = '\0';
	return alnum >= 4;
}

bool recam_winners_carrier_valid(const char *s)
{
	long n = s ? recam_utf8_text(s, strlen(s), false) : -1;
	return n >= 1 && n <= RECAM_CARRIER_MAX;
}

bool recam_winners_day_valid(const char *s, int64_t now)
{
	int64_t day;
	if (s == NULL || strlen(s) != 10 || recam_clock_parse_date(s, &day) != 0)
		return false;
	return day >= 10957 /* 2000-01-01 */ && day <= recam_clock_tokyo_day(now) + 1;
}

int recam_winners_ship(recam_db *db, const char *campaign_id, const char *win_id, const recam_shipping *s,
		       int64_t expected_version, int64_t now, const char **why)
{
	*why = NULL;
	recam_win w;
	int rc = recam_db_query_one(db, "SELECT " WIN_COLUMNS " FROM wins WHERE id = ? AND campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(win_id), DBV_TEXT(campaign_id)), find_row, &w);
	if (rc != 0)
		return rc;
	if (expected_version > 0 && w.version != expected_version)
		*why = "stale";
	else if (strcmp(w.status, "forfeited") == 0)
		*why = "forfeited";
	else if (strcmp(w.status, "won") == 0)
		*why = "not_claimed";
	if (*why)
		return RECAM_ECONFLICT;
	int64_t changed = 0;
	if (s->shipped)
		rc = recam_db_exec_changes(db,
					   "UPDATE wins SET status = 'shipped', carrier = ?, tracking_number = ?, shipped_on = ?,"
					   " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
					   RECAM_DB_ARGS(DBV_TEXT(s->carrier), DBV_TEXT(s->tracking), DBV_TEXT(s->shipped_on),
							 DBV_INT(now), DBV_TEXT(win_id), DBV_INT(w.version)),
					   &changed);
	else
		rc = recam_db_exec_changes(db,
					   "UPDATE wins SET status = 'claimed', carrier = NULL, tracking_number = NULL,"
					   " shipped_on = NULL, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
					   RECAM_DB_ARGS(DBV_INT(now), DBV_TEXT(win_id), DBV_INT(w.version)), &changed);
	if (rc == 0 && changed == 0) {
		*why = "stale";
		rc = RECAM_ECONFLICT;
	}
	return rc;
}

/* ---- forfeits and alternates -------------------------------------------- */

bool recam_winners_reason_valid(const char *reason)
{
	static const char *const ok[] = {"declined", "ineligible", "undeliverable", "other", "unclaimed"};
	for (size_t i = 0; reason && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(reason, ok[i]) == 0)
			return true;
	return false;
}

static int read_int(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

struct alt_entry {
	char participant[RECAM_WIN_REF_MAX + 1];
	char status[16];
};

static int read_alt_entry(void *ctx, const recam_dbrow *row)
{
	struct alt_entry *a = ctx;
	int rc = recam_dbrow_copy_text(row, 0, a->participant, sizeof(a->participant));
	return rc == 0 ? recam_dbrow_copy_text(row, 1, a->status, sizeof(a->status)) : rc;
}

static int mark_rank(void *ctx, const recam_dbrow *row)
{
	json_t *taken = ctx;
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)recam_dbrow_int(row, 0));
	return json_object_set_new(taken, key, json_true()) == 0 ? 0 : RECAM_ENOMEM;
}

/* The next published alternate, in order, who can still take the place. */
static int promote(recam_db *db, const recam_campaign *c, const recam_win *lost, int64_t now, recam_forfeit *out)
{
	recam_closed_draw_state st;
	int rc = recam_closed_draw_load(db, c->id, &st);
	if (rc == RECAM_ENOTFOUND)
		return 0; /* a draw win without a draw record: nothing to promote */
	if (rc != 0)
		return rc;
	json_t *alts = json_object_get(st.record, "alternates");
	json_t *taken = json_object();
	if (taken == NULL)
		rc = RECAM_ENOMEM;
	if (rc == 0)
		rc = recam_db_query(db, "SELECT alternate_rank FROM wins WHERE campaign_id = ? AND alternate_rank IS NOT NULL",
				    RECAM_DB_ARGS(DBV_TEXT(c->id)), mark_rank, taken);
	rc = rc < 0 ? rc : 0;
	for (size_t i = 0; rc == 0 && st.executed_at && i < json_array_size(alts); i++) {
		char key[24];
		snprintf(key, sizeof(key), "%zu", i + 1);
		if (json_object_get(taken, key))
			continue;
		const char *entry = json_string_value(json_array_get(alts, i));
		struct alt_entry a;
		int frc = entry ? recam_db_query_one(db, "SELECT participant_id, status FROM entries WHERE id = ? AND campaign_id = ?",
						     RECAM_DB_ARGS(DBV_TEXT(entry), DBV_TEXT(c->id)), read_alt_entry, &a)
				: RECAM_ENOTFOUND;
		if (frc != 0 && frc != RECAM_ENOTFOUND) {
			rc = frc;
			break;
		}
		int64_t wins = 0;
		if (frc == 0 && c->rules.one_win &&
		    (rc = recam_db_query(db, "SELECT count(*) FROM wins WHERE campaign_id = ? AND participant_id = ?",
					 RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_TEXT(a.participant)), read_int, &wins)) < 0)
			break;
		rc = 0;
		if (frc != 0 || strcmp(a.status, "accepted") != 0 || wins > 0) {
			out->skipped++;
			continue;
		}
		char id[RECAM_ID_LEN + 1];
		recam_random_id(id);
		rc = recam_db_exec(db,
				   "INSERT INTO wins(id, campaign_id, participant_id, entry_id, prize_code, kind, claim_deadline,"
				   " created_at, replaces, alternate_rank) VALUES (?, ?, ?, ?, ?, 'draw', ?, ?, ?, ?)",
				   RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(c->id), DBV_TEXT(a.participant), DBV_TEXT(entry),
						 DBV_TEXT(lost->prize_code), DBV_INT(now + c->rules.claim_days * 86400),
						 DBV_INT(now), DBV_TEXT(lost->id), DBV_INT((int64_t)i + 1)));
		if (rc == 0) {
			snprintf(out->promoted_win, sizeof(out->promoted_win), "%s", id);
			snprintf(out->promoted_entry, sizeof(out->promoted_entry), "%s", entry);
			out->promoted_rank = (int64_t)i + 1;
		}
		break;
	}
	json_decref(taken);
	recam_closed_draw_state_free(&st);
	return rc;
}

int recam_winners_forfeit(recam_db *db, const recam_campaign *c, const char *win_id, const char *reason, int64_t now,
			  recam_forfeit *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	*why = NULL;
	recam_win w;
	int rc = recam_db_query_one(db, "SELECT " WIN_COLUMNS " FROM wins WHERE id = ? AND campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(win_id), DBV_TEXT(c->id)), find_row, &w);
	if (rc != 0)
		return rc;
	if (strcmp(w.status, "won") != 0 && strcmp(w.status, "claimed") != 0) {
		*why = strcmp(w.status, "shipped") == 0 ? "shipped" : "forfeited";
		return RECAM_ECONFLICT;
	}
	snprintf(out->win_id, sizeof(out->win_id), "%s", w.id);
	snprintf(out->kind, sizeof(out->kind), "%s", w.kind);
	snprintf(out->prize_code, sizeof(out->prize_code), "%s", w.prize_code);
	int64_t changed = 0;
	rc = recam_db_exec_changes(db,
				   "UPDATE wins SET status = 'forfeited', forfeited_at = ?, forfeit_reason = ?,"
				   " version = version + 1, updated_at = ? WHERE id = ? AND status IN ('won', 'claimed')",
				   RECAM_DB_ARGS(DBV_INT(now), DBV_TEXT(reason), DBV_INT(now), DBV_TEXT(w.id)), &changed);
	if (rc == 0 && changed == 0) {
		*why = "forfeited";
		return RECAM_ECONFLICT;
	}
	if (rc == 0 && strcmp(w.kind, "instant") == 0) {
		rc = recam_db_exec_changes(db,
					   "UPDATE prizes SET stock = stock + 1, won = won - 1"
					   " WHERE campaign_id = ? AND code = ? AND won > 0",
					   RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_TEXT(w.prize_code)), &changed);
		out->stock_returned = rc == 0 && changed > 0;
	} else if (rc == 0) {
		rc = promote(db, c, &w, now, out);
	}
	return rc;
}

int recam_winners_redraw(recam_db *db, const recam_campaign *c, int64_t now,
			 int (*fn)(void *ctx, const recam_forfeit *f), void *ctx, size_t *count)
{
	*count = 0;
	recam_db_ids l = {NULL, 0, 0};
	/* Collected first: forfeiting inserts rows the query would meet. */
	int rc = recam_db_query(db,
				"SELECT id FROM wins WHERE campaign_id = ? AND status = 'won' AND claim_deadline > 0"
				" AND claim_deadline < ? ORDER BY claim_deadline, created_at, id",
				RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_INT(now)), recam_db_collect_id, &l);
	rc = rc < 0 ? rc : 0;
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		recam_forfeit f;
		const char *why;
		rc = recam_winners_forfeit(db, c, l.ids[i], "unclaimed", now, &f, &why);
		if (rc == 0)
			(*count)++;
		if (rc == 0 && fn)
			rc = fn(ctx, &f);
	}
	free(l.ids);
	return rc;
}
