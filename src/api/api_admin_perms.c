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
	{"GET", "/api/admin/dashboard", "campaigns.read"},
	{"GET", "/api/admin/dashboard/{id}", "campaigns.read"},
	{"GET", "/api/admin/audit/export", "audit.read"},
	{"GET", "/api/admin/campaigns", "campaigns.read"},
	{"POST", "/api/admin/campaigns", "campaigns.edit"},
	{"POST", "/api/admin/campaigns/preview", "campaigns.read"},
	{"GET", "/api/admin/campaigns/{id}", "campaigns.read"},
	{"PUT", "/api/admin/campaigns/{id}", "campaigns.edit"},
	{"POST", "/api/admin/campaigns/{id}/publish", "campaigns.edit"},
	{"POST", "/api/admin/campaigns/{id}/pause", "campaigns.edit"},
	{"POST", "/api/admin/campaigns/{id}/end", "campaigns.edit"},
	{"POST", "/api/admin/campaigns/{id}/duplicate", "campaigns.edit"},
	{"POST", "/api/admin/campaigns/{id}/products/import", "campaigns.edit"},
	{"POST", "/api/admin/campaigns/{id}/reader-tests", "campaigns.test"},
	{"GET", "/api/admin/campaigns/{id}/reader-tests/{test}", "campaigns.test"},
	/* Review queue and entries. Receipt photos are personal data: viewers
	 * (review.read only) never get them; template edits are an admin's. */
	{"GET", "/api/admin/review", "review.read"},
	{"GET", "/api/admin/review/next", "review.read"},
	{"GET", "/api/admin/review/templates", "review.read"},
	{"PUT", "/api/admin/review/templates/{code}", "campaigns.edit"},
	{"POST", "/api/admin/review/{id}/corrections", "review.decide"},
	{"POST", "/api/admin/review/{id}/decision", "review.decide"},
	{"GET", "/api/admin/entries", "entries.read"},
	{"GET", "/api/admin/entries/facets", "entries.read"},
	{"GET", "/api/admin/entries/export", "export.entries"},
	{"GET", "/api/admin/entries/{id}", "entries.read"},
	{"GET", "/api/admin/entries/{id}/images/{n}", "review.images"},
	{"GET", "/api/admin/campaigns/{id}/draw", "draw.read"},
	{"POST", "/api/admin/campaigns/{id}/draw/commit", "draw.run"},
	{"POST", "/api/admin/campaigns/{id}/draw/run", "draw.run"},
	{"GET", "/api/admin/campaigns/{id}/draw/verify", "draw.read"},
	{"GET", "/api/admin/campaigns/{id}/draw/files/{name}", "draw.read"},
	{"POST", "/api/admin/campaigns/{id}/draw/redraw", "draw.run"},
	{"POST", "/api/admin/campaigns/{id}/wins/{win}/forfeit", "draw.run"},
	{"GET", "/api/admin/campaigns/{id}/winners", "winners.read"},
	{"GET", "/api/admin/campaigns/{id}/winners/export", "export.winners"},
	{"PATCH", "/api/admin/campaigns/{id}/winners/{win}/shipping", "winners.manage"},
	{"POST", "/api/admin/campaigns/{id}/winners/shipping-csv", "winners.manage"},
};

const size_t recam_nroute_perms = sizeof(recam_route_perms) / sizeof(recam_route_perms[0]);
