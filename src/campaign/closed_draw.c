/* closed_draw.c — eligible list, commitment and execution of a closed draw. */
#include "closed_draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"
#include "core/clock.h"
#include "core/fsutil.h"
#include "core/log.h"

#include <sodium.h>

struct eligible {
	recam_draw_entry *e;
	size_t n, cap;
	recam_buf ids; /* entry and participant ids, NUL-separated */
	bool weighted;
};

static int add_entry(void *ctx, const recam_dbrow *row)
{
	struct eligible *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		void *p = realloc(l->e, cap * sizeof(*l->e));
		if (p == NULL)
			return RECAM_ENOMEM;
		l->e = p;
		l->cap = cap;
	}
	size_t n1, n2;
	const char *eid = recam_dbrow_text(row, 0, &n1), *pid = recam_dbrow_text(row, 1, &n2);
	int64_t units = recam_dbrow_int(row, 2);
	/* Offsets now, pointers once the buffer stops moving. */
	size_t off = l->ids.len;
	int rc = recam_buf_append(&l->ids, eid, n1 + 1);
	if (rc == 0)
		rc = recam_buf_append(&l->ids, pid, n2 + 1);
	if (rc != 0)
		return rc;
	l->e[l->n].entry_id = (const char *)(uintptr_t)off;
	l->e[l->n].participant_id = (const char *)(uintptr_t)(off + n1 + 1);
	l->e[l->n].weight = l->weighted && units > 0 ? (uint64_t)units : 1;
	l->n++;
	return 0;
}

/* Accepted entries; with one win per participant, those who already won
 * instantly are not drawn again. */
static int load_eligible(recam_db *db, const recam_campaign *c, struct eligible *l)
{
	l->weighted = c->rules.draw == RECAM_DRAW_WEIGHTED;
	recam_buf_init(&l->ids, (size_t)1 << 31);
	int rc = recam_db_query(db,
				"SELECT e.id, e.participant_id, e.units FROM entries e WHERE e.campaign_id = ?"
				" AND e.status = 'accepted' AND (? = 0 OR NOT EXISTS (SELECT 1 FROM wins w"
				" WHERE w.campaign_id = e.campaign_id AND w.participant_id = e.participant_id))"
				" ORDER BY e.id",
				RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_INT(c->rules.one_win)), add_entry, l);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < l->n; i++) {
		l->e[i].entry_id = l->ids.data + (uintptr_t)l->e[i].entry_id;
		l->e[i].participant_id = l->ids.data + (uintptr_t)l->e[i].participant_id;
	}
	size_t bad;
	return recam_draw_canonicalize(l->e, l->n, &bad);
}

static void eligible_free(struct eligible *l)
{
	free(l->e);
	recam_buf_free(&l->ids);
}

static int write_list(const char *path, const struct eligible *l)
{
	recam_buf b;
	recam_buf_init(&b, (size_t)1 << 31);
	int rc = 0;
	for (size_t i = 0; i < l->n && rc == 0; i++)
		rc = recam_buf_appendf(&b, "%s\t%s\t%llu\n", l->e[i].entry_id, l->e[i].participant_id,
				       (unsigned long long)l->e[i].weight);
	if (rc == 0)
		rc = recam_fs_write_atomic(path, b.data ? b.data : "", b.len, 0600);
	recam_buf_free(&b);
	return rc;
}

