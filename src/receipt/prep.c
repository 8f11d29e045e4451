/* prep.c — from a decoded grey photo to what Tesseract reads best: the paper
 * cropped out of its background, upright, text lines about 28 px high.
 * Order matters (DESIGN pitfall 4): crop first, measure skew on an Otsu copy
 * and rotate the grey image, then scale by measured line height rather than
 * image width. Which steps run by default is decided by measurement
 * (docs/reader.md). */
#include "receipt/prep.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "receipt/dewarp.h"
#include "receipt/paper.h"

/* The projection-profile test for sideways pages turned upright receipts on
 * a patterned background sideways (measured: 9 of 10 moderate photos), so it
 * is off; orientation comes from EXIF and the recognition-confidence retry. */
#define RECAM_PREP_SIDEWAYS_PROFILE 0

int recam_prep_parse_steps(const char *s)
{
	static const struct { const char *name; int bit; } names[] = {
		{"crop", RECAM_PREP_CROP}, {"deskew", RECAM_PREP_DESKEW}, {"orient", RECAM_PREP_ORIENT},
		{"flatten", RECAM_PREP_FLATTEN}, {"scale", RECAM_PREP_SCALE}, {"binarize", RECAM_PREP_BINARIZE},
		{"contrast", RECAM_PREP_CONTRAST}, {"leaders", RECAM_PREP_LEADERS}, {"reread", RECAM_PREP_REREAD},
		{"perspective", RECAM_PREP_PERSPECTIVE}, {"shadow", RECAM_PREP_SHADOW}, {"dewarp", RECAM_PREP_DEWARP},
	};
	if (strcmp(s, "default") == 0)
		return RECAM_PREP_DEFAULT;
	if (strcmp(s, "none") == 0 || s[0] == '\0')
		return 0;
	int steps = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		size_t i = 0;
		for (; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n && strncmp(s, names[i].name, n) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return -1;
		steps |= names[i].bit;
		s += n;
		if (*s == ',')
			s++;
	}
	return steps;
}

/* Otsu threshold over the histogram bins [lo, hi): the level that best
 * separates the two classes (maximal between-class variance). */
int recam_prep_otsu_range(const double *hist, int lo, int hi)
{
	double total = 0, sum = 0;
	for (int i = lo; i < hi; i++) {
		total += hist[i];
		sum += i * hist[i];
	}
	double wb = 0, sb = 0, best = -1;
	int t = (lo + hi) / 2;
	for (int i = lo; i < hi; i++) {
		wb += hist[i];
		if (wb == 0)
			continue;
		double wf = total - wb;
		if (wf == 0)
			break;
		sb += i * hist[i];
		double mb = sb / wb, mf = (sum - sb) / wf;
		double between = wb * wf * (mb - mf) * (mb - mf);
		if (between > best) {
			best = between;
			t = i + 1;
		}
	}
	return t;
}

int recam_prep_otsu(struct Pix *g, int factor)
{
	NUMA *na = pixGetGrayHistogram(g, factor);
	if (na == NULL)
		return 128;
	double hist[256];
	for (int i = 0; i < 256; i++) {
		l_float32 v = 0;
		numaGetFValue(na, i, &v);
		hist[i] = v;
	}
	numaDestroy(&na);
	return recam_prep_otsu_range(hist, 0, 256);
}

static PIX *binarize_otsu(PIX *g) { return pixThresholdToBinary(g, recam_prep_otsu(g, 2)); }

/* Faint print with part of the paper in shadow: one threshold for the whole
 * page, as Tesseract takes it (Otsu), falls between lit and shadowed paper,
 * and the shadowed rows come out black with the text in them (measured:
 * the bottom third of a moderate photo unread, docs/reader.md). Seen as a
 * band of rows (a tenth of the page) mostly darker than that threshold; the
 * print alone fills at most half of any band. The same down a page cropped
 * to its paper, away from its sides: the paper shaded toward one side
 * (dev21 0188, every amount in its right quarter read as nothing). */
#define SHADOW_BAND_DARK 0.6

