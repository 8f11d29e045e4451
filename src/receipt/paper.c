/* paper.c — the receipt in the photo. On a downscaled copy, bright regions
 * are thresholded at two levels (Otsu over all pixels, then Otsu over the
 * bright side: paper on a lit table is brighter than the table), holes from
 * the print are filled, and each large component is compared with the
 * rectangle that has the same second moments. The most rectangle-like large
 * region that carries print wins; its principal axis gives the tilt, so a
 * receipt lying at 20° is straightened before any text-based skew
 * measurement. The region is then checked against the print it should
 * hold (fit_to_ink): grown when the print runs on past it, shrunk when it
 * is much larger than the print. */
#include "receipt/paper.h"
#include "receipt/prep.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define WORK_PX 600.0f
/* a dark stroke: this much below the paper around it (grey levels) */
#define INK_LEVEL 30
/* a region this many times the print's area holds table: 1.6 (2 and 99,
 * never, read fewer items and phones on the photos it changes; 1.3 cut
 * the blank margins of crops that were right) */
#define INK_LOOSE 1.6
/* Crop to the moment rectangle (0) or to the full extent along the axes (1).
 * The extent keeps the wide end of a receipt seen in perspective, but brings
 * in background; measured on 16 moderate dev photos the moment rectangle read
 * more (total 50% vs 38%, phone 81% vs 44%), so it is the default. */
#ifndef RECAM_PAPER_EXTENTS
#define RECAM_PAPER_EXTENTS 0
#endif


/* Moments of one component (its pixels in pix at offset bx, by) and its
 * mean grey in the image g it was found in. */
static void component_shape(PIX *pix, int bx, int by, PIX *g, double *mean_grey, recam_paper *c)
{
	double gsum = 0;
	int w = pixGetWidth(pix), h = pixGetHeight(pix), wpl = pixGetWpl(pix);
	l_uint32 *data = pixGetData(pix);
	double m = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++)
			if (GET_DATA_BIT(line, x)) {
				l_uint32 v = 0;
				pixGetPixel(g, bx + x, by + y, &v);
				gsum += v;
				m++;
				sx += x;
				sy += y;
				sxx += (double)x * x;
				syy += (double)y * y;
				sxy += (double)x * y;
			}
	}
	memset(c, 0, sizeof(*c));
	if (m < 100)
		return;
	*mean_grey = gsum / m;
	double mx = sx / m, my = sy / m;
	double cxx = sxx / m - mx * mx, cyy = syy / m - my * my, cxy = sxy / m - mx * my;
	double tr = (cxx + cyy) / 2, d = sqrt((cxx - cyy) * (cxx - cyy) / 4 + cxy * cxy);
	double l1 = tr + d, l2 = tr - d;
	if (l2 <= 0)
		return;
	double theta = 0.5 * atan2(2 * cxy, cxx - cyy); /* major axis from +x, y down */
	c->fill = m / (sqrt(12 * l1) * sqrt(12 * l2));
	/* The extent along each axis (a receipt seen in perspective is a
	 * trapezoid, which the moment rectangle cuts at its wide end). */
	double ct = cos(theta), st = sin(theta);
	double umin = 1e18, umax = -1e18, vmin = 1e18, vmax = -1e18;
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++)
			if (GET_DATA_BIT(line, x)) {
				double u = (x - mx) * ct + (y - my) * st, v = -(x - mx) * st + (y - my) * ct;
				umin = u < umin ? u : umin;
				umax = u > umax ? u : umax;
				vmin = v < vmin ? v : vmin;
				vmax = v > vmax ? v : vmax;
			}
	}
	double uc = (umin + umax) / 2, vc = (vmin + vmax) / 2;
	c->cx = bx + mx + uc * ct - vc * st;
	c->cy = by + my + uc * st + vc * ct;
	c->along = umax - umin + 1;
	c->across = vmax - vmin + 1;
	if (!RECAM_PAPER_EXTENTS) {
		c->cx = bx + mx;
		c->cy = by + my;
		c->along = sqrt(12 * l1);
		c->across = sqrt(12 * l2);
	}
	/* rotate so the major axis becomes vertical (±90°) */
	double dev = theta * 180.0 / M_PI - 90.0;
	while (dev <= -90)
		dev += 180;
	while (dev > 90)
		dev -= 180;
	c->angle_deg = -dev;
	c->found = true;
	/* Corners: in the frame turned upright (the rotation extract applies),
	 * the pixels furthest along the four diagonals. */
	double a = c->angle_deg * M_PI / 180.0, ca = cos(a), sa = sin(a);
	double best[4] = {-1e18, -1e18, -1e18, -1e18};
	static const int sx_[4] = {-1, 1, 1, -1}, sy_[4] = {-1, -1, 1, 1};
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++)
			if (GET_DATA_BIT(line, x)) {
				double dx = x - mx, dy = y - my;
				double X = dx * ca - dy * sa, Y = dx * sa + dy * ca;
				for (int k = 0; k < 4; k++) {
					double dd = sx_[k] * X + sy_[k] * Y;
					if (dd > best[k]) {
						best[k] = dd;
						c->quad[k][0] = bx + x + 0.5;
						c->quad[k][1] = by + y + 0.5;
					}
				}
			}
	}
	c->has_quad = true;
	double qa = 0;
	for (int k = 0; k < 4; k++)
		qa += c->quad[k][0] * c->quad[(k + 1) % 4][1] - c->quad[(k + 1) % 4][0] * c->quad[k][1];
	qa = fabs(qa) / 2 / m;
	c->quad_fit = qa > 1 ? 1 / qa : qa;
}

