/* test_router.c — route matching, parameters, scopes, 405 with Allow,
 * and the clean-path check the gate runs before any route. */
#include <criterion/criterion.h>
#include <string.h>

#include "api/api.h"
#include "core/error.h"
#include "http/router.h"

static int h(struct recam_req *r)
{
	(void)r;
	return 0;
}

#define P RECAM_SCOPE_PLATFORM
#define T RECAM_SCOPE_TENANT
#define PUB RECAM_ACCESS_PUBLIC
#define R(m, pat, sc) {.method = (m), .pattern = (pat), .scope = (sc), .access = PUB, .handler = h}

static const recam_route routes[] = {
	R("GET", "/healthz", P), /* 0 */
	R("GET", "/ops/api/tenants", P), /* 1 */
	R("POST", "/ops/api/tenants", P), /* 2 */
	R("GET", "/ops/api/tenants/{id}", P), /* 3 */
	R("DELETE", "/ops/api/tenants/{id}", P), /* 4 */
	R("GET", "/static/{path*}", P), /* 5 */
	R("GET", "/", P), /* 6 */
	R("GET", "/dir/", P), /* 7 */
	R("GET", "/", T), /* 8 */
	R("GET", "/api/campaigns/{c}/entries/{e}", T), /* 9 */
	R("PUT", "/api/campaigns/{c}/entries/{e}", T), /* 10 */
	R("GET", "/api/info", T), /* 11 */
};
#define NR (sizeof(routes) / sizeof(routes[0]))

struct m {
	int rc;
	int index;
	recam_params params;
	char allow[64];
};

static struct m match_in(enum recam_scope scope, const char *method, const char *path)
{
	struct m r = {.index = -1};
	const recam_route *out = NULL;
	memset(r.allow, 'X', sizeof(r.allow));
	r.rc = recam_router_match(routes, NR, scope, recam_str_c(method), recam_str_c(path), &out, &r.params, r.allow,
				  sizeof(r.allow));
	if (r.rc == 0)
		r.index = (int)(out - routes);
	return r;
}

static struct m match(const char *method, const char *path) { return match_in(P, method, path); }

static bool param_is(const recam_params *p, const char *name, const char *value)
{
	return recam_str_eqc(recam_params_get(p, name), value);
}

Test(router, literal_routes_match_exactly)
{
	cr_assert_eq(match("GET", "/healthz").index, 0);
	cr_assert_eq(match("GET", "/").index, 6);
	cr_assert_eq(match("GET", "/healthz/").rc, RECAM_ENOTFOUND);
	cr_assert_eq(match("GET", "/healthzz").rc, RECAM_ENOTFOUND);
	cr_assert_eq(match("GET", "/Healthz").rc, RECAM_ENOTFOUND);
	cr_assert_eq(match("GET", "healthz").rc, RECAM_ENOTFOUND);
	cr_assert_eq(match("GET", "").rc, RECAM_ENOTFOUND);
}

Test(router, a_trailing_slash_is_part_of_the_route)
{
	cr_assert_eq(match("GET", "/dir/").index, 7);
	cr_assert_eq(match("GET", "/dir").rc, RECAM_ENOTFOUND);
	cr_assert_eq(match("GET", "/ops/api/tenants/").rc, RECAM_ENOTFOUND);
}

Test(router, a_named_parameter_takes_one_non_empty_segment)
{
	struct m r = match("GET", "/ops/api/tenants/abc123");
	cr_assert_eq(r.index, 3);
	cr_assert_eq(r.params.n, 1);
	cr_assert(param_is(&r.params, "id", "abc123"));
	cr_assert_eq(match("GET", "/ops/api/tenants/a/b").rc, RECAM_ENOTFOUND);
	cr_assert_eq(match("GET", "/ops/api/tenants//").rc, RECAM_ENOTFOUND);
}

