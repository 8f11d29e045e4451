/* Pre-processing steps on images drawn in the test: dotted leaders are
 * painted over without touching glyphs or a lone decimal point, and a
 * receipt seen in perspective (a trapezoid) comes out as a rectangle. */
#include <criterion/criterion.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <string.h>

#include "receipt/dewarp.h"
#include "receipt/ocr.h"
#include "receipt/paper.h"
#include "receipt/prep.h"

static void fill(PIX *p, int x, int y, int w, int h, int v)
{
	BOX *b = boxCreate(x, y, w, h);
	cr_assert_not_null(b);
	pixSetInRectArbitrary(p, b, (l_uint32)v);
	boxDestroy(&b);
}

static int dark_in(PIX *p, int x0, int y0, int x1, int y1)
{
	int n = 0;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			l_uint32 v = 0;
			pixGetPixel(p, x, y, &v);
			n += v < 128;
		}
	return n;
}

/* A white w x h page with rows of glyph-sized blocks (20 x 28 px, 26 px
 * apart from x 20; rows row_pitch apart from y 20): the glyph height the
 * leader painter measures. */
static PIX *glyph_page(int w, int h, int rows, int per_row, int row_pitch)
{
	PIX *g = pixCreate(w, h, 8);
	cr_assert_not_null(g);
	pixSetAll(g);
	for (int row = 0; row < rows; row++)
		for (int k = 0; k < per_row; k++)
			fill(g, 20 + k * 26, 20 + row * row_pitch, 20, 28, 0);
	return g;
}

Test(receipt_prep, dotted_leaders_painted_over)
{
	/* three rows of glyph-sized blocks (28 px high) */
	PIX *g = glyph_page(640, 240, 3, 8, 70);
	/* a leader between a name and its price on the middle row */
	for (int x = 240; x < 520; x += 10)
		fill(g, x, 112, 4, 4, 0);
	fill(g, 560, 90, 20, 28, 0);
	/* a decimal point on its own */
	fill(g, 600, 112, 4, 4, 0);
	PIX *out = NULL;
	recam_prep_info info;
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_SCALE | RECAM_PREP_LEADERS, &out, &info), 0);
	cr_assert_eq(pixGetWidth(out), 640, "no scaling expected at 28 px glyphs");
	cr_assert_geq(info.leaders, 25);
	cr_assert_eq(dark_in(out, 236, 100, 524, 130), 0, "leader dots left");
	cr_assert_eq(dark_in(out, 600, 112, 604, 116), 16, "the lone dot must stay");
	cr_assert_eq(dark_in(out, 20, 20, 40, 48), 20 * 28, "a glyph was touched");
	cr_assert_eq(dark_in(out, 560, 90, 580, 118), 20 * 28, "the price was touched");
	pixDestroy(&out);
	/* without the step nothing is painted */
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_SCALE, &out, &info), 0);
	cr_assert_eq(info.leaders, 0);
	cr_assert_gt(dark_in(out, 236, 100, 524, 130), 0);
	pixDestroy(&out);
	pixDestroy(&g);
}

/* A bright trapezoid on a dark table: top 300 px wide, bottom 400 px, with
 * rows of grey print (a receipt carries print: blank paper is not taken for
 * it; the print is lighter than dark_in counts). */
static PIX *trapezoid(void)
{
	PIX *g = pixCreate(800, 1000, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 40);
	for (int y = 100; y < 900; y++) {
		double t = (y - 100) / 800.0;
		int x0 = (int)(250 - 50 * t), x1 = (int)(550 + 50 * t);
		fill(g, x0, y, x1 - x0, 1, 225);
	}
	for (int y = 160; y < 840; y += 40)
		for (int x = 310; x < 480; x += 24)
			fill(g, x, y, 16, 14, 150);
	return g;
}

