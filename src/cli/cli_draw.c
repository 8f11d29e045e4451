/* cli_draw.c — recam draw commit|run|verify: the campaign's closed draw,
 * verifiable by anyone holding the published files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/tenant.h"
#include "campaign/closed_draw.h"
#include "campaign/draw.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "core/json.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: recam draw commit TENANT CAMPAIGN --winners K [--alternates A] [--out DIR]\n"
		     "       recam draw run TENANT CAMPAIGN [--winners K [--alternates A]] [--out DIR]\n"
		     "       recam draw verify RESULT.json ELIGIBLE.tsv [COMMITMENT.json]\n"
		     "commit publishes DIR/commitment.json (SHA-256 of the secret seed and of the list) and\n"
		     "DIR/eligible.tsv before the draw; run draws, records the winners and publishes\n"
		     "DIR/result.json with the seed; verify re-derives the winners from those files.\n");
}

struct draw_args {
	const char *tenant, *campaign, *out;
	long long winners, alternates;
};

static int parse_args(int argc, char **argv, struct draw_args *a)
{
	if (argc < 4)
		return -1;
	memset(a, 0, sizeof(*a));
	a->tenant = argv[2];
	a->campaign = argv[3];
	a->out = ".";
	a->winners = -1;
	for (int i = 4; i + 1 < argc; i += 2) {
		int64_t v;
		if (strcmp(argv[i], "--out") == 0)
			a->out = argv[i + 1];
		else if (strcmp(argv[i], "--winners") == 0 &&
			 recam_parse_i64(recam_str_c(argv[i + 1]), 1, 10000000, &v) == 0)
			a->winners = v;
		else if (strcmp(argv[i], "--alternates") == 0 &&
			 recam_parse_i64(recam_str_c(argv[i + 1]), 0, 10000000, &v) == 0)
			a->alternates = v;
		else
			return -1;
	}
	return (argc - 4) % 2 == 0 ? 0 : -1;
}

static int write_json(const char *dir, const char *name, json_t *j)
{
	char path[RECAM_PATH_MAX + 64];
	char *text = json_dumps(j, JSON_INDENT(2));
	int rc = recam_fs_join(path, sizeof(path), dir, name);
	if (rc == 0 && text == NULL)
		rc = RECAM_ENOMEM;
	if (rc == 0) {
		size_t n = strlen(text);
		text[n] = '\n'; /* json_dumps leaves room for the NUL: reuse it */
		rc = recam_fs_write_atomic(path, text, n + 1, 0644);
	}
	free(text);
	if (rc == 0)
		printf("wrote %s\n", path);
	return rc;
}

static int copy_list(const char *from, const char *dir)
{
	recam_buf b;
	recam_buf_init(&b, (size_t)1 << 31);
	char path[RECAM_PATH_MAX + 64];
	int rc = recam_fs_read(from, &b);
	if (rc == 0)
		rc = recam_fs_join(path, sizeof(path), dir, "eligible.tsv");
	if (rc == 0)
		rc = recam_fs_write_atomic(path, b.data ? b.data : "", b.len, 0644);
	recam_buf_free(&b);
	if (rc == 0)
		printf("wrote %s\n", path);
	return rc;
}

static int draw_tenant(struct cli_env *env, struct draw_args *a, bool run)
{
	recam_tenant t;
	recam_key key;
	recam_db *db = NULL;
	recam_campaign c = {.def = NULL};
	char dir[RECAM_PATH_MAX + 64], list[RECAM_PATH_MAX + 128];
	json_t *commitment = NULL, *record = NULL;
	bool told = false; /* the failure was explained already */
	int rc = recam_tenant_by_slug(env->store, a->tenant, &t);
	if (rc != 0) {
		fprintf(stderr, "recam: no tenant '%s'\n", a->tenant);
		return 1;
	}
	if ((rc = recam_tenant_key(&env->master, &t, &key)) != 0 || (rc = recam_store_tenant(env->store, t.id, &db)) != 0)
		goto out;
	if ((rc = recam_campaign_load(db, a->campaign, &c)) != 0) {
		fprintf(stderr, "recam: no campaign '%s'\n", a->campaign);
		told = true;
		goto out;
	}
	if ((rc = recam_store_tenant_dir(env->store, t.id, dir, sizeof(dir))) != 0 ||
	    (rc = recam_closed_draw_list_path(dir, c.id, list, sizeof(list))) != 0)
		goto out;
	if (a->winners > 0) {
		rc = recam_closed_draw_commit(db, &key, &c, (size_t)a->winners, (size_t)a->alternates, list, &commitment);
		if (rc == RECAM_ECONFLICT && (told = true))
			fprintf(stderr, "recam: campaign '%s' has a draw committed already\n", a->campaign);
		if (rc == 0)
			rc = write_json(a->out, "commitment.json", commitment);
		if (rc == 0)
			rc = copy_list(list, a->out);
	}
	if (rc == 0 && run) {
		rc = recam_closed_draw_execute(db, &key, &c, list, &record);
		told = rc == RECAM_ENOTFOUND || rc == RECAM_ECONFLICT;
		if (rc == RECAM_ENOTFOUND)
			fprintf(stderr, "recam: commit the draw first (recam draw commit ... --winners K)\n");
		else if (rc == RECAM_ECONFLICT)
			fprintf(stderr, "recam: the draw was run already, or its list or seed changed\n");
		if (rc == 0)
			rc = write_json(a->out, "result.json", record);
		if (rc == 0) {
			json_t *w = json_object_get(record, "winners");
			printf("winners: %zu, alternates: %zu\n", json_array_size(w),
			       json_array_size(json_object_get(record, "alternates")));
		}
	}
out:
	if (rc != 0 && !told)
		fprintf(stderr, "recam: draw failed: %s (see the log above)\n", recam_err_code(rc));
	json_decref(commitment);
	json_decref(record);
	recam_campaign_free(&c);
	recam_db_release(db);
	recam_key_wipe(&key);
	return rc == 0 ? 0 : 1;
}

