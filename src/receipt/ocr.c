/* ocr.c — Tesseract through its C API: engine set-up, recognition with a
 * deadline, and text lines with boxes and confidences. Pixels are handed over
 * from memory, never a path (Tesseract links libcurl: DESIGN pitfall 10). */
#include "receipt/ocr.h"

#include <dlfcn.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "receipt/halfwidth.h"

struct recam_ocr {
	TessBaseAPI *api;
	TessBaseAPI *alt; /* second model for re-reading doubtful lines, or NULL */
};

int recam_ocr_new(const char *langs, recam_ocr **out)
{
	/* Debian's libtesseract uses OpenMP: 4.8× slower on 2 cores without this.
	 * It must be set before the OpenMP runtime starts, i.e. before Init. */
	setenv("OMP_THREAD_LIMIT", "1", 0);
	/* libgomp reads its environment when it is loaded, before main: in a
	 * process started without OMP_THREAD_LIMIT the variable comes too late,
	 * so also ask the runtime directly (before its first parallel region). */
	void (*omp_threads)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
	if (omp_threads)
		omp_threads(1);
	recam_ocr *e = calloc(1, sizeof(*e));
	if (e == NULL)
		return RECAM_ENOMEM;
	e->api = TessBaseAPICreate();
	if (e->api == NULL) {
		free(e);
		return RECAM_ENOMEM;
	}
	if (TessBaseAPIInit2(e->api, NULL, langs, OEM_LSTM_ONLY) != 0) {
		recam_error("tesseract init failed for languages %s", langs);
		TessBaseAPIDelete(e->api);
		free(e);
		return RECAM_EINTERNAL;
	}
	TessBaseAPISetPageSegMode(e->api, PSM_SINGLE_BLOCK);
	/* receipts have no dictionary words worth preferring over what is printed */
	TessBaseAPISetVariable(e->api, "debug_file", "/dev/null");
	TessBaseAPISetVariable(e->api, "preserve_interword_spaces", "1");
	*out = e;
	return 0;
}

void recam_ocr_free(recam_ocr *e)
{
	if (e == NULL)
		return;
	TessBaseAPIEnd(e->api);
	TessBaseAPIDelete(e->api);
	if (e->alt) {
		TessBaseAPIEnd(e->alt);
		TessBaseAPIDelete(e->alt);
	}
	free(e);
}

void recam_ocr_lines_free(recam_ocr_line *lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i].text);
	free(lines);
}

/* Drops the trailing newline Tesseract puts after every word/line. */
static size_t trim_len(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return n;
}