Test(receipt_prep, blank_paper_is_not_the_receipt)
{
	/* a lit blank strip beside the receipt, brighter and more regular than
	 * the receipt itself: the one with print is cropped */
	PIX *g = pixCreate(800, 1000, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 60);
	fill(g, 100, 100, 300, 800, 200);
	for (int y = 160; y < 840; y += 40)
		for (int x = 140; x < 340; x += 24)
			fill(g, x, y, 16, 14, 120);
	fill(g, 560, 0, 240, 1000, 235);
	PIX *out = NULL;
	recam_prep_info info;
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_CROP, &out, &info), 0);
	cr_assert(info.crop_x >= 80 && info.crop_x <= 120 && info.crop_w >= 280 && info.crop_w <= 320, "crop %d+%d",
		  info.crop_x, info.crop_w);
	pixDestroy(&out);
	pixDestroy(&g);
}

/* A sheet (grey 225) w px wide and 800 high at (250, 100) on a dark table
 * (40) of 800 × 1000, with rows of print (110) across its middle. */
static PIX *printed_sheet(int w)
{
	PIX *g = pixCreate(800, 1000, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 40);
	fill(g, 250, 100, w, 800, 225);
	for (int y = 160; y < 840; y += 40)
		for (int x = 280; x < 520; x += 24)
			fill(g, x, y, 16, 14, 110);
	return g;
}

/* A sheet on a dark table with a sliver of shadow along its top edge
 * (grey 150 against 225, 250 px long and 40 deep at the corner): the bright
 * side's threshold takes the paper without it, brighter and as rectangular
 * as the whole sheet, but its top-right corner 40 px down cuts the page
 * (dev11 0158 lost its amounts so); its corners hold less than the region
 * (quad_fit), and the whole sheet, at the lower threshold, is taken. */
Test(receipt_prep, paper_with_a_shadowed_corner_is_taken_whole)
{
	PIX *g = printed_sheet(300);
	for (int y = 100; y < 140; y++) {
		int x0 = 550 - (140 - y) * 250 / 40;
		fill(g, x0, y, 550 - x0, 1, 150);
	}
	recam_paper p;
	cr_assert_eq(recam_paper_find(g, &p), 0);
	cr_assert(p.found);
	static const double want[4][2] = {{250, 100}, {550, 100}, {550, 900}, {250, 900}};
	for (int k = 0; k < 4; k++)
		cr_assert(fabs(p.quad[k][0] - want[k][0]) < 12 && fabs(p.quad[k][1] - want[k][1]) < 12,
			  "corner %d at %.0f,%.0f", k, p.quad[k][0], p.quad[k][1]);
	pixDestroy(&g);
}

/* Rows of glyphs of 3-px strokes (卄, grey 110) over x 280–508, y 160–814:
 * print as thin as a receipt's, which a grey closing fills. */
static void thin_print(PIX *g)
{
	for (int y = 160; y < 840; y += 40)
		for (int x = 280; x < 520; x += 24) {
			fill(g, x, y, 3, 14, 110);
			fill(g, x + 9, y, 3, 14, 110);
			fill(g, x, y + 6, 12, 3, 110);
		}
}

/* A white receipt on a white table, lit from the left (dev16 0025): only
 * the paper's lit strip (250–350) stands out from the table, and its print
 * runs on to x = 520. The region grows to hold the print. */
Test(receipt_prep, paper_found_in_part_grows_to_its_print)
{
	PIX *g = pixCreate(800, 1000, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 215);
	fill(g, 250, 100, 100, 800, 245);
	thin_print(g);
	recam_paper p;
	cr_assert_eq(recam_paper_find(g, &p), 0);
	cr_assert(p.found);
	cr_assert(p.cx - p.across / 2 <= 280 && p.cx + p.across / 2 >= 508, "across %.0f..%.0f",
		  p.cx - p.across / 2, p.cx + p.across / 2);
	cr_assert(p.cy - p.along / 2 <= 160 && p.cy + p.along / 2 >= 814, "along %.0f..%.0f", p.cy - p.along / 2,
		  p.cy + p.along / 2);
	cr_assert_not(p.has_quad); /* the strip's corners are not the paper's */
	pixDestroy(&g);
	/* on a busy table (print-like specks everywhere) the region stays */
	g = printed_sheet(300);
	for (int y = 0; y < 1000; y += 30)
		for (int x = 0; x < 800; x += 30)
			if (x < 240 || x > 560 || y < 90 || y > 910)
				fill(g, x, y, 6, 6, 0);
	cr_assert_eq(recam_paper_find(g, &p), 0);
	cr_assert(p.found && p.has_quad);
	cr_assert(fabs(p.across - 300) < 20, "across %.0f", p.across);
	pixDestroy(&g);
}

