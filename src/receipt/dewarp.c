/* dewarp.c — rows of print bent across the page. A receipt comes off a roll
 * and lies curled; photographed from an angle, its rows rise or sag toward
 * the edges, and once the paper's corners are mapped onto a rectangle
 * (paper.c) the amounts at the right edge can still sit half a line above
 * or below their names (dev18 0044, 0049: the amounts read into the wrong
 * lines or not at all). The print is cut into STRIPS upright strips and
 * into bands of rows; in each band each strip's ink per row is matched
 * against the strips already placed, growing outward from the one whose
 * rows differ most (print and the gaps between lines), then against all
 * the others. A parabola across the page (a curl, plus any tilt left)
 * through the strips' offsets, taken only when the strips so moved agree
 * better than as they are, moves each column of pixels up or down, by an
 * amount that changes smoothly from band to band. */
#include "receipt/dewarp.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "receipt/prep.h"

enum { STRIPS = 8 };

typedef struct {
	int *rows;  /* ink pixels per row */
	double var; /* Σ (rows − mean)²: print against the gaps between lines */
	double x;   /* centre, -1 .. 1 across the print */
	int shift;  /* the strip's print lies this many rows below the page's */
	bool used;  /* enough ink to be matched */
} strip;

/* How well the strip moved up by t matches ref: their correlation over
 * the rows both cover (-1 .. 1; 0 when either is flat there). */
static double match(const strip *s, int t, const double *ref, int h)
{
	int y0 = t < 0 ? -t : 0, y1 = t > 0 ? h - t : h, n = y1 - y0;
	if (n < h / 2)
		return 0;
	double sp = 0, spp = 0, sr = 0, srr = 0, spr = 0;
	for (int y = y0; y < y1; y++) {
		double p = s->rows[y + t], r = ref[y];
		sp += p;
		spp += p * p;
		sr += r;
		srr += r * r;
		spr += p * r;
	}
	double vp = spp - sp * sp / n, vr = srr - sr * sr / n;
	return vp > 0 && vr > 0 ? (spr - sp * sr / n) / sqrt(vp * vr) : 0;
}

/* The reference for strip `self`: the other placed strips, each moved by
 * its shift, summed. */
static void reference(const strip *st, const bool *placed, int self, int h, double *ref)
{
	memset(ref, 0, (size_t)h * sizeof(*ref));
	for (int s = 0; s < STRIPS; s++) {
		if (s == self || !placed[s])
			continue;
		int t = st[s].shift;
		for (int y = 0; y < h; y++)
			if (y + t >= 0 && y + t < h)
				ref[y] += st[s].rows[y + t];
	}
}

/* The shift within reach of `from` that matches strip s best against ref;
 * `from` itself unless another matches clearly better (a flat profile
 * matches all alike; a few lines of their own may match a neighbouring line
 * about as well). *at_edge: the best lies at the end of the reach, and
 * past it may be better still. */
static int best_shift(const strip *s, const double *ref, int h, int from, int reach, bool *at_edge)
{
	double at_from = match(s, from, ref, h), best = at_from;
	int best_t = from;
	for (int t = from - reach; t <= from + reach; t++) {
		double c = match(s, t, ref, h);
		if (c > best) {
			best = c;
			best_t = t;
		}
	}
	if (best <= at_from + 0.02)
		best_t = from;
	*at_edge = abs(best_t - from) == reach;
	return best_t;
}

/* Weighted least squares of shift = a + b·x + c·x² over the used strips
 * (weights: var); false when fewer than four. */
static bool fit(const strip *st, double coef[3])
{
	double m[3][4] = {{0}};
	int n = 0;
	for (int s = 0; s < STRIPS; s++) {
		if (!st[s].used)
			continue;
		double x = st[s].x, wgt = st[s].var, p[3] = {1, x, x * x};
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++)
				m[i][j] += wgt * p[i] * p[j];
			m[i][3] += wgt * p[i] * st[s].shift;
		}
		n++;
	}
	if (n < 4)
		return false;
	for (int i = 0; i < 3; i++) { /* Gauss-Jordan with partial pivoting */
		int piv = i;
		for (int r = i + 1; r < 3; r++)
			if (fabs(m[r][i]) > fabs(m[piv][i]))
				piv = r;
		if (fabs(m[piv][i]) < 1e-9)
			return false;
		for (int j = 0; j < 4; j++) {
			double tmp = m[i][j];
			m[i][j] = m[piv][j];
			m[piv][j] = tmp;
		}
		for (int r = 0; r < 3; r++) {
			if (r == i)
				continue;
			double f = m[r][i] / m[i][i];
			for (int j = i; j < 4; j++)
				m[r][j] -= f * m[i][j];
		}
	}
	for (int i = 0; i < 3; i++)
		coef[i] = m[i][3] / m[i][i];
	return true;
}

