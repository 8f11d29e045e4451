/* test_store.c — the SQLite backend of the store interface, the
 * connection pools, and migrations (applied once, checksummed, never run
 * against a database newer than the binary). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/log.h"
#include "store/db_sqlite.h"
#include "store/migrate.h"
#include "store/store.h"
#include "unit_helpers.h"

static char dir[64];

static void setup(void)
{
	recam_log_set_level((enum recam_log_level)(RECAM_LOG_ERROR + 1)); /* expected failures log errors */
	ut_mkdtemp(dir);
}

static void teardown(void) { ut_rmtree(dir); }

TestSuite(store, .init = setup, .fini = teardown);

static recam_db *open_db(const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	recam_db *db = NULL;
	cr_assert_eq(recam_sqlite_open(path, true, 5000, &db), 0);
	return db;
}

static int int_cb(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

static int64_t query_int(recam_db *db, const char *sql)
{
	int64_t v = -12345;
	cr_assert_eq(recam_db_query_one(db, sql, RECAM_DB_NOARGS, int_cb, &v), 0, "%s", sql);
	return v;
}

struct text_ctx {
	char s[256];
	size_t n;
	bool null;
};

static int text_cb(void *ctx, const recam_dbrow *row)
{
	struct text_ctx *t = ctx;
	const char *s = recam_dbrow_text(row, 0, &t->n);
	t->null = s == NULL;
	if (s && t->n < sizeof(t->s))
		memcpy(t->s, s, t->n + 1);
	return 0;
}

Test(store, sqlite_connections_use_wal_full_sync_and_foreign_keys)
{
	recam_db *db = open_db("a.db");
	struct text_ctx t = {0};
	cr_assert_eq(recam_db_query_one(db, "PRAGMA journal_mode", RECAM_DB_NOARGS, text_cb, &t), 0);
	cr_assert_str_eq(t.s, "wal");
	cr_assert_eq(query_int(db, "PRAGMA synchronous"), 2, "synchronous is not FULL");
	cr_assert_eq(query_int(db, "PRAGMA foreign_keys"), 1);
	db->ops->close(db);
}

Test(store, opening_a_missing_database_without_create_is_not_found)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/missing.db", dir);
	recam_db *db = NULL;
	cr_assert_eq(recam_sqlite_open(path, false, 100, &db), RECAM_ENOTFOUND);
	cr_assert_eq(access(path, F_OK), -1, "the file was created");
}

Test(store, hostile_strings_are_data_never_sql)
{
	recam_db *db = open_db("a.db");
	cr_assert_eq(recam_migrate(db, "control", NULL), 0);
	const char *hostile[] = {
		"'; DROP TABLE tenants; --",
		"\"); DELETE FROM jobs; --",
		"x' OR '1'='1",
		"?",
		"?1 ?2 :name @x $y",
		"back\\slash \\' \\\"",
		"改行\nと\tタブ",
		"🍣 emoji",
		"%s%n%x",
	};
	char now[] = "2026-01-01T00:00:00Z";
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char key[16];
		snprintf(key, sizeof(key), "k%zu", i);
		cr_assert_eq(recam_db_exec(db, "INSERT INTO platform_settings(key, value, updated_at) VALUES (?, ?, ?)",
					   RECAM_DB_ARGS(DBV_TEXT(key), DBV_TEXT(hostile[i]), DBV_TEXT(now))),
			     0, "%s", hostile[i]);
		struct text_ctx t = {0};
		cr_assert_eq(recam_db_query_one(db, "SELECT value FROM platform_settings WHERE key = ?",
						RECAM_DB_ARGS(DBV_TEXT(key)), text_cb, &t),
			     0);
		cr_assert_str_eq(t.s, hostile[i]);
		/* And as a lookup key: found only by its exact text. */
		struct text_ctx k = {0};
		cr_assert_eq(recam_db_query_one(db, "SELECT key FROM platform_settings WHERE value = ?",
						RECAM_DB_ARGS(DBV_TEXT(hostile[i])), text_cb, &k),
			     0);
		cr_assert_str_eq(k.s, key);
	}
	cr_assert_eq(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'tenants'"), 1, "tenants dropped");
	cr_assert_eq(query_int(db, "SELECT count(*) FROM platform_settings"), (int64_t)(sizeof(hostile) / sizeof(hostile[0])));
	/* A slug built to match everything matches nothing. */
	cr_assert_eq(recam_db_query_one(db, "SELECT value FROM platform_settings WHERE key = ?",
					RECAM_DB_ARGS(DBV_TEXT("x' OR '1'='1")), NULL, NULL),
		     RECAM_ENOTFOUND);
	db->ops->close(db);
}

