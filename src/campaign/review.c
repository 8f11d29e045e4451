/* review.c — the review queue, corrections, decisions, and the templates
 * of rejection reasons. */
#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "campaign/entry.h"
#include "campaign/entry_search.h"
#include "campaign/image_dup.h"
#include "campaign/judge.h"
#include "core/clock.h"
#include "receipt/receipt.h"

/* The fields a reviewer may correct, besides "items". */
static const char *const FIELDS[] = {"store", "phone", "registration_number", "date", "time", "total"};
#define NFIELDS (sizeof(FIELDS) / sizeof(FIELDS[0]))
/* Fields a reviewer's approval vouches for (confidence 1): all the judge reads. */
static const char *const VOUCHED[] = {"store",	"phone",    "registration_number", "date",
				      "time",	"total",    "subtotal",		   "receipt_number"};
#define NVOUCHED (sizeof(VOUCHED) / sizeof(VOUCHED[0]))

#define ITEMS_MAX 100
#define TEXT_MAX_CHARS 100

static int count_row(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

int recam_review_count(recam_db *db, const char *campaign_id, int64_t *count)
{
	*count = 0;
	int rc = recam_db_query(db, "SELECT count(*) FROM entries WHERE campaign_id = ? AND status = 'review'",
				RECAM_DB_ARGS(DBV_TEXT(campaign_id)), count_row, count);
	return rc < 0 ? rc : 0;
}

struct key {
	int64_t at;
	char id[RECAM_ID_LEN + 1];
};

static int read_key(void *ctx, const recam_dbrow *row)
{
	struct key *k = ctx;
	k->at = recam_dbrow_int(row, 0);
	return recam_dbrow_copy_text(row, 1, k->id, sizeof(k->id));
}

int recam_review_next(recam_db *db, const char *campaign_id, const char *from, bool backwards,
		      char id[RECAM_ID_LEN + 1], int64_t *position)
{
	struct key k = {.at = backwards ? INT64_MAX : -1, .id = ""};
	int rc;
	if (from && from[0]) {
		rc = recam_db_query_one(db, "SELECT created_at, id FROM entries WHERE id = ? AND campaign_id = ?",
					RECAM_DB_ARGS(DBV_TEXT(from), DBV_TEXT(campaign_id)), read_key, &k);
		if (rc != 0)
			return rc;
	} else if (backwards) {
		return RECAM_ENOTFOUND;
	}
	struct key next;
	/* The range bound enters the index at the cursor; the id breaks ties. */
	if (backwards)
		rc = recam_db_query_one(db,
					"SELECT created_at, id FROM entries WHERE campaign_id = ? AND status = 'review'"
					" AND created_at <= ? AND (created_at < ? OR id < ?)"
					" ORDER BY created_at DESC, id DESC LIMIT 1",
					RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_INT(k.at), DBV_INT(k.at), DBV_TEXT(k.id)),
					read_key, &next);
	else
		rc = recam_db_query_one(db,
					"SELECT created_at, id FROM entries WHERE campaign_id = ? AND status = 'review'"
					" AND created_at >= ? AND (created_at > ? OR id > ?)"
					" ORDER BY created_at, id LIMIT 1",
					RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_INT(k.at), DBV_INT(k.at), DBV_TEXT(k.id)),
					read_key, &next);
	if (rc != 0)
		return rc;
	memcpy(id, next.id, sizeof(next.id));
	*position = 0;
	rc = recam_db_query(db,
			    "SELECT count(*) + 1 FROM entries WHERE campaign_id = ? AND status = 'review'"
			    " AND created_at <= ? AND (created_at < ? OR id < ?)",
			    RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_INT(next.at), DBV_INT(next.at), DBV_TEXT(next.id)),
			    count_row, position);
	return rc < 0 ? rc : 0;
}

/* ---- campaigns for the staff screens ---- */

/* The rows of sql (no arguments) as a new JSON array in *out, one element
 * appended by fn per row; *out is NULL on failure. */
static int query_list(recam_db *db, const char *sql, recam_db_row_fn fn, json_t **out)
{
	*out = json_array();
	int rc = recam_db_query(db, sql, RECAM_DB_NOARGS, fn, *out);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

static int campaign_row(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const char *def = recam_dbrow_text(row, 4, &n);
	json_error_t e;
	json_t *d = def ? json_loadb(def, n, 0, &e) : NULL;
	json_t *products = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(json_object_get(d, "rules"), "target_products"), i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		if (name)
			json_array_append_new(products, json_string(name));
	}
	const char *instant = json_string_value(json_object_get(d, "instant_win"));
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", recam_dbrow_text(row, 0, &n), "slug",
			      recam_dbrow_text(row, 1, &n), "title", recam_dbrow_text(row, 2, &n), "status",
			      recam_dbrow_text(row, 3, &n), "instant_win", instant ? instant : "none", "products", products);
	json_decref(d);
	if (c == NULL)
		return RECAM_ENOMEM;
	if (!recam_dbrow_is_null(row, 5))
		json_object_set_new(c, "pending", json_integer(recam_dbrow_int(row, 5)));
	json_array_append_new(ctx, c);
	return 0;
}