/* The share of a component's pixels that are print: 25 grey levels or more
 * below its mean. Paper carries print; a bright patch of table, wall or
 * lit background, however rectangular, has none. */
static double ink_share(PIX *small, PIX *cp, int bx, int by, double mean_grey)
{
	if (mean_grey <= 25)
		return 0;
	BOX *box = boxCreate(bx, by, pixGetWidth(cp), pixGetHeight(cp));
	PIX *g = box ? pixClipRectangle(small, box, NULL) : NULL;
	boxDestroy(&box);
	PIX *dark = g ? pixThresholdToBinary(g, (int)(mean_grey - 25)) : NULL;
	pixDestroy(&g);
	l_int32 ink = 0, all = 0;
	if (dark && pixGetWidth(dark) == pixGetWidth(cp) && pixGetHeight(dark) == pixGetHeight(cp) &&
	    pixAnd(dark, dark, cp) != NULL) {
		pixCountPixels(dark, &ink, NULL);
		pixCountPixels(cp, &all, NULL);
	}
	pixDestroy(&dark);
	return all > 0 ? (double)ink / all : 0;
}

/* Corners of the region within 1% of the frame's edge. A receipt lies
 * inside the photo; a region with two corners on the edge has merged with
 * the table (a beige table lit like the paper, taken with it as one
 * rectangle running off the frame), and its corners are not the paper's. */
static int framed_corners(const recam_paper *c, int w, int h)
{
	int n = 0;
	unsigned edges = 0;
	for (int k = 0; k < 4; k++) {
		double x = c->quad[k][0], y = c->quad[k][1];
		n += x < 0.01 * w || x > 0.99 * w || y < 0.01 * h || y > 0.99 * h;
		edges |= (x < 0.02 * w ? 1u : 0) | (x > 0.98 * w ? 2u : 0) | (y < 0.02 * h ? 4u : 0) | (y > 0.98 * h ? 8u : 0);
	}
	/* all four edges: the whole frame is paper (a scan), nothing to map */
	return edges == 15 ? 0 : n;
}

/* Ink: what a grey closing fills (dark strokes narrower than 7 px on the
 * 600-px copy: the black top-hat), so the step from paper to table is
 * none. On 200 moderate dev photos ≥ 90% of it lay on the paper; on heavy
 * ones with a cloth table mostly under half. */