/* How well the used strips agree, each moved by shift[]: the mean of each
 * one's match against all the others. */
static double agreement(strip *st, const int *shift, int h, double *ref)
{
	bool all[STRIPS];
	for (int s = 0; s < STRIPS; s++) {
		all[s] = st[s].used;
		st[s].shift = shift[s];
	}
	double q = 0;
	int n = 0;
	for (int s = 0; s < STRIPS; s++)
		if (st[s].used) {
			reference(st, all, s, h, ref);
			q += match(&st[s], st[s].shift, ref, h);
			n++;
		}
	return n ? q / n : 0;
}

/* The strips' shifts. The strip of most var stays; the others, outward
 * from it, are each matched against all placed before them, within half a
 * line of the last placed strip's shift for each strip between them (a
 * gap of empty strips: names on the left, amounts at the right); then each
 * once more against all the others, within a sixth of a line. */
static void place(strip *st, int h, int line_px, double *ref)
{
	int anchor = -1;
	for (int s = 0; s < STRIPS; s++)
		if (st[s].used && (anchor < 0 || st[s].var > st[anchor].var))
			anchor = s;
	bool placed[STRIPS] = {false};
	placed[anchor] = true;
	for (int dir = -1; dir <= 1; dir += 2) {
		int last = anchor;
		for (int s = anchor + dir; s >= 0 && s < STRIPS; s += dir) {
			if (!st[s].used)
				continue;
			reference(st, placed, s, h, ref);
			int reach = line_px / 2 * abs(s - last);
			reach = reach > line_px ? line_px : reach;
			bool edge;
			st[s].shift = best_shift(&st[s], ref, h, st[last].shift, reach, &edge);
			/* no peak within reach: a strip of a few lines of its own
			 * (a pitch away is as good a match); left out */
			if (edge) {
				st[s].used = false;
				st[s].shift = 0;
				continue;
			}
			placed[s] = true;
			last = s;
		}
	}
	int shifts[STRIPS];
	for (int s = 0; s < STRIPS; s++)
		shifts[s] = st[s].shift;
	for (int s = 0; s < STRIPS; s++) {
		if (!st[s].used)
			continue;
		reference(st, placed, s, h, ref);
		bool edge;
		shifts[s] = best_shift(&st[s], ref, h, st[s].shift, line_px / 6, &edge);
	}
	for (int s = 0; s < STRIPS; s++)
		st[s].shift = shifts[s];
}

/* Row y of the output: each column x taken off[x] rows lower in the page
 * (src, h rows; fractional: interpolated between rows, white past the
 * page's ends). */
static void shift_row(const l_uint32 *src, int swpl, int h, l_uint32 *line, int w, int y, const double *off)
{
	for (int x = 0; x < w; x++) {
		double sy = y + off[x];
		int iy = (int)floor(sy);
		double f = sy - iy;
		int v0 = iy >= 0 && iy < h ? (int)GET_DATA_BYTE(src + (size_t)iy * (size_t)swpl, x) : 255;
		int v1 = iy + 1 >= 0 && iy + 1 < h ? (int)GET_DATA_BYTE(src + (size_t)(iy + 1) * (size_t)swpl, x) : 255;
		SET_DATA_BYTE(line, x, (int)lround(v0 + f * (v1 - v0)));
	}
}

/* The print's left and right edge: the columns past which 1% of its ink
 * lies (specks). Columns inked in more than half the rows (the table or a
 * shadow at the crop's edge) are not print. */
static void print_extent(long *col, int w, int h, int *x0, int *x1)
{
	long all = 0;
	for (int x = 0; x < w; x++) {
		if (col[x] * 2 > h)
			col[x] = 0;
		all += col[x];
	}
	long cut = all / 100, a = 0;
	int l = 0, r = w - 1;
	for (; l < w - 1 && (a += col[l]) <= cut; l++)
		;
	for (a = 0; r > 0 && (a += col[r]) <= cut; r--)
		;
	*x0 = l;
	*x1 = r;
}