int recam_review_campaigns(recam_db *db, bool counts, json_t **out)
{
	return query_list(db,
			  counts ? "SELECT id, slug, title, status, definition, (SELECT count(*) FROM entries e"
				   " WHERE e.campaign_id = c.id AND e.status = 'review') FROM campaigns c"
				   " ORDER BY created_at, id"
				 : "SELECT id, slug, title, status, definition, NULL FROM campaigns ORDER BY created_at, id",
			  campaign_row, out);
}

/* ---- photos: the reading and the corrections ---- */

struct photo {
	int position;
	json_t *reading;   /* the reader's JSON (or {"error":...}); {} when not read */
	json_t *corrected; /* object of corrected fields; {} when none */
};

struct photos {
	struct photo p[RECAM_ENTRY_MAX_IMAGES];
	int n;
};

static json_t *load_json_object(const char *text, size_t n)
{
	json_error_t e;
	json_t *j = text ? json_loadb(text, n, 0, &e) : NULL;
	if (json_is_object(j))
		return j;
	json_decref(j);
	return json_object();
}

static int read_photo(void *ctx, const recam_dbrow *row)
{
	struct photos *l = ctx;
	if (l->n == RECAM_ENTRY_MAX_IMAGES)
		return RECAM_ETOOBIG;
	struct photo *p = &l->p[l->n];
	size_t n;
	const char *t;
	p->position = (int)recam_dbrow_int(row, 0);
	t = recam_dbrow_text(row, 1, &n);
	p->reading = load_json_object(t, n);
	t = recam_dbrow_text(row, 2, &n);
	p->corrected = load_json_object(t, n);
	l->n++;
	return p->reading && p->corrected ? 0 : RECAM_ENOMEM;
}

static void photos_free(struct photos *l)
{
	for (int i = 0; i < l->n; i++) {
		json_decref(l->p[i].reading);
		json_decref(l->p[i].corrected);
	}
	l->n = 0;
}

static int photos_load(recam_db *db, const char *entry_id, struct photos *l)
{
	l->n = 0;
	int rc = recam_db_query(db, "SELECT position, receipt, corrected FROM entry_images WHERE entry_id = ?"
				    " ORDER BY position",
				RECAM_DB_ARGS(DBV_TEXT(entry_id)), read_photo, l);
	if (rc < 0)
		photos_free(l);
	return rc < 0 ? rc : 0;
}

static struct photo *photo_at(struct photos *l, int64_t position)
{
	for (int i = 0; i < l->n; i++)
		if (l->p[i].position == position)
			return &l->p[i];
	return NULL;
}

static json_t *field_value(const json_t *reading, const char *name)
{
	json_t *v = json_object_get(json_object_get(reading, name), "value");
	return json_is_null(v) ? NULL : v;
}

/* Items as staff see and edit them: name, quantity, amount (and the
 * reader's confidence). */
static json_t *items_plain(const json_t *items, bool with_conf)
{
	json_t *out = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_t *x = json_pack("{s:O?, s:O?, s:O?}", "name", json_object_get(it, "name"), "quantity",
				      json_object_get(it, "quantity"), "amount", json_object_get(it, "amount"));
		if (x && with_conf && json_object_get(it, "confidence"))
			json_object_set(x, "confidence", json_object_get(it, "confidence"));
		if (x && json_is_true(json_object_get(it, "discount")))
			json_object_set_new(x, "discount", json_true());
		json_array_append_new(out, x);
	}
	return out;
}

/* What the rules see: the reading with the corrections in it (confidence 1:
 * a person read them). With vouch (an approval), every value the judge
 * reads counts as checked by the reviewer. */
static json_t *effective_receipt(const struct photo *p, bool vouch)
{
	bool unread = json_object_get(p->reading, "error") != NULL;
	if (unread && json_object_size(p->corrected) == 0)
		return json_incref(p->reading);
	json_t *r = unread ? json_object() : json_copy(p->reading); /* shallow: fields are replaced, not edited */
	if (r == NULL)
		return NULL;
	for (size_t i = 0; i < NVOUCHED; i++) {
		json_t *cv = json_object_get(p->corrected, VOUCHED[i]);
		json_t *v = cv ? cv : vouch ? field_value(r, VOUCHED[i]) : NULL;
		if (v)
			json_object_set_new(r, VOUCHED[i], json_pack("{s:O, s:f}", "value", v, "confidence", 1.0));
	}
	json_t *ci = json_object_get(p->corrected, "items");
	json_t *src = ci ? ci : json_object_get(json_object_get(r, "items"), "value");
	if (ci || (vouch && json_is_array(src))) {
		json_t *items = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(src, i, it) {
			json_t *x = json_copy(it);
			if (x == NULL)
				continue;
			json_object_set_new(x, "confidence", json_real(1.0));
			json_object_set_new(x, "name_confidence", json_real(1.0));
			json_object_set_new(x, "amount_confidence", json_real(1.0));
			json_array_append_new(items, x);
		}
		json_object_set_new(r, "items", json_pack("{s:o, s:f}", "value", items, "confidence", 1.0));
	}
	return r;
}