static PIX *ink_map(PIX *small)
{
	PIX *hat = pixTophat(small, 7, 7, L_TOPHAT_BLACK);
	PIX *ink = hat ? pixThresholdToBinary(hat, INK_LEVEL) : NULL; /* 1 below: not ink */
	pixDestroy(&hat);
	return ink ? pixInvert(ink, ink) : NULL;
}

enum { SPAN = 2048 }; /* |u|, |v| < the 600-px copy's diagonal */

/* The share of the ink inside c's rectangle (2 px margin); with hu and hv
 * (SPAN counters each), the ink's histogram along and across c. */
static double ink_inside(PIX *ink, const recam_paper *c, long *all_out, int *hu, int *hv)
{
	int w = pixGetWidth(ink), h = pixGetHeight(ink), wpl = pixGetWpl(ink);
	double th = (90.0 - c->angle_deg) * M_PI / 180.0, ct = cos(th), st = sin(th);
	long all = 0, inside = 0;
	l_uint32 *data = pixGetData(ink);
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++)
			if (GET_DATA_BIT(line, x)) {
				double u = (x - c->cx) * ct + (y - c->cy) * st, v = -(x - c->cx) * st + (y - c->cy) * ct;
				all++;
				inside += fabs(u) <= c->along / 2 + 2 && fabs(v) <= c->across / 2 + 2;
				if (hu) {
					hu[(int)lround(u) + SPAN / 2]++;
					hv[(int)lround(v) + SPAN / 2]++;
				}
			}
	}
	if (all_out)
		*all_out = all;
	return all ? (double)inside / all : 1;
}

/* The first counter of h[SPAN] from the low end (dir 1) or the high end
 * (dir -1) past the first `cut` counts. */
static int trimmed_end(const int *h, long cut, int dir)
{
	int i = dir > 0 ? 0 : SPAN - 1;
	for (long a = 0; i + dir >= 0 && i + dir < SPAN && (a += h[i]) <= cut; i += dir)
		;
	return i;
}

/* The rectangle turned as c that holds the ink, less 0.5% of it at each
 * end (stray specks), with the paper's margins around the print; its area. */
static double ink_extent(PIX *ink, const recam_paper *c, recam_paper *out)
{
	int *hu = calloc(SPAN, sizeof(int)), *hv = calloc(SPAN, sizeof(int));
	long all = 0;
	double area = -1;
	if (hu && hv)
		ink_inside(ink, c, &all, hu, hv);
	if (all >= 500) {
		long cut = all / 200;
		int u0 = trimmed_end(hu, cut, 1), u1 = trimmed_end(hu, cut, -1);
		int v0 = trimmed_end(hv, cut, 1), v1 = trimmed_end(hv, cut, -1);
		double th = (90.0 - c->angle_deg) * M_PI / 180.0, ct = cos(th), st = sin(th);
		double uc = (u0 + u1) / 2.0 - SPAN / 2, vc = (v0 + v1) / 2.0 - SPAN / 2;
		*out = *c;
		out->cx = c->cx + uc * ct - vc * st;
		out->cy = c->cy + uc * st + vc * ct;
		out->along = (u1 - u0) * 1.02 + 4;
		out->across = (v1 - v0) * 1.08 + 4;
		out->has_quad = false;
		area = out->along * out->across;
	}
	free(hu);
	free(hv);
	return area;
}

/* The region against the print (measured on 1,280 dev photos, docs/reader.md
 * "Fifteenth session"):
 * - a white receipt on a white table, split by uneven light, is found as a
 *   strip of itself: its print runs on past the strip (under 85% of the
 *   ink inside);
 * - a receipt on a patch of table lit as brightly is found with the patch,
 *   much larger than its print (over INK_LOOSE times its area).
 * Either way, when the ink (less 0.5% at each end, stray specks) is
 * compact — under 60% of the frame, so no textured table — the region
 * becomes the ink's rectangle with the paper's margins, turned as the
 * region or upright, whichever is tighter (the region's turn may be the
 * patch's). Its corners are then not the paper's. */
