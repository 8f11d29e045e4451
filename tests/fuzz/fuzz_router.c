/* fuzz_router.c — libFuzzer target for the router and the clean-path check.
 *
 * Input: one flags byte, then "METHOD PATH" (the method ends at the first
 * space; everything after it, any bytes, is the path). Flags bit 0 picks
 * the scope, bits 1..7 the size of the Allow buffer.
 *
 * Checked on every input, against small reference implementations written
 * from router.h rather than from router.c:
 *  - recam_path_is_clean agrees with the reference clean-path rules;
 *  - recam_router_match picks the route the reference picks (first route
 *    of the scope whose pattern matches and whose method is the request's,
 *    HEAD answered by GET), with the same parameters, each a slice inside
 *    the path and its name a slice inside the pattern;
 *  - substituting the parameters back into the pattern gives the path;
 *  - on a clean path no parameter carries ".", "..", an empty segment, a
 *    NUL or a backslash (what the gate relies on before static files);
 *  - the Allow list is NUL-terminated inside its buffer, made of whole
 *    methods of the matching routes, each once, in table order, and
 *    complete whenever it fits; it is empty for 404;
 *  - the tenant-relative path the gate derives from a clean /t/{slug}/...
 *    is itself clean.
 * Any disagreement aborts, so libFuzzer reports it with the input. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int h(struct recam_req *r)
{
	(void)r;
	return 0;
}

#define P RECAM_SCOPE_PLATFORM
#define T RECAM_SCOPE_TENANT
#define R(m, pat, sc) {.method = (m), .pattern = (pat), .scope = (sc), .access = RECAM_ACCESS_PUBLIC, .handler = h}

static const recam_route routes[] = {
	R("GET", "/", P),
	R("GET", "/healthz", P),
	R("GET", "/metrics", P),
	R("GET", "/ops/api/tenants", P),
	R("POST", "/ops/api/tenants", P),
	R("GET", "/ops/api/tenants/{id}", P),
	R("DELETE", "/ops/api/tenants/{id}", P),
	R("PATCH", "/ops/api/tenants/{id}/users/{uid}", P),
	R("GET", "/static/{path*}", P),
	R("GET", "/files/{dir}/{rest*}", P),
	R("PUT", "/dir/", P),
	R("PUT", "/a/{x}/", P),
	R("HEAD", "/probe", P),
	R("GET", "/probe", P),
	R("OPTIONS", "/{any}", P),
	R("GET", "/", T),
	R("GET", "/api/info", T),
	R("GET", "/api/campaigns/{c}", T),
	R("PUT", "/api/campaigns/{c}", T),
	R("DELETE", "/api/campaigns/{c}", T),
	R("POST", "/api/campaigns/{c}/entries", T),
	R("GET", "/api/campaigns/{c}/entries/{e}/receipts/{r}", T),
	R("GET", "/static/{path*}", T),
	R("GET", "/blobs/{id}/{rest*}", T),
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

#define CHECK(cond)                                                                                                    \
	do {                                                                                                           \
		if (!(cond)) {                                                                                         \
			fprintf(stderr, "fuzz_router: %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);         \
			abort();                                                                                       \
		}                                                                                                      \
	} while (0)

/* ---- reference clean-path rules (router.h: no empty, "." or ".."
 * segment, no NUL or backslash; a single trailing '/' is not a segment) */
static bool ref_clean(const char *p, size_t n)
{
	if (n == 0 || p[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\0' || p[i] == '\\')
			return false;
	size_t i = 1;
	while (i < n) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		size_t len = j - i;
		if (len == 0)
			return false; /* "//": the trailing '/' never starts a segment here */
		if ((len == 1 && p[i] == '.') || (len == 2 && p[i] == '.' && p[i + 1] == '.'))
			return false;
		i = j + 1;
	}
	return true;
}

/* ---- reference pattern matcher, on segment lists */
struct seg {
	const char *p;
	size_t n;
};

#define MAXSEG 512

/* Segments after the leading '/': "/" -> [""], "/a/" -> ["a", ""]. Only
 * the first MAXSEG are kept (patterns are far shorter); all are counted. */
static size_t split(const char *p, size_t n, struct seg *out)
{
	size_t k = 0, i = 1;
	for (;;) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		if (k < MAXSEG)
			out[k] = (struct seg){p + i, j - i};
		k++;
		if (j >= n)
			break;
		i = j + 1;
	}
	return k;
}

