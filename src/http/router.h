/* router.h — method + path pattern routing with named parameters.
 * Patterns are '/'-separated; "{name}" matches one non-empty segment,
 * "{name*}" (last only) matches the rest of the path, slashes included.
 * Matching never allocates; parameters are slices of the path. */
#ifndef RECAM_ROUTER_H
#define RECAM_ROUTER_H

#include <stddef.h>

#include "core/str.h"

#define RECAM_ROUTE_MAX_PARAMS 8

typedef struct recam_params {
	int n;
	recam_str name[RECAM_ROUTE_MAX_PARAMS];
	recam_str value[RECAM_ROUTE_MAX_PARAMS];
} recam_params;

/* Who may call a route. The gate denies anything not declared. */
enum recam_access {
	RECAM_ACCESS_DENY = 0,	 /* the default of a route that forgot to say */
	RECAM_ACCESS_PUBLIC,	 /* anyone, including shoppers */
	RECAM_ACCESS_OPS_TOKEN,	 /* operators with the ops_token bearer token */
	RECAM_ACCESS_TEST_HOOKS, /* only when test_hooks is on; 404 otherwise */
	RECAM_ACCESS_STAFF,	 /* a tenant's logged-in staff whose role grants the route's
				    permission (http/staff.h); CSRF-checked when state-changing */
};

/* Where a route lives: the platform's own paths, or inside a tenant
 * (/t/{slug}/... or a tenant host), the pattern then being relative. */
enum recam_scope { RECAM_SCOPE_PLATFORM = 0, RECAM_SCOPE_TENANT };

struct recam_req;

typedef struct recam_route {
	const char *method;
	const char *pattern;
	enum recam_scope scope;
	enum recam_access access;
	/* Body bytes accepted: 0 none, RECAM_BODY_JSON the max_body_bytes setting. */
	size_t max_body;
	int (*handler)(struct recam_req *req);
	/* Optional: receives the body as it arrives instead of the request's
	 * buffer (uploads are streamed, never held whole); an error ends the
	 * request with that error. RECAM_BODY_UPLOAD sizes it by max_upload_bytes. */
	int (*on_body)(struct recam_req *req, const char *data, size_t len);
} recam_route;

#define RECAM_BODY_JSON ((size_t)-1)
#define RECAM_BODY_UPLOAD ((size_t)-2)

/* 0 and *out set on a match; RECAM_ENOTFOUND when no pattern matches the
 * path; RECAM_EMETHOD when patterns match but not the method, with the
 * allowed methods written to allow ("GET, HEAD"). HEAD matches GET routes. */
int recam_router_match(const recam_route *routes, size_t nroutes, enum recam_scope scope, recam_str method,
		       recam_str path, const recam_route **out, recam_params *params, char *allow, size_t allowlen);
/* The value of a named parameter, or an empty slice. */
recam_str recam_params_get(const recam_params *p, const char *name);
/* True when path has no empty, "." or ".." segment and no NUL or backslash. */
int recam_path_is_clean(recam_str path);

#endif