/* The paper lying on a lit patch of table as bright as itself (dev16
 * 0006): the bright region is the patch, three times the print's area. The
 * region shrinks to the print, so the table is not read. */
Test(receipt_prep, paper_on_a_lit_patch_shrinks_to_its_print)
{
	PIX *g = pixCreate(800, 1000, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 120);
	fill(g, 100, 50, 600, 900, 235);
	thin_print(g);
	recam_paper p;
	cr_assert_eq(recam_paper_find(g, &p), 0);
	cr_assert(p.found);
	double x0 = p.cx - p.across / 2, x1 = p.cx + p.across / 2, y0 = p.cy - p.along / 2, y1 = p.cy + p.along / 2;
	cr_assert(x0 <= 280 && x1 >= 508 && x1 - x0 < 300, "across %.0f..%.0f", x0, x1);
	cr_assert(y0 <= 160 && y1 >= 814 && y1 - y0 < 760, "along %.0f..%.0f", y0, y1);
	pixDestroy(&g);
}

/* Paper merged with a table lit like it, the two one bright rectangle
 * running off the frame's right edge: its corners there are the frame's,
 * not the paper's, and mapping them onto a rectangle would shear the page,
 * so no corners are offered; a sheet inside the frame keeps its own. */
Test(receipt_prep, region_running_off_the_frame_has_no_corners)
{
	PIX *g = printed_sheet(550);
	recam_paper p;
	cr_assert_eq(recam_paper_find(g, &p), 0);
	cr_assert(p.found);
	cr_assert_not(p.has_quad);
	pixDestroy(&g);
	g = trapezoid();
	cr_assert_eq(recam_paper_find(g, &p), 0);
	cr_assert(p.found && p.has_quad);
	pixDestroy(&g);
}

Test(receipt_prep, perspective_makes_a_rectangle)
{
	PIX *g = trapezoid();
	PIX *flat = NULL, *rot = NULL;
	recam_prep_info info;
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_CROP | RECAM_PREP_PERSPECTIVE, &flat, &info), 0);
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_CROP, &rot, &info), 0);
	int w = pixGetWidth(flat), h = pixGetHeight(flat);
	/* sides: the means of the opposite sides (350 × 800) plus the margin */
	cr_assert(w > 360 && w < 440, "width %d", w);
	cr_assert(h > 800 && h < 860, "height %d", h);
	/* inside the margin it is all paper; the plain crop keeps the table
	 * in the corners beside the narrow end */
	int mx = w / 10, my = h / 25;
	cr_assert_eq(dark_in(flat, mx, my, w - mx, h - my), 0);
	int rw = pixGetWidth(rot), rh = pixGetHeight(rot);
	cr_assert_gt(dark_in(rot, 0, 0, rw / 8, rh / 8), 0);
	pixDestroy(&flat);
	pixDestroy(&rot);
	pixDestroy(&g);
}

/* A sheet whose outline is turned 8° while its print stands straight (the
 * outline misleads: a torn or folded edge, a shadow taken for paper). */
static PIX *tilted_outline(void)
{
	PIX *g = pixCreate(1000, 1300, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 70);
	const double a = 8.0 * 3.14159265358979 / 180.0, cx = 500, cy = 650;
	for (int y = 0; y < 1300; y++)
		for (int x = 0; x < 1000; x++) {
			/* inside a 560 × 1000 rectangle turned by a about the centre */
			double dx = x - cx, dy = y - cy;
			double u = dx * cos(a) + dy * sin(a), v = -dx * sin(a) + dy * cos(a);
			if (fabs(u) < 280 && fabs(v) < 500)
				pixSetPixel(g, x, y, 235);
		}
	/* straight rows of glyph-sized blocks well inside the sheet */
	for (int row = 0; row < 22; row++)
		for (int k = 0; k < 12; k++)
			fill(g, 330 + k * 28 + (row % 3) * 4, 340 + row * 28, 18, 18, 20);
	return g;
}