int recam_ocr_run(recam_ocr *e, struct Pix *pix, int timeout_ms, recam_ocr_line **lines_out, size_t *n_out,
		  float *mean_conf)
{
	*lines_out = NULL;
	*n_out = 0;
	*mean_conf = 0;
	TessBaseAPISetImage2(e->api, pix);
	TessBaseAPISetSourceResolution(e->api, 300);
	ETEXT_DESC *mon = TessMonitorCreate();
	if (mon == NULL)
		return RECAM_ENOMEM;
	TessMonitorSetDeadlineMSecs(mon, timeout_ms > 0 ? timeout_ms : 30000);
	int r = TessBaseAPIRecognize(e->api, mon);
	TessMonitorDelete(mon);
	if (r != 0) {
		TessBaseAPIClear(e->api);
		return RECAM_ETIMEOUT;
	}
	size_t cap = 64, n = 0;
	recam_ocr_line *lines = calloc(cap, sizeof(*lines));
	recam_buf text;
	recam_buf_init(&text, RECAM_RECEIPT_MAX_LINE_BYTES);
	double conf_sum = 0;
	int conf_n = 0;
	int rc = 0;
	if (lines == NULL) {
		rc = RECAM_ENOMEM;
		goto out;
	}
	TessResultIterator *it = TessBaseAPIGetIterator(e->api);
	if (it == NULL)
		goto out; /* a blank page: no lines */
	TessPageIterator *pi = TessResultIteratorGetPageIterator(it);
	float wsum = 0, wmin = 1;
	int wn = 0;
	bool open = false;
	do {
		if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE) || !open) {
			if (open && n < cap) {
				lines[n].text = recam_buf_take(&text, NULL);
				if (lines[n].text == NULL)
					lines[n].text = strdup("");
				lines[n].conf = wn ? wsum / (float)wn : 0;
				lines[n].min_conf = wn ? wmin : 0;
				n++;
			}
			if (n == cap) {
				if (cap >= RECAM_RECEIPT_MAX_LINES)
					break;
				recam_ocr_line *g = realloc(lines, 2 * cap * sizeof(*lines));
				if (g == NULL) {
					rc = RECAM_ENOMEM;
					break;
				}
				lines = g;
				cap *= 2;
			}
			int x1, y1, x2, y2;
			memset(&lines[n], 0, sizeof(lines[n]));
			if (TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &x1, &y1, &x2, &y2)) {
				lines[n].x = x1;
				lines[n].y = y1;
				lines[n].w = x2 - x1;
				lines[n].h = y2 - y1;
			} else {
				lines[n].x = lines[n].y = lines[n].w = lines[n].h = -1;
			}
			recam_buf_reset(&text);
			wsum = 0;
			wmin = 1;
			wn = 0;
			open = true;
		}
		char *w = TessResultIteratorGetUTF8Text(it, RIL_WORD);
		if (w) {
			if (text.len > 0)
				recam_buf_append(&text, " ", 1);
			recam_buf_append(&text, w, trim_len(w));
			TessDeleteText(w);
			float c = TessResultIteratorConfidence(it, RIL_WORD) / 100.0f;
			wsum += c;
			wmin = c < wmin ? c : wmin;
			wn++;
			conf_sum += c;
			conf_n++;
		}
	} while (TessResultIteratorNext(it, RIL_WORD));
	if (open && n < cap && rc == 0) {
		lines[n].text = recam_buf_take(&text, NULL);
		if (lines[n].text == NULL)
			lines[n].text = strdup("");
		lines[n].conf = wn ? wsum / (float)wn : 0;
		lines[n].min_conf = wn ? wmin : 0;
		n++;
	}
	TessResultIteratorDelete(it);
out:
	recam_buf_free(&text);
	TessBaseAPIClear(e->api);
	if (rc != 0) {
		recam_ocr_lines_free(lines, n);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		if (lines[i].text == NULL) {
			recam_ocr_lines_free(lines, n);
			return RECAM_ENOMEM;
		}
	*lines_out = lines;
	*n_out = n;
	*mean_conf = conf_n ? (float)(conf_sum / conf_n) : 0;
	return 0;
}

int recam_ocr_set_alt(recam_ocr *e, const char *langs)
{
	e->alt = TessBaseAPICreate();
	if (e->alt == NULL)
		return RECAM_ENOMEM;
	if (TessBaseAPIInit2(e->alt, NULL, langs, OEM_LSTM_ONLY) != 0) {
		recam_error("tesseract init failed for languages %s", langs);
		TessBaseAPIDelete(e->alt);
		e->alt = NULL;
		return RECAM_EINTERNAL;
	}
	TessBaseAPISetVariable(e->alt, "debug_file", "/dev/null");
	TessBaseAPISetVariable(e->alt, "preserve_interword_spaces", "1");
	return 0;
}

/* Glyphs of a line reading, for recam_hw_merge. */
typedef struct {
	recam_hw_sym *s;
	size_t n, cap;
} sym_list;

static void sym_add(sym_list *l, TessResultIterator *it, float fx, float conf, int word)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		if (cap > RECAM_RECEIPT_MAX_LINE_BYTES)
			return;
		recam_hw_sym *g = realloc(l->s, cap * sizeof(*g));
		if (g == NULL)
			return;
		l->s = g;
		l->cap = cap;
	}
	int x1, y1, x2, y2;
	TessPageIterator *pi = TessResultIteratorGetPageIterator(it);
	if (!TessPageIteratorBoundingBox(pi, RIL_SYMBOL, &x1, &y1, &x2, &y2))
		return;
	char *t = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
	if (t == NULL)
		return;
	recam_hw_sym *s = &l->s[l->n++];
	memset(s, 0, sizeof(*s));
	size_t len = trim_len(t);
	if (len >= sizeof(s->t))
		len = sizeof(s->t) - 1;
	memcpy(s->t, t, len);
	TessDeleteText(t);
	s->x0 = (int)((float)x1 / fx);
	s->x1 = (int)((float)x2 / fx);
	s->conf = conf;
	s->word = word;
}

