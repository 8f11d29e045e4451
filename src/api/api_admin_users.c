/* api_admin_users.c — staff accounts, security settings and the audit log,
 * for owners (and admins for the audit log). Each change and each read of
 * personal data writes an audit record. */
#include <inttypes.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "account/audit.h"
#include "account/security.h"
#include "account/session.h"
#include "api/api.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/staff.h"
#include "http/table_out.h"

#define AUDIT_PAGE_DEFAULT 50
#define AUDIT_PAGE_MAX 200

static int list_one(void *ctx, const recam_user *u)
{
	json_t **arr = ctx;
	json_array_append_new(arr[0], recam_user_json(u, json_is_true(arr[1])));
	return 0;
}

int api_admin_users_list(recam_req *req)
{
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	json_t *ctx[2] = {json_array(), json_boolean(req->pii)};
	rc = recam_user_list(db, list_one, ctx);
	if (rc >= 0)
		api_admin_audit(req, db, "users.list", "user", "", "success", false);
	recam_db_release(db);
	json_decref(ctx[1]);
	if (rc < 0) {
		json_decref(ctx[0]);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "users", ctx[0]));
}

int api_admin_users_create(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *email_in = json_string_value(json_object_get(in, "email"));
	const char *name = json_string_value(json_object_get(in, "name"));
	const char *role_in = json_string_value(json_object_get(in, "role"));
	const char *password = json_string_value(json_object_get(in, "password"));
	char email[RECAM_EMAIL_MAX + 1] = "";
	enum recam_role role;
	recam_db *db = NULL;
	if ((rc = api_admin_db(req, &db)) != 0) {
		json_decref(in);
		return rc;
	}
	json_t *fields = json_object();
	if (!recam_user_email_normalize(email_in, email))
		json_object_set_new(fields, "email", json_string(api_admin_msg(req, "メールアドレスの形式が正しくありません。",
									       "Enter a valid email address.")));
	if (!recam_user_name_valid(name))
		json_object_set_new(fields, "name", json_string(api_admin_msg(req, "1〜100文字で入力してください。",
									      "1 to 100 characters.")));
	if (recam_role_parse(role_in, &role) != 0)
		json_object_set_new(fields, "role",
				    json_string(api_admin_msg(req, "owner・admin・reviewer・viewer のいずれかを選んでください。",
							      "One of owner, admin, reviewer or viewer.")));
	json_t *pf = password ? api_admin_password_fault(req, db, "password", password, email)
			      : json_pack("{s:s}", "password",
					  api_admin_msg(req, "パスワードを入力してください。", "Enter a password."));
	if (pf)
		json_object_update(fields, pf);
	json_decref(pf);
	if (json_object_size(fields) > 0) {
		json_decref(in);
		recam_db_release(db);
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	}
	json_decref(fields);
	char hash[RECAM_PWHASH_MAX];
	recam_user u;
	rc = recam_password_hash(password, hash);
	if (rc == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_user_create(db, email, name, role, hash, &u);
		rc = api_admin_commit(req, db, rc, "user.create", "user", rc == 0 ? u.id : "");
	}
	json_decref(in); /* name pointed into it */
	recam_db_release(db);
	if (rc == RECAM_ECONFLICT)
		return recam_resp_error(req, RECAM_ECONFLICT, NULL,
					json_pack("{s:s}", "email",
						  api_admin_msg(req, "このメールアドレスはすでに登録されています。",
								"This email address is already in use.")));
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_CREATED, json_pack("{s:o}", "user", recam_user_json(&u, true)));
}

static int last_owner(recam_req *req)
{
	return recam_resp_error_code(req, MHD_HTTP_CONFLICT, "last_owner",
				     api_admin_msg(req, "最後のオーナーは削除・無効化・権限変更できません。先に別のオーナーを追加してください。",
						   "The last owner cannot be removed, disabled or demoted. Add another owner first."),
				     NULL);
}

