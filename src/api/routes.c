/* routes.c — every route of recam in one table. The gate refuses what a
 * route does not declare; a new route states its scope, access and body. */
#include "api/api.h"

#define PLATFORM RECAM_SCOPE_PLATFORM
#define TENANT RECAM_SCOPE_TENANT
#define PUBLIC RECAM_ACCESS_PUBLIC
#define OPS RECAM_ACCESS_OPS_TOKEN
#define TEST RECAM_ACCESS_TEST_HOOKS
#define STAFF RECAM_ACCESS_STAFF /* permission per route in api_admin_perms.c */

const recam_route recam_routes[] = {
	/* Operations. */
	{"GET", "/healthz", PLATFORM, PUBLIC, 0, api_healthz, NULL},
	{"GET", "/readyz", PLATFORM, PUBLIC, 0, api_readyz, NULL},
	{"GET", "/metrics", PLATFORM, PUBLIC, 0, api_metrics, NULL},
	{"GET", "/ops/api/tenants", PLATFORM, OPS, 0, api_ops_tenant_list, NULL},
	{"POST", "/ops/api/tenants", PLATFORM, OPS, RECAM_BODY_JSON, api_ops_tenant_create, NULL},
	{"GET", "/ops/api/tenants/{id}", PLATFORM, OPS, 0, api_ops_tenant_get, NULL},
	{"POST", "/__test/clock", PLATFORM, TEST, RECAM_BODY_JSON, api_test_clock, NULL},
	/* Pages and their assets. */
	{"GET", "/", PLATFORM, PUBLIC, 0, api_page_home, NULL},
	{"GET", "/static/{path*}", PLATFORM, PUBLIC, 0, api_page_static, NULL},
	/* Inside a tenant: /t/{slug}/... or a tenant host. */
	{"GET", "/", TENANT, PUBLIC, 0, api_page_tenant_home, NULL},
	{"GET", "/static/{path*}", TENANT, PUBLIC, 0, api_page_static, NULL},
	{"GET", "/api/info", TENANT, PUBLIC, 0, api_tenant_info, NULL},
	{"GET", "/c/{campaign}", TENANT, PUBLIC, 0, api_page_campaign, NULL},
	{"GET", "/api/campaigns", TENANT, PUBLIC, 0, api_campaign_list, NULL},
	{"GET", "/api/campaigns/{campaign}", TENANT, PUBLIC, 0, api_campaign_get, NULL},
	{"POST", "/api/campaigns/{campaign}/entries", TENANT, PUBLIC, RECAM_BODY_UPLOAD, api_entry_create, api_entry_body},
	{"GET", "/api/campaigns/{campaign}/entries", TENANT, PUBLIC, 0, api_entry_mine, NULL},
	{"GET", "/api/campaigns/{campaign}/entries/{entry}", TENANT, PUBLIC, 0, api_entry_get, NULL},
	{"GET", "/api/campaigns/{campaign}/wins/{win}", TENANT, PUBLIC, 0, api_win_get, NULL},
	{"POST", "/api/campaigns/{campaign}/wins/{win}/delivery", TENANT, PUBLIC, RECAM_BODY_JSON, api_win_delivery, NULL},
	/* Tenant admin console: the page, then staff accounts and security. */
	{"GET", "/admin", TENANT, PUBLIC, 0, api_page_admin, NULL},
	{"GET", "/admin/", TENANT, PUBLIC, 0, api_page_admin, NULL},
	{"POST", "/api/admin/login", TENANT, PUBLIC, RECAM_BODY_JSON, api_admin_login, NULL},
	{"POST", "/api/admin/logout", TENANT, STAFF, 0, api_admin_logout, NULL},
	{"GET", "/api/admin/session", TENANT, STAFF, 0, api_admin_session, NULL},
	{"POST", "/api/admin/password", TENANT, STAFF, RECAM_BODY_JSON, api_admin_password, NULL},
	{"GET", "/api/admin/users", TENANT, STAFF, 0, api_admin_users_list, NULL},
	{"POST", "/api/admin/users", TENANT, STAFF, RECAM_BODY_JSON, api_admin_users_create, NULL},
	{"PATCH", "/api/admin/users/{id}", TENANT, STAFF, RECAM_BODY_JSON, api_admin_users_update, NULL},
	{"DELETE", "/api/admin/users/{id}", TENANT, STAFF, 0, api_admin_users_delete, NULL},
	{"GET", "/api/admin/settings/security", TENANT, STAFF, 0, api_admin_security_get, NULL},
	{"PUT", "/api/admin/settings/security", TENANT, STAFF, RECAM_BODY_JSON, api_admin_security_put, NULL},
	{"GET", "/api/admin/audit", TENANT, STAFF, 0, api_admin_audit_list, NULL},
};

const size_t recam_nroutes = sizeof(recam_routes) / sizeof(recam_routes[0]);