/* One line image through api with PSM 7: text and confidences, and when
 * syms is given its glyphs with their boxes divided by fx (the factor the
 * image was stretched across by). The engine is left in PSM 6 (the page
 * mode) and cleared, whatever happens. */
static int read_line(TessBaseAPI *api, PIX *pix, int timeout_ms, char **out_text, float *conf, float *min_conf,
		     float fx, sym_list *syms)
{
	*out_text = NULL;
	ETEXT_DESC *mon = TessMonitorCreate();
	if (mon == NULL)
		return RECAM_ENOMEM;
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	TessBaseAPISetImage2(api, pix);
	TessBaseAPISetSourceResolution(api, 300);
	TessMonitorSetDeadlineMSecs(mon, timeout_ms > 0 ? timeout_ms : 1000);
	int r = TessBaseAPIRecognize(api, mon);
	TessMonitorDelete(mon);
	int rc = 0;
	recam_buf text;
	recam_buf_init(&text, RECAM_RECEIPT_MAX_LINE_BYTES);
	float wsum = 0, wmin = 1;
	int wn = 0;
	if (r != 0) {
		rc = RECAM_ETIMEOUT;
		goto out;
	}
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	if (it) {
		TessPageIterator *pi = TessResultIteratorGetPageIterator(it);
		float c = 0;
		do {
			if (TessPageIteratorIsAtBeginningOf(pi, RIL_WORD)) {
				char *w = TessResultIteratorGetUTF8Text(it, RIL_WORD);
				if (w == NULL)
					continue;
				if (text.len > 0)
					recam_buf_append(&text, " ", 1);
				recam_buf_append(&text, w, trim_len(w));
				TessDeleteText(w);
				c = TessResultIteratorConfidence(it, RIL_WORD) / 100.0f;
				wsum += c;
				wmin = c < wmin ? c : wmin;
				wn++;
			}
			if (syms)
				sym_add(syms, it, fx, c, wn);
		} while (TessResultIteratorNext(it, syms ? RIL_SYMBOL : RIL_WORD));
		TessResultIteratorDelete(it);
	}
	*out_text = recam_buf_take(&text, NULL);
	if (*out_text == NULL)
		*out_text = strdup("");
	if (*out_text == NULL)
		rc = RECAM_ENOMEM;
	*conf = wn ? wsum / (float)wn : 0;
	*min_conf = wn ? wmin : 0;
out:
	recam_buf_free(&text);
	TessBaseAPIClear(api);
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_BLOCK);
	return rc;
}

/* Which voicing mark the picture shows around columns [x0, x1) of the
 * binarized line bin (ink = 1), whose glyphs span rows [top, top + gh):
 * the run of columns nearest to it with ink in the upper half and none in
 * the lower (a mark has a half-width cell of its own), then a ring (a
 * hole) is ﾟ, two strokes are ﾞ. -1 when the picture does not say. */
