/* image.h — untrusted image bytes → pixels, by content and within limits.
 *
 * The type comes from magic bytes, never from a name or Content-Type. The
 * dimensions come from the header and are checked before anything is
 * decoded (DESIGN pitfall 6: a 438 KB PNG can claim 20000×20000). Decoding is
 * from memory only (pitfall 10). EXIF orientation is applied for JPEG
 * (pitfall 5); libheif applies HEIC's own rotation. */
#ifndef RECAM_RECEIPT_IMAGE_H
#define RECAM_RECEIPT_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct Pix;

typedef enum recam_image_type {
	RECAM_IMAGE_UNKNOWN = 0,
	RECAM_IMAGE_JPEG,
	RECAM_IMAGE_PNG,
	RECAM_IMAGE_WEBP,
	RECAM_IMAGE_HEIF,
} recam_image_type;

typedef struct recam_image_limits {
	size_t max_bytes;	/* 40 MB */
	uint64_t max_pixels;	/* 40 Mpx */
	int max_side;		/* 16384 px */
} recam_image_limits;

void recam_image_limits_default(recam_image_limits *lim);
const char *recam_image_type_name(recam_image_type t);

/* The type by magic bytes; RECAM_IMAGE_UNKNOWN for anything else. */
recam_image_type recam_image_probe(const unsigned char *p, size_t n);

/* Type and size from the header alone, checked against lim.
 * RECAM_EMEDIA: not an image we read, or a header that does not parse;
 * RECAM_ETOOBIG: over a byte or pixel limit. */
int recam_image_header(const unsigned char *p, size_t n, const recam_image_limits *lim, recam_image_type *type,
		       int *w, int *h);

/* Decodes to an 8-bit grey Pix, upright. *orientation receives the EXIF
 * orientation applied (1 when none). Errors as recam_image_header, plus
 * RECAM_EMEDIA for data that fails to decode. */
int recam_image_decode(const unsigned char *p, size_t n, const recam_image_limits *lim, struct Pix **out,
		       int *orientation);

/* Leptonica writes its errors to stderr; hostile input makes a lot of them. */
void recam_image_quiet(void);

#endif
