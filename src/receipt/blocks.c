/* blocks.c — the totals block and the header read again as blocks of their
 * own.
 *
 * Why: on a photo whose lines are not quite straight (a keystone the
 * perspective step did not take out, a residual turn of a degree), page
 * segmentation over the whole receipt pairs the labels of the totals block
 * with the amounts of the line above or below ("お買上計 0", "お預かり 6,555",
 * "釣銭 10,000"), and the large bold total line is lost with its neighbours.
 * The same part of the page recognized on its own comes out line by line
 * (measured in docs/reader.md). Only pages whose total the arithmetic does
 * not confirm pay for the second recognition. The header (top to the date
 * line) is read again the same way when the phone, date or time was not
 * found. */
#include "receipt/blocks.h"

#include <leptonica/allheaders.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "receipt/normalize.h"
#include "receipt/parse_int.h"

/* The first line of the totals block: its labels, matched without spaces. */
static const char *const kw_block[] = {"小計", "合計", "会計", "現計", "買上計", "総計", "対象", "お預", "預り",
				       "預かり", "釣", "TOTAL", NULL};

static bool starts_block(const char *text)
{
	char *norm = NULL;
	if (text == NULL || recam_norm_text(text, strnlen(text, RECAM_RECEIPT_MAX_LINE_BYTES), &norm) != 0)
		return false;
	size_t k = 0;
	for (size_t i = 0; norm[i]; i++)
		if (norm[i] != ' ')
			norm[k++] = norm[i];
	norm[k] = '\0';
	bool hit = false;
	for (const char *const *w = kw_block; *w && !hit; w++)
		hit = strstr(norm, *w) != NULL;
	free(norm);
	return hit;
}

/* The row nearest y, at most reach rows up (dir -1) or down (dir +1), with
 * the least ink: a block starts and ends between two lines, so no line is
 * cut in half at its edge. */
static int blank_row(struct Pix *pix, int y, int reach, int dir)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	if (dir < 0 && y >= h)
		y = h - 1;
	if (dir > 0 && y < 0)
		y = 0;
	int best = y + dir * (reach / 2);
	best = dir < 0 ? (best > 0 ? best : 0) : (best < h ? best : h);
	int best_ink = w + 1;
	if (pixGetDepth(pix) != 8 || pixGetColormap(pix) != NULL)
		return best;
	l_uint32 *data = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int r = y, k = 0; r >= 0 && r < h && k <= reach; r += dir, k++) {
		l_uint32 *line = data + (size_t)r * (size_t)wpl;
		int ink = 0;
		for (int x = 0; x < w; x++)
			if (GET_DATA_BYTE(line, x) < 128)
				ink++;
		if (ink < best_ink) {
			best_ink = ink;
			best = r;
		}
		if (ink == 0)
			break;
	}
	return best;
}

/* The total's confidence in a parse, -1 when there is no total. */
static double total_conf(json_t *o)
{
	json_t *t = json_object_get(o, "total");
	if (!json_is_object(t))
		return -1;
	return json_number_value(json_object_get(t, "confidence"));
}

/* Does the page's parse with the block read again (o2) beat the parse (o)? */
typedef bool (*judge_fn)(json_t *o, json_t *o2);

static double field_conf(json_t *o, const char *k)
{
	json_t *f = json_object_get(o, k);
	return json_is_object(f) ? json_number_value(json_object_get(f, "confidence")) : -1;
}

/* The total surer by more than a hair, and not the same total bought with
 * a subtotal lost. */
static bool totals_better(json_t *o, json_t *o2)
{
	double before = total_conf(o), after = total_conf(o2);
	bool same = json_equal(json_object_get(json_object_get(o, "total"), "value"),
			       json_object_get(json_object_get(o2, "total"), "value"));
	bool lost_sub = json_is_object(json_object_get(o, "subtotal")) && !json_is_object(json_object_get(o2, "subtotal"));
	return after >= 0 && after >= before + 0.04 && !(same && lost_sub);
}

static const char *const header_keys[] = {"phone", "registration_number", "date", "time", NULL};

/* More header fields found, none lost or changed for a less sure value, and
 * the totals no worse. */
static bool header_better(json_t *o, json_t *o2)
{
	int more = 0;
	for (const char *const *k = header_keys; *k; k++) {
		double a = field_conf(o, *k), b = field_conf(o2, *k);
		if (a >= 0 && b < 0)
			return false;
		if (a < 0 && b >= 0)
			more++;
		else if (a >= 0 && !json_equal(json_object_get(json_object_get(o, *k), "value"),
					       json_object_get(json_object_get(o2, *k), "value")) && b <= a)
			return false;
	}
	return more > 0 && total_conf(o2) >= total_conf(o) &&
	       json_equal(json_object_get(json_object_get(o, "total"), "value"),
			  json_object_get(json_object_get(o2, "total"), "value"));
}

/* Recognizes rows [y0, y1) of pix on their own and parses the page with
 * those lines in place of the ones whose centre lies there; adopts the
 * result when judge says it is better. */
