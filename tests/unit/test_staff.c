/* test_staff.c — the role map and the permission table of staff routes. */
#include <criterion/criterion.h>
#include <string.h>

#include "api/api.h"
#include "http/staff.h"

Test(staff, role_map)
{
	cr_assert(recam_role_allows(RECAM_ROLE_OWNER, "users.manage"));
	cr_assert(recam_role_allows(RECAM_ROLE_OWNER, "security.manage"));
	cr_assert(recam_role_allows(RECAM_ROLE_ADMIN, "campaigns.edit"));
	cr_assert(recam_role_allows(RECAM_ROLE_ADMIN, "audit.read"));
	cr_assert_not(recam_role_allows(RECAM_ROLE_ADMIN, "users.manage"));
	cr_assert_not(recam_role_allows(RECAM_ROLE_ADMIN, "security.manage"));
	cr_assert(recam_role_allows(RECAM_ROLE_REVIEWER, "review.decide"));
	cr_assert(recam_role_allows(RECAM_ROLE_REVIEWER, "entries.read"));
	cr_assert_not(recam_role_allows(RECAM_ROLE_REVIEWER, "campaigns.read"));
	cr_assert_not(recam_role_allows(RECAM_ROLE_REVIEWER, "reviewx.decide"));
	cr_assert(recam_role_allows(RECAM_ROLE_VIEWER, "campaigns.read"));
	cr_assert_not(recam_role_allows(RECAM_ROLE_VIEWER, "campaigns.edit"));
	cr_assert_not(recam_role_allows(RECAM_ROLE_VIEWER, "audit.read"));
	cr_assert_not(recam_role_allows(RECAM_ROLE_VIEWER, "users.read"));
	cr_assert_not(recam_role_allows(RECAM_ROLE_OWNER, ""));
	cr_assert_not(recam_role_allows(RECAM_ROLE_OWNER, NULL));
	cr_assert_not(recam_role_allows((enum recam_role)9, "self"));
}

Test(staff, every_staff_route_declares_a_permission)
{
	for (size_t i = 0; i < recam_nroutes; i++) {
		const recam_route *r = &recam_routes[i];
		if (r->access != RECAM_ACCESS_STAFF)
			continue;
		cr_assert_eq(r->scope, RECAM_SCOPE_TENANT, "%s %s", r->method, r->pattern);
		cr_assert_not_null(recam_route_perm_of(r->method, r->pattern), "%s %s has no permission", r->method,
				   r->pattern);
	}
	/* And no permission names a route that does not exist. */
	for (size_t j = 0; j < recam_nroute_perms; j++) {
		bool found = false;
		for (size_t i = 0; i < recam_nroutes && !found; i++)
			found = recam_routes[i].access == RECAM_ACCESS_STAFF &&
				strcmp(recam_routes[i].method, recam_route_perms[j].method) == 0 &&
				strcmp(recam_routes[i].pattern, recam_route_perms[j].pattern) == 0;
		cr_assert(found, "%s %s", recam_route_perms[j].method, recam_route_perms[j].pattern);
	}
}
