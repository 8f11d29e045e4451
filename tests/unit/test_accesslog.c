/* test_accesslog.c — daily access-log files: named by the UTC day, rotated
 * when the day changes, pruned after the retention (only files that are
 * ours), one valid JSON line per request whatever the client sent. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <sys/stat.h>

#include "core/log.h"
#include "http/accesslog.h"
#include "unit_helpers.h"

static char dir[64];
static char logs[128];

/* 2031-03-04T10:00:00Z */
#define DAY0_10H 1930384800000LL
#define DAY_MS 86400000LL

static void setup(void)
{
	recam_log_set_level(RECAM_LOG_WARN);
	ut_mkdtemp(dir);
	snprintf(logs, sizeof(logs), "%s/logs", dir);
}

static void teardown(void)
{
	ut_clock_reset();
	ut_rmtree(dir);
}

TestSuite(accesslog, .init = setup, .fini = teardown);

static struct recam_access_entry entry(const char *method, const char *path, int status)
{
	return (struct recam_access_entry){.tenant = "demo",
					   .method = method,
					   .path = path,
					   .status = status,
					   .bytes = 1234,
					   .duration_ms = 1.5,
					   .client = "192.0.2.1",
					   .rid = "0123456789abcdef"};
}

static char *log_file(const char *day, size_t *len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/access-%s.log", logs, day);
	return ut_read_file(path, len);
}

/* Splits a file into lines, checks each is one JSON object, returns them. */
static int parse_lines(const char *text, json_t **out, int max)
{
	int n = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		cr_assert_not_null(nl, "the last line has no newline");
		json_error_t e;
		json_t *j = json_loadb(p, (size_t)(nl - p), 0, &e);
		cr_assert_not_null(j, "line %d is not JSON: %s (%.*s)", n + 1, e.text, (int)(nl - p), p);
		cr_assert(json_is_object(j));
		cr_assert_lt(n, max);
		out[n++] = j;
		p = nl + 1;
	}
	return n;
}

static void free_lines(json_t **j, int n)
{
	for (int i = 0; i < n; i++)
		json_decref(j[i]);
}

Test(accesslog, lines_go_to_the_file_of_the_utc_day)
{
	ut_clock_set(DAY0_10H);
	recam_accesslog *l;
	cr_assert_eq(recam_accesslog_open(logs, 365, &l), 0);
	struct recam_access_entry e = entry("GET", "/t/demo/api/info", 200);
	recam_accesslog_write(l, &e);
	recam_accesslog_close(l);
	size_t len;
	char *text = log_file("2031-03-04", &len);
	cr_assert_not_null(text, "access-2031-03-04.log missing");
	json_t *j[4];
	int n = parse_lines(text, j, 4);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "method")), "GET");
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "path")), "/t/demo/api/info");
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "tenant")), "demo");
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "client")), "192.0.2.1");
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "rid")), "0123456789abcdef");
	cr_assert_eq(json_integer_value(json_object_get(j[0], "status")), 200);
	cr_assert_eq(json_integer_value(json_object_get(j[0], "bytes")), 1234);
	cr_assert_float_eq(json_real_value(json_object_get(j[0], "duration_ms")), 1.5, 1e-9);
	const char *ts = json_string_value(json_object_get(j[0], "time"));
	cr_assert_not_null(ts);
	cr_assert_eq(strncmp(ts, "2031-03-04T10:0", 15), 0, "%s", ts);
	cr_assert_eq(strlen(ts), 24, "%s", ts);
	cr_assert_eq(ts[23], 'Z');
	free_lines(j, n);
	free(text);
	/* Personal to the operator: not world-readable. */
	char path[256];
	struct stat st;
	snprintf(path, sizeof(path), "%s/access-2031-03-04.log", logs);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 077, 0);
}

