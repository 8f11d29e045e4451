/* api_admin_campaigns.c — the campaign editor's API for staff: list, get,
 * create, update (optimistic version: a stale save is 409), publish, pause,
 * end, duplicate, target products from CSV, and a preview of the
 * participant page for a definition not yet saved. Definitions are recam's
 * campaign JSON format; validation errors come back per field, keyed by the
 * JSON path ("prizes[1].stock"). Every change is audited in its own
 * transaction (campaign.create, .update, .publish, .pause, .end,
 * .duplicate, .products.import). The services are campaign/campaign_edit.c
 * and campaign/product_csv.c. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "campaign/campaign_edit.h"
#include "campaign/product_csv.h"
#include "core/clock.h"
#include "core/log.h"

int api_admin_campaigns_list(recam_req *req)
{
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	json_t *list = NULL;
	rc = recam_campaign_edit_list(db, recam_clock_now(), &list);
	recam_db_release(db);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "campaigns", list));
}

static int respond_campaign(recam_req *req, recam_db *db, const char *id, int status)
{
	json_t *c = NULL;
	int rc = recam_campaign_edit_get(db, id, recam_clock_now(), &c);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, status, json_pack("{s:o}", "campaign", c));
}

int api_admin_campaigns_get(recam_req *req)
{
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	rc = respond_campaign(req, db, recam_req_param(req, "id"), MHD_HTTP_OK);
	recam_db_release(db);
	return rc;
}

/* Whether def is a valid definition; false after answering 400 with the
 * faulty fields. */
static bool definition_ok(recam_req *req, json_t *def)
{
	json_t *fields = NULL;
	recam_rules r;
	if (recam_campaign_parse(def, req->lang, &r, &fields) != 0) {
		recam_resp_error(req, RECAM_EINVAL, NULL, fields);
		return false;
	}
	recam_rules_free(&r);
	return true;
}

/* The definition in the body ({"definition": {...}}), validated: NULL after
 * answering 400 with the faulty fields. Returns a new reference. */
static json_t *valid_definition(recam_req *req, json_t *in)
{
	json_t *def = json_object_get(in, "definition");
	if (!json_is_object(def)) {
		recam_resp_error(req, RECAM_EINVAL, NULL,
				 json_pack("{s:s}", "definition",
					   api_admin_msg(req, "キャンペーン定義（definition）を送ってください。",
							 "Send the campaign definition.")));
		return NULL;
	}
	return definition_ok(req, def) ? json_deep_copy(def) : NULL;
}

static int stale(recam_req *req)
{
	return recam_resp_error_code(req, MHD_HTTP_CONFLICT, "stale_version",
				     api_admin_msg(req,
						   "このキャンペーンは、読み込んだ後にほかの人が更新しました。"
						   "最新の内容を読み込み直してから、もう一度変更してください。",
						   "Someone else changed this campaign after you opened it. Reload the latest "
						   "version, then make your change again."),
				     NULL);
}

/* The answer to a refused write. */
static int refused(recam_req *req, int rc, enum recam_edit_fault fault)
{
	switch (fault) {
	case RECAM_EDIT_STALE:
		return stale(req);
	case RECAM_EDIT_SLUG_TAKEN:
		return recam_resp_error(req, RECAM_ECONFLICT, NULL,
					json_pack("{s:s}", "slug",
						  api_admin_msg(req, "このURLはほかのキャンペーンで使われています。",
								"Another campaign uses this URL.")));
	case RECAM_EDIT_SLUG_FIXED:
		return recam_resp_error(req, RECAM_EINVAL, NULL,
					json_pack("{s:s}", "slug",
						  api_admin_msg(req, "公開したキャンペーンのURLは変更できません。",
								"The URL of a campaign once published cannot change.")));
	case RECAM_EDIT_ALREADY:
	case RECAM_EDIT_ENDED:
	case RECAM_EDIT_NOT_PUBLISHED:
	case RECAM_EDIT_PERIOD_OVER:
	case RECAM_EDIT_OK:
		break;
	}
	return rc;
}

