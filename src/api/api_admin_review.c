/* api_admin_review.c — the review queue for staff: campaigns with their
 * pending counts, the next entry, corrections, approve / reject, the
 * templates of rejection reasons, and the receipt images (the only way to
 * a photo: decrypted here for an authorized user, never cached, audited as
 * a read of personal data). */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/session.h"
#include "api/api.h"
#include "campaign/judge.h"
#include "campaign/review.h"
#include "core/log.h"
#include "http/server.h"
#include "store/blob.h"

#define IMAGE_MAX_BYTES (40u * 1024 * 1024)

int api_admin_review_campaigns(recam_req *req)
{
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	json_t *list = NULL, *templates = NULL;
	rc = recam_review_campaigns(db, true, &list);
	if (rc == 0)
		rc = recam_review_templates(db, false, &templates);
	recam_db_release(db);
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o, s:o}", "campaigns", list, "templates", templates));
}

/* GET review/next?campaign=ID[&after=ENTRY|&before=ENTRY]: the count of
 * pending entries and the next one (oldest first), null when none is left. */
int api_admin_review_next(recam_req *req)
{
	const char *campaign = recam_req_query(req, "campaign");
	const char *after = recam_req_query(req, "after"), *before = recam_req_query(req, "before");
	json_t *fields = json_object();
	if (!recam_id_valid(campaign))
		json_object_set_new(fields, "campaign", json_string(api_admin_msg(req, "キャンペーンを選んでください。",
										  "Choose a campaign.")));
	if ((after && after[0] && !recam_id_valid(after)) || (before && before[0] && !recam_id_valid(before)))
		json_object_set_new(fields, after ? "after" : "before",
				    json_string(api_admin_msg(req, "正しくない応募IDです。", "Not an entry id.")));
	if (json_object_size(fields) > 0)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	json_decref(fields);
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	int64_t count = 0, position = 0;
	char id[RECAM_ID_LEN + 1];
	json_t *entry = NULL;
	bool back = before && before[0];
	rc = recam_review_count(db, campaign, &count);
	if (rc == 0) {
		rc = recam_review_next(db, campaign, back ? before : after, back, id, &position);
		if (rc == 0)
			rc = recam_review_entry_json(db, id, req->lang, &entry);
		else if (rc == RECAM_ENOTFOUND)
			rc = 0; /* an end of the queue (or all decided meanwhile) */
	}
	recam_db_release(db);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK,
			       json_pack("{s:I, s:I, s:o?}", "count", (json_int_t)count, "position", (json_int_t)position,
					 "entry", entry ? entry : json_null()));
}

static int stale(recam_req *req)
{
	return recam_resp_error_code(req, MHD_HTTP_CONFLICT, "stale_entry",
				     api_admin_msg(req,
						   "この応募は他の担当者が先に処理したか、内容が変わっています。最新の内容を読み込み直してください。",
						   "Someone else has decided or changed this entry meanwhile. Reload it."),
				     NULL);
}

static json_t *check_version(recam_req *req, const json_t *in, json_t *fields)
{
	json_t *v = json_object_get(in, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		json_object_set_new(fields, "version",
				    json_string(api_admin_msg(req, "読み込んだ応募の version を送ってください。",
							      "Send the version of the entry you loaded.")));
	return v;
}

/* Answers the field errors (when fields has any), or 404 for an id that
 * cannot be an entry's; otherwise opens the tenant database. *db is left
 * NULL unless it was opened. */
static int open_entry(recam_req *req, json_t *fields, const char *id, recam_db **db)
{
	*db = NULL;
	if (json_object_size(fields) > 0)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	json_decref(fields);
	if (!recam_id_valid(id))
		return RECAM_ENOTFOUND;
	int rc = api_admin_db(req, db);
	if (rc != 0)
		*db = NULL;
	return rc;
}

/* Commits with the audit records, or rolls back and records the failure. */
static int finish(recam_req *req, recam_db *db, int rc, const char *action, const char *id, bool corrected)
{
	if (rc == 0 && corrected)
		rc = api_admin_audit(req, db, "entry.correct", "entry", id, "success", true);
	return api_admin_commit(req, db, rc, action, "entry", id);
}

/* POST review/{id}/corrections {version, receipts: [...]} */
int api_admin_review_correct(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *id = recam_req_param(req, "id");
	json_t *fields = json_object();
	json_t *v = check_version(req, in, fields);
	recam_review_check_corrections(in, req->lang, fields);
	recam_db *db = NULL;
	rc = open_entry(req, fields, id, &db);
	if (db == NULL) {
		json_decref(in);
		return rc;
	}
	recam_review_decision d = {.actor = req->staff->user.id, .version = json_integer_value(v), .corrections = in};
	if ((rc = recam_db_begin(db)) == 0) {
		rc = recam_review_correct(db, id, &d);
		rc = finish(req, db, rc, "entry.correct", id, false);
	}
	json_decref(in);
	json_t *entry = NULL;
	if (rc == 0)
		rc = recam_review_entry_json(db, id, req->lang, &entry);
	recam_db_release(db);
	if (rc == RECAM_ECONFLICT)
		return stale(req);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "entry", entry));
}

