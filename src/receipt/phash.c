/* phash.c — the photo and page hashes of a receipt (see phash.h).
 *
 * Both box-sample a grey picture to a small grid, take its 2-D DCT and keep
 * one bit per low frequency: above or below the median of those kept. The
 * page hash first divides by the paper's brightness (tile maxima, smoothed),
 * so shadows and light gradients are not content, and cuts the page to its
 * print (the rows and columns where ink is dense enough, ignoring the outer
 * band where the paper finder leaves table edges and any solid bar), so the
 * margin the crop left does not shift the page. */
#include "receipt/phash.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define MAX_SIDE 4096
#define MAX_K 16
#define MAX_N 64
#define WORK_PX 256	       /* pictures are hashed at this size */
#define INK_LEVEL 0.7f	       /* darker than 70% of the paper: print */
#define SOLID 0.5f	       /* a row or column more than half ink is a bar or an edge, not text */
#define EDGE_X 0.05	       /* outer bands ignored when finding the print */
#define EDGE_Y 0.015
#define PRINT_LEVEL 0.2f       /* of the typical smoothed ink density */

/* Mean of f over each cell of a sw×sh grid laid over the box. */
static void sample(const float *f, int w, int bx, int by, int bw, int bh, int sw, int sh, double *s)
{
	for (int j = 0; j < sh; j++) {
		int y0 = by + (int)((long)j * bh / sh), y1 = by + (int)((long)(j + 1) * bh / sh);
		if (y1 <= y0)
			y1 = y0 + 1;
		for (int i = 0; i < sw; i++) {
			int x0 = bx + (int)((long)i * bw / sw), x1 = bx + (int)((long)(i + 1) * bw / sw);
			if (x1 <= x0)
				x1 = x0 + 1;
			double sum = 0;
			for (int y = y0; y < y1; y++)
				for (int x = x0; x < x1; x++)
					sum += f[(size_t)y * (size_t)w + (size_t)x];
			s[j * sw + i] = sum / (double)((y1 - y0) * (x1 - x0));
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Orthonormal DCT-II basis rows 0..k-1 for length n. */
static void basis(int n, int k, double out[MAX_K][MAX_N])
{
	for (int u = 0; u < k; u++)
		for (int i = 0; i < n; i++)
			out[u][i] = cos(M_PI * (2.0 * i + 1.0) * u / (2.0 * n)) * sqrt((u ? 2.0 : 1.0) / n);
}

/* The k×k lowest frequencies of the sw×sh grid s but the mean: bit b set
 * when coefficient b+1 (row-major) is above their median. */
static void dct_bits(const double *s, int sw, int sh, int k, recam_phash *out)
{
	double bx[MAX_K][MAX_N], by[MAX_K][MAX_N], row[MAX_N][MAX_K], coef[MAX_K * MAX_K], sorted[MAX_K * MAX_K];
	basis(sw, k, bx);
	basis(sh, k, by);
	for (int j = 0; j < sh; j++)
		for (int u = 0; u < k; u++) {
			double acc = 0;
			for (int i = 0; i < sw; i++)
				acc += s[j * sw + i] * bx[u][i];
			row[j][u] = acc;
		}
	for (int v = 0; v < k; v++)
		for (int u = 0; u < k; u++) {
			double acc = 0;
			for (int j = 0; j < sh; j++)
				acc += by[v][j] * row[j][u];
			coef[v * k + u] = acc;
		}
	int n = k * k - 1;
	memcpy(sorted, coef + 1, sizeof(double) * (size_t)n);
	qsort(sorted, (size_t)n, sizeof(double), cmp_double);
	double median = sorted[n / 2];
	memset(out, 0, sizeof(*out));
	for (int b = 0; b < n; b++)
		if (coef[b + 1] > median)
			out->w[b / 64] |= (uint64_t)1 << (b % 64);
}

static bool size_ok(int w, int h, size_t stride)
{
	return w >= 16 && h >= 16 && w <= MAX_SIDE && h <= MAX_SIDE && stride >= (size_t)w;
}

int recam_phash_photo_grey(const uint8_t *grey, int w, int h, size_t stride, recam_phash *out)
{
	memset(out, 0, sizeof(*out));
	if (!size_ok(w, h, stride))
		return RECAM_EINVAL;
	float *f = malloc((size_t)w * (size_t)h * sizeof(float));
	if (f == NULL)
		return RECAM_ENOMEM;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			f[(size_t)y * (size_t)w + (size_t)x] = (float)grey[(size_t)y * stride + (size_t)x] / 255.0f;
	double s[32 * 32];
	sample(f, w, 0, 0, w, h, 32, 32, s);
	free(f);
	dct_bits(s, 32, 32, 16, out);
	return 0;
}

/* Paper brightness from tile maxima (text is dark, so the brightest pixel of
 * a tile larger than a text line is paper), smoothed over 3×3 tiles and
 * interpolated between tile centres; out = grey / paper, at most 1. */
static int flatten(const uint8_t *g, int w, int h, size_t stride, float *out)
{
	int t = w / 16 < 8 ? 8 : w / 16;
	int tw = (w + t - 1) / t, th = (h + t - 1) / t;
	float *mx = calloc((size_t)tw * (size_t)th, sizeof(float));
	float *sm = calloc((size_t)tw * (size_t)th, sizeof(float));
	if (mx == NULL || sm == NULL) {
		free(mx);
		free(sm);
		return RECAM_ENOMEM;
	}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			float *m = &mx[(y / t) * tw + x / t];
			float v = g[(size_t)y * stride + (size_t)x];
			if (v > *m)
				*m = v;
		}
	for (int ty = 0; ty < th; ty++)
		for (int tx = 0; tx < tw; tx++) {
			float s = 0;
			int n = 0;
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++) {
					int yy = ty + dy, xx = tx + dx;
					if (yy >= 0 && yy < th && xx >= 0 && xx < tw) {
						s += mx[yy * tw + xx];
						n++;
					}
				}
			sm[ty * tw + tx] = s / (float)n;
		}
	for (int y = 0; y < h; y++) {
		float fy = ((float)y + 0.5f) / (float)t - 0.5f;
		int y0 = fy < 0 ? 0 : (int)fy;
		int y1 = y0 + 1 < th ? y0 + 1 : th - 1;
		float ay = fy - (float)y0;
		ay = ay < 0 ? 0 : ay > 1 ? 1 : ay;
		for (int x = 0; x < w; x++) {
			float fx = ((float)x + 0.5f) / (float)t - 0.5f;
			int x0 = fx < 0 ? 0 : (int)fx;
			int x1 = x0 + 1 < tw ? x0 + 1 : tw - 1;
			float ax = fx - (float)x0;
			ax = ax < 0 ? 0 : ax > 1 ? 1 : ax;
			float top = sm[y0 * tw + x0] * (1 - ax) + sm[y0 * tw + x1] * ax;
			float bot = sm[y1 * tw + x0] * (1 - ax) + sm[y1 * tw + x1] * ax;
			float bg = top * (1 - ay) + bot * ay;
			float v = (float)g[(size_t)y * stride + (size_t)x] / (bg < 8 ? 8 : bg);
			out[(size_t)y * (size_t)w + (size_t)x] = v > 1 ? 1 : v;
		}
	}
	free(mx);
	free(sm);
	return 0;
}

/* [lo, hi) of the positions whose ink density, smoothed over about a text
 * line, reaches PRINT_LEVEL of the typical (90th percentile) density. */
static int print_span(const float *density, int n, int win, int *lo, int *hi)
{
	float *sm = malloc(sizeof(float) * (size_t)n), *nz = malloc(sizeof(float) * (size_t)n);
	if (sm == NULL || nz == NULL) {
		free(sm);
		free(nz);
		return RECAM_ENOMEM;
	}
	int k = 0;
	for (int i = 0; i < n; i++) {
		float s = 0;
		for (int j = i - win / 2; j < i - win / 2 + win; j++)
			if (j >= 0 && j < n)
				s += density[j];
		sm[i] = s / (float)win;
		if (sm[i] > 0)
			nz[k++] = sm[i];
	}
	*lo = 0;
	*hi = n;
	if (k > 0) {
		double *d = malloc(sizeof(double) * (size_t)k);
		if (d == NULL) {
			free(sm);
			free(nz);
			return RECAM_ENOMEM;
		}
		for (int i = 0; i < k; i++)
			d[i] = nz[i];
		qsort(d, (size_t)k, sizeof(double), cmp_double);
		float cut = (float)d[(k - 1) * 9 / 10] * PRINT_LEVEL;
		free(d);
		int a = 0, b = n;
		while (a < n && sm[a] <= cut)
			a++;
		while (b > a && sm[b - 1] <= cut)
			b--;
		if (b > a) {
			*lo = a;
			*hi = b;
		}
	}
	free(sm);
	free(nz);
	return 0;
}

int recam_phash_page_grey(const uint8_t *grey, int w, int h, size_t stride, recam_phash *out)
{
	memset(out, 0, sizeof(*out));
	if (!size_ok(w, h, stride))
		return RECAM_EINVAL;
	float *f = malloc((size_t)w * (size_t)h * sizeof(float));
	float *rows = calloc((size_t)h, sizeof(float)), *cols = calloc((size_t)w, sizeof(float));
	int rc = f && rows && cols ? flatten(grey, w, h, stride, f) : RECAM_ENOMEM;
	if (rc != 0)
		goto out;
	int ex = (int)(w * EDGE_X), ey = (int)(h * EDGE_Y);
	for (int y = ey; y < h - ey; y++)
		for (int x = ex; x < w - ex; x++)
			if (f[(size_t)y * (size_t)w + (size_t)x] < INK_LEVEL) {
				rows[y] += 1.0f / (float)w;
				cols[x] += 1.0f / (float)h;
			}
	for (int y = 0; y < h; y++)
		if (rows[y] > SOLID)
			rows[y] = 0;
	for (int x = 0; x < w; x++)
		if (cols[x] > SOLID)
			cols[x] = 0;
	int win = w / 28 < 3 ? 3 : w / 28; /* about one text line at the working width */
	int x0, x1, y0, y1;
	if ((rc = print_span(cols, w, win, &x0, &x1)) != 0 || (rc = print_span(rows, h, win, &y0, &y1)) != 0)
		goto out;
	double s[64 * 32];
	sample(f, w, x0, y0, x1 - x0, y1 - y0, 32, 64, s);
	dct_bits(s, 32, 64, 8, out);
out:
	free(f);
	free(rows);
	free(cols);
	return rc;
}

/* An 8 bpp Pix box-filtered down so that its width (page) or longest side
 * (photo) is at most WORK_PX, as bytes. The box filter everywhere (not
 * Leptonica's, which samples above a 0.7 scale) makes one picture at two
 * sizes hash alike. */
static int pix_small(struct Pix *pix, bool by_width, uint8_t **buf, int *w, int *h)
{
	*buf = NULL;
	if (pix == NULL || pixGetDepth(pix) != 8)
		return RECAM_EINVAL;
	int pw = pixGetWidth(pix), ph = pixGetHeight(pix);
	int ref = by_width || pw > ph ? pw : ph;
	double f = ref > WORK_PX ? (double)WORK_PX / ref : 1.0;
	if (ph * f > MAX_SIDE)
		f = (double)MAX_SIDE / ph;
	*w = (int)(pw * f + 0.5);
	*h = (int)(ph * f + 0.5);
	if (*w < 16 || *h < 16)
		return RECAM_EINVAL;
	uint32_t *acc = calloc((size_t)*w * (size_t)*h, sizeof(uint32_t));
	uint32_t *cnt = calloc((size_t)*w * (size_t)*h, sizeof(uint32_t));
	*buf = malloc((size_t)*w * (size_t)*h);
	if (acc == NULL || cnt == NULL || *buf == NULL) {
		free(acc);
		free(cnt);
		free(*buf);
		*buf = NULL;
		return RECAM_ENOMEM;
	}
	l_uint32 *data = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int y = 0; y < ph; y++) {
		/* 8 bpp pixels live in 32-bit words: read them through the accessor */
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		size_t ty = (size_t)((long)y * *h / ph);
		for (int x = 0; x < pw; x++) {
			size_t i = ty * (size_t)*w + (size_t)((long)x * *w / pw);
			acc[i] += GET_DATA_BYTE(line, x);
			cnt[i]++;
		}
	}
	for (size_t i = 0; i < (size_t)*w * (size_t)*h; i++)
		(*buf)[i] = (uint8_t)(cnt[i] ? acc[i] / cnt[i] : 255);
	free(acc);
	free(cnt);
	return 0;
}