struct blob_ctx {
	unsigned char b[64];
	size_t n;
};

static int blob_cb(void *ctx, const recam_dbrow *row)
{
	struct blob_ctx *c = ctx;
	const void *p = recam_dbrow_blob(row, 0, &c->n);
	if (p && c->n <= sizeof(c->b))
		memcpy(c->b, p, c->n);
	return 0;
}

Test(store, text_with_nul_bytes_and_blobs_keep_every_byte)
{
	recam_db *db = open_db("a.db");
	cr_assert_eq(recam_db_exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v)", RECAM_DB_NOARGS), 0);
	const unsigned char bin[] = {0, 1, 2, 0xff, 0, 'x', 0x80};
	cr_assert_eq(recam_db_exec(db, "INSERT INTO t VALUES (1, ?)", RECAM_DB_ARGS(DBV_BLOB(bin, sizeof(bin)))), 0);
	cr_assert_eq(recam_db_exec(db, "INSERT INTO t VALUES (2, ?)", RECAM_DB_ARGS(DBV_TEXTN("a\0b", 3))), 0);
	cr_assert_eq(recam_db_exec(db, "INSERT INTO t VALUES (3, ?)", RECAM_DB_ARGS(DBV_BLOB(NULL, 0))), 0);
	struct blob_ctx c = {0};
	cr_assert_eq(recam_db_query_one(db, "SELECT v FROM t WHERE k = 1", RECAM_DB_NOARGS, blob_cb, &c), 0);
	cr_assert_eq(c.n, sizeof(bin));
	cr_assert_eq(memcmp(c.b, bin, sizeof(bin)), 0);
	memset(&c, 0, sizeof(c));
	cr_assert_eq(recam_db_query_one(db, "SELECT v FROM t WHERE k = 2", RECAM_DB_NOARGS, blob_cb, &c), 0);
	cr_assert_eq(c.n, 3);
	cr_assert_eq(memcmp(c.b, "a\0b", 3), 0);
	cr_assert_eq(query_int(db, "SELECT typeof(v) = 'blob' AND length(v) = 0 FROM t WHERE k = 3"), 1,
		     "an empty blob must not turn into NULL");
	db->ops->close(db);
}

Test(store, null_integers_and_row_accessors)
{
	recam_db *db = open_db("a.db");
	struct text_ctx t = {0};
	cr_assert_eq(recam_db_query_one(db, "SELECT ?", RECAM_DB_ARGS(DBV_NULL), text_cb, &t), 0);
	cr_assert(t.null);
	cr_assert_eq(t.n, 0);
	int64_t v = 0;
	cr_assert_eq(recam_db_query_one(db, "SELECT ?", RECAM_DB_ARGS(DBV_INT(INT64_MIN)), int_cb, &v), 0);
	cr_assert_eq(v, INT64_MIN);
	cr_assert_eq(recam_db_query_one(db, "SELECT ? + 1", RECAM_DB_ARGS(DBV_INT(41)), int_cb, &v), 0);
	cr_assert_eq(v, 42);
	db->ops->close(db);
}

static int copy_cb(void *ctx, const recam_dbrow *row)
{
	char *out = ctx;
	return recam_dbrow_copy_text(row, 0, out, 4);
}

