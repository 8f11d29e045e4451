/* image.c — probe, limit and decode untrusted images (Leptonica for JPEG,
 * PNG and WebP; libheif for HEIC/HEIF; libexif for JPEG orientation). */
#include "receipt/image.h"

#include <leptonica/allheaders.h>
#include <libexif/exif-data.h>
#include <libheif/heif.h>
#include <stdbool.h>
#include <string.h>

#include "core/error.h"

void recam_image_limits_default(recam_image_limits *lim)
{
	lim->max_bytes = 40u * 1000 * 1000;
	lim->max_pixels = 40ull * 1000 * 1000;
	lim->max_side = 16384;
}

const char *recam_image_type_name(recam_image_type t)
{
	switch (t) {
	case RECAM_IMAGE_JPEG: return "jpeg";
	case RECAM_IMAGE_PNG: return "png";
	case RECAM_IMAGE_WEBP: return "webp";
	case RECAM_IMAGE_HEIF: return "heif";
	default: return "unknown";
	}
}

recam_image_type recam_image_probe(const unsigned char *p, size_t n)
{
	if (p == NULL)
		return RECAM_IMAGE_UNKNOWN;
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return RECAM_IMAGE_JPEG;
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return RECAM_IMAGE_PNG;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return RECAM_IMAGE_WEBP;
	/* ISO-BMFF: a ftyp box whose major brand is one of HEIF's */
	if (n >= 12 && memcmp(p + 4, "ftyp", 4) == 0) {
		static const char *const brands[] = {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", NULL};
		for (const char *const *b = brands; *b; b++)
			if (memcmp(p + 8, *b, 4) == 0)
				return RECAM_IMAGE_HEIF;
	}
	return RECAM_IMAGE_UNKNOWN;
}

static int check_dims(const recam_image_limits *lim, int w, int h)
{
	if (w <= 0 || h <= 0)
		return RECAM_EMEDIA;
	if (w > lim->max_side || h > lim->max_side || (uint64_t)w * (uint64_t)h > lim->max_pixels)
		return RECAM_ETOOBIG;
	return 0;
}

static struct heif_context *heif_open(const unsigned char *p, size_t n, const recam_image_limits *lim,
				      struct heif_image_handle **hd)
{
	struct heif_context *ctx = heif_context_alloc();
	if (ctx == NULL)
		return NULL;
	/* libheif's own limit, so even its header parsing refuses giants */
	heif_context_set_maximum_image_size_limit(ctx, lim->max_side);
	struct heif_error err = heif_context_read_from_memory_without_copy(ctx, p, n, NULL);
	if (err.code != heif_error_Ok) {
		heif_context_free(ctx);
		return NULL;
	}
	err = heif_context_get_primary_image_handle(ctx, hd);
	if (err.code != heif_error_Ok) {
		heif_context_free(ctx);
		return NULL;
	}
	return ctx;
}

int recam_image_header(const unsigned char *p, size_t n, const recam_image_limits *lim, recam_image_type *type,
		       int *w, int *h)
{
	*type = recam_image_probe(p, n);
	*w = *h = 0;
	if (n > lim->max_bytes)
		return RECAM_ETOOBIG;
	if (*type == RECAM_IMAGE_UNKNOWN)
		return RECAM_EMEDIA;
	if (*type == RECAM_IMAGE_HEIF) {
		struct heif_image_handle *hd = NULL;
		struct heif_context *ctx = heif_open(p, n, lim, &hd);
		if (ctx == NULL)
			return RECAM_EMEDIA;
		*w = heif_image_handle_get_width(hd);
		*h = heif_image_handle_get_height(hd);
		heif_image_handle_release(hd);
		heif_context_free(ctx);
		return check_dims(lim, *w, *h);
	}
	l_int32 fmt, pw, ph, bps, spp, cmap;
	if (pixReadHeaderMem(p, n, &fmt, &pw, &ph, &bps, &spp, &cmap) != 0)
		return RECAM_EMEDIA;
	/* the header must agree with the magic: no format confusion */
	bool agree = (*type == RECAM_IMAGE_JPEG && fmt == IFF_JFIF_JPEG) || (*type == RECAM_IMAGE_PNG && fmt == IFF_PNG) ||
		     (*type == RECAM_IMAGE_WEBP && fmt == IFF_WEBP);
	if (!agree)
		return RECAM_EMEDIA;
	*w = pw;
	*h = ph;
	return check_dims(lim, pw, ph);
}

static int exif_orientation(const unsigned char *p, size_t n)
{
	ExifData *ed = exif_data_new_from_data(p, (unsigned int)(n > 0xFFFFFFFFu ? 0xFFFFFFFFu : n));
	if (ed == NULL)
		return 1;
	int o = 1;
	ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
	if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1 && e->size >= 2)
		o = exif_get_short(e->data, exif_data_get_byte_order(ed));
	exif_data_unref(ed);
	return o >= 1 && o <= 8 ? o : 1;
}

