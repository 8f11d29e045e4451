/* test_metrics.c — the Prometheus text exposition, read back line by line
 * the way a scraper reads it: HELP and TYPE before samples, valid labels,
 * no series twice, cumulative buckets, +Inf equal to the count. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/metrics.h"

static int h(struct recam_req *r)
{
	(void)r;
	return 0;
}

#define R(m, p, sc) {.method = (m), .pattern = (p), .scope = (sc), .access = RECAM_ACCESS_PUBLIC, .handler = h}

static const recam_route routes[] = {
	R("GET", "/healthz", RECAM_SCOPE_PLATFORM),
	R("GET", "/ops/api/tenants", RECAM_SCOPE_PLATFORM),
	R("POST", "/ops/api/tenants", RECAM_SCOPE_PLATFORM),
	R("GET", "/api/info", RECAM_SCOPE_TENANT),
};
#define NR (sizeof(routes) / sizeof(routes[0]))

#define MAX_SAMPLES 512

struct sample {
	char name[96];
	char labels[256]; /* as written, between the braces */
	double value;
};

struct family {
	char name[96];
	char type[16];
	bool help;
	int samples;
};

struct exposition {
	struct sample s[MAX_SAMPLES];
	int ns;
	struct family f[32];
	int nf;
};

static struct family *find_family(struct exposition *x, const char *name)
{
	for (int i = 0; i < x->nf; i++)
		if (strcmp(x->f[i].name, name) == 0)
			return &x->f[i];
	return NULL;
}

/* The family a sample belongs to: histograms add _bucket, _sum, _count. */
static struct family *family_of(struct exposition *x, const char *sample)
{
	struct family *f = find_family(x, sample);
	if (f)
		return f;
	static const char *suffixes[] = {"_bucket", "_sum", "_count"};
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(sample), k = strlen(suffixes[i]);
		if (n > k && strcmp(sample + n - k, suffixes[i]) == 0) {
			char base[96];
			snprintf(base, sizeof(base), "%.*s", (int)(n - k), sample);
			f = find_family(x, base);
			if (f && strcmp(f->type, "histogram") == 0)
				return f;
		}
	}
	return NULL;
}

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
}

/* Checks label syntax: name="value" pairs, escapes only \\ \" \n. */
static void check_labels(const char *l, const char *line)
{
	const char *p = l;
	while (*p) {
		cr_assert(name_char(*p, true), "bad label name in: %s", line);
		while (name_char(*p, false))
			p++;
		cr_assert_eq(*p, '=', "no '=' in: %s", line);
		p++;
		cr_assert_eq(*p, '"', "unquoted label value in: %s", line);
		p++;
		while (*p && *p != '"') {
			if (*p == '\\') {
				p++;
				cr_assert(*p == '\\' || *p == '"' || *p == 'n', "bad escape in: %s", line);
			}
			cr_assert_neq(*p, '\n');
			p++;
		}
		cr_assert_eq(*p, '"', "unterminated label value in: %s", line);
		p++;
		if (*p == ',')
			p++;
		else
			cr_assert_eq(*p, '\0', "junk after a label in: %s", line);
	}
}

