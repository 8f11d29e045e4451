/* response.h — turning a recam_req's response into a libmicrohttpd one,
 * with the security headers every response carries. */
#ifndef RECAM_RESPONSE_H
#define RECAM_RESPONSE_H

#include "http/request.h"

/* Queues the response built in req (once). */
void recam_response_send(recam_req *req);

#endif
