/* api_ops.c — health, readiness, metrics and the operator's tenant API. */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/server.h"
#include "store/db.h"
#include "store/jobs.h"

static double process_start;

__attribute__((constructor)) static void note_start(void) { process_start = (double)recam_clock_now_ms() / 1000.0; }

int api_healthz(recam_req *req) { return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok")); }

int api_readyz(recam_req *req)
{
	recam_server *srv = req->srv;
	char why[256] = "";
	int rc = recam_store_check(srv->store, why, sizeof(why));
	int running = atomic_load(&srv->workers_running);
	bool workers_ok = running >= srv->workers_expected;
	bool ready = rc == 0 && workers_ok && !atomic_load(&srv->shutting_down);
	json_t *body = json_pack("{s:s, s:{s:s, s:{s:i, s:i}}}", "status", ready ? "ready" : "not_ready", "checks",
				 "store", rc == 0 ? "ok" : why, "workers", "running", running, "expected",
				 srv->workers_expected);
	if (!ready)
		recam_resp_header(req, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	return recam_resp_json(req, ready ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, body);
}

int api_metrics(recam_req *req)
{
	recam_server *srv = req->srv;
	struct recam_metrics_gauges g = {
		.in_flight = atomic_load(&srv->in_flight),
		.db_errors = recam_db_error_count(),
		.queue_depth = -1,
		.workers_running = atomic_load(&srv->workers_running),
		.start_time = process_start,
	};
	int64_t q;
	if (recam_jobs_queued(srv->store, &q) == 0)
		g.queue_depth = q;
	recam_buf_reset(&req->resp);
	int rc = recam_metrics_render(srv->metrics, &g, &req->resp);
	if (rc != 0)
		return rc;
	req->status = MHD_HTTP_OK;
	req->content_type = "text/plain; version=0.0.4; charset=utf-8";
	return 0;
}

static int list_one(void *ctx, const recam_tenant *t)
{
	json_array_append_new(ctx, api_tenant_json(t));
	return 0;
}

int api_ops_tenant_list(recam_req *req)
{
	json_t *arr = json_array();
	int rc = recam_tenant_list(req->srv->store, list_one, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "tenants", arr));
}

int api_ops_tenant_get(recam_req *req)
{
	recam_tenant t;
	int rc = recam_tenant_by_id(req->srv->store, recam_req_param(req, "id"), &t);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "tenant", api_tenant_json(&t)));
}

int api_ops_tenant_create(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	const char *slug = json_string_value(json_object_get(in, "slug"));
	const char *name = json_string_value(json_object_get(in, "name"));
	json_t *fields = json_object();
	if (slug == NULL || !recam_tenant_slug_valid(slug))
		json_object_set_new(fields, "slug",
				    json_string(req->lang == RECAM_LANG_EN
							? "2 to 48 lower-case letters, digits or hyphens."
							: "半角英小文字・数字・ハイフンで2〜48文字にしてください。"));
	if (name == NULL || !recam_tenant_name_valid(name))
		json_object_set_new(fields, "name",
				    json_string(req->lang == RECAM_LANG_EN ? "1 to 200 characters."
									   : "1〜200文字で入力してください。"));
	if (json_object_size(fields) > 0) {
		json_decref(in);
		return recam_resp_error(req, RECAM_EINVAL, NULL, fields);
	}
	json_decref(fields);
	recam_tenant t;
	rc = recam_tenant_by_slug(req->srv->store, slug, &t);
	if (rc == 0)
		rc = RECAM_ECONFLICT;
	else if (rc == RECAM_ENOTFOUND)
		rc = recam_tenant_create(req->srv->store, &req->srv->master, slug, name, &t);
	json_decref(in);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_CREATED, json_pack("{s:o}", "tenant", api_tenant_json(&t)));
}

int api_test_clock(recam_req *req)
{
	json_t *in;
	int rc = recam_req_json(req, &in);
	if (rc != 0)
		return rc;
	json_t *off = json_object_get(in, "offset_ms");
	if (!json_is_integer(off)) {
		json_decref(in);
		return recam_resp_error(req, RECAM_EINVAL, "offset_ms must be an integer", NULL);
	}
	recam_clock_set_offset_ms(json_integer_value(off));
	json_decref(in);
	recam_warn("test hook: clock offset set to %lld ms", (long long)recam_clock_offset_ms());
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:I}", "offset_ms", (json_int_t)recam_clock_offset_ms()));
}
