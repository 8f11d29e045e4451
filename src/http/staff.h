/* staff.h — the gate's check for RECAM_ACCESS_STAFF routes: the session
 * from the cookie, the role's permissions against the route's declared
 * permission (deny by default), and CSRF on state-changing methods. Also
 * the session cookie itself and the client address used in the audit log. */
#ifndef RECAM_STAFF_H
#define RECAM_STAFF_H

#include <stdbool.h>
#include <stddef.h>

#include "account/user.h"
#include "http/request.h"

/* The permission of each staff route, by method and pattern (api_admin_perms.c).
 * A staff route without an entry is refused for everyone. */
struct recam_route_perm {
	const char *method;
	const char *pattern;
	const char *perm; /* "users.manage", "campaigns.edit", "self", ... */
};
extern const struct recam_route_perm recam_route_perms[];
extern const size_t recam_nroute_perms;

/* Whether role grants perm ("campaigns.edit" is granted by "campaigns.*"). */
bool recam_role_allows(enum recam_role role, const char *perm);
/* The permission declared for a route, or NULL. */
const char *recam_route_perm_of(const char *method, const char *pattern);

int recam_staff_check(recam_req *req);

/* "__Host-recam_s" under TLS, "recam_s" otherwise. */
const char *recam_staff_cookie_name(const recam_req *req);
/* The session token the request carries, or NULL. */
const char *recam_staff_cookie(recam_req *req);
/* Set-Cookie for token (NULL: expire the cookie). */
int recam_staff_set_cookie(recam_req *req, const char *token);

#endif