/* The "version" member: the version the client loaded, ≥ 1. */
static bool version_of(recam_req *req, json_t *in, int64_t *v)
{
	json_t *jv = json_object_get(in, "version");
	if (json_is_integer(jv) && json_integer_value(jv) >= 1) {
		*v = json_integer_value(jv);
		return true;
	}
	recam_resp_error(req, RECAM_EINVAL, NULL,
			 json_pack("{s:s}", "version",
				   api_admin_msg(req, "読み込んだキャンペーンの version を送ってください。",
						 "Send the version of the campaign you loaded.")));
	return false;
}

/* The body's definition, validated, with its version when version is not
 * NULL: *def is a new reference, or NULL when the request failed or a 400
 * was answered (rc 0). */
static int body_definition(recam_req *req, int64_t *version, json_t **def)
{
	*def = NULL;
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	if (version == NULL || version_of(req, in, version))
		*def = valid_definition(req, in);
	json_decref(in);
	return 0;
}

int api_admin_campaigns_create(recam_req *req)
{
	json_t *def;
	int rc = body_definition(req, NULL, &def);
	if (def == NULL)
		return rc;
	recam_db *db = NULL;
	char id[RECAM_ID_LEN + 1] = "";
	enum recam_edit_fault fault = RECAM_EDIT_OK;
	if ((rc = api_admin_db(req, &db)) == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_campaign_edit_create(db, def, id, &fault);
		rc = api_admin_commit(req, db, rc, "campaign.create", "campaign", id);
	}
	json_decref(def);
	if (rc == 0)
		rc = respond_campaign(req, db, id, MHD_HTTP_CREATED);
	else
		rc = refused(req, rc, fault);
	recam_db_release(db);
	return rc;
}

int api_admin_campaigns_update(recam_req *req)
{
	int64_t version;
	json_t *def;
	int rc = body_definition(req, &version, &def);
	if (def == NULL)
		return rc;
	const char *id = recam_req_param(req, "id");
	recam_db *db = NULL;
	enum recam_edit_fault fault = RECAM_EDIT_OK;
	if ((rc = api_admin_db(req, &db)) == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_campaign_edit_update(db, id, def, version, &fault);
		rc = api_admin_commit(req, db, rc, "campaign.update", "campaign", id);
	}
	json_decref(def);
	if (rc == 0)
		rc = respond_campaign(req, db, id, MHD_HTTP_OK);
	else
		rc = refused(req, rc, fault);
	recam_db_release(db);
	return rc;
}

static int transition_refused(recam_req *req, enum recam_edit_fault f, const char *to)
{
	const char *ja = "", *en = "";
	bool pub = strcmp(to, "published") == 0, paused = strcmp(to, "paused") == 0;
	switch (f) {
	case RECAM_EDIT_STALE:
		return stale(req);
	case RECAM_EDIT_ALREADY:
		ja = pub ? "すでに公開中です。" : paused ? "すでに一時停止中です。" : "すでに終了しています。";
		en = pub ? "It is already published." : paused ? "It is already paused." : "It has already ended.";
		break;
	case RECAM_EDIT_ENDED:
		ja = "終了したキャンペーンは再開できません。続けるときは複製して新しいキャンペーンにしてください。";
		en = "An ended campaign cannot be reopened. Duplicate it to run it again.";
		break;
	case RECAM_EDIT_NOT_PUBLISHED:
		ja = paused ? "公開前のキャンペーンは一時停止できません。" : "公開前のキャンペーンは終了できません。";
		en = paused ? "A draft cannot be paused: it is not published." : "A draft cannot be ended: it is not published.";
		break;
	case RECAM_EDIT_PERIOD_OVER:
		ja = "応募期間の終了日時を過ぎているため公開できません。応募期間を見直してください。";
		en = "The entry period is over, so it cannot be published. Change the entry period first.";
		break;
	case RECAM_EDIT_SLUG_TAKEN:
	case RECAM_EDIT_SLUG_FIXED:
	case RECAM_EDIT_OK:
		return RECAM_EINTERNAL;
	}
	return recam_resp_error_code(req, MHD_HTTP_CONFLICT, "invalid_transition", api_admin_msg(req, ja, en), NULL);
}

