/* request.c — request accessors and response builders for handlers. */
#include "request.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"
#include "core/log.h"
#include "http/server.h"

const char *recam_req_query(recam_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *recam_req_header(recam_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *recam_req_client(recam_req *req)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char client[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		const void *addr = sa->sa_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
							     : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
		if (inet_ntop(sa->sa_family, addr, client, sizeof(client)) == NULL)
			snprintf(client, sizeof(client), "-");
	}
	const char *s = recam_arena_strndup(req->arena, client, strlen(client));
	return s ? s : "-";
}

const char *recam_req_param(recam_req *req, const char *name)
{
	recam_str v = recam_params_get(&req->params, name);
	return recam_arena_strndup(req->arena, v.p, v.n);
}

int recam_req_json(recam_req *req, json_t **out)
{
	const char *ct = recam_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0) {
		recam_resp_error(req, RECAM_EMEDIA, "Content-Type must be application/json", NULL);
		return RECAM_EMEDIA;
	}
	char why[200];
	int rc = recam_json_parse(req->body.data ? req->body.data : "", req->body.len,
				  (int)req->srv->cfg->max_json_depth, out, why, sizeof(why));
	if (rc != 0)
		recam_resp_error(req, rc, why, NULL);
	return rc;
}

int recam_resp_header(recam_req *req, const char *name, const char *value)
{
	if (req->nheaders == RECAM_MAX_RESP_HEADERS)
		return RECAM_ETOOBIG;
	req->hname[req->nheaders] = recam_arena_strndup(req->arena, name, strlen(name));
	req->hvalue[req->nheaders] = recam_arena_strndup(req->arena, value, strlen(value));
	if (req->hname[req->nheaders] == NULL || req->hvalue[req->nheaders] == NULL)
		return RECAM_ENOMEM;
	req->nheaders++;
	return 0;
}

int recam_resp_text(recam_req *req, int status, const char *content_type, const char *text, size_t len)
{
	recam_buf_reset(&req->resp);
	int rc = recam_buf_append(&req->resp, text, len);
	if (rc != 0)
		return rc;
	req->status = status;
	req->content_type = content_type;
	return 0;
}

static int json_to_buf(const char *p, size_t n, void *ctx)
{
	return recam_buf_append(ctx, p, n) == 0 ? 0 : -1;
}

int recam_resp_json(recam_req *req, int status, json_t *body)
{
	recam_buf_reset(&req->resp);
	if (body == NULL)
		return RECAM_ENOMEM;
	/* jansson writes straight into the capped response buffer. */
	int rc = json_dump_callback(body, json_to_buf, &req->resp, JSON_COMPACT) == 0 ? 0 : RECAM_ETOOBIG;
	json_decref(body);
	if (rc != 0)
		return rc;
	req->status = status;
	req->content_type = "application/json; charset=utf-8";
	/* API answers are per user and per moment. */
	recam_resp_header(req, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return 0;
}

int recam_resp_error_code(recam_req *req, int status, const char *code, const char *message, json_t *fields)
{
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (e && fields)
		json_object_set_new(e, "fields", fields);
	else
		json_decref(fields);
	return recam_resp_json(req, status, e ? json_pack("{s:o}", "error", e) : NULL);
}

int recam_resp_error(recam_req *req, int err, const char *detail, json_t *fields)
{
	json_t *e = json_pack("{s:s, s:s}", "code", recam_err_code(err), "message", recam_err_message(err, req->lang));
	if (e == NULL) {
		json_decref(fields);
		return RECAM_ENOMEM;
	}
	if (detail)
		json_object_set_new(e, "detail", json_string(detail));
	if (fields)
		json_object_set_new(e, "fields", fields);
	if (err == RECAM_EMETHOD && req->allow[0])
		recam_resp_header(req, MHD_HTTP_HEADER_ALLOW, req->allow);
	if (err == RECAM_ESHUTDOWN || err == RECAM_EBUSY || err == RECAM_ELIMIT)
		recam_resp_header(req, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	if (err == RECAM_EUNAUTH)
		recam_resp_header(req, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	int status = recam_err_http(err);
	if (status >= 500)
		recam_warn("answering %d %s%s%s", status, recam_err_code(err), detail ? ": " : "", detail ? detail : "");
	return recam_resp_json(req, status, json_pack("{s:o}", "error", e));
}
