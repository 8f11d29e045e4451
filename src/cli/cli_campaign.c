/* cli_campaign.c — recam campaign import|export: a whole campaign as one
 * JSON document (docs/campaign-format.md). */
#include <stdio.h>
#include <string.h>

#include "account/tenant.h"
#include "campaign/campaign.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "core/json.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: recam campaign import TENANT FILE   (FILE '-' reads standard input)\n"
		     "       recam campaign export TENANT SLUG\n"
		     "       recam campaign list TENANT\n");
}

int cli_campaign_import_json(struct cli_env *env, const char *tenant_slug, json_t *def, char id[RECAM_ID_LEN + 1])
{
	recam_tenant t;
	json_t *fields = NULL;
	recam_rules rules;
	int rc = recam_tenant_by_slug(env->store, tenant_slug, &t);
	if (rc != 0) {
		fprintf(stderr, "recam: no tenant '%s'\n", tenant_slug);
		return rc;
	}
	if ((rc = recam_campaign_parse(def, RECAM_LANG_EN, &rules, &fields)) != 0) {
		const char *k;
		json_t *v;
		json_object_foreach(fields, k, v) fprintf(stderr, "recam: %s: %s\n", k[0] ? k : "(document)",
							  json_string_value(v));
		json_decref(fields);
		return rc;
	}
	for (int i = 0; i < rules.nproducts; i++)
		free((void *)rules.products[i].aliases);
	recam_db *db;
	if ((rc = recam_store_tenant(env->store, t.id, &db)) != 0)
		return rc;
	rc = recam_campaign_save(db, def, 0, id);
	recam_db_release(db);
	return rc;
}

static int import_file(struct cli_env *env, const char *tenant, const char *path)
{
	recam_buf b;
	recam_buf_init(&b, 16 * 1024 * 1024);
	int rc = recam_fs_read(strcmp(path, "-") == 0 ? "/dev/stdin" : path, &b);
	json_t *def = NULL;
	char why[256];
	if (rc != 0)
		fprintf(stderr, "recam: cannot read %s\n", path);
	else if ((rc = recam_json_parse(b.data ? b.data : "", b.len, 64, &def, why, sizeof(why))) != 0)
		fprintf(stderr, "recam: %s: %s\n", path, why);
	recam_buf_free(&b);
	char id[RECAM_ID_LEN + 1];
	if (rc == 0 && (rc = cli_campaign_import_json(env, tenant, def, id)) == 0)
		printf("campaign %s imported (%s)\n", json_string_value(json_object_get(def, "slug")), id);
	json_decref(def);
	return rc == 0 ? 0 : 1;
}

static int export_one(struct cli_env *env, const char *tenant, const char *slug)
{
	recam_tenant t;
	recam_db *db;
	if (cli_tenant_db(env, tenant, &t, &db) != 0)
		return 1;
	recam_campaign c;
	int rc = recam_campaign_load(db, slug, &c);
	recam_db_release(db);
	if (rc != 0) {
		fprintf(stderr, "recam: no campaign '%s' in tenant '%s'\n", slug, tenant);
		return 1;
	}
	json_dumpf(c.def, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	fputc('\n', stdout);
	recam_campaign_free(&c);
	return 0;
}

static int print_campaign(void *ctx, const recam_dbrow *row)
{
	(void)ctx;
	size_t n;
	printf("%-26s  %-24s  %-10s  %s\n", recam_dbrow_text(row, 0, &n), recam_dbrow_text(row, 1, &n),
	       recam_dbrow_text(row, 2, &n), recam_dbrow_text(row, 3, &n));
	return 0;
}

static int list(struct cli_env *env, const char *tenant)
{
	recam_tenant t;
	recam_db *db;
	if (cli_tenant_db(env, tenant, &t, &db) != 0)
		return 1;
	printf("%-26s  %-24s  %-10s  %s\n", "ID", "SLUG", "STATUS", "TITLE");
	int rc = recam_db_query(db, "SELECT id, slug, status, title FROM campaigns ORDER BY created_at", RECAM_DB_NOARGS,
			    print_campaign, NULL);
	recam_db_release(db);
	return rc < 0 ? 1 : 0;
}

int cli_campaign(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct cli_env env;
	if (cli_open(&argc, argv, &env) != 0)
		return 1;
	int status = 2;
	if (strcmp(argv[1], "import") == 0 && argc == 4)
		status = import_file(&env, argv[2], argv[3]);
	else if (strcmp(argv[1], "export") == 0 && argc == 4)
		status = export_one(&env, argv[2], argv[3]);
	else if (strcmp(argv[1], "list") == 0 && argc == 3)
		status = list(&env, argv[2]);
	else
		usage(stderr);
	cli_close(&env);
	return status;
}
