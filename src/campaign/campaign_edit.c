/* campaign_edit.c — staff edits of campaigns (see campaign_edit.h). */
#include "campaign_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

static const char *const entry_statuses[] = {"queued", "reading", "accepted", "rejected", "review"};

struct list_ctx {
	json_t *list;  /* array, in order */
	json_t *by_id; /* id → the same objects */
	int64_t now;
	bool with_def;
	int err;
};

static const char *phase(const char *status, int64_t start, int64_t end, int64_t now)
{
	if (strcmp(status, "published") != 0)
		return status;
	return now < start ? "upcoming" : now >= end ? "ended" : "open";
}

static int read_campaign_row(void *vctx, const recam_dbrow *row)
{
	struct list_ctx *l = vctx;
	size_t n;
	const char *id = recam_dbrow_text(row, 0, &n);
	const char *status = recam_dbrow_text(row, 3, &n);
	int64_t start = recam_dbrow_int(row, 4), end = recam_dbrow_int(row, 5);
	char s[32], e[32];
	recam_clock_format_rfc3339(start, s, sizeof(s));
	recam_clock_format_rfc3339(end, e, sizeof(e));
	json_t *counts = json_pack("{s:i}", "total", 0);
	for (size_t i = 0; counts && i < sizeof(entry_statuses) / sizeof(entry_statuses[0]); i++)
		json_object_set_new(counts, entry_statuses[i], json_integer(0));
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:I, s:s, s:o, s:[]}", "id", id, "slug",
			      recam_dbrow_text(row, 1, &n), "title", recam_dbrow_text(row, 2, &n), "status", status,
			      "phase", phase(status, start, end, l->now), "entry_period", "start", s, "end", e,
			      "version", (json_int_t)recam_dbrow_int(row, 6), "updated_at",
			      recam_dbrow_text(row, 7, &n), "entries", counts, "prizes");
	if (c == NULL)
		return RECAM_ENOMEM;
	if (l->with_def) {
		const char *def = recam_dbrow_text(row, 8, &n);
		json_error_t je;
		json_t *d = def ? json_loadb(def, n, 0, &je) : NULL;
		if (d == NULL) {
			json_decref(c);
			return RECAM_EDB;
		}
		json_object_set_new(c, "definition", d);
	}
	json_array_append_new(l->list, c);
	json_object_set(l->by_id, id, c);
	return 0;
}

static int read_count_row(void *vctx, const recam_dbrow *row)
{
	struct list_ctx *l = vctx;
	size_t n;
	json_t *c = json_object_get(l->by_id, recam_dbrow_text(row, 0, &n));
	json_t *counts = json_object_get(c, "entries");
	if (counts == NULL)
		return 0;
	json_int_t k = (json_int_t)recam_dbrow_int(row, 2);
	json_object_set_new(counts, recam_dbrow_text(row, 1, &n), json_integer(k));
	json_object_set_new(counts, "total", json_integer(json_integer_value(json_object_get(counts, "total")) + k));
	return 0;
}

static int read_prize_row(void *vctx, const recam_dbrow *row)
{
	struct list_ctx *l = vctx;
	size_t n;
	json_t *c = json_object_get(l->by_id, recam_dbrow_text(row, 0, &n));
	json_t *prizes = json_object_get(c, "prizes");
	if (prizes == NULL)
		return 0;
	return json_array_append_new(prizes, json_pack("{s:s, s:s, s:I, s:I}", "code", recam_dbrow_text(row, 1, &n),
						       "name", recam_dbrow_text(row, 2, &n), "stock",
						       (json_int_t)recam_dbrow_int(row, 3), "won",
						       (json_int_t)recam_dbrow_int(row, 4))) == 0
		       ? 0
		       : RECAM_ENOMEM;
}