static void fit_to_ink(PIX *ink, recam_paper *c)
{
	bool holds = ink_inside(ink, c, NULL, NULL, NULL) >= 0.85;
	recam_paper upright = *c, a, b;
	upright.angle_deg = 0;
	double area_a = ink_extent(ink, c, &a), area_b = ink_extent(ink, &upright, &b);
	if (area_b > 0 && (area_a < 0 || area_b < area_a)) {
		a = b;
		area_a = area_b;
	}
	if (area_a <= 0 || area_a >= 0.6 * pixGetWidth(ink) * pixGetHeight(ink))
		return;
	if (!holds || c->along * c->across > INK_LOOSE * area_a)
		*c = a;
}

int recam_paper_find(struct Pix *g, recam_paper *best)
{
	memset(best, 0, sizeof(*best));
	int w = pixGetWidth(g), h = pixGetHeight(g);
	float f = WORK_PX / (float)(w > h ? w : h);
	if (f > 1)
		f = 1;
	PIX *small = f < 0.7f ? pixScaleAreaMap(g, f, f) : pixScale(g, f, f);
	if (small == NULL)
		return RECAM_ENOMEM;
	NUMA *na = pixGetGrayHistogram(small, 1);
	double hist[256] = {0};
	for (int i = 0; na && i < 256; i++) {
		l_float32 v = 0;
		numaGetFValue(na, i, &v);
		hist[i] = v;
	}
	numaDestroy(&na);
	int t1 = recam_prep_otsu_range(hist, 0, 256);
	int t2 = recam_prep_otsu_range(hist, t1, 256);
	int t3 = recam_prep_otsu_range(hist, t2, 256);
	int ts[3] = {t1, t2, t3};
	PIX *ink = ink_map(small);
	double sa = (double)pixGetWidth(small) * pixGetHeight(small);
	double best_score = 0;
	for (int k = 0; k < 3; k++) {
		PIX *dark = pixThresholdToBinary(small, ts[k]);
		PIX *bright = dark ? pixInvert(NULL, dark) : NULL;
		PIX *closed = bright ? pixCloseBrick(NULL, bright, 7, 7) : NULL;
		PIX *opened = closed ? pixOpenBrick(NULL, closed, 9, 9) : NULL;
		PIX *holes = opened ? pixHolesByFilling(opened, 4) : NULL;
		PIX *filled = holes ? pixOr(NULL, opened, holes) : NULL;
		PIXA *pixa = NULL;
		BOXA *boxa = filled ? pixConnComp(filled, &pixa, 4) : NULL;
		for (int i = 0; boxa && i < boxaGetCount(boxa); i++) {
			l_int32 bx, by, bw, bh;
			boxaGetBoxGeometry(boxa, i, &bx, &by, &bw, &bh);
			if ((double)bw * bh < sa * 0.02)
				continue;
			PIX *cp = pixaGetPix(pixa, i, L_CLONE);
			recam_paper c;
			double grey = 0;
			component_shape(cp, bx, by, small, &grey, &c);
			/* a blank region (0.5% print or less) is not the receipt: a
			 * lit strip of table beside it scored higher on a dev photo */
			bool blank = c.found && ink_share(small, cp, bx, by, grey) < 0.005;
			pixDestroy(&cp);
			if (!c.found || blank)
				continue;
			c.area_frac = c.fill * c.along * c.across / sa;
			if (c.area_frac > 0.97 || c.fill < 0.75 || c.across < 20)
				continue;
			/* paper is the brightest thing on the table; and a region
			 * whose four corners leave part of it out (a corner of the
			 * paper darker than the threshold) is the paper only in part:
			 * the same paper at another threshold may be whole */
			double score = c.fill * c.fill * sqrt(c.area_frac) * (grey / 255) * (grey / 255) * c.quad_fit * c.quad_fit;
			if (score > best_score) {
				best_score = score;
				*best = c;
			}
		}
		boxaDestroy(&boxa);
		pixaDestroy(&pixa);
		pixDestroy(&filled);
		pixDestroy(&holes);
		pixDestroy(&opened);
		pixDestroy(&closed);
		pixDestroy(&bright);
		pixDestroy(&dark);
	}
	/* mapping such corners onto a rectangle shears the paper inside it:
	 * the region is cropped and turned instead, table and all */
	if (best->found && framed_corners(best, pixGetWidth(small), pixGetHeight(small)) >= 2)
		best->has_quad = false;
	if (best->found && ink)
		fit_to_ink(ink, best);
	pixDestroy(&ink);
	pixDestroy(&small);
	if (best->found) {
		/* back to the input's pixels */
		best->cx /= f;
		best->cy /= f;
		best->along /= f;
		best->across /= f;
		for (int k = 0; k < 4; k++) {
			best->quad[k][0] /= f;
			best->quad[k][1] /= f;
		}
	}
	return 0;
}

