/* gate.h — the one place that decides, before any handler runs, which
 * tenant a request is for, which route it reaches and whether the caller may
 * call it. Denies by default: a route that does not declare its access is
 * refused. */
#ifndef RECAM_GATE_H
#define RECAM_GATE_H

#include "http/request.h"

/* Sets req->route, params, tenant and path; returns 0 or the error to answer
 * with (404 for an unknown or inactive tenant, 405 with req->allow, 401/403). */
int recam_gate(recam_req *req);

#endif
