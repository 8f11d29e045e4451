/* api.h — the route table (every route recam answers, with who may call it)
 * and the handlers behind it, one file per resource. */
#ifndef RECAM_API_H
#define RECAM_API_H

#include "http/request.h"
#include "campaign/campaign.h"
#include "http/router.h"

extern const recam_route recam_routes[];
extern const size_t recam_nroutes;

/* api_ops.c */
int api_healthz(recam_req *req);
int api_readyz(recam_req *req);
int api_metrics(recam_req *req);
int api_ops_tenant_list(recam_req *req);
int api_ops_tenant_create(recam_req *req);
int api_ops_tenant_get(recam_req *req);
int api_test_clock(recam_req *req);
/* api_pages.c */
int api_page_home(recam_req *req);
int api_page_static(recam_req *req);
int api_page_tenant_home(recam_req *req);
int api_page_campaign(recam_req *req);
int api_page_admin(recam_req *req);
/* api_entry.c */
int api_campaign_get(recam_req *req);
int api_campaign_list(recam_req *req);
int api_entry_create(recam_req *req);
int api_entry_body(recam_req *req, const char *data, size_t len);
int api_entry_get(recam_req *req);
int api_entry_mine(recam_req *req);
/* The shopper of this request (from the signed cookie), the tenant's
 * database and the URL's campaign: RECAM_EUNAUTH without a valid cookie. */
int api_shopper(recam_req *req, recam_db **db, recam_campaign *c, char pid[RECAM_ID_LEN + 1]);
/* api_win.c */
int api_win_get(recam_req *req);
int api_win_delivery(recam_req *req);
/* api_admin_auth.c: staff login and session; helpers shared by admin handlers. */
struct recam_client_info;
int api_admin_login(recam_req *req);
int api_admin_logout(recam_req *req);
int api_admin_session(recam_req *req);
int api_admin_password(recam_req *req);
const char *api_admin_msg(const recam_req *req, const char *ja, const char *en);
int api_admin_db(recam_req *req, recam_db **db);
void api_admin_client(recam_req *req, struct recam_client_info *ci);
/* One audit record for the request's staff user; in_tx: inside the open transaction. */
int api_admin_audit(recam_req *req, recam_db *db, const char *action, const char *otype, const char *oid,
		    const char *outcome, bool in_tx);
/* Field errors ({field: message}) when the tenant's policy refuses password, else NULL. */
json_t *api_admin_password_fault(recam_req *req, recam_db *db, const char *field, const char *password,
				 const char *email);
/* api_admin_users.c: staff accounts, security settings, audit log. */
int api_admin_users_list(recam_req *req);
int api_admin_users_create(recam_req *req);
int api_admin_users_update(recam_req *req);
int api_admin_users_delete(recam_req *req);
int api_admin_security_get(recam_req *req);
int api_admin_security_put(recam_req *req);
int api_admin_audit_list(recam_req *req);
/* api_tenant.c */
int api_tenant_info(recam_req *req);
json_t *api_tenant_json(const recam_tenant *t);

#endif
