/* reader_test.c — reader tests for staff (see reader_test.h). */
#include "reader_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/tenant.h"
#include "campaign/campaign.h"
#include "campaign/judge.h"
#include "core/clock.h"
#include "core/log.h"
#include "receipt/match.h"
#include "receipt/reader.h"
#include "store/blob.h"
#include "store/jobs.h"

#define MAX_IMAGE_BYTES (40u * 1024 * 1024)
#define JOB_KIND "reader.test"

static const recam_key *test_master;
static struct recam_reader_pool *test_pool;

struct row {
	char campaign_id[RECAM_ID_LEN + 1];
	char status[16];
	json_t *images;
};

static int read_row(void *ctx, const recam_dbrow *r)
{
	struct row *row = ctx;
	size_t n;
	int rc = recam_dbrow_copy_text(r, 0, row->campaign_id, sizeof(row->campaign_id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(r, 1, row->status, sizeof(row->status));
	const char *images = recam_dbrow_text(r, 2, &n);
	json_error_t je;
	if (rc == 0 && (row->images = json_loadb(images ? images : "", n, 0, &je)) == NULL)
		rc = RECAM_EDB;
	return rc;
}

static void delete_blobs(const char *tenant_dir, const json_t *images)
{
	size_t i;
	json_t *b;
	json_array_foreach(images, i, b)
		if (json_is_string(b))
			recam_blob_delete(tenant_dir, json_string_value(b));
}

static int collect_old(void *ctx, const recam_dbrow *r)
{
	size_t n;
	const char *images = recam_dbrow_text(r, 0, &n);
	json_error_t je;
	json_t *arr = images ? json_loadb(images, n, 0, &je) : NULL;
	json_array_extend(ctx, arr);
	json_decref(arr);
	return 0;
}

int recam_reader_test_create(recam_db *db, const char *tenant_dir, const char *campaign_id, const char *user_id,
			     const struct recam_entry_image *photos, int n, int64_t now, char id[RECAM_ID_LEN + 1])
{
	json_t *images = json_array(), *old = json_array();
	for (int i = 0; images && i < n; i++)
		json_array_append_new(images, json_string(photos[i].blob_id));
	char *text = images ? json_dumps(images, JSON_COMPACT) : NULL;
	json_decref(images);
	int rc = text && old ? 0 : RECAM_ENOMEM;
	/* Old tests go, with any photo a test never read (no reader ran). */
	int64_t before = now - RECAM_READER_TEST_KEEP_SECONDS;
	if (rc == 0)
		rc = recam_db_query(db, "SELECT images FROM reader_tests WHERE created_at < ?", RECAM_DB_ARGS(DBV_INT(before)),
				    collect_old, old);
	if (rc >= 0)
		rc = recam_db_exec(db, "DELETE FROM reader_tests WHERE created_at < ?", RECAM_DB_ARGS(DBV_INT(before)));
	if (rc == 0) {
		recam_random_id(id);
		rc = recam_db_exec(db,
				   "INSERT INTO reader_tests(id, campaign_id, user_id, images, created_at) VALUES (?, ?, ?, ?, ?)",
				   RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(campaign_id), DBV_TEXT(user_id), DBV_TEXT(text),
						 DBV_INT(now)));
	}
	if (rc == 0)
		delete_blobs(tenant_dir, old); /* rows are gone: nothing refers to them */
	json_decref(old);
	free(text);
	return rc;
}

int recam_reader_test_enqueue(recam_store *s, recam_db *db, const char *tenant_id, const char *id)
{
	char job[RECAM_ID_LEN + 1];
	json_t *payload = json_pack("{s:s}", "test", id);
	int rc = payload ? recam_jobs_enqueue(s, tenant_id, JOB_KIND, payload, 0, job) : RECAM_ENOMEM;
	json_decref(payload);
	if (rc != 0) {
		recam_error("reader test %s recorded but not queued: %s", id, recam_err_code(rc));
		recam_db_exec(db, "UPDATE reader_tests SET status = 'failed' WHERE id = ?", RECAM_DB_ARGS(DBV_TEXT(id)));
	}
	return rc;
}

struct view_ctx {
	json_t *out;
	recam_lang lang;
};

static int read_view(void *vctx, const recam_dbrow *r)
{
	struct view_ctx *v = vctx;
	size_t n;
	char created[32];
	recam_clock_format_rfc3339(recam_dbrow_int(r, 2), created, sizeof(created));
	v->out = json_pack("{s:s, s:s, s:s}", "id", recam_dbrow_text(r, 0, &n), "status", recam_dbrow_text(r, 1, &n),
			   "created_at", created);
	if (v->out == NULL)
		return RECAM_ENOMEM;
	const char *result = recam_dbrow_text(r, 3, &n);
	json_error_t je;
	json_t *res = result ? json_loadb(result, n, 0, &je) : NULL;
	if (res) {
		/* the reason in words, in the reader's language at the time of asking */
		json_t *j = json_object_get(res, "judgement");
		const char *reason = json_string_value(json_object_get(j, "reason"));
		if (reason)
			json_object_set_new(j, "message", json_string(recam_reason_message(reason, v->lang)));
		json_object_set_new(v->out, "result", res);
	}
	return 0;
}

int recam_reader_test_view(recam_db *db, const char *campaign_id, const char *id, recam_lang lang, json_t **out)
{
	struct view_ctx v = {NULL, lang};
	int rc = recam_db_query_one(db,
				    "SELECT id, status, created_at, result FROM reader_tests WHERE id = ? AND campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(campaign_id)), read_view, &v);
	if (rc != 0) {
		json_decref(v.out);
		return rc;
	}
	*out = v.out;
	return 0;
}

/* Which line items are which target products, for the screen to mark. */
static void add_matches(const recam_rules *r, json_t *receipt)
{
	json_t *items = json_object_get(json_object_get(receipt, "items"), "value");
	json_t *out = json_array();
	json_object_set_new(receipt, "matches", out);
	if (!json_is_array(items) || r->nproducts == 0)
		return;
	recam_match_target targets[RECAM_CAMPAIGN_MAX_PRODUCTS];
	for (int i = 0; i < r->nproducts; i++)
		targets[i] = (recam_match_target){r->products[i].name, r->products[i].aliases,
						  (size_t)r->products[i].naliases, r->products[i].jan};
	recam_match_hit *hits = NULL;
	size_t nhits = 0;
	if (recam_match_items(items, targets, (size_t)r->nproducts, &hits, &nhits) != 0)
		return;
	for (size_t h = 0; h < nhits; h++)
		json_array_append_new(out, json_pack("{s:i, s:s, s:f}", "item", hits[h].item, "product",
						     r->products[hits[h].target].name, "score", hits[h].score));
	free(hits);
}

static const char *verdict_name(enum recam_verdict v)
{
	return v == RECAM_ACCEPTED ? "accepted" : v == RECAM_REVIEW ? "review" : "rejected";
}

/* Reads every photo through the reader pool: a photo the reader refuses
 * becomes {"error":...}, as for an entry. RECAM_EBUSY asks for a retry. */
static int read_photos(const char *dir, const recam_key *key, const json_t *images, json_t *receipts)
{
	recam_buf img;
	recam_buf_init(&img, MAX_IMAGE_BYTES);
	int rc = 0;
	size_t i;
	json_t *b;
	json_array_foreach(images, i, b) {
		char *text = NULL;
		size_t tlen = 0;
		recam_buf_reset(&img);
		if ((rc = recam_blob_get(dir, key, json_string_value(b), &img)) != 0)
			break;
		int rr = recam_reader_read(test_pool, img.data, img.len, &text, &tlen);
		if (rr == RECAM_EBUSY) {
			rc = rr;
			break;
		}
		json_error_t je;
		json_t *rj = rr == 0 ? json_loadb(text, tlen, 0, &je) : recam_reader_error_json(rr);
		free(text);
		if (rj == NULL)
			rj = recam_reader_error_json(RECAM_EINTERNAL);
		json_object_del(rj, "worker"); /* the process, not the receipt */
		json_array_append_new(receipts, rj);
	}
	recam_buf_free(&img);
	return rc;
}

static int finish(recam_db *db, const char *id, const recam_campaign *c, json_t *receipts)
{
	recam_judgement j;
	int rc = recam_judge(&c->rules, receipts, &j);
	if (rc != 0)
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(receipts, i, r)
		if (!json_object_get(r, "error"))
			add_matches(&c->rules, r);
	json_t *result = json_pack("{s:o, s:{s:s, s:s?, s:I, s:f, s:I, s:I, s:I, s:O}, s:I}", "receipts",
				   json_incref(receipts), "judgement", "status", verdict_name(j.verdict), "reason", j.reason,
				   "units", (json_int_t)j.units, "confidence", j.confidence, "target_quantity",
				   (json_int_t)j.target_quantity, "target_amount", (json_int_t)j.target_amount,
				   "total_amount", (json_int_t)j.total_amount, "summary", j.summary, "campaign_version",
				   (json_int_t)c->version);
	recam_judgement_free(&j);
	char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
	json_decref(result);
	rc = text ? recam_db_exec(db,
				  "UPDATE reader_tests SET status = 'done', result = ?, images = '[]', done_at = ? WHERE id = ?",
				  RECAM_DB_ARGS(DBV_TEXT(text), DBV_INT(recam_clock_now()), DBV_TEXT(id)))
		  : RECAM_ENOMEM;
	free(text);
	return rc;
}

int recam_reader_test_run(recam_store *s, const char *tenant_id, const char *id)
{
	recam_tenant t;
	recam_key key;
	char dir[RECAM_PATH_MAX + 64];
	int rc = recam_tenant_by_id(s, tenant_id, &t);
	if (rc == 0)
		rc = recam_tenant_key(test_master, &t, &key);
	if (rc != 0)
		return rc;
	recam_db *db = NULL;
	if ((rc = recam_store_tenant_dir(s, tenant_id, dir, sizeof(dir))) == 0)
		rc = recam_store_tenant(s, tenant_id, &db);
	if (rc != 0) {
		recam_key_wipe(&key);
		return rc;
	}
	struct row row = {.images = NULL};
	recam_campaign c = {.def = NULL};
	json_t *receipts = json_array();
	rc = recam_db_query_one(db, "SELECT campaign_id, status, images FROM reader_tests WHERE id = ?",
				RECAM_DB_ARGS(DBV_TEXT(id)), read_row, &row);
	if (rc == RECAM_ENOTFOUND) { /* pruned meanwhile: nothing to do */
		rc = 0;
		goto out;
	}
	if (rc != 0 || (strcmp(row.status, "queued") != 0 && strcmp(row.status, "reading") != 0))
		goto out;
	recam_db_exec(db, "UPDATE reader_tests SET status = 'reading' WHERE id = ?", RECAM_DB_ARGS(DBV_TEXT(id)));
	rc = recam_campaign_load_by_id(db, row.campaign_id, &c);
	if (rc == 0)
		rc = read_photos(dir, &key, row.images, receipts);
	if (rc == 0)
		rc = finish(db, id, &c, receipts);
	if (rc == 0) {
		delete_blobs(dir, row.images);
	} else if (rc != RECAM_EBUSY) {
		/* a photo gone, the campaign gone: tell the screen, keep nothing */
		recam_warn("reader test %s failed: %s", id, recam_err_code(rc));
		recam_db_exec(db, "UPDATE reader_tests SET status = 'failed', images = '[]', done_at = ? WHERE id = ?",
			      RECAM_DB_ARGS(DBV_INT(recam_clock_now()), DBV_TEXT(id)));
		delete_blobs(dir, row.images);
		rc = 0;
	}
out:
	json_decref(receipts);
	json_decref(row.images);
	recam_campaign_free(&c);
	recam_db_release(db);
	recam_key_wipe(&key);
	return rc;
}

static int test_job(recam_store *s, const char *tenant_id, json_t *payload, char *why, size_t whylen)
{
	const char *id = json_string_value(json_object_get(payload, "test"));
	if (tenant_id == NULL || id == NULL) {
		snprintf(why, whylen, "payload needs a tenant and a test");
		return RECAM_EINVAL;
	}
	return recam_reader_test_run(s, tenant_id, id);
}

int recam_reader_test_jobs_init(const recam_key *master, struct recam_reader_pool *pool)
{
	test_master = master;
	test_pool = pool;
	return recam_jobs_register(JOB_KIND, test_job);
}

bool recam_reader_test_available(void) { return test_pool != NULL; }
