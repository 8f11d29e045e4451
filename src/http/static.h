/* static.h — files of the front-end from web_dir: content type by
 * extension, ETag and Cache-Control, never a byte from outside web_dir. */
#ifndef RECAM_STATIC_H
#define RECAM_STATIC_H

#include "http/request.h"

/* Serves rel (a path inside web_dir, without leading '/'). */
int recam_static_serve(recam_req *req, const char *rel);
const char *recam_static_content_type(const char *path);

#endif