static int rules_refused(recam_req *req, const char *reason)
{
	/* Staff words for the reasons the shopper would read otherwise. */
	const char *why = strcmp(reason, "low_confidence") == 0
				  ? api_admin_msg(req, "購入日または合計が入力されていません。入力してから承認してください。",
						  "The purchase date or total is missing. Enter it, then approve.")
				  : recam_reason_message(reason, req->lang);
	const char *msg = recam_arena_printf(req->arena, "%s%s",
					     api_admin_msg(req, "訂正後の内容が応募条件を満たさないため承認できません: ",
							   "The corrected reading does not meet the campaign's rules: "),
					     why);
	json_t *e = json_pack("{s:s, s:s, s:s}", "code", "rules_not_met", "message", msg ? msg : why, "reason", reason);
	return recam_resp_json(req, MHD_HTTP_CONFLICT, e ? json_pack("{s:o}", "error", e) : NULL);
}

/* POST review/{id}/decision {version, decision: approve|reject, template, note, corrections} */
int api_admin_review_decide(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *id = recam_req_param(req, "id");
	const char *decision = json_string_value(json_object_get(in, "decision"));
	const char *tmpl = json_string_value(json_object_get(in, "template"));
	json_t *jnote = json_object_get(in, "note"), *corr = json_object_get(in, "corrections");
	const char *note = json_string_value(jnote);
	bool approve = decision && strcmp(decision, "approve") == 0;
	json_t *fields = json_object();
	json_t *v = check_version(req, in, fields);
	if (decision == NULL || (!approve && strcmp(decision, "reject") != 0))
		json_object_set_new(fields, "decision", json_string(api_admin_msg(req, "承認か却下を選んでください。",
										  "approve or reject.")));
	if (decision && !approve && (tmpl == NULL || tmpl[0] == '\0'))
		json_object_set_new(fields, "template", json_string(api_admin_msg(req, "却下の理由を選んでください。",
										  "Choose a reason for the rejection.")));
	long chars = note ? recam_utf8_text(note, json_string_length(jnote), true) : 0;
	if ((jnote && !json_is_null(jnote) && note == NULL) || chars < 0 || chars > RECAM_REVIEW_NOTE_MAX ||
	    (note && strlen(note) != json_string_length(jnote)))
		json_object_set_new(fields, "note", json_string(api_admin_msg(req, "メモは1000文字以内で入力してください。",
									      "A note of up to 1000 characters.")));
	if (corr && !json_is_null(corr)) {
		json_t *cf = json_object();
		recam_review_check_corrections(corr, req->lang, cf);
		const char *k;
		json_t *m;
		json_object_foreach(cf, k, m) {
			const char *key = recam_arena_printf(req->arena, "corrections.%s", k);
			if (key)
				json_object_set(fields, key, m);
		}
		json_decref(cf);
	}
	recam_db *db = NULL;
	rc = open_entry(req, fields, id, &db);
	if (db == NULL) {
		json_decref(in);
		return rc;
	}
	recam_review_decision d = {.actor = req->staff->user.id,
				   .version = json_integer_value(v),
				   .corrections = json_is_null(corr) ? NULL : corr,
				   .approve = approve,
				   .template_code = approve ? NULL : tmpl,
				   .note = note};
	const char *refused = NULL;
	json_t *result = NULL;
	if ((rc = recam_db_begin(db)) == 0) {
		rc = recam_review_decide(db, id, &d, &refused, &result);
		rc = finish(req, db, rc, approve ? "review.approve" : "review.reject", id, d.corrections != NULL);
	}
	recam_db_release(db);
	if (rc != 0)
		json_decref(result);
	if (rc == RECAM_ECONFLICT && refused) {
		rc = rules_refused(req, refused);
	} else if (rc == RECAM_ECONFLICT) {
		rc = stale(req);
	} else if (rc == RECAM_EINVAL) {
		rc = recam_resp_error(req, RECAM_EINVAL, NULL,
				      json_pack("{s:s}", "template",
						api_admin_msg(req, "この理由テンプレートはありません。", "No such reason template.")));
	} else if (rc == 0) {
		rc = recam_resp_json(req, MHD_HTTP_OK,
				     json_pack("{s:s, s:s, s:I, s:o}", "id", id, "status", approve ? "accepted" : "rejected",
					       "version", (json_int_t)(d.version + 1), "result", result));
	}
	json_decref(in); /* tmpl and note pointed into it */
	return rc;
}

