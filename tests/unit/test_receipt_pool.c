/* The reader worker pool: hostile input fails cleanly in the worker, an
 * image over the time limit kills the worker, which is replaced, and the
 * pool keeps serving. */
#include <criterion/criterion.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "receipt/reader.h"

static recam_reader_pool *pool;

static void setup(void)
{
	recam_reader_limits lim;
	recam_reader_limits_default(&lim);
	lim.timeout_ms = 400;
	cr_assert_eq(recam_reader_pool_new(1, &lim, &pool), 0);
}

static void teardown(void) { recam_reader_pool_free(pool); }

TestSuite(receipt_pool, .init = setup, .fini = teardown, .timeout = 60);

/* Noise is slow to recognize: enough to overrun a short limit. */
static unsigned char *noise_png(size_t *n)
{
	PIX *p = pixCreate(1600, 1600, 8);
	unsigned s = 12345;
	for (int y = 0; y < 1600; y++)
		for (int x = 0; x < 1600; x++) {
			s = s * 1103515245u + 12345u;
			pixSetPixel(p, x, y, (s >> 16) & 1 ? 0 : 255);
		}
	l_uint8 *data = NULL;
	size_t size = 0;
	cr_assert_eq(pixWriteMemPng(&data, &size, p, 0), 0);
	pixDestroy(&p);
	*n = size;
	return data;
}

Test(receipt_pool, hostile_input_is_a_clean_error)
{
	char *json = NULL;
	const char *junk = "this is not an image at all";
	cr_assert_eq(recam_reader_read(pool, junk, strlen(junk), &json, NULL), RECAM_EMEDIA);
	cr_assert_null(json);
	cr_assert_eq(recam_reader_read(pool, "", 0, &json, NULL), RECAM_EMEDIA);
}

Test(receipt_pool, overrun_worker_is_replaced)
{
	size_t n;
	unsigned char *png = noise_png(&n);
	char *json = NULL;
	int rc = recam_reader_read(pool, png, n, &json, NULL);
	free(png);
	cr_assert_eq(rc, RECAM_ETIMEOUT, "got %d", rc);
	/* the replacement serves the next request */
	const char *junk = "GIF89a....";
	cr_assert_eq(recam_reader_read(pool, junk, strlen(junk), &json, NULL), RECAM_EMEDIA);
}