static double side(const double a[2], const double b[2]) { return hypot(b[0] - a[0], b[1] - a[1]); }

/* A quadrilateral that can be the paper seen in perspective: convex, no
 * side shorter than a fifth of the paper's width, opposite sides within 35%
 * of each other, and about the area of the moment rectangle. */
static bool quad_plausible(const recam_paper *p)
{
	const double(*q)[2] = p->quad;
	double top = side(q[0], q[1]), right = side(q[1], q[2]), bottom = side(q[3], q[2]), left = side(q[0], q[3]);
	double mn = fmin(fmin(top, bottom), fmin(left, right));
	if (mn < p->across / 5)
		return false;
	if (fabs(top - bottom) > 0.35 * fmax(top, bottom) || fabs(left - right) > 0.35 * fmax(left, right))
		return false;
	double area = 0;
	int sign = 0;
	for (int k = 0; k < 4; k++) {
		const double *a = q[k], *b = q[(k + 1) % 4], *c = q[(k + 2) % 4];
		double cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
		int sg = cross > 0 ? 1 : -1;
		if (sign && sg != sign)
			return false;
		sign = sg;
		area += a[0] * b[1] - b[0] * a[1];
	}
	area = fabs(area) / 2;
	double rect = p->along * p->across;
	return area > 0.8 * rect && area < 1.35 * rect;
}

/* The quadrilateral mapped onto an upright rectangle (sides: the means of
 * the opposite sides). The map goes on outside the quadrilateral, so the
 * margin keeps what the paper's outline misses: a shadowed or curled edge
 * left out of the bright region would otherwise cut the amounts printed at
 * the right edge (a dev photo lost "¥4,633" that way). */
static PIX *extract_quad(PIX *g, const recam_paper *p)
{
	const double(*q)[2] = p->quad;
	double W = (side(q[0], q[1]) + side(q[3], q[2])) / 2, H = (side(q[0], q[3]) + side(q[1], q[2])) / 2;
	double mx = 0.05 * W + 8, my = 0.02 * H + 8;
	double minx = q[0][0], maxx = q[0][0], miny = q[0][1], maxy = q[0][1];
	for (int k = 1; k < 4; k++) {
		minx = fmin(minx, q[k][0]);
		maxx = fmax(maxx, q[k][0]);
		miny = fmin(miny, q[k][1]);
		maxy = fmax(maxy, q[k][1]);
	}
	double pad = 1.5 * fmax(mx, my);
	int x0 = (int)fmax(0, minx - pad), y0 = (int)fmax(0, miny - pad);
	int x1 = (int)fmin(pixGetWidth(g), maxx + pad), y1 = (int)fmin(pixGetHeight(g), maxy + pad);
	int ow = (int)(W + 2 * mx), oh = (int)(H + 2 * my);
	if (x1 - x0 < 16 || y1 - y0 < 16 || ow < 16 || oh < 16)
		return NULL;
	BOX *box = boxCreate(x0, y0, x1 - x0, y1 - y0);
	PIX *clip = box ? pixClipRectangle(g, box, NULL) : NULL;
	boxDestroy(&box);
	/* the warp keeps the canvas size: make room for the rectangle */
	int padx = ow > x1 - x0 ? ow - (x1 - x0) : 0, pady = oh > y1 - y0 ? oh - (y1 - y0) : 0;
	PIX *canvas = clip ? pixAddBorderGeneral(clip, 0, padx, 0, pady, 255) : NULL;
	pixDestroy(&clip);
	PTA *src = ptaCreate(4), *dst = ptaCreate(4);
	PIX *warped = NULL, *out = NULL;
	if (canvas && src && dst) {
		for (int k = 0; k < 4; k++)
			ptaAddPt(src, (float)(q[k][0] - x0), (float)(q[k][1] - y0));
		ptaAddPt(dst, (float)mx, (float)my);
		ptaAddPt(dst, (float)(mx + W), (float)my);
		ptaAddPt(dst, (float)(mx + W), (float)(my + H));
		ptaAddPt(dst, (float)mx, (float)(my + H));
		warped = pixProjectivePtaGray(canvas, dst, src, 255);
	}
	if (warped) {
		box = boxCreate(0, 0, ow, oh);
		out = box ? pixClipRectangle(warped, box, NULL) : NULL;
		boxDestroy(&box);
	}
	pixDestroy(&warped);
	pixDestroy(&canvas);
	ptaDestroy(&src);
	ptaDestroy(&dst);
	return out;
}

