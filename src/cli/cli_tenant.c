/* cli_tenant.c — recam tenant create|list|show. */
#include <stdio.h>
#include <string.h>

#include "account/tenant.h"
#include "cli/cli.h"
#include "core/error.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: recam tenant create SLUG NAME [--host HOST]\n"
		     "       recam tenant list\n"
		     "       recam tenant show SLUG|ID\n");
}

static int print_row(void *ctx, const recam_tenant *t)
{
	(void)ctx;
	printf("%-26s  %-20s  %-10s  %s\n", t->id, t->slug, t->status, t->name);
	return 0;
}

static void print_tenant(const recam_tenant *t)
{
	printf("id:         %s\nslug:       %s\nname:       %s\nstatus:     %s\nhost:       %s\ncreated_at: %s\n",
	       t->id, t->slug, t->name, t->status, t->host[0] ? t->host : "-", t->created_at);
}

static int tenant_create(struct cli_env *env, int argc, char **argv)
{
	if (argc != 4 && !(argc == 6 && strcmp(argv[4], "--host") == 0)) {
		usage(stderr);
		return 2;
	}
	const char *slug = argv[2], *name = argv[3];
	if (!recam_tenant_slug_valid(slug)) {
		fprintf(stderr, "recam: slug '%s': use 2 to 48 of a-z, 0-9 and '-', not a reserved word\n", slug);
		return 1;
	}
	if (!recam_tenant_name_valid(name)) {
		fprintf(stderr, "recam: name: 1 to 200 characters of UTF-8 text\n");
		return 1;
	}
	recam_tenant t;
	if (recam_tenant_by_slug(env->store, slug, &t) == 0) {
		fprintf(stderr, "recam: a tenant with slug '%s' already exists (%s)\n", slug, t.id);
		return 1;
	}
	int rc = recam_tenant_create(env->store, &env->master, slug, name, &t);
	if (rc == 0 && argc == 6) {
		rc = recam_tenant_set_host(env->store, t.id, argv[5]);
		recam_strlcpy(t.host, argv[5], sizeof(t.host));
	}
	if (rc != 0) {
		fprintf(stderr, "recam: cannot create tenant: %s\n", recam_err_code(rc));
		return 1;
	}
	print_tenant(&t);
	return 0;
}

int cli_tenant(int argc, char **argv)
{
	struct cli_env env;
	if (argc < 2 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (cli_open(&argc, argv, &env) != 0)
		return 1;
	int status = 2;
	if (strcmp(argv[1], "create") == 0) {
		status = tenant_create(&env, argc, argv);
	} else if (strcmp(argv[1], "list") == 0 && argc == 2) {
		printf("%-26s  %-20s  %-10s  %s\n", "ID", "SLUG", "STATUS", "NAME");
		status = recam_tenant_list(env.store, print_row, NULL) < 0 ? 1 : 0;
	} else if (strcmp(argv[1], "show") == 0 && argc == 3) {
		recam_tenant t;
		int rc = recam_tenant_by_slug(env.store, argv[2], &t);
		if (rc == RECAM_ENOTFOUND)
			rc = recam_tenant_by_id(env.store, argv[2], &t);
		if (rc == 0)
			print_tenant(&t);
		else
			fprintf(stderr, "recam: no tenant '%s'\n", argv[2]);
		status = rc == 0 ? 0 : 1;
	} else {
		usage(stderr);
	}
	cli_close(&env);
	return status;
}