Test(accesslog, a_new_file_starts_when_the_utc_day_changes)
{
	/* Ten seconds either side of midnight: a stalled machine stays on the right day. */
	ut_clock_set(DAY0_10H + 14 * 3600000LL - 10000); /* 23:59:50 */
	recam_accesslog *l;
	cr_assert_eq(recam_accesslog_open(logs, 365, &l), 0);
	struct recam_access_entry e = entry("GET", "/before-midnight", 200);
	recam_accesslog_write(l, &e);
	ut_clock_set(DAY0_10H + 14 * 3600000LL + 10000); /* 00:00:10 the next day */
	e = entry("GET", "/after-midnight", 200);
	recam_accesslog_write(l, &e);
	recam_accesslog_write(l, &e);
	recam_accesslog_close(l);
	size_t len;
	char *a = log_file("2031-03-04", &len);
	char *b = log_file("2031-03-05", &len);
	cr_assert_not_null(a);
	cr_assert_not_null(b, "no file for the new day");
	json_t *j[4];
	int n = parse_lines(a, j, 4);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "path")), "/before-midnight");
	free_lines(j, n);
	n = parse_lines(b, j, 4);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "path")), "/after-midnight");
	free_lines(j, n);
	free(a);
	free(b);
	cr_assert_eq(ut_count_entries(logs), 2);
}

static void touch(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", logs, name);
	ut_write_file(path, "{}\n", 3);
}

static bool exists(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", logs, name);
	return access(path, F_OK) == 0;
}

Test(accesslog, retention_deletes_only_old_files_named_like_ours)
{
	cr_assert_eq(recam_fs_mkdirs(logs, 0700), 0);
	/* Today is 2031-03-04; a retention of 3 days keeps 03-02..03-04. */
	const char *ours[] = {"access-2031-03-04.log", "access-2031-03-03.log", "access-2031-03-02.log",
			      "access-2031-03-01.log", "access-2031-02-28.log", "access-2030-12-31.log"};
	for (size_t i = 0; i < 6; i++)
		touch(ours[i]);
	const char *others[] = {"access-2020-01-01.log.gz", "access-2020-01-01.log~", "notes.txt",
				"access-20200101.log", "access-xxxx-xx-xx.log", "ACCESS-2020-01-01.log",
				"error-2020-01-01.log", "access-2020-01-01.txt"};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		touch(others[i]);
	ut_clock_set(DAY0_10H);
	recam_accesslog *l;
	cr_assert_eq(recam_accesslog_open(logs, 3, &l), 0);
	cr_assert(exists("access-2031-03-04.log"));
	cr_assert(exists("access-2031-03-03.log"));
	cr_assert(exists("access-2031-03-02.log"), "a file inside the retention was deleted");
	cr_assert_not(exists("access-2031-03-01.log"), "a file older than the retention was kept");
	cr_assert_not(exists("access-2031-02-28.log"));
	cr_assert_not(exists("access-2030-12-31.log"));
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		cr_assert(exists(others[i]), "%s is not ours and was deleted", others[i]);
	/* A day later the oldest kept file goes, when the log rotates. */
	ut_clock_set(DAY0_10H + DAY_MS);
	struct recam_access_entry e = entry("GET", "/", 200);
	recam_accesslog_write(l, &e);
	cr_assert(exists("access-2031-03-05.log"));
	cr_assert_not(exists("access-2031-03-02.log"), "rotation did not prune");
	cr_assert(exists("access-2031-03-03.log"));
	recam_accesslog_close(l);
}

Test(accesslog, a_retention_of_one_day_keeps_today)
{
	cr_assert_eq(recam_fs_mkdirs(logs, 0700), 0);
	touch("access-2031-03-04.log");
	touch("access-2031-03-03.log");
	ut_clock_set(DAY0_10H);
	recam_accesslog *l;
	cr_assert_eq(recam_accesslog_open(logs, 1, &l), 0);
	cr_assert(exists("access-2031-03-04.log"));
	cr_assert_not(exists("access-2031-03-03.log"));
	recam_accesslog_close(l);
}

