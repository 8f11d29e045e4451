/* cli.h — the subcommands of the recam binary. Each returns the process
 * exit status: 0 success, 1 failure, 2 usage error. */
#ifndef RECAM_CLI_H
#define RECAM_CLI_H

#include "core/config.h"
#include <jansson.h>

#include "core/crypto.h"
#include "core/str.h"
#include "store/store.h"

/* Loads configuration from --config FILE / RECAM_CONFIG and the environment;
 * prints the error naming the setting and returns < 0 on failure. */
int cli_load_config(recam_config *cfg, const char *path);
/* Removes "--config FILE" from argv if present; returns the path or NULL. */
const char *cli_take_config_arg(int *argc, char **argv);

/* Configuration, master key and store, opened for a subcommand; argv loses
 * its --config option. Prints what went wrong and returns -1 on failure. */
struct cli_env {
	recam_config cfg;
	recam_key master;
	recam_store *store;
};
int cli_open(int *argc, char **argv, struct cli_env *env);
void cli_close(struct cli_env *env);
/* The tenant named by slug and a connection to its database; prints
 * "no tenant" and returns the error when there is none. */
struct recam_tenant;
int cli_tenant_db(struct cli_env *env, const char *slug, struct recam_tenant *t, recam_db **db);

int cli_serve(int argc, char **argv);
int cli_config(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_tenant(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_campaign(int argc, char **argv);
int cli_draw(int argc, char **argv);
/* Validates and saves a campaign definition into a tenant; prints faults. */
int cli_campaign_import_json(struct cli_env *env, const char *tenant_slug, json_t *def, char id[RECAM_ID_LEN + 1]);
int cli_read(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_audit(int argc, char **argv);
struct recam_tenant;
/* recam demo: the demo tenant's owner (owner@demo.example), once; the
 * password from RECAM_DEMO_PASSWORD or generated and printed. */
int cli_user_demo_owner(struct cli_env *env, const struct recam_tenant *t);

#endif