Test(router, parameters_are_slices_of_the_path)
{
	const char *path = "/api/campaigns/c-42/entries/e-7";
	const recam_route *out;
	recam_params p;
	char allow[32];
	cr_assert_eq(recam_router_match(routes, NR, T, recam_str_c("GET"), recam_str_c(path), &out, &p, allow,
					sizeof(allow)),
		     0);
	cr_assert_eq(p.n, 2);
	cr_assert(param_is(&p, "c", "c-42"));
	cr_assert(param_is(&p, "e", "e-7"));
	for (int i = 0; i < p.n; i++) {
		cr_assert_geq(p.value[i].p, path);
		cr_assert_leq(p.value[i].p + p.value[i].n, path + strlen(path));
	}
	cr_assert_eq(recam_params_get(&p, "nope").n, 0);
}

Test(router, a_rest_parameter_takes_the_rest_with_slashes)
{
	struct m r = match("GET", "/static/css/app.css");
	cr_assert_eq(r.index, 5);
	cr_assert(param_is(&r.params, "path", "css/app.css"));
	r = match("GET", "/static/a");
	cr_assert(param_is(&r.params, "path", "a"));
	r = match("GET", "/static/dir/");
	cr_assert(param_is(&r.params, "path", "dir/"));
	/* The rest must not be empty. */
	cr_assert_eq(match("GET", "/static/").rc, RECAM_ENOTFOUND);
	cr_assert_eq(match("GET", "/static").rc, RECAM_ENOTFOUND);
}

Test(router, head_is_answered_by_get_routes)
{
	cr_assert_eq(match("HEAD", "/healthz").index, 0);
	cr_assert_eq(match("HEAD", "/static/x.js").index, 5);
}

Test(router, a_known_path_with_another_method_gives_405_and_allow)
{
	struct m r = match("PATCH", "/ops/api/tenants");
	cr_assert_eq(r.rc, RECAM_EMETHOD);
	cr_assert_str_eq(r.allow, "GET, HEAD, POST");
	r = match("POST", "/ops/api/tenants/x");
	cr_assert_eq(r.rc, RECAM_EMETHOD);
	cr_assert_str_eq(r.allow, "GET, HEAD, DELETE");
	r = match("POST", "/healthz");
	cr_assert_str_eq(r.allow, "GET, HEAD");
	/* Methods are case-sensitive tokens. */
	cr_assert_eq(match("get", "/healthz").rc, RECAM_EMETHOD);
}

Test(router, an_unknown_path_gives_404_and_an_empty_allow)
{
	struct m r = match("GET", "/nope");
	cr_assert_eq(r.rc, RECAM_ENOTFOUND);
	cr_assert_str_eq(r.allow, "");
}

Test(router, allow_lists_each_method_once_even_with_an_explicit_head_route)
{
	static const recam_route rs[] = {
		R("HEAD", "/x", P),
		R("GET", "/x", P),
		R("GET", "/{any}", P),
		R("POST", "/x", P),
		R("POST", "/{any}", P),
	};
	const recam_route *out;
	recam_params p;
	char allow[64];
	cr_assert_eq(recam_router_match(rs, 5, P, recam_str_c("PUT"), recam_str_c("/x"), &out, &p, allow, sizeof(allow)),
		     RECAM_EMETHOD);
	cr_assert_str_eq(allow, "HEAD, GET, POST");
}

Test(router, a_small_allow_buffer_holds_whole_methods_only)
{
	for (size_t len = 0; len <= 20; len++) {
		char allow[24];
		memset(allow, 'Z', sizeof(allow));
		const recam_route *out;
		recam_params p;
		int rc = recam_router_match(routes, NR, P, recam_str_c("PUT"), recam_str_c("/ops/api/tenants"), &out, &p,
					    allow, len);
		cr_assert_eq(rc, RECAM_EMETHOD);
		cr_assert_eq(allow[len], 'Z', "wrote past %zu bytes", len);
		if (len == 0)
			continue;
		cr_assert_lt(strlen(allow), len);
		/* What is there is a prefix of the whole list ending at a method. */
		const char *full = "GET, HEAD, POST";
		size_t n = strlen(allow);
		cr_assert_eq(strncmp(allow, full, n), 0, "'%s'", allow);
		cr_assert(n == 0 || full[n] == '\0' || full[n] == ',', "cut inside a method: '%s'", allow);
	}
}

