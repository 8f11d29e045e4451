/* api_upload.h — receipt photos sent as a multipart body (file parts named
 * "receipt"), streamed into the tenant's encrypted blob store as they
 * arrive: the shopper's entry (api_entry.c) and the staff's reader test
 * (api_admin_reader.c). Photos that do not become part of a record (kept
 * still false) are deleted with the request. */
#ifndef RECAM_API_UPLOAD_H
#define RECAM_API_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "campaign/entry.h"
#include "core/config.h"
#include "core/crypto.h"
#include "http/multipart.h"
#include "http/request.h"
#include "store/blob.h"

#define API_UPLOAD_MAX_PHOTOS RECAM_ENTRY_MAX_IMAGES

typedef struct api_upload api_upload;

struct api_upload_opts {
	int max_photos;	       /* ≤ API_UPLOAD_MAX_PHOTOS; one more sets too_many */
	size_t max_files;      /* multipart limits: file parts, empty inputs included */
	size_t max_parts;      /* and all parts */
	size_t size;	       /* of the caller's state, which starts with an api_upload */
	/* each field that is not a file, or NULL */
	int (*on_field)(api_upload *u, const char *name, const char *value);
};

struct api_upload {
	const struct api_upload_opts *opts;
	recam_multipart *mp;
	recam_blob_writer *w; /* the photo being received */
	struct recam_entry_image img[API_UPLOAD_MAX_PHOTOS];
	int n;
	bool kept;     /* the photos now belong to a record */
	bool too_many; /* more photos than opts->max_photos */
	int err;
	char dir[RECAM_PATH_MAX + 64];
	recam_key key; /* the tenant's data key */
};

/* The route's body callback: the first call makes req->state (opts->size
 * bytes) and its cleanup; faults are kept in err for the handler, except a
 * body over its limits, refused at once (413). */
int api_upload_body(recam_req *req, const char *data, size_t len, const struct api_upload_opts *opts);
/* Once the body has ended: its fault (RECAM_EMEDIA when it was not
 * multipart/form-data, RECAM_ETOOBIG, another code when garbled), or 0. */
int api_upload_end(api_upload *u);

#endif