Test(store, copy_text_refuses_to_cut_and_maps_null_to_empty)
{
	recam_db *db = open_db("a.db");
	char out[4] = "zzz";
	cr_assert_eq(recam_db_query_one(db, "SELECT 'abc'", RECAM_DB_NOARGS, copy_cb, out), 0);
	cr_assert_str_eq(out, "abc");
	cr_assert_eq(recam_db_query_one(db, "SELECT 'abcd'", RECAM_DB_NOARGS, copy_cb, out), RECAM_ETOOBIG);
	cr_assert_str_eq(out, "", "a cut value must not be half-copied");
	memcpy(out, "zzz", 4);
	cr_assert_eq(recam_db_query_one(db, "SELECT NULL", RECAM_DB_NOARGS, copy_cb, out), 0);
	cr_assert_str_eq(out, "");
	db->ops->close(db);
}

static int stop_cb(void *ctx, const recam_dbrow *row)
{
	(void)row;
	int *n = ctx;
	return ++*n == 2 ? 77 : 0;
}

Test(store, errors_map_to_recam_codes)
{
	recam_db *db = open_db("a.db");
	cr_assert_eq(recam_db_exec(db, "CREATE TABLE u (k TEXT PRIMARY KEY, n INTEGER NOT NULL)", RECAM_DB_NOARGS), 0);
	cr_assert_eq(recam_db_exec(db, "INSERT INTO u VALUES (?, 1)", RECAM_DB_ARGS(DBV_TEXT("a"))), 0);
	cr_assert_eq(recam_db_exec(db, "INSERT INTO u VALUES (?, 1)", RECAM_DB_ARGS(DBV_TEXT("a"))), RECAM_ECONFLICT);
	cr_assert_eq(recam_db_exec(db, "SELEC nonsense", RECAM_DB_NOARGS), RECAM_EDB);
	cr_assert_eq(recam_db_exec(db, "INSERT INTO u VALUES (?, ?)", RECAM_DB_ARGS(DBV_TEXT("c"))), RECAM_EINTERNAL,
		     "a missing parameter must not run");
	cr_assert_eq(recam_db_exec(db, "INSERT INTO u VALUES ('d', 1)", RECAM_DB_ARGS(DBV_TEXT("x"))), RECAM_EINTERNAL);
	cr_assert_eq(query_int(db, "SELECT count(*) FROM u"), 1);
	cr_assert_eq(recam_db_query_one(db, "SELECT k FROM u WHERE k = ?", RECAM_DB_ARGS(DBV_TEXT("zz")), NULL, NULL),
		     RECAM_ENOTFOUND);
	/* A callback stops the rows and its value comes back. */
	cr_assert_eq(recam_db_exec(db, "INSERT INTO u VALUES ('e', 1), ('f', 1), ('g', 1)", RECAM_DB_NOARGS), 0);
	int n = 0;
	cr_assert_eq(recam_db_query(db, "SELECT k FROM u", RECAM_DB_NOARGS, stop_cb, &n), 77);
	cr_assert_eq(n, 2);
	int64_t changes = 0;
	cr_assert_eq(recam_db_exec_changes(db, "UPDATE u SET n = 2 WHERE n = 1", RECAM_DB_NOARGS, &changes), 0);
	cr_assert_eq(changes, 4);
	db->ops->close(db);
}

Test(store, transactions_commit_and_roll_back)
{
	recam_db *db = open_db("a.db");
	cr_assert_eq(recam_db_exec(db, "CREATE TABLE t (k INTEGER)", RECAM_DB_NOARGS), 0);
	cr_assert_eq(recam_db_begin(db), 0);
	cr_assert_eq(recam_db_exec(db, "INSERT INTO t VALUES (1)", RECAM_DB_NOARGS), 0);
	cr_assert_eq(recam_db_rollback(db), 0);
	cr_assert_eq(query_int(db, "SELECT count(*) FROM t"), 0);
	cr_assert_eq(recam_db_begin(db), 0);
	cr_assert_eq(recam_db_exec(db, "INSERT INTO t VALUES (1)", RECAM_DB_NOARGS), 0);
	cr_assert_eq(recam_db_commit(db), 0);
	cr_assert_eq(query_int(db, "SELECT count(*) FROM t"), 1);
	cr_assert_eq(recam_db_rollback(db), 0, "rollback outside a transaction is harmless");
	db->ops->close(db);
}