/* Whether some band of `band` consecutive entries of dark[0..n) holds more
 * than SHADOW_BAND_DARK of `across` pixels each. */
static bool dark_band(const int *dark, int n, int band, int across)
{
	for (int a = 0; a + band <= n; a += band / 2) {
		long sum = 0;
		for (int k = a; k < a + band; k++)
			sum += dark[k];
		if ((double)sum > SHADOW_BAND_DARK * band * across)
			return true;
	}
	return false;
}

static bool shadow_band(PIX *g, bool cropped)
{
	int w = pixGetWidth(g), h = pixGetHeight(g);
	int t = recam_prep_otsu(g, 2);
	if (h / 10 < 8 || w < 16)
		return false;
	cropped = cropped && w / 10 >= 8;
	l_uint32 *data = pixGetData(g);
	int wpl = pixGetWpl(g);
	/* dark pixels per row and per column, sampled every other pixel */
	int *rows = calloc((size_t)h, sizeof(int)), *cols = calloc((size_t)w, sizeof(int));
	bool found = false;
	if (rows && cols) {
		for (int y = 0; y < h; y++) {
			const l_uint32 *line = data + (size_t)y * (size_t)wpl;
			for (int x = 0; x < w; x += 2) {
				int d = GET_DATA_BYTE(line, x) < t;
				rows[y] += d;
				cols[x] += (y & 1) == 0 && d;
			}
		}
		for (int x = 0; x + 1 < w; x += 2)
			cols[x + 1] = cols[x];
		/* columns only on a page cropped to its paper (uncropped, the
		 * table beside it is dark), and a tenth of the width in from
		 * either side: the crop's edges may hold some table (dev21 0013) */
		found = dark_band(rows, h, h / 10, (w + 1) / 2) ||
			(cropped && dark_band(cols + w / 10, w - 2 * (w / 10), w / 10, (h + 1) / 2));
	}
	free(rows);
	free(cols);
	return found;
}

/* Percentile of the middle of the image (the paper, not what surrounds it). */
static void centre_levels(PIX *g, int *lo, int *hi)
{
	int w = pixGetWidth(g), h = pixGetHeight(g);
	BOX *box = boxCreate(w / 5, h / 5, w * 3 / 5, h * 3 / 5);
	PIX *c = box ? pixClipRectangle(g, box, NULL) : NULL;
	boxDestroy(&box);
	NUMA *na = c ? pixGetGrayHistogram(c, 2) : NULL;
	pixDestroy(&c);
	*lo = 0;
	*hi = 255;
	if (na == NULL)
		return;
	double hist[256], total = 0, acc = 0;
	for (int i = 0; i < 256; i++) {
		l_float32 v = 0;
		numaGetFValue(na, i, &v);
		hist[i] = v;
		total += v;
	}
	numaDestroy(&na);
	bool got_lo = false;
	for (int i = 0; i < 256; i++) {
		acc += hist[i];
		if (!got_lo && acc >= total * 0.01) {
			*lo = i;
			got_lo = true;
		}
		if (acc >= total * 0.90) {
			*hi = i;
			break;
		}
	}
}

/* Stretching the paper's range to 0..255 crushed shadowed parts of the
 * paper to black (measured on the dev split: moderate item F1 20% → 8%);
 * whitening the border alone fixes the faint-print case. */
#define RECAM_PREP_STRETCH 0

/* Faint print on grey paper next to a dark table edge: Tesseract's global
 * Otsu then splits table from paper and the text vanishes (measured: a
 * moderate photo gave no text at all). Whiten what is darker than any ink and
 * touches the border (and, when enabled, stretch the paper's range).
 * Then the white point: the paper's level becomes 255 by a gain alone (no
 * offset, so shadowed paper is not crushed to black). Without it the white
 * fill of the border and of the rotated corners is the brightest class, and
 * Tesseract's Otsu split white from grey paper instead of ink from paper:
 * 2 of 30 moderate dev photos gave no text at all (docs/reader.md). */