static bool ref_match(const char *pattern, const char *path, size_t n, recam_params *pr)
{
	static struct seg ps[MAXSEG], ss[MAXSEG];
	size_t pn = strlen(pattern);
	pr->n = 0;
	if (n == 0 || path[0] != '/')
		return false;
	size_t np = split(pattern, pn, ps), ns = split(path, n, ss);
	for (size_t i = 0; i < np; i++) {
		struct seg s = ps[i];
		bool param = s.n >= 2 && s.p[0] == '{' && s.p[s.n - 1] == '}';
		bool rest = param && s.n >= 3 && s.p[s.n - 2] == '*';
		if (rest) {
			if (i >= ns)
				return false;
			recam_str v = {ss[i].p, (size_t)(path + n - ss[i].p)};
			if (v.n == 0 || pr->n == RECAM_ROUTE_MAX_PARAMS)
				return false;
			pr->name[pr->n] = (recam_str){s.p + 1, s.n - 3};
			pr->value[pr->n++] = v;
			return true;
		}
		if (i >= ns)
			return false;
		if (param) {
			if (ss[i].n == 0 || pr->n == RECAM_ROUTE_MAX_PARAMS)
				return false;
			pr->name[pr->n] = (recam_str){s.p + 1, s.n - 2};
			pr->value[pr->n++] = (recam_str){ss[i].p, ss[i].n};
		} else if (s.n != ss[i].n || memcmp(s.p, ss[i].p, s.n) != 0) {
			return false;
		}
	}
	return np == ns;
}

static bool inside(recam_str s, const char *base, size_t n)
{
	return s.p >= base && s.n <= n && s.p + s.n <= base + n;
}

static bool str_is(recam_str s, const char *c) { return s.n == strlen(c) && memcmp(s.p, c, s.n) == 0; }

/* Rebuilds the path from the pattern and the parameters. */
static void check_rebuild(const char *pattern, const recam_params *pr, const char *path, size_t n)
{
	static char out[1 << 16];
	size_t o = 0;
	int k = 0;
	for (const char *p = pattern; *p;) {
		if (*p == '{' && (p == pattern || p[-1] == '/')) {
			const char *close = strchr(p, '}');
			if (close && (close[1] == '/' || close[1] == '\0')) {
				CHECK(k < pr->n);
				recam_str v = pr->value[k++];
				CHECK(o + v.n <= sizeof(out));
				memcpy(out + o, v.p, v.n);
				o += v.n;
				p = close + 1;
				continue;
			}
		}
		CHECK(o < sizeof(out));
		out[o++] = *p++;
	}
	CHECK(k == pr->n);
	CHECK(o == n && memcmp(out, path, n) == 0);
}

/* What the gate relies on once a clean path has matched. */
static void check_clean_params(const recam_params *pr)
{
	for (int i = 0; i < pr->n; i++) {
		recam_str v = pr->value[i];
		CHECK(v.n > 0);
		CHECK(memchr(v.p, '\0', v.n) == NULL && memchr(v.p, '\\', v.n) == NULL);
		size_t s = 0;
		while (s <= v.n) {
			size_t e = s;
			while (e < v.n && v.p[e] != '/')
				e++;
			recam_str seg = {v.p + s, e - s};
			CHECK(!str_is(seg, ".") && !str_is(seg, ".."));
			CHECK(seg.n > 0 || e == v.n); /* only a trailing '/' leaves an empty tail */
			s = e + 1;
		}
	}
}

/* Allow list: whole methods, each once, in table order; complete if it fits. */
static void check_allow(const char *allow, size_t allowlen, const char *expected)
{
	if (allowlen == 0)
		return;
	size_t n = strnlen(allow, allowlen);
	CHECK(n < allowlen);
	size_t full = strlen(expected);
	if (full + 2 < allowlen) {
		CHECK(strcmp(allow, expected) == 0);
		return;
	}
	/* Cut short: each listed method is one of the expected, in order, once. */
	const char *e = expected;
	const char *a = allow;
	while (*a) {
		size_t m = strcspn(a, ",");
		bool found = false;
		while (*e) {
			size_t em = strcspn(e, ",");
			bool same = em == m && memcmp(a, e, m) == 0;
			e += em;
			if (*e == ',')
				e += 2;
			if (same) {
				found = true;
				break;
			}
		}
		CHECK(found);
		a += m;
		if (*a == ',') {
			CHECK(a[1] == ' ' && a[2] != '\0');
			a += 2;
		}
	}
}

static void add_method(char *list, size_t cap, const char *m)
{
	size_t ml = strlen(m);
	for (const char *p = list; (p = strstr(p, m)) != NULL; p += ml)
		if ((p == list || p[-1] == ' ') && (p[ml] == ',' || p[ml] == '\0'))
			return;
	size_t n = strlen(list);
	snprintf(list + n, cap - n, "%s%s", n ? ", " : "", m);
}