Test(store, the_statement_cache_survives_eviction_and_callers_freeing_sql)
{
	recam_db *db = open_db("a.db");
	/* More distinct statements than the cache holds, each from a buffer
	 * the caller reuses at once, then all of them again. */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 60; i++) {
			char *sql = malloc(64);
			snprintf(sql, 64, "SELECT %d + ?", i);
			int64_t v = 0;
			cr_assert_eq(recam_db_query_one(db, sql, RECAM_DB_ARGS(DBV_INT(1000)), int_cb, &v), 0);
			cr_assert_eq(v, 1000 + i);
			memset(sql, 'x', 63);
			free(sql);
		}
	db->ops->close(db);
}

static int count_migrations(const char *scope)
{
	int n = 0;
	for (unsigned i = 0; i < recam_migrations_count; i++)
		if (strcmp(recam_migrations[i].scope, scope) == 0)
			n++;
	return n;
}

Test(store, migrations_apply_once_and_are_idempotent)
{
	recam_db *db = open_db("c.db");
	int current = -1;
	cr_assert_lt(recam_migrate_current(db, &current), 0, "an unmigrated database has no version");
	int applied = -1;
	cr_assert_eq(recam_migrate(db, "control", &applied), 0);
	cr_assert_eq(applied, count_migrations("control"));
	cr_assert_gt(applied, 0);
	cr_assert_eq(recam_migrate_current(db, &current), 0);
	cr_assert_eq(current, recam_migrate_latest("control"));
	cr_assert_eq(recam_migrate(db, "control", &applied), 0);
	cr_assert_eq(applied, 0, "a migration ran twice");
	cr_assert_eq(query_int(db, "SELECT count(*) FROM schema_migrations"), count_migrations("control"));
	cr_assert_eq(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'jobs'"), 1);
	db->ops->close(db);
	/* The tenant scope is a different schema. */
	recam_db *t = open_db("t.db");
	cr_assert_eq(recam_migrate(t, "tenant", &applied), 0);
	cr_assert_eq(applied, count_migrations("tenant"));
	cr_assert_eq(query_int(t, "SELECT count(*) FROM sqlite_master WHERE name = 'tenants'"), 0);
	cr_assert_eq(query_int(t, "SELECT count(*) FROM sqlite_master WHERE name = 'blobs'"), 1);
	t->ops->close(t);
}

Test(store, a_changed_migration_is_refused_with_conflict)
{
	recam_db *db = open_db("c.db");
	cr_assert_eq(recam_migrate(db, "control", NULL), 0);
	cr_assert_eq(recam_db_exec(db, "UPDATE schema_migrations SET checksum = ? WHERE version = 1",
				   RECAM_DB_ARGS(DBV_TEXT("0000000000000000000000000000000000000000000000000000000000000000"))),
		     0);
	int applied = -1;
	cr_assert_eq(recam_migrate(db, "control", &applied), RECAM_ECONFLICT);
	cr_assert_eq(applied, 0);
	db->ops->close(db);
}

Test(store, a_database_newer_than_the_binary_is_refused)
{
	recam_db *db = open_db("c.db");
	cr_assert_eq(recam_migrate(db, "control", NULL), 0);
	int future = recam_migrate_latest("control") + 1;
	cr_assert_eq(recam_db_exec(db,
				   "INSERT INTO schema_migrations(version, name, checksum, applied_at) VALUES (?, 'future',"
				   " 'x', '2099-01-01T00:00:00Z')",
				   RECAM_DB_ARGS(DBV_INT(future))),
		     0);
	cr_assert_eq(recam_migrate(db, "control", NULL), RECAM_ECONFLICT);
	db->ops->close(db);
}

static void store_open(recam_store **s)
{
	recam_config cfg;
	ut_config(&cfg, dir);
	cr_assert_eq(recam_store_open(&cfg, s), 0);
}

static void tamper_control(const char *sql)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/data/control.db", dir);
	recam_db *db;
	cr_assert_eq(recam_sqlite_open(path, false, 5000, &db), 0);
	cr_assert_eq(db->ops->exec_script(db, sql), 0);
	db->ops->close(db);
}

