/* staff.c — session, role and CSRF checks of staff routes, in the gate. */
#include "staff.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "account/audit.h"
#include "account/session.h"
#include "core/log.h"
#include "http/server.h"

/* What each role may do. Anything not granted is refused. The viewer reads
 * but neither the staff list, the audit log nor exports, and sees personal
 * data masked (req->pii false). */
static const char *const grants_owner[] = {"*", NULL};
static const char *const grants_admin[] = {"self", "campaigns.*", "review.*", "draw.*", "export.*",
					   "winners.*", "entries.*", "audit.read", NULL};
static const char *const grants_reviewer[] = {"self", "review.*", "entries.read", NULL};
static const char *const grants_viewer[] = {"self", "campaigns.read", "review.read", "draw.read", "entries.read",
					    "winners.read", NULL};
static const char *const *const role_grants[] = {grants_owner, grants_admin, grants_reviewer, grants_viewer};

bool recam_role_allows(enum recam_role role, const char *perm)
{
	if ((unsigned)role >= sizeof(role_grants) / sizeof(role_grants[0]) || perm == NULL || perm[0] == '\0')
		return false;
	const char *dot = strchr(perm, '.');
	for (const char *const *g = role_grants[role]; *g; g++) {
		if (strcmp(*g, "*") == 0 || strcmp(*g, perm) == 0)
			return true;
		size_t n = strlen(*g);
		/* "review.*" grants "review.<anything>". */
		if (dot && n >= 2 && (*g)[n - 1] == '*' && (*g)[n - 2] == '.' && (size_t)(dot - perm) == n - 2 &&
		    strncmp(*g, perm, n - 2) == 0)
			return true;
	}
	return false;
}

const char *recam_route_perm_of(const char *method, const char *pattern)
{
	for (size_t i = 0; i < recam_nroute_perms; i++)
		if (strcmp(recam_route_perms[i].method, method) == 0 && strcmp(recam_route_perms[i].pattern, pattern) == 0)
			return recam_route_perms[i].perm;
	return NULL;
}

const char *recam_staff_cookie_name(const recam_req *req)
{
	/* __Host- binds the cookie to this exact host over HTTPS with Path=/: a
	 * sibling subdomain cannot plant or overwrite it. Browsers refuse the
	 * prefix without Secure, so plain HTTP (development) uses a plain name. */
	return req->srv->tls ? "__Host-recam_s" : "recam_s";
}

const char *recam_staff_cookie(recam_req *req)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, recam_staff_cookie_name(req));
}

int recam_staff_set_cookie(recam_req *req, const char *token)
{
	char v[256];
	snprintf(v, sizeof(v), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", recam_staff_cookie_name(req),
		 token ? token : "", req->srv->tls ? "; Secure" : "", token ? "" : "; Max-Age=0");
	return recam_resp_header(req, "Set-Cookie", v);
}


static bool csrf_ok(recam_req *req, const char *expected)
{
	const char *got = recam_req_header(req, "X-CSRF-Token");
	if (got == NULL || strlen(got) != strlen(expected))
		return false;
	return sodium_memcmp(got, expected, strlen(expected)) == 0;
}

static bool state_changing(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "OPTIONS") != 0;
}

int recam_staff_check(recam_req *req)
{
	if (req->tenant == NULL)
		return RECAM_ENOTFOUND;
	const char *perm = recam_route_perm_of(req->route->method, req->route->pattern);
	if (perm == NULL) {
		recam_error("staff route %s %s declares no permission: refused", req->route->method, req->route->pattern);
		return RECAM_EFORBIDDEN;
	}
	recam_db *db = NULL;
	int rc = recam_store_tenant(req->srv->store, req->tenant->id, &db);
	if (rc != 0)
		return rc == RECAM_ENOTFOUND ? RECAM_ENOTFOUND : rc;
	recam_security sec;
	recam_session *s = recam_arena_alloc(req->arena, sizeof(*s));
	if (s == NULL) {
		rc = RECAM_ENOMEM;
		goto done;
	}
	if ((rc = recam_security_load(db, &sec)) != 0)
		goto done;
	rc = recam_session_resolve(db, recam_staff_cookie(req), &sec, s);
	if (rc != 0)
		goto done;
	const char *client = recam_req_client(req);
	if (!recam_role_allows(s->user.role, perm)) {
		recam_audit_record(db, s->user.id, "access.denied", "route", req->route->pattern, "denied", client, req->rid);
		rc = RECAM_EFORBIDDEN;
		goto done;
	}
	if (state_changing(req->method) && !csrf_ok(req, s->csrf)) {
		recam_audit_record(db, s->user.id, "csrf.rejected", "route", req->route->pattern, "denied", client,
				   req->rid);
		recam_warn("staff %s without a valid X-CSRF-Token refused", req->method);
		rc = RECAM_EFORBIDDEN;
		goto done;
	}
	req->staff = s;
	req->pii = s->user.role != RECAM_ROLE_VIEWER;
done:
	recam_db_release(db);
	return rc;
}