static void check_match(enum recam_scope scope, const char *method, size_t mlen, const char *path, size_t n,
			size_t allowlen)
{
	recam_str ms = {method, mlen}, pathstr = {path, n};
	bool head = str_is(ms, "HEAD");
	/* The reference decision. */
	int want = -1;
	recam_params want_params = {0};
	char expected_allow[256] = "";
	bool path_seen = false;
	for (size_t i = 0; i < NROUTES && want < 0; i++) {
		recam_params pr;
		if (routes[i].scope != scope || !ref_match(routes[i].pattern, path, n, &pr))
			continue;
		if (str_is(ms, routes[i].method) || (head && strcmp(routes[i].method, "GET") == 0)) {
			want = (int)i;
			want_params = pr;
			break;
		}
		path_seen = true;
		add_method(expected_allow, sizeof(expected_allow), routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			add_method(expected_allow, sizeof(expected_allow), "HEAD");
	}
	/* The router's decision, with canaries around the Allow buffer. */
	char allowbuf[130];
	memset(allowbuf, 0x5a, sizeof(allowbuf));
	char *allow = allowbuf + 1;
	const recam_route *out = NULL;
	recam_params params;
	memset(&params, 0xa5, sizeof(params));
	int rc = recam_router_match(routes, NROUTES, scope, ms, pathstr, &out, &params, allow, allowlen);
	CHECK((unsigned char)allowbuf[0] == 0x5a && (unsigned char)allow[allowlen] == 0x5a);
	if (want >= 0) {
		CHECK(rc == 0);
		CHECK(out == &routes[want]);
		CHECK(out->scope == scope);
		CHECK(params.n == want_params.n);
		for (int i = 0; i < params.n; i++) {
			CHECK(params.value[i].p == want_params.value[i].p && params.value[i].n == want_params.value[i].n);
			CHECK(params.name[i].n == want_params.name[i].n &&
			      memcmp(params.name[i].p, want_params.name[i].p, params.name[i].n) == 0);
			CHECK(inside(params.value[i], path, n));
			CHECK(inside(params.name[i], out->pattern, strlen(out->pattern)));
			recam_str got = recam_params_get(&params, "nonexistent-name");
			CHECK(got.n == 0);
		}
		check_rebuild(out->pattern, &params, path, n);
		if (ref_clean(path, n))
			check_clean_params(&params);
		return;
	}
	CHECK(rc == (path_seen ? RECAM_EMETHOD : RECAM_ENOTFOUND));
	if (rc == RECAM_ENOTFOUND && allowlen > 0)
		CHECK(allow[0] == '\0');
	if (rc == RECAM_EMETHOD)
		check_allow(allow, allowlen, expected_allow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum recam_scope scope = (data[0] & 1) ? RECAM_SCOPE_TENANT : RECAM_SCOPE_PLATFORM;
	size_t allowlen = (data[0] >> 1) & 0x7f; /* 0..127; the server uses 64 */
	data++;
	size--;
	const uint8_t *sp = memchr(data, ' ', size);
	size_t mlen = sp ? (size_t)(sp - data) : 0;
	size_t off = sp ? mlen + 1 : 0;
	/* Exact-size copies: reading one byte past either is an ASan report. */
	char *method = malloc(mlen ? mlen : 1);
	char *path = malloc(size - off ? size - off : 1);
	if (method == NULL || path == NULL)
		abort();
	memcpy(method, data, mlen);
	size_t n = size - off;
	memcpy(path, data + off, n);

	recam_str ps = {path, n};
	int clean = recam_path_is_clean(ps);
	CHECK(clean == 0 || clean == 1);
	CHECK((clean == 1) == ref_clean(path, n));

	check_match(scope, method, mlen, path, n, allowlen);
	/* The other scope too: a path never matches a route of another scope. */
	check_match(scope == RECAM_SCOPE_TENANT ? RECAM_SCOPE_PLATFORM : RECAM_SCOPE_TENANT, method, mlen, path, n,
		    allowlen);

	/* The gate's split of /t/{slug}/rest: the rest of a clean URL is clean. */
	if (clean && n > 3 && memcmp(path, "/t/", 3) == 0) {
		const char *end = memchr(path + 3, '/', n - 3);
		recam_str rel = end ? (recam_str){end, n - (size_t)(end - path)} : RECAM_STR_LIT("/");
		CHECK(recam_path_is_clean(rel));
		check_match(RECAM_SCOPE_TENANT, method, mlen, rel.p, rel.n, allowlen);
	}
	free(method);
	free(path);
	return 0;
}
