/* cli_audit.c — recam audit verify TENANT: checks a tenant's hash-chained
 * audit log and names the first record that was altered or removed. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "account/audit.h"
#include "account/tenant.h"
#include "cli/cli.h"
#include "core/error.h"

static void usage(FILE *out) { fprintf(out, "usage: recam audit verify TENANT\n"); }

int cli_audit(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct cli_env env;
	if (cli_open(&argc, argv, &env) != 0)
		return 1;
	if (strcmp(argv[1], "verify") != 0 || argc != 3) {
		usage(stderr);
		cli_close(&env);
		return 2;
	}
	recam_tenant t;
	int rc = recam_tenant_by_slug(env.store, argv[2], &t);
	if (rc == RECAM_ENOTFOUND)
		rc = recam_tenant_by_id(env.store, argv[2], &t);
	recam_db *db = NULL;
	if (rc == 0)
		rc = recam_store_tenant(env.store, t.id, &db);
	if (rc != 0) {
		fprintf(stderr, "recam: no tenant '%s'\n", argv[2]);
		cli_close(&env);
		return 1;
	}
	int64_t bad = 0, count = 0;
	rc = recam_audit_verify(db, &bad, &count);
	recam_db_release(db);
	cli_close(&env);
	if (rc == RECAM_ECRYPTO) {
		fprintf(stderr,
			"recam: audit log of '%s' is BROKEN at record %" PRId64
			": it or a record before it was altered or removed (%" PRId64 " records check before it)\n",
			argv[2], bad, count);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "recam: cannot read the audit log of '%s': %s\n", argv[2], recam_err_code(rc));
		return 1;
	}
	printf("audit log of %s: %" PRId64 " records, chain intact\n", argv[2], count);
	return 0;
}