/* Parses the whole text; fails the test on anything a scraper rejects. */
static void parse(const char *text, struct exposition *x)
{
	memset(x, 0, sizeof(*x));
	struct family *prev = NULL; /* family of the previous sample */
	const char *p = text;
	cr_assert_gt(strlen(text), 0);
	cr_assert_eq(text[strlen(text) - 1], '\n', "the exposition must end with a newline");
	while (*p) {
		const char *nl = strchr(p, '\n');
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		p = nl + 1;
		cr_assert_neq(line[0], '\0', "empty line");
		if (strncmp(line, "# HELP ", 7) == 0 || strncmp(line, "# TYPE ", 7) == 0) {
			char name[96];
			const char *rest = line + 7;
			size_t n = strcspn(rest, " ");
			cr_assert_gt(n, 0);
			snprintf(name, sizeof(name), "%.*s", (int)n, rest);
			struct family *f = find_family(x, name);
			if (f == NULL) {
				cr_assert_lt(x->nf, 32);
				f = &x->f[x->nf++];
				snprintf(f->name, sizeof(f->name), "%s", name);
			}
			/* A family's metadata comes before its samples. */
			cr_assert_eq(f->samples, 0, "%s metadata after its samples", name);
			if (line[2] == 'H') {
				cr_assert_not(f->help, "two HELP lines for %s", name);
				f->help = true;
			} else {
				cr_assert_str_eq(f->type, "", "two TYPE lines for %s", name);
				const char *t = rest + n + 1;
				cr_assert(strcmp(t, "counter") == 0 || strcmp(t, "gauge") == 0 || strcmp(t, "histogram") == 0,
					  "unknown type in: %s", line);
				snprintf(f->type, sizeof(f->type), "%s", t);
			}
			continue;
		}
		cr_assert_neq(line[0], '#', "unknown comment: %s", line);
		cr_assert_lt(x->ns, MAX_SAMPLES);
		struct sample *s = &x->s[x->ns++];
		size_t n = 0;
		while (name_char(line[n], n == 0))
			n++;
		cr_assert_gt(n, 0, "no metric name: %s", line);
		snprintf(s->name, sizeof(s->name), "%.*s", (int)n, line);
		const char *v = line + n;
		if (*v == '{') {
			const char *close = strstr(v, "} ");
			cr_assert_not_null(close, "labels not closed: %s", line);
			snprintf(s->labels, sizeof(s->labels), "%.*s", (int)(close - v - 1), v + 1);
			check_labels(s->labels, line);
			v = close + 1;
		}
		cr_assert_eq(*v, ' ', "no value: %s", line);
		char *end;
		s->value = strtod(v + 1, &end);
		cr_assert(end != v + 1 && *end == '\0', "bad value: %s", line);
		struct family *f = family_of(x, s->name);
		cr_assert_not_null(f, "sample before its HELP/TYPE: %s", line);
		cr_assert(f->help, "no HELP for %s", f->name);
		cr_assert_neq(f->type[0], '\0', "no TYPE for %s", f->name);
		/* A family's samples are one block. */
		cr_assert(f == prev || f->samples == 0, "samples of %s split by another family", f->name);
		f->samples++;
		prev = f;
		/* Each name and label set once (the format leaves duplicates
		 * undefined; Prometheus drops all but the first). */
		for (int i = 0; i < x->ns - 1; i++)
			cr_assert(strcmp(x->s[i].name, s->name) != 0 || strcmp(x->s[i].labels, s->labels) != 0,
				  "duplicate series: %s", line);
	}
}

static void render(recam_metrics *m, struct exposition *x)
{
	recam_buf b;
	recam_buf_init(&b, 1 << 20);
	struct recam_metrics_gauges g = {.in_flight = 3, .db_errors = 2, .queue_depth = 5, .workers_running = 1,
					 .start_time = 1893456000.5};
	cr_assert_eq(recam_metrics_render(m, &g, &b), 0);
	parse(b.data, x);
	recam_buf_free(&b);
}

static double value_of(struct exposition *x, const char *name, const char *labels)
{
	for (int i = 0; i < x->ns; i++)
		if (strcmp(x->s[i].name, name) == 0 && strcmp(x->s[i].labels, labels) == 0)
			return x->s[i].value;
	return NAN;
}

/* Per route label: buckets ascending by le, non-decreasing, +Inf = count. */
static void check_histograms(struct exposition *x)
{
	const char *name = "recam_http_request_duration_seconds";
	char bucket[96], count[96];
	snprintf(bucket, sizeof(bucket), "%s_bucket", name);
	snprintf(count, sizeof(count), "%s_count", name);
	int checked = 0;
	for (int i = 0; i < x->ns; i++) {
		if (strcmp(x->s[i].name, count) != 0)
			continue;
		const char *route = x->s[i].labels; /* route="..." */
		double last_le = -1, last_v = -1, inf = NAN;
		int nb = 0;
		for (int k = 0; k < x->ns; k++) {
			if (strcmp(x->s[k].name, bucket) != 0 || strncmp(x->s[k].labels, route, strlen(route)) != 0 ||
			    x->s[k].labels[strlen(route)] != ',')
				continue;
			const char *le = strstr(x->s[k].labels, "le=\"");
			cr_assert_not_null(le);
			le += 4;
			if (strncmp(le, "+Inf\"", 5) == 0) {
				inf = x->s[k].value;
				continue;
			}
			double lev = strtod(le, NULL);
			cr_assert_gt(lev, last_le, "buckets out of order for %s", route);
			cr_assert_geq(x->s[k].value, last_v, "bucket counts go down for %s", route);
			last_le = lev;
			last_v = x->s[k].value;
			nb++;
		}
		cr_assert_gt(nb, 0);
		cr_assert(!isnan(inf), "no +Inf bucket for %s", route);
		cr_assert_geq(inf, last_v);
		cr_assert_eq(inf, x->s[i].value, "+Inf differs from _count for %s", route);
		checked++;
	}
	cr_assert_gt(checked, 0);
}