static int transition(recam_req *req, const char *to, const char *action)
{
	int64_t version = 0;
	if (req->body.len > 0) { /* the version is optional: {"version": n} */
		json_t *in;
		int rc = recam_req_json(req, &in);
		if (rc != 0)
			return rc;
		bool ok = json_object_get(in, "version") == NULL || version_of(req, in, &version);
		json_decref(in);
		if (!ok)
			return 0;
	}
	const char *id = recam_req_param(req, "id");
	recam_db *db = NULL;
	enum recam_edit_fault fault = RECAM_EDIT_OK;
	int rc = api_admin_db(req, &db);
	if (rc == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_campaign_edit_transition(db, id, to, version, recam_clock_now(), &fault);
		rc = api_admin_commit(req, db, rc, action, "campaign", id);
	}
	if (rc == 0)
		rc = respond_campaign(req, db, id, MHD_HTTP_OK);
	else if (fault != RECAM_EDIT_OK)
		rc = transition_refused(req, fault, to);
	recam_db_release(db);
	return rc;
}

int api_admin_campaigns_publish(recam_req *req) { return transition(req, "published", "campaign.publish"); }
int api_admin_campaigns_pause(recam_req *req) { return transition(req, "paused", "campaign.pause"); }
int api_admin_campaigns_end(recam_req *req) { return transition(req, "ended", "campaign.end"); }

int api_admin_campaigns_duplicate(recam_req *req)
{
	const char *slug = NULL;
	json_t *in = NULL;
	if (req->body.len > 0) { /* {"slug": "..."} is optional */
		int rc = recam_req_json(req, &in);
		if (rc != 0)
			return rc;
		json_t *js = json_object_get(in, "slug");
		slug = json_string_value(js);
		/* the same rule as the definition's slug */
		json_t *probe = json_pack("{s:O?}", "slug", js), *fields = NULL;
		recam_rules r;
		recam_campaign_parse(probe, req->lang, &r, &fields);
		json_t *msg = json_incref(json_object_get(fields, "slug"));
		json_decref(probe);
		json_decref(fields);
		if (js && msg) {
			json_decref(in);
			return recam_resp_error(req, RECAM_EINVAL, NULL, json_pack("{s:o}", "slug", msg));
		}
		json_decref(msg);
		if (slug && slug[0] == '\0')
			slug = NULL;
	}
	const char *id = recam_req_param(req, "id");
	recam_db *db = NULL;
	char new_id[RECAM_ID_LEN + 1] = "";
	enum recam_edit_fault fault = RECAM_EDIT_OK;
	int rc = api_admin_db(req, &db);
	if (rc == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_campaign_edit_duplicate(db, id, slug, api_admin_msg(req, "（コピー）", " (copy)"), new_id, &fault);
		rc = api_admin_commit(req, db, rc, "campaign.duplicate", "campaign", rc == 0 ? new_id : id);
	}
	json_decref(in);
	if (rc == 0)
		rc = respond_campaign(req, db, new_id, MHD_HTTP_CREATED);
	else
		rc = refused(req, rc, fault);
	recam_db_release(db);
	return rc;
}

struct stored_def {
	int64_t version;
	json_t *def;
};

static int read_def(void *ctx, const recam_dbrow *row)
{
	struct stored_def *s = ctx;
	size_t n;
	const char *t = recam_dbrow_text(row, 1, &n);
	json_error_t je;
	s->version = recam_dbrow_int(row, 0);
	s->def = t ? json_loadb(t, n, 0, &je) : NULL;
	return s->def ? 0 : RECAM_EDB;
}

/* The stored definition with the file's products in place of (or after)
 * its own, validated as a whole: 0, or an answer already given. */
