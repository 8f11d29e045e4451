/* test_phash.c — the perceptual hashes of receipt photos (receipt/phash.c)
 * and the "already used" rule built on them (campaign/image_dup.c): one
 * picture re-encoded, resized, brightened or noisier keeps its hash; another
 * page does not; two receipts of one shop never count as one because their
 * readings differ; hostile sizes and hex are refused. Pictures are drawn
 * here: lines of "print" (dark runs) on paper with a light gradient. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/image_dup.h"
#include "core/error.h"
#include "receipt/phash.h"

#define W 240
#define H 640

/* xorshift: the same pictures on every run */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A receipt-like page on paper lit from the left: a header bar, then 40
 * lines from `seed` — a name of random length at the left, a price at the
 * right, now and then a blank line or a rule. `keep_lines` lines at the top
 * and bottom come from seed 1 whatever `seed` is: one shop's header and
 * footer around other items. */
static void page(uint8_t *px, uint32_t seed, int keep_lines)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			px[y * W + x] = (uint8_t)(215 + 30 * x / W);
	for (int y = 20; y < 34; y++)
		for (int x = 40; x < 200; x++)
			px[y * W + x] = 40;
	uint32_t shop = 1, own = seed;
	for (int line = 0; line < 40; line++) {
		bool fixed = line < keep_lines || line >= 40 - keep_lines;
		uint32_t *s = fixed ? &shop : &own;
		int y0 = 50 + line * 14, kind = (int)(rnd(s) % 8);
		int name = 20 + (int)(rnd(s) % 110), price = 24 + (int)(rnd(s) % 30);
		if (!fixed) /* keep the shop's stream in step */
			for (int k = 0; k < 3; k++)
				rnd(&shop);
		if (kind == 0)
			continue; /* a blank line */
		for (int y = y0; y < y0 + 9; y++)
			for (int x = 16; x < W - 16; x++) {
				bool ink = kind == 1 ? (y == y0 + 4 && x % 6 < 4)		/* a rule */
						     : (x < 16 + name || x >= W - 16 - price) && (x / 3 + y) % 4 != 0;
				if (ink)
					px[y * W + x] = 50;
			}
	}
}

static int dist_photo(const uint8_t *a, const uint8_t *b)
{
	recam_phash ha, hb;
	cr_assert_eq(recam_phash_photo_grey(a, W, H, W, &ha), 0);
	cr_assert_eq(recam_phash_photo_grey(b, W, H, W, &hb), 0);
	return recam_phash_distance(&ha, &hb);
}

static int dist_page(const uint8_t *a, const uint8_t *b)
{
	recam_phash ha, hb;
	cr_assert_eq(recam_phash_page_grey(a, W, H, W, &ha), 0);
	cr_assert_eq(recam_phash_page_grey(b, W, H, W, &hb), 0);
	return recam_phash_distance(&ha, &hb);
}

