/* api_admin_auth.c — staff login, logout, "who am I" and password change,
 * plus the helpers every admin handler shares (tenant database, client,
 * audit record). */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "account/audit.h"
#include "account/session.h"
#include "api/api.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/server.h"
#include "http/staff.h"

const char *api_admin_msg(const recam_req *req, const char *ja, const char *en)
{
	return req->lang == RECAM_LANG_EN ? en : ja;
}

const char *api_admin_text_for(const recam_req *req, const api_admin_text *texts, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(texts[i].code, code) == 0)
			return api_admin_msg(req, texts[i].ja, texts[i].en);
	return code;
}

int api_admin_format_refused(recam_req *req)
{
	return recam_resp_error(req, RECAM_EINVAL, NULL,
				json_pack("{s:s}", "format",
					  api_admin_msg(req, "csv・csv-sjis・xlsx のいずれかを指定してください。",
							"One of csv, csv-sjis or xlsx.")));
}

int api_admin_db(recam_req *req, recam_db **db)
{
	return recam_store_tenant(req->srv->store, req->tenant->id, db);
}

void api_admin_client(recam_req *req, recam_client_info *ci)
{
	ci->address = recam_req_client(req);
	ci->user_agent = recam_req_header(req, MHD_HTTP_HEADER_USER_AGENT);
	ci->rid = req->rid;
}

int api_admin_audit(recam_req *req, recam_db *db, const char *action, const char *otype, const char *oid,
		    const char *outcome, bool in_tx)
{
	const char *actor = req->staff ? req->staff->user.id : "-";
	const char *client = recam_req_client(req);
	return in_tx ? recam_audit_append(db, actor, action, otype, oid, outcome, client, req->rid)
		     : recam_audit_record(db, actor, action, otype, oid, outcome, client, req->rid);
}

int api_admin_commit(recam_req *req, recam_db *db, int rc, const char *action, const char *otype, const char *oid)
{
	if (rc == 0)
		rc = api_admin_audit(req, db, action, otype, oid, "success", true);
	if (rc == 0)
		rc = recam_db_commit(db);
	if (rc != 0) {
		recam_db_rollback(db);
		api_admin_audit(req, db, action, otype, oid, "failure", false);
	}
	return rc;
}

json_t *api_admin_time(int64_t t)
{
	if (t <= 0)
		return json_null();
	char s[32];
	recam_clock_format_rfc3339(t, s, sizeof(s));
	return json_string(s);
}

/* Field errors for a password that the tenant's policy refuses, or NULL. */
json_t *api_admin_password_fault(recam_req *req, recam_db *db, const char *field, const char *password,
				 const char *email)
{
	recam_security sec;
	if (recam_security_load(db, &sec) != 0)
		recam_security_default(&sec);
	enum recam_pw_fault f = recam_password_check(&sec.pw, password, email, req->tenant->slug);
	if (f == RECAM_PW_OK)
		return NULL;
	char buf[160];
	return json_pack("{s:s}", field, recam_password_fault_message(f, req->lang, sec.pw.min_length, buf, sizeof(buf)));
}

/* The distinct permissions of the staff routes that role is granted. */
static json_t *perms_json(enum recam_role role)
{
	json_t *out = json_array();
	for (size_t i = 0; i < recam_nroute_perms; i++) {
		const char *p = recam_route_perms[i].perm;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(recam_route_perms[j].perm, p) == 0;
		if (!seen && recam_role_allows(role, p))
			json_array_append_new(out, json_string(p));
	}
	return out;
}

static json_t *session_json(recam_req *req, const recam_user *u, const char *csrf, int64_t created, int64_t seen,
			    const recam_security *sec)
{
	char idle[40], absolute[40];
	recam_clock_format_rfc3339(seen + (int64_t)sec->idle_timeout_minutes * 60, idle, sizeof(idle));
	recam_clock_format_rfc3339(created + (int64_t)sec->absolute_lifetime_hours * 3600, absolute, sizeof(absolute));
	(void)req;
	/* Their own address and name, whatever the role; the permissions the
	 * console uses to show only what the role may open (the gate decides). */
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:b, s:o}", "user", recam_user_json(u, true), "role",
			 recam_role_name(u->role), "csrf_token", csrf, "idle_expires_at", idle, "expires_at", absolute,
			 "pii", u->role != RECAM_ROLE_VIEWER, "perms", perms_json(u->role));
}

