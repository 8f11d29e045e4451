/* cli_demo.c — recam demo [CAMPAIGN.json]: the demo tenant of `make run`
 * and, when a file is given, its demo campaign; both created once. */
#include <stdio.h>
#include <string.h>

#include "account/tenant.h"
#include "campaign/campaign.h"
#include "cli/cli.h"
#include "core/error.h"
#include "core/json.h"

#define DEMO_SLUG "demo"
#define DEMO_NAME "デモ食品株式会社"

static int demo_campaign(struct cli_env *env, const recam_tenant *t, const char *path)
{
	json_error_t e;
	json_t *def = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (def == NULL) {
		fprintf(stderr, "recam: %s:%d: %s\n", path, e.line, e.text);
		return RECAM_EJSON;
	}
	const char *slug = json_string_value(json_object_get(def, "slug"));
	recam_db *db = NULL;
	int rc = recam_store_tenant(env->store, t->id, &db);
	recam_campaign c;
	if (rc == 0 && slug && (rc = recam_campaign_load(db, slug, &c)) == 0) {
		printf("demo campaign present: %s\n", slug);
		recam_campaign_free(&c);
	} else if (rc == RECAM_ENOTFOUND) {
		char id[RECAM_ID_LEN + 1];
		rc = cli_campaign_import_json(env, t->slug, def, id);
		if (rc == 0)
			printf("demo campaign created: %s\n", slug);
	}
	if (db)
		recam_db_release(db);
	json_decref(def);
	return rc;
}

int cli_demo(int argc, char **argv)
{
	struct cli_env env;
	if (cli_open(&argc, argv, &env) != 0)
		return 1;
	if (argc > 2) {
		fprintf(stderr, "usage: recam demo [CAMPAIGN.json]\n");
		cli_close(&env);
		return 2;
	}
	recam_tenant t;
	int rc = recam_tenant_by_slug(env.store, DEMO_SLUG, &t);
	if (rc == RECAM_ENOTFOUND) {
		rc = recam_tenant_create(env.store, &env.master, DEMO_SLUG, DEMO_NAME, &t);
		if (rc == 0)
			printf("demo tenant created: %s (%s)\n", t.slug, t.name);
	} else if (rc == 0) {
		printf("demo tenant present: %s (%s)\n", t.slug, t.name);
	}
	if (rc == 0 && argc == 2)
		rc = demo_campaign(&env, &t, argv[1]);
	if (rc == 0)
		rc = cli_user_demo_owner(&env, &t);
	cli_close(&env);
	if (rc != 0) {
		fprintf(stderr, "recam: cannot set up the demo: %s\n", recam_err_code(rc));
		return 1;
	}
	return 0;
}
