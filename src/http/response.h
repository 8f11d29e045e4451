/* response.h — turning a recam_req's response into a libmicrohttpd one,
 * with the security headers every response carries. */
#ifndef RECAM_RESPONSE_H
#define RECAM_RESPONSE_H

#include "http/request.h"

/* Queues the response built in req (once). */
void recam_response_send(recam_req *req);
/* Makes the open file fd (size bytes from offset 0) the response, as a
 * download named filename (ASCII) when that is not NULL, never cached.
 * Takes fd: it is closed with the response, or at once on failure. */
int recam_response_fd(recam_req *req, int fd, uint64_t size, const char *content_type, const char *filename);

#endif