static int count_one(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

static int seal_seed(const recam_key *key, const char *campaign_id, const unsigned char *seed, recam_buf *out)
{
	char ad[64];
	snprintf(ad, sizeof(ad), "draws.seed:%s", campaign_id);
	return recam_seal(key, ad, seed, RECAM_DRAW_SEED_BYTES, out);
}

int recam_closed_draw_commit(recam_db *db, const recam_key *tenant_key, const recam_campaign *c, size_t winners,
			     size_t alternates, const char *list_path, json_t **commitment)
{
	struct eligible l = {0};
	recam_draw_record rec;
	memset(&rec, 0, sizeof(rec));
	unsigned char seed[RECAM_DRAW_SEED_BYTES];
	recam_buf sealed;
	recam_buf_init(&sealed, 1024);
	char *text = NULL;
	/* One writer at a time, and the list file is written only for a
	 * campaign not committed yet: a second commit must not replace the
	 * list the first one published. */
	int64_t committed = 0;
	int rc = recam_db_begin(db);
	bool in_tx = rc == 0;
	if (rc == 0)
		rc = recam_db_query(db, "SELECT count(*) FROM draws WHERE campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(c->id)), count_one, &committed);
	rc = rc < 0 ? rc : committed > 0 ? RECAM_ECONFLICT : 0;
	if (rc == 0)
		rc = load_eligible(db, c, &l);
	if (rc == 0)
		rc = write_list(list_path, &l);
	if (rc == 0)
		rc = recam_draw_commit(NULL, l.e, l.n, winners, alternates, c->rules.one_win, &rec, seed);
	if (rc == 0)
		rc = seal_seed(tenant_key, c->id, seed, &sealed);
	sodium_memzero(seed, sizeof(seed));
	json_t *j = rc == 0 ? recam_draw_record_to_json(&rec) : NULL;
	if (rc == 0 && (j == NULL || (text = json_dumps(j, JSON_COMPACT)) == NULL))
		rc = RECAM_ENOMEM;
	if (rc == 0) {
		/* INSERT, not upsert: a campaign is committed to one draw only. */
		rc = recam_db_exec(db,
				   "INSERT INTO draws(campaign_id, record, commitment, seed_sealed, created_at)"
				   " VALUES (?, ?, ?, ?, ?)",
				   RECAM_DB_ARGS(DBV_TEXT(c->id), DBV_TEXT(text), DBV_TEXT(text),
						 DBV_BLOB(sealed.data, sealed.len), DBV_INT(recam_clock_now())));
	}
	if (rc == 0)
		rc = recam_db_commit(db);
	if (rc != 0 && in_tx)
		recam_db_rollback(db);
	if (rc == 0) {
		recam_info("draw committed for campaign %s: %zu eligible entries", c->slug, l.n);
		*commitment = j;
	} else {
		json_decref(j);
	}
	free(text);
	recam_buf_free(&sealed);
	recam_draw_record_free(&rec);
	eligible_free(&l);
	return rc;
}

struct draw_row {
	json_t *record;
	recam_buf sealed;
	bool executed;
};

static int read_draw(void *ctx, const recam_dbrow *row)
{
	struct draw_row *d = ctx;
	size_t n;
	const char *text = recam_dbrow_text(row, 0, &n);
	json_error_t e;
	d->record = json_loadb(text, n, 0, &e);
	const void *b = recam_dbrow_blob(row, 1, &n);
	d->executed = !recam_dbrow_is_null(row, 2);
	if (d->record == NULL || b == NULL)
		return RECAM_EDB;
	return recam_buf_append(&d->sealed, b, n);
}

static int by_entry_id(const void *key, const void *elem)
{
	return strcmp(key, ((const recam_draw_entry *)elem)->entry_id);
}

/* The draw's prize: the first course without an instant-win chance. */
static const char *draw_prize(const recam_campaign *c)
{
	for (int i = 0; i < c->rules.nprizes; i++)
		if (c->rules.prizes[i].probability_ppm == 0)
			return c->rules.prizes[i].code;
	return c->rules.nprizes > 0 ? c->rules.prizes[0].code : "draw";
}

static int record_wins(recam_db *db, const recam_campaign *c, const recam_draw_record *rec, const recam_draw_list *l)
{
	int64_t now = recam_clock_now();
	const char *code = draw_prize(c);
	for (size_t i = 0; i < rec->n_winners; i++) {
		/* The list is in canonical order: sorted by entry id. */
		const recam_draw_entry *e = bsearch(rec->winners[i], l->entries, l->n, sizeof(*l->entries), by_entry_id);
		if (e == NULL)
			return RECAM_EINTERNAL;
		const char *pid = e->participant_id;
		char id[RECAM_ID_LEN + 1];
		recam_random_id(id);
		int rc = recam_db_exec(db,
				       "INSERT INTO wins(id, campaign_id, participant_id, entry_id, prize_code, kind,"
				       " claim_deadline, created_at) VALUES (?, ?, ?, ?, ?, 'draw', ?, ?)",
				       RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(c->id), DBV_TEXT(pid), DBV_TEXT(rec->winners[i]),
						     DBV_TEXT(code), DBV_INT(now + c->rules.claim_days * 86400), DBV_INT(now)));
		if (rc != 0)
			return rc;
	}
	return 0;
}

int recam_closed_draw_execute(recam_db *db, const recam_key *tenant_key, const recam_campaign *c,
			      const char *list_path, json_t **record)
{
	struct draw_row d = {NULL, {0}, false};
	recam_buf_init(&d.sealed, 1024);
	recam_buf seed, list;
	recam_buf_init(&seed, RECAM_DRAW_SEED_BYTES);
	recam_buf_init(&list, (size_t)1 << 31);
	recam_draw_record rec;
	memset(&rec, 0, sizeof(rec));
	recam_draw_list l = {0};
	char why[200], ad[64], *text = NULL;
	size_t bad;
	int rc = recam_db_query_one(db, "SELECT record, seed_sealed, executed_at FROM draws WHERE campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(c->id)), read_draw, &d);
	if (rc == 0 && d.executed)
		rc = RECAM_ECONFLICT;
	snprintf(ad, sizeof(ad), "draws.seed:%s", c->id);
	if (rc == 0)
		rc = recam_open(tenant_key, ad, d.sealed.data, d.sealed.len, &seed);
	if (rc == 0)
		rc = recam_draw_record_from_json(d.record, &rec, why, sizeof(why));
	if (rc == 0)
		rc = recam_fs_read(list_path, &list);
	if (rc == 0)
		rc = recam_draw_list_parse(list.data ? list.data : "", list.len, &l, &bad);
	/* Refused when the list or the seed is not the committed one. */
	if (rc == 0)
		rc = recam_draw_execute(&rec, (const unsigned char *)seed.data, l.entries, l.n);
	json_t *j = rc == 0 ? recam_draw_record_to_json(&rec) : NULL;
	if (rc == 0 && (j == NULL || (text = json_dumps(j, JSON_COMPACT)) == NULL))
		rc = RECAM_ENOMEM;
	if (rc == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = record_wins(db, c, &rec, &l);
		if (rc == 0)
			rc = recam_db_exec(db, "UPDATE draws SET record = ?, executed_at = ? WHERE campaign_id = ?",
					   RECAM_DB_ARGS(DBV_TEXT(text), DBV_INT(recam_clock_now()), DBV_TEXT(c->id)));
		if (rc == 0)
			rc = recam_db_commit(db);
		else
			recam_db_rollback(db);
	}
	if (rc == 0) {
		recam_info("draw executed for campaign %s: %zu winners, %zu alternates", c->slug, rec.n_winners,
			   rec.n_alternates);
		*record = j;
	} else {
		json_decref(j);
	}
	if (seed.data)
		sodium_memzero(seed.data, seed.len);
	free(text);
	json_decref(d.record);
	recam_buf_free(&d.sealed);
	recam_buf_free(&seed);
	recam_buf_free(&list);
	recam_draw_list_free(&l);
	recam_draw_record_free(&rec);
	return rc;
}

int recam_closed_draw_list_path(const char *tenant_dir, const char *campaign_id, char *out, size_t n)
{
	if (snprintf(out, n, "%s/draws", tenant_dir) >= (int)n)
		return RECAM_ETOOBIG;
	int rc = recam_fs_mkdirs(out, 0700);
	if (rc == 0 && snprintf(out, n, "%s/draws/%s.tsv", tenant_dir, campaign_id) >= (int)n)
		rc = RECAM_ETOOBIG;
	return rc;
}

static int read_state(void *ctx, const recam_dbrow *row)
{
	recam_closed_draw_state *s = ctx;
	json_error_t e;
	size_t n;
	const char *rec = recam_dbrow_text(row, 0, &n);
	s->record = rec ? json_loadb(rec, n, 0, &e) : NULL;
	/* Draws committed before the commitment column: the record is it until run. */
	const char *com = recam_dbrow_is_null(row, 1) ? rec : recam_dbrow_text(row, 1, &n);
	if (com == rec)
		n = strlen(rec ? rec : "");
	s->commitment = com ? json_loadb(com, n, 0, &e) : NULL;
	s->committed_at = recam_dbrow_int(row, 2);
	s->executed_at = recam_dbrow_is_null(row, 3) ? 0 : recam_dbrow_int(row, 3);
	return s->record && s->commitment ? 0 : RECAM_EDB;
}

int recam_closed_draw_load(recam_db *db, const char *campaign_id, recam_closed_draw_state *out)
{
	memset(out, 0, sizeof(*out));
	int rc = recam_db_query_one(db, "SELECT record, commitment, created_at, executed_at FROM draws WHERE campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(campaign_id)), read_state, out);
	if (rc != 0)
		recam_closed_draw_state_free(out);
	return rc;
}

void recam_closed_draw_state_free(recam_closed_draw_state *s)
{
	json_decref(s->commitment);
	json_decref(s->record);
	s->commitment = s->record = NULL;
}

struct recorded {
	const recam_draw_record *rec;
	recam_closed_draw_check *out;
	bool *seen; /* winners found, by position */
	size_t original;
};

/* Each recorded draw win is a published winner (once) or a published
 * alternate in its published place. */
static int check_recorded(void *ctx, const recam_dbrow *row)
{
	struct recorded *r = ctx;
	size_t n;
	const char *entry = recam_dbrow_text(row, 0, &n);
	recam_draw_mismatch *mm = &r->out->mm;
	if (entry == NULL)
		entry = "";
	if (!recam_dbrow_is_null(row, 1)) {
		int64_t rank = recam_dbrow_int(row, 1);
		if (rank < 1 || (uint64_t)rank > r->rec->n_alternates || strcmp(r->rec->alternates[rank - 1], entry) != 0) {
			snprintf(mm->message, sizeof(mm->message),
				 "recorded win of entry %.40s claims alternate place %lld, which the result does not give it",
				 entry, (long long)rank);
			return RECAM_ECONFLICT;
		}
		r->out->promoted++;
		return 0;
	}
	for (size_t i = 0; i < r->rec->n_winners; i++)
		if (!r->seen[i] && strcmp(r->rec->winners[i], entry) == 0) {
			r->seen[i] = true;
			r->original++;
			return 0;
		}
	snprintf(mm->message, sizeof(mm->message), "recorded win of entry %.40s is not a published winner", entry);
	return RECAM_ECONFLICT;
}

static int fail_check(recam_closed_draw_check *out, const char *code, const char *message)
{
	out->code = code;
	if (message)
		snprintf(out->mm.message, sizeof(out->mm.message), "%s", message);
	return RECAM_ECONFLICT;
}

int recam_closed_draw_verify(recam_db *db, const recam_campaign *c, const char *list_path,
			     recam_closed_draw_check *out)
{
	memset(out, 0, sizeof(*out));
	recam_closed_draw_state st;
	recam_draw_record rec, before;
	memset(&rec, 0, sizeof(rec));
	memset(&before, 0, sizeof(before));
	recam_draw_list l = {0};
	recam_buf list;
	recam_buf_init(&list, (size_t)1 << 31);
	char why[200];
	size_t bad = 0;
	bool *seen = NULL;
	int rc = recam_closed_draw_load(db, c->id, &st);
	if (rc != 0)
		return rc;
	if (st.executed_at == 0) {
		rc = fail_check(out, "not_run", "the draw has not run yet");
		goto done;
	}
	if (recam_draw_record_from_json(st.record, &rec, why, sizeof(why)) != 0 ||
	    recam_draw_record_from_json(st.commitment, &before, why, sizeof(why)) != 0) {
		rc = RECAM_EDB;
		goto done;
	}
	rc = recam_fs_read(list_path, &list);
	if (rc == RECAM_ENOTFOUND) {
		rc = fail_check(out, "list_missing", "the eligible list file is missing");
		goto done;
	}
	if (rc == 0 && recam_draw_list_parse(list.data ? list.data : "", list.len, &l, &bad) != 0) {
		snprintf(why, sizeof(why), "line %zu of the eligible list is not 'entry TAB participant TAB weight'",
			 bad + 1);
		rc = fail_check(out, "draw_mismatch", why);
		goto done;
	}
	if (rc != 0)
		goto done;
	out->entries = l.n;
	out->winners = rec.n_winners;
	out->alternates = rec.n_alternates;
	rc = recam_draw_verify(&rec, l.entries, l.n, &out->mm);
	if (rc == RECAM_ECONFLICT)
		out->code = "draw_mismatch";
	if (rc != 0)
		goto done;
	if (!recam_draw_same_commitment(&before, &rec)) {
		rc = fail_check(out, "commitment_mismatch",
				"the result does not carry the commitment published before the draw");
		goto done;
	}
	seen = calloc(rec.n_winners ? rec.n_winners : 1, sizeof(*seen));
	if (seen == NULL) {
		rc = RECAM_ENOMEM;
		goto done;
	}
	struct recorded r = {&rec, out, seen, 0};
	rc = recam_db_query(db,
			    "SELECT entry_id, alternate_rank FROM wins WHERE campaign_id = ? AND kind = 'draw'"
			    " ORDER BY created_at, id",
			    RECAM_DB_ARGS(DBV_TEXT(c->id)), check_recorded, &r);
	if (rc == RECAM_ECONFLICT)
		out->code = "wins_mismatch";
	else if (rc == 0 && r.original != rec.n_winners)
		rc = fail_check(out, "wins_mismatch", "a published winner has no recorded win");
	if (rc == 0)
		out->code = "verified";
done:
	free(seen);
	recam_draw_list_free(&l);
	recam_buf_free(&list);
	recam_draw_record_free(&rec);
	recam_draw_record_free(&before);
	recam_closed_draw_state_free(&st);
	return rc;
}
