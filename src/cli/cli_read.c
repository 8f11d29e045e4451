/* cli_read.c — `recam read IMAGE...`: reads receipts through the reader
 * worker pool and prints one JSON object per image per line (an error object
 * for an image that failed; exit status 1 if any did).
 *   --text        the files are OCR text (one line per line): parse only;
 *                 the bench feeds `tesseract` CLI output through this
 *   --workers N   worker processes (default 1)
 *   --prep STEPS  pre-processing steps (crop,deskew,orient,perspective,flatten,
 *                 contrast,shadow,scale,dewarp,leaders,binarize,reread |
 *                 default | none),
 *                 for measuring them
 *   --langs L     tesseract models, MAIN or MAIN/ALT (default Japanese/jpn: the
 *                 script model reads the page, jpn re-reads unsure lines)
 *   --timeout MS  per image
 *   --reread-work N  work (line heights of text recognized) an image may
 *                 have had before second readings stop (defaults 2300, and
 *                 1150 for the uncropped re-read; this sets both)
 *   --reread-cpu MS  the CPU safety net behind it (default 12000; the
 *                 uncropped re-read gets half): raised with the work
 *                 bound, nothing depends on the machine's speed */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "core/str.h"
#include "receipt/prep.h"
#include "receipt/reader.h"
#include "receipt/receipt.h"

struct job {
	recam_reader_pool *pool;
	char **files;
	int nfiles;
	char **out;	/* one JSON line per file */
	int failed;
	int next;
	size_t max_bytes;
	pthread_mutex_t mu;
};

static char *error_line(const char *file, int err)
{
	json_t *o = recam_reader_error_json(err);
	json_object_set_new(o, "file", json_string(file));
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* Adds "file" to the worker's JSON text. */
static char *with_file(const char *file, const char *json)
{
	json_error_t e;
	json_t *o = json_loads(json, 0, &e);
	if (o == NULL)
		return error_line(file, RECAM_EINTERNAL);
	json_object_set_new(o, "file", json_string(file));
	char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4));
	json_decref(o);
	return s;
}

static char *read_one(struct job *j, const char *file, int *failed)
{
	recam_buf b;
	recam_buf_init(&b, j->max_bytes + 1);
	int rc = recam_fs_read(file, &b);
	char *line;
	if (rc != 0) {
		*failed = 1;
		line = error_line(file, rc == RECAM_ETOOBIG ? RECAM_ETOOBIG : rc);
	} else {
		char *json = NULL;
		rc = recam_reader_read(j->pool, b.data ? b.data : "", b.len, &json, NULL);
		if (rc != 0) {
			*failed = 1;
			line = error_line(file, rc);
		} else {
			line = with_file(file, json);
		}
		free(json);
	}
	recam_buf_free(&b);
	return line;
}

static void *thread_main(void *arg)
{
	struct job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->mu);
		int i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->nfiles)
			break;
		int failed = 0;
		char *line = read_one(j, j->files[i], &failed);
		pthread_mutex_lock(&j->mu);
		j->out[i] = line;
		j->failed |= failed;
		pthread_mutex_unlock(&j->mu);
	}
	return NULL;
}

static int read_text(char **files, int n)
{
	int failed = 0;
	for (int i = 0; i < n; i++) {
		recam_buf b;
		recam_buf_init(&b, 4u << 20);
		int rc = recam_fs_read(files[i], &b);
		json_t *o = NULL;
		if (rc == 0)
			rc = recam_receipt_parse_text(b.data ? b.data : "", b.len, &o);
		recam_buf_free(&b);
		if (rc != 0) {
			failed = 1;
			o = recam_reader_error_json(rc);
		}
		json_object_set_new(o, "file", json_string(files[i]));
		char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4));
		json_decref(o);
		if (s)
			puts(s);
		free(s);
	}
	return failed;
}

static int usage(void)
{
	fprintf(stderr, "usage: recam read [--text] [--workers N] [--prep STEPS] [--langs L] [--timeout MS]\n"
			"                  [--reread-cpu MS] [--reread-work N] FILE...\n");
	return 2;
}

int cli_read(int argc, char **argv)
{
	recam_reader_limits lim;
	recam_reader_limits_default(&lim);
	int workers = 1, text = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		int64_t v;
		if (strcmp(argv[i], "--text") == 0) {
			text = 1;
		} else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
			if (recam_parse_i64(recam_str_c(argv[++i]), 1, 64, &v) != 0)
				return usage();
			workers = (int)v;
		} else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			if (recam_parse_i64(recam_str_c(argv[++i]), 100, 600000, &v) != 0)
				return usage();
			lim.timeout_ms = (int)v;
		} else if (strcmp(argv[i], "--reread-cpu") == 0 && i + 1 < argc) {
			if (recam_parse_i64(recam_str_c(argv[++i]), 0, 600000, &v) != 0)
				return usage();
			lim.reread_cpu_ms = (int)v;
			lim.uncropped_cpu_ms = (int)v / 2;
		} else if (strcmp(argv[i], "--reread-work") == 0 && i + 1 < argc) {
			if (recam_parse_i64(recam_str_c(argv[++i]), 0, 100000000, &v) != 0)
				return usage();
			lim.reread_work = lim.uncropped_work = (int)v;
		} else if (strcmp(argv[i], "--prep") == 0 && i + 1 < argc) {
			int s = recam_prep_parse_steps(argv[++i]);
			if (s < 0)
				return usage();
			lim.prep_steps = (unsigned)s;
		} else if (strcmp(argv[i], "--langs") == 0 && i + 1 < argc) {
			if (recam_strlcpy(lim.langs, argv[++i], sizeof(lim.langs)) != 0)
				return usage();
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			return usage();
		}
	}
	if (i >= argc)
		return usage();
	char **files = argv + i;
	int n = argc - i;
	if (text)
		return read_text(files, n);
	if (workers > n)
		workers = n;
	struct job j = {.files = files, .nfiles = n, .max_bytes = lim.image.max_bytes};
	pthread_mutex_init(&j.mu, NULL);
	j.out = calloc((size_t)n, sizeof(char *));
	if (j.out == NULL || recam_reader_pool_new(workers, &lim, &j.pool) != 0) {
		fprintf(stderr, "recam read: cannot start reader workers\n");
		free(j.out);
		return 1;
	}
	if (workers == 1) {
		/* stream: one line as soon as each image is read */
		for (int k = 0; k < n; k++) {
			int failed = 0;
			char *line = read_one(&j, files[k], &failed);
			j.failed |= failed;
			if (line)
				puts(line);
			else
				j.failed = 1;
			fflush(stdout);
			free(line);
		}
	} else {
		pthread_t th[64];
		for (int k = 0; k < workers; k++)
			pthread_create(&th[k], NULL, thread_main, &j);
		for (int k = 0; k < workers; k++)
			pthread_join(th[k], NULL);
		for (int k = 0; k < n; k++) {
			if (j.out[k])
				puts(j.out[k]);
			else
				j.failed = 1;
			free(j.out[k]);
		}
	}
	recam_reader_pool_free(j.pool);
	free(j.out);
	pthread_mutex_destroy(&j.mu);
	return j.failed ? 1 : 0;
}