Test(store, open_creates_a_private_data_dir_and_a_migrated_control_database)
{
	recam_store *s;
	store_open(&s);
	char path[128];
	struct stat st;
	snprintf(path, sizeof(path), "%s/data", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/data/control.db", dir);
	cr_assert_eq(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/data/tenants", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	char why[128] = "";
	cr_assert_eq(recam_store_check(s, why, sizeof(why)), 0, "%s", why);
	int applied = -1;
	cr_assert_eq(recam_store_migrate_all(s, &applied), 0);
	cr_assert_eq(applied, 0, "migrations ran again after open");
	recam_store_close(s);
	/* Reopening applies nothing new either. */
	store_open(&s);
	cr_assert_eq(recam_store_migrate_all(s, &applied), 0);
	cr_assert_eq(applied, 0);
	recam_store_close(s);
}

Test(store, open_refuses_a_control_database_with_a_changed_migration)
{
	recam_store *s;
	store_open(&s);
	recam_store_close(s);
	tamper_control("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1");
	recam_config cfg;
	ut_config(&cfg, dir);
	s = NULL;
	cr_assert_eq(recam_store_open(&cfg, &s), RECAM_ECONFLICT);
}

Test(store, open_refuses_a_control_database_from_a_newer_recam)
{
	recam_store *s;
	store_open(&s);
	recam_store_close(s);
	tamper_control("INSERT INTO schema_migrations VALUES (9999, 'future', 'x', '2099-01-01T00:00:00Z')");
	recam_config cfg;
	ut_config(&cfg, dir);
	cr_assert_eq(recam_store_open(&cfg, &s), RECAM_ECONFLICT);
}

Test(store, tenant_databases_are_separate_files_and_unknown_ids_are_not_found)
{
	recam_store *s;
	store_open(&s);
	recam_db *db;
	cr_assert_eq(recam_store_tenant(s, "aaaaaaaaaaaaaaaaaaaaaaaaaa", &db), RECAM_ENOTFOUND);
	cr_assert_eq(recam_store_tenant(s, "../../etc", &db), RECAM_ENOTFOUND);
	cr_assert_eq(recam_store_tenant(s, "", &db), RECAM_ENOTFOUND);
	cr_assert_eq(recam_store_tenant(s, "AAAA", &db), RECAM_ENOTFOUND);
	cr_assert_eq(recam_store_tenant_create(s, "../evil"), RECAM_EINVAL);
	cr_assert_eq(recam_store_tenant_create(s, "tenanta"), 0);
	cr_assert_eq(recam_store_tenant_create(s, "tenantb"), 0);
	char path[160];
	snprintf(path, sizeof(path), "%s/data/tenants/tenanta/tenant.db", dir);
	cr_assert_eq(access(path, F_OK), 0);
	recam_db *a, *b;
	cr_assert_eq(recam_store_tenant(s, "tenanta", &a), 0);
	cr_assert_eq(recam_store_tenant(s, "tenantb", &b), 0);
	cr_assert_eq(recam_db_exec(a, "INSERT INTO tenant_settings(key, value, updated_at) VALUES ('k', 'A', 'now')",
				   RECAM_DB_NOARGS),
		     0);
	cr_assert_eq(query_int(a, "SELECT count(*) FROM tenant_settings"), 1);
	cr_assert_eq(query_int(b, "SELECT count(*) FROM tenant_settings"), 0, "tenant B sees tenant A's data");
	int v = 0;
	cr_assert_eq(recam_migrate_current(a, &v), 0);
	cr_assert_eq(v, recam_migrate_latest("tenant"));
	recam_db_release(a);
	recam_db_release(b);
	recam_store_close(s);
}

Test(store, a_connection_goes_back_to_the_pool_clean)
{
	recam_store *s;
	store_open(&s);
	recam_db *db;
	cr_assert_eq(recam_store_control(s, &db), 0);
	cr_assert_eq(recam_db_begin(db), 0);
	cr_assert_eq(recam_db_exec(db, "INSERT INTO platform_settings(key, value, updated_at) VALUES ('x', 'y', 'z')",
				   RECAM_DB_NOARGS),
		     0);
	recam_db_release(db); /* forgot to commit */
	recam_db *again;
	cr_assert_eq(recam_store_control(s, &again), 0);
	cr_assert_eq(again, db, "the released connection is reused");
	cr_assert_eq(query_int(again, "SELECT count(*) FROM platform_settings"), 0, "an abandoned transaction stuck");
	cr_assert_eq(recam_db_begin(again), 0, "the connection is still inside a transaction");
	cr_assert_eq(recam_db_commit(again), 0);
	recam_db_release(again);
	recam_store_close(s);
}

Test(store, several_connections_at_once_see_each_others_commits)
{
	recam_store *s;
	store_open(&s);
	recam_db *a, *b;
	cr_assert_eq(recam_store_control(s, &a), 0);
	cr_assert_eq(recam_store_control(s, &b), 0);
	cr_assert_neq(a, b);
	cr_assert_eq(recam_db_exec(a, "INSERT INTO platform_settings(key, value, updated_at) VALUES ('x', 'y', 'z')",
				   RECAM_DB_NOARGS),
		     0);
	cr_assert_eq(query_int(b, "SELECT count(*) FROM platform_settings"), 1);
	recam_db_release(a);
	recam_db_release(b);
	recam_store_close(s);
}

struct writer_arg {
	recam_store *s;
	int id;
	int failures;
};

static void *writer(void *arg)
{
	struct writer_arg *w = arg;
	for (int i = 0; i < 15; i++) {
		recam_db *db;
		if (recam_store_control(w->s, &db) != 0) {
			w->failures++;
			continue;
		}
		char key[32];
		snprintf(key, sizeof(key), "w%d-%d", w->id, i);
		if (recam_db_exec(db, "INSERT INTO platform_settings(key, value, updated_at) VALUES (?, 'v', 'now')",
				  RECAM_DB_ARGS(DBV_TEXT(key))) != 0)
			w->failures++;
		recam_db_release(db);
	}
	return NULL;
}

Test(store, threads_sharing_the_pool_lose_no_writes)
{
	recam_store *s;
	store_open(&s);
	pthread_t th[4];
	struct writer_arg args[4];
	for (int i = 0; i < 4; i++) {
		args[i] = (struct writer_arg){s, i, 0};
		pthread_create(&th[i], NULL, writer, &args[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(args[i].failures, 0);
	}
	recam_db *db;
	cr_assert_eq(recam_store_control(s, &db), 0);
	cr_assert_eq(query_int(db, "SELECT count(*) FROM platform_settings"), 60);
	recam_db_release(db);
	recam_store_close(s);
}

Test(store, check_reports_a_tenant_database_behind_the_binary)
{
	recam_store *s;
	store_open(&s);
	cr_assert_eq(recam_store_tenant_create(s, "tenanta"), 0);
	recam_db *db;
	cr_assert_eq(recam_store_control(s, &db), 0);
	cr_assert_eq(recam_db_exec(db,
				   "INSERT INTO tenants(id, slug, name, wrapped_key, created_at, updated_at)"
				   " VALUES ('tenanta', 'a', 'A', x'00', 'now', 'now')",
				   RECAM_DB_NOARGS),
		     0);
	recam_db_release(db);
	char why[128] = "";
	cr_assert_eq(recam_store_check(s, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(recam_store_tenant(s, "tenanta", &db), 0);
	cr_assert_eq(recam_db_exec(db, "DELETE FROM schema_migrations", RECAM_DB_NOARGS), 0);
	recam_db_release(db);
	cr_assert_neq(recam_store_check(s, why, sizeof(why)), 0);
	cr_assert_not_null(strstr(why, "tenanta"), "%s", why);
	recam_store_close(s);
}
