/* cli_common.c — what every subcommand does first: configuration, keys, store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/tenant.h"
#include "cli/cli.h"
#include "core/fsutil.h"
#include "core/log.h"
#include "core/str.h"

const char *cli_take_config_arg(int *argc, char **argv)
{
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--config") != 0)
			continue;
		if (i + 1 >= *argc)
			return NULL;
		const char *path = argv[i + 1];
		for (int j = i; j + 2 <= *argc; j++)
			argv[j] = argv[j + 2];
		*argc -= 2;
		return path;
	}
	return getenv("RECAM_CONFIG");
}

int cli_load_config(recam_config *cfg, const char *path)
{
	char err[512];
	int rc = recam_config_load(cfg, path, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "recam: configuration error: %s\n", err);
		return rc;
	}
	recam_log_set_level((enum recam_log_level)recam_log_level_parse(cfg->log_level));
	return 0;
}

int cli_open(int *argc, char **argv, struct cli_env *env)
{
	memset(env, 0, sizeof(*env));
	if (cli_load_config(&env->cfg, cli_take_config_arg(argc, argv)) != 0)
		return -1;
	if (recam_crypto_init() != 0) {
		fprintf(stderr, "recam: libsodium failed to initialise\n");
		return -1;
	}
	if (recam_fs_mkdirs(env->cfg.data_dir, 0700) != 0) {
		fprintf(stderr, "recam: data_dir: cannot create %s\n", env->cfg.data_dir);
		return -1;
	}
	char keypath[RECAM_PATH_MAX + 32], err[512];
	if (env->cfg.master_key_file[0])
		recam_strlcpy(keypath, env->cfg.master_key_file, sizeof(keypath));
	else
		recam_config_path(&env->cfg, "master.key", keypath, sizeof(keypath));
	if (recam_master_key_load(env->cfg.master_key, keypath, &env->master, err, sizeof(err)) != 0) {
		fprintf(stderr, "recam: %s\n", err);
		return -1;
	}
	if (recam_store_open(&env->cfg, &env->store) != 0) {
		fprintf(stderr, "recam: cannot open the store in %s (see the log above)\n", env->cfg.data_dir);
		recam_key_wipe(&env->master);
		return -1;
	}
	return 0;
}

void cli_close(struct cli_env *env)
{
	recam_store_close(env->store);
	env->store = NULL;
	recam_key_wipe(&env->master);
}

int cli_tenant_db(struct cli_env *env, const char *slug, recam_tenant *t, recam_db **db)
{
	int rc = recam_tenant_by_slug(env->store, slug, t);
	if (rc == 0)
		rc = recam_store_tenant(env->store, t->id, db);
	if (rc != 0)
		fprintf(stderr, "recam: no tenant '%s'\n", slug);
	return rc;
}
