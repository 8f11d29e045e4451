/* campaign.c — campaign definitions: validation, storage, public view. */
#include "campaign.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/tenant.h"
#include "core/clock.h"
#include "core/log.h"

struct vctx {
	json_t *fields;
	recam_lang lang;
};

static void bad(struct vctx *v, const char *path, const char *ja, const char *en)
{
	if (v->fields && json_object_get(v->fields, path) == NULL)
		json_object_set_new(v->fields, path, json_string(v->lang == RECAM_LANG_EN ? en : ja));
}

/* A string field: valid UTF-8 text of at most max bytes (newlines allowed in
 * long texts). NULL when absent or invalid; the fault is recorded. */
static const char *text(struct vctx *v, json_t *obj, const char *key, const char *path, size_t max, bool required)
{
	json_t *j = json_object_get(obj, key);
	if (j == NULL || json_is_null(j)) {
		if (required)
			bad(v, path, "入力してください。", "Required.");
		return NULL;
	}
	const char *s = json_string_value(j);
	if (s == NULL || strlen(s) > max || recam_utf8_text(s, strlen(s), max > 600) < 0) {
		bad(v, path, "文字列が正しくないか、長すぎます。", "Not valid text, or too long.");
		return NULL;
	}
	if (required && s[0] == '\0') {
		bad(v, path, "入力してください。", "Required.");
		return NULL;
	}
	return s;
}

static int64_t integer(struct vctx *v, json_t *obj, const char *key, const char *path, int64_t min, int64_t max,
		       int64_t def)
{
	json_t *j = json_object_get(obj, key);
	if (j == NULL || json_is_null(j))
		return def;
	if (!json_is_integer(j) || json_integer_value(j) < min || json_integer_value(j) > max) {
		char ja[96], en[96];
		snprintf(ja, sizeof(ja), "%lld〜%lldの整数で入力してください。", (long long)min, (long long)max);
		snprintf(en, sizeof(en), "A whole number from %lld to %lld.", (long long)min, (long long)max);
		bad(v, path, ja, en);
		return def;
	}
	return json_integer_value(j);
}

