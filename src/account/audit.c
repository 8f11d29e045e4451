/* audit.c — appending to and verifying the hash-chained audit log. */
#include "audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "core/str.h"

static const char *nz(const char *s) { return s ? s : ""; }

/* Length-prefixed fields: no choice of separator can make two different
 * records hash alike. */
static void put_field(crypto_hash_sha256_state *st, const char *s)
{
	char len[24];
	int n = snprintf(len, sizeof(len), "%zu:", strlen(nz(s)));
	crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)n);
	crypto_hash_sha256_update(st, (const unsigned char *)nz(s), strlen(nz(s)));
	crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
}

void recam_audit_hash(const recam_audit_rec *r, const char *prev_hash, char out[65])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	char num[32];
	put_field(&st, "recam-audit-v1");
	snprintf(num, sizeof(num), "%" PRId64, r->seq);
	put_field(&st, num);
	snprintf(num, sizeof(num), "%" PRId64, r->at_ms);
	put_field(&st, num);
	put_field(&st, r->actor);
	put_field(&st, r->action);
	put_field(&st, r->object_type);
	put_field(&st, r->object_id);
	put_field(&st, r->outcome);
	put_field(&st, r->client);
	put_field(&st, r->rid);
	put_field(&st, prev_hash);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

struct head {
	int64_t seq;
	char hash[65];
};

static int read_head(void *ctx, const recam_dbrow *row)
{
	struct head *h = ctx;
	h->seq = recam_dbrow_int(row, 0);
	return recam_dbrow_copy_text(row, 1, h->hash, sizeof(h->hash));
}

int recam_audit_append(recam_db *db, const char *actor, const char *action, const char *object_type,
		       const char *object_id, const char *outcome, const char *client, const char *rid)
{
	struct head last = {0, RECAM_AUDIT_GENESIS};
	int rc = recam_db_query_one(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", RECAM_DB_NOARGS,
				    read_head, &last);
	if (rc != 0 && rc != RECAM_ENOTFOUND)
		return rc;
	recam_audit_rec r = {last.seq + 1, recam_clock_now_ms(), nz(actor), nz(action), nz(object_type),
			     nz(object_id), nz(outcome), nz(client), nz(rid)};
	char hash[65];
	recam_audit_hash(&r, last.hash, hash);
	rc = recam_db_exec(db,
			   "INSERT INTO audit_log (seq, at_ms, actor, action, object_type, object_id, outcome, client, "
			   "request_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   RECAM_DB_ARGS(DBV_INT(r.seq), DBV_INT(r.at_ms), DBV_TEXT(r.actor), DBV_TEXT(r.action),
					 DBV_TEXT(r.object_type), DBV_TEXT(r.object_id), DBV_TEXT(r.outcome),
					 DBV_TEXT(r.client), DBV_TEXT(r.rid), DBV_TEXT(last.hash), DBV_TEXT(hash)));
	if (rc != 0)
		return rc;
	char headv[96], at[40];
	snprintf(headv, sizeof(headv), "%" PRId64 " %s", r.seq, hash);
	recam_clock_format_rfc3339(r.at_ms / 1000, at, sizeof(at));
	return recam_db_exec(db,
			     "INSERT INTO tenant_settings (key, value, version, updated_at) VALUES ('audit.head', ?, 1, ?) "
			     "ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = version + 1, "
			     "updated_at = excluded.updated_at",
			     RECAM_DB_ARGS(DBV_TEXT(headv), DBV_TEXT(at)));
}

int recam_audit_record(recam_db *db, const char *actor, const char *action, const char *object_type,
		       const char *object_id, const char *outcome, const char *client, const char *rid)
{
	int rc = recam_db_begin(db);
	if (rc != 0)
		return rc;
	rc = recam_audit_append(db, actor, action, object_type, object_id, outcome, client, rid);
	if (rc == 0)
		rc = recam_db_commit(db);
	if (rc != 0) {
		recam_db_rollback(db);
		recam_error("audit record '%s' not written: %s", nz(action), recam_err_code(rc));
	}
	return rc;
}

struct verify {
	int64_t expect_seq;
	char prev[65];
	int64_t bad;
	int64_t count;
};

static int verify_row(void *ctx, const recam_dbrow *row)
{
	struct verify *v = ctx;
	recam_audit_rec r = {
		.seq = recam_dbrow_int(row, 0),
		.at_ms = recam_dbrow_int(row, 1),
	};
	const char **f[] = {&r.actor, &r.action, &r.object_type, &r.object_id, &r.outcome, &r.client, &r.rid};
	for (int i = 0; i < 7; i++) {
		size_t n;
		const char *s = recam_dbrow_text(row, 2 + i, &n);
		*f[i] = s ? s : "";
	}
	size_t n;
	const char *prev = recam_dbrow_text(row, 9, &n);
	const char *hash = recam_dbrow_text(row, 10, &n);
	char want[65];
	recam_audit_hash(&r, v->prev, want);
	/* A gap in seq is a deleted record; the first record after it is where
	 * the chain breaks. */
	if (r.seq != v->expect_seq || prev == NULL || hash == NULL || strcmp(prev, v->prev) != 0 ||
	    strcmp(hash, want) != 0) {
		v->bad = r.seq != v->expect_seq && r.seq > v->expect_seq ? v->expect_seq : r.seq;
		return 1;
	}
	recam_strlcpy(v->prev, hash, sizeof(v->prev));
	v->expect_seq++;
	v->count++;
	return 0;
}

static int read_text(void *ctx, const recam_dbrow *row) { return recam_dbrow_copy_text(row, 0, ctx, 96); }

int recam_audit_verify(recam_db *db, int64_t *first_bad_seq, int64_t *count)
{
	struct verify v = {.expect_seq = 1, .prev = RECAM_AUDIT_GENESIS, .bad = 0};
	*first_bad_seq = 0;
	int rc = recam_db_query(db,
				"SELECT seq, at_ms, actor, action, object_type, object_id, outcome, client, request_id, "
				"prev_hash, hash FROM audit_log ORDER BY seq",
				RECAM_DB_NOARGS, verify_row, &v);
	if (count)
		*count = v.count;
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*first_bad_seq = v.bad;
		return RECAM_ECRYPTO;
	}
	/* The head must name the last record: records cut off the end leave it behind. */
	char headv[96] = "";
	rc = recam_db_query_one(db, "SELECT value FROM tenant_settings WHERE key = 'audit.head'", RECAM_DB_NOARGS,
				read_text, headv);
	if (rc == RECAM_ENOTFOUND && v.count == 0)
		return 0;
	if (rc != 0 && rc != RECAM_ENOTFOUND)
		return rc;
	char want[96];
	snprintf(want, sizeof(want), "%" PRId64 " %s", v.expect_seq - 1, v.prev);
	if (rc == RECAM_ENOTFOUND || strcmp(headv, want) != 0) {
		*first_bad_seq = v.expect_seq;
		return RECAM_ECRYPTO;
	}
	return 0;
}