/* id "" lists every campaign. */
static int collect(recam_db *db, const char *id, int64_t now, bool with_def, json_t **out)
{
	struct list_ctx l = {json_array(), json_object(), now, with_def, 0};
	int rc = l.list && l.by_id ? 0 : RECAM_ENOMEM;
	if (rc == 0)
		rc = recam_db_query(db,
				    "SELECT id, slug, title, status, entry_start, entry_end, version, updated_at, definition"
				    " FROM campaigns WHERE (? = '' OR id = ?) ORDER BY created_at DESC, id",
				    RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(id)), read_campaign_row, &l);
	if (rc >= 0)
		rc = recam_db_query(db,
				    "SELECT campaign_id, status, count(*) FROM entries WHERE (? = '' OR campaign_id = ?)"
				    " GROUP BY campaign_id, status",
				    RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(id)), read_count_row, &l);
	if (rc >= 0)
		rc = recam_db_query(db,
				    "SELECT campaign_id, code, name, stock, won FROM prizes WHERE (? = '' OR campaign_id = ?)"
				    " ORDER BY campaign_id, code",
				    RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(id)), read_prize_row, &l);
	json_decref(l.by_id);
	if (rc < 0) {
		json_decref(l.list);
		return rc;
	}
	*out = l.list;
	return 0;
}

int recam_campaign_edit_list(recam_db *db, int64_t now, json_t **out)
{
	return collect(db, "", now, false, out);
}

int recam_campaign_edit_get(recam_db *db, const char *id, int64_t now, json_t **out)
{
	json_t *list;
	int rc = collect(db, id, now, true, &list);
	if (rc != 0)
		return rc;
	if (json_array_size(list) != 1) {
		json_decref(list);
		return RECAM_ENOTFOUND;
	}
	*out = json_incref(json_array_get(list, 0));
	json_decref(list);
	return 0;
}

/* ---- writing ---- */

struct stored {
	char id[RECAM_ID_LEN + 1];
	char slug[64];
	char status[16];
	int64_t version;
	int64_t entry_end;
	json_t *def;
};

static int read_stored(void *vctx, const recam_dbrow *row)
{
	struct stored *s = vctx;
	s->version = recam_dbrow_int(row, 3);
	s->entry_end = recam_dbrow_int(row, 4);
	int rc = recam_dbrow_copy_text(row, 0, s->id, sizeof(s->id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 1, s->slug, sizeof(s->slug));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 2, s->status, sizeof(s->status));
	size_t n;
	const char *def = recam_dbrow_text(row, 5, &n);
	json_error_t je;
	if (rc == 0 && (s->def = def ? json_loadb(def, n, 0, &je) : NULL) == NULL)
		rc = RECAM_EDB;
	return rc;
}

static int load_stored(recam_db *db, const char *id, struct stored *s)
{
	memset(s, 0, sizeof(*s));
	return recam_db_query_one(db,
				  "SELECT id, slug, status, version, entry_end, definition FROM campaigns WHERE id = ?",
				  RECAM_DB_ARGS(DBV_TEXT(id)), read_stored, s);
}

static int read_exists(void *ctx, const recam_dbrow *row)
{
	(void)row;
	*(bool *)ctx = true;
	return 0;
}

/* Another campaign than except_id has slug. */
static int slug_taken(recam_db *db, const char *slug, const char *except_id, bool *taken)
{
	*taken = false;
	int rc = recam_db_query(db, "SELECT 1 FROM campaigns WHERE slug = ? AND id <> ?",
				RECAM_DB_ARGS(DBV_TEXT(slug), DBV_TEXT(except_id)), read_exists, taken);
	return rc < 0 ? rc : 0;
}

static int read_code(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const char *code = recam_dbrow_text(row, 0, &n);
	return json_array_append_new(ctx, json_string(code ? code : "")) == 0 ? 0 : RECAM_ENOMEM;
}

/* Prize courses: stock is the definition's total less what was won; a
 * course removed from the definition goes unless someone won it. */
