/* api_pages.c — the HTML pages and their assets from web_dir. */
#include <microhttpd.h>
#include <string.h>

#include "api/api.h"
#include "http/static.h"

int api_page_home(recam_req *req) { return recam_static_serve(req, "index.html"); }

int api_page_static(recam_req *req) { return recam_static_serve(req, recam_req_param(req, "path")); }

/* Serves page, after sending /t/demo to /t/demo/ (and /t/demo/admin to
 * /t/demo/admin/) so the page's relative API URLs resolve inside the tenant. */
static int page_in_dir(recam_req *req, const char *page)
{
	size_t n = strlen(req->url);
	if (n == 0 || req->url[n - 1] != '/') {
		const char *loc = recam_arena_printf(req->arena, "%s/", req->url);
		if (loc == NULL)
			return RECAM_ENOMEM;
		recam_resp_header(req, MHD_HTTP_HEADER_LOCATION, loc);
		return recam_resp_text(req, MHD_HTTP_PERMANENT_REDIRECT, "text/plain; charset=utf-8", "", 0);
	}
	return recam_static_serve(req, page);
}

int api_page_tenant_home(recam_req *req) { return page_in_dir(req, "entry/index.html"); }

int api_page_admin(recam_req *req) { return page_in_dir(req, "admin/index.html"); }

int api_page_campaign(recam_req *req) { return recam_static_serve(req, "entry/campaign.html"); }