Test(receipt_prep, straight_print_in_a_turned_outline_is_turned_back)
{
	PIX *g = tilted_outline();
	PIX *out = NULL;
	recam_prep_info info;
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_CROP | RECAM_PREP_DESKEW, &out, &info), 0);
	cr_assert(fabsf(info.paper_deg) > 6.0f, "paper %.1f", (double)info.paper_deg);
	/* the deskew undid the outline's turn */
	cr_assert(fabsf(info.skew_deg + info.paper_deg) < 1.5f, "paper %.1f skew %.1f", (double)info.paper_deg,
		  (double)info.skew_deg);
	pixDestroy(&out);
	pixDestroy(&g);
}

/* Faint grey print on paper whose lower third lies in shadow: one threshold
 * for the page would black out the shadowed rows, so the page is flattened,
 * and after it the print there is darker than its paper again. An evenly lit
 * page is left alone. */
static PIX *faint_page(bool shadow)
{
	PIX *g = pixCreate(400, 600, 8);
	cr_assert_not_null(g);
	fill(g, 0, 0, 400, 600, 235);
	if (shadow)
		fill(g, 0, 400, 400, 200, 190);
	for (int row = 0; row < 14; row++)
		for (int k = 0; k < 10; k++)
			fill(g, 20 + k * 36, 20 + row * 40, 20, 20, row * 40 + 20 >= 400 && shadow ? 150 : 195);
	return g;
}

Test(receipt_prep, shadowed_faint_page_flattened)
{
	recam_prep_info info;
	PIX *out = NULL, *g = faint_page(true);
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_SHADOW, &out, &info), 0);
	cr_assert_eq(info.flattened, 1);
	/* in the shadow: paper between glyphs lighter than the glyphs */
	l_uint32 paper = 0, ink = 0;
	pixGetPixel(out, 48, 470, &paper);
	pixGetPixel(out, 30, 470, &ink);
	cr_assert_gt(paper, ink + 20, "paper %u ink %u", paper, ink);
	pixDestroy(&out);
	pixDestroy(&g);
	g = faint_page(false);
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_SHADOW, &out, &info), 0);
	cr_assert_eq(info.flattened, 0);
	pixDestroy(&out);
	pixDestroy(&g);
}

/* A sheet (225) on a grey table (150), shaded down its right side (185
 * over the last 40% of its width, print and all): one threshold for the
 * page falls between the two papers and blacks out every amount printed
 * there (dev21 0188), so the cropped page is flattened. The same sheet
 * evenly lit is left alone. */
Test(receipt_prep, sheet_shaded_down_one_side_flattened)
{
	for (int shaded = 0; shaded < 2; shaded++) {
		PIX *g = pixCreate(800, 1000, 8);
		cr_assert_not_null(g);
		pixSetAllArbitrary(g, 150);
		fill(g, 250, 100, 300, 800, 225);
		if (shaded)
			fill(g, 430, 100, 120, 800, 185);
		for (int y = 160; y < 840; y += 40) {
			fill(g, 280, y, 60, 3, 110); /* a name, a stroke of it */
			fill(g, 490, y, 40, 3, 110); /* its amount */
		}
		recam_prep_info info;
		PIX *out = NULL;
		cr_assert_eq(recam_prep_run(g, RECAM_PREP_CROP | RECAM_PREP_SHADOW, &out, &info), 0);
		cr_assert_gt(info.crop_w, 0);
		cr_assert_eq(info.flattened, shaded, "shaded %d", shaded);
		pixDestroy(&out);
		pixDestroy(&g);
	}
}

/* Full-width "・ ・ ・" leaders stand wider apart than a glyph is wide: taken
 * when they are round dots spaced evenly, not when the blobs are hollow
 * (asterisks of a rule read as rings) or spaced unevenly (noise). */
static void dot(PIX *p, int cx, int cy, bool hollow)
{
	/* 6 x 6 without its corners, as a printed dot comes out; or its outline */
	for (int y = 0; y < 6; y++)
		for (int x = 0; x < 6; x++) {
			bool corner = (x == 0 || x == 5) && (y == 0 || y == 5);
			bool inner = x > 0 && x < 5 && y > 0 && y < 5;
			if (!corner && !(hollow && inner))
				pixSetPixel(p, cx + x, cy + y, 0);
		}
}

