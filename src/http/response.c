/* response.c — response building and the security headers. */
#include "response.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "http/server.h"

/* Pages are static files calling the JSON API: nothing inline, nothing from
 * elsewhere, never framed. Images may be data:/blob: URLs (upload previews). */
static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
			  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
			  "form-action 'self'; frame-ancestors 'none'";

static void add_security_headers(recam_req *req, struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "geolocation=(), microphone=(), payment=()");
	if (req->srv->tls)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
	MHD_add_response_header(r, "X-Request-Id", req->rid);
}

void recam_response_send(recam_req *req)
{
	if (req->queued)
		return;
	struct MHD_Response *r = req->file_resp;
	if (r) {
		req->file_resp = NULL;
	} else {
		size_t len;
		char *data = recam_buf_take(&req->resp, &len);
		r = MHD_create_response_from_buffer_with_free_callback(len, data ? data : NULL, free);
		if (r == NULL) {
			free(data);
			recam_error("cannot create a response");
			return;
		}
		req->resp_bytes = len;
		if (req->content_type)
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, req->content_type);
	}
	add_security_headers(req, r);
	for (int i = 0; i < req->nheaders; i++)
		MHD_add_response_header(r, req->hname[i], req->hvalue[i]);
	/* While shutting down, let clients reconnect elsewhere. */
	if (atomic_load(&req->srv->shutting_down))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	/* Refused only in the middle of a request body; the caller answers at
	 * the end of the body instead. */
	if (MHD_queue_response(req->conn, (unsigned)req->status, r) == MHD_YES)
		req->queued = true;
	MHD_destroy_response(r);
}

int recam_response_fd(recam_req *req, int fd, uint64_t size, const char *content_type, const char *filename)
{
	struct MHD_Response *r = MHD_create_response_from_fd64(size, fd);
	if (r == NULL) {
		close(fd);
		return RECAM_ENOMEM;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (filename) {
		char disposition[192];
		snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", filename);
		MHD_add_response_header(r, "Content-Disposition", disposition);
	}
	if (req->file_resp)
		MHD_destroy_response(req->file_resp);
	req->file_resp = r;
	req->status = MHD_HTTP_OK;
	req->resp_bytes = size;
	return 0;
}