/* A band of rows [y0, y1): its strips' shifts and the parabola through
 * them, shift = c[0] + c[1]·u + c[2]·u² for u across the print, held at
 * its ends past the outermost strips matched (u_lo, u_hi) and moved so
 * that its mean across the print is 0. Not ok (not measured: the band
 * takes its neighbours' bend) when too few strips carry print, or the
 * strips agree no better bent than straight. */
typedef struct {
	double c[3], u_lo, u_hi;
	bool ok;
} band;

static double band_at(const band *b, double u)
{
	u = u < b->u_lo ? b->u_lo : u > b->u_hi ? b->u_hi : u;
	return b->c[0] + b->c[1] * u + b->c[2] * u * u;
}

static void band_fit(int *const rows[STRIPS], int y0, int y1, int line_px, double *ref, band *b)
{
	int h = y1 - y0;
	strip st[STRIPS];
	double all = 0;
	for (int s = 0; s < STRIPS; s++) {
		st[s] = (strip){.rows = rows[s] + y0, .x = (s + 0.5) * 2.0 / STRIPS - 1};
		long ink = 0;
		for (int y = 0; y < h; y++)
			ink += st[s].rows[y];
		double mean = (double)ink / h;
		for (int y = 0; y < h; y++)
			st[s].var += (st[s].rows[y] - mean) * (st[s].rows[y] - mean);
		all += st[s].var;
	}
	/* a strip is matched when it holds a quarter of a strip's share of
	 * the var and print on at least three lines' worth of rows */
	int used = 0;
	b->u_lo = 1;
	b->u_hi = -1;
	for (int s = 0; s < STRIPS; s++) {
		int inked = 0;
		for (int y = 0; y < h; y++)
			inked += st[s].rows[y] > 0;
		st[s].used = all > 0 && st[s].var * 4 * STRIPS >= all && inked >= 3 * line_px;
		used += st[s].used;
	}
	b->ok = false;
	if (used < 4)
		return;
	place(st, h, line_px, ref);
	/* one strip that does not fit the rest (a logo, a block of its own)
	 * is left out */
	if (!fit(st, b->c))
		return;
	int worst = -1;
	double worst_d = line_px / 3.0;
	for (int s = 0; s < STRIPS; s++) {
		double x = st[s].x, d = fabs(b->c[0] + b->c[1] * x + b->c[2] * x * x - st[s].shift);
		if (st[s].used && d > worst_d) {
			worst_d = d;
			worst = s;
		}
	}
	if (worst >= 0) {
		st[worst].used = false;
		if (!fit(st, b->c))
			return;
	}
	for (int s = 0; s < STRIPS; s++)
		if (st[s].used) {
			b->u_lo = fmin(b->u_lo, st[s].x);
			b->u_hi = fmax(b->u_hi, st[s].x);
		}
	/* moved by the parabola, the strips must agree better than as they
	 * are (a strip matched to the wrong line drags the parabola; a band
	 * of centred lines alone says little) */
	int measured[STRIPS];
	for (int s = 0; s < STRIPS; s++)
		measured[s] = (int)lround(band_at(b, st[s].x));
	double bent = agreement(st, measured, h, ref);
	memset(measured, 0, sizeof(measured));
	double flat = agreement(st, measured, h, ref);
	if (bent < flat + 0.02)
		return;
	b->ok = true;
	double mean = 0;
	for (int k = 0; k <= 20; k++)
		mean += band_at(b, -1 + k / 10.0) / 21;
	b->c[0] -= mean;
}