bool recam_paper_corners_used(const recam_paper *p) { return p->found && p->has_quad && quad_plausible(p); }

struct Pix *recam_paper_extract(struct Pix *g, const recam_paper *p, bool perspective)
{
	if (perspective && recam_paper_corners_used(p)) {
		PIX *out = extract_quad(g, p);
		if (out)
			return out;
	}
	int w = pixGetWidth(g), h = pixGetHeight(g);
	double a = p->angle_deg * M_PI / 180.0;
	/* half extents of the tilted rectangle's bounding box, with a margin */
	double hw = (fabs(cos(a)) * p->across + fabs(sin(a)) * p->along) / 2 * 1.04 + 8;
	double hh = (fabs(sin(a)) * p->across + fabs(cos(a)) * p->along) / 2 * 1.04 + 8;
	int x0 = (int)fmax(0, p->cx - hw), y0 = (int)fmax(0, p->cy - hh);
	int x1 = (int)fmin(w, p->cx + hw), y1 = (int)fmin(h, p->cy + hh);
	if (x1 - x0 < 16 || y1 - y0 < 16)
		return pixClone(g);
	BOX *box = boxCreate(x0, y0, x1 - x0, y1 - y0);
	PIX *clip = box ? pixClipRectangle(g, box, NULL) : NULL;
	boxDestroy(&box);
	if (clip == NULL)
		return NULL;
	PIX *rot = fabs(p->angle_deg) > 0.2 ? pixRotate(clip, (float)a, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0)
					     : pixClone(clip);
	pixDestroy(&clip);
	if (rot == NULL)
		return NULL;
	/* the paper's centre inside the clip; rotation was about the clip centre */
	double ccx = p->cx - x0, ccy = p->cy - y0;
	double ox = (x1 - x0) / 2.0, oy = (y1 - y0) / 2.0;
	double rx = ox + cos(a) * (ccx - ox) - sin(a) * (ccy - oy);
	double ry = oy + sin(a) * (ccx - ox) + cos(a) * (ccy - oy);
	double mw = p->across * 1.03 + 6, mh = p->along * 1.03 + 6;
	int bx0 = (int)fmax(0, rx - mw / 2), by0 = (int)fmax(0, ry - mh / 2);
	int bx1 = (int)fmin(pixGetWidth(rot), rx + mw / 2), by1 = (int)fmin(pixGetHeight(rot), ry + mh / 2);
	PIX *out = NULL;
	if (bx1 - bx0 >= 16 && by1 - by0 >= 16) {
		box = boxCreate(bx0, by0, bx1 - bx0, by1 - by0);
		out = box ? pixClipRectangle(rot, box, NULL) : NULL;
		boxDestroy(&box);
	} else {
		out = pixClone(rot);
	}
	pixDestroy(&rot);
	return out;
}
