/* Fuzz target: untrusted bytes → probe, header and (within small limits)
 * decode. Every input ends in 0 or a clean error. */
#include <leptonica/allheaders.h>
#include <stddef.h>
#include <stdint.h>

#include "receipt/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	if (!quiet) {
		recam_image_quiet();
		quiet = 1;
	}
	recam_image_limits lim;
	recam_image_limits_default(&lim);
	lim.max_pixels = 4u << 20; /* keep each run fast */
	lim.max_side = 4096;
	recam_image_type t;
	int w, h;
	(void)recam_image_probe(data, size);
	if (recam_image_header(data, size, &lim, &t, &w, &h) == 0) {
		PIX *p = NULL;
		if (recam_image_decode(data, size, &lim, &p, NULL) == 0)
			pixDestroy(&p);
	}
	return 0;
}