Test(receipt_prep, wide_round_leaders_painted_over)
{
	PIX *g = glyph_page(900, 300, 3, 6, 90);
	/* round dots 36 px apart (1.3 glyph heights), evenly */
	for (int x = 200; x < 800; x += 36)
		dot(g, x, 40, false);
	/* hollow rings, evenly: not leaders at that spacing */
	for (int x = 200; x < 800; x += 36)
		dot(g, x, 130, true);
	/* round dots spaced unevenly */
	int xs[] = {200, 230, 268, 296, 336, 362, 404};
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		dot(g, xs[i], 220, false);
	PIX *out = NULL;
	recam_prep_info info;
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_SCALE | RECAM_PREP_LEADERS, &out, &info), 0);
	cr_assert_eq(pixGetWidth(out), 900);
	cr_assert_eq(dark_in(out, 190, 30, 810, 55), 0, "round leaders left");
	cr_assert_gt(dark_in(out, 190, 120, 810, 145), 0, "rings taken for leaders");
	cr_assert_gt(dark_in(out, 190, 210, 420, 235), 0, "uneven dots taken for leaders");
	cr_assert_eq(dark_in(out, 20, 20, 40, 48), 20 * 28, "a glyph was touched");
	pixDestroy(&out);
	pixDestroy(&g);
}

/* ocr.c stores the word images Tesseract keeps as PNG without compression:
 * a PNG written through Leptonica here is as large as its pixels and reads
 * back to the same picture (with compression this one, plain grey with a
 * bar, would take a few hundred bytes). */
Test(receipt_ocr, word_images_kept_uncompressed)
{
	PIX *g = pixCreate(200, 40, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 230);
	fill(g, 20, 10, 150, 20, 20);
	l_uint8 *data = NULL;
	size_t size = 0;
	cr_assert_eq(pixWriteMem(&data, &size, g, IFF_PNG), 0);
	cr_assert_geq(size, 200 * 40, "compressed to %zu bytes: the PNG writer was not replaced", size);
	cr_assert_eq(memcmp(data, "\x89PNG", 4), 0);
	PIX *back = pixReadMem(data, size);
	cr_assert_not_null(back);
	l_int32 same = 0;
	cr_assert_eq(pixEqual(g, back, &same), 0);
	cr_assert(same);
	pixDestroy(&back);
	lept_free(data);
	pixDestroy(&g);
}

/* A line's box that took in a dashed rule above its text: the text band is
 * found below the rule; one band, or two of like height, are no such case. */
Test(receipt_ocr, text_band_under_a_rule)
{
	PIX *g = pixCreate(300, 50, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 235);
	for (int x = 10; x < 290; x += 12)
		fill(g, x, 4, 6, 3, 30); /* the dashes, rows 4-6 */
	for (int x = 20; x < 200; x += 22)
		fill(g, x, 16, 16, 24, 20); /* glyphs, rows 16-39 */
	int top = -1, h = -1;
	cr_assert(recam_ocr_text_band(g, &top, &h));
	cr_assert_eq(top, 16);
	cr_assert_eq(h, 24);
	/* the rule gone: one band */
	fill(g, 0, 0, 300, 10, 235);
	cr_assert_not(recam_ocr_text_band(g, &top, &h));
	/* two lines of text: neither is the line's */
	for (int x = 20; x < 200; x += 22)
		fill(g, x, 1, 16, 12, 20);
	fill(g, 0, 16, 300, 34, 235);
	for (int x = 20; x < 200; x += 22)
		fill(g, x, 20, 16, 14, 20);
	cr_assert_not(recam_ocr_text_band(g, &top, &h));
	pixDestroy(&g);
}

/* A store's name printed reversed: the dark band is found with its box;
 * dark glyphs on paper, or the table's edge at the top, are no band. */
