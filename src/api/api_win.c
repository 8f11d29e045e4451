/* api_win.c — a winner's view of their win and the delivery form. */
#include <microhttpd.h>
#include <string.h>

#include "api/api.h"
#include "campaign/delivery.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/server.h"

struct win_view {
	json_t *out;
	const recam_campaign *c;
};

static int read_win(void *ctx, const recam_dbrow *row)
{
	struct win_view *v = ctx;
	size_t n;
	const char *code = recam_dbrow_text(row, 0, &n);
	const char *status = recam_dbrow_text(row, 1, &n);
	char deadline[32];
	recam_clock_format_rfc3339(recam_dbrow_int(row, 2), deadline, sizeof(deadline));
	const char *name = code;
	for (int i = 0; i < v->c->rules.nprizes; i++)
		if (strcmp(v->c->rules.prizes[i].code, code) == 0)
			name = v->c->rules.prizes[i].name;
	v->out = json_pack("{s:s, s:{s:s, s:s}, s:s, s:b}", "status", status, "prize", "code", code, "name", name,
			   "claim_deadline", deadline, "delivery_sent", !recam_dbrow_is_null(row, 3));
	return v->out ? 0 : RECAM_ENOMEM;
}

static int win_view(recam_db *db, const recam_campaign *c, const char *win_id, const char *pid, json_t **out)
{
	struct win_view v = {NULL, c};
	int rc = recam_db_query_one(db,
				    "SELECT prize_code, status, coalesce(claim_deadline, 0), delivery FROM wins"
				    " WHERE id = ? AND campaign_id = ? AND participant_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(win_id), DBV_TEXT(c->id), DBV_TEXT(pid)), read_win, &v);
	if (rc == 0) {
		json_object_set_new(v.out, "id", json_string(win_id));
		*out = v.out;
	}
	return rc;
}

int api_win_get(recam_req *req)
{
	recam_db *db;
	recam_campaign c;
	char pid[RECAM_ID_LEN + 1];
	int rc = api_shopper(req, &db, &c, pid);
	if (rc != 0)
		return rc == RECAM_EUNAUTH ? RECAM_ENOTFOUND : rc;
	json_t *view;
	rc = win_view(db, &c, recam_req_param(req, "win"), pid, &view);
	recam_campaign_free(&c);
	recam_db_release(db);
	return rc != 0 ? rc : recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "win", view));
}

int api_win_delivery(recam_req *req)
{
	json_t *form;
	int rc = recam_req_json(req, &form);
	if (rc != 0)
		return rc;
	json_t *fields = NULL;
	if (recam_delivery_validate(form, req->lang, &fields) != 0) {
		json_decref(form);
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	}
	recam_db *db;
	recam_campaign c;
	char pid[RECAM_ID_LEN + 1];
	if ((rc = api_shopper(req, &db, &c, pid)) != 0) {
		json_decref(form);
		return rc == RECAM_EUNAUTH ? RECAM_ENOTFOUND : rc;
	}
	recam_key key;
	const char *win_id = recam_req_param(req, "win");
	rc = recam_tenant_key(&req->srv->master, req->tenant, &key);
	if (rc == 0)
		rc = recam_delivery_save(db, &key, c.id, win_id, pid, form, recam_clock_now());
	recam_key_wipe(&key);
	json_decref(form);
	json_t *view = NULL;
	if (rc == 0)
		rc = win_view(db, &c, win_id, pid, &view);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc == RECAM_ECONFLICT)
		return recam_resp_error_code(req, MHD_HTTP_CONFLICT, "claim_closed",
					     req->lang == RECAM_LANG_EN
						     ? "The deadline for this prize has passed."
						     : "この賞品の送付先入力期限を過ぎています。",
					     NULL);
	if (rc != 0)
		return rc;
	recam_info("delivery details recorded for win %s", win_id);
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "win", view));
}
