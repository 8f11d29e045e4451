/* test_audit.c — the hash-chained audit log: appending, verifying, and
 * finding records that were altered, deleted or cut off the end. */
#include <criterion/criterion.h>
#include <string.h>

#include "account/audit.h"
#include "account/tenant.h"
#include "core/error.h"
#include "core/log.h"
#include "unit_helpers.h"

static char dir[64];
static recam_store *store;
static recam_db *db;

static void setup(void)
{
	recam_log_set_level(RECAM_LOG_ERROR);
	cr_assert_eq(recam_crypto_init(), 0);
	ut_mkdtemp(dir);
	recam_config cfg;
	ut_config(&cfg, dir);
	cr_assert_eq(recam_store_open(&cfg, &store), 0);
	recam_key master;
	recam_key_generate(&master);
	recam_tenant t;
	cr_assert_eq(recam_tenant_create(store, &master, "audit-test", "Audit", &t), 0);
	cr_assert_eq(recam_store_tenant(store, t.id, &db), 0);
}

static void teardown(void)
{
	recam_db_release(db);
	recam_store_close(store);
	ut_rmtree(dir);
}

TestSuite(audit, .init = setup, .fini = teardown);

static void add(int n)
{
	for (int i = 0; i < n; i++) {
		char oid[16];
		snprintf(oid, sizeof(oid), "obj-%d", i);
		cr_assert_eq(recam_audit_record(db, "u1", "user.update", "user", oid, "success", "127.0.0.1", "rid"), 0);
	}
}

static void exec(const char *sql) { cr_assert_eq(db->ops->exec_script(db, sql), 0, "%s", sql); }

Test(audit, empty_log_verifies)
{
	int64_t bad = -1, n = -1;
	cr_assert_eq(recam_audit_verify(db, &bad, &n), 0);
	cr_assert_eq(n, 0);
}

Test(audit, chain_verifies_and_links)
{
	add(5);
	int64_t bad = -1, n = 0;
	cr_assert_eq(recam_audit_verify(db, &bad, &n), 0);
	cr_assert_eq(n, 5);
	cr_assert_eq(bad, 0);
}

Test(audit, append_joins_the_callers_transaction)
{
	add(1);
	cr_assert_eq(recam_db_begin(db), 0);
	cr_assert_eq(recam_audit_append(db, "u1", "login", "user", "u1", "success", "", ""), 0);
	cr_assert_eq(recam_db_rollback(db), 0);
	int64_t bad, n;
	cr_assert_eq(recam_audit_verify(db, &bad, &n), 0);
	cr_assert_eq(n, 1, "a rolled-back action leaves no record");
}

Test(audit, hash_depends_on_every_field)
{
	recam_audit_rec r = {7, 1000, "a", "b", "c", "d", "e", "f", "g"};
	char h0[65], h1[65];
	recam_audit_hash(&r, RECAM_AUDIT_GENESIS, h0);
	const char **f[] = {&r.actor, &r.action, &r.object_type, &r.object_id, &r.outcome, &r.client, &r.rid};
	for (int i = 0; i < 7; i++) {
		const char *keep = *f[i];
		*f[i] = "x";
		recam_audit_hash(&r, RECAM_AUDIT_GENESIS, h1);
		cr_assert_str_neq(h0, h1, "field %d not covered", i);
		*f[i] = keep;
	}
	/* Moving a byte from one field to the next changes the hash too. */
	recam_audit_rec s = r;
	s.actor = "ab";
	s.action = "";
	r.actor = "a";
	r.action = "b";
	recam_audit_hash(&r, RECAM_AUDIT_GENESIS, h0);
	recam_audit_hash(&s, RECAM_AUDIT_GENESIS, h1);
	cr_assert_str_neq(h0, h1);
}

Test(audit, triggers_refuse_update_and_delete)
{
	add(2);
	cr_assert_neq(recam_db_exec(db, "UPDATE audit_log SET outcome = 'x' WHERE seq = 1", RECAM_DB_NOARGS), 0);
	cr_assert_neq(recam_db_exec(db, "DELETE FROM audit_log WHERE seq = 1", RECAM_DB_NOARGS), 0);
}

Test(audit, altered_record_is_named)
{
	add(5);
	exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3;");
	int64_t bad = 0;
	cr_assert_eq(recam_audit_verify(db, &bad, NULL), RECAM_ECRYPTO);
	cr_assert_eq(bad, 3);
}

Test(audit, recomputed_hash_breaks_the_next_link)
{
	add(5);
	/* Whoever alters a record and fixes its own hash still breaks the next record's prev_hash. */
	exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET hash = 'f00d' WHERE seq = 2;");
	int64_t bad = 0;
	cr_assert_eq(recam_audit_verify(db, &bad, NULL), RECAM_ECRYPTO);
	cr_assert_eq(bad, 2);
}

Test(audit, deleted_record_is_named)
{
	add(5);
	exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4;");
	int64_t bad = 0;
	cr_assert_eq(recam_audit_verify(db, &bad, NULL), RECAM_ECRYPTO);
	cr_assert_eq(bad, 4);
}

Test(audit, records_cut_off_the_end_are_noticed)
{
	add(5);
	exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 4;");
	int64_t bad = 0;
	cr_assert_eq(recam_audit_verify(db, &bad, NULL), RECAM_ECRYPTO);
	cr_assert_eq(bad, 4);
}
