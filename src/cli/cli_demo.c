/* cli_demo.c — recam demo: the demo tenant of `make run`, created once. */
#include <stdio.h>

#include "account/tenant.h"
#include "cli/cli.h"
#include "core/error.h"

#define DEMO_SLUG "demo"
#define DEMO_NAME "デモ食品株式会社"

int cli_demo(int argc, char **argv)
{
	struct cli_env env;
	if (cli_open(&argc, argv, &env) != 0)
		return 1;
	recam_tenant t;
	int rc = recam_tenant_by_slug(env.store, DEMO_SLUG, &t);
	if (rc == RECAM_ENOTFOUND) {
		rc = recam_tenant_create(env.store, &env.master, DEMO_SLUG, DEMO_NAME, &t);
		if (rc == 0)
			printf("demo tenant created: %s (%s)\n", t.slug, t.name);
	} else if (rc == 0) {
		printf("demo tenant present: %s (%s)\n", t.slug, t.name);
	}
	cli_close(&env);
	if (rc != 0) {
		fprintf(stderr, "recam: cannot create the demo tenant: %s\n", recam_err_code(rc));
		return 1;
	}
	return 0;
}
