/* api_tenant.c — a tenant's public information, read from its database. */
#include <microhttpd.h>

#include "api/api.h"
#include "core/log.h"
#include "http/server.h"

json_t *api_tenant_json(const recam_tenant *t)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?}", "id", t->id, "slug", t->slug, "name", t->name, "status",
			 t->status, "host", t->host[0] ? t->host : NULL);
}

static int add_setting(void *ctx, const recam_dbrow *row)
{
	size_t kn, vn;
	const char *k = recam_dbrow_text(row, 0, &kn);
	const char *v = recam_dbrow_text(row, 1, &vn);
	json_object_set_new(ctx, k, json_stringn(v, vn));
	return 0;
}

int api_tenant_info(recam_req *req)
{
	recam_db *db;
	int rc = recam_store_tenant(req->srv->store, req->tenant->id, &db);
	if (rc != 0)
		return rc;
	json_t *settings = json_object();
	/* Only the settings meant for the public page. */
	rc = recam_db_query(db, "SELECT key, value FROM tenant_settings WHERE key LIKE 'public.%' ORDER BY key",
			    RECAM_DB_NOARGS, add_setting, settings);
	recam_db_release(db);
	if (rc < 0) {
		json_decref(settings);
		return rc;
	}
	json_t *body = json_pack("{s:{s:s, s:s}, s:o}", "tenant", "slug", req->tenant->slug, "name", req->tenant->name,
				 "settings", settings);
	return recam_resp_json(req, MHD_HTTP_OK, body);
}
