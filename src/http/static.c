/* static.c — static files with conditional GET. */
#include "static.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "http/server.h"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".json", "application/json; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".jpeg", "image/jpeg"},
	{".webp", "image/webp"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".txt", "text/plain; charset=utf-8"},
	{".webmanifest", "application/manifest+json"},
};

const char *recam_static_content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot, types[i].ext) == 0)
				return types[i].type;
	/* Unknown types are downloads, never sniffed into something runnable. */
	return "application/octet-stream";
}

/* An If-None-Match list contains our tag (or "*"). */
static bool etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL)
		return false;
	if (strcmp(inm, "*") == 0)
		return true;
	return strstr(inm, etag) != NULL;
}

int recam_static_serve(recam_req *req, const char *rel)
{
	recam_server *srv = req->srv;
	char path[PATH_MAX + 64], real[PATH_MAX];
	if (rel[0] == '/' || snprintf(path, sizeof(path), "%s/%s", srv->web_root, rel) >= (int)sizeof(path))
		return RECAM_ENOTFOUND;
	/* The router already refused "." and ".." segments; resolving links and
	 * checking the prefix again keeps a symlink from leading outside. */
	if (realpath(path, real) == NULL)
		return RECAM_ENOTFOUND;
	size_t rootlen = strlen(srv->web_root);
	if (strncmp(real, srv->web_root, rootlen) != 0 || real[rootlen] != '/')
		return RECAM_ENOTFOUND;
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return RECAM_ENOTFOUND;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return RECAM_ENOTFOUND;
	}
	char etag[64];
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec * 1000000000ull + (unsigned long long)st.st_mtim.tv_nsec);
	const char *type = recam_static_content_type(real);
	/* Pages are revalidated each time so a deploy shows at once; assets
	 * are reused for an hour (the ETag makes revalidation cheap). */
	const char *cache = strncmp(type, "text/html", 9) == 0 ? "no-cache" : "public, max-age=3600";
	recam_resp_header(req, MHD_HTTP_HEADER_ETAG, etag);
	recam_resp_header(req, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
	if (etag_matches(recam_req_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH), etag)) {
		close(fd);
		req->status = MHD_HTTP_NOT_MODIFIED;
		return 0;
	}
	struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
	if (r == NULL) {
		close(fd);
		return RECAM_ENOMEM;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	req->file_resp = r;
	req->status = MHD_HTTP_OK;
	req->resp_bytes = (uint64_t)st.st_size;
	return 0;
}
