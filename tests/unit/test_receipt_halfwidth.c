/* Merging a plain and a stretched reading of a half-width katakana line
 * (receipt/halfwidth.c). Glyph boxes below are from real readings of dev
 * receipts (tests/receipts/gen.py), rounded. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "receipt/halfwidth.h"

/* "glyph x0 x1 conf word; ..." → glyphs */
static size_t syms(const char *spec, recam_hw_sym *out, size_t cap)
{
	size_t n = 0;
	char buf[2048];
	snprintf(buf, sizeof(buf), "%s", spec);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ";", &save); tok && n < cap; tok = strtok_r(NULL, ";", &save)) {
		recam_hw_sym s;
		memset(&s, 0, sizeof(s));
		float c;
		if (strspn(tok, " ") == strlen(tok))
			continue;
		cr_assert_eq(sscanf(tok, " %15s %d %d %f %d", s.t, &s.x0, &s.x1, &c, &s.word), 5, "bad spec %s", tok);
		s.conf = c;
		out[n++] = s;
	}
	return n;
}

static char *merge(const char *plain, const char *stretched, int glyph_h, int *taken)
{
	recam_hw_sym a[64], b[64];
	size_t na = syms(plain, a, 64), nb = syms(stretched, b, 64);
	char *t = NULL;
	float c, mc;
	*taken = recam_hw_merge(a, na, b, nb, glyph_h, &t, &c, &mc);
	if (t) {
		cr_assert(c >= 0 && c <= 1 && mc <= c);
		/* spaces between glyphs of different words: the normalizer drops
		 * them between CJK glyphs, so compare without */
		size_t w = 0;
		for (size_t i = 0; t[i]; i++)
			if (t[i] != ' ' || (i > 0 && (unsigned char)t[i - 1] < 0x80 && t[i - 1] != ' ') ||
			    (unsigned char)t[i + 1] < 0x80)
				t[w++] = t[i];
		t[w] = '\0';
	}
	return t;
}

Test(receipt_halfwidth, kana_from_stretched_amount_from_plain)
{
	/* ﾍﾞｰｺﾝ ﾊｰﾌ 328※ read plain as `A"- コ y A-7 328※` */
	int k;
	char *t = merge("A 13 38 0.00 1; - 49 59 0.49 2; コ 65 77 0.62 3; y 105 106 0.47 4; A 105 119 0.47 4;"
			"- 122 134 0.47 4; 7 139 151 0.47 4; 3 625 643 0.91 5; 2 646 665 0.91 5; 8 665 686 0.91 5;"
			"※ 688 717 0.91 5",
			"へ 13 38 0.93 1; \" 40 46 0.93 1; ー 50 60 0.6 2; コ 62 76 0.6 2; ン 81 93 0.6 2;"
			"ハ 109 118 0.86 3; ー 121 133 0.86 3; フ 138 150 0.69 4; に 625 656 0.95 5; こ 665 685 0 6",
			30, &k);
	cr_assert_not_null(t);
	cr_assert_str_eq(t, "ベーコンハーフ 328※");
	cr_assert_gt(k, 5);
	free(t);
}

Test(receipt_halfwidth, kanji_of_the_plain_reading_stay)
{
	/* 冷凍ﾁｬｰﾊﾝ 360※ */
	int k;
	char *t = merge("冷 20 81 0.84 1; 凍 85 99 0.84 1; 生 103 118 0.00 2; - 120 144 0.65 3; ツ 144 152 0.45 4;"
			"> 152 166 0.35 5; 3 631 648 0.91 6; 6 651 692 0.91 6; 0 675 691 0.91 6; ※ 694 723 0.91 6",
			"信 20 45 0.20 1; : 52 72 0 2; 束 85 95 0.41 3; チ 102 114 0.91 4; ャ 113 117 0.91 4;"
			"ー 125 134 0.91 5; ハ 137 149 0.64 6; ン 151 165 0.85 7; 3 630 648 0.78 8",
			30, &k);
	cr_assert_not_null(t);
	cr_assert_str_eq(t, "冷凍チャーハン 360※");
	free(t);
}

Test(receipt_halfwidth, plain_dash_after_kana_is_a_long_vowel)
{
	/* the plain reading's `-` wins its group (the stretched one read
	 * nothing surer there), after kana it is ー; a low-confidence kanji
	 * of the plain reading where kana won is junk and goes */
	int k;
	char *t = merge("A 10 20 0.1 1; - 42 52 0.9 2; 多 60 80 0.55 3; 1 300 320 0.95 4; 8 320 340 0.95 4",
			"ア 10 20 0.9 1; イ 22 30 0.9 1; ス 32 40 0.9 1; ー 44 50 0.3 2; ム 62 72 0.8 3", 30, &k);
	cr_assert_str_eq(t, "アイスーム 18");
	free(t);
}