Test(accesslog, hostile_paths_stay_one_valid_line_each)
{
	ut_clock_set(DAY0_10H);
	recam_accesslog *l;
	cr_assert_eq(recam_accesslog_open(logs, 365, &l), 0);
	const char *paths[] = {
		"/a\"b\"c",
		"/line\nbreak\r\nfake={\"status\":200}",
		"/back\\slash",
		"/ctl\x01\x1f\x7f",
		"/\xff\xfe not utf-8",
		"/\xc0\xaf overlong",
		"/日本語/パス",
		"/</script><script>alert(1)</script>",
	};
	const size_t np = sizeof(paths) / sizeof(paths[0]);
	for (size_t i = 0; i < np; i++) {
		struct recam_access_entry e = entry("GET", paths[i], 404);
		recam_accesslog_write(l, &e);
	}
	recam_accesslog_close(l);
	size_t len;
	char *text = log_file("2031-03-04", &len);
	json_t *j[16];
	int n = parse_lines(text, j, 16);
	cr_assert_eq(n, (int)np, "%d lines for %zu requests", n, np);
	/* Valid UTF-8 comes back exactly; the rest is marked, not dropped. */
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "path")), paths[0]);
	cr_assert_str_eq(json_string_value(json_object_get(j[1], "path")), paths[1]);
	cr_assert_str_eq(json_string_value(json_object_get(j[2], "path")), paths[2]);
	cr_assert_str_eq(json_string_value(json_object_get(j[3], "path")), paths[3]);
	cr_assert_not_null(json_string_value(json_object_get(j[4], "path")));
	cr_assert_not_null(json_string_value(json_object_get(j[5], "path")));
	cr_assert_str_eq(json_string_value(json_object_get(j[6], "path")), paths[6]);
	cr_assert_str_eq(json_string_value(json_object_get(j[7], "path")), paths[7]);
	for (int i = 0; i < n; i++)
		cr_assert_eq(json_integer_value(json_object_get(j[i], "status")), 404);
	free_lines(j, n);
	free(text);
}

Test(accesslog, a_request_with_a_non_utf8_method_is_still_logged)
{
	/* The method comes from the client too: a request must not vanish
	 * from the log because of the bytes it chose. */
	ut_clock_set(DAY0_10H);
	recam_accesslog *l;
	cr_assert_eq(recam_accesslog_open(logs, 365, &l), 0);
	struct recam_access_entry e = entry("G\xff" "T", "/admin", 405);
	recam_accesslog_write(l, &e);
	e = entry("GET", "/ok", 200);
	e.tenant = "\xfe";
	recam_accesslog_write(l, &e);
	recam_accesslog_close(l);
	size_t len;
	char *text = log_file("2031-03-04", &len);
	cr_assert_not_null(text, "nothing was logged");
	json_t *j[4];
	int n = parse_lines(text, j, 4);
	cr_assert_eq(n, 2, "a request was dropped from the access log");
	cr_assert_str_eq(json_string_value(json_object_get(j[0], "path")), "/admin");
	cr_assert_eq(json_integer_value(json_object_get(j[0], "status")), 405);
	cr_assert_str_eq(json_string_value(json_object_get(j[1], "path")), "/ok");
	free_lines(j, n);
	free(text);
}

struct writer_arg {
	recam_accesslog *l;
	int id;
};

static void *writer(void *arg)
{
	struct writer_arg *w = arg;
	char path[64];
	for (int i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "/thread/%d/request/%d/%s", w->id, i, "padding-padding-padding-padding");
		struct recam_access_entry e = entry("POST", path, 201);
		recam_accesslog_write(w->l, &e);
	}
	return NULL;
}

Test(accesslog, concurrent_writers_do_not_interleave_lines)
{
	ut_clock_set(DAY0_10H);
	recam_accesslog *l;
	cr_assert_eq(recam_accesslog_open(logs, 365, &l), 0);
	pthread_t th[4];
	struct writer_arg args[4];
	for (int i = 0; i < 4; i++) {
		args[i] = (struct writer_arg){l, i};
		pthread_create(&th[i], NULL, writer, &args[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	recam_accesslog_close(l);
	size_t len;
	char *text = log_file("2031-03-04", &len);
	static json_t *j[800];
	int n = parse_lines(text, j, 800);
	cr_assert_eq(n, 800);
	free_lines(j, n);
	free(text);
}