int api_admin_login(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *email_in = json_string_value(json_object_get(in, "email"));
	const char *password = json_string_value(json_object_get(in, "password"));
	char email[RECAM_EMAIL_MAX + 1];
	json_t *fields = json_object();
	if (!recam_user_email_normalize(email_in, email))
		json_object_set_new(fields, "email", json_string(api_admin_msg(req, "メールアドレスを入力してください。",
									       "Enter your email address.")));
	if (password == NULL || password[0] == '\0')
		json_object_set_new(fields, "password",
				    json_string(api_admin_msg(req, "パスワードを入力してください。", "Enter your password.")));
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
	recam_client_info ci;
	api_admin_client(req, &ci);
	recam_user u;
	char token[RECAM_TOKEN_HEX + 1];
	int64_t retry = 0;
	/* Over-long passwords never reach the hash (its cost is not the client's choice). */
	if (strlen(password) > RECAM_PASSWORD_MAX_BYTES)
		password = "";
	rc = recam_session_login(db, email, password, recam_staff_cookie(req), &ci, &u, token, &retry);
	json_decref(in);
	if (rc == RECAM_EUNAUTH) {
		recam_db_release(db);
		return recam_resp_error_code(req, MHD_HTTP_UNAUTHORIZED, "invalid_credentials",
					     api_admin_msg(req, "メールアドレスまたはパスワードが正しくありません。",
							   "The email address or password is not correct."),
					     NULL);
	}
	if (rc == RECAM_ELIMIT) {
		recam_db_release(db);
		char ra[24];
		snprintf(ra, sizeof(ra), "%lld", (long long)retry);
		recam_resp_header(req, MHD_HTTP_HEADER_RETRY_AFTER, ra);
		return recam_resp_error_code(req, MHD_HTTP_TOO_MANY_REQUESTS, "account_locked",
					     api_admin_msg(req,
							   "ログインの失敗が続いたため、このアカウントは一時的にロックされています。"
							   "しばらくしてからもう一度お試しください。",
							   "This account is locked for a while after repeated failed logins. "
							   "Please try again later."),
					     NULL);
	}
	if (rc != 0) {
		recam_db_release(db);
		return rc;
	}
	recam_security sec;
	if (recam_security_load(db, &sec) != 0)
		recam_security_default(&sec);
	recam_db_release(db);
	char csrf[65];
	recam_session_csrf(token, csrf);
	int64_t now = recam_clock_now();
	recam_staff_set_cookie(req, token);
	sodium_memzero(token, sizeof(token));
	return recam_resp_json(req, MHD_HTTP_OK, session_json(req, &u, csrf, now, now, &sec));
}

int api_admin_logout(recam_req *req)
{
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	rc = recam_db_begin(db);
	if (rc == 0)
		rc = recam_session_delete(db, req->staff->token_hash);
	if (rc == 0)
		rc = api_admin_audit(req, db, "logout", "user", req->staff->user.id, "success", true);
	rc = rc == 0 ? recam_db_commit(db) : rc;
	if (rc != 0)
		recam_db_rollback(db);
	recam_db_release(db);
	if (rc != 0)
		return rc;
	recam_staff_set_cookie(req, NULL);
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:b}", "logged_out", 1));
}

int api_admin_session(recam_req *req)
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
	const recam_session *s = req->staff;
	return recam_resp_json(req, MHD_HTTP_OK, session_json(req, &s->user, s->csrf, s->created_at, s->last_seen, &sec));
}

int api_admin_password(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *current = json_string_value(json_object_get(in, "current_password"));
	const char *next = json_string_value(json_object_get(in, "new_password"));
	recam_db *db = NULL;
	if ((rc = api_admin_db(req, &db)) != 0) {
		json_decref(in);
		return rc;
	}
	const recam_user *u = &req->staff->user;
	json_t *fields = NULL;
	if (next == NULL)
		fields = json_pack("{s:s}", "new_password",
				   api_admin_msg(req, "新しいパスワードを入力してください。", "Enter a new password."));
	else if (current == NULL || strlen(current) > RECAM_PASSWORD_MAX_BYTES ||
		 (rc = recam_password_verify(u->password_hash, current, NULL)) == RECAM_EUNAUTH)
		fields = json_pack("{s:s}", "current_password",
				   api_admin_msg(req, "現在のパスワードが正しくありません。", "The current password is not correct."));
	else if (rc == 0)
		fields = api_admin_password_fault(req, db, "new_password", next, u->email);
	if (rc != 0 && rc != RECAM_EUNAUTH) {
		json_decref(in);
		recam_db_release(db);
		return rc;
	}
	if (fields) {
		api_admin_audit(req, db, "password.change", "user", u->id, "failure", false);
		json_decref(in);
		recam_db_release(db);
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	}
	char hash[RECAM_PWHASH_MAX];
	rc = recam_password_hash(next, hash);
	json_decref(in);
	if (rc == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_user_set_password(db, u->id, hash);
		/* Whoever knew the old password is logged out everywhere else. */
		if (rc == 0)
			rc = recam_session_delete_user(db, u->id, req->staff->token_hash);
		if (rc == 0)
			rc = api_admin_audit(req, db, "password.change", "user", u->id, "success", true);
		rc = rc == 0 ? recam_db_commit(db) : rc;
		if (rc != 0)
			recam_db_rollback(db);
	}
	recam_db_release(db);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:b}", "changed", 1));
}