static int store_prizes(recam_db *db, const char *campaign_id, const recam_rules *r)
{
	int rc = recam_campaign_save_prizes(db, campaign_id, r);
	/* portable SQL: the codes come back, the unwanted ones go one by one */
	json_t *unused = json_array();
	if (rc == 0)
		rc = unused ? recam_db_query(db, "SELECT code FROM prizes WHERE campaign_id = ? AND won = 0",
					     RECAM_DB_ARGS(DBV_TEXT(campaign_id)), read_code, unused)
			    : RECAM_ENOMEM;
	rc = rc < 0 ? rc : 0;
	size_t k;
	json_t *code;
	json_array_foreach(unused, k, code) {
		bool keep = false;
		for (int i = 0; i < r->nprizes && !keep; i++)
			keep = strcmp(r->prizes[i].code, json_string_value(code)) == 0;
		if (rc == 0 && !keep)
			rc = recam_db_exec(db, "DELETE FROM prizes WHERE campaign_id = ? AND code = ? AND won = 0",
					   RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_TEXT(json_string_value(code))));
	}
	json_decref(unused);
	return rc;
}

/* Writes def (already given its status) as campaign id: a new row when
 * expected_version < 0, else an update guarded by the version. */
static int write_def(recam_db *db, const char *id, json_t *def, int64_t expected_version)
{
	recam_campaign_row row;
	int rc = recam_campaign_row_init(def, &row);
	if (rc != 0)
		return rc;
	if (expected_version < 0) {
		rc = recam_campaign_row_insert(db, id, &row);
	} else {
		int64_t changed = 0;
		rc = recam_db_exec_changes(db,
					   "UPDATE campaigns SET slug = ?, status = ?, title = ?, entry_start = ?,"
					   " entry_end = ?, definition = ?, version = version + 1, updated_at = ?"
					   " WHERE id = ? AND version = ?",
					   RECAM_DB_ARGS(DBV_TEXT(row.slug), DBV_TEXT(row.status), DBV_TEXT(row.title),
							 DBV_INT(row.rules.entry_start), DBV_INT(row.rules.entry_end),
							 DBV_TEXT(row.text), DBV_TEXT(row.now), DBV_TEXT(id),
							 DBV_INT(expected_version)),
					   &changed);
		if (rc == 0 && changed != 1)
			rc = RECAM_ECONFLICT;
	}
	if (rc == 0)
		rc = store_prizes(db, id, &row.rules);
	recam_campaign_row_free(&row);
	return rc;
}

int recam_campaign_edit_create(recam_db *db, json_t *def, char id[RECAM_ID_LEN + 1], enum recam_edit_fault *fault)
{
	*fault = RECAM_EDIT_OK;
	bool taken;
	int rc = slug_taken(db, json_string_value(json_object_get(def, "slug")), "", &taken);
	if (rc != 0)
		return rc;
	if (taken) {
		*fault = RECAM_EDIT_SLUG_TAKEN;
		return RECAM_ECONFLICT;
	}
	json_object_set_new(def, "status", json_string("draft"));
	recam_random_id(id);
	return write_def(db, id, def, -1);
}

int recam_campaign_edit_update(recam_db *db, const char *id, json_t *def, int64_t expected_version,
			       enum recam_edit_fault *fault)
{
	*fault = RECAM_EDIT_OK;
	struct stored s;
	int rc = load_stored(db, id, &s);
	if (rc != 0)
		return rc;
	const char *slug = json_string_value(json_object_get(def, "slug"));
	bool taken = false;
	if (s.version != expected_version) {
		*fault = RECAM_EDIT_STALE;
		rc = RECAM_ECONFLICT;
	} else if (strcmp(slug, s.slug) != 0 && strcmp(s.status, "draft") != 0) {
		*fault = RECAM_EDIT_SLUG_FIXED;
		rc = RECAM_EINVAL;
	} else if ((rc = slug_taken(db, slug, id, &taken)) == 0 && taken) {
		*fault = RECAM_EDIT_SLUG_TAKEN;
		rc = RECAM_ECONFLICT;
	}
	if (rc == 0) {
		json_object_set_new(def, "status", json_string(s.status));
		rc = write_def(db, id, def, expected_version);
	}
	json_decref(s.def);
	return rc;
}

