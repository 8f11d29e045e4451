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
	{"GET", "/api/admin/dashboard", TENANT, STAFF, 0, api_admin_dashboard_list, NULL},
	{"GET", "/api/admin/dashboard/{id}", TENANT, STAFF, 0, api_admin_dashboard_get, NULL},
	{"GET", "/api/admin/audit/export", TENANT, STAFF, 0, api_admin_audit_export, NULL},
	/* The campaign editor and "test the reader" (api_admin_campaigns.c, api_admin_reader.c). */
	{"GET", "/api/admin/campaigns", TENANT, STAFF, 0, api_admin_campaigns_list, NULL},
	{"POST", "/api/admin/campaigns", TENANT, STAFF, RECAM_BODY_JSON, api_admin_campaigns_create, NULL},
	{"POST", "/api/admin/campaigns/preview", TENANT, STAFF, RECAM_BODY_JSON, api_admin_campaigns_preview, NULL},
	{"GET", "/api/admin/campaigns/{id}", TENANT, STAFF, 0, api_admin_campaigns_get, NULL},
	{"PUT", "/api/admin/campaigns/{id}", TENANT, STAFF, RECAM_BODY_JSON, api_admin_campaigns_update, NULL},
	{"POST", "/api/admin/campaigns/{id}/publish", TENANT, STAFF, RECAM_BODY_JSON, api_admin_campaigns_publish, NULL},
	{"POST", "/api/admin/campaigns/{id}/pause", TENANT, STAFF, RECAM_BODY_JSON, api_admin_campaigns_pause, NULL},
	{"POST", "/api/admin/campaigns/{id}/end", TENANT, STAFF, RECAM_BODY_JSON, api_admin_campaigns_end, NULL},
	{"POST", "/api/admin/campaigns/{id}/duplicate", TENANT, STAFF, RECAM_BODY_JSON, api_admin_campaigns_duplicate, NULL},
	{"POST", "/api/admin/campaigns/{id}/products/import", TENANT, STAFF, (size_t)1 << 20, api_admin_campaigns_import, NULL},
	{"POST", "/api/admin/campaigns/{id}/reader-tests", TENANT, STAFF, RECAM_BODY_UPLOAD, api_admin_reader_test, api_admin_reader_body},
	{"GET", "/api/admin/campaigns/{id}/reader-tests/{test}", TENANT, STAFF, 0, api_admin_reader_result, NULL},
	/* Review queue and entries (api_admin_review.c, api_admin_entries.c). */
	{"GET", "/api/admin/review", TENANT, STAFF, 0, api_admin_review_campaigns, NULL},
	{"GET", "/api/admin/review/next", TENANT, STAFF, 0, api_admin_review_next, NULL},
	{"GET", "/api/admin/review/templates", TENANT, STAFF, 0, api_admin_review_templates, NULL},
	{"PUT", "/api/admin/review/templates/{code}", TENANT, STAFF, RECAM_BODY_JSON, api_admin_review_template_put, NULL},
	{"POST", "/api/admin/review/{id}/corrections", TENANT, STAFF, RECAM_BODY_JSON, api_admin_review_correct, NULL},
	{"POST", "/api/admin/review/{id}/decision", TENANT, STAFF, RECAM_BODY_JSON, api_admin_review_decide, NULL},
	{"GET", "/api/admin/entries", TENANT, STAFF, 0, api_admin_entries_list, NULL},
	{"GET", "/api/admin/entries/facets", TENANT, STAFF, 0, api_admin_entries_facets, NULL},
	{"GET", "/api/admin/entries/export", TENANT, STAFF, 0, api_admin_entries_export, NULL},
	{"GET", "/api/admin/entries/{id}", TENANT, STAFF, 0, api_admin_entry_get, NULL},
	{"GET", "/api/admin/entries/{id}/images/{n}", TENANT, STAFF, 0, api_admin_entry_image, NULL},
	/* The draw, winners and shipping (api_admin_draw.c, api_admin_winners.c). */
	{"GET", "/api/admin/campaigns/{id}/draw", TENANT, STAFF, 0, api_admin_draw_get, NULL},
	{"POST", "/api/admin/campaigns/{id}/draw/commit", TENANT, STAFF, RECAM_BODY_JSON, api_admin_draw_commit, NULL},
	{"POST", "/api/admin/campaigns/{id}/draw/run", TENANT, STAFF, RECAM_BODY_JSON, api_admin_draw_run, NULL},
	{"GET", "/api/admin/campaigns/{id}/draw/verify", TENANT, STAFF, 0, api_admin_draw_verify, NULL},
	{"GET", "/api/admin/campaigns/{id}/draw/files/{name}", TENANT, STAFF, 0, api_admin_draw_file, NULL},
	{"POST", "/api/admin/campaigns/{id}/draw/redraw", TENANT, STAFF, RECAM_BODY_JSON, api_admin_draw_redraw, NULL},
	{"POST", "/api/admin/campaigns/{id}/wins/{win}/forfeit", TENANT, STAFF, RECAM_BODY_JSON, api_admin_win_forfeit, NULL},
	{"GET", "/api/admin/campaigns/{id}/winners", TENANT, STAFF, 0, api_admin_winners_list, NULL},
	{"GET", "/api/admin/campaigns/{id}/winners/export", TENANT, STAFF, 0, api_admin_winners_export, NULL},
	{"PATCH", "/api/admin/campaigns/{id}/winners/{win}/shipping", TENANT, STAFF, RECAM_BODY_JSON, api_admin_winners_shipping, NULL},
	{"POST", "/api/admin/campaigns/{id}/winners/shipping-csv", TENANT, STAFF, (size_t)4 << 20, api_admin_winners_upload, NULL},
};

const size_t recam_nroutes = sizeof(recam_routes) / sizeof(recam_routes[0]);