static int mark_in_picture(PIX *bin, PIX *grey, int base_x0, int x0, int x1, int top, int gh)
{
	int W = pixGetWidth(bin), H = pixGetHeight(bin);
	int up0 = top, up1 = top + gh * 9 / 20, lo0 = top + gh / 2, lo1 = top + gh;
	up0 = up0 < 0 ? 0 : up0;
	up1 = up1 > H ? H : up1;
	lo0 = lo0 > H ? H : lo0;
	lo1 = lo1 > H ? H : lo1;
	int cell = gh / 2 > 2 ? gh / 2 : 2;
	/* glyph boxes of the LSTM are off by up to half a glyph: from the
	 * start of the kana before the mark */
	int xs = base_x0 < x0 - cell / 2 ? base_x0 : x0 - cell / 2, xe = x1 + cell / 2;
	xs = xs < 0 ? 0 : xs;
	xe = xe > W ? W : xe;
	if (up1 - up0 < 4 || xe - xs < 2 || xe - xs > 4 * gh)
		return -1;
	l_uint32 *data = pixGetData(bin);
	int wpl = pixGetWpl(bin);
	int best0 = -1, best1 = -1, bestd = 1 << 30, run0 = -1;
	for (int x = xs; x <= xe; x++) {
		bool mark_col = false;
		if (x < xe) {
			bool up = false, lo = false;
			for (int y = up0; y < up1 && !up; y++)
				up = GET_DATA_BIT(data + y * wpl, x);
			for (int y = lo0; y < lo1 && !lo; y++)
				lo = GET_DATA_BIT(data + y * wpl, x);
			mark_col = up && !lo;
		}
		if (mark_col && run0 < 0)
			run0 = x;
		if (!mark_col && run0 >= 0) {
			int d = abs((run0 + x) - (x0 + x1));
			if (x - run0 >= 2 && x - run0 <= cell && d < bestd) {
				bestd = d;
				best0 = run0;
				best1 = x;
			}
			run0 = -1;
		}
	}
	if (best0 < 0)
		return -1;
	/* The mark's grey pixels. Blur fills the ring of ﾟ and joins the two
	 * strokes of ﾞ at glyph heights of 28 px, so no threshold tells them
	 * apart; the grey levels still do: a ring has a lighter pixel with
	 * darker ones on all four sides, a dakuten a lighter gap with darker
	 * strokes left and right only. */
	BOX *box = boxCreate(best0 - 1, up0, best1 - best0 + 2, up1 - up0);
	PIX *g = box ? pixClipRectangle(grey, box, NULL) : NULL;
	boxDestroy(&box);
	int kind = -1;
	int gw = g ? (int)pixGetWidth(g) : 0, gh2 = g ? (int)pixGetHeight(g) : 0;
	if (g && gw >= 3 && gh2 >= 3 && gw <= 64 && gh2 <= 64) {
		int v[64][64];
		int lo = 255, hi = 0;
		for (int yy = 0; yy < gh2; yy++)
			for (int xx = 0; xx < gw; xx++) {
				l_uint32 pv = 255;
				pixGetPixel(g, xx, yy, &pv);
				v[yy][xx] = (int)pv;
				lo = v[yy][xx] < lo ? v[yy][xx] : lo;
				hi = v[yy][xx] > hi ? v[yy][xx] : hi;
			}
		int d = (hi - lo) / 5 > 10 ? (hi - lo) / 5 : 10;
		bool ring = false, gap = false;
		for (int yy = 1; yy < gh2 - 1 && hi - lo >= 30; yy++)
			for (int xx = 1; xx < gw - 1; xx++) {
				int c = v[yy][xx], l = 255, r = 255, u = 255, w = 255;
				for (int k = 0; k < xx; k++)
					l = v[yy][k] < l ? v[yy][k] : l;
				for (int k = xx + 1; k < gw; k++)
					r = v[yy][k] < r ? v[yy][k] : r;
				for (int k = 0; k < yy; k++)
					u = v[k][xx] < u ? v[k][xx] : u;
				for (int k = yy + 1; k < gh2; k++)
					w = v[k][xx] < w ? v[k][xx] : w;
				bool lr = l <= c - d && r <= c - d && l < lo + (hi - lo) / 2 && r < lo + (hi - lo) / 2;
				if (lr && u <= c - d && w <= c - d)
					ring = true;
				else if (lr)
					gap = true;
			}
		kind = ring ? 1 : gap ? 0 : -1;
	}
	pixDestroy(&g);
	return kind;
}

/* How much a line is stretched across to read half-width kana: 1.4, 1.6,
 * 1.8 and 2.0 gave 12%, 12%, 15% and 15% of the items of the 19 moderate
 * dev photos printed in half-width kana (docs/reader.md). */
#define HW_STRETCH 1.8f

static float line_score(float conf, float min_conf) { return 0.5f * conf + 0.5f * min_conf; }

/* Glyph widths of a binarized line: glyphs are runs of inked columns
 * within rows [top, top + gh); width[x] is the width of the glyph column x
 * belongs to (0: no ink); glyph_h the upper quartile of their heights. */