static void white_point(PIX *g, int paper)
{
	if (paper < 64)
		paper = 64; /* a dark photo: do not amplify noise without bound */
	unsigned char lut[256];
	for (int v = 0; v < 256; v++) {
		int m = v * 255 / paper;
		lut[v] = (unsigned char)(m > 255 ? 255 : m);
	}
	l_uint32 *data = pixGetData(g);
	int wpl = pixGetWpl(g), w = pixGetWidth(g), h = pixGetHeight(g);
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++)
			SET_DATA_BYTE(line, x, lut[GET_DATA_BYTE(line, x)]);
	}
}

static PIX *paper_contrast(PIX *g)
{
	int lo, hi;
	centre_levels(g, &lo, &hi);
	if (hi - lo < 20)
		return pixClone(g);
	PIX *out = pixCopy(NULL, g);
	int cut = lo - 25;
	if (out && cut > 0) {
		PIX *dark = pixThresholdToBinary(g, cut);
		PIX *edge = dark ? pixExtractBorderConnComps(dark, 8) : NULL;
		if (edge)
			pixSetMasked(out, edge, 255);
		pixDestroy(&edge);
		pixDestroy(&dark);
	}
	if (out)
		white_point(out, hi);
	if (out == NULL || !RECAM_PREP_STRETCH)
		return out;
	l_uint32 *data = pixGetData(out);
	int wpl = pixGetWpl(out), w = pixGetWidth(out), h = pixGetHeight(out);
	unsigned char lut[256];
	for (int v = 0; v < 256; v++) {
		int m = (v - lo) * 255 / (hi - lo);
		lut[v] = (unsigned char)(m < 0 ? 0 : m > 255 ? 255 : m);
	}
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++)
			SET_DATA_BYTE(line, x, lut[GET_DATA_BYTE(line, x)]);
	}
	return out;
}

/* Crop to the paper and straighten it by its outline (paper.c). */
static PIX *crop_paper(PIX *g, bool perspective, recam_prep_info *info)
{
	recam_paper p;
	if (recam_paper_find(g, &p) != 0)
		return NULL;
	if (!p.found)
		return pixClone(g);
	PIX *out = recam_paper_extract(g, &p, perspective);
	if (out) {
		info->crop_x = (int)(p.cx - p.across / 2);
		info->crop_y = (int)(p.cy - p.along / 2);
		info->crop_w = (int)p.across;
		info->crop_h = (int)p.along;
		info->paper_deg = (float)p.angle_deg;
	}
	return out;
}

/* Variance of the ink count per row: text lines make it large along the
 * direction the text runs. */
static double profile_variance(PIX *b, bool rows)
{
	NUMA *na = rows ? pixCountPixelsByRow(b, NULL) : pixCountPixelsByColumn(b);
	if (na == NULL)
		return 0;
	int n = numaGetCount(na);
	double s = 0, s2 = 0;
	for (int i = 0; i < n; i++) {
		l_float32 v;
		numaGetFValue(na, i, &v);
		s += v;
		s2 += (double)v * v;
	}
	numaDestroy(&na);
	if (n == 0 || s == 0)
		return 0;
	double mean = s / n;
	return (s2 / n - mean * mean) / (mean * mean); /* scale-free */
}

/* Sideways receipts: text rows show in the column profile instead. Which of
 * the two quarter turns is decided later by recognition confidence. */
static int sideways(PIX *g)
{
	PIX *b = binarize_otsu(g);
	if (b == NULL)
		return 0;
	double vr = profile_variance(b, true), vc = profile_variance(b, false);
	pixDestroy(&b);
	return vc > 1.5 * vr ? 1 : 0;
}

