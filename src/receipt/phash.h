/* phash.h — perceptual hashes of a receipt photo, so that a photo already
 * used in a campaign is recognised when its bytes differ (re-encoded,
 * resized, a little cropped or turned, brighter, noisier).
 *
 * Two DCT hashes, both computed by the reader worker (decoding untrusted
 * images stays in the sandbox):
 *   photo — the whole decoded picture, upright by EXIF, box-sampled to
 *           32×32; the 16×16 lowest frequencies but the mean, each bit
 *           "above their median" (255 bits). Survives re-encoding,
 *           resizing, noise and light; not cropping or turning.
 *   page  — the page the reader recognised (paper cropped, deskewed,
 *           upright), background-flattened, cut to its print, sampled to
 *           32×64; 8×8 frequencies but the mean (63 bits). Survives some
 *           cropping and turning, less reliably (the paper finder's crop
 *           varies).
 * Measured in docs/reader.md ("Perceptual hash"). Both are global hashes:
 * they see a page's layout, and two receipts of one shop with the same
 * layout can be as close as two photos of one receipt, so a hash match
 * alone never decides (campaign/image_dup.h adds the readings). */
#ifndef RECAM_RECEIPT_PHASH_H
#define RECAM_RECEIPT_PHASH_H

#include <stddef.h>
#include <stdint.h>

struct Pix;

#define RECAM_PHASH_BITS 256 /* container; unused bits are 0 */
#define RECAM_PHASH_HEX (RECAM_PHASH_BITS / 4)
/* Hash version in the reader JSON: hashes made another way are never compared. */
#define RECAM_PHASH_VERSION 1
#define RECAM_PHASH_PHOTO_BITS 255
#define RECAM_PHASH_PAGE_BITS 63
/* At most this many differing bits: the same picture (docs/reader.md). */
#define RECAM_PHASH_PHOTO_MAX 38
#define RECAM_PHASH_PAGE_MAX 12

typedef struct recam_phash {
	uint64_t w[RECAM_PHASH_BITS / 64];
} recam_phash;

/* Buffers: w×h 8-bit grey pixels, rows `stride` bytes apart, w and h in
 * 16..4096. 0, RECAM_EINVAL (size), RECAM_ENOMEM. */
int recam_phash_photo_grey(const uint8_t *grey, int w, int h, size_t stride, recam_phash *out);
int recam_phash_page_grey(const uint8_t *grey, int w, int h, size_t stride, recam_phash *out);
/* 8 bpp Pix of any size (downscaled first). */
int recam_phash_photo(struct Pix *grey, recam_phash *out);
int recam_phash_page(struct Pix *page, recam_phash *out);

/* Bits that differ: 0 .. RECAM_PHASH_BITS. */
int recam_phash_distance(const recam_phash *a, const recam_phash *b);
/* Lower-case hex, RECAM_PHASH_HEX characters and a NUL. */
void recam_phash_hex(const recam_phash *h, char out[RECAM_PHASH_HEX + 1]);
/* Exactly RECAM_PHASH_HEX hex digits (either case): 0, else RECAM_EINVAL. */
int recam_phash_parse(const char *hex, recam_phash *out);

#endif
