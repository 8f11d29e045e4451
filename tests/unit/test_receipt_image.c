/* Hostile and ordinary images through the probe and the decoder: every bad
 * input gets a clear error, limits are checked before decoding, EXIF
 * orientation is applied. Images are built in the test. */
#include <criterion/criterion.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "receipt/image.h"

static recam_image_limits lim;

static void setup(void)
{
	recam_image_limits_default(&lim);
	recam_image_quiet();
}

TestSuite(receipt_image, .init = setup);

static unsigned char *encode(int w, int h, int format, size_t *n)
{
	PIX *p = pixCreate(w, h, 8);
	pixSetAll(p);
	l_uint8 *data = NULL;
	size_t size = 0;
	int rc = format == IFF_PNG ? pixWriteMemPng(&data, &size, p, 0) : pixWriteMemJpeg(&data, &size, p, 90, 0);
	pixDestroy(&p);
	cr_assert_eq(rc, 0);
	*n = size;
	return data;
}

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

Test(receipt_image, probe_by_content)
{
	size_t n;
	unsigned char *png = encode(4, 4, IFF_PNG, &n);
	cr_assert_eq(recam_image_probe(png, n), RECAM_IMAGE_PNG);
	free(png);
	unsigned char *jpg = encode(4, 4, IFF_JFIF_JPEG, &n);
	cr_assert_eq(recam_image_probe(jpg, n), RECAM_IMAGE_JPEG);
	free(jpg);
	cr_assert_eq(recam_image_probe((const unsigned char *)"RIFF\0\0\0\0WEBPVP8 ", 16), RECAM_IMAGE_WEBP);
	cr_assert_eq(recam_image_probe((const unsigned char *)"\0\0\0\x18" "ftypheic", 12), RECAM_IMAGE_HEIF);
	cr_assert_eq(recam_image_probe((const unsigned char *)"GIF89a", 6), RECAM_IMAGE_UNKNOWN);
	cr_assert_eq(recam_image_probe(NULL, 0), RECAM_IMAGE_UNKNOWN);
}

Test(receipt_image, zero_bytes_and_wrong_magic)
{
	PIX *p = NULL;
	cr_assert_eq(recam_image_decode((const unsigned char *)"", 0, &lim, &p, NULL), RECAM_EMEDIA);
	const char *text = "<html>not an image</html>";
	cr_assert_eq(recam_image_decode((const unsigned char *)text, strlen(text), &lim, &p, NULL), RECAM_EMEDIA);
	cr_assert_null(p);
}

Test(receipt_image, huge_png_header_refused_before_decoding)
{
	size_t n;
	unsigned char *png = encode(1, 1, IFF_PNG, &n);
	/* IHDR data starts at byte 16: width, height; its CRC covers type+data */
	put32(png + 16, 65535);
	put32(png + 20, 65535);
	put32(png + 29, crc32_png(png + 12, 17));
	recam_image_type t;
	int w, h;
	cr_assert_eq(recam_image_header(png, n, &lim, &t, &w, &h), RECAM_ETOOBIG);
	cr_assert_eq(w, 65535);
	PIX *p = NULL;
	cr_assert_eq(recam_image_decode(png, n, &lim, &p, NULL), RECAM_ETOOBIG);
	free(png);
}

Test(receipt_image, huge_jpeg_header_refused)
{
	size_t n;
	unsigned char *jpg = encode(8, 8, IFF_JFIF_JPEG, &n);
	size_t i = 2;
	for (; i + 9 < n; i++)
		if (jpg[i] == 0xFF && (jpg[i + 1] == 0xC0 || jpg[i + 1] == 0xC2))
			break;
	cr_assert_lt(i + 9, n);
	jpg[i + 5] = jpg[i + 7] = 0x75; /* 30000 × 30000 */
	jpg[i + 6] = jpg[i + 8] = 0x30;
	PIX *p = NULL;
	cr_assert_eq(recam_image_decode(jpg, n, &lim, &p, NULL), RECAM_ETOOBIG);
	free(jpg);
}