Test(metrics, an_empty_registry_renders_a_valid_page)
{
	recam_metrics *m = recam_metrics_new(routes, NR);
	static struct exposition x;
	render(m, &x);
	cr_assert_eq(value_of(&x, "recam_http_requests_in_flight", ""), 3);
	cr_assert_eq(value_of(&x, "recam_db_errors_total", ""), 2);
	cr_assert_eq(value_of(&x, "recam_jobs_queued", ""), 5);
	cr_assert_eq(value_of(&x, "recam_workers_running", ""), 1);
	cr_assert_float_eq(value_of(&x, "process_start_time_seconds", ""), 1893456000.5, 1e-3);
	cr_assert_gt(value_of(&x, "process_resident_memory_bytes", ""), 0);
	recam_metrics_free(m);
}

Test(metrics, counts_by_route_method_and_status)
{
	recam_metrics *m = recam_metrics_new(routes, NR);
	for (int i = 0; i < 3; i++)
		recam_metrics_observe(m, 0, "GET", 200, 0.001);
	recam_metrics_observe(m, 0, "HEAD", 200, 0.001);
	recam_metrics_observe(m, 3, "GET", 404, 0.002);
	recam_metrics_observe(m, -1, "GET", 404, 0.0001);
	recam_metrics_observe(m, 99, "GET", 404, 0.0001);
	static struct exposition x;
	render(m, &x);
	cr_assert_eq(value_of(&x, "recam_http_requests_total", "route=\"/healthz\",method=\"GET\",status=\"200\""), 3);
	cr_assert_eq(value_of(&x, "recam_http_requests_total", "route=\"/healthz\",method=\"HEAD\",status=\"200\""), 1);
	cr_assert_eq(value_of(&x, "recam_http_requests_total", "route=\"/t/{tenant}/api/info\",method=\"GET\",status=\"404\""),
		     1);
	cr_assert_eq(value_of(&x, "recam_http_requests_total", "route=\"other\",method=\"GET\",status=\"404\""), 2,
		     "unmatched and out-of-range routes go to 'other'");
	cr_assert_eq(value_of(&x, "recam_http_request_duration_seconds_count", "route=\"/healthz\""), 4);
	check_histograms(&x);
	recam_metrics_free(m);
}

Test(metrics, buckets_are_cumulative_and_inf_equals_count)
{
	recam_metrics *m = recam_metrics_new(routes, NR);
	const double d[] = {0.0001, 0.0005, 0.003, 0.003, 0.2, 0.7, 3, 20, 100};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		recam_metrics_observe(m, 0, "GET", 200, d[i]);
	static struct exposition x;
	render(m, &x);
	check_histograms(&x);
	const char *r = "route=\"/healthz\"";
	char l[128];
	snprintf(l, sizeof(l), "%s,le=\"0.0005\"", r);
	cr_assert_eq(value_of(&x, "recam_http_request_duration_seconds_bucket", l), 2, "le is inclusive");
	snprintf(l, sizeof(l), "%s,le=\"0.005\"", r);
	cr_assert_eq(value_of(&x, "recam_http_request_duration_seconds_bucket", l), 4);
	snprintf(l, sizeof(l), "%s,le=\"10\"", r);
	cr_assert_eq(value_of(&x, "recam_http_request_duration_seconds_bucket", l), 7);
	snprintf(l, sizeof(l), "%s,le=\"+Inf\"", r);
	cr_assert_eq(value_of(&x, "recam_http_request_duration_seconds_bucket", l), 9);
	cr_assert_float_eq(value_of(&x, "recam_http_request_duration_seconds_sum", r), 123.9066, 1e-6);
	recam_metrics_free(m);
}

