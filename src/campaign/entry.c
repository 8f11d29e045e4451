/* entry.c — entries: creation, judging (the job), the shopper's view. */
#include "entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/tenant.h"
#include "campaign/entry_search.h"
#include "campaign/image_dup.h"
#include "campaign/judge.h"
#include "campaign/lottery.h"
#include "core/clock.h"
#include "core/log.h"
#include "receipt/reader.h"
#include "store/blob.h"
#include "store/jobs.h"

#define MAX_IMAGE_BYTES (40u * 1024 * 1024)

static const recam_key *entry_master;
static struct recam_reader_pool *entry_pool;

static int count_row(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

static int read_id(void *ctx, const recam_dbrow *row) { return recam_dbrow_copy_text(row, 0, ctx, RECAM_ID_LEN + 1); }

/* Entries that count toward a participant's caps: all but the rejected. */
static int caps_reached(recam_db *db, const recam_campaign *c, const char *participant_id, int64_t day,
			const char *except_entry, const char **reason)
{
	*reason = NULL;
	int64_t n = 0;
	int rc;
	if (c->rules.cap_per_day > 0) {
		rc = recam_db_query(db,
				    "SELECT count(*) FROM entries WHERE campaign_id = ? AND participant_id = ?"
				    " AND campaign_day = ? AND status <> 'rejected' AND id <> ?",
				    RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_TEXT(participant_id), DBV_INT(day),
						  DBV_TEXT(except_entry)),
				    count_row, &n);
		if (rc < 0)
			return rc;
		if (n >= c->rules.cap_per_day) {
			*reason = "daily_cap_reached";
			return 0;
		}
	}
	if (c->rules.cap_total > 0) {
		rc = recam_db_query(db,
				    "SELECT count(*) FROM entries WHERE campaign_id = ? AND participant_id = ?"
				    " AND status <> 'rejected' AND id <> ?",
				    RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_TEXT(participant_id), DBV_TEXT(except_entry)),
				    count_row, &n);
		if (rc < 0)
			return rc;
		if (n >= c->rules.cap_total)
			*reason = "total_cap_reached";
	}
	return 0;
}

int recam_entry_create(recam_db *db, const recam_campaign *c, const char *participant_id, const char *idem_key,
		       const struct recam_entry_image *images, int nimages, int64_t now, char id[RECAM_ID_LEN + 1],
		       bool *existing, const char **reason)
{
	*existing = false;
	*reason = NULL;
	int rc = recam_db_begin(db);
	if (rc != 0)
		return rc;
	if (idem_key) {
		rc = recam_db_query_one(db,
					"SELECT id FROM entries WHERE campaign_id = ? AND participant_id = ?"
					" AND idempotency_key = ?",
					RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_TEXT(participant_id), DBV_TEXT(idem_key)), read_id,
					id);
		if (rc == 0) {
			*existing = true;
			return recam_db_commit(db);
		}
		if (rc != RECAM_ENOTFOUND)
			goto fail;
	}
	int64_t day = recam_clock_tokyo_day(now);
	if ((rc = caps_reached(db, c, participant_id, day, "", reason)) != 0)
		goto fail;
	if (*reason) {
		rc = RECAM_ELIMIT;
		goto fail;
	}
	recam_random_id(id);
	rc = recam_db_exec(db,
			   "INSERT INTO entries(id, campaign_id, participant_id, idempotency_key, campaign_day, created_at)"
			   " VALUES (?, ?, ?, ?, ?, ?)",
			   RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(c->id), DBV_TEXT(participant_id),
					 idem_key ? DBV_TEXT(idem_key) : DBV_NULL, DBV_INT(day), DBV_INT(now)));
	for (int i = 0; rc == 0 && i < nimages; i++)
		rc = recam_db_exec(db, "INSERT INTO entry_images(entry_id, position, blob_id, sha256) VALUES (?, ?, ?, ?)",
				   RECAM_DB_ARGS(DBV_TEXT(id), DBV_INT(i), DBV_TEXT(images[i].blob_id),
						 DBV_TEXT(images[i].sha256)));
	if (rc == 0)
		rc = recam_entry_event(db, id, "participant", "created", NULL);
	if (rc != 0)
		goto fail;
	return recam_db_commit(db);
