/* routes.c — every route of recam in one table. The gate refuses what a
 * route does not declare; a new route states its scope, access and body. */
#include "api/api.h"

#define PLATFORM RECAM_SCOPE_PLATFORM
#define TENANT RECAM_SCOPE_TENANT
#define PUBLIC RECAM_ACCESS_PUBLIC
#define OPS RECAM_ACCESS_OPS_TOKEN
#define TEST RECAM_ACCESS_TEST_HOOKS

const recam_route recam_routes[] = {
	/* Operations. */
	{"GET", "/healthz", PLATFORM, PUBLIC, 0, api_healthz},
	{"GET", "/readyz", PLATFORM, PUBLIC, 0, api_readyz},
	{"GET", "/metrics", PLATFORM, PUBLIC, 0, api_metrics},
	{"GET", "/ops/api/tenants", PLATFORM, OPS, 0, api_ops_tenant_list},
	{"POST", "/ops/api/tenants", PLATFORM, OPS, RECAM_BODY_JSON, api_ops_tenant_create},
	{"GET", "/ops/api/tenants/{id}", PLATFORM, OPS, 0, api_ops_tenant_get},
	{"POST", "/__test/clock", PLATFORM, TEST, RECAM_BODY_JSON, api_test_clock},
	/* Pages and their assets. */
	{"GET", "/", PLATFORM, PUBLIC, 0, api_page_home},
	{"GET", "/static/{path*}", PLATFORM, PUBLIC, 0, api_page_static},
	/* Inside a tenant: /t/{slug}/... or a tenant host. */
	{"GET", "/", TENANT, PUBLIC, 0, api_page_tenant_home},
	{"GET", "/static/{path*}", TENANT, PUBLIC, 0, api_page_static},
	{"GET", "/api/info", TENANT, PUBLIC, 0, api_tenant_info},
};

const size_t recam_nroutes = sizeof(recam_routes) / sizeof(recam_routes[0]);