Test(receipt_ocr, reversed_band)
{
	PIX *g = pixCreate(400, 200, 8);
	cr_assert_not_null(g);
	pixSetAllArbitrary(g, 235);
	fill(g, 40, 60, 320, 40, 100); /* the band, rows 60-99, columns 40-359 */
	for (int x = 60; x < 340; x += 30)
		fill(g, x, 70, 18, 20, 230); /* white glyphs in it */
	for (int x = 20; x < 380; x += 24)
		fill(g, x, 130, 14, 20, 20); /* an ordinary line below */
	int x = -1, y = -1, w = -1, h = -1;
	cr_assert(recam_ocr_dark_band(g, 0, 200, 20, &x, &y, &w, &h));
	cr_assert_eq(y, 60);
	cr_assert_eq(h, 40);
	cr_assert_eq(x, 40);
	cr_assert_eq(w, 320);
	/* only the line of dark glyphs, and the table above the paper */
	fill(g, 0, 60, 400, 40, 235);
	cr_assert_not(recam_ocr_dark_band(g, 0, 200, 20, &x, &y, &w, &h));
	fill(g, 0, 0, 400, 30, 60);
	cr_assert_not(recam_ocr_dark_band(g, 0, 200, 20, &x, &y, &w, &h));
	pixDestroy(&g);
}

/* A receipt page whose rows are bent across it as a curled receipt's are:
 * each column of the print moved down by bend(x) (a tilt and a curl, 18 px
 * from left to right at 28-px glyphs). Names on the left, amounts at the
 * right, a centred header, blank rows between blocks; rows 64 px apart, so
 * that a row's print is told from its neighbours' by where it lies. */
static double bend_at(int x, double amount) { double u = (x - 350) / 310.0; return amount * (0.4 * u + 0.5 * u * u); }

static PIX *curled_page(double amount)
{
	PIX *g = pixCreate(700, 1950, 8);
	cr_assert_not_null(g);
	pixSetAll(g);
	for (int r = 0; r < 28; r++) {
		if (r == 5 || r == 12 || r == 20)
			continue;
		int y = 100 + 64 * r;
		int x0 = r < 4 ? 250 : 40, n = r < 4 ? 7 : 8 + (r * 7) % 6;
		for (int k = 0; k <= n; k++) {
			/* a glyph, or the amount at the right edge */
			int gx = k < n ? x0 + k * 28 : 580, gw = k < n ? 24 : 80;
			if (k == n && (r < 4 || r % 4 == 3))
				continue;
			for (int x = gx; x < gx + gw; x++)
				fill(g, x, y + (int)lround(bend_at(x, amount)), 1, 28, 0);
		}
	}
	return g;
}

/* The centre row of the print in columns [x0, x1) near row y. */
static double ink_row(PIX *p, int x0, int x1, int y)
{
	double sum = 0;
	int n = 0;
	for (int yy = y - 18; yy < y + 46; yy++)
		for (int x = x0; x < x1; x++) {
			l_uint32 v = 255;
			pixGetPixel(p, x, yy, &v);
			if (v < 128) {
				sum += yy;
				n++;
			}
		}
	cr_assert_gt(n, 0, "no print near row %d", y);
	return sum / n;
}

Test(receipt_prep, curled_rows_set_straight)
{
	PIX *g = curled_page(18);
	int bend = 0;
	PIX *out = recam_dewarp(g, 28, &bend);
	cr_assert_not_null(out);
	cr_assert(bend >= 12 && bend <= 24, "bend %d", bend);
	int pad = (pixGetHeight(out) - pixGetHeight(g)) / 2;
	/* before: the amount about 12 px below its name's first glyph; after:
	 * level */
	for (int r = 6; r < 28; r += 4) {
		int y = 100 + 64 * r;
		double before = ink_row(g, 600, 640, y) - ink_row(g, 40, 60, y);
		double after = ink_row(out, 600, 640, y + pad) - ink_row(out, 40, 60, y + pad);
		cr_assert(fabs(before) > 8, "row %d: %.1f before", r, before);
		cr_assert(fabs(after) < 3, "row %d: amount %.1f px off its name", r, after);
	}
	pixDestroy(&out);
	pixDestroy(&g);
}

