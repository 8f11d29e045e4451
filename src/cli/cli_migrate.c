/* cli_migrate.c — recam migrate: brings every database to the newest schema. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/migrate.h"

int cli_migrate(int argc, char **argv)
{
	struct cli_env env;
	if (cli_open(&argc, argv, &env) != 0)
		return 1;
	if (argc != 1) {
		fprintf(stderr, "usage: recam migrate [--config FILE]\n");
		cli_close(&env);
		return 2;
	}
	int applied = 0;
	int rc = recam_store_migrate_all(env.store, &applied);
	cli_close(&env);
	if (rc != 0) {
		fprintf(stderr, "recam: migration failed (see the log above)\n");
		return 1;
	}
	printf("migrations applied: %d (control at %d, tenants at %d)\n", applied, recam_migrate_latest("control"),
	       recam_migrate_latest("tenant"));
	return 0;
}