static json_t *effective_receipts(const struct photos *l, bool vouch)
{
	json_t *a = json_array();
	for (int i = 0; a && i < l->n; i++)
		if (json_array_append_new(a, effective_receipt(&l->p[i], vouch)) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *photo_json(const struct photo *p)
{
	json_t *fields = json_object();
	for (size_t i = 0; i < NFIELDS; i++) {
		json_t *rf = json_object_get(p->reading, FIELDS[i]);
		json_t *read = field_value(p->reading, FIELDS[i]);
		json_t *cv = json_object_get(p->corrected, FIELDS[i]);
		json_object_set_new(fields, FIELDS[i],
				    json_pack("{s:O?, s:O?, s:O?, s:b}", "value", cv ? cv : read, "read", read,
					      "confidence", json_object_get(rf, "confidence"), "corrected", cv != NULL));
	}
	json_t *read_items = items_plain(json_object_get(json_object_get(p->reading, "items"), "value"), true);
	json_t *ci = json_object_get(p->corrected, "items");
	json_object_set_new(fields, "items",
			    json_pack("{s:o, s:O, s:b}", "value", ci ? items_plain(ci, false) : json_deep_copy(read_items),
				      "read", read_items, "corrected", ci != NULL));
	json_decref(read_items);
	json_t *err = json_object_get(p->reading, "error");
	json_t *o = json_pack("{s:i, s:O?, s:o}", "position", p->position, "error", err, "fields", fields);
	/* read only in part within the time limit: the rest is on the photo */
	if (o && json_is_true(json_object_get(p->reading, "ocr_cut_short")))
		json_object_set_new(o, "cut_short", json_true());
	return o;
}

/* ---- the entry as staff see it ---- */

struct entry_ctx {
	json_t *out;
	recam_lang lang;
	char campaign_id[RECAM_ID_LEN + 1];
};

static void set_time(json_t *o, const char *key, const recam_dbrow *row, int col)
{
	if (recam_dbrow_is_null(row, col)) {
		json_object_set_new(o, key, json_null());
		return;
	}
	char t[40];
	recam_clock_format_rfc3339(recam_dbrow_int(row, col), t, sizeof(t));
	json_object_set_new(o, key, json_string(t));
}

static void set_text(json_t *o, const char *key, const recam_dbrow *row, int col)
{
	size_t n;
	const char *s = recam_dbrow_text(row, col, &n);
	json_object_set_new(o, key, s ? json_stringn(s, n) : json_null());
}

static int read_entry_row(void *vctx, const recam_dbrow *row)
{
	struct entry_ctx *x = vctx;
	json_t *o = json_object();
	set_text(o, "id", row, 0);
	set_text(o, "campaign_id", row, 1);
	set_text(o, "participant_id", row, 2);
	set_text(o, "status", row, 3);
	set_text(o, "reason", row, 4);
	json_object_set_new(o, "version", json_integer(recam_dbrow_int(row, 6)));
	set_time(o, "created_at", row, 7);
	set_time(o, "judged_at", row, 8);
	json_object_set_new(o, "units", json_integer(recam_dbrow_int(row, 9)));
	size_t n;
	const char *result = recam_dbrow_text(row, 5, &n);
	json_t *res = load_json_object(result, n);
	json_object_set(o, "summary", json_object_get(res, "summary"));
	json_object_set(o, "instant_win", json_object_get(res, "instant_win"));
	json_object_set(o, "shopper_message", json_object_get(res, "message"));
	json_decref(res);
	json_t *rv = json_null();
	if (!recam_dbrow_is_null(row, 10)) {
		json_decref(rv);
		rv = json_object();
		set_text(rv, "by", row, 10);
		set_text(rv, "by_name", row, 14);
		set_time(rv, "at", row, 11);
		set_text(rv, "template", row, 12);
		set_text(rv, "note", row, 13);
	}
	json_object_set_new(o, "review", rv);
	/* A reviewer's template names the reason in staff words; else the judge's label. */
	const char *label = recam_dbrow_text(row, x->lang == RECAM_LANG_EN ? 16 : 15, &n);
	const char *reason = json_string_value(json_object_get(o, "reason"));
	json_object_set_new(o, "reason_label",
			    label ? json_string(label) : reason ? json_string(recam_reason_label(reason, x->lang)) : json_null());
	x->out = o;
	return recam_dbrow_copy_text(row, 1, x->campaign_id, sizeof(x->campaign_id));
}

static int read_event(void *ctx, const recam_dbrow *row)
{
	char at[40];
	recam_clock_format_rfc3339_ms(recam_dbrow_int(row, 0), at, sizeof(at));
	json_t *ev = json_pack("{s:s}", "at", at);
	set_text(ev, "actor", row, 1);
	set_text(ev, "actor_name", row, 4);
	set_text(ev, "kind", row, 2);
	size_t n;
	const char *d = recam_dbrow_text(row, 3, &n);
	json_error_t e;
	json_t *detail = d ? json_loadb(d, n, 0, &e) : NULL;
	json_object_set_new(ev, "detail", detail ? detail : json_null());
	json_array_append_new(ctx, ev);
	return 0;
}

int recam_review_entry_json(recam_db *db, const char *entry_id, recam_lang lang, json_t **out)
{
	struct entry_ctx x = {.out = NULL, .lang = lang};
	*out = NULL;
	int rc = recam_db_query_one(db,
				    "SELECT e.id, e.campaign_id, e.participant_id, e.status, e.reason, e.result, e.version,"
				    " e.created_at, e.judged_at, e.units, e.reviewed_by, e.reviewed_at, e.review_template,"
				    " e.review_note, (SELECT name FROM users WHERE id = e.reviewed_by),"
				    " (SELECT label_ja FROM review_templates WHERE code = e.review_template),"
				    " (SELECT label_en FROM review_templates WHERE code = e.review_template)"
				    " FROM entries e WHERE e.id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(entry_id)), read_entry_row, &x);
	if (rc != 0) {
		json_decref(x.out);
		return rc;
	}
	const char *reason = json_string_value(json_object_get(x.out, "reason"));
	json_object_set_new(x.out, "reason_message", reason ? json_string(recam_reason_message(reason, lang)) : json_null());
	struct photos l;
	if ((rc = photos_load(db, entry_id, &l)) != 0) {
		json_decref(x.out);
		return rc;
	}
	json_t *receipts = json_array();
	for (int i = 0; i < l.n; i++)
		json_array_append_new(receipts, photo_json(&l.p[i]));
	photos_free(&l);
	json_object_set_new(x.out, "receipts", receipts);
	json_t *history = json_array();
	rc = recam_db_query(db,
			    "SELECT at_ms, actor, kind, detail, (SELECT name FROM users WHERE id = ev.actor)"
			    " FROM entry_events ev WHERE entry_id = ? ORDER BY seq",
			    RECAM_DB_ARGS(DBV_TEXT(entry_id)), read_event, history);
	json_object_set_new(x.out, "history", history);
	if (rc < 0) {
		json_decref(x.out);
		return rc;
	}
	*out = x.out;
	return 0;
}

/* ---- checking corrections ---- */

static void fault(json_t *fields, int64_t pos, const char *name, recam_lang lang, const char *ja, const char *en)
{
	char key[64];
	if (pos < 0)
		snprintf(key, sizeof(key), "%s", name);
	else
		snprintf(key, sizeof(key), "receipts.%lld.%s", (long long)pos, name);
	if (json_object_get(fields, key) == NULL)
		json_object_set_new(fields, key, json_string(lang == RECAM_LANG_EN ? en : ja));
}

/* 1..max characters of printable one-line text. */
static bool short_text(const json_t *v, long max)
{
	const char *s = json_string_value(v);
	if (s == NULL)
		return false;
	long chars = recam_utf8_text(s, json_string_length(v), false);
	return chars >= 1 && chars <= max && strlen(s) == json_string_length(v);
}

static bool int_in(const json_t *v, int64_t lo, int64_t hi)
{
	return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

static bool valid_time(const char *s)
{
	return s && strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
	       (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9';
}

static bool valid_phone(const char *s)
{
	size_t digits = 0, n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] != '-')
			return false;
	}
	return digits >= 10 && digits <= 13 && n <= 20;
}

static bool valid_regnum(const char *s)
{
	if (s == NULL || strlen(s) != 14 || s[0] != 'T')
		return false;
	for (int i = 1; i < 14; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return recam_receipt_regnum_check(s + 1) != 0;
}

static void check_items(const json_t *items, int64_t pos, recam_lang lang, json_t *fields)
{
	if (!json_is_array(items) || json_array_size(items) > ITEMS_MAX) {
		fault(fields, pos, "items", lang, "商品は100行までの一覧で指定してください。", "A list of at most 100 items.");
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		bool ok = json_is_object(it) && short_text(json_object_get(it, "name"), TEXT_MAX_CHARS) &&
			  int_in(json_object_get(it, "quantity"), 1, 999) &&
			  int_in(json_object_get(it, "amount"), -10000000, 10000000) && json_object_size(it) <= 3;
		if (!ok) {
			fault(fields, pos, "items", lang,
			      "各商品に商品名（100文字まで）・数量（1〜999）・金額（円）を入力してください。",
			      "Each item needs a name (up to 100 characters), a quantity (1-999) and an amount in yen.");
			return;
		}
	}
}

static void check_field(const char *name, const json_t *v, int64_t pos, recam_lang lang, json_t *fields)
{
	if (json_is_null(v))
		return; /* back to the reading */
	const char *s = json_string_value(v);
	int64_t day;
	if (strcmp(name, "store") == 0) {
		if (!short_text(v, TEXT_MAX_CHARS))
			fault(fields, pos, name, lang, "店舗名を100文字以内で入力してください。", "A store name of up to 100 characters.");
	} else if (strcmp(name, "phone") == 0) {
		if (!valid_phone(s))
			fault(fields, pos, name, lang, "電話番号は数字10〜13桁（ハイフン可）で入力してください。",
			      "A phone number of 10 to 13 digits (hyphens allowed).");
	} else if (strcmp(name, "registration_number") == 0) {
		if (!valid_regnum(s))
			fault(fields, pos, name, lang, "登録番号は T と13桁の数字で、チェックデジットが正しいものを入力してください。",
			      "T and 13 digits with a valid check digit.");
	} else if (strcmp(name, "date") == 0) {
		if (s == NULL || strlen(s) != 10 || recam_clock_parse_date(s, &day) != 0 || day < 10957 || day > 47482)
			fault(fields, pos, name, lang, "購入日は YYYY-MM-DD の形式で入力してください。", "A date as YYYY-MM-DD.");
	} else if (strcmp(name, "time") == 0) {
		if (!valid_time(s))
			fault(fields, pos, name, lang, "時刻は HH:MM（24時間制）で入力してください。", "A time as HH:MM (24-hour).");
	} else if (strcmp(name, "total") == 0) {
		if (!int_in(v, 0, 100000000))
			fault(fields, pos, name, lang, "合計は0〜100,000,000円の整数で入力してください。",
			      "A whole number of yen from 0 to 100,000,000.");
	} else if (strcmp(name, "items") == 0) {
		check_items(v, pos, lang, fields);
	}
}

static bool known_field(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(FIELDS[i], name) == 0)
			return true;
	return strcmp(name, "items") == 0 || strcmp(name, "position") == 0;
}

bool recam_review_check_corrections(const json_t *corr, recam_lang lang, json_t *fields)
{
	size_t before = json_object_size(fields);
	json_t *list = json_object_get(corr, "receipts");
	if (!json_is_object(corr) || !json_is_array(list) || json_array_size(list) > RECAM_ENTRY_MAX_IMAGES) {
		fault(fields, -1, "receipts", lang, "訂正はレシートごとの一覧で送ってください。", "Send corrections as a list per receipt.");
		return false;
	}
	size_t i;
	json_t *r;
	json_array_foreach(list, i, r) {
		json_t *jp = json_object_get(r, "position");
		int64_t pos = int_in(jp, 0, RECAM_ENTRY_MAX_IMAGES - 1) ? json_integer_value(jp) : (int64_t)i;
		if (!json_is_object(r) || !int_in(jp, 0, RECAM_ENTRY_MAX_IMAGES - 1)) {
			fault(fields, pos, "position", lang, "レシートの番号が正しくありません。", "Not a receipt of this entry.");
			continue;
		}
		const char *name;
		json_t *v;
		json_object_foreach((json_t *)r, name, v) {
			if (!known_field(name))
				fault(fields, pos, name, lang, "訂正できない項目です。", "This field cannot be corrected.");
			else
				check_field(name, v, pos, lang, fields);
		}
	}
	return json_object_size(fields) == before;
}

/* ---- corrections and decisions ---- */

struct state {
	char campaign_id[RECAM_ID_LEN + 1];
	char participant_id[RECAM_ID_LEN + 1];
	char status[16];
	int64_t version;
};

static int read_state(void *ctx, const recam_dbrow *row)
{
	struct state *s = ctx;
	s->version = recam_dbrow_int(row, 3);
	int rc = recam_dbrow_copy_text(row, 0, s->campaign_id, sizeof(s->campaign_id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 1, s->participant_id, sizeof(s->participant_id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 2, s->status, sizeof(s->status));
	return rc;
}

/* The entry, still pending at the version the reviewer loaded. */
static int load_pending(recam_db *db, const char *entry_id, int64_t version, struct state *s)
{
	int rc = recam_db_query_one(db, "SELECT campaign_id, participant_id, status, version FROM entries WHERE id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(entry_id)), read_state, s);
	if (rc == 0 && (strcmp(s->status, "review") != 0 || s->version != version))
		rc = RECAM_ECONFLICT;
	return rc;
}

/* Writes the corrections into the photos' corrected fields, one
 * "corrected" event per changed field with the value before and after. */
static int apply_corrections(recam_db *db, const char *entry_id, struct photos *l, const json_t *corr,
			     const char *actor, bool *changed)
{
	*changed = false;
	size_t i;
	json_t *r;
	json_t *changes = json_array();
	int rc = 0;
	json_array_foreach(json_object_get(corr, "receipts"), i, r) {
		struct photo *p = photo_at(l, json_integer_value(json_object_get(r, "position")));
		if (p == NULL) {
			rc = RECAM_ENOTFOUND;
			break;
		}
		bool dirty = false;
		const char *name;
		json_t *v;
		json_object_foreach(r, name, v) {
			if (strcmp(name, "position") == 0)
				continue;
			json_t *before = json_object_get(p->corrected, name);
			json_t *read = strcmp(name, "items") == 0
					       ? items_plain(json_object_get(json_object_get(p->reading, "items"), "value"), false)
					       : json_incref(field_value(p->reading, name));
			json_t *from = before ? json_incref(before) : json_incref(read);
			json_t *to = json_is_null(v) ? json_incref(read) : json_incref(v);
			if (!json_equal(from, to) || (before != NULL) != !json_is_null(v)) {
				json_array_append_new(changes, json_pack("{s:i, s:s, s:O?, s:O?, s:O?}", "position",
									 p->position, "field", name, "from", from, "to",
									 to, "read", read));
				if (json_is_null(v))
					json_object_del(p->corrected, name);
				else
					json_object_set(p->corrected, name, v);
				dirty = true;
			}
			json_decref(from);
			json_decref(to);
			json_decref(read);
		}
		if (!dirty)
			continue;
		char *text = json_object_size(p->corrected) ? json_dumps(p->corrected, JSON_COMPACT) : NULL;
		rc = recam_db_exec(db, "UPDATE entry_images SET corrected = ? WHERE entry_id = ? AND position = ?",
				   RECAM_DB_ARGS(text ? DBV_TEXT(text) : DBV_NULL, DBV_TEXT(entry_id), DBV_INT(p->position)));
		free(text);
		if (rc != 0)
			break;
	}
	if (rc == 0 && json_array_size(changes) > 0) {
		json_t *ev = json_pack("{s:O}", "changes", changes);
		rc = ev ? recam_entry_event(db, entry_id, actor, "corrected", ev) : RECAM_ENOMEM;
		json_decref(ev);
		*changed = true;
	}
	json_decref(changes);
	return rc;
}

int recam_review_correct(recam_db *db, const char *entry_id, const recam_review_decision *d)
{
	struct state s;
	struct photos l = {.n = 0};
	bool changed = false;
	int rc = load_pending(db, entry_id, d->version, &s);
	if (rc == 0)
		rc = photos_load(db, entry_id, &l);
	if (rc == 0 && d->corrections)
		rc = apply_corrections(db, entry_id, &l, d->corrections, d->actor, &changed);
	if (rc == 0 && changed)
		rc = recam_db_exec(db, "UPDATE entries SET version = version + 1 WHERE id = ?", RECAM_DB_ARGS(DBV_TEXT(entry_id)));
	photos_free(&l);
	return rc;
}

struct template_msg {
	char *ja, *en;
};

static int read_template(void *ctx, const recam_dbrow *row)
{
	struct template_msg *t = ctx;
	size_t n;
	const char *ja = recam_dbrow_text(row, 0, &n);
	const char *en = recam_dbrow_text(row, 1, &n);
	t->ja = ja ? strdup(ja) : NULL;
	t->en = en ? strdup(en) : NULL;
	return t->ja && t->en ? 0 : RECAM_ENOMEM;
}

static int set_reviewed(recam_db *db, const char *entry_id, const recam_review_decision *d, const char *status,
			const char *reason, int64_t units, const json_t *result)
{
	char *text = json_dumps(result, JSON_COMPACT);
	if (text == NULL)
		return RECAM_ENOMEM;
	int64_t changed = 0;
	int rc = recam_db_exec_changes(
		db,
		"UPDATE entries SET status = ?, reason = ?, units = ?, result = ?, version = version + 1,"
		" reviewed_by = ?, reviewed_at = ?, review_template = ?, review_note = ? WHERE id = ? AND version = ?",
		RECAM_DB_ARGS(DBV_TEXT(status), reason ? DBV_TEXT(reason) : DBV_NULL, DBV_INT(units), DBV_TEXT(text),
			      DBV_TEXT(d->actor), DBV_INT(recam_clock_now()),
			      d->approve ? DBV_NULL : DBV_TEXT(d->template_code),
			      d->note && d->note[0] ? DBV_TEXT(d->note) : DBV_NULL, DBV_TEXT(entry_id), DBV_INT(d->version)),
		&changed);
	free(text);
	return rc == 0 && changed != 1 ? RECAM_ECONFLICT : rc;
}

static int approve(recam_db *db, const char *entry_id, const recam_review_decision *d, const struct state *s,
		   const recam_campaign *c, const recam_judgement *j, const json_t *receipts, const char **refused,
		   json_t **result)
{
	if (j->verdict != RECAM_ACCEPTED) {
		*refused = j->reason ? j->reason : "low_confidence";
		return RECAM_ECONFLICT;
	}
	/* The receipts as corrected are what may be used once per campaign. */
	bool used = false;
	int rc = recam_db_exec(db, "DELETE FROM receipts_used WHERE entry_id = ?", RECAM_DB_ARGS(DBV_TEXT(entry_id)));
	if (rc == 0)
		rc = recam_entry_claim_receipts(db, c->id, entry_id, receipts, &used);
	if (rc == 0 && used) {
		*refused = "receipt_already_used";
		return RECAM_ECONFLICT;
	}
	json_t *win = NULL;
	if (rc == 0)
		rc = recam_entry_instant_win(db, c, entry_id, s->participant_id, recam_clock_now(), &win);
	if (rc != 0) {
		json_decref(win);
		return rc;
	}
	json_t *res = json_pack("{s:s, s:O, s:I, s:o?}", "status", "accepted", "summary", j->summary, "units",
				(json_int_t)j->units, "instant_win", win);
	if (res == NULL)
		return RECAM_ENOMEM;
	rc = set_reviewed(db, entry_id, d, "accepted", NULL, j->units, res);
	if (rc == 0)
		rc = recam_entry_search_index(db, entry_id, j->summary, j->confidence);
	json_t *ev = json_pack("{s:s, s:I, s:O?}", "status", "accepted", "units", (json_int_t)j->units, "instant_win",
			       json_object_get(res, "instant_win"));
	if (rc == 0)
		rc = ev ? recam_entry_event(db, entry_id, d->actor, "rejudged", ev) : RECAM_ENOMEM;
	json_decref(ev);
	if (rc == 0 && result)
		*result = json_incref(res);
	json_decref(res);
	return rc;
}

static int reject(recam_db *db, const char *entry_id, const recam_review_decision *d, const recam_judgement *j,
		  json_t **result)
{
	struct template_msg t = {NULL, NULL};
	int rc = recam_db_query_one(db, "SELECT message_ja, message_en FROM review_templates WHERE code = ? AND active = 1",
				    RECAM_DB_ARGS(DBV_TEXT(d->template_code ? d->template_code : "")), read_template, &t);
	if (rc == RECAM_ENOTFOUND)
		rc = RECAM_EINVAL;
	json_t *res = rc == 0 ? json_pack("{s:s, s:s, s:O, s:i, s:{s:s, s:s}}", "status", "rejected", "reason",
					  d->template_code, "summary", j->summary, "units", 0, "message", "ja", t.ja,
					  "en", t.en)
			      : NULL;
	free(t.ja);
	free(t.en);
	if (rc != 0)
		return rc;
	if (res == NULL)
		return RECAM_ENOMEM;
	rc = set_reviewed(db, entry_id, d, "rejected", d->template_code, 0, res);
	/* A rejected entry holds no receipt nor photo: the shopper may send it again. */
	if (rc == 0)
		rc = recam_db_exec(db, "DELETE FROM receipts_used WHERE entry_id = ?", RECAM_DB_ARGS(DBV_TEXT(entry_id)));
	if (rc == 0)
		rc = recam_image_dup_forget(db, entry_id);
	if (rc == 0)
		rc = recam_entry_search_index(db, entry_id, j->summary, j->confidence);
	if (rc == 0 && result)
		*result = json_incref(res);
	json_decref(res);
	return rc;
}

int recam_review_decide(recam_db *db, const char *entry_id, const recam_review_decision *d, const char **refused,
			json_t **result)
{
	*refused = NULL;
	if (result)
		*result = NULL;
	struct state s;
	struct photos l = {.n = 0};
	recam_campaign c = {.def = NULL};
	recam_judgement j = {.summary = NULL};
	json_t *receipts = NULL;
	bool changed = false;
	int rc = load_pending(db, entry_id, d->version, &s);
	if (rc == 0)
		rc = photos_load(db, entry_id, &l);
	if (rc == 0 && d->corrections)
		rc = apply_corrections(db, entry_id, &l, d->corrections, d->actor, &changed);
	if (rc == 0)
		rc = recam_campaign_load_by_id(db, s.campaign_id, &c);
	/* The campaign's rules on the reading as corrected. An approval vouches
	 * for every value the reviewer saw, product lines included: the
	 * person's check stands in for the reader's confidence threshold. */
	if (rc == 0 && (receipts = effective_receipts(&l, d->approve)) == NULL)
		rc = RECAM_ENOMEM;
	if (d->approve)
		c.rules.review_threshold = 0;
	if (rc == 0)
		rc = recam_judge_at(&c.rules, receipts, recam_clock_now(), &j);
	if (rc == 0)
		rc = d->approve ? approve(db, entry_id, d, &s, &c, &j, receipts, refused, result)
				: reject(db, entry_id, d, &j, result);
	json_t *ev = rc == 0 ? json_pack("{s:s, s:s?, s:s?}", "decision", d->approve ? "approve" : "reject", "template",
					 d->approve ? NULL : d->template_code, "note", d->note && d->note[0] ? d->note : NULL)
			     : NULL;
	if (rc == 0)
		rc = ev ? recam_entry_event(db, entry_id, d->actor, "reviewed", ev) : RECAM_ENOMEM;
	json_decref(ev);
	recam_judgement_free(&j);
	json_decref(receipts);
	recam_campaign_free(&c);
	photos_free(&l);
	return rc;
}

/* ---- templates of rejection reasons ---- */

static int template_row(void *ctx, const recam_dbrow *row)
{
	json_t *t = json_object();
	size_t n;
	set_text(t, "code", row, 0);
	json_object_set_new(t, "label", json_pack("{s:s, s:s}", "ja", recam_dbrow_text(row, 1, &n), "en",
						   recam_dbrow_text(row, 2, &n)));
	json_object_set_new(t, "message", json_pack("{s:s, s:s}", "ja", recam_dbrow_text(row, 3, &n), "en",
						     recam_dbrow_text(row, 4, &n)));
	json_object_set_new(t, "position", json_integer(recam_dbrow_int(row, 5)));
	json_object_set_new(t, "active", json_boolean(recam_dbrow_int(row, 6) != 0));
	json_object_set_new(t, "version", json_integer(recam_dbrow_int(row, 7)));
	json_array_append_new(ctx, t);
	return 0;
}

int recam_review_templates(recam_db *db, bool all, json_t **out)
{
	return query_list(db,
			  all ? "SELECT code, label_ja, label_en, message_ja, message_en, position, active, version"
				" FROM review_templates ORDER BY active DESC, position, code"
			      : "SELECT code, label_ja, label_en, message_ja, message_en, position, active, version"
				" FROM review_templates WHERE active = 1 ORDER BY position, code",
			  template_row, out);
}

static bool valid_code(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

int recam_review_template_save(recam_db *db, const char *code, const json_t *in, int64_t version, recam_lang lang,
			       json_t **fields)
{
	*fields = json_object();
	static const char *const texts[] = {"label_ja", "label_en", "message_ja", "message_en"};
	if (!valid_code(code))
		fault(*fields, -1, "code", lang, "コードは英小文字・数字・_ の40文字以内にしてください。",
		      "Lower-case letters, digits and _, up to 40 characters.");
	for (int i = 0; i < 4; i++)
		if (!short_text(json_object_get(in, texts[i]), i < 2 ? 40 : 400))
			fault(*fields, -1, texts[i], lang, i < 2 ? "1〜40文字で入力してください。" : "1〜400文字で入力してください。",
			      i < 2 ? "1 to 40 characters." : "1 to 400 characters.");
	json_t *jpos = json_object_get(in, "position"), *jactive = json_object_get(in, "active");
	if (!int_in(jpos, 1, 99))
		fault(*fields, -1, "position", lang, "表示順は1〜99の整数にしてください。", "A whole number from 1 to 99.");
	if (jactive && !json_is_boolean(jactive))
		fault(*fields, -1, "active", lang, "有効か無効かを指定してください。", "true or false.");
	if (json_object_size(*fields) > 0)
		return RECAM_EINVAL;
	json_decref(*fields);
	*fields = NULL;
	const char *v[4];
	for (int i = 0; i < 4; i++)
		v[i] = json_string_value(json_object_get(in, texts[i]));
	int64_t active = jactive ? json_is_true(jactive) : 1, now = recam_clock_now(), changed = 0;
	int rc;
	if (version == 0)
		rc = recam_db_exec_changes(db,
					   "INSERT INTO review_templates(code, label_ja, label_en, message_ja, message_en,"
					   " position, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
					   " ON CONFLICT(code) DO NOTHING",
					   RECAM_DB_ARGS(DBV_TEXT(code), DBV_TEXT(v[0]), DBV_TEXT(v[1]), DBV_TEXT(v[2]),
							 DBV_TEXT(v[3]), DBV_INT(json_integer_value(jpos)), DBV_INT(active),
							 DBV_INT(now)),
					   &changed);
	else
		rc = recam_db_exec_changes(db,
					   "UPDATE review_templates SET label_ja = ?, label_en = ?, message_ja = ?,"
					   " message_en = ?, position = ?, active = ?, version = version + 1, updated_at = ?"
					   " WHERE code = ? AND version = ?",
					   RECAM_DB_ARGS(DBV_TEXT(v[0]), DBV_TEXT(v[1]), DBV_TEXT(v[2]), DBV_TEXT(v[3]),
							 DBV_INT(json_integer_value(jpos)), DBV_INT(active), DBV_INT(now),
							 DBV_TEXT(code), DBV_INT(version)),
					   &changed);
	if (rc == 0 && changed == 0 && version > 0) {
		int64_t n = 0;
		rc = recam_db_query(db, "SELECT count(*) FROM review_templates WHERE code = ?", RECAM_DB_ARGS(DBV_TEXT(code)),
				    count_row, &n);
		return rc < 0 ? rc : n == 0 ? RECAM_ENOTFOUND : RECAM_ECONFLICT;
	}
	return rc == 0 && changed == 0 ? RECAM_ECONFLICT : rc;
}
