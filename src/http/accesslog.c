/* accesslog.c — daily access-log files with enforced retention. */
#include "accesslog.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "core/log.h"
#include "core/str.h"

struct recam_accesslog {
	pthread_mutex_t mu;
	char dir[1024];
	int retention_days;
	char day[16]; /* the day of the open file */
	FILE *f;
};

static int open_day(recam_accesslog *l, const char *day)
{
	char path[1100];
	snprintf(path, sizeof(path), "%s/access-%s.log", l->dir, day);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return RECAM_EIO;
	FILE *f = fdopen(fd, "a");
	if (f == NULL) {
		close(fd);
		return RECAM_EIO;
	}
	if (l->f)
		fclose(l->f);
	l->f = f;
	recam_strlcpy(l->day, day, sizeof(l->day));
	return 0;
}

int recam_accesslog_open(const char *dir, int retention_days, recam_accesslog **out)
{
	recam_accesslog *l = calloc(1, sizeof(*l));
	if (l == NULL)
		return RECAM_ENOMEM;
	pthread_mutex_init(&l->mu, NULL);
	l->retention_days = retention_days;
	int rc = recam_strlcpy(l->dir, dir, sizeof(l->dir));
	if (rc == 0)
		rc = recam_fs_mkdirs(dir, 0700);
	if (rc != 0) {
		recam_accesslog_close(l);
		return rc;
	}
	recam_accesslog_prune(l);
	*out = l;
	return 0;
}

/* Parses "access-YYYY-MM-DD.log" to the day's midnight UTC; -1 if not ours. */
static int64_t file_day(const char *name)
{
	int y, m, d;
	char tail[8];
	if (strlen(name) != strlen("access-2026-01-01.log") ||
	    sscanf(name, "access-%4d-%2d-%2d%7s", &y, &m, &d, tail) != 4 || strcmp(tail, ".log") != 0)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	return (int64_t)timegm(&tm);
}

int recam_accesslog_prune(recam_accesslog *l)
{
	DIR *d = opendir(l->dir);
	if (d == NULL)
		return RECAM_EIO;
	int64_t now = recam_clock_now();
	int64_t today = now - now % 86400;
	/* Keep today and the retention_days - 1 days before it. */
	int64_t oldest_kept = today - (int64_t)(l->retention_days - 1) * 86400;
	struct dirent *e;
	int removed = 0;
	while ((e = readdir(d)) != NULL) {
		int64_t day = file_day(e->d_name);
		if (day >= 0 && day < oldest_kept && unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	if (removed)
		recam_info("removed %d access-log files older than %d days", removed, l->retention_days);
	return removed;
}

/* A JSON string of a value the client chose (path, method): one that is
 * not UTF-8 is recorded as such, so the request is never dropped. */
/* Appends s as a JSON string. Whatever a client put in it is escaped; text
 * that is not UTF-8 is recorded as such rather than dropped, so a client
 * cannot hide a request from the log. Written by hand: this runs on every
 * request and jansson's build-then-dump cost more than the handler. */
static void put_string(recam_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (s == NULL || recam_utf8_check(s, strlen(s), RECAM_UTF8_CONTROLS) < 0)
		s = "(not UTF-8)";
	recam_buf_append(b, "\"", 1);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};
			recam_buf_append(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			recam_buf_append(b, esc, 6);
		} else {
			recam_buf_append(b, p, 1);
		}
	}
	recam_buf_append(b, "\"", 1);
}

void recam_accesslog_write(recam_accesslog *l, const struct recam_access_entry *e)
{
	int64_t now_ms = recam_clock_now_ms();
	char ts[32], day[16];
	recam_clock_format_rfc3339_ms(now_ms, ts, sizeof(ts));
	recam_clock_format_day(now_ms / 1000, day, sizeof(day));
	recam_buf b;
	recam_buf_init(&b, 64 * 1024);
	recam_buf_appendf(&b, "{\"time\":\"%s\",\"tenant\":", ts);
	put_string(&b, e->tenant);
	recam_buf_appends(&b, ",\"method\":");
	put_string(&b, e->method);
	recam_buf_appends(&b, ",\"path\":");
	put_string(&b, e->path);
	recam_buf_appendf(&b, ",\"status\":%d,\"bytes\":%llu,\"duration_ms\":%.3f,\"client\":", e->status,
			  (unsigned long long)e->bytes, e->duration_ms);
	put_string(&b, e->client);
	recam_buf_appends(&b, ",\"rid\":");
	put_string(&b, e->rid);
	/* A path longer than the buffer leaves a cut line: not written. */
	if (recam_buf_append(&b, "}\n", 2) != 0) {
		recam_buf_free(&b);
		return;
	}
	char *line = b.data;
	pthread_mutex_lock(&l->mu);
	bool rotated = false;
	if (l->f == NULL || strcmp(day, l->day) != 0) {
		/* Also the first file after open: the server may have started the
		 * day before, and retention counts from the day written now. */
		rotated = strcmp(day, l->day) != 0;
		if (open_day(l, day) != 0)
			recam_error("cannot open access log in %s", l->dir);
	}
	if (l->f) {
		fwrite(line, 1, b.len, l->f);
		fflush(l->f);
	}
	pthread_mutex_unlock(&l->mu);
	recam_buf_free(&b);
	if (rotated)
		recam_accesslog_prune(l);
}

void recam_accesslog_close(recam_accesslog *l)
{
	if (l == NULL)
		return;
	if (l->f)
		fclose(l->f);
	pthread_mutex_destroy(&l->mu);
	free(l);
}
