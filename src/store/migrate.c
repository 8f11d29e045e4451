/* migrate.c — applies embedded migrations and verifies their checksums. */
#include "migrate.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"

static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
				       " version INTEGER PRIMARY KEY,"
				       " name TEXT NOT NULL,"
				       " checksum TEXT NOT NULL,"
				       " applied_at TEXT NOT NULL)";

static void checksum(const char *sql, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)sql, strlen(sql));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int recam_migrate_latest(const char *scope)
{
	int v = 0;
	for (unsigned i = 0; i < recam_migrations_count; i++)
		if (strcmp(recam_migrations[i].scope, scope) == 0 && recam_migrations[i].version > v)
			v = recam_migrations[i].version;
	return v;
}

static int row_int(void *ctx, const recam_dbrow *row)
{
	*(int *)ctx = (int)recam_dbrow_int(row, 0);
	return 0;
}

int recam_migrate_current(recam_db *db, int *version)
{
	*version = 0;
	int rc = recam_db_query(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", RECAM_DB_NOARGS, row_int,
			    version);
	return rc < 0 ? rc : 0;
}

struct applied_check {
	const struct recam_migration *m;
	char sum[65];
	int found;
	int mismatch;
};

static int check_row(void *ctx, const recam_dbrow *row)
{
	struct applied_check *c = ctx;
	size_t n;
	const char *sum = recam_dbrow_text(row, 0, &n);
	c->found = 1;
	c->mismatch = sum == NULL || strcmp(sum, c->sum) != 0;
	return 0;
}

static int apply_one(recam_db *db, const struct recam_migration *m, const char *sum)
{
	char now[32];
	recam_clock_format_rfc3339(recam_clock_now(), now, sizeof(now));
	int rc = recam_db_begin(db);
	if (rc != 0)
		return rc;
	if ((rc = db->ops->exec_script(db, m->sql)) != 0)
		goto fail;
	rc = recam_db_exec(db, "INSERT INTO schema_migrations(version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
			   RECAM_DB_ARGS(DBV_INT(m->version), DBV_TEXT(m->name), DBV_TEXT(sum), DBV_TEXT(now)));
	if (rc != 0)
		goto fail;
	if ((rc = recam_db_commit(db)) != 0)
		goto fail;
	return 0;
fail:
	recam_db_rollback(db);
	return rc;
}

int recam_migrate(recam_db *db, const char *scope, int *applied)
{
	if (applied)
		*applied = 0;
	int rc = recam_db_exec(db, create_table_sql, RECAM_DB_NOARGS);
	if (rc != 0)
		return rc;
	/* In version order: the embedding script sorts by file name. */
	for (unsigned i = 0; i < recam_migrations_count; i++) {
		const struct recam_migration *m = &recam_migrations[i];
		if (strcmp(m->scope, scope) != 0)
			continue;
		struct applied_check c = {.m = m};
		checksum(m->sql, c.sum);
		rc = recam_db_query(db, "SELECT checksum FROM schema_migrations WHERE version = ?",
				    RECAM_DB_ARGS(DBV_INT(m->version)), check_row, &c);
		if (rc < 0)
			return rc;
		if (c.found) {
			if (c.mismatch) {
				recam_error("%s migration %04d_%s differs from the one applied", scope, m->version,
					    m->name);
				return RECAM_ECONFLICT;
			}
			continue;
		}
		if ((rc = apply_one(db, m, c.sum)) != 0) {
			recam_error("%s migration %04d_%s failed", scope, m->version, m->name);
			return rc;
		}
		recam_info("applied %s migration %04d_%s", scope, m->version, m->name);
		if (applied)
			(*applied)++;
	}
	/* A database newer than this binary must not be written by it. */
	int current;
	if ((rc = recam_migrate_current(db, &current)) != 0)
		return rc;
	if (current > recam_migrate_latest(scope)) {
		recam_error("%s database is at version %d, newer than this recam (%d)", scope, current,
			    recam_migrate_latest(scope));
		return RECAM_ECONFLICT;
	}
	return 0;
}