fail:
	recam_db_rollback(db);
	return rc;
}

/* ---- judging ---- */

struct entry_row {
	char campaign_id[RECAM_ID_LEN + 1];
	char participant_id[RECAM_ID_LEN + 1];
	char status[16];
	int64_t day;
};

static int read_entry(void *ctx, const recam_dbrow *row)
{
	struct entry_row *e = ctx;
	e->day = recam_dbrow_int(row, 3);
	int rc = recam_dbrow_copy_text(row, 0, e->campaign_id, sizeof(e->campaign_id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 1, e->participant_id, sizeof(e->participant_id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 2, e->status, sizeof(e->status));
	return rc;
}

struct image_list {
	struct recam_entry_image img[RECAM_ENTRY_MAX_IMAGES];
	int n;
};

static int read_image(void *ctx, const recam_dbrow *row)
{
	struct image_list *l = ctx;
	if (l->n == RECAM_ENTRY_MAX_IMAGES)
		return RECAM_ETOOBIG;
	struct recam_entry_image *im = &l->img[l->n++];
	int rc = recam_dbrow_copy_text(row, 0, im->blob_id, sizeof(im->blob_id));
	return rc == 0 ? recam_dbrow_copy_text(row, 1, im->sha256, sizeof(im->sha256)) : rc;
}

static int read_text(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const char *t = recam_dbrow_text(row, 0, &n);
	*(char **)ctx = t ? strndup(t, n) : NULL;
	return *(char **)ctx ? 0 : RECAM_ENOMEM;
}

/* Reads every photo of the entry through the sandboxed reader pool. A photo
 * the reader refuses becomes an {"error":...} object: the judge explains it
 * to the shopper. Only a busy pool is worth a retry of the whole job. */
static int read_images(recam_db *db, const char *tenant_dir, const recam_key *key, const char *entry_id,
		       const struct image_list *l, json_t *receipts)
{
	recam_buf img;
	recam_buf_init(&img, MAX_IMAGE_BYTES);
	int rc = 0;
	for (int i = 0; i < l->n && rc == 0; i++) {
		json_t *rj = NULL;
		char *text = NULL;
		size_t tlen = 0;
		/* The same photo read before (a retry under a new key, or another
		 * campaign of this tenant): its reading is reused, not redone. */
		int rr = recam_db_query_one(db, "SELECT receipt FROM entry_images WHERE sha256 = ? AND receipt IS NOT NULL"
						" AND receipt NOT LIKE '{\"error\"%' LIMIT 1",
					    RECAM_DB_ARGS(DBV_TEXT(l->img[i].sha256)), read_text, &text);
		if (rr == 0) {
			tlen = strlen(text);
		} else {
			if ((rc = recam_blob_get(tenant_dir, key, l->img[i].blob_id, &img)) != 0)
				break;
			rr = recam_reader_read(entry_pool, img.data, img.len, &text, &tlen);
		}
		if (rr == RECAM_EBUSY) {
			rc = rr;
			break;
		}
		json_error_t je;
		rj = rr == 0 ? json_loadb(text, tlen, 0, &je) : recam_reader_error_json(rr);
		free(text);
		if (rj == NULL)
			rj = recam_reader_error_json(RECAM_EINTERNAL);
		char *stored = json_dumps(rj, JSON_COMPACT);
		rc = recam_db_exec(db, "UPDATE entry_images SET receipt = ? WHERE entry_id = ? AND position = ?",
				   RECAM_DB_ARGS(stored ? DBV_TEXT(stored) : DBV_NULL, DBV_TEXT(entry_id), DBV_INT(i)));
		free(stored);
		if (rc == 0) /* its perceptual hashes, for "already used" (image_dup.c) */
			rc = recam_image_dup_store(db, entry_id, i, rj);
		json_array_append_new(receipts, rj);
	}
	recam_buf_free(&img);
	return rc;
}

/* Another live entry of this campaign sent the very same photo bytes. */
static int image_reused(recam_db *db, const char *campaign_id, const char *entry_id, const struct image_list *l,
			bool *reused)
{
	*reused = false;
	for (int i = 0; i < l->n && !*reused; i++) {
		int64_t n = 0;
		int rc = recam_db_query(db,
					"SELECT count(*) FROM entry_images ei JOIN entries e ON e.id = ei.entry_id"
					" WHERE ei.sha256 = ? AND e.campaign_id = ? AND e.id <> ?"
					" AND e.status IN ('accepted', 'review')",
					RECAM_DB_ARGS(DBV_TEXT(l->img[i].sha256), DBV_TEXT(campaign_id), DBV_TEXT(entry_id)),
					count_row, &n);
		if (rc < 0)
			return rc;
		*reused = n > 0;
	}
	return 0;
}

/* Claims each receipt's fingerprint for this entry; a fingerprint already
 * claimed by another entry of the campaign means the receipt was used. */
static int claim_receipts(recam_db *db, const char *campaign_id, const char *entry_id, const json_t *receipts,
			  bool *used)
{
	*used = false;
	size_t i;
	json_t *r;
	json_array_foreach((json_t *)receipts, i, r) {
		char *fp = recam_receipt_fingerprint(r);
		if (fp == NULL)
			continue;
		int64_t changed = 0;
		int rc = recam_db_exec_changes(db,
					       "INSERT INTO receipts_used(campaign_id, fingerprint, entry_id) VALUES (?, ?, ?)"
					       " ON CONFLICT DO NOTHING",
					       RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_TEXT(fp), DBV_TEXT(entry_id)), &changed);
		free(fp);
		if (rc != 0)
			return rc;
		if (changed == 0) {
			*used = true;
			return 0;
		}
	}
	return 0;
}

struct prize_row {
	char code[32];
	int64_t stock, won;
};

struct prize_rows {
	struct prize_row p[RECAM_CAMPAIGN_MAX_PRIZES];
	int n;
};

static int read_prize(void *ctx, const recam_dbrow *row)
{
	struct prize_rows *l = ctx;
	if (l->n == RECAM_CAMPAIGN_MAX_PRIZES)
		return 0;
	struct prize_row *p = &l->p[l->n++];
	p->stock = recam_dbrow_int(row, 1);
	p->won = recam_dbrow_int(row, 2);
	return recam_dbrow_copy_text(row, 0, p->code, sizeof(p->code));
}

static int read_blob32(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const void *b = recam_dbrow_blob(row, 0, &n);
	if (b == NULL || n != RECAM_LOTTERY_SEED_BYTES)
		return RECAM_ENOTFOUND;
	memcpy(ctx, b, n);
	return 0;
}

/* The fixed-number schedule's seed, made on first use in the same
 * transaction, so every node and restart sees the same schedule. */
static int instant_seed(recam_db *db, const char *campaign_id, unsigned char seed[RECAM_LOTTERY_SEED_BYTES])
{
	int rc = recam_db_query_one(db, "SELECT instant_seed FROM campaigns WHERE id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(campaign_id)), read_blob32, seed);
	if (rc != RECAM_ENOTFOUND)
		return rc;
	recam_lottery_seed_new(NULL, seed);
	return recam_db_exec(db, "UPDATE campaigns SET instant_seed = ? WHERE id = ?",
			     RECAM_DB_ARGS(DBV_BLOB(seed, RECAM_LOTTERY_SEED_BYTES), DBV_TEXT(campaign_id)));
}

/* Runs the instant win inside the entry's transaction: the win and the
 * reservation of its prize are one commit; stock can never go below zero. */
static int instant_win(recam_db *db, const recam_campaign *c, const char *entry_id, const char *participant_id,
		       int64_t now, json_t **result)
{
	*result = NULL;
	const recam_rules *r = &c->rules;
	if (r->instant == RECAM_INSTANT_NONE)
		return 0;
	int64_t wins = 0;
	int rc;
	if (r->one_win) {
		rc = recam_db_query(db, "SELECT count(*) FROM wins WHERE campaign_id = ? AND participant_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_TEXT(participant_id)), count_row, &wins);
		if (rc < 0)
			return rc;
	}
	*result = json_pack("{s:b}", "won", 0);
	if (wins > 0)
		return 0;
	struct prize_rows pr = {.n = 0};
	rc = recam_db_query(db, "SELECT code, stock, won FROM prizes WHERE campaign_id = ?", RECAM_DB_ARGS(DBV_TEXT(c->id)),
			    read_prize, &pr);
	if (rc < 0)
		return rc;
	/* Courses in the definition's order, with the stock this transaction sees. */
	recam_lottery_course courses[RECAM_CAMPAIGN_MAX_PRIZES];
	recam_lottery_schedule sched[RECAM_CAMPAIGN_MAX_PRIZES];
	int64_t given[RECAM_CAMPAIGN_MAX_PRIZES];
	unsigned char seed[RECAM_LOTTERY_SEED_BYTES];
	if (r->instant == RECAM_INSTANT_FIXED && (rc = instant_seed(db, c->id, seed)) != 0)
		return rc;
	for (int i = 0; i < r->nprizes; i++) {
		int64_t stock = 0, won = 0;
		for (int k = 0; k < pr.n; k++)
			if (strcmp(pr.p[k].code, r->prizes[i].code) == 0) {
				stock = pr.p[k].stock;
				won = pr.p[k].won;
			}
		courses[i] = (recam_lottery_course){(uint32_t)r->prizes[i].probability_ppm, stock};
		sched[i] = (recam_lottery_schedule){.course = (uint32_t)i, .start = r->entry_start, .end = r->entry_end,
						    .total = r->prizes[i].stock};
		memcpy(sched[i].seed, seed, sizeof(seed));
		given[i] = won;
	}
	int won_course = -1;
	if (r->instant == RECAM_INSTANT_PROBABILITY)
		rc = recam_lottery_instant(NULL, courses, (size_t)r->nprizes, &won_course);
	else
		rc = recam_lottery_fixed_pick(sched, given, (size_t)r->nprizes, now, &won_course);
	if (rc != 0 || won_course < 0)
		return rc;
	const struct recam_prize_rule *p = &r->prizes[won_course];
	int64_t changed = 0;
	rc = recam_db_exec_changes(db,
				   "UPDATE prizes SET stock = stock - 1, won = won + 1"
				   " WHERE campaign_id = ? AND code = ? AND stock > 0",
				   RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_TEXT(p->code)), &changed);
	if (rc != 0 || changed == 0)
		return rc;
	char win_id[RECAM_ID_LEN + 1];
	recam_random_id(win_id);
	rc = recam_db_exec(db,
			   "INSERT INTO wins(id, campaign_id, participant_id, entry_id, prize_code, kind, claim_deadline,"
			   " created_at) VALUES (?, ?, ?, ?, ?, 'instant', ?, ?)",
			   RECAM_DB_ARGS(DBV_TEXT(win_id), DBV_TEXT(c->id), DBV_TEXT(participant_id), DBV_TEXT(entry_id),
					 DBV_TEXT(p->code), DBV_INT(now + r->claim_days * 86400), DBV_INT(now)));
	if (rc != 0)
		return rc;
	json_decref(*result);
	*result = json_pack("{s:b, s:s, s:{s:s, s:s, s:I}}", "won", 1, "win_id", win_id, "prize", "code", p->code, "name",
			    p->name, "value", (json_int_t)p->value);
	return 0;
}

static const char *verdict_status(enum recam_verdict v)
{
	return v == RECAM_ACCEPTED ? "accepted" : v == RECAM_REVIEW ? "review" : "rejected";
}

/* Duplicates, caps and the lottery, then the verdict: one transaction. */
static int decide(recam_db *db, const recam_campaign *c, const char *entry_id, const struct entry_row *e,
		  const struct image_list *l, const json_t *receipts, recam_judgement *j)
{
	int64_t now = recam_clock_now();
	int rc = recam_db_begin(db);
	if (rc != 0)
		return rc;
	/* Judged meanwhile by another worker (a job re-run after a lease ran
	 * out): one verdict and one lottery per entry. */
	struct entry_row now_row;
	rc = recam_db_query_one(db, "SELECT campaign_id, participant_id, status, campaign_day FROM entries WHERE id = ?",
				RECAM_DB_ARGS(DBV_TEXT(entry_id)), read_entry, &now_row);
	if (rc != 0 || (strcmp(now_row.status, "queued") != 0 && strcmp(now_row.status, "reading") != 0)) {
		recam_db_rollback(db);
		return rc;
	}
	const char *reason = j->reason;
	enum recam_verdict v = j->verdict;
	bool dup = false;
	if (v != RECAM_REJECTED && (rc = image_reused(db, c->id, entry_id, l, &dup)) == 0 && dup) {
		v = RECAM_REJECTED;
		reason = "image_already_used";
	}
	/* The same photo with other bytes (re-encoded, cropped, turned ...). */
	if (rc == 0 && v != RECAM_REJECTED && (rc = recam_image_dup_find(db, c->id, entry_id, receipts, &dup)) == 0 &&
	    dup) {
		v = RECAM_REJECTED;
		reason = "duplicate_image";
	}
	if (rc == 0 && v != RECAM_REJECTED && (rc = claim_receipts(db, c->id, entry_id, receipts, &dup)) == 0 && dup) {
		v = RECAM_REJECTED;
		reason = "receipt_already_used";
	}
	const char *cap = NULL;
	if (rc == 0 && v != RECAM_REJECTED && (rc = caps_reached(db, c, e->participant_id, e->day, entry_id, &cap)) == 0 &&
	    cap) {
		v = RECAM_REJECTED;
		reason = cap;
	}
	json_t *win = NULL;
	if (rc == 0 && v == RECAM_ACCEPTED)
		rc = instant_win(db, c, entry_id, e->participant_id, now, &win);
	if (rc != 0) {
		json_decref(win);
		recam_db_rollback(db);
		return rc;
	}
	json_t *result = json_pack("{s:s, s:s?, s:O, s:I, s:o?}", "status", verdict_status(v), "reason", reason,
				   "summary", j->summary, "units", (json_int_t)(v == RECAM_ACCEPTED ? j->units : 0),
				   "instant_win", win);
	char *text = json_dumps(result, JSON_COMPACT);
	json_decref(result);
	rc = recam_db_exec(db, "UPDATE entries SET status = ?, reason = ?, units = ?, result = ?, judged_at = ? WHERE id = ?",
			   RECAM_DB_ARGS(DBV_TEXT(verdict_status(v)), reason ? DBV_TEXT(reason) : DBV_NULL,
					 DBV_INT(v == RECAM_ACCEPTED ? j->units : 0), text ? DBV_TEXT(text) : DBV_NULL,
					 DBV_INT(now), DBV_TEXT(entry_id)));
	free(text);
	/* What staff search by, and the verdict in the entry's history. */
	if (rc == 0)
		rc = recam_entry_search_index(db, entry_id, j->summary, j->confidence);
	/* A rejected entry's photos are free to be sent again, and must not
	 * crowd out the live ones among the closest hashes. */
	if (rc == 0 && v == RECAM_REJECTED)
		rc = recam_image_dup_forget(db, entry_id);
	json_t *ev = json_pack("{s:s, s:s?, s:I}", "status", verdict_status(v), "reason", reason, "units",
			       (json_int_t)(v == RECAM_ACCEPTED ? j->units : 0));
	if (rc == 0)
		rc = ev ? recam_entry_event(db, entry_id, "system", "judged", ev) : RECAM_ENOMEM;
	json_decref(ev);
	if (rc == 0)
		rc = recam_db_commit(db);
	else
		recam_db_rollback(db);
	return rc;
}

int recam_entry_judge(recam_store *s, const char *tenant_id, const char *entry_id)
{
	recam_tenant t;
	recam_key key;
	char dir[RECAM_PATH_MAX + 64];
	int rc = recam_tenant_by_id(s, tenant_id, &t);
	if (rc == 0)
		rc = recam_tenant_key(entry_master, &t, &key);
	if (rc == 0)
		rc = recam_store_tenant_dir(s, tenant_id, dir, sizeof(dir));
	if (rc != 0)
		return rc;
	recam_db *db;
	if ((rc = recam_store_tenant(s, tenant_id, &db)) != 0) {
		recam_key_wipe(&key);
		return rc;
	}
	struct entry_row e;
	struct image_list l = {.n = 0};
	recam_campaign c = {.def = NULL};
	json_t *receipts = json_array();
	recam_judgement j = {.summary = NULL};
	rc = recam_db_query_one(db, "SELECT campaign_id, participant_id, status, campaign_day FROM entries WHERE id = ?",
				RECAM_DB_ARGS(DBV_TEXT(entry_id)), read_entry, &e);
	/* Judged already (a retried job): nothing to do. */
	if (rc != 0 || (strcmp(e.status, "queued") != 0 && strcmp(e.status, "reading") != 0))
		goto out;
	if ((rc = recam_campaign_load_by_id(db, e.campaign_id, &c)) != 0)
		goto out;
	rc = recam_db_query(db, "SELECT blob_id, sha256 FROM entry_images WHERE entry_id = ? ORDER BY position",
			    RECAM_DB_ARGS(DBV_TEXT(entry_id)), read_image, &l);
	if (rc < 0)
		goto out;
	recam_db_exec(db, "UPDATE entries SET status = 'reading' WHERE id = ?", RECAM_DB_ARGS(DBV_TEXT(entry_id)));
	if ((rc = read_images(db, dir, &key, entry_id, &l, receipts)) != 0)
		goto out;
	if ((rc = recam_judge_at(&c.rules, receipts, recam_clock_now(), &j)) != 0)
		goto out;
	rc = decide(db, &c, entry_id, &e, &l, receipts, &j);
	recam_info("entry %s judged: %s%s%s", entry_id, j.verdict == RECAM_ACCEPTED ? "accepted"
						       : j.verdict == RECAM_REVIEW ? "review" : "rejected",
		   j.reason ? " " : "", j.reason ? j.reason : "");
out:
	recam_judgement_free(&j);
	json_decref(receipts);
	recam_campaign_free(&c);
	recam_db_release(db);
	recam_key_wipe(&key);
	return rc < 0 ? rc : 0;
}

static int judge_job(recam_store *s, const char *tenant_id, json_t *payload, char *why, size_t whylen)
{
	const char *entry = json_string_value(json_object_get(payload, "entry"));
	if (tenant_id == NULL || entry == NULL) {
		snprintf(why, whylen, "payload needs a tenant and an entry");
		return RECAM_EINVAL;
	}
	return recam_entry_judge(s, tenant_id, entry);
}

struct requeue_ctx {
	recam_store *s;
	const char *tenant_id;
	int n;
};

static int requeue_one(void *vctx, const recam_dbrow *row)
{
	struct requeue_ctx *r = vctx;
	size_t n;
	const char *id = recam_dbrow_text(row, 0, &n);
	json_t *payload = json_pack("{s:s}", "entry", id);
	char *text = json_dumps(payload, JSON_COMPACT);
	recam_db *ctl;
	int64_t pending = 0;
	int rc = text ? recam_store_control(r->s, &ctl) : RECAM_ENOMEM;
	if (rc == 0) {
		rc = recam_db_query(ctl,
				    "SELECT count(*) FROM jobs WHERE kind = 'entry.judge' AND tenant_id = ? AND payload = ?"
				    " AND state IN ('queued', 'running')",
				    RECAM_DB_ARGS(DBV_TEXT(r->tenant_id), DBV_TEXT(text)), count_row, &pending);
		recam_db_release(ctl);
	}
	char job[RECAM_ID_LEN + 1];
	if (rc >= 0 && pending == 0 && (rc = recam_jobs_enqueue(r->s, r->tenant_id, "entry.judge", payload, 0, job)) == 0)
		r->n++;
	json_decref(payload);
	free(text);
	return rc < 0 ? rc : 0;
}

int recam_entry_requeue(recam_store *s, const char *tenant_id, int *requeued)
{
	recam_db *db;
	int rc = recam_store_tenant(s, tenant_id, &db);
	if (rc != 0)
		return rc;
	struct requeue_ctx r = {s, tenant_id, 0};
	rc = recam_db_query(db, "SELECT id FROM entries WHERE status IN ('queued', 'reading')", RECAM_DB_NOARGS,
			    requeue_one, &r);
	recam_db_release(db);
	*requeued = r.n;
	return rc < 0 ? rc : 0;
}

int recam_entry_jobs_init(const recam_key *master, struct recam_reader_pool *pool)
{
	entry_master = master;
	entry_pool = pool;
	return recam_jobs_register("entry.judge", judge_job);
}

/* ---- the shopper's view ---- */

struct view_ctx {
	json_t *out;
	recam_lang lang;
};

static int read_view(void *vctx, const recam_dbrow *row)
{
	struct view_ctx *v = vctx;
	size_t n;
	const char *status = recam_dbrow_text(row, 0, &n);
	const char *reason = recam_dbrow_text(row, 1, &n);
	const char *result = recam_dbrow_text(row, 2, &n);
	json_error_t e;
	json_t *res = result ? json_loadb(result, n, 0, &e) : NULL;
	char created[32];
	recam_clock_format_rfc3339(recam_dbrow_int(row, 3), created, sizeof(created));
	/* A reviewer's rejection carries its template's message for the shopper. */
	const char *msg =
		json_string_value(json_object_get(json_object_get(res, "message"), v->lang == RECAM_LANG_EN ? "en" : "ja"));
	v->out = json_pack("{s:s, s:s, s:s?, s:s?, s:o?}", "status", status, "created_at", created, "reason", reason,
			   "message", msg ? msg : reason ? recam_reason_message(reason, v->lang) : NULL, "result", res);
	return v->out ? 0 : RECAM_ENOMEM;
}

int recam_entry_view(recam_db *db, const char *campaign_id, const char *entry_id, const char *participant_id,
		     recam_lang lang, json_t **out)
{
	struct view_ctx v = {NULL, lang};
	int rc = recam_db_query_one(db,
				    "SELECT status, reason, result, created_at FROM entries"
				    " WHERE id = ? AND campaign_id = ? AND participant_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(entry_id), DBV_TEXT(campaign_id), DBV_TEXT(participant_id)),
				    read_view, &v);
	if (rc != 0)
		return rc;
	json_object_set_new(v.out, "id", json_string(entry_id));
	const char *status = json_string_value(json_object_get(v.out, "status"));
	if (strcmp(status, "queued") == 0 || strcmp(status, "reading") == 0) {
		int64_t ahead = 0;
		recam_db_query(db,
			       "SELECT count(*) FROM entries WHERE campaign_id = ? AND status IN ('queued', 'reading')"
			       " AND created_at < (SELECT created_at FROM entries WHERE id = ?)",
			       RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_TEXT(entry_id)), count_row, &ahead);
		json_object_set_new(v.out, "queue_ahead", json_integer(ahead));
	}
	*out = v.out;
	return 0;
}

/* ---- for the review queue (campaign/review.c): the same steps inside the caller's transaction ---- */

int recam_entry_claim_receipts(recam_db *db, const char *campaign_id, const char *entry_id, const json_t *receipts,
			       bool *used)
{
	return claim_receipts(db, campaign_id, entry_id, receipts, used);
}

int recam_entry_instant_win(recam_db *db, const recam_campaign *c, const char *entry_id, const char *participant_id,
			    int64_t now, json_t **result)
{
	return instant_win(db, c, entry_id, participant_id, now, result);
}
