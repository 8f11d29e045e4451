/* gate.c — tenant resolution, routing and access control in one place. */
#include "gate.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "http/server.h"
#include "http/staff.h"

/* The tenant named by the path (/t/{slug}/...) or by the Host header
 * ({slug}.{tenant_base_domain}, or a tenant's own host). */
static int resolve_tenant(recam_req *req, recam_str url, bool *is_tenant)
{
	recam_server *srv = req->srv;
	*is_tenant = false;
	char slug[RECAM_SLUG_MAX + 1] = "";
	const char *host_lookup = NULL;
	if (recam_str_has_prefix(url, "/t/")) {
		const char *s = url.p + 3, *end = memchr(s, '/', url.n - 3);
		size_t n = end ? (size_t)(end - s) : url.n - 3;
		if (n == 0 || n > RECAM_SLUG_MAX)
			return RECAM_ENOTFOUND;
		memcpy(slug, s, n);
		slug[n] = '\0';
		/* "/t/demo" has no path inside the tenant: treat as its root. */
		req->path = end ? (recam_str){end, url.n - (size_t)(end - url.p)} : RECAM_STR_LIT("/");
	} else {
		const char *host = recam_req_header(req, "Host");
		if (host == NULL || host[0] == '\0')
			return 0;
		char h[256];
		size_t n = strcspn(host, ":");
		if (host[0] == '[' || n >= sizeof(h))
			return 0; /* IPv6 literal or absurd: not a tenant host */
		for (size_t i = 0; i < n; i++)
			h[i] = (char)((host[i] >= 'A' && host[i] <= 'Z') ? host[i] + 32 : host[i]);
		h[n] = '\0';
		const char *base = srv->cfg->tenant_base_domain;
		size_t bn = strlen(base);
		if (bn > 0 && n > bn + 1 && h[n - bn - 1] == '.' && strcasecmp(h + n - bn, base) == 0) {
			if (n - bn - 1 > RECAM_SLUG_MAX)
				return RECAM_ENOTFOUND;
			memcpy(slug, h, n - bn - 1);
			slug[n - bn - 1] = '\0';
		} else if (bn > 0 && strcasecmp(h, base) == 0) {
			return 0; /* the platform's own host */
		} else {
			host_lookup = recam_arena_strndup(req->arena, h, n);
		}
		req->path = url;
	}
	recam_tenant *t = recam_arena_alloc(req->arena, sizeof(*t));
	if (t == NULL)
		return RECAM_ENOMEM;
	int rc;
	if (host_lookup) {
		rc = recam_tenant_lookup(srv->store, "host", host_lookup, t);
		if (rc == RECAM_ENOTFOUND) { /* any other host: the platform */
			req->path = url;
			return 0;
		}
	} else {
		rc = recam_tenant_slug_valid(slug) ? recam_tenant_lookup(srv->store, "slug", slug, t) : RECAM_ENOTFOUND;
	}
	if (rc != 0)
		return rc;
	/* Suspended, terminated and erased tenants are not served. */
	if (!recam_tenant_active(t))
		return RECAM_ENOTFOUND;
	req->tenant = t;
	*is_tenant = true;
	return 0;
}

static bool bearer_ok(recam_req *req, const char *token)
{
	const char *auth = recam_req_header(req, "Authorization");
	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
		return false;
	/* Compare digests so the time taken says nothing about the token. */
	unsigned char a[crypto_hash_sha256_BYTES], b[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(a, (const unsigned char *)auth + 7, strlen(auth + 7));
	crypto_hash_sha256(b, (const unsigned char *)token, strlen(token));
	return sodium_memcmp(a, b, sizeof(a)) == 0;
}

static int check_access(recam_req *req)
{
	const recam_config *cfg = req->srv->cfg;
	switch (req->route->access) {
	case RECAM_ACCESS_PUBLIC:
		return 0;
	case RECAM_ACCESS_OPS_TOKEN:
		if (cfg->ops_token[0] == '\0')
			return RECAM_ENOTFOUND; /* the operator API is off */
		if (!bearer_ok(req, cfg->ops_token)) {
			recam_warn("operator API: missing or wrong token from a client");
			return RECAM_EUNAUTH;
		}
		return 0;
	case RECAM_ACCESS_TEST_HOOKS:
		return cfg->test_hooks ? 0 : RECAM_ENOTFOUND;
	case RECAM_ACCESS_STAFF:
		return recam_staff_check(req);
	case RECAM_ACCESS_DENY:
	default:
		return RECAM_EFORBIDDEN;
	}
}

/* A browser names the page that sent a request in Origin. A state-changing
 * request from another site's page is refused (with SameSite cookies and
 * JSON bodies this closes cross-site request forgery). */
static bool same_origin(recam_req *req)
{
	const char *origin = recam_req_header(req, "Origin");
	const char *host = recam_req_header(req, "Host");
	if (origin == NULL)
		return true; /* not a browser, or a same-origin GET */
	const char *p = strstr(origin, "://");
	return p && host && strcasecmp(p + 3, host) == 0;
}

int recam_gate(recam_req *req)
{
	recam_str url = recam_str_c(req->url);
	if (!recam_path_is_clean(url))
		return RECAM_ENOTFOUND;
	bool is_tenant;
	int rc = resolve_tenant(req, url, &is_tenant);
	if (rc != 0)
		return rc;
	if (!is_tenant)
		req->path = url;
	const recam_route *route = NULL;
	rc = recam_router_match(req->srv->routes, req->srv->nroutes, is_tenant ? RECAM_SCOPE_TENANT : RECAM_SCOPE_PLATFORM,
				recam_str_c(req->method), req->path, &route, &req->params, req->allow,
				sizeof(req->allow));
	if (rc != 0)
		return rc;
	req->route = route;
	req->route_index = (int)(route - req->srv->routes);
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0 && !same_origin(req)) {
		recam_warn("cross-origin %s refused", req->method);
		return RECAM_EFORBIDDEN;
	}
	return check_access(req);
}