/* The published result must carry the commitment published before the
 * draw: a redrawn record with a new seed and its own hash would otherwise
 * verify against itself. */
static int same_commitment(const recam_draw_record *rec, const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	recam_draw_record before;
	memset(&before, 0, sizeof(before));
	char why[200] = "";
	int ok = j && recam_draw_record_from_json(j, &before, why, sizeof(why)) == 0 &&
		 recam_draw_same_commitment(&before, rec);
	if (j == NULL)
		fprintf(stderr, "recam: %s:%d: %s\n", path, e.line, e.text);
	else if (!ok)
		printf("NOT verified: the result does not carry the commitment published in %s%s%s\n", path,
		       why[0] ? ": " : "", why);
	json_decref(j);
	recam_draw_record_free(&before);
	return ok;
}

static int verify(const char *record_path, const char *list_path, const char *commitment_path)
{
	json_error_t e;
	json_t *j = json_load_file(record_path, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		fprintf(stderr, "recam: %s:%d: %s\n", record_path, e.line, e.text);
		return 1;
	}
	recam_draw_record rec;
	memset(&rec, 0, sizeof(rec));
	recam_draw_list l = {0};
	recam_buf b;
	recam_buf_init(&b, (size_t)1 << 31);
	char why[200] = "";
	size_t bad = 0;
	int status = 1;
	if (recam_draw_record_from_json(j, &rec, why, sizeof(why)) != 0) {
		fprintf(stderr, "recam: %s: %s\n", record_path, why);
	} else if (recam_fs_read(list_path, &b) != 0) {
		fprintf(stderr, "recam: cannot read %s\n", list_path);
	} else if (recam_draw_list_parse(b.data ? b.data : "", b.len, &l, &bad) != 0) {
		fprintf(stderr, "recam: %s: line %zu is not 'entry\\tparticipant\\tweight'\n", list_path, bad + 1);
	} else {
		recam_draw_mismatch mm;
		int rc = recam_draw_verify(&rec, l.entries, l.n, &mm);
		if (rc == 0 && commitment_path && !same_commitment(&rec, commitment_path)) {
			status = 1;
		} else if (rc == 0) {
			printf("verified: %zu winners and %zu alternates follow from the published seed and list (%zu entries)\n",
			       rec.n_winners, rec.n_alternates, l.n);
			status = 0;
		} else if (rc == RECAM_ECONFLICT) {
			printf("NOT verified: %s\n", mm.message);
		} else {
			fprintf(stderr, "recam: verification could not run: %s\n", recam_err_code(rc));
		}
	}
	json_decref(j);
	recam_buf_free(&b);
	recam_draw_list_free(&l);
	recam_draw_record_free(&rec);
	return status;
}

int cli_draw(int argc, char **argv)
{
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "verify") == 0)
		return verify(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	struct draw_args a;
	bool commit = argc > 1 && strcmp(argv[1], "commit") == 0, run = argc > 1 && strcmp(argv[1], "run") == 0;
	struct cli_env env;
	if ((!commit && !run) || cli_open(&argc, argv, &env) != 0) {
		if (!commit && !run)
			usage(stderr);
		return (!commit && !run) ? 2 : 1;
	}
	int status;
	if (parse_args(argc, argv, &a) != 0 || (commit && a.winners < 0)) {
		usage(stderr);
		status = 2;
	} else {
		status = draw_tenant(&env, &a, run);
	}
	cli_close(&env);
	return status;
}