static int choice(struct vctx *v, json_t *obj, const char *key, const char *path, const char *const *names,
		  int def)
{
	json_t *j = json_object_get(obj, key);
	if (j == NULL || json_is_null(j))
		return def;
	const char *s = json_string_value(j);
	for (int i = 0; s && names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	bad(v, path, "選択肢にない値です。", "Not one of the allowed values.");
	return def;
}

static bool slug_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 48 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static void parse_products(struct vctx *v, json_t *rules, recam_rules *r)
{
	json_t *arr = json_object_get(rules, "target_products");
	if (arr == NULL)
		return;
	if (!json_is_array(arr) || json_array_size(arr) > RECAM_CAMPAIGN_MAX_PRODUCTS) {
		bad(v, "rules.target_products", "商品は200件までの一覧で指定してください。", "A list of at most 200 products.");
		return;
	}
	size_t i;
	json_t *p;
	json_array_foreach(arr, i, p) {
		char path[96];
		struct recam_product_rule *pr = &r->products[r->nproducts];
		snprintf(path, sizeof(path), "rules.target_products[%zu].name", i);
		pr->name = text(v, p, "name", path, 400, true);
		snprintf(path, sizeof(path), "rules.target_products[%zu].jan", i);
		pr->jan = text(v, p, "jan", path, 14, false);
		if (pr->jan && (strlen(pr->jan) != 8 && strlen(pr->jan) != 13))
			bad(v, path, "JANコードは8桁または13桁の数字です。", "A JAN code has 8 or 13 digits.");
		snprintf(path, sizeof(path), "rules.target_products[%zu].unit_price", i);
		pr->unit_price = integer(v, p, "unit_price", path, 0, 10000000, 0);
		json_t *aliases = json_object_get(p, "aliases");
		snprintf(path, sizeof(path), "rules.target_products[%zu].aliases", i);
		if (aliases && (!json_is_array(aliases) || json_array_size(aliases) > 50)) {
			bad(v, path, "表記ゆれは50件までの一覧で指定してください。", "A list of at most 50 spellings.");
		} else if (aliases) {
			/* The alias array is owned by the JSON document; keep pointers to
			 * its strings in a small array stored alongside. */
			size_t k;
			json_t *a;
			const char **list = calloc(json_array_size(aliases) + 1, sizeof(*list));
			json_array_foreach(aliases, k, a) {
				if (list && json_is_string(a) && json_string_length(a) > 0 && json_string_length(a) <= 400)
					list[pr->naliases++] = json_string_value(a);
				else
					bad(v, path, "表記ゆれは文字列で指定してください。", "Spellings must be text.");
			}
			pr->aliases = list;
		}
		r->nproducts++;
	}
}

static void parse_stores(struct vctx *v, json_t *rules, recam_rules *r)
{
	json_t *arr = json_object_get(rules, "allowed_stores");
	if (arr == NULL)
		return;
	if (!json_is_array(arr) || json_array_size(arr) > RECAM_CAMPAIGN_MAX_STORES) {
		bad(v, "rules.allowed_stores", "店舗は200件までの一覧で指定してください。", "A list of at most 200 stores.");
		return;
	}
	size_t i;
	json_t *s;
	json_array_foreach(arr, i, s) {
		char path[96];
		struct recam_store_rule *sr = &r->stores[r->nstores++];
		snprintf(path, sizeof(path), "rules.allowed_stores[%zu].name", i);
		sr->name = text(v, s, "name", path, 400, false);
		snprintf(path, sizeof(path), "rules.allowed_stores[%zu].phone", i);
		sr->phone = text(v, s, "phone", path, 20, false);
		if (sr->name == NULL && sr->phone == NULL)
			bad(v, path, "店舗名か電話番号を指定してください。", "Give a store name or phone number.");
	}
}

static void parse_prizes(struct vctx *v, json_t *def, recam_rules *r)
{
	json_t *arr = json_object_get(def, "prizes");
	if (arr == NULL)
		return;
	if (!json_is_array(arr) || json_array_size(arr) > RECAM_CAMPAIGN_MAX_PRIZES) {
		bad(v, "prizes", "賞品は20コースまでの一覧で指定してください。", "A list of at most 20 prize courses.");
		return;
	}
	size_t i;
	json_t *p;
	json_array_foreach(arr, i, p) {
		char path[64];
		struct recam_prize_rule *pr = &r->prizes[r->nprizes++];
		snprintf(path, sizeof(path), "prizes[%zu].code", i);
		pr->code = text(v, p, "code", path, 16, true);
		if (pr->code && !slug_ok(pr->code) && !(strlen(pr->code) == 1 && pr->code[0] >= 'A' && pr->code[0] <= 'Z'))
			bad(v, path, "コースコードは英数字で指定してください。", "Use letters and digits for the code.");
		for (int k = 0; pr->code && k < r->nprizes - 1; k++)
			if (r->prizes[k].code && strcmp(r->prizes[k].code, pr->code) == 0)
				bad(v, path, "コースコードが重複しています。", "Duplicate course code.");
		snprintf(path, sizeof(path), "prizes[%zu].name", i);
		pr->name = text(v, p, "name", path, 400, true);
		snprintf(path, sizeof(path), "prizes[%zu].value", i);
		pr->value = integer(v, p, "value", path, 0, 100000000, 0);
		snprintf(path, sizeof(path), "prizes[%zu].stock", i);
		pr->stock = integer(v, p, "stock", path, 0, 100000000, -1);
		if (pr->stock < 0)
			bad(v, path, "在庫数を入力してください。", "Give the stock.");
		snprintf(path, sizeof(path), "prizes[%zu].units_cost", i);
		pr->units_cost = integer(v, p, "units_cost", path, 1, 1000, 1);
		snprintf(path, sizeof(path), "prizes[%zu].probability_ppm", i);
		pr->probability_ppm = integer(v, p, "probability_ppm", path, 0, 1000000, 0);
	}
}

int recam_campaign_parse(json_t *def, recam_lang lang, recam_rules *r, json_t **fields)
{
	struct vctx v = {json_object(), lang};
	memset(r, 0, sizeof(*r));
	if (!json_is_object(def)) {
		bad(&v, "", "キャンペーン定義はJSONオブジェクトです。", "A campaign definition is a JSON object.");
		goto done;
	}
	const char *slug = text(&v, def, "slug", "slug", 48, true);
	if (slug && !slug_ok(slug))
		bad(&v, "slug", "半角英小文字・数字・ハイフンで2〜48文字にしてください。",
		    "2 to 48 lower-case letters, digits or hyphens.");
	text(&v, def, "title", "title", 600, true);
	text(&v, def, "description", "description", 20000, false);
	text(&v, def, "terms", "terms", 100000, true);
	text(&v, def, "data_purpose", "data_purpose", 20000, true);
	static const char *const statuses[] = {"draft", "published", "paused", "ended", NULL};
	choice(&v, def, "status", "status", statuses, 0);

	json_t *ep = json_object_get(def, "entry_period");
	const char *s = json_string_value(json_object_get(ep, "start"));
	const char *e = json_string_value(json_object_get(ep, "end"));
	if (s == NULL || recam_clock_parse_rfc3339(s, &r->entry_start) != 0)
		bad(&v, "entry_period.start", "日時をRFC 3339形式で入力してください。", "An RFC 3339 date and time.");
	if (e == NULL || recam_clock_parse_rfc3339(e, &r->entry_end) != 0)
		bad(&v, "entry_period.end", "日時をRFC 3339形式で入力してください。", "An RFC 3339 date and time.");
	else if (s && r->entry_end <= r->entry_start)
		bad(&v, "entry_period.end", "終了は開始より後にしてください。", "The end must come after the start.");

	json_t *pp = json_object_get(def, "purchase_period");
	const char *pf = json_string_value(json_object_get(pp, "first"));
	const char *pl = json_string_value(json_object_get(pp, "last"));
	if (pf == NULL || recam_clock_parse_date(pf, &r->purchase_first) != 0)
		bad(&v, "purchase_period.first", "日付をYYYY-MM-DD形式で入力してください。", "A date as YYYY-MM-DD.");
	if (pl == NULL || recam_clock_parse_date(pl, &r->purchase_last) != 0)
		bad(&v, "purchase_period.last", "日付をYYYY-MM-DD形式で入力してください。", "A date as YYYY-MM-DD.");
	else if (pf && r->purchase_last < r->purchase_first)
		bad(&v, "purchase_period.last", "最終日は初日以降にしてください。", "The last day must not precede the first.");

	json_t *rules = json_object_get(def, "rules");
	if (rules && !json_is_object(rules))
		bad(&v, "rules", "ルールはJSONオブジェクトです。", "Rules are a JSON object.");
	parse_products(&v, rules, r);
	parse_stores(&v, rules, r);
	r->min_quantity = integer(&v, rules, "min_quantity", "rules.min_quantity", 0, 1000, 0);
	json_t *ma = json_object_get(rules, "min_amount");
	r->min_amount = integer(&v, ma, "amount", "rules.min_amount.amount", 0, 100000000, 0);
	static const char *const bases[] = {"target", "total", NULL};
	r->amount_basis = (enum recam_amount_basis)choice(&v, ma, "basis", "rules.min_amount.basis", bases, 0);
	json_t *rpe = json_object_get(rules, "receipts_per_entry");
	r->receipts_min = integer(&v, rpe, "min", "rules.receipts_per_entry.min", 1, 10, 1);
	r->receipts_max = integer(&v, rpe, "max", "rules.receipts_per_entry.max", 1, 10, r->receipts_min);
	if (r->receipts_max < r->receipts_min)
		bad(&v, "rules.receipts_per_entry.max", "最小枚数以上にしてください。", "Must not be below the minimum.");
	r->yen_per_unit = integer(&v, rules, "yen_per_unit", "rules.yen_per_unit", 0, 10000000, 0);
	json_t *caps = json_object_get(rules, "caps");
	r->cap_per_day = integer(&v, caps, "per_day", "rules.caps.per_day", 0, 10000, 0);
	r->cap_total = integer(&v, caps, "total", "rules.caps.total", 0, 100000, 0);
	json_t *ow = json_object_get(rules, "one_win_per_participant");
	r->one_win = ow == NULL || json_is_true(ow);
	json_t *rt = json_object_get(rules, "review_threshold");
	r->review_threshold = rt ? json_number_value(rt) : 0.85;
	if (rt && (!json_is_number(rt) || r->review_threshold < 0 || r->review_threshold > 1))
		bad(&v, "rules.review_threshold", "0〜1の数で入力してください。", "A number from 0 to 1.");
	r->claim_days = integer(&v, rules, "claim_days", "rules.claim_days", 1, 365, 14);
	if (r->nproducts == 0 && r->min_amount == 0)
		bad(&v, "rules.target_products", "対象商品か最低金額のどちらかを指定してください。",
		    "Give target products or a minimum amount.");

	parse_prizes(&v, def, r);
	static const char *const instant[] = {"none", "probability", "fixed", NULL};
	static const char *const draws[] = {"none", "uniform", "weighted", NULL};
	r->instant = (enum recam_instant_mode)choice(&v, def, "instant_win", "instant_win", instant, 0);
	r->draw = (enum recam_draw_mode)choice(&v, def, "draw", "draw", draws, 0);
	if ((r->instant != RECAM_INSTANT_NONE || r->draw != RECAM_DRAW_NONE) && r->nprizes == 0)
		bad(&v, "prizes", "賞品を1コース以上登録してください。", "Add at least one prize course.");
done:;
	int rc = json_object_size(v.fields) ? RECAM_EINVAL : 0;
	if (rc != 0) {
		for (int i = 0; i < r->nproducts; i++)
			free((void *)r->products[i].aliases);
		memset(r, 0, sizeof(*r));
	}
	if (fields && rc != 0)
		*fields = v.fields;
	else
		json_decref(v.fields);
	return rc;
}

void recam_rules_free(recam_rules *r)
{
	for (int i = 0; i < r->nproducts; i++)
		free((void *)r->products[i].aliases);
	r->nproducts = 0;
}

const char *recam_campaign_prize_name(const recam_campaign *c, const char *code)
{
	for (int i = 0; i < c->rules.nprizes; i++)
		if (strcmp(c->rules.prizes[i].code, code) == 0)
			return c->rules.prizes[i].name;
	return code;
}

void recam_campaign_free(recam_campaign *c)
{
	if (c == NULL)
		return;
	recam_rules_free(&c->rules);
	json_decref(c->def);
	c->def = NULL;
}

struct version_row {
	char id[RECAM_ID_LEN + 1];
	int64_t version;
};

static int read_version(void *ctx, const recam_dbrow *row)
{
	struct version_row *v = ctx;
	v->version = recam_dbrow_int(row, 1);
	return recam_dbrow_copy_text(row, 0, v->id, sizeof(v->id));
}

int recam_campaign_save_prizes(recam_db *db, const char *campaign_id, const recam_rules *r)
{
	for (int i = 0; i < r->nprizes; i++) {
		const struct recam_prize_rule *p = &r->prizes[i];
		/* The remaining stock is the new total less what was already won. */
		int rc = recam_db_exec(db,
				       "INSERT INTO prizes(campaign_id, code, name, stock) VALUES (?, ?, ?, ?)"
				       " ON CONFLICT(campaign_id, code) DO UPDATE SET name = excluded.name,"
				       " stock = max(0, excluded.stock - prizes.won)",
				       RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_TEXT(p->code), DBV_TEXT(p->name),
						     DBV_INT(p->stock)));
		if (rc != 0)
			return rc;
	}
	return 0;
}