static PIX *deskew(PIX *g, recam_prep_info *info)
{
	int w = pixGetWidth(g), h = pixGetHeight(g);
	float f = 1200.0f / (float)(w > h ? w : h);
	PIX *small = f < 1 ? pixScaleAreaMap(g, f, f) : pixClone(g);
	/* flattened first: a shadow across the paper must not become "text" */
	PIX *flat = small ? pixBackgroundNormSimple(small, NULL, NULL) : NULL;
	PIX *b = flat ? binarize_otsu(flat) : NULL;
	pixDestroy(&flat);
	l_float32 angle = 0, conf = 0;
	PIX *out = NULL;
	/* Receipt pages score only 1.0-1.9 here. A turn of a degree or more that
	 * undoes the turn taken from the paper's outline is taken on that weaker
	 * evidence: the text was straight and the outline misled (dev 0030: the
	 * outline said 8.0°, the text then stood at -7.4°, confidence 1.16). */
	if (b && pixFindSkewSweepAndSearch(b, &angle, &conf, 2, 2, 10.0f, 0.5f, 0.01f) == 0 &&
	    ((conf > 2.0f && fabsf(angle) > 0.2f) ||
	     (conf > 1.0f && fabsf(angle) >= 1.0f && fabsf(info->paper_deg) >= 1.0f &&
	      fabsf(angle + info->paper_deg) < 1.5f))) {
		out = pixRotate(g, (float)(M_PI / 180.0) * angle, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
		info->skew_deg = angle;
	}
	pixDestroy(&b);
	pixDestroy(&small);
	return out ? out : pixClone(g);
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Text height from the glyphs themselves: the upper quartile of the heights
 * of glyph-shaped connected components (kanji fall apart into radicals, so
 * the median would be low). Row profiles were tried first and failed on
 * photos: a shadow edge or a fold turns many rows into one long "line". */
static int line_height(PIX *g)
{
	int w0 = pixGetWidth(g), h0 = pixGetHeight(g);
	float f = 1;
	PIX *work = NULL;
	if (w0 > 1600 || h0 > 1600) {
		f = 1600.0f / (float)(w0 > h0 ? w0 : h0);
		work = pixScaleAreaMap(g, f, f);
	} else {
		work = pixClone(g);
	}
	PIX *flat = work ? pixBackgroundNormSimple(work, NULL, NULL) : NULL;
	pixDestroy(&work);
	PIX *b = flat ? binarize_otsu(flat) : NULL;
	pixDestroy(&flat);
	BOXA *boxa = b ? pixConnCompBB(b, 8) : NULL;
	pixDestroy(&b);
	if (boxa == NULL)
		return 0;
	int n = boxaGetCount(boxa);
	int *hs = malloc(sizeof(int) * (size_t)(n + 1));
	int k = 0;
	for (int i = 0; hs && i < n; i++) {
		l_int32 bx, by, bw, bh;
		boxaGetBoxGeometry(boxa, i, &bx, &by, &bw, &bh);
		if (bh >= 5 && bh <= 300 && bw * 4 >= bh && bw <= 3 * bh)
			hs[k++] = bh;
	}
	boxaDestroy(&boxa);
	int q = 0;
	if (k >= 20) {
		qsort(hs, (size_t)k, sizeof(int), cmp_int);
		q = (int)((float)hs[k * 3 / 4] / f + 0.5f);
	}
	free(hs);
	return q;
}

typedef struct dotbox {
	int x, y, w, h, next;
	bool hit, round; /* round: filled like a dot (・), not a speck or an asterisk */
} dotbox;

static int cmp_dot_x(const void *a, const void *b)
{
	const dotbox *p = a, *q = b;
	return p->x != q->x ? (p->x < q->x ? -1 : 1) : (p->y < q->y ? -1 : p->y > q->y);
}

/* Dotted leaders ("チョコ ........ 228") make Tesseract's line recognizer
 * give up on the whole line. They are rows of at least LEADER_MIN small
 * blobs of about the same size on one baseline, closer together than a
 * glyph is wide: kana with dakuten, a decimal point or a lone "・" are not.
 * Full-width "・ ・ ・" leaders stand up to 1.5 glyph heights apart: such
 * links are taken only between round dots (filled, not specks of noise or
 * asterisks of a rule). Leaders are printed at the font's pitch, so the
 * dots of a row stand evenly; the grain of a darker stretch of paper forms
 * rows of specks too, at random gaps (dev18 0030: 1,171 specks painted
 * over in a band down the page, chipping the glyphs beside them). lh: the
 * glyph height in pixels now.
 * Measured on the dev split: 15% of receipts print leaders; see
 * docs/reader.md. */
#define LEADER_MIN 5
static int remove_leaders(PIX *g, int lh, int *removed)
{
	*removed = 0;
	if (lh < 8)
		return 0;
	PIX *b = binarize_otsu(g);
	PIXA *pixa = NULL;
	BOXA *boxa = b ? pixConnComp(b, &pixa, 8) : NULL;
	pixDestroy(&b);
	if (boxa == NULL || pixa == NULL) {
		boxaDestroy(&boxa);
		pixaDestroy(&pixa);
		return RECAM_ENOMEM;
	}
	int n = boxaGetCount(boxa), k = 0;
	dotbox *d = malloc(sizeof(*d) * (size_t)(n + 1));
	if (d == NULL) {
		boxaDestroy(&boxa);
		pixaDestroy(&pixa);
		return RECAM_ENOMEM;
	}
	/* up to 0.4 glyph heights: dots of 9 px beside 28-px glyphs (dev19
	 * 0093) were left at 0.3 */
	int maxs = lh * 4 / 10 > 2 ? lh * 4 / 10 : 2;
	for (int i = 0; i < n; i++) {
		l_int32 bx, by, bw, bh;
		boxaGetBoxGeometry(boxa, i, &bx, &by, &bw, &bh);
		/* a printed dot, not a speck of the paper's grain (a tenth of a
		 * glyph height and more) */
		if (bw <= maxs && bh <= maxs && bw * 3 >= bh && bh * 3 >= bw && bw * 10 >= lh && bh * 10 >= lh) {
			l_int32 px = 0;
			PIX *c = pixaGetPix(pixa, i, L_CLONE);
			if (c)
				pixCountPixels(c, &px, NULL);
			pixDestroy(&c);
			bool round = bw * 6 >= lh && bh * 6 >= lh && px * 10 >= bw * bh * 6;
			d[k++] = (dotbox){bx, by, bw, bh, -1, false, round};
		}
	}
	boxaDestroy(&boxa);
	pixaDestroy(&pixa);
	qsort(d, (size_t)k, sizeof(*d), cmp_dot_x);
	int tol = lh / 8 > 2 ? lh / 8 : 2, narrow = lh * 8 / 10, wide = lh * 15 / 10;
	/* each blob's nearest neighbour to the right on the same baseline */
	for (int i = 0; i < k; i++) {
		int yc = d[i].y + d[i].h / 2;
		int gap = d[i].round ? wide : narrow;
		for (int j = i + 1; j < k && d[j].x - d[i].x <= gap; j++) {
			int yj = d[j].y + d[j].h / 2;
			if (d[j].x > d[i].x && abs(yj - yc) <= tol && abs(d[j].h - d[i].h) <= tol &&
			    abs(d[j].w - d[i].w) <= tol && (d[j].x - d[i].x <= narrow || d[j].round)) {
				d[i].next = j;
				break;
			}
		}
	}
	/* chains of LEADER_MIN or more; painted white (the white point has
	 * made the paper 255) a little beyond the blob, which is blurred */
	for (int i = 0; i < k; i++) {
		int len = 1, dmin = 1 << 30, dmax = 0;
		for (int j = i; d[j].next >= 0 && len < LEADER_MIN; j = d[j].next) {
			int dx = d[d[j].next].x - d[j].x;
			dmin = dx < dmin ? dx : dmin;
			dmax = dx > dmax ? dx : dmax;
			len++;
		}
		if (len < LEADER_MIN)
			continue;
		if (dmax - dmin > tol)
			continue;
		for (int j = i; j >= 0 && !d[j].hit; j = d[j].next)
			d[j].hit = true;
	}
	for (int i = 0; i < k; i++) {
		if (!d[i].hit)
			continue;
		int pad = lh / 8 > 2 ? lh / 8 : 2;
		BOX *box = boxCreate(d[i].x - pad, d[i].y - pad, d[i].w + 2 * pad, d[i].h + 2 * pad);
		if (box)
			pixSetInRectArbitrary(g, box, 255);
		boxDestroy(&box);
		(*removed)++;
	}
	free(d);
	return 0;
}

int recam_prep_run(struct Pix *grey, unsigned steps, struct Pix **out, recam_prep_info *info)
{
	memset(info, 0, sizeof(*info));
	info->scale = 1;
	PIX *cur = pixClone(grey), *next;
#define STEP(expr)                                   \
	do {                                         \
		next = (expr);                       \
		if (next == NULL) {                  \
			pixDestroy(&cur);            \
			return RECAM_ENOMEM;         \
		}                                    \
		pixDestroy(&cur);                    \
		cur = next;                          \
	} while (0)
	if (steps & RECAM_PREP_CROP) {
		STEP(crop_paper(cur, (steps & RECAM_PREP_PERSPECTIVE) != 0, info));
		if (steps & RECAM_PREP_CONTRAST)
			STEP(paper_contrast(cur));
	}
	/* Work at a bounded size: a 12 Mpx photo does not need 12 Mpx to measure. */
	int w = pixGetWidth(cur), h = pixGetHeight(cur);
	if (w > 3000 || h > 3000) {
		float f = 3000.0f / (float)(w > h ? w : h);
		STEP(pixScaleAreaMap(cur, f, f));
		info->scale = f;
	}
	if ((steps & RECAM_PREP_ORIENT) && RECAM_PREP_SIDEWAYS_PROFILE && sideways(cur)) {
		STEP(pixRotateOrth(cur, 1));
		info->quarter_turns = 1;
	}
	if (steps & RECAM_PREP_DESKEW)
		STEP(deskew(cur, info));
	/* flattening loses on most pages (docs/reader.md "Pre-processing"):
	 * by default only where a shadow would black out rows */
	if ((steps & RECAM_PREP_FLATTEN) ||
	    ((steps & RECAM_PREP_SHADOW) && shadow_band(cur, (steps & RECAM_PREP_CROP) && info->crop_w > 0))) {
		STEP(pixBackgroundNormSimple(cur, NULL, NULL));
		info->flattened = 1;
	}
	float scale_f = 1; /* of the scale step alone */
	if (steps & RECAM_PREP_SCALE) {
		int lh = line_height(cur);
		info->line_px = lh;
		if (lh > 0) {
			float f = (float)RECAM_PREP_LINE_PX / (float)lh;
			if (f < 0.25f)
				f = 0.25f;
			if (f > 3.0f)
				f = 3.0f;
			/* never hand the recognizer more than ~8 Mpx: time grows with it */
			double px = (double)pixGetWidth(cur) * pixGetHeight(cur) * f * f;
			if (px > 8e6)
				f *= (float)sqrt(8e6 / px);
			if (f < 0.9f || f > 1.1f) {
				STEP(f < 1 ? pixScaleAreaMap(cur, f, f) : pixScaleGrayLI(cur, f, f));
				info->scale *= f;
				scale_f = f;
			}
		}
	}
	int glyph_px = (int)((float)info->line_px * scale_f + 0.5f); /* now, after scaling */
	if ((steps & RECAM_PREP_DEWARP) && info->line_px > 0)
		STEP(recam_dewarp(cur, glyph_px, &info->bend_px));
	if ((steps & RECAM_PREP_LEADERS) && info->line_px > 0) {
		int removed = 0;
		STEP(pixCopy(NULL, cur));
		if (remove_leaders(cur, glyph_px, &removed) != 0) {
			pixDestroy(&cur);
			return RECAM_ENOMEM;
		}
		info->leaders = removed;
	}
	if (steps & RECAM_PREP_BINARIZE) {
		PIX *b = NULL;
		if (pixSauvolaBinarizeTiled(cur, 12, 0.34f, 1, 1, NULL, &b) == 0 && b)
			STEP(b);
	}
#undef STEP
	*out = cur;
	return 0;
}