int api_admin_users_update(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *id = recam_req_param(req, "id");
	json_t *jrole = json_object_get(in, "role"), *jstatus = json_object_get(in, "status");
	enum recam_role role;
	const char *status = json_string_value(jstatus);
	json_t *fields = json_object();
	if (jrole && recam_role_parse(json_string_value(jrole), &role) != 0)
		json_object_set_new(fields, "role",
				    json_string(api_admin_msg(req, "owner・admin・reviewer・viewer のいずれかを選んでください。",
							      "One of owner, admin, reviewer or viewer.")));
	if (jstatus && (status == NULL || (strcmp(status, "active") != 0 && strcmp(status, "disabled") != 0)))
		json_object_set_new(fields, "status", json_string(api_admin_msg(req, "active か disabled を指定してください。",
										"active or disabled.")));
	if (json_object_size(fields) > 0) {
		json_decref(in);
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	}
	json_decref(fields);
	recam_db *db = NULL;
	if ((rc = api_admin_db(req, &db)) != 0) {
		json_decref(in);
		return rc;
	}
	recam_user u;
	if ((rc = recam_db_begin(db)) == 0) {
		rc = recam_user_update(db, id, jrole ? &role : NULL, jstatus ? status : NULL);
		if (rc == 0)
			rc = recam_user_by_id(db, id, &u);
		rc = api_admin_commit(req, db, rc, "user.update", "user", id);
	}
	json_decref(in);
	recam_db_release(db);
	if (rc == RECAM_ECONFLICT)
		return last_owner(req);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "user", recam_user_json(&u, req->pii)));
}

int api_admin_users_delete(recam_req *req)
{
	const char *id = recam_req_param(req, "id");
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	if ((rc = recam_db_begin(db)) == 0) {
		rc = recam_user_delete(db, id);
		rc = api_admin_commit(req, db, rc, "user.delete", "user", id);
	}
	recam_db_release(db);
	if (rc == RECAM_ECONFLICT)
		return last_owner(req);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:s, s:b}", "id", id, "deleted", 1));
}

int api_admin_security_get(recam_req *req)
{
	recam_db *db = NULL;
	recam_security sec;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	rc = recam_security_load(db, &sec);
	recam_db_release(db);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "security", recam_security_json(&sec)));
}

int api_admin_security_put(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	json_t *jv = json_object_get(in, "version");
	recam_db *db = NULL;
	if ((rc = api_admin_db(req, &db)) != 0) {
		json_decref(in);
		return rc;
	}
	recam_security cur, next;
	json_t *fields = json_object();
	if ((rc = recam_security_load(db, &cur)) == 0) {
		recam_security_from_json(in, &cur, &next, fields, req->lang);
		if (!json_is_integer(jv) || json_integer_value(jv) < 0)
			json_object_set_new(fields, "version",
					    json_string(api_admin_msg(req, "読み込んだ設定の version を送ってください。",
								      "Send the version of the settings you loaded.")));
	}
	if (rc == 0 && json_object_size(fields) > 0) {
		json_decref(in);
		recam_db_release(db);
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	}
	json_decref(fields);
	if (rc == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_security_save(db, &next, json_integer_value(jv));
		rc = api_admin_commit(req, db, rc, "settings.security.update", "settings", "security");
	}
	json_decref(in);
	recam_db_release(db);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "security", recam_security_json(&next)));
}

static int audit_row(void *ctx, const recam_dbrow *row)
{
	json_t *arr = ctx;
	char at[40];
	recam_clock_format_rfc3339_ms(recam_dbrow_int(row, 1), at, sizeof(at));
	json_t *r = json_pack("{s:I, s:s}", "seq", (json_int_t)recam_dbrow_int(row, 0), "at", at);
	static const char *const names[] = {"actor", "action", "object_type", "object_id", "outcome", "client",
					    "request_id", "actor_name"};
	for (int i = 0; i < 8; i++) {
		size_t n;
		const char *s = recam_dbrow_text(row, 2 + i, &n);
		json_object_set_new(r, names[i], json_string(s ? s : ""));
	}
	json_array_append_new(arr, r);
	return 0;
}

/* An optional RFC 3339 query argument as unix milliseconds. */
static int time_arg(recam_req *req, const char *name, int64_t def, int64_t *out, json_t *fields)
{
	const char *v = recam_req_query(req, name);
	int64_t s;
	*out = def;
	if (v == NULL || v[0] == '\0')
		return 0;
	if (recam_clock_parse_rfc3339(v, &s) != 0) {
		json_object_set_new(fields, name, json_string(api_admin_msg(req, "RFC 3339 形式の日時を指定してください。",
									    "An RFC 3339 date and time.")));
		return RECAM_EINVAL;
	}
	*out = s * 1000;
	return 0;
}

/* The audit log's filters, from the query string: the same for the list and
 * the export. Empty filters match everything. */
struct audit_filter {
	const char *action, *actor;
	int64_t since, until, cursor, limit;
};