int recam_campaign_row_init(json_t *def, recam_campaign_row *row)
{
	int rc = recam_campaign_parse(def, RECAM_LANG_EN, &row->rules, NULL);
	if (rc != 0)
		return rc;
	row->text = json_dumps(def, JSON_COMPACT | JSON_SORT_KEYS);
	if (row->text == NULL) {
		recam_rules_free(&row->rules);
		return RECAM_ENOMEM;
	}
	const char *status = json_string_value(json_object_get(def, "status"));
	row->slug = json_string_value(json_object_get(def, "slug"));
	row->title = json_string_value(json_object_get(def, "title"));
	row->status = status ? status : "draft";
	recam_clock_format_rfc3339(recam_clock_now(), row->now, sizeof(row->now));
	return 0;
}

void recam_campaign_row_free(recam_campaign_row *row)
{
	free(row->text);
	row->text = NULL;
	recam_rules_free(&row->rules);
}

int recam_campaign_row_insert(recam_db *db, const char *id, const recam_campaign_row *row)
{
	return recam_db_exec(db,
			     "INSERT INTO campaigns(id, slug, status, title, entry_start, entry_end, definition,"
			     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(row->slug), DBV_TEXT(row->status), DBV_TEXT(row->title),
					   DBV_INT(row->rules.entry_start), DBV_INT(row->rules.entry_end),
					   DBV_TEXT(row->text), DBV_TEXT(row->now), DBV_TEXT(row->now)));
}

