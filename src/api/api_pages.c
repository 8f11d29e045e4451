/* api_pages.c — the HTML pages and their assets from web_dir. */
#include "api/api.h"
#include "http/static.h"

int api_page_home(recam_req *req) { return recam_static_serve(req, "index.html"); }

int api_page_static(recam_req *req) { return recam_static_serve(req, recam_req_param(req, "path")); }

int api_page_tenant_home(recam_req *req) { return recam_static_serve(req, "entry/index.html"); }