Test(router, scopes_are_separate)
{
	cr_assert_eq(match_in(T, "GET", "/").index, 8);
	cr_assert_eq(match_in(T, "GET", "/healthz").rc, RECAM_ENOTFOUND);
	cr_assert_eq(match_in(P, "GET", "/api/info").rc, RECAM_ENOTFOUND);
	struct m r = match_in(T, "DELETE", "/api/campaigns/1/entries/2");
	cr_assert_eq(r.rc, RECAM_EMETHOD);
	cr_assert_str_eq(r.allow, "GET, HEAD, PUT");
}

Test(router, more_parameters_than_the_maximum_never_match)
{
	static const recam_route rs[] = {
		R("GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", P),
		R("GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", P),
	};
	const recam_route *out = NULL;
	recam_params p;
	char allow[8];
	cr_assert_eq(recam_router_match(rs, 2, P, recam_str_c("GET"), recam_str_c("/1/2/3/4/5/6/7/8/9"), &out, &p, allow,
					sizeof(allow)),
		     RECAM_ENOTFOUND);
	cr_assert_eq(recam_router_match(rs, 2, P, recam_str_c("GET"), recam_str_c("/1/2/3/4/5/6/7/8"), &out, &p, allow,
					sizeof(allow)),
		     0);
	cr_assert_eq(p.n, RECAM_ROUTE_MAX_PARAMS);
	cr_assert(param_is(&p, "h", "8"));
}

Test(router, a_path_is_only_read_up_to_its_length)
{
	const char buf[] = "/healthzGARBAGE";
	const recam_route *out;
	recam_params p;
	char allow[8];
	cr_assert_eq(recam_router_match(routes, NR, P, recam_str_c("GET"), (recam_str){buf, 8}, &out, &p, allow,
					sizeof(allow)),
		     0);
	cr_assert_eq(out, &routes[0]);
}

static int clean(const char *s) { return recam_path_is_clean(recam_str_c(s)); }

Test(router, clean_paths)
{
	const char *ok[] = {"/", "/a", "/a/", "/a/b", "/static/app.css", "/a/.b", "/a/..b", "/a/b..", "/.well-known/x",
			    "/t/demo/api/info", "/a/%2e%2e"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_assert(clean(ok[i]), "'%s' refused", ok[i]);
}

Test(router, unclean_paths)
{
	const char *bad[] = {"",	"a",	 "a/b",	      "/.",	  "/..",     "/./",	"/../",
			     "/a/.",	"/a/..", "/a/../b",   "/a/./b",	  "/a//b",   "//",	"//a",
			     "/a//",	"/a\\b", "/..\\x",    "\\",	  "/static//etc/passwd"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(clean(bad[i]), "'%s' accepted", bad[i]);
	cr_assert_not(recam_path_is_clean((recam_str){"/a\0b", 4}), "NUL accepted");
}

Test(router, the_real_route_table_sends_paths_where_expected)
{
	const recam_route *out;
	recam_params p;
	char allow[64];
	cr_assert_eq(recam_router_match(recam_routes, recam_nroutes, P, recam_str_c("GET"), recam_str_c("/healthz"), &out,
					&p, allow, sizeof(allow)),
		     0);
	cr_assert_str_eq(out->pattern, "/healthz");
	cr_assert_eq(out->access, RECAM_ACCESS_PUBLIC);
	cr_assert_eq(recam_router_match(recam_routes, recam_nroutes, P, recam_str_c("GET"),
					recam_str_c("/ops/api/tenants"), &out, &p, allow, sizeof(allow)),
		     0);
	cr_assert_eq(out->access, RECAM_ACCESS_OPS_TOKEN, "the operator API must need the ops token");
	cr_assert_eq(recam_router_match(recam_routes, recam_nroutes, P, recam_str_c("POST"), recam_str_c("/__test/clock"),
					&out, &p, allow, sizeof(allow)),
		     0);
	cr_assert_eq(out->access, RECAM_ACCESS_TEST_HOOKS, "moving the clock must be a test hook");
	/* Every route says who may call it. */
	for (size_t i = 0; i < recam_nroutes; i++)
		cr_assert_neq(recam_routes[i].access, RECAM_ACCESS_DENY, "%s %s has no access rule",
			      recam_routes[i].method, recam_routes[i].pattern);
}
