/* router.c — pattern matching over a static route table. */
#include "router.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

/* Next segment of s starting at *pos (which points after a '/'). */
static recam_str next_segment(recam_str s, size_t *pos)
{
	size_t start = *pos, i = start;
	while (i < s.n && s.p[i] != '/')
		i++;
	*pos = i < s.n ? i + 1 : i;
	return (recam_str){s.p + start, i - start};
}

static int pattern_match(const char *pattern, recam_str path, recam_params *params)
{
	recam_str pat = recam_str_c(pattern);
	if (path.n == 0 || path.p[0] != '/' || pat.n == 0 || pat.p[0] != '/')
		return 0;
	params->n = 0;
	size_t pp = 1, sp = 1;
	for (;;) {
		bool pat_done = pp >= pat.n, path_done = sp >= path.n;
		if (pat_done || path_done) {
			/* "/a/" matches only "/a/"; "/a" only "/a". */
			return pat_done && path_done && (pat.p[pat.n - 1] == '/') == (path.p[path.n - 1] == '/');
		}
		recam_str ps = next_segment(pat, &pp);
		if (ps.n >= 2 && ps.p[0] == '{' && ps.p[ps.n - 1] == '}') {
			bool rest = ps.n >= 3 && ps.p[ps.n - 2] == '*';
			recam_str name = {ps.p + 1, ps.n - (rest ? 3 : 2)};
			recam_str value;
			if (rest) {
				value = (recam_str){path.p + sp, path.n - sp};
				sp = path.n;
			} else {
				value = next_segment(path, &sp);
				if (value.n == 0)
					return 0;
			}
			if (params->n == RECAM_ROUTE_MAX_PARAMS)
				return 0;
			params->name[params->n] = name;
			params->value[params->n] = value;
			params->n++;
			if (rest)
				return value.n > 0;
			continue;
		}
		recam_str seg = next_segment(path, &sp);
		if (!recam_str_eq(ps, seg))
			return 0;
	}
}

/* Adds a method to the Allow list unless it is listed already (a HEAD
 * route and a GET route both bring HEAD) or does not fit whole. */
static void allow_add(char *allow, size_t allowlen, size_t *used, const char *method)
{
	size_t mlen = strlen(method);
	if (allowlen == 0)
		return;
	for (const char *p = allow; (p = strstr(p, method)) != NULL; p += mlen)
		if ((p == allow || p[-1] == ' ') && (p[mlen] == ',' || p[mlen] == '\0'))
			return;
	if (*used + mlen + 2 < allowlen)
		*used += (size_t)snprintf(allow + *used, allowlen - *used, "%s%s", *used ? ", " : "", method);
}

int recam_router_match(const recam_route *routes, size_t nroutes, enum recam_scope scope, recam_str method,
		       recam_str path, const recam_route **out, recam_params *params, char *allow, size_t allowlen)
{
	bool path_seen = false;
	size_t used = 0;
	if (allowlen > 0)
		allow[0] = '\0';
	bool head = recam_str_eqc(method, "HEAD");
	for (size_t i = 0; i < nroutes; i++) {
		const recam_route *r = &routes[i];
		recam_params tmp;
		if (r->scope != scope || !pattern_match(r->pattern, path, &tmp))
			continue;
		if (recam_str_eqc(method, r->method) || (head && strcmp(r->method, "GET") == 0)) {
			*out = r;
			*params = tmp;
			return 0;
		}
		path_seen = true;
		allow_add(allow, allowlen, &used, r->method);
		if (strcmp(r->method, "GET") == 0)
			allow_add(allow, allowlen, &used, "HEAD");
	}
	return path_seen ? RECAM_EMETHOD : RECAM_ENOTFOUND;
}

recam_str recam_params_get(const recam_params *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (recam_str_eqc(p->name[i], name))
			return p->value[i];
	return (recam_str){"", 0};
}

int recam_path_is_clean(recam_str path)
{
	if (path.n == 0 || path.p[0] != '/')
		return 0;
	size_t pos = 1;
	while (pos < path.n) {
		recam_str seg = next_segment(path, &pos);
		/* An empty segment here is always "//": a single trailing '/' ends
		 * the loop before it is read. */
		if (seg.n == 0 || recam_str_eqc(seg, ".") || recam_str_eqc(seg, ".."))
			return 0;
	}
	for (size_t i = 0; i < path.n; i++)
		if (path.p[i] == '\0' || path.p[i] == '\\')
			return 0;
	return 1;
}
