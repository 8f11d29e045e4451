/* multipart.h — a streaming multipart/form-data parser (RFC 7578, RFC 2046)
 * for receipt uploads. The body arrives in chunks of any size, split
 * anywhere; file bytes are handed to a callback as they arrive and never
 * held (at most one partial delimiter, boundary length + 5 bytes, waits for
 * the next chunk); only text fields are buffered, under a cap.
 *
 * Decisions (why, in short):
 * - CRLF is required wherever the syntax has a line break: before a
 *   delimiter, at the end of the delimiter line and of every part header.
 *   A bare LF there is refused ("malformed_delimiter" / "malformed_headers"),
 *   except inside part content, where "\n--boundary" is just data. Browsers
 *   always send CRLF; accepting LF too would let a front proxy and recam
 *   disagree about where a part ends.
 * - "\r\n--boundary" is a delimiter only when followed by "--", spaces or
 *   tabs, or CR. Followed by anything else it is content (as Go's
 *   mime/multipart decides), so file bytes that happen to contain it
 *   survive. A bare LF right after it is refused, not taken as content.
 * - Ambiguity is refused rather than resolved: duplicate Content-Disposition
 *   or Content-Type headers, duplicate name/filename parameters, duplicate
 *   boundary parameters, folded header lines, a part without a name, a
 *   Content-Transfer-Encoding other than 7bit/8bit/binary.
 * - Filenames are informational: filename* (RFC 5987, UTF-8 only) wins over
 *   filename; quoted-pair escapes are undone; the result is reduced to a
 *   display form (last path segment, no control/bidi characters, invalid
 *   UTF-8 bytes as '_', no leading dots or spaces, at most 255 bytes). It
 *   may be "" and must never be used as a path.
 * - Field values must be valid UTF-8 without NUL ("invalid_utf8",
 *   "nul_in_field"); names must be valid UTF-8 without control characters.
 * - Bytes after the closing delimiter (the epilogue) are ignored and do not
 *   count against max_total_bytes; the HTTP layer caps the request body.
 */
#ifndef RECAM_MULTIPART_H
#define RECAM_MULTIPART_H

#include <stddef.h>

#define RECAM_MULTIPART_BOUNDARY_MAX 70
#define RECAM_MULTIPART_FILENAME_MAX 255

typedef struct recam_multipart recam_multipart;

/* A zero field takes its default (see recam_multipart_limits_default). */
struct recam_multipart_limits {
	size_t max_parts;	 /* fields and files together */
	size_t max_files;
	size_t max_field_bytes;	 /* one text field's value */
	size_t max_header_bytes; /* one part's header block, blank line included */
	size_t max_file_bytes;	 /* one file's content */
	size_t max_total_bytes;	 /* the body up to the closing delimiter */
};

/* Every callback is optional. A non-zero return stops parsing; feed and
 * finish then return that value. Strings are NUL-terminated and valid only
 * during the call. Every part_begin is followed by exactly one part_end
 * unless parsing stops with an error first. */
struct recam_multipart_cb {
	/* A part begins: filename is NULL for a text field and the display form
	 * (possibly "") for a file; content_type is the header value as sent
	 * (untrusted, informational) or NULL when absent. */
	int (*part_begin)(void *ctx, const char *name, const char *filename, const char *content_type);
	/* File content, in order, never with len 0. */
	int (*part_data)(void *ctx, const char *data, size_t len);
	/* The part (file or field) is complete. */
	int (*part_end)(void *ctx);
	/* A whole text field, before its part_end; value[len] is NUL. */
	int (*field)(void *ctx, const char *name, const char *value, size_t len);
};

void recam_multipart_limits_default(struct recam_multipart_limits *lim);

/* Takes the request's Content-Type value. *out is always set, except when
 * memory runs out (then NULL and RECAM_ENOMEM); on any other error it is a
 * parser in the failed state, so the caller reads recam_multipart_reason()
 * and frees it on one path: RECAM_EMEDIA when the type is not
 * multipart/form-data, RECAM_EINVAL when the boundary is missing, empty,
 * longer than 70 or outside RFC 2046's characters. lim may be NULL. */
int recam_multipart_new(const char *content_type, const struct recam_multipart_limits *lim,
			const struct recam_multipart_cb *cb, void *ctx, recam_multipart **out);
/* 0, RECAM_EINVAL (malformed), RECAM_ETOOBIG (a limit), RECAM_ENOMEM or a
 * callback's value. Errors are sticky: later calls return the same one. */
int recam_multipart_feed(recam_multipart *m, const char *data, size_t len);
/* The body ended: RECAM_EINVAL ("truncated") unless the closing delimiter came. */
int recam_multipart_finish(recam_multipart *m);
void recam_multipart_free(recam_multipart *m);

/* Why the last call failed, as a stable snake_case word for logs and the
 * API's error detail: "not_multipart_form_data", "missing_boundary",
 * "invalid_boundary", "malformed_content_type", "body_too_large",
 * "too_many_parts", "too_many_files", "field_too_large", "file_too_large",
 * "headers_too_large", "malformed_delimiter", "malformed_headers",
 * "header_folding", "missing_content_disposition", "malformed_disposition",
 * "missing_name", "unsupported_transfer_encoding", "invalid_utf8",
 * "nul_in_field", "truncated", "callback", "out_of_memory" (also for a
 * NULL parser); "ok" when nothing failed. */
const char *recam_multipart_reason(const recam_multipart *m);

/* Body bytes received but neither passed on nor discarded yet: the current
 * part's header block, or the start of a possible delimiter (at most
 * boundary length + 5). Text field values are counted separately, under
 * max_field_bytes. For tests and metrics. */
size_t recam_multipart_held(const recam_multipart *m);

#endif
