/* unit_helpers.h — small helpers shared by the unit tests: a temporary
 * directory per test (removed afterwards), reading a file whole, moving
 * the clock to a chosen instant, and a store opened on a fresh data_dir.
 * Static functions only: each test file includes it once. */
#ifndef RECAM_UNIT_HELPERS_H
#define RECAM_UNIT_HELPERS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/fsutil.h"

/* A fresh directory under /tmp; the caller removes it with ut_rmtree. */
static inline void ut_mkdtemp(char out[64])
{
	snprintf(out, 64, "/tmp/recam-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(out), "mkdtemp failed");
}

static inline int ut_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void ut_rmtree(const char *dir)
{
	if (dir && dir[0])
		nftw(dir, ut_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whole file into a malloc'd, NUL-terminated string; NULL when absent. */
static inline char *ut_read_file(const char *path, size_t *len)
{
	recam_buf b;
	recam_buf_init(&b, 64u << 20);
	if (recam_fs_read(path, &b) != 0) {
		recam_buf_free(&b);
		return NULL;
	}
	if (b.data == NULL)
		recam_buf_append(&b, "", 0);
	return recam_buf_take(&b, len);
}

static inline void ut_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot create %s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

/* Entries of a directory other than "." and ".."; -1 when it is absent. */
static inline int ut_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Moves recam's clock so that "now" is unix_ms (plus the few ms the test
 * takes). Tests that call it reset the offset with ut_clock_reset. */
static inline void ut_clock_set(int64_t unix_ms)
{
	recam_clock_set_offset_ms(0);
	recam_clock_set_offset_ms(unix_ms - recam_clock_now_ms());
}

static inline void ut_clock_advance_s(int64_t seconds)
{
	recam_clock_set_offset_ms(recam_clock_offset_ms() + seconds * 1000);
}

static inline void ut_clock_reset(void) { recam_clock_set_offset_ms(0); }

/* Removes RECAM_* variables so the environment of whoever runs the tests
 * cannot change what a test sees. */
static inline void ut_clear_recam_env(void)
{
	extern char **environ;
	for (;;) {
		char name[128] = "";
		for (char **e = environ; e && *e; e++)
			if (strncmp(*e, "RECAM_", 6) == 0) {
				size_t n = strcspn(*e, "=");
				if (n < sizeof(name)) {
					memcpy(name, *e, n);
					name[n] = '\0';
				}
				break;
			}
		if (name[0] == '\0')
			return;
		unsetenv(name);
	}
}

/* Defaults with data_dir set to dir/data, as the store tests need. */
static inline void ut_config(recam_config *cfg, const char *dir)
{
	char err[256];
	ut_clear_recam_env();
	cr_assert_eq(recam_config_load(cfg, NULL, err, sizeof(err)), 0, "%s", err);
	char data[512];
	snprintf(data, sizeof(data), "%s/data", dir);
	cr_assert_eq(recam_config_set(cfg, "data_dir", data, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(recam_config_set(cfg, "db_busy_timeout_ms", "10000", err, sizeof(err)), 0, "%s", err);
}

#endif