Test(phash, same_picture_brighter_and_noisier_keeps_its_hashes)
{
	static uint8_t a[W * H], b[W * H];
	page(a, 7, 0);
	uint32_t s = 99;
	for (int i = 0; i < W * H; i++) {
		int v = a[i] * 115 / 100 + (int)(rnd(&s) % 17) - 8; /* 15% brighter, noise ±8 */
		b[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
	cr_assert_eq(dist_photo(a, a), 0);
	cr_assert_eq(dist_page(a, a), 0);
	cr_assert_leq(dist_photo(a, b), RECAM_PHASH_PHOTO_MAX / 2, "%d", dist_photo(a, b));
	cr_assert_leq(dist_page(a, b), RECAM_PHASH_PAGE_MAX / 2, "%d", dist_page(a, b));
}

Test(phash, page_hash_ignores_the_margin_the_crop_left)
{
	/* the same page inside a wider margin of paper (another crop) */
	static uint8_t a[W * H], big[(W + 40) * (H + 60)];
	page(a, 7, 0);
	for (int i = 0; i < (W + 40) * (H + 60); i++)
		big[i] = 225;
	for (int y = 0; y < H; y++)
		memcpy(&big[(y + 30) * (W + 40) + 20], &a[y * W], W);
	recam_phash ha, hb;
	cr_assert_eq(recam_phash_page_grey(a, W, H, W, &ha), 0);
	cr_assert_eq(recam_phash_page_grey(big, W + 40, H + 60, W + 40, &hb), 0);
	cr_assert_leq(recam_phash_distance(&ha, &hb), RECAM_PHASH_PAGE_MAX / 2, "%d", recam_phash_distance(&ha, &hb));
}

Test(phash, another_page_is_far)
{
	static uint8_t a[W * H], b[W * H];
	page(a, 7, 0);
	page(b, 8, 0);
	cr_assert_gt(dist_photo(a, b), RECAM_PHASH_PHOTO_MAX, "%d", dist_photo(a, b));
	cr_assert_gt(dist_page(a, b), RECAM_PHASH_PAGE_MAX, "%d", dist_page(a, b));
}

Test(phash, pix_downscaled_hashes_like_the_picture)
{
	/* the same page at twice the size, through Leptonica: a resized copy */
	static uint8_t a[W * H];
	page(a, 7, 0);
	PIX *p = pixCreate(W * 2, H * 2, 8);
	cr_assert_not_null(p);
	for (int y = 0; y < H * 2; y++)
		for (int x = 0; x < W * 2; x++)
			pixSetPixel(p, x, y, a[(y / 2) * W + x / 2]);
	recam_phash pa, pb, ga, gb;
	int rp = recam_phash_photo(p, &pa), rg = recam_phash_page(p, &ga);
	pixDestroy(&p);
	cr_assert_eq(rp, 0);
	cr_assert_eq(rg, 0);
	cr_assert_eq(recam_phash_photo_grey(a, W, H, W, &pb), 0);
	cr_assert_eq(recam_phash_page_grey(a, W, H, W, &gb), 0);
	cr_assert_leq(recam_phash_distance(&pa, &pb), RECAM_PHASH_PHOTO_MAX / 4, "%d", recam_phash_distance(&pa, &pb));
	cr_assert_leq(recam_phash_distance(&ga, &gb), RECAM_PHASH_PAGE_MAX, "%d", recam_phash_distance(&ga, &gb));
	/* not 8 bpp, or nothing: refused */
	PIX *rgb = pixCreate(64, 64, 32);
	rp = recam_phash_photo(rgb, &pa);
	pixDestroy(&rgb);
	cr_assert_eq(rp, RECAM_EINVAL);
	cr_assert_eq(recam_phash_page(NULL, &pa), RECAM_EINVAL);
}

Test(phash, sizes_out_of_bounds_are_refused)
{
	static uint8_t px[64 * 64];
	memset(px, 200, sizeof(px));
	recam_phash h;
	cr_assert_eq(recam_phash_photo_grey(px, 15, 64, 64, &h), RECAM_EINVAL);
	cr_assert_eq(recam_phash_page_grey(px, 64, 15, 64, &h), RECAM_EINVAL);
	cr_assert_eq(recam_phash_page_grey(px, 64, 64, 32, &h), RECAM_EINVAL, "stride shorter than a row");
	cr_assert_eq(recam_phash_photo_grey(px, 5000, 20, 5000, &h), RECAM_EINVAL);
	/* a blank page hashes (all bits equal is fine) and does not crash */
	cr_assert_eq(recam_phash_page_grey(px, 64, 64, 64, &h), 0);
	PIX *tiny = pixCreate(10, 400, 8);
	int rc = recam_phash_photo(tiny, &h);
	pixDestroy(&tiny);
	cr_assert_eq(rc, RECAM_EINVAL);
}

Test(phash, hex_round_trip_and_hostile_hex)
{
	static uint8_t a[W * H];
	page(a, 3, 0);
	recam_phash h, back;
	char hex[RECAM_PHASH_HEX + 1];
	cr_assert_eq(recam_phash_photo_grey(a, W, H, W, &h), 0);
	recam_phash_hex(&h, hex);
	cr_assert_eq(strlen(hex), RECAM_PHASH_HEX);
	cr_assert_eq(recam_phash_parse(hex, &back), 0);
	cr_assert_eq(recam_phash_distance(&h, &back), 0);
	hex[5] = 'A' + (hex[5] >= 'a' ? 0 : 1);
	cr_assert_eq(recam_phash_parse(hex, &back), 0, "upper case is hex too");
	cr_assert_eq(recam_phash_parse(NULL, &back), RECAM_EINVAL);
	cr_assert_eq(recam_phash_parse("", &back), RECAM_EINVAL);
	cr_assert_eq(recam_phash_parse("00ff", &back), RECAM_EINVAL);
	char bad[RECAM_PHASH_HEX + 2];
	memset(bad, '0', sizeof(bad));
	bad[RECAM_PHASH_HEX + 1] = '\0';
	cr_assert_eq(recam_phash_parse(bad, &back), RECAM_EINVAL, "one digit too many");
	bad[RECAM_PHASH_HEX] = '\0';
	bad[10] = 'g';
	cr_assert_eq(recam_phash_parse(bad, &back), RECAM_EINVAL);
	bad[10] = '\0';
	cr_assert_eq(recam_phash_parse(bad, &back), RECAM_EINVAL, "NUL inside");
	/* all bits differ: the distance counts every one */
	memset(&h, 0, sizeof(h));
	memset(&back, 0xff, sizeof(back));
	cr_assert_eq(recam_phash_distance(&h, &back), RECAM_PHASH_BITS);
}

/* A reader result with the fields the rule compares. */
static json_t *reading(long total, const char *time, double conf, const char *phone)
{
	return json_pack("{s:{s:i, s:f}, s:{s:s, s:f}, s:{s:s, s:f}, s:{s:s, s:f}}", "total", "value", (int)total,
			 "confidence", conf, "time", "value", time, "confidence", conf, "date", "value", "2026-11-20",
			 "confidence", 0.9, "phone", "value", phone, "confidence", 0.9);
}

Test(image_dup, readings_tell_two_receipts_of_one_shop_apart)
{
	json_t *a = reading(5993, "15:46", 0.9, "086-855-9805");
	json_t *same = reading(5993, "15:46", 0.8, "0868559805");
	json_t *other_total = reading(4810, "15:46", 0.9, "086-855-9805");
	json_t *doubtful = reading(4810, "15:47", 0.3, "086-855-9805");
	json_t *other_shop = reading(5993, "15:46", 0.9, "03-1234-5678");
	cr_assert(recam_image_dup_readings_agree(a, same), "phone compared by its digits");
	cr_assert_not(recam_image_dup_readings_agree(a, other_total), "another total: another receipt");
	cr_assert_not(recam_image_dup_readings_agree(a, other_shop));
	/* Only date and phone agree when total and time are doubtful: not
	 * enough to call it the same receipt. */
	cr_assert_not(recam_image_dup_readings_agree(a, doubtful));
	json_t *empty = json_object();
	cr_assert_not(recam_image_dup_readings_agree(empty, empty), "nothing read: never the same");
	json_decref(a);
	json_decref(same);
	json_decref(other_total);
	json_decref(doubtful);
	json_decref(other_shop);
	json_decref(empty);
}

Test(image_dup, same_needs_close_hashes_and_agreeing_readings)
{
	static uint8_t p1[W * H], p2[W * H];
	page(p1, 7, 12);
	page(p2, 8, 12); /* the same shop's header and footer, other items */
	recam_phash ph1, pg1, ph2, pg2;
	cr_assert_eq(recam_phash_photo_grey(p1, W, H, W, &ph1), 0);
	cr_assert_eq(recam_phash_page_grey(p1, W, H, W, &pg1), 0);
	cr_assert_eq(recam_phash_photo_grey(p2, W, H, W, &ph2), 0);
	cr_assert_eq(recam_phash_page_grey(p2, W, H, W, &pg2), 0);
	json_t *r1 = reading(5993, "15:46", 0.9, "086-855-9805"), *r2 = reading(4810, "16:02", 0.9, "086-855-9805");
	cr_assert(recam_image_dup_same(&ph1, &pg1, r1, &ph1, &pg1, r1));
	cr_assert_not(recam_image_dup_same(&ph1, &pg1, r1, &ph2, &pg2, r2), "one shop, two receipts");
	/* Even a hash collision does not make two receipts one. */
	cr_assert_not(recam_image_dup_same(&ph1, &pg1, r1, &ph1, &pg1, r2));
	/* The same reading on a far picture is the fingerprint's business, not this. */
	static uint8_t far[W * H];
	page(far, 1234, 0);
	recam_phash phf, pgf;
	cr_assert_eq(recam_phash_photo_grey(far, W, H, W, &phf), 0);
	cr_assert_eq(recam_phash_page_grey(far, W, H, W, &pgf), 0);
	cr_assert_not(recam_image_dup_same(&ph1, &pg1, r1, &phf, &pgf, r1));
	json_decref(r1);
	json_decref(r2);
}

Test(image_dup, hashes_of_another_version_are_ignored)
{
	recam_phash a, b;
	json_t *r = json_pack("{s:{s:i, s:s, s:s}}", "phash", "v", RECAM_PHASH_VERSION + 1, "photo",
			      "0000000000000000000000000000000000000000000000000000000000000000", "page",
			      "0000000000000000000000000000000000000000000000000000000000000000");
	cr_assert_not(recam_image_dup_hashes(r, &a, &b));
	json_object_set_new(json_object_get(r, "phash"), "v", json_integer(RECAM_PHASH_VERSION));
	cr_assert(recam_image_dup_hashes(r, &a, &b));
	json_object_set_new(json_object_get(r, "phash"), "page", json_string("xyz"));
	cr_assert_not(recam_image_dup_hashes(r, &a, &b));
	cr_assert_not(recam_image_dup_hashes(NULL, &a, &b));
	json_decref(r);
}
