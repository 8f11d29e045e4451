/* api_upload.c — receipt photos streamed from a multipart body into the
 * encrypted blob store (see api_upload.h). */
#include "api_upload.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "account/tenant.h"
#include "core/error.h"
#include "http/server.h"
#include "store/store.h"

#define MAX_PHOTO_BYTES (20u * 1024 * 1024)

static void upload_cleanup(recam_req *req)
{
	api_upload *u = req->state;
	if (u == NULL)
		return;
	recam_blob_abort(u->w);
	recam_multipart_free(u->mp);
	for (int i = 0; !u->kept && i < u->n; i++)
		recam_blob_delete(u->dir, u->img[i].blob_id);
	recam_key_wipe(&u->key);
	free(u);
	req->state = NULL;
}

static int on_part_begin(void *ctx, const char *name, const char *filename, const char *content_type)
{
	(void)content_type; /* untrusted: the reader checks the bytes themselves */
	api_upload *u = ctx;
	if (filename == NULL)
		return 0;
	if (strcmp(name, "receipt") != 0)
		return RECAM_EINVAL;
	if (u->n == u->opts->max_photos) {
		u->too_many = true;
		return RECAM_ETOOBIG;
	}
	return recam_blob_writer_open(u->dir, &u->key, MAX_PHOTO_BYTES, &u->w);
}

static int on_part_data(void *ctx, const char *data, size_t len)
{
	api_upload *u = ctx;
	return u->w ? recam_blob_write(u->w, data, len) : RECAM_EINVAL;
}

static int on_part_end(void *ctx)
{
	api_upload *u = ctx;
	if (u->w == NULL)
		return 0;
	size_t n = recam_blob_written(u->w);
	struct recam_entry_image *im = &u->img[u->n];
	int rc = recam_blob_commit(u->w, im->blob_id, im->sha256);
	u->w = NULL;
	if (rc != 0)
		return rc;
	if (n == 0) { /* an empty file input: no photo chosen */
		recam_blob_delete(u->dir, im->blob_id);
		return 0;
	}
	u->n++;
	return 0;
}

static int on_field(void *ctx, const char *name, const char *value, size_t len)
{
	(void)len;
	api_upload *u = ctx;
	return u->opts->on_field ? u->opts->on_field(u, name, value) : 0;
}

static const struct recam_multipart_cb upload_cb = {on_part_begin, on_part_data, on_part_end, on_field};

static int upload_start(recam_req *req, const struct api_upload_opts *opts, api_upload **out)
{
	api_upload *u = calloc(1, opts->size);
	*out = u;
	if (u == NULL)
		return RECAM_ENOMEM;
	u->opts = opts;
	req->state = u;
	req->cleanup = upload_cleanup;
	int rc = recam_store_tenant_dir(req->srv->store, req->tenant->id, u->dir, sizeof(u->dir));
	if (rc == 0)
		rc = recam_tenant_key(&req->srv->master, req->tenant, &u->key);
	struct recam_multipart_limits lim;
	recam_multipart_limits_default(&lim);
	lim.max_files = opts->max_files;
	lim.max_parts = opts->max_parts;
	lim.max_field_bytes = 1024;
	lim.max_file_bytes = MAX_PHOTO_BYTES;
	lim.max_total_bytes = req->srv->cfg->max_upload_bytes;
	if (rc == 0)
		rc = recam_multipart_new(recam_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE), &lim, &upload_cb, u, &u->mp);
	return rc;
}

int api_upload_body(recam_req *req, const char *data, size_t len, const struct api_upload_opts *opts)
{
	api_upload *u = req->state;
	if (u == NULL) {
		int rc = upload_start(req, opts, &u);
		if (u == NULL)
			return rc;
		if (rc != 0) {
			u->err = rc;
			return 0; /* answered with the reason once the body has ended */
		}
	}
	if (u->err != 0)
		return 0;
	int rc = recam_multipart_feed(u->mp, data, len);
	if (rc == RECAM_ETOOBIG && !u->too_many)
		return rc;
	u->err = rc;
	return 0;
}

int api_upload_end(api_upload *u)
{
	if (u->err == 0)
		u->err = recam_multipart_finish(u->mp);
	return u->err;
}