static int merge_products(recam_req *req, json_t *def, json_t *products, bool append)
{
	json_t *rules = json_object_get(def, "rules");
	if (!json_is_object(rules)) {
		rules = json_object();
		json_object_set_new(def, "rules", rules);
	}
	json_t *list = json_object_get(rules, "target_products");
	if (append && json_is_array(list))
		json_array_extend(list, products);
	else
		json_object_set(rules, "target_products", products);
	return definition_ok(req, def) ? 0 : RECAM_EINVAL;
}

/* POST …/products/import?version=N&mode=replace|append, the CSV file as the
 * body (any Content-Type: the bytes decide). */
int api_admin_campaigns_import(recam_req *req)
{
	const char *mode = recam_req_query(req, "mode"), *vq = recam_req_query(req, "version");
	int64_t version = 0;
	json_t *fields = json_object();
	if (mode && strcmp(mode, "replace") != 0 && strcmp(mode, "append") != 0)
		json_object_set_new(fields, "mode", json_string(api_admin_msg(req, "replace か append を指定してください。",
									      "replace or append.")));
	if (vq == NULL || recam_parse_i64(recam_str_c(vq), 1, INT64_MAX, &version) != 0)
		json_object_set_new(fields, "version",
				    json_string(api_admin_msg(req, "読み込んだキャンペーンの version を送ってください。",
							      "Send the version of the campaign you loaded.")));
	if (json_object_size(fields) > 0)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	json_decref(fields);
	fields = NULL;
	json_t *products = NULL;
	int rc = recam_product_csv_parse(req->body.data, req->body.len, req->lang, &products, &fields);
	if (rc == RECAM_EINVAL)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	if (rc != 0)
		return rc;
	const char *id = recam_req_param(req, "id");
	size_t imported = json_array_size(products);
	recam_db *db = NULL;
	struct stored_def s = {0, NULL};
	enum recam_edit_fault fault = RECAM_EDIT_OK;
	bool answered = false;
	if ((rc = api_admin_db(req, &db)) == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_db_query_one(db, "SELECT version, definition FROM campaigns WHERE id = ?",
					RECAM_DB_ARGS(DBV_TEXT(id)), read_def, &s);
		if (rc == 0 && s.version != version) {
			fault = RECAM_EDIT_STALE;
			rc = RECAM_ECONFLICT;
		}
		if (rc == 0 && (rc = merge_products(req, s.def, products, mode && strcmp(mode, "append") == 0)) != 0)
			answered = true;
		if (rc == 0)
			rc = recam_campaign_edit_update(db, id, s.def, version, &fault);
		rc = api_admin_commit(req, db, rc, "campaign.products.import", "campaign", id);
	}
	json_decref(products);
	json_decref(s.def);
	if (rc == 0) {
		json_t *c = NULL;
		if ((rc = recam_campaign_edit_get(db, id, recam_clock_now(), &c)) == 0)
			rc = recam_resp_json(req, MHD_HTTP_OK,
					     json_pack("{s:o, s:I}", "campaign", c, "imported", (json_int_t)imported));
	} else if (!answered) {
		rc = refused(req, rc, fault);
	} else {
		rc = 0;
	}
	recam_db_release(db);
	return rc;
}

/* What a shopper's page would show for a definition (saved or not): the
 * console previews drafts through this, the public API never shows them. */
int api_admin_campaigns_preview(recam_req *req)
{
	json_t *def;
	int rc = body_definition(req, NULL, &def);
	if (def == NULL)
		return rc;
	recam_campaign c;
	memset(&c, 0, sizeof(c));
	const char *status = json_string_value(json_object_get(def, "status"));
	recam_strlcpy(c.status, status ? status : "draft", sizeof(c.status));
	c.def = def;
	if ((rc = recam_campaign_parse(def, RECAM_LANG_EN, &c.rules, NULL)) == 0) {
		json_t *pub = recam_campaign_public(&c, recam_clock_now());
		rc = recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "campaign", pub));
	}
	recam_campaign_free(&c);
	return rc;
}
