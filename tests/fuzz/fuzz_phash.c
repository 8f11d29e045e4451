/* fuzz_phash.c — libFuzzer target for the perceptual hashes and what the
 * server reads back from a reader worker (which handles hostile images, so
 * its JSON is not trusted either).
 *
 * Input: two bytes of width and height (16..271 each), then grey pixels
 * (repeated to fill the picture); the same bytes also as a reader JSON text.
 *
 * Checked on every input:
 *  - both hashes of any picture succeed, are deterministic and use only
 *    their bits (the photo hash 255, the page hash 63);
 *  - hex out and back gives the same hash;
 *  - the reader JSON, whatever it holds, never crashes the hash reader or
 *    the readings comparison;
 *  - hex the parser accepts is exactly 64 hex digits and prints back the same.
 * Any disagreement aborts, so libFuzzer reports it with the input. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "campaign/image_dup.h"
#include "receipt/phash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int bits_above(const recam_phash *h, int n)
{
	int extra = 0;
	for (int b = n; b < RECAM_PHASH_BITS; b++)
		extra += (int)((h->w[b / 64] >> (b % 64)) & 1);
	return extra;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	int w = 16 + data[0], h = 16 + data[1];
	uint8_t *px = malloc((size_t)w * (size_t)h);
	if (px == NULL)
		return 0;
	for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
		px[i] = data[2 + i % (size - 2)];
	recam_phash a, b, c;
	char hex[RECAM_PHASH_HEX + 1];
	if (recam_phash_photo_grey(px, w, h, (size_t)w, &a) != 0 || recam_phash_photo_grey(px, w, h, (size_t)w, &b) != 0)
		abort();
	if (recam_phash_distance(&a, &b) != 0 || bits_above(&a, RECAM_PHASH_PHOTO_BITS) != 0)
		abort();
	recam_phash_hex(&a, hex);
	if (recam_phash_parse(hex, &c) != 0 || recam_phash_distance(&a, &c) != 0)
		abort();
	if (recam_phash_page_grey(px, w, h, (size_t)w, &a) != 0 || recam_phash_page_grey(px, w, h, (size_t)w, &b) != 0)
		abort();
	if (recam_phash_distance(&a, &b) != 0 || bits_above(&a, RECAM_PHASH_PAGE_BITS) != 0)
		abort();
	free(px);

	json_error_t e;
	json_t *j = json_loadb((const char *)data, size, 0, &e);
	if (j) {
		recam_image_dup_hashes(j, &a, &b);
		recam_image_dup_readings_agree(j, j);
		json_decref(j);
	}
	char *text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		if (recam_phash_parse(text, &c) == 0) {
			recam_phash_hex(&c, hex);
			if (strlen(text) != RECAM_PHASH_HEX || strncasecmp(hex, text, RECAM_PHASH_HEX) != 0)
				abort();
		}
		free(text);
	}
	return 0;
}