/* NULL when the filters are valid, else the field errors to answer with. */
static json_t *audit_filter_parse(recam_req *req, struct audit_filter *f, bool paged)
{
	const char *cur = recam_req_query(req, "cursor"), *lim = recam_req_query(req, "limit");
	f->action = recam_req_query(req, "action");
	f->actor = recam_req_query(req, "actor");
	f->action = f->action ? f->action : "";
	f->actor = f->actor ? f->actor : "";
	f->cursor = INT64_MAX;
	f->limit = paged ? AUDIT_PAGE_DEFAULT : INT64_MAX - 1;
	json_t *fields = json_object();
	time_arg(req, "since", 0, &f->since, fields);
	time_arg(req, "until", INT64_MAX, &f->until, fields);
	if (cur && cur[0] && recam_parse_i64(recam_str_c(cur), 1, INT64_MAX, &f->cursor) != 0)
		json_object_set_new(fields, "cursor", json_string(api_admin_msg(req, "正しくないカーソルです。", "Invalid cursor.")));
	if (paged && lim && lim[0] && recam_parse_i64(recam_str_c(lim), 1, AUDIT_PAGE_MAX, &f->limit) != 0)
		json_object_set_new(fields, "limit", json_string(api_admin_msg(req, "1〜200の整数にしてください。",
									       "A whole number from 1 to 200.")));
	if (json_object_size(fields) > 0)
		return fields;
	json_decref(fields);
	return NULL;
}

/* Runs the filtered query, newest first, one row callback per record:
 * seq, at_ms, actor, action, object_type, object_id, outcome, client,
 * request_id, actor's name. */
static int audit_query(recam_db *db, const struct audit_filter *f, recam_db_row_fn fn, void *ctx)
{
	return recam_db_query(db,
			      "SELECT a.seq, a.at_ms, a.actor, a.action, a.object_type, a.object_id, a.outcome, a.client, "
			      "a.request_id, u.name FROM audit_log a LEFT JOIN users u ON u.id = a.actor "
			      "WHERE (? = '' OR a.action = ?) AND (? = '' OR a.actor = ?) AND a.at_ms >= ? "
			      "AND a.at_ms < ? AND a.seq < ? ORDER BY a.seq DESC LIMIT ?",
			      RECAM_DB_ARGS(DBV_TEXT(f->action), DBV_TEXT(f->action), DBV_TEXT(f->actor),
					    DBV_TEXT(f->actor), DBV_INT(f->since), DBV_INT(f->until), DBV_INT(f->cursor),
					    DBV_INT(f->limit + 1)),
			      fn, ctx);
}

int api_admin_audit_list(recam_req *req)
{
	struct audit_filter f;
	json_t *fields = audit_filter_parse(req, &f, true);
	if (fields)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	json_t *arr = json_array();
	rc = audit_query(db, &f, audit_row, arr);
	if (rc >= 0)
		api_admin_audit(req, db, "audit.read", "audit_log", "", "success", false);
	recam_db_release(db);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	json_t *next = json_null();
	if ((int64_t)json_array_size(arr) > f.limit) {
		json_array_remove(arr, (size_t)f.limit);
		char c[24];
		snprintf(c, sizeof(c), "%" PRId64,
			 (int64_t)json_integer_value(json_object_get(json_array_get(arr, (size_t)f.limit - 1), "seq")));
		json_decref(next);
		next = json_string(c);
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o, s:o}", "records", arr, "next_cursor", next));
}

static int audit_export_row(void *ctx, const recam_dbrow *row)
{
	char seq[24], at[40];
	snprintf(seq, sizeof(seq), "%" PRId64, recam_dbrow_int(row, 0));
	recam_clock_format_rfc3339_ms(recam_dbrow_int(row, 1), at, sizeof(at));
	const char *cells[11] = {seq, at};
	size_t n;
	for (int i = 2; i < 10; i++)
		cells[i] = recam_dbrow_text(row, i, &n);
	return recam_table_row(ctx, cells);
}

/* The filtered audit log as a download (CSV with BOM, Shift_JIS CSV or
 * .xlsx); the export is itself recorded. */
int api_admin_audit_export(recam_req *req)
{
	static const char *const columns[] = {"seq", "at_utc", "actor", "action", "object_type", "object_id",
					      "outcome", "client", "request_id", "actor_name"};
	enum recam_table_format fmt;
	if (!recam_table_format_parse(recam_req_query(req, "format"), &fmt))
		return api_admin_format_refused(req);
	struct audit_filter f;
	json_t *fields = audit_filter_parse(req, &f, false);
	if (fields)
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	recam_table_out *t = NULL;
	rc = recam_table_begin(req, fmt, "audit-log", columns, sizeof(columns) / sizeof(columns[0]), &t);
	if (rc == 0)
		rc = audit_query(db, &f, audit_export_row, t);
	api_admin_audit(req, db, "audit.export", "audit_log", "", rc >= 0 ? "success" : "failure", false);
	recam_db_release(db);
	if (rc < 0) {
		if (t)
			recam_table_abort(t);
		return rc;
	}
	return recam_table_finish(t);
}
