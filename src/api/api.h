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
/* The message for code from a table of texts, in the request's language;
 * code itself when the table has none. */
typedef struct api_admin_text {
	const char *code, *ja, *en;
} api_admin_text;
const char *api_admin_text_for(const recam_req *req, const api_admin_text *texts, size_t n, const char *code);
/* Answers 400 for a ?format= that is not csv, csv-sjis or xlsx (an export's). */
int api_admin_format_refused(recam_req *req);
int api_admin_db(recam_req *req, recam_db **db);
void api_admin_client(recam_req *req, struct recam_client_info *ci);
/* One audit record for the request's staff user; in_tx: inside the open transaction. */
int api_admin_audit(recam_req *req, recam_db *db, const char *action, const char *otype, const char *oid,
		    const char *outcome, bool in_tx);
/* Ends the open transaction of a staff write: when rc is 0, its audit record
 * and the commit; otherwise (or when those fail) a rollback and the failure
 * recorded on its own. Returns the outcome. */
int api_admin_commit(recam_req *req, recam_db *db, int rc, const char *action, const char *otype, const char *oid);
/* A time for a staff JSON answer: RFC 3339 in UTC, null when t <= 0 (never). */
json_t *api_admin_time(int64_t t);
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
int api_admin_audit_export(recam_req *req);
/* api_admin_dashboard.c: per-campaign figures for the console's dashboard. */
int api_admin_dashboard_list(recam_req *req);
int api_admin_dashboard_get(recam_req *req);
/* api_admin_campaigns.c: the campaign editor (campaigns.read / campaigns.edit). */
int api_admin_campaigns_list(recam_req *req);
int api_admin_campaigns_get(recam_req *req);
int api_admin_campaigns_create(recam_req *req);
int api_admin_campaigns_update(recam_req *req);
int api_admin_campaigns_publish(recam_req *req);
int api_admin_campaigns_pause(recam_req *req);
int api_admin_campaigns_end(recam_req *req);
int api_admin_campaigns_duplicate(recam_req *req);
int api_admin_campaigns_import(recam_req *req);
int api_admin_campaigns_preview(recam_req *req);
/* api_admin_reader.c: test the reader on sample photos (campaigns.test). */
int api_admin_reader_test(recam_req *req);
int api_admin_reader_body(recam_req *req, const char *data, size_t len);
int api_admin_reader_result(recam_req *req);
/* api_admin_review.c: the review queue, rejection templates, receipt images. */
int api_admin_review_campaigns(recam_req *req);
int api_admin_review_next(recam_req *req);
int api_admin_review_correct(recam_req *req);
int api_admin_review_decide(recam_req *req);
int api_admin_review_templates(recam_req *req);
int api_admin_review_template_put(recam_req *req);
int api_admin_entry_image(recam_req *req);
/* api_admin_entries.c: entry search, one entry with its history, export. */
int api_admin_entries_list(recam_req *req);
int api_admin_entries_facets(recam_req *req);
int api_admin_entries_export(recam_req *req);
int api_admin_entry_get(recam_req *req);
/* api_admin_draw.c: the closed draw, forfeits, re-draw (draw.read / draw.run). */
/* The tenant database and the campaign of the route's {id}: RECAM_ENOTFOUND
 * for another tenant's or an unknown id (db released then). */
int api_admin_campaign_open(recam_req *req, recam_db **db, recam_campaign *c);
int api_admin_draw_get(recam_req *req);
int api_admin_draw_commit(recam_req *req);
int api_admin_draw_run(recam_req *req);
int api_admin_draw_verify(recam_req *req);
int api_admin_draw_file(recam_req *req);
int api_admin_draw_redraw(recam_req *req);
int api_admin_win_forfeit(recam_req *req);
/* api_admin_winners.c: winners, shipping, the winners export. */
int api_admin_winners_list(recam_req *req);
int api_admin_winners_shipping(recam_req *req);
int api_admin_winners_upload(recam_req *req);
int api_admin_winners_export(recam_req *req);
/* api_tenant.c */
int api_tenant_info(recam_req *req);
json_t *api_tenant_json(const recam_tenant *t);

#endif