struct Pix *recam_dewarp(struct Pix *g, int line_px, int *bend_px)
{
	*bend_px = 0;
	int w = pixGetWidth(g), h = pixGetHeight(g);
	if (pixGetDepth(g) != 8 || line_px < 8 || h < 8 * line_px || w < 8 * line_px)
		return pixClone(g);
	int level = recam_prep_otsu(g, 2);
	/* bands of about twelve lines' height, each overlapping its
	 * neighbours by half */
	int nb = h / (12 * line_px);
	nb = nb < 1 ? 1 : nb > 16 ? 16 : nb;
	long *col = calloc((size_t)w, sizeof(*col));
	int *rows = calloc((size_t)STRIPS * (size_t)h, sizeof(*rows));
	double *ref = calloc((size_t)h, sizeof(*ref));
	double *off = calloc((size_t)w, sizeof(*off));
	band *bands = calloc((size_t)nb, sizeof(*bands));
	PIX *out = NULL;
	if (col == NULL || rows == NULL || ref == NULL || off == NULL || bands == NULL)
		goto done;
	l_uint32 *data = pixGetData(g);
	int wpl = pixGetWpl(g);
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++)
			col[x] += (int)GET_DATA_BYTE(line, x) < level;
	}
	int x0, x1;
	print_extent(col, w, h, &x0, &x1);
	if (x1 - x0 < 8 * line_px) {
		out = pixClone(g);
		goto done;
	}
	int *srows[STRIPS];
	double sw = (double)(x1 - x0 + 1) / STRIPS;
	for (int s = 0; s < STRIPS; s++) {
		srows[s] = rows + (size_t)s * (size_t)h;
		int a = x0 + (int)(s * sw), b = x0 + (int)((s + 1) * sw);
		for (int y = 0; y < h; y++) {
			l_uint32 *line = data + (size_t)y * (size_t)wpl;
			int n = 0;
			for (int x = a; x < b; x++)
				n += (int)GET_DATA_BYTE(line, x) < level;
			srows[s][y] = n;
		}
	}
	double bh = (double)h / nb, bend = 0;
	int any = 0;
	for (int k = 0; k < nb; k++) {
		int y0 = (int)fmax(0, (k - 0.25) * bh), y1 = (int)fmin(h, (k + 1.25) * bh);
		band_fit(srows, y0, y1, line_px, ref, &bands[k]);
		if (!bands[k].ok)
			continue;
		any++;
		double lo = INFINITY, hi = -INFINITY;
		for (int j = 0; j <= 20; j++) {
			double v = band_at(&bands[k], -1 + j / 10.0);
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
		/* more than three lines: not a bend but a mismatch */
		if (hi - lo > 3.0 * line_px) {
			bands[k].ok = false;
			any--;
			continue;
		}
		bend = fmax(bend, hi - lo);
	}
	/* under a quarter of a line everywhere: straight enough for the
	 * recognizer (on 200 moderate dev photos smaller bends set straight
	 * gained nothing); measured in under half the bands: the rows do not
	 * run across the page (a page still tilted; one band of four measured
	 * on tests/api/data/totals-block-reread.jpg, tilted 20°) */
	if (!any || any * 2 < nb || bend < line_px / 4.0) {
		out = pixClone(g);
		goto done;
	}
	/* a band not measured takes its nearest measured neighbour's bend */
	for (int k = 0; k < nb; k++)
		if (!bands[k].ok) {
			int best = -1;
			for (int j = 0; j < nb; j++)
				if (bands[j].ok && (best < 0 || abs(j - k) < abs(best - k)))
					best = j;
			bands[k] = bands[best];
			bands[k].ok = false;
		}
	int pad = (int)ceil(bend) + 1;
	PIX *o = pixCreate(w, h + 2 * pad, 8);
	if (o == NULL)
		goto done;
	pixCopyResolution(o, g);
	l_uint32 *dst = pixGetData(o);
	int dwpl = pixGetWpl(o);
	for (int y = 0; y < h + 2 * pad; y++) {
		/* the bend at this row: between the two nearest bands' centres */
		double fk = (y - pad) / bh - 0.5;
		int k = (int)floor(fk);
		double f = fk - k;
		if (k < 0) {
			k = 0;
			f = 0;
		} else if (k >= nb - 1) {
			k = nb - 1;
			f = 0;
		}
		const band *b0 = &bands[k], *b1 = &bands[k + 1 < nb ? k + 1 : k];
		for (int x = 0; x < w; x++) {
			double u = ((x < x0 ? x0 : x > x1 ? x1 : x) - x0) * 2.0 / (x1 - x0) - 1;
			off[x] = (1 - f) * band_at(b0, u) + f * band_at(b1, u);
		}
		shift_row(data, wpl, h, dst + (size_t)y * (size_t)dwpl, w, y - pad, off);
	}
	out = o;
	*bend_px = (int)lround(bend);
done:
	free(col);
	free(rows);
	free(ref);
	free(off);
	free(bands);
	return out;
}