/* GET review/templates: every template, retired ones too (for the editor). */
int api_admin_review_templates(recam_req *req)
{
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	json_t *list = NULL;
	rc = recam_review_templates(db, true, &list);
	recam_db_release(db);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "templates", list));
}

/* PUT review/templates/{code} {label_ja, label_en, message_ja, message_en,
 * position, active, version (0 to create)} */
int api_admin_review_template_put(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *code = recam_req_param(req, "code");
	json_t *jv = json_object_get(in, "version");
	if (!json_is_integer(jv) || json_integer_value(jv) < 0) {
		json_decref(in);
		return recam_resp_error(req, RECAM_EINVAL, NULL,
					json_pack("{s:s}", "version",
						  api_admin_msg(req, "新規は 0、更新は読み込んだ version を送ってください。",
								"0 for a new template, else the version you loaded.")));
	}
	recam_db *db = NULL;
	if ((rc = api_admin_db(req, &db)) != 0) {
		json_decref(in);
		return rc;
	}
	json_t *fields = NULL;
	if ((rc = recam_db_begin(db)) == 0) {
		rc = recam_review_template_save(db, code, in, json_integer_value(jv), req->lang, &fields);
		rc = api_admin_commit(req, db, rc, "review.template.save", "review_template", code);
	}
	json_decref(in);
	json_t *list = NULL;
	if (rc == 0)
		rc = recam_review_templates(db, true, &list);
	recam_db_release(db);
	if (rc == RECAM_EINVAL)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	json_decref(fields);
	if (rc == RECAM_ECONFLICT)
		return recam_resp_error_code(
			req, MHD_HTTP_CONFLICT, "stale_template",
			api_admin_msg(req, "このテンプレートは他の人が先に変更したか、同じコードがすでにあります。読み込み直してください。",
				      "Someone changed this template meanwhile, or the code is taken. Reload."),
			NULL);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "templates", list));
}

/* The image type by its bytes (uploads are never trusted by name). */
static const char *image_type(const unsigned char *p, size_t n, const char **ext)
{
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return *ext = "jpg", "image/jpeg";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return *ext = "png", "image/png";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return *ext = "webp", "image/webp";
	if (n >= 12 && memcmp(p + 4, "ftyp", 4) == 0)
		return *ext = "heic", "image/heic";
	return *ext = "bin", "application/octet-stream";
}

static int read_blob_id(void *ctx, const recam_dbrow *row)
{
	return recam_dbrow_copy_text(row, 0, ctx, RECAM_ID_LEN + 1);
}

/* GET entries/{id}/images/{n}: the photo, decrypted for this request only. */
int api_admin_entry_image(recam_req *req)
{
	const char *id = recam_req_param(req, "id");
	int64_t n;
	if (!recam_id_valid(id) || recam_parse_i64(recam_str_c(recam_req_param(req, "n")), 0, 99, &n) != 0)
		return RECAM_ENOTFOUND;
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	char blob[RECAM_ID_LEN + 1];
	rc = recam_db_query_one(db, "SELECT blob_id FROM entry_images WHERE entry_id = ? AND position = ?",
				RECAM_DB_ARGS(DBV_TEXT(id), DBV_INT(n)), read_blob_id, blob);
	char dir[RECAM_PATH_MAX + 64];
	recam_key key;
	recam_buf img;
	recam_buf_init(&img, IMAGE_MAX_BYTES);
	if (rc == 0)
		rc = recam_store_tenant_dir(req->srv->store, req->tenant->id, dir, sizeof(dir));
	if (rc == 0 && (rc = recam_tenant_key(&req->srv->master, req->tenant, &key)) == 0) {
		rc = recam_blob_get(dir, &key, blob, &img);
		recam_key_wipe(&key);
	}
	/* No photo leaves without its record in the audit log. */
	if (rc == 0)
		rc = api_admin_audit(req, db, "entry.image.read", "entry", id, "success", false);
	recam_db_release(db);
	if (rc != 0) {
		recam_buf_free(&img);
		return rc;
	}
	size_t len;
	char *data = recam_buf_take(&img, &len);
	const char *ext;
	const char *type = image_type((const unsigned char *)data, data ? len : 0, &ext);
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, data, free);
	if (r == NULL) {
		free(data);
		return RECAM_ENOMEM;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	req->file_resp = r;
	req->status = MHD_HTTP_OK;
	req->resp_bytes = len;
	char disp[80];
	snprintf(disp, sizeof(disp), "inline; filename=\"receipt-%s-%d.%s\"", id, (int)n + 1, ext);
	recam_resp_header(req, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	recam_resp_header(req, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
	return 0;
}