int recam_phash_photo(struct Pix *grey, recam_phash *out)
{
	memset(out, 0, sizeof(*out));
	uint8_t *buf;
	int w, h;
	int rc = pix_small(grey, false, &buf, &w, &h);
	if (rc == 0)
		rc = recam_phash_photo_grey(buf, w, h, (size_t)w, out);
	free(buf);
	return rc;
}

int recam_phash_page(struct Pix *page, recam_phash *out)
{
	memset(out, 0, sizeof(*out));
	uint8_t *buf;
	int w, h;
	int rc = pix_small(page, true, &buf, &w, &h);
	if (rc == 0)
		rc = recam_phash_page_grey(buf, w, h, (size_t)w, out);
	free(buf);
	return rc;
}

int recam_phash_distance(const recam_phash *a, const recam_phash *b)
{
	int d = 0;
	for (size_t i = 0; i < RECAM_PHASH_BITS / 64; i++)
		d += __builtin_popcountll(a->w[i] ^ b->w[i]);
	return d;
}

void recam_phash_hex(const recam_phash *h, char out[RECAM_PHASH_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < RECAM_PHASH_HEX; i++)
		out[i] = digits[(h->w[i / 16] >> (60 - 4 * (i % 16))) & 0xf];
	out[RECAM_PHASH_HEX] = '\0';
}

int recam_phash_parse(const char *hex, recam_phash *out)
{
	memset(out, 0, sizeof(*out));
	if (hex == NULL || strnlen(hex, RECAM_PHASH_HEX + 1) != RECAM_PHASH_HEX)
		return RECAM_EINVAL;
	for (int i = 0; i < RECAM_PHASH_HEX; i++) {
		char c = hex[i];
		int v = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (v < 0) {
			memset(out, 0, sizeof(*out));
			return RECAM_EINVAL;
		}
		out->w[i / 16] |= (uint64_t)v << (60 - 4 * (i % 16));
	}
	return 0;
}