Test(metrics, unknown_methods_fold_to_other)
{
	recam_metrics *m = recam_metrics_new(routes, NR);
	const char *methods[] = {"BREW", "get", "", "PROPFIND", "G\"ET", "X\nY", "\xff\xfe", "GET"};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		recam_metrics_observe(m, -1, methods[i], 405, 0.001);
	static struct exposition x;
	render(m, &x);
	cr_assert_eq(value_of(&x, "recam_http_requests_total", "route=\"other\",method=\"OTHER\",status=\"405\""), 7);
	cr_assert_eq(value_of(&x, "recam_http_requests_total", "route=\"other\",method=\"GET\",status=\"405\""), 1);
	for (int i = 0; i < x.ns; i++) {
		const char *mth = strstr(x.s[i].labels, "method=\"");
		if (mth == NULL)
			continue;
		mth += 8;
		bool known = false;
		const char *ok[] = {"GET\"", "HEAD\"", "POST\"", "PUT\"", "PATCH\"", "DELETE\"", "OPTIONS\"", "OTHER\""};
		for (int k = 0; k < 8; k++)
			known |= strncmp(mth, ok[k], strlen(ok[k])) == 0;
		cr_assert(known, "a client-chosen method became a label: %s", x.s[i].labels);
	}
	recam_metrics_free(m);
}

Test(metrics, many_statuses_cannot_grow_the_series_without_bound)
{
	recam_metrics *m = recam_metrics_new(routes, NR);
	for (int st = 100; st < 600; st++)
		recam_metrics_observe(m, 0, "GET", st, 0.001);
	static struct exposition x;
	render(m, &x);
	int series = 0;
	double total = 0;
	for (int i = 0; i < x.ns; i++)
		if (strcmp(x.s[i].name, "recam_http_requests_total") == 0) {
			series++;
			total += x.s[i].value;
		}
	cr_assert_leq(series, 20);
	cr_assert_eq(total, 500, "requests were lost");
	check_histograms(&x);
	recam_metrics_free(m);
}

Test(metrics, routes_sharing_a_pattern_do_not_duplicate_series)
{
	/* GET and POST /ops/api/tenants are two routes with one pattern. */
	recam_metrics *m = recam_metrics_new(routes, NR);
	recam_metrics_observe(m, 1, "GET", 200, 0.01);
	recam_metrics_observe(m, 2, "POST", 201, 0.02);
	recam_metrics_observe(m, 2, "POST", 201, 0.03);
	static struct exposition x;
	render(m, &x); /* fails on a duplicate series */
	cr_assert_eq(value_of(&x, "recam_http_requests_total", "route=\"/ops/api/tenants\",method=\"GET\",status=\"200\""),
		     1);
	cr_assert_eq(value_of(&x, "recam_http_requests_total", "route=\"/ops/api/tenants\",method=\"POST\",status=\"201\""),
		     2);
	cr_assert_eq(value_of(&x, "recam_http_request_duration_seconds_count", "route=\"/ops/api/tenants\""), 3);
	check_histograms(&x);
	recam_metrics_free(m);
}

Test(metrics, an_unreadable_queue_depth_is_left_out)
{
	recam_metrics *m = recam_metrics_new(routes, NR);
	recam_buf b;
	recam_buf_init(&b, 1 << 20);
	struct recam_metrics_gauges g = {.queue_depth = -1};
	cr_assert_eq(recam_metrics_render(m, &g, &b), 0);
	cr_assert_null(strstr(b.data, "recam_jobs_queued"));
	static struct exposition x;
	parse(b.data, &x);
	recam_buf_free(&b);
	recam_metrics_free(m);
}

Test(metrics, a_too_small_output_buffer_is_an_error_not_a_cut_page)
{
	recam_metrics *m = recam_metrics_new(routes, NR);
	recam_metrics_observe(m, 0, "GET", 200, 0.001);
	recam_buf b;
	recam_buf_init(&b, 256);
	struct recam_metrics_gauges g = {0};
	cr_assert_neq(recam_metrics_render(m, &g, &b), 0);
	recam_buf_free(&b);
	recam_metrics_free(m);
}