int recam_campaign_save(recam_db *db, json_t *def, int64_t expected_version, char id[RECAM_ID_LEN + 1])
{
	recam_campaign_row row;
	int rc = recam_campaign_row_init(def, &row);
	if (rc != 0)
		return rc;
	if ((rc = recam_db_begin(db)) != 0)
		goto out;
	struct version_row cur = {.version = 0};
	rc = recam_db_query_one(db, "SELECT id, version FROM campaigns WHERE slug = ?",
				RECAM_DB_ARGS(DBV_TEXT(row.slug)), read_version, &cur);
	if (rc == RECAM_ENOTFOUND) {
		recam_random_id(cur.id);
		rc = recam_campaign_row_insert(db, cur.id, &row);
	} else if (rc == 0) {
		if (expected_version != 0 && expected_version != cur.version) {
			rc = RECAM_ECONFLICT;
		} else {
			rc = recam_db_exec(db,
					   "UPDATE campaigns SET status = ?, title = ?, entry_start = ?, entry_end = ?,"
					   " definition = ?, version = version + 1, updated_at = ? WHERE id = ?",
					   RECAM_DB_ARGS(DBV_TEXT(row.status), DBV_TEXT(row.title),
							 DBV_INT(row.rules.entry_start), DBV_INT(row.rules.entry_end),
							 DBV_TEXT(row.text), DBV_TEXT(row.now), DBV_TEXT(cur.id)));
		}
	}
	if (rc == 0)
		rc = recam_campaign_save_prizes(db, cur.id, &row.rules);
	if (rc == 0)
		rc = recam_db_commit(db);
	else
		recam_db_rollback(db);
	if (rc == 0 && id)
		memcpy(id, cur.id, sizeof(cur.id));
out:
	recam_campaign_row_free(&row);
	return rc;
}