Test(receipt_halfwidth, voicing_marks_fold)
{
	int k;
	/* ﾀﾞ read `タ"`, ﾎﾟ read `ホ°`, ﾌﾟ read as `フ プ` in one cell; a mark after
	 * ン (takes none) is dropped */
	char *t = merge("7 10 60 0.1 1; 5 300 320 0.95 2",
			"タ 10 20 0.9 1; \" 20 25 0.9 1; ホ 30 40 0.9 1; ° 40 45 0.9 1; フ 50 55 0.9 2;"
			"プ 55 58 0.9 2; ン 60 70 0.9 2; \" 70 74 0.9 2",
			30, &k);
	cr_assert_str_eq(t, "ダポプン 5");
	free(t);
	/* ハ then バ two cells apart: both kept (ﾊﾊﾞﾈﾛ) */
	t = merge("7 10 60 0.1 1; 5 300 320 0.95 2", "ハ 10 22 0.9 1; バ 25 40 0.9 1; ネ 45 58 0.9 1", 30, &k);
	cr_assert_str_eq(t, "ハバネ 5");
	free(t);
}

Test(receipt_halfwidth, nothing_to_merge)
{
	int k;
	/* the stretched reading has no kana: nothing */
	char *t = merge("割 16 65 0.94 1; 引 72 74 0.94 1; A 632 658 0.68 3",
			"吉 16 74 0.08 1; 』 37 50 0.09 2; | 65 84 0 4", 30, &k);
	cr_assert_null(t);
	cr_assert_eq(k, 0);
	/* kana read on top of a well-read kanji line: the plain reading wins */
	t = merge("割 16 65 0.96 1; 引 66 80 0.96 1; A 631 658 0.62 2; 3 663 680 0.62 2",
		  "杏 15 40 0 1; ラ 50 63 0.50 3; っ 673 681 0.31 7", 30, &k);
	cr_assert_null(t);
	cr_assert_eq(k, 0);
	/* digits the stretched picture turned into kana-like shapes
	 * (TEL:082-733-1142 read `TEL:0 ー 7 ミ ラミ -1`): digits read plain win */
	t = merge("T 0 10 0.8 1; E 10 20 0.8 1; L 20 30 0.8 1; 0 40 50 0.8 2; 8 50 60 0.8 2; 2 60 70 0.8 2;"
		  "7 70 75 0.8 2; 3 75 80 0.8 2; 3 80 85 0.8 2",
		  "T 0 10 0.9 1; E 10 20 0.9 1; L 20 30 0.9 1; 0 40 50 0.9 2; ー 50 60 0.9 2; 7 60 62 0.9 2;"
		  "ミ 62 70 0.9 2; ラ 70 75 0.9 3; ミ 75 80 0.9 3; 1 80 85 0.9 3",
		  30, &k);
	cr_assert_null(t);
	/* fewer than three kana in a row is no word of kana */
	t = merge("a 0 10 0.1 1; b 10 20 0.1 1", "ア 0 10 0.9 1; x 10 12 0.9 1; イ 12 20 0.9 1", 30, &k);
	cr_assert_null(t);
	/* hostile input: empty, zero height, glyphs out of order, huge boxes */
	t = merge("", "", 30, &k);
	cr_assert_null(t);
	t = merge("a 0 1 0.5 1", "ア 0 1 0.5 1", 0, &k);
	cr_assert_null(t);
	t = merge("a 100 -50 0.5 1; b -2147483000 2147483000 0.5 1",
		  "ア 2147483000 -2147483000 0.5 1; \" -5 -9 0.5 2; ア 5 2147483000 2 1", 30, &k);
	free(t);
}

/* A white 8-bit line picture with dark rectangles painted in. */
static void paint(PIX *p, int x0, int y0, int x1, int y1, int v)
{
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			pixSetPixel(p, x, y, (l_uint32)v);
}

static PIX *white(int w, int h)
{
	PIX *p = pixCreate(w, h, 8);
	cr_assert_not_null(p);
	pixSetAllArbitrary(p, 255);
	return p;
}

