/* api_admin_perms.c — the permission each staff route (RECAM_ACCESS_STAFF
 * in routes.c) requires; the role map is in http/staff.c. A staff route
 * missing here is refused for every role (deny by default), and a unit
 * test checks that every staff route has an entry. */
#include "http/staff.h"

const struct recam_route_perm recam_route_perms[] = {
	{"POST", "/api/admin/logout", "self"},
	{"GET", "/api/admin/session", "self"},
	{"POST", "/api/admin/password", "self"},
	{"GET", "/api/admin/users", "users.read"},
	{"POST", "/api/admin/users", "users.manage"},
	{"PATCH", "/api/admin/users/{id}", "users.manage"},
	{"DELETE", "/api/admin/users/{id}", "users.manage"},
	{"GET", "/api/admin/settings/security", "security.manage"},
	{"PUT", "/api/admin/settings/security", "security.manage"},
	{"GET", "/api/admin/audit", "audit.read"},
};

const size_t recam_nroute_perms = sizeof(recam_route_perms) / sizeof(recam_route_perms[0]);