/* EXIF orientation → upright: rotations are clockwise quarter turns. */
static PIX *apply_orientation(PIX *pix, int o)
{
	PIX *t = NULL, *r = NULL;
	switch (o) {
	case 2: return pixFlipLR(NULL, pix);
	case 3: return pixRotateOrth(pix, 2);
	case 4: return pixFlipTB(NULL, pix);
	case 5:
		t = pixFlipLR(NULL, pix);
		r = t ? pixRotateOrth(t, 3) : NULL;
		pixDestroy(&t);
		return r;
	case 6: return pixRotateOrth(pix, 1);
	case 7:
		t = pixFlipLR(NULL, pix);
		r = t ? pixRotateOrth(t, 1) : NULL;
		pixDestroy(&t);
		return r;
	case 8: return pixRotateOrth(pix, 3);
	default: return pixClone(pix);
	}
}

static PIX *to_grey(PIX *pix)
{
	if (pixGetDepth(pix) == 8 && pixGetColormap(pix) == NULL)
		return pixClone(pix);
	PIX *t = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
	if (t == NULL)
		return NULL;
	PIX *g = NULL;
	int d = pixGetDepth(t);
	if (d == 32)
		g = pixConvertRGBToLuminance(t);
	else if (d == 8)
		g = pixClone(t);
	else
		g = pixConvertTo8(t, 0);
	pixDestroy(&t);
	return g;
}

static PIX *decode_heif(const unsigned char *p, size_t n, const recam_image_limits *lim)
{
	struct heif_image_handle *hd = NULL;
	struct heif_context *ctx = heif_open(p, n, lim, &hd);
	if (ctx == NULL)
		return NULL;
	PIX *pix = NULL;
	struct heif_image *img = NULL;
	struct heif_error err = heif_decode_image(hd, &img, heif_colorspace_RGB, heif_chroma_interleaved_RGB, NULL);
	if (err.code != heif_error_Ok)
		goto out;
	int stride = 0;
	const uint8_t *data = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
	int w = heif_image_get_width(img, heif_channel_interleaved);
	int h = heif_image_get_height(img, heif_channel_interleaved);
	if (data == NULL || check_dims(lim, w, h) != 0 || stride < 3 * w)
		goto out;
	pix = pixCreate(w, h, 8);
	if (pix == NULL)
		goto out;
	l_uint32 *pd = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		const uint8_t *row = data + (size_t)y * (size_t)stride;
		l_uint32 *line = pd + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++) {
			unsigned v = (77u * row[3 * x] + 150u * row[3 * x + 1] + 29u * row[3 * x + 2]) >> 8;
			SET_DATA_BYTE(line, x, v);
		}
	}
out:
	if (img)
		heif_image_release(img);
	heif_image_handle_release(hd);
	heif_context_free(ctx);
	return pix;
}

int recam_image_decode(const unsigned char *p, size_t n, const recam_image_limits *lim, struct Pix **out,
		       int *orientation)
{
	recam_image_type type;
	int w, h;
	*out = NULL;
	if (orientation)
		*orientation = 1;
	int rc = recam_image_header(p, n, lim, &type, &w, &h);
	if (rc != 0)
		return rc;
	if (type == RECAM_IMAGE_HEIF) {
		PIX *g = decode_heif(p, n, lim);
		if (g == NULL)
			return RECAM_EMEDIA;
		*out = g;
		return 0;
	}
	PIX *pix = pixReadMem(p, n);
	if (pix == NULL)
		return RECAM_EMEDIA;
	/* the decoder must produce what the header promised */
	if (pixGetWidth(pix) != w || pixGetHeight(pix) != h) {
		pixDestroy(&pix);
		return RECAM_EMEDIA;
	}
	PIX *g = to_grey(pix);
	pixDestroy(&pix);
	if (g == NULL)
		return RECAM_ENOMEM;
	if (type == RECAM_IMAGE_JPEG) {
		int o = exif_orientation(p, n);
		if (orientation)
			*orientation = o;
		if (o != 1) {
			PIX *r = apply_orientation(g, o);
			pixDestroy(&g);
			if (r == NULL)
				return RECAM_ENOMEM;
			g = r;
		}
	}
	*out = g;
	return 0;
}

void recam_image_quiet(void) { setMsgSeverity(L_SEVERITY_NONE); }
