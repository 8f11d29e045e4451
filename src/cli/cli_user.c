/* cli_user.c — recam user add|list: staff accounts from the command line.
 * This is how a tenant's first owner is made; the password is read from
 * standard input (never from the command line, where ps would show it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "account/audit.h"
#include "account/security.h"
#include "account/tenant.h"
#include "account/user.h"
#include "cli/cli.h"
#include "core/error.h"

#define DEMO_OWNER_EMAIL "owner@demo.example"
#define DEMO_OWNER_NAME "デモ オーナー"

static void usage(FILE *out)
{
	fprintf(out, "usage: recam user add TENANT EMAIL NAME [--role owner|admin|reviewer|viewer]  (password on stdin)\n"
		     "       recam user list TENANT\n");
}

/* One line of standard input without its line end. */
static int read_password(char *out, size_t n)
{
	if (fgets(out, (int)n, stdin) == NULL)
		return RECAM_EINVAL;
	size_t len = strcspn(out, "\r\n");
	if (out[len] == '\0' && len == n - 1)
		return RECAM_ETOOBIG; /* no line end within the buffer: too long */
	out[len] = '\0';
	return 0;
}

/* Checks the policy, hashes and creates the user with an audit record. */
static int add_user(recam_db *db, const recam_tenant *t, const char *email, const char *name, enum recam_role role,
		    const char *password, recam_user *u)
{
	recam_security sec;
	int rc = recam_security_load(db, &sec);
	if (rc != 0)
		return rc;
	enum recam_pw_fault f = recam_password_check(&sec.pw, password, email, t->slug);
	if (f != RECAM_PW_OK) {
		char buf[160];
		fprintf(stderr, "recam: password: %s\n",
			recam_password_fault_message(f, RECAM_LANG_EN, sec.pw.min_length, buf, sizeof(buf)));
		return RECAM_EINVAL;
	}
	char hash[RECAM_PWHASH_MAX];
	if ((rc = recam_password_hash(password, hash)) != 0)
		return rc;
	if ((rc = recam_db_begin(db)) != 0)
		return rc;
	rc = recam_user_create(db, email, name, role, hash, u);
	if (rc == 0)
		rc = recam_audit_append(db, "cli", "user.create", "user", u->id, "success", "cli", "");
	rc = rc == 0 ? recam_db_commit(db) : rc;
	if (rc != 0)
		recam_db_rollback(db);
	if (rc == RECAM_ECONFLICT)
		fprintf(stderr, "recam: a user with the email %s already exists\n", email);
	return rc;
}

static int open_tenant(struct cli_env *env, const char *slug, recam_tenant *t, recam_db **db)
{
	int rc = recam_tenant_by_slug(env->store, slug, t);
	if (rc == RECAM_ENOTFOUND)
		rc = recam_tenant_by_id(env->store, slug, t);
	if (rc != 0) {
		fprintf(stderr, "recam: no tenant '%s'\n", slug);
		return rc;
	}
	rc = recam_store_tenant(env->store, t->id, db);
	if (rc != 0)
		fprintf(stderr, "recam: cannot open the database of tenant '%s'\n", slug);
	return rc;
}

static int user_add(struct cli_env *env, int argc, char **argv)
{
	if (argc != 5 && !(argc == 7 && strcmp(argv[5], "--role") == 0)) {
		usage(stderr);
		return 2;
	}
	char email[RECAM_EMAIL_MAX + 1];
	enum recam_role role = RECAM_ROLE_OWNER;
	if (!recam_user_email_normalize(argv[3], email)) {
		fprintf(stderr, "recam: email '%s' is not a valid address\n", argv[3]);
		return 1;
	}
	if (!recam_user_name_valid(argv[4])) {
		fprintf(stderr, "recam: name: 1 to 100 characters of text\n");
		return 1;
	}
	if (argc == 7 && recam_role_parse(argv[6], &role) != 0) {
		fprintf(stderr, "recam: role: owner, admin, reviewer or viewer\n");
		return 1;
	}
	recam_tenant t;
	recam_db *db = NULL;
	if (open_tenant(env, argv[2], &t, &db) != 0)
		return 1;
	char pw[RECAM_PASSWORD_MAX_BYTES + 2];
	int rc = read_password(pw, sizeof(pw));
	recam_user u;
	if (rc != 0)
		fprintf(stderr, "recam: give the password on standard input, one line of at most %d bytes\n",
			RECAM_PASSWORD_MAX_BYTES);
	else
		rc = add_user(db, &t, email, argv[4], role, pw, &u);
	sodium_memzero(pw, sizeof(pw));
	recam_db_release(db);
	if (rc != 0)
		return 1;
	printf("id:     %s\nemail:  %s\nname:   %s\nrole:   %s\ntenant: %s\n", u.id, u.email, u.name,
	       recam_role_name(u.role), t.slug);
	return 0;
}

static int print_user(void *ctx, const recam_user *u)
{
	(void)ctx;
	printf("%-26s  %-8s  %-8s  %s\n", u->id, recam_role_name(u->role), u->status, u->email);
	return 0;
}

int cli_user(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct cli_env env;
	if (cli_open(&argc, argv, &env) != 0)
		return 1;
	int status = 2;
	if (strcmp(argv[1], "add") == 0) {
		status = user_add(&env, argc, argv);
	} else if (strcmp(argv[1], "list") == 0 && argc == 3) {
		recam_tenant t;
		recam_db *db = NULL;
		status = 1;
		if (open_tenant(&env, argv[2], &t, &db) == 0) {
			printf("%-26s  %-8s  %-8s  %s\n", "ID", "ROLE", "STATUS", "EMAIL");
			status = recam_user_list(db, print_user, NULL) < 0 ? 1 : 0;
			recam_db_release(db);
		}
	} else {
		usage(stderr);
	}
	cli_close(&env);
	return status;
}

int cli_user_demo_owner(struct cli_env *env, const recam_tenant *t)
{
	recam_db *db = NULL;
	int rc = recam_store_tenant(env->store, t->id, &db);
	if (rc != 0)
		return rc;
	recam_user u;
	rc = recam_user_by_email(db, DEMO_OWNER_EMAIL, &u);
	if (rc == 0) {
		printf("demo owner present: %s\n", DEMO_OWNER_EMAIL);
	} else if (rc == RECAM_ENOTFOUND) {
		const char *given = getenv("RECAM_DEMO_PASSWORD");
		char pw[RECAM_PASSWORD_MAX_BYTES + 1];
		rc = 0;
		if (given && given[0]) {
			rc = recam_strlcpy(pw, given, sizeof(pw));
		} else {
			/* 26 random base32 characters: 130 bits, shown once. */
			char id[RECAM_ID_LEN + 1];
			recam_random_id(id);
			recam_strlcpy(pw, id, sizeof(pw));
		}
		if (rc == 0)
			rc = add_user(db, t, DEMO_OWNER_EMAIL, DEMO_OWNER_NAME, RECAM_ROLE_OWNER, pw, &u);
		if (rc == 0) {
			printf("demo owner created: %s\n", DEMO_OWNER_EMAIL);
			if (!(given && given[0]))
				printf("demo owner password (shown only now): %s\n", pw);
		}
		sodium_memzero(pw, sizeof(pw));
	}
	recam_db_release(db);
	return rc;
}