Test(receipt_prep, straight_rows_left_alone)
{
	PIX *g = curled_page(0);
	int bend = -1;
	PIX *out = recam_dewarp(g, 28, &bend);
	cr_assert_eq(out, g, "a straight page is handed back as it is");
	cr_assert_eq(bend, 0);
	pixDestroy(&out);
	pixDestroy(&g);
}

/* Nothing to measure: blank, all ink, too small, not 8 bpp. */
Test(receipt_prep, dewarp_of_pages_without_rows)
{
	PIX *pages[4] = {pixCreate(700, 1400, 8), pixCreate(700, 1400, 8), pixCreate(40, 30, 8), pixCreate(700, 1400, 1)};
	for (int i = 0; i < 4; i++)
		cr_assert_not_null(pages[i]);
	pixSetAll(pages[0]);
	for (int i = 0; i < 4; i++) {
		int bend = -1;
		PIX *out = recam_dewarp(pages[i], 28, &bend);
		cr_assert_eq(out, pages[i], "page %d", i);
		cr_assert_eq(bend, 0);
		pixDestroy(&out);
		pixDestroy(&pages[i]);
	}
}

/* The grain of a darker stretch of paper: specks of one or two pixels, in
 * rows as often as not. Painting them over chipped the glyphs beside them
 * (dev18 0030 lost its date line so); a leader's dot is a tenth of a glyph
 * height or more. */
Test(receipt_prep, paper_grain_is_not_leaders)
{
	PIX *g = glyph_page(640, 200, 1, 8, 0);
	for (int x = 240; x < 600; x += 12)
		fill(g, x, 40, 2, 2, 0);
	for (int x = 20; x < 600; x += 9)
		fill(g, x, 120 + (x / 9) % 3, 1, 2, 0);
	PIX *out = NULL;
	recam_prep_info info;
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_SCALE | RECAM_PREP_LEADERS, &out, &info), 0);
	cr_assert_eq(pixGetWidth(out), 640, "no scaling expected at 28 px glyphs");
	cr_assert_eq(info.leaders, 0);
	cr_assert_eq(dark_in(out, 236, 36, 604, 46), 30 * 4, "grain painted over");
	pixDestroy(&out);
	pixDestroy(&g);
}

/* One line for recam_ocr_drop_edge_words: its text, box and first words
 * ({x1, x2, conf} each, in the text's order, one space between words). */
static void edge_line(recam_ocr_line *l, recam_ocr_lead *d, const char *text, int x, int w, int h,
		      const int (*box)[2], const float *conf, int words)
{
	*l = (recam_ocr_line){.text = strdup(text), .x = x, .y = 0, .w = w, .h = h, .conf = 0.8f, .min_conf = 0};
	cr_assert_not_null(l->text);
	*d = (recam_ocr_lead){.tail_min = 1, .sure_x1 = -1, .words = words};
	const char *p = text;
	for (int j = 0; j < words && j < RECAM_OCR_LEAD_WORDS; j++) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char word[64];
		cr_assert_lt(len, sizeof word);
		memcpy(word, p, len);
		word[len] = '\0';
		size_t glyphs = 0;
		for (size_t k = 0; k < len; k++)
			glyphs += ((unsigned char)word[k] & 0xC0) != 0x80;
		bool marks = strspn(word, "|[]()") == len;
		d->w[j] = (recam_ocr_lead_word){.x1 = box[j][0], .x2 = box[j][1], .end = (size_t)(p - text) + len,
						.conf = conf[j], .short_w = glyphs <= 2, .marks = marks,
						.mark = strcmp(word, "軽") == 0};
		if (d->sure_x1 < 0 && conf[j] >= 0.5f && !marks)
			d->sure_x1 = box[j][0];
		p = e ? e + 1 : p + len;
	}
}