static int read_campaign(void *ctx, const recam_dbrow *row)
{
	recam_campaign *c = ctx;
	c->version = recam_dbrow_int(row, 3);
	int rc = recam_dbrow_copy_text(row, 0, c->id, sizeof(c->id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 1, c->slug, sizeof(c->slug));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 2, c->status, sizeof(c->status));
	size_t n;
	const char *def = recam_dbrow_text(row, 4, &n);
	json_error_t e;
	if (rc == 0 && (c->def = json_loadb(def ? def : "", n, 0, &e)) == NULL)
		rc = RECAM_EDB;
	return rc;
}

static int load(recam_db *db, const char *sql, const char *arg, recam_campaign *out)
{
	memset(out, 0, sizeof(*out));
	int rc = recam_db_query_one(db, sql, RECAM_DB_ARGS(DBV_TEXT(arg)), read_campaign, out);
	if (rc == 0)
		rc = recam_campaign_parse(out->def, RECAM_LANG_EN, &out->rules, NULL);
	if (rc != 0)
		recam_campaign_free(out);
	return rc;
}

int recam_campaign_load(recam_db *db, const char *slug, recam_campaign *out)
{
	return load(db, "SELECT id, slug, status, version, definition FROM campaigns WHERE slug = ?", slug, out);
}

int recam_campaign_load_by_id(recam_db *db, const char *id, recam_campaign *out)
{
	return load(db, "SELECT id, slug, status, version, definition FROM campaigns WHERE id = ?", id, out);
}

bool recam_campaign_open(const recam_campaign *c, int64_t now)
{
	return strcmp(c->status, "published") == 0 && now >= c->rules.entry_start && now < c->rules.entry_end;
}

json_t *recam_campaign_public(const recam_campaign *c, int64_t now)
{
	static const char *const keys[] = {"slug", "title", "description", "terms", "data_purpose", "entry_period",
					   "purchase_period", "instant_win", "draw"};
	json_t *out = json_object();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(c->def, keys[i]);
		if (v)
			json_object_set(out, keys[i], v);
	}
	json_t *prizes = json_array();
	for (int i = 0; i < c->rules.nprizes; i++)
		json_array_append_new(prizes, json_pack("{s:s, s:s, s:I}", "code", c->rules.prizes[i].code, "name",
							c->rules.prizes[i].name, "value",
							(json_int_t)c->rules.prizes[i].value));
	json_object_set_new(out, "prizes", prizes);
	json_t *products = json_array();
	for (int i = 0; i < c->rules.nproducts; i++)
		json_array_append_new(products, json_string(c->rules.products[i].name));
	json_object_set_new(out, "target_products", products);
	const recam_rules *r = &c->rules;
	json_object_set_new(out, "receipts_per_entry",
			    json_pack("{s:I, s:I}", "min", (json_int_t)r->receipts_min, "max", (json_int_t)r->receipts_max));
	json_object_set_new(out, "status", json_string(c->status));
	const char *phase = strcmp(c->status, "published") != 0 ? c->status
			    : now < r->entry_start			  ? "upcoming"
			    : now >= r->entry_end			  ? "ended"
									  : "open";
	json_object_set_new(out, "phase", json_string(phase));
	return out;
}
