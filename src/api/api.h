/* api.h — the route table (every route recam answers, with who may call it)
 * and the handlers behind it, one file per resource. */
#ifndef RECAM_API_H
#define RECAM_API_H

#include "http/request.h"
#include "http/router.h"

extern const recam_route recam_routes[];
extern const size_t recam_nroutes;

/* api_ops.c */
int api_healthz(recam_req *req);
int api_readyz(recam_req *req);
int api_metrics(recam_req *req);
int api_ops_tenant_list(recam_req *req);
int api_ops_tenant_create(recam_req *req);
int api_ops_tenant_get(recam_req *req);
int api_test_clock(recam_req *req);
/* api_pages.c */
int api_page_home(recam_req *req);
int api_page_static(recam_req *req);
int api_page_tenant_home(recam_req *req);
/* api_tenant.c */
int api_tenant_info(recam_req *req);
json_t *api_tenant_json(const recam_tenant *t);

#endif