typedef struct {
	int *width;
	int w;
	int glyph_h;
} glyph_cols;

static int glyph_cols_make(PIX *bin, int top, int gh, glyph_cols *g)
{
	memset(g, 0, sizeof(*g));
	int W = pixGetWidth(bin), H = pixGetHeight(bin);
	int y0 = top < 0 ? 0 : top, y1 = top + gh > H ? H : top + gh;
	if (W < 4 || W > 1 << 15 || y1 - y0 < 4)
		return -1;
	l_uint32 *data = pixGetData(bin);
	int wpl = pixGetWpl(bin);
	int *heights = calloc((size_t)W, sizeof(int));
	g->width = calloc((size_t)W, sizeof(int));
	if (g->width == NULL || heights == NULL) {
		free(heights);
		free(g->width);
		g->width = NULL;
		return -1;
	}
	g->w = W;
	int ng = 0;
	for (int x = 0; x < W;) {
		int ytop = y1, ybot = y0, x2 = x;
		for (; x2 < W; x2++) {
			bool col = false;
			for (int y = y0; y < y1; y++)
				if (GET_DATA_BIT(data + y * wpl, x2)) {
					col = true;
					ytop = y < ytop ? y : ytop;
					ybot = y > ybot ? y : ybot;
				}
			if (!col)
				break;
		}
		if (x2 > x) {
			for (int k = x; k < x2; k++)
				g->width[k] = x2 - x;
			heights[ng++] = ybot - ytop + 1;
		}
		x = x2 + 1;
	}
	for (int i = 1; i < ng; i++)
		for (int j = i; j > 0 && heights[j - 1] > heights[j]; j--) {
			int t = heights[j];
			heights[j] = heights[j - 1];
			heights[j - 1] = t;
		}
	g->glyph_h = ng >= 3 ? heights[ng * 3 / 4] : 0;
	free(heights);
	return g->glyph_h > 0 ? 0 : -1;
}

/* The share of the glyphs of a reading (those `pick` accepts) that sit on
 * a narrow glyph of the picture: at most 0.62 glyph heights wide. A
 * half-width cell is half a glyph height wide, a full-width kana or kanji
 * about one. -1 when fewer than three glyphs could be judged. */
static float narrow_share(const glyph_cols *g, const sym_list *sl, bool (*pick)(const sym_list *, size_t))
{
	int judged = 0, narrow = 0;
	for (size_t i = 0; g->width && i < sl->n; i++) {
		if (!pick(sl, i))
			continue;
		int cx = sl->s[i].x0 / 2 + sl->s[i].x1 / 2;
		if (cx < 0 || cx >= g->w || g->width[cx] == 0)
			continue;
		judged++;
		narrow += g->width[cx] * 100 <= g->glyph_h * 62;
	}
	return judged >= 3 ? (float)narrow / (float)judged : -1;
}

/* katakana of the stretched reading */
static bool pick_kana(const sym_list *sl, size_t i) { return recam_hw_is_katakana(sl->s[i].t); }

/* glyphs of the plain reading but digits and the last word (the amount) */
static bool pick_name(const sym_list *sl, size_t i)
{
	char c = sl->s[i].t[0];
	return !(c >= '0' && c <= '9') && sl->s[i].word != sl->s[sl->n - 1].word;
}

/* Half-width katakana (ﾍﾞｰｺﾝ ﾊｰﾌ): the line crop read again stretched
 * across by HW_STRETCH, its voicing marks checked in the picture, and the
 * kana of that reading merged into the plain one (recam_hw_merge). The
 * merged text replaces the line's when the stretched reading held a word of
 * kana; *merged then. band_top: the first row of the line's glyphs in crop. */