Test(receipt_ocr, words_left_of_the_margin_dropped)
{
	enum { N = 7 };
	recam_ocr_line L[N];
	recam_ocr_lead D[N];
	const float sure[] = {0.9f, 0.9f, 0.9f}, junk[] = {0.1f, 0.9f, 0.9f}, bar[] = {0.9f, 0.9f, 0.9f},
		    two[] = {0.2f, 0.3f, 0.9f}, mark[] = {0.3f, 0.9f, 0.9f};
	/* three lines at the margin (x 100) */
	edge_line(&L[0], &D[0], "牛乳 ¥198", 100, 500, 30, (const int[][2]){{100, 160}, {520, 600}}, sure, 2);
	edge_line(&L[1], &D[1], "食パン ¥158", 100, 500, 30, (const int[][2]){{100, 190}, {520, 600}}, sure, 2);
	edge_line(&L[2], &D[2], "小計 ¥356", 100, 500, 30, (const int[][2]){{100, 160}, {520, 600}}, sure, 2);
	/* a low-confidence glyph left of it (dev19 0080), a bar read sure,
	 * two of them, a reduced-rate mark, and a label ending right of it */
	edge_line(&L[3], &D[3], "議 アイスコーヒー ¥488", 25, 575, 33, (const int[][2]){{25, 55}, {102, 300}, {520, 600}},
		  junk, 3);
	edge_line(&L[4], &D[4], "| ウーロン茶 ¥263", 27, 573, 38, (const int[][2]){{27, 38}, {115, 250}, {520, 600}}, bar, 3);
	edge_line(&L[5], &D[5], "詳 還 スポーツドリンク", 0, 600, 33, (const int[][2]){{0, 20}, {35, 60}, {100, 400}}, two, 3);
	edge_line(&L[6], &D[6], "軽 ポテト ¥146", 40, 560, 33, (const int[][2]){{40, 65}, {110, 200}, {520, 600}}, mark, 3);
	double sum = 0;
	int n = 0;
	recam_ocr_drop_edge_words(L, D, N, &sum, &n);
	cr_assert_str_eq(L[0].text, "牛乳 ¥198");
	cr_assert_str_eq(L[3].text, "アイスコーヒー ¥488");
	cr_assert_eq(L[3].x, 102);
	cr_assert_eq(L[3].w, 575 - (102 - 25));
	cr_assert_float_eq(L[3].min_conf, 0.9f, 1e-6);
	cr_assert_str_eq(L[4].text, "ウーロン茶 ¥263");
	cr_assert_str_eq(L[5].text, "スポーツドリンク");
	cr_assert_str_eq(L[6].text, "軽 ポテト ¥146");
	cr_assert_eq(n, -4);
	for (int i = 0; i < N; i++)
		free(L[i].text);
	/* a sure word left of the margin stays: the margin is not known well
	 * enough with fewer than three lines */
	edge_line(&L[0], &D[0], "合 計 ¥356", 30, 500, 30, (const int[][2]){{30, 60}, {100, 130}, {520, 600}}, sure, 3);
	edge_line(&L[1], &D[1], "議 アイス ¥488", 25, 575, 33, (const int[][2]){{25, 55}, {102, 300}, {520, 600}}, junk, 3);
	recam_ocr_drop_edge_words(L, D, 2, &sum, &n);
	cr_assert_str_eq(L[0].text, "合 計 ¥356");
	cr_assert_str_eq(L[1].text, "議 アイス ¥488");
	free(L[0].text);
	free(L[1].text);
}

/* Leader dots a third of a glyph high (dev19 0093: 9 px dots beside 28 px
 * glyphs were left, and every line read `ウインナー OO 6 9 8 ¥298`), with
 * one dot lost to a print-head streak: painted over. */
Test(receipt_prep, large_leader_dots_painted_over)
{
	PIX *g = glyph_page(900, 200, 2, 6, 90);
	for (int k = 0; k < 14; k++) {
		if (k == 8)
			continue; /* the streak */
		fill(g, 200 + k * 38, 30, 9, 9, 0);
	}
	PIX *out = NULL;
	recam_prep_info info;
	cr_assert_eq(recam_prep_run(g, RECAM_PREP_SCALE | RECAM_PREP_LEADERS, &out, &info), 0);
	cr_assert_eq(pixGetWidth(out), 900);
	cr_assert_eq(dark_in(out, 190, 25, 740, 45), 0, "large leader dots left");
	cr_assert_eq(dark_in(out, 20, 20, 40, 48), 20 * 28, "a glyph was touched");
	pixDestroy(&out);
	pixDestroy(&g);
}