Test(receipt_image, byte_limit)
{
	recam_image_limits small = lim;
	small.max_bytes = 10;
	size_t n;
	unsigned char *png = encode(4, 4, IFF_PNG, &n);
	PIX *p = NULL;
	cr_assert_eq(recam_image_decode(png, n, &small, &p, NULL), RECAM_ETOOBIG);
	free(png);
}

Test(receipt_image, truncated)
{
	size_t n;
	unsigned char *png = encode(64, 64, IFF_PNG, &n);
	PIX *p = NULL;
	for (size_t cut = 0; cut < n; cut += 7) {
		int rc = recam_image_decode(png, cut, &lim, &p, NULL);
		cr_assert(rc == RECAM_EMEDIA || rc == 0, "cut %zu gave %d", cut, rc);
		pixDestroy(&p);
	}
	free(png);
	unsigned char *jpg = encode(64, 64, IFF_JFIF_JPEG, &n);
	for (size_t cut = 0; cut < n; cut += 5) {
		int rc = recam_image_decode(jpg, cut, &lim, &p, NULL);
		cr_assert(rc == RECAM_EMEDIA || rc == 0, "cut %zu gave %d", cut, rc);
		pixDestroy(&p);
	}
	free(jpg);
}

Test(receipt_image, heic_without_image)
{
	static const unsigned char heic[] = "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic";
	PIX *p = NULL;
	recam_image_type t;
	int w, h;
	cr_assert_eq(recam_image_header(heic, sizeof(heic) - 1, &lim, &t, &w, &h), RECAM_EMEDIA);
	cr_assert_eq(t, RECAM_IMAGE_HEIF);
	cr_assert_eq(recam_image_decode(heic, sizeof(heic) - 1, &lim, &p, NULL), RECAM_EMEDIA);
}

Test(receipt_image, decode_png_grey)
{
	size_t n;
	unsigned char *png = encode(30, 20, IFF_PNG, &n);
	PIX *p = NULL;
	cr_assert_eq(recam_image_decode(png, n, &lim, &p, NULL), 0);
	cr_assert_eq(pixGetWidth(p), 30);
	cr_assert_eq(pixGetHeight(p), 20);
	cr_assert_eq(pixGetDepth(p), 8);
	pixDestroy(&p);
	free(png);
}

/* APP1 "Exif" with IFD0 holding only Orientation = o (big-endian TIFF). */
static unsigned char *with_orientation(const unsigned char *jpg, size_t n, int o, size_t *out_n)
{
	static const unsigned char app1_tmpl[] = {
		0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,	/* marker, length 34 */
		'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,		/* TIFF header */
		0x00, 0x01,						/* one entry */
		0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,		/* Orientation, SHORT, 1 */
		0x00, 0x00, 0x00, 0x00,					/* value (patched) */
		0x00, 0x00, 0x00, 0x00,					/* no next IFD */
	};
	unsigned char *out = malloc(n + sizeof(app1_tmpl));
	memcpy(out, jpg, 2);
	memcpy(out + 2, app1_tmpl, sizeof(app1_tmpl));
	out[2 + 29] = (unsigned char)o;
	memcpy(out + 2 + sizeof(app1_tmpl), jpg + 2, n - 2);
	*out_n = n + sizeof(app1_tmpl);
	return out;
}

Test(receipt_image, exif_orientation_applied)
{
	size_t n, m;
	unsigned char *jpg = encode(40, 16, IFF_JFIF_JPEG, &n);
	unsigned char *rot = with_orientation(jpg, n, 6, &m);
	PIX *p = NULL;
	int o = 0;
	cr_assert_eq(recam_image_decode(rot, m, &lim, &p, &o), 0);
	cr_assert_eq(o, 6);
	cr_assert_eq(pixGetWidth(p), 16);
	cr_assert_eq(pixGetHeight(p), 40);
	pixDestroy(&p);
	free(rot);
	free(jpg);
}