static int reread_halfwidth(recam_ocr *e, PIX *crop, recam_ocr_line *line, int band_top, const sym_list *plain,
			    int timeout_ms, bool *merged)
{
	*merged = false;
	PIX *bin = NULL;
	int cw = pixGetWidth(crop), ch = pixGetHeight(crop);
	if (cw < 16 || ch < 16 || pixGetDepth(crop) != 8 ||
	    pixOtsuAdaptiveThreshold(crop, cw, ch, 0, 0, 0.0f, NULL, &bin) != 0 || bin == NULL)
		return 0;
	glyph_cols g;
	/* not when the plain reading sits on wide glyphs: full-width text
	 * (this saves the stretched reading on most doubtful lines) */
	float share = -1;
	if (glyph_cols_make(bin, band_top, line->h, &g) != 0 ||
	    ((share = narrow_share(&g, plain, pick_name)) >= 0 && share < 0.5f)) {
		free(g.width);
		pixDestroy(&bin);
		return 0;
	}
	PIX *st = pixScaleGeneral(crop, HW_STRETCH, 1.0f, 0.0f, 0);
	sym_list sl = {0};
	char *t = NULL, *m = NULL;
	float c = 0, mc = 0;
	int rc = st ? read_line(e->api, st, timeout_ms, &t, &c, &mc, HW_STRETCH, &sl) : RECAM_ENOMEM;
	pixDestroy(&st);
	free(t);
	for (size_t q = 0; rc == 0 && q < sl.n; q++) {
		if (!recam_hw_mark_ambiguous(sl.s, sl.n, q))
			continue;
		int semi = mark_in_picture(bin, crop, sl.s[q - 1].x0, sl.s[q].x0, sl.s[q].x1, band_top, line->h);
		if (semi >= 0)
			recam_hw_set_mark(&sl.s[q], semi);
	}
	/* the stretched reading's kana must sit on narrow glyphs: kana read
	 * into stretched kanji or digits do not */
	float kshare = rc == 0 ? narrow_share(&g, &sl, pick_kana) : -1;
	free(g.width);
	pixDestroy(&bin);
	int got = rc == 0 && kshare >= 0.8f ? recam_hw_merge(plain->s, plain->n, sl.s, sl.n, line->h, &m, &c, &mc) : 0;
	free(sl.s);
	if (rc != 0 || got < 0)
		return rc != 0 ? rc : got;
	if (got >= 2) {
		free(line->text);
		line->text = m;
		line->conf = c;
		line->min_conf = mc;
		*merged = true;
		return 0;
	}
	free(m);
	return 0;
}

int recam_ocr_reread(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, float enough, int timeout_ms)
{
	if (line->w <= 0 || line->h <= 0)
		return 0;
	/* the line's box with a margin: half a line height across, a quarter up and down */
	int W = pixGetWidth(pix), H = pixGetHeight(pix);
	int x = line->x - line->h / 2, y = line->y - line->h / 4;
	int w = line->w + line->h, h = line->h + line->h / 2;
	if (x < 0) {
		w += x;
		x = 0;
	}
	if (y < 0) {
		h += y;
		y = 0;
	}
	if (x + w > W)
		w = W - x;
	if (y + h > H)
		h = H - y;
	if (w < 4 || h < 4)
		return 0;
	BOX *box = boxCreate(x, y, w, h);
	PIX *crop = box ? pixClipRectangle(pix, box, NULL) : NULL;
	boxDestroy(&box);
	if (crop == NULL)
		return RECAM_ENOMEM;
	float best = line_score(line->conf, line->min_conf);
	int rc = 0;
	sym_list plain = {0};
	bool merged = false;
	for (int k = 0; k < 2 && rc == 0 && best < enough && !merged; k++) {
		TessBaseAPI *api = k == 0 ? e->api : e->alt;
		if (api == NULL)
			continue;
		char *t = NULL;
		float c = 0, mc = 0;
		rc = read_line(api, crop, timeout_ms, &t, &c, &mc, 1.0f, k == 0 ? &plain : NULL);
		if (rc == 0 && t[0] && line_score(c, mc) > best + 0.03f) {
			best = line_score(c, mc);
			free(line->text);
			line->text = t;
			line->conf = c;
			line->min_conf = mc;
			t = NULL;
		}
		free(t);
		/* still doubtful after the main model: half-width kana? (then the
		 * second model, which reads them no better, is not asked) */
		if (k == 0 && rc == 0 && best < enough && plain.n > 0)
			rc = reread_halfwidth(e, crop, line, line->y - y, &plain, timeout_ms, &merged);
	}
	free(plain.s);
	pixDestroy(&crop);
	return rc;
}