static int reread_region(recam_ocr *ocr, struct Pix *pix, recam_ocr_line **lines, size_t *n, json_t **o, int y0,
			 int y1, int timeout_ms, judge_fn judge, const char *flag)
{
	recam_ocr_line *L = *lines;
	size_t nl = *n;
	int W = pixGetWidth(pix);
	BOX *box = boxCreate(0, y0, W, y1 - y0);
	PIX *strip = box ? pixClipRectangle(pix, box, NULL) : NULL;
	boxDestroy(&box);
	if (strip == NULL)
		return RECAM_ENOMEM;
	recam_ocr_line *nw = NULL;
	size_t nn = 0;
	float conf = 0;
	int rc = recam_ocr_run(ocr, strip, timeout_ms, &nw, &nn, &conf, NULL);
	pixDestroy(&strip);
	if (rc != 0) {
		recam_ocr_lines_free(nw, nn);
		return rc == RECAM_ENOMEM ? rc : 0;
	}
	recam_ocr_line *m = calloc(nl + nn + 1, sizeof(*m));
	if (m == NULL) {
		recam_ocr_lines_free(nw, nn);
		return RECAM_ENOMEM;
	}
	/* the lines above the region as they were, its new lines, the lines below */
	size_t k = 0, i;
	for (i = 0; i < nl; i++)
		if (L[i].y < 0 || L[i].y + L[i].h / 2 < y0)
			m[k++] = L[i]; /* shallow: texts still owned by L */
	for (size_t j = 0; j < nn; j++) {
		nw[j].y += y0;
		m[k++] = nw[j];
	}
	for (i = 0; i < nl; i++)
		if (L[i].y >= 0 && L[i].y + L[i].h / 2 >= y1)
			m[k++] = L[i];
	json_t *o2 = NULL;
	rc = recam_receipt_parse(m, k, &o2);
	if (rc != 0 || !judge(*o, o2)) {
		json_decref(o2);
		free(m);
		recam_ocr_lines_free(nw, nn);
		return rc;
	}
	/* adopt: m owns copies of its texts; the old and new arrays are freed */
	for (i = 0; i < k; i++) {
		m[i].text = strdup(m[i].text ? m[i].text : "");
		if (m[i].text == NULL) {
			recam_ocr_lines_free(m, i);
			json_decref(o2);
			recam_ocr_lines_free(nw, nn);
			return RECAM_ENOMEM;
		}
	}
	recam_ocr_lines_free(nw, nn);
	recam_ocr_lines_free(L, nl);
	*lines = m;
	*n = k;
	if (json_is_true(json_object_get(*o, "totals_reread")))
		json_object_set_new(o2, "totals_reread", json_true());
	json_decref(*o);
	json_object_set_new(o2, flag, json_true());
	*o = o2;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* A line that holds a date, as the parser reads one. */
static bool has_date(const char *text) { return (recam_parse_line_holds(text) & RECAM_HOLDS_DATE) != 0; }

int recam_blocks_reread(recam_ocr *ocr, struct Pix *pix, recam_ocr_line **lines, size_t *n, json_t **o,
			int timeout_ms)
{
	double t0 = now_ms();
	if (*n < 4 || timeout_ms <= 0)
		return 0;
	int H = pixGetHeight(pix);
	int mh = recam_ocr_median_height(*lines, *n);
	if (mh < 0)
		return RECAM_ENOMEM;
	if (mh == 0)
		return 0;
	int rc = 0;
	/* the totals block: from its first line to the bottom of the page */
	if (total_conf(*o) < 0.9) {
		recam_ocr_line *L = *lines;
		long first = -1;
		for (size_t i = *n / 4; i < *n && first < 0; i++)
			if (L[i].y >= 0 && starts_block(L[i].text))
				first = (long)i;
		if (first >= 0) {
			int y0 = blank_row(pix, L[first].y - mh, mh, -1);
			if (H - y0 <= H * 7 / 10 && H - y0 >= 2 * mh)
				rc = reread_region(ocr, pix, lines, n, o, y0, H, timeout_ms, totals_better, "totals_reread");
		}
	}
	if (rc != 0)
		return rc;
	/* the header: from the top to the line with the date (or a quarter of
	 * the page when the date is not in the upper third) */
	/* not for a missing 登録番号 alone: many shops print none */
	bool missing = field_conf(*o, "phone") < 0 || field_conf(*o, "date") < 0 || field_conf(*o, "time") < 0;
	int left = timeout_ms - (int)(now_ms() - t0);
	if (missing && left > 0) {
		recam_ocr_line *L = *lines;
		int y1 = H / 4;
		for (size_t i = 0; i < *n; i++)
			if (L[i].y >= 0 && L[i].y < H / 3 && has_date(L[i].text))
				y1 = L[i].y + (L[i].h < 2 * mh ? L[i].h : mh);
		y1 = blank_row(pix, y1, mh, 1);
		if (y1 >= 2 * mh && y1 <= H * 4 / 10)
			rc = reread_region(ocr, pix, lines, n, o, 0, y1, left, header_better, "header_reread");
	}
	return rc;
}