Test(receipt_halfwidth, narrow_glyphs_are_half_width)
{
	/* five glyphs 12 px wide, 28 high (half-width cells), then the same
	 * count 28 px wide (full-width) */
	PIX *g = white(400, 40);
	for (int i = 0; i < 5; i++)
		paint(g, 10 + 16 * i, 6, 22 + 16 * i, 34, 40);
	for (int i = 0; i < 5; i++)
		paint(g, 150 + 32 * i, 6, 178 + 32 * i, 34, 40);
	PIX *bin = pixThresholdToBinary(g, 128);
	recam_hw_cols cols;
	cr_assert_eq(recam_hw_cols_make(bin, 5, 30, &cols), 0);
	cr_assert_eq(cols.glyph_h, 28);
	recam_hw_sym narrow[5], wide[5];
	for (int i = 0; i < 5; i++) {
		memset(&narrow[i], 0, sizeof(narrow[i]));
		memset(&wide[i], 0, sizeof(wide[i]));
		snprintf(narrow[i].t, sizeof(narrow[i].t), "ア");
		snprintf(wide[i].t, sizeof(wide[i].t), "ア");
		narrow[i].x0 = 12 + 16 * i, narrow[i].x1 = 20 + 16 * i;
		wide[i].x0 = 155 + 32 * i, wide[i].x1 = 172 + 32 * i;
	}
	cr_assert_float_eq(recam_hw_narrow_share(&cols, narrow, 5, RECAM_HW_KANA), 1.0f, 1e-6);
	cr_assert_float_eq(recam_hw_narrow_share(&cols, wide, 5, RECAM_HW_KANA), 0.0f, 1e-6);
	/* too few to judge, and glyphs outside the picture */
	cr_assert_lt(recam_hw_narrow_share(&cols, narrow, 2, RECAM_HW_KANA), 0);
	wide[0].x0 = -100000, wide[0].x1 = 2000000000;
	(void)recam_hw_narrow_share(&cols, wide, 5, RECAM_HW_KANA);
	recam_hw_cols_free(&cols);
	/* a blank line: no glyphs */
	PIX *blank = white(100, 40), *bb = pixThresholdToBinary(blank, 128);
	cr_assert_neq(recam_hw_cols_make(bb, 5, 30, &cols), 0);
	recam_hw_cols_free(&cols);
	pixDestroy(&blank);
	pixDestroy(&bb);
	pixDestroy(&bin);
	pixDestroy(&g);
}

Test(receipt_halfwidth, voicing_mark_from_the_picture)
{
	/* a kana (full height) and after it, in its own cell in the upper
	 * half: a ring (ﾟ), two strokes (ﾞ), or a blob (undecided) */
	for (int kind = 0; kind < 3; kind++) {
		PIX *g = white(80, 40);
		paint(g, 10, 5, 22, 35, 40);
		if (kind == 0) {
			paint(g, 26, 5, 35, 14, 60);
			paint(g, 29, 8, 32, 11, 200);
		} else if (kind == 1) {
			paint(g, 26, 5, 29, 12, 60);
			paint(g, 31, 5, 34, 12, 60);
		} else {
			paint(g, 26, 5, 35, 14, 60);
		}
		PIX *bin = pixThresholdToBinary(g, 128);
		int want = kind == 0 ? 1 : kind == 1 ? 0 : -1;
		cr_assert_eq(recam_hw_mark_kind(bin, g, 10, 26, 35, 5, 30), want, "kind %d", kind);
		/* hostile boxes never read outside the picture */
		(void)recam_hw_mark_kind(bin, g, -1000, 2000000, -5, -50, 1000);
		(void)recam_hw_mark_kind(bin, g, 70, 75, 90, 30, 30);
		pixDestroy(&bin);
		pixDestroy(&g);
	}
}

Test(receipt_halfwidth, a_line_too_short_to_judge_waits_for_the_page)
{
	/* narrow glyphs: read stretched; wide: not, whatever the page showed */
	cr_assert_eq(recam_hw_gate(0.8f, false), RECAM_HW_READ);
	cr_assert_eq(recam_hw_gate(0.5f, false), RECAM_HW_READ);
	cr_assert_eq(recam_hw_gate(0.3f, true), RECAM_HW_SKIP);
	cr_assert_eq(recam_hw_gate(0.0f, false), RECAM_HW_SKIP);
	/* too few glyphs to judge ("小計 ¥6,346", "リコ\" ¥298"): only on a page
	 * where a line was read half-width (most such lines are on full-width
	 * receipts: 165 of 170 stretched readings there merged nothing) */
	cr_assert_eq(recam_hw_gate(-1.0f, false), RECAM_HW_WAIT);
	cr_assert_eq(recam_hw_gate(-1.0f, true), RECAM_HW_READ);
}