int recam_campaign_edit_transition(recam_db *db, const char *id, const char *to, int64_t expected_version,
				   int64_t now, enum recam_edit_fault *fault)
{
	*fault = RECAM_EDIT_OK;
	struct stored s;
	int rc = load_stored(db, id, &s);
	if (rc != 0)
		return rc;
	const char *from = s.status;
	if (expected_version != 0 && expected_version != s.version)
		*fault = RECAM_EDIT_STALE;
	else if (strcmp(from, to) == 0)
		*fault = RECAM_EDIT_ALREADY;
	else if (strcmp(from, "ended") == 0)
		*fault = RECAM_EDIT_ENDED;
	else if (strcmp(to, "published") != 0 && strcmp(from, "draft") == 0)
		*fault = RECAM_EDIT_NOT_PUBLISHED;
	else if (strcmp(to, "published") == 0 && s.entry_end <= now)
		*fault = RECAM_EDIT_PERIOD_OVER;
	if (*fault != RECAM_EDIT_OK) {
		json_decref(s.def);
		return RECAM_ECONFLICT;
	}
	json_object_set_new(s.def, "status", json_string(to));
	rc = write_def(db, id, s.def, s.version);
	json_decref(s.def);
	return rc;
}

int recam_campaign_edit_duplicate(recam_db *db, const char *id, const char *slug, const char *title_suffix,
				  char new_id[RECAM_ID_LEN + 1], enum recam_edit_fault *fault)
{
	*fault = RECAM_EDIT_OK;
	struct stored s;
	int rc = load_stored(db, id, &s);
	if (rc != 0)
		return rc;
	char chosen[64];
	bool taken = true;
	if (slug) {
		rc = recam_strlcpy(chosen, slug, sizeof(chosen)) == 0 ? slug_taken(db, chosen, "", &taken) : RECAM_EINVAL;
	} else {
		/* {slug}-copy, {slug}-copy-2, ... within the 48 characters a slug may have */
		char base[40];
		snprintf(base, sizeof(base), "%.38s", s.slug);
		size_t bl = strlen(base);
		while (bl > 0 && base[bl - 1] == '-')
			base[--bl] = '\0';
		for (int k = 1; rc == 0 && taken && k < 100; k++) {
			if (k == 1)
				snprintf(chosen, sizeof(chosen), "%s-copy", base);
			else
				snprintf(chosen, sizeof(chosen), "%s-copy-%d", base, k);
			rc = slug_taken(db, chosen, "", &taken);
		}
	}
	if (rc == 0 && taken) {
		*fault = RECAM_EDIT_SLUG_TAKEN;
		rc = RECAM_ECONFLICT;
	}
	if (rc == 0) {
		json_object_set_new(s.def, "slug", json_string(chosen));
		json_object_set_new(s.def, "status", json_string("draft"));
		const char *title = json_string_value(json_object_get(s.def, "title"));
		char *t = NULL;
		/* the suffix only while the title stays within its 600 bytes */
		if (title && title_suffix && strlen(title) + strlen(title_suffix) <= 600 &&
		    (t = malloc(strlen(title) + strlen(title_suffix) + 1)) != NULL) {
			memcpy(t, title, strlen(title));
			memcpy(t + strlen(title), title_suffix, strlen(title_suffix) + 1);
			json_object_set_new(s.def, "title", json_string(t));
			free(t);
		}
		recam_random_id(new_id);
		rc = write_def(db, new_id, s.def, -1);
	}
	json_decref(s.def);
	return rc;
}
