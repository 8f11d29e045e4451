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
	double work; /* text recognized so far, in line heights */
};

double recam_ocr_work(const recam_ocr *e) { return e->work; }

/* Recognition costs about as much as the text is long (1.7 ms per line
 * height of text on this machine, docs/reader.md "Eighth session"). */
static void count_work(recam_ocr *e, int w, int h)
{
	if (w > 0 && h > 0)
		e->work += (double)w / h;
}

/* Tesseract 5.3 keeps every word image it recognizes as a PNG in memory
 * (ImageData::SetPixInternal: pixWriteMem(IFF_PNG), then pixReadMem), and
 * compressing and inflating those pictures took 7% of a worker's CPU
 * (perf). Leptonica calls its PNG writer through the PLT, so this
 * definition takes its place: the same PNG, stored without compression
 * (zlib level 0), which reads back to the same pixels. Measured: the same
 * readings, 5-6% less CPU (docs/reader.md "Eleventh session"). No other
 * code in the reader writes PNG. */
l_ok pixWriteMemPng(l_uint8 **pfiledata, size_t *pfilesize, PIX *pix, l_float32 gamma)
{
	static l_ok (*real)(l_uint8 **, size_t *, PIX *, l_float32);
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "pixWriteMemPng");
	if (real == NULL)
		return 1;
	if (pix)
		pixSetZlibCompression(pix, 0);
	return real(pfiledata, pfilesize, pix, gamma);
}

/* A slashed zero (many receipt fonts print one) is read as 9 at 0.9 and
 * more, with 0 as the recognizer's own next choice; a 9 printed as 9
 * seldom has 0 among its choices (docs/reader.md "Eleventh session").
 * Percent, as Tesseract gives choice confidences. */
#define SLASHED_ZERO_ALT 20.0f

/* The text of the word at it, a 9 whose alternatives hold 0 at
 * SLASHED_ZERO_ALT or more written as 0. NULL when there is none; free with
 * TessDeleteText. */
static char *word_text(TessResultIterator *it)
{
	char *w = TessResultIteratorGetUTF8Text(it, RIL_WORD);
	if (w == NULL || strchr(w, '9') == NULL)
		return w;
	TessResultIterator *c = TessResultIteratorCopy(it);
	if (c == NULL)
		return w;
	TessPageIterator *pc = TessResultIteratorGetPageIterator(c);
	size_t pos = 0, len = strlen(w);
	do {
		char *g = TessResultIteratorGetUTF8Text(c, RIL_SYMBOL);
		if (g == NULL)
			break;
		size_t gl = strlen(g);
		bool same = pos + gl <= len && memcmp(w + pos, g, gl) == 0;
		if (same && gl == 1 && g[0] == '9') {
			TessChoiceIterator *ci = TessResultIteratorGetChoiceIterator(c);
			float zero = 0;
			if (ci) {
				do {
					const char *t = TessChoiceIteratorGetUTF8Text(ci);
					if (t && strcmp(t, "0") == 0)
						zero = TessChoiceIteratorConfidence(ci);
				} while (zero == 0 && TessChoiceIteratorNext(ci));
				TessChoiceIteratorDelete(ci);
			}
			if (zero >= SLASHED_ZERO_ALT)
				w[pos] = '0';
		}
		TessDeleteText(g);
		if (!same)
			break; /* the symbols do not spell the word: leave the rest */
		pos += gl;
		if (TessPageIteratorIsAtFinalElement(pc, RIL_WORD, RIL_SYMBOL))
			break;
	} while (TessResultIteratorNext(c, RIL_SYMBOL));
	TessResultIteratorDelete(c);
	return w;
}

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
	/* no second, inverted reading of every doubtful line: receipts print no
	 * white-on-black text where their fields are (measured on 200 moderate
	 * photos: 10% less CPU, fields and items unchanged within ±1 receipt;
	 * docs/reader.md) */
	TessBaseAPISetVariable(e->api, "tessedit_do_invert", "0");
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

/* A word of marks only ("|", "[", ")"): how the edge of the paper or
 * the table reads, whatever the confidence. */
static bool marks_only(const char *w)
{
	size_t n = trim_len(w);
	for (size_t i = 0; i < n; i++)
		if (w[i] == '\0' || !strchr("|[](){}!/\\-_.,:;'\"`~", w[i]))
			return false;
	return n > 0;
}

/* The reduced-rate marks printed before a name (`軽 ポテトスティック`). */
static bool reduced_mark(const char *w)
{
	static const char *const marks[] = {"軽", "※", "*", "★", NULL};
	size_t n = trim_len(w);
	for (const char *const *m = marks; *m; m++)
		if (strlen(*m) == n && memcmp(w, *m, n) == 0)
			return true;
	return false;
}

static bool short_word(const char *w)
{
	size_t glyphs = 0;
	for (const unsigned char *u = (const unsigned char *)w; *u; u++)
		glyphs += (*u & 0xC0) != 0x80 && *u != ' ' && *u != '\n';
	return glyphs >= 1 && glyphs <= 2;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* recam_ocr_drop_edge_words: see ocr.h. */
#define EDGE_WORD_CONF 0.5f
void recam_ocr_drop_edge_words(recam_ocr_line *lines, const recam_ocr_lead *edges, size_t n, double *conf_sum,
			       int *conf_n)
{
	int xs[RECAM_RECEIPT_MAX_LINES];
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (lines[i].h > 0 && edges[i].sure_x1 > lines[i].h / 2)
			xs[m++] = edges[i].sure_x1;
	if (m < 3)
		return;
	qsort(xs, m, sizeof xs[0], cmp_int);
	int margin = xs[2];
	for (size_t i = 0; i < n; i++) {
		const recam_ocr_lead *d = &edges[i];
		recam_ocr_line *l = &lines[i];
		int k = 0; /* words to drop */
		for (int j = 0; j < RECAM_OCR_LEAD_WORDS - 1 && j + 1 < d->words; j++) {
			bool at_edge = d->w[j].x1 >= 0 && d->w[j].x1 <= l->h / 2;
			if (!d->w[j].short_w || (!at_edge && !d->w[j].marks && (d->w[j].conf >= EDGE_WORD_CONF || d->w[j].mark)) ||
			    d->w[j].x2 >= margin - l->h / 4)
				break;
			int next = d->w[j + 1].x1;
			if (next >= margin - l->h / 2 && next - d->w[j].x2 >= l->h) {
				k = j + 1;
				break;
			}
		}
		if (k == 0 || strlen(l->text) <= d->w[k - 1].end)
			continue;
		size_t cut = d->w[k - 1].end;
		while (l->text[cut] == ' ')
			cut++;
		memmove(l->text, l->text + cut, strlen(l->text + cut) + 1);
		float dropped = 0, rest_min = d->tail_min;
		for (int j = 0; j < RECAM_OCR_LEAD_WORDS && j < d->words; j++) {
			if (j < k)
				dropped += d->w[j].conf;
			else if (d->w[j].conf < rest_min)
				rest_min = d->w[j].conf;
		}
		l->conf = (l->conf * (float)d->words - dropped) / (float)(d->words - k);
		l->min_conf = rest_min;
		l->w -= d->w[k].x1 - l->x;
		l->x = d->w[k].x1;
		*conf_sum -= dropped;
		*conf_n -= k;
	}
}

int recam_ocr_run(recam_ocr *e, struct Pix *pix, int timeout_ms, recam_ocr_line **lines_out, size_t *n_out,
		  float *mean_conf, bool *cut_short)
{
	*lines_out = NULL;
	*n_out = 0;
	*mean_conf = 0;
	if (cut_short)
		*cut_short = false;
	TessBaseAPISetImage2(e->api, pix);
	TessBaseAPISetSourceResolution(e->api, 300);
	ETEXT_DESC *mon = TessMonitorCreate();
	if (mon == NULL)
		return RECAM_ENOMEM;
	TessMonitorSetDeadlineMSecs(mon, timeout_ms > 0 ? timeout_ms : 30000);
	int r = TessBaseAPIRecognize(e->api, mon);
	TessMonitorDelete(mon);
	if (r != 0 && cut_short == NULL) {
		TessBaseAPIClear(e->api);
		return RECAM_ETIMEOUT;
	}
	/* Past the deadline Tesseract keeps the words it recognized and gives
	 * the others an empty reading: those are skipped below. */
	if (r != 0)
		*cut_short = true;
	size_t cap = 64, n = 0;
	recam_ocr_line *lines = calloc(cap, sizeof(*lines));
	recam_ocr_lead *edges = calloc(RECAM_RECEIPT_MAX_LINES, sizeof(*edges));
	recam_buf text;
	recam_buf_init(&text, RECAM_RECEIPT_MAX_LINE_BYTES);
	double conf_sum = 0;
	int conf_n = 0;
	int rc = 0;
	if (lines == NULL || edges == NULL) {
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
	recam_ocr_lead ed = {0};
	do {
		if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE) || !open) {
			if (open && n < cap) {
				lines[n].text = recam_buf_take(&text, NULL);
				if (lines[n].text == NULL)
					lines[n].text = strdup("");
				lines[n].conf = wn ? wsum / (float)wn : 0;
				lines[n].min_conf = wn ? wmin : 0;
				ed.words = wn;
				edges[n++] = ed;
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
		if (w && r != 0 && trim_len(w) == 0) {
			TessDeleteText(w); /* not reached before the deadline */
			w = NULL;
		}
		if (w) {
			float c = TessResultIteratorConfidence(it, RIL_WORD) / 100.0f;
			int bx1, by1, bx2, by2;
			if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &bx1, &by1, &bx2, &by2))
				bx1 = bx2 = -1;
			if (wn == 0)
				ed = (recam_ocr_lead){.tail_min = 1, .sure_x1 = -1};
			bool marks = marks_only(w);
			if (ed.sure_x1 < 0 && c >= EDGE_WORD_CONF && !marks)
				ed.sure_x1 = bx1;
			if (text.len > 0)
				recam_buf_append(&text, " ", 1);
			recam_buf_append(&text, w, trim_len(w));
			if (wn < RECAM_OCR_LEAD_WORDS)
				ed.w[wn] = (recam_ocr_lead_word){.x1 = bx1, .x2 = bx2, .end = text.len, .conf = c, .short_w = short_word(w), .marks = marks, .mark = reduced_mark(w)};
			else if (c < ed.tail_min)
				ed.tail_min = c;
			TessDeleteText(w);
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
		ed.words = wn;
		edges[n++] = ed;
	}
	TessResultIteratorDelete(it);
	if (r != 0) { /* cut short: the lines not reached have no words */
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (edges[i].words == 0) {
				free(lines[i].text);
				continue;
			}
			lines[k] = lines[i];
			edges[k++] = edges[i];
		}
		n = k;
	}
	recam_ocr_drop_edge_words(lines, edges, n, &conf_sum, &conf_n);
out:
	free(edges);
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
	for (size_t i = 0; i < n; i++)
		count_work(e, lines[i].w, lines[i].h);
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
	TessBaseAPISetVariable(e->alt, "tessedit_do_invert", "0");
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
 * image was stretched across by); when zeros is given, the text again with
 * word_text's slashed zeros (for an engine asked for alternatives). The
 * engine is left in PSM 6 (the page mode) and cleared, whatever happens. */
static int read_line(TessBaseAPI *api, PIX *pix, int timeout_ms, char **out_text, float *conf, float *min_conf,
		     float fx, sym_list *syms, char **zeros)
{
	*out_text = NULL;
	if (zeros)
		*zeros = NULL;
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
	recam_buf text, ztext;
	recam_buf_init(&text, RECAM_RECEIPT_MAX_LINE_BYTES);
	recam_buf_init(&ztext, RECAM_RECEIPT_MAX_LINE_BYTES);
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
				char *z = zeros ? word_text(it) : NULL;
				if (z) {
					if (ztext.len > 0)
						recam_buf_append(&ztext, " ", 1);
					recam_buf_append(&ztext, z, trim_len(z));
					TessDeleteText(z);
				}
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
	if (zeros && rc == 0 && (*zeros = recam_buf_take(&ztext, NULL)) == NULL && (*zeros = strdup("")) == NULL)
		rc = RECAM_ENOMEM;
	*conf = wn ? wsum / (float)wn : 0;
	*min_conf = wn ? wmin : 0;
out:
	recam_buf_free(&text);
	recam_buf_free(&ztext);
	TessBaseAPIClear(api);
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_BLOCK);
	return rc;
}

/* How much a line is stretched across to read half-width kana: 1.4, 1.6,
 * 1.8 and 2.0 gave 12%, 12%, 15% and 15% of the items of the 19 moderate
 * dev photos printed in half-width kana (docs/reader.md). */
#define HW_STRETCH 1.8f
/* The narrow-glyph share (narrow_share) from which the stretched reading's
 * katakana are taken (docs/reader.md). */
#define HW_NARROW_SHARE 0.6f

static float line_score(float conf, float min_conf) { return 0.5f * conf + 0.5f * min_conf; }

/* Half-width katakana (ﾍﾞｰｺﾝ ﾊｰﾌ): the line crop read again stretched
 * across by HW_STRETCH, its voicing marks checked in the picture, and the
 * kana of that reading merged into the plain one (recam_hw_merge). The
 * merged text replaces the line's when the stretched reading held a word of
 * kana; *hw is RECAM_HW_MERGED then. band_top: the first row of the line's
 * glyphs in crop. A line with too few glyphs of a name to tell narrow from
 * wide ones is read stretched only when hw_seen (another line of the page
 * was merged); without it *hw is RECAM_HW_DEFERRED. */
static int reread_halfwidth(recam_ocr *e, PIX *crop, recam_ocr_line *line, int band_top, const sym_list *plain,
			    bool hw_seen, int timeout_ms, recam_hw_outcome *hw)
{
	*hw = RECAM_HW_NONE;
	PIX *bin = NULL;
	int cw = pixGetWidth(crop), ch = pixGetHeight(crop);
	if (cw < 16 || ch < 16 || pixGetDepth(crop) != 8 ||
	    pixOtsuAdaptiveThreshold(crop, cw, ch, 0, 0, 0.0f, NULL, &bin) != 0 || bin == NULL)
		return 0;
	recam_hw_cols g;
	/* not when the plain reading sits on wide glyphs: full-width text
	 * (this saves the stretched reading on most doubtful lines); not yet
	 * when they cannot be judged and no line of the page was merged */
	bool made = recam_hw_cols_make(bin, band_top, line->h, &g) == 0;
	recam_hw_gate_result gate =
		made ? recam_hw_gate(recam_hw_narrow_share(&g, plain->s, plain->n, RECAM_HW_NAME), hw_seen) : RECAM_HW_SKIP;
	if (gate != RECAM_HW_READ) {
		if (gate == RECAM_HW_WAIT)
			*hw = RECAM_HW_DEFERRED;
		recam_hw_cols_free(&g);
		pixDestroy(&bin);
		return 0;
	}
	PIX *st = pixScaleGeneral(crop, HW_STRETCH, 1.0f, 0.0f, 0);
	sym_list sl = {0};
	char *t = NULL, *m = NULL;
	float c = 0, mc = 0;
	if (st)
		count_work(e, pixGetWidth(st), pixGetHeight(st));
	int rc = st ? read_line(e->api, st, timeout_ms, &t, &c, &mc, HW_STRETCH, &sl, NULL) : RECAM_ENOMEM;
	pixDestroy(&st);
	free(t);
	for (size_t q = 0; rc == 0 && q < sl.n; q++) {
		if (!recam_hw_mark_ambiguous(sl.s, sl.n, q))
			continue;
		int semi = recam_hw_mark_kind(bin, crop, sl.s[q - 1].x0, sl.s[q].x0, sl.s[q].x1, band_top, line->h);
		if (semi >= 0)
			recam_hw_set_mark(&sl.s[q], semi);
	}
	/* the stretched reading's kana must sit on narrow glyphs: kana read
	 * into stretched kanji or digits do not */
	float kshare = rc == 0 ? recam_hw_narrow_share(&g, sl.s, sl.n, RECAM_HW_KANA) : -1;
	recam_hw_cols_free(&g);
	pixDestroy(&bin);
	int got = 0;
	if (rc == 0 && kshare >= HW_NARROW_SHARE)
		got = recam_hw_merge(plain->s, plain->n, sl.s, sl.n, line->h, &m, &c, &mc);
	free(sl.s);
	if (rc != 0 || got < 0)
		return rc != 0 ? rc : got;
	if (got >= 2) {
		free(line->text);
		line->text = m;
		line->conf = c;
		line->min_conf = mc;
		*hw = RECAM_HW_MERGED;
		return 0;
	}
	free(m);
	return 0;
}

/* The line's box with a margin (half a line height across, a quarter up
 * and down), cut from pix; *top (when not NULL) is where the crop starts. NULL with *rc 0
 * when the box is empty, with RECAM_ENOMEM when memory ran out. */
static PIX *line_crop(PIX *pix, const recam_ocr_line *line, int *top, int *rc)
{
	*rc = 0;
	if (line->w <= 0 || line->h <= 0)
		return NULL;
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
		return NULL;
	BOX *box = boxCreate(x, y, w, h);
	PIX *crop = box ? pixClipRectangle(pix, box, NULL) : NULL;
	boxDestroy(&box);
	if (crop == NULL)
		*rc = RECAM_ENOMEM;
	if (top)
		*top = y;
	return crop;
}

/* A reading t (conf c, lowest word mc) replaces the line's when it scores
 * more than 0.03 above *best; the line then owns t. */
static bool take_if_better(recam_ocr_line *line, char *t, float c, float mc, float *best)
{
	if (t == NULL || !t[0] || line_score(c, mc) <= *best + 0.03f)
		return false;
	*best = line_score(c, mc);
	free(line->text);
	line->text = t;
	line->conf = c;
	line->min_conf = mc;
	return true;
}

bool recam_ocr_text_band(struct Pix *crop, int *top, int *height)
{
	int w = pixGetWidth(crop), h = pixGetHeight(crop);
	if (pixGetDepth(crop) != 8 || h < 12 || h > 400)
		return false;
	l_uint32 *data = pixGetData(crop);
	int wpl = pixGetWpl(crop);
	int best_top = 0, best_h = 0, other_h = 0, run = 0, bands = 0;
	for (int y = 0; y <= h; y++) {
		int ink = 0;
		for (int x = 0; y < h && x < w; x++)
			ink += GET_DATA_BYTE(data + y * wpl, x) < 128;
		if (y < h && ink > w / 200) {
			run++;
			continue;
		}
		if (run > 0) {
			bands++;
			if (run > best_h) {
				other_h = other_h > best_h ? other_h : best_h;
				best_h = run;
				best_top = y - run;
			} else if (run > other_h) {
				other_h = run;
			}
		}
		run = 0;
	}
	if (bands < 2 || best_h < 8 || other_h * 3 > best_h)
		return false;
	*top = best_top;
	*height = best_h;
	return true;
}

/* A weak line whose box took in a rule or dots above or below its text
 * ("2025-04-26 15:18" under a dashed rule read as "0"): its text band read
 * alone, kept when it scores better by more than 0.03. */
static int reread_band(recam_ocr *e, PIX *crop, int crop_y, recam_ocr_line *line, float *best, int timeout_ms)
{
	int top, bh;
	if (!recam_ocr_text_band(crop, &top, &bh))
		return 0;
	int m = bh / 4;
	int y0 = top - m > 0 ? top - m : 0, y1 = top + bh + m < pixGetHeight(crop) ? top + bh + m : pixGetHeight(crop);
	BOX *box = boxCreate(0, y0, pixGetWidth(crop), y1 - y0);
	PIX *band = box ? pixClipRectangle(crop, box, NULL) : NULL;
	boxDestroy(&box);
	if (band == NULL)
		return RECAM_ENOMEM;
	char *t = NULL;
	float c = 0, mc = 0;
	count_work(e, pixGetWidth(band), pixGetHeight(band));
	int rc = read_line(e->api, band, timeout_ms, &t, &c, &mc, 1.0f, NULL, NULL);
	if (rc == 0 && take_if_better(line, t, c, mc, best)) {
		line->y = crop_y + top;
		line->h = bh;
	} else {
		free(t);
	}
	pixDestroy(&band);
	return rc;
}

int recam_ocr_reread(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, float enough, bool hw_seen, int timeout_ms,
		     recam_hw_outcome *hw)
{
	*hw = RECAM_HW_NONE;
	int y = 0, rc;
	PIX *crop = line_crop(pix, line, &y, &rc);
	if (crop == NULL)
		return rc;
	float best = line_score(line->conf, line->min_conf);
	sym_list plain = {0};
	for (int k = 0; k < 2 && rc == 0 && best < enough && *hw != RECAM_HW_MERGED; k++) {
		TessBaseAPI *api = k == 0 ? e->api : e->alt;
		if (api == NULL)
			continue;
		char *t = NULL;
		float c = 0, mc = 0;
		count_work(e, pixGetWidth(crop), pixGetHeight(crop));
		rc = read_line(api, crop, timeout_ms, &t, &c, &mc, 1.0f, k == 0 ? &plain : NULL, NULL);
		if (rc != 0 || !take_if_better(line, t, c, mc, &best))
			free(t);
		/* still doubtful after the main model: half-width kana? (then the
		 * second model, which reads them no better, is not asked) */
		if (k == 0 && rc == 0 && best < enough && plain.n > 0)
			rc = reread_halfwidth(e, crop, line, line->y - y, &plain, hw_seen, timeout_ms, hw);
		if (k == 0 && rc == 0 && best < enough && *hw != RECAM_HW_MERGED)
			rc = reread_band(e, crop, y, line, &best, timeout_ms);
	}
	free(plain.s);
	pixDestroy(&crop);
	return rc;
}

int recam_ocr_reread_halfwidth(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, int timeout_ms, bool *merged)
{
	*merged = false;
	int y = 0, rc;
	PIX *crop = line_crop(pix, line, &y, &rc);
	if (crop == NULL)
		return rc;
	sym_list plain = {0};
	char *t = NULL;
	float c = 0, mc = 0;
	count_work(e, pixGetWidth(crop), pixGetHeight(crop));
	rc = read_line(e->api, crop, timeout_ms, &t, &c, &mc, 1.0f, &plain, NULL);
	free(t);
	recam_hw_outcome hw = RECAM_HW_NONE;
	if (rc == 0 && plain.n > 0)
		rc = reread_halfwidth(e, crop, line, line->y - y, &plain, true, timeout_ms, &hw);
	*merged = hw == RECAM_HW_MERGED;
	free(plain.s);
	pixDestroy(&crop);
	return rc;
}

/* Glyphs of a UTF-8 text, spaces aside. */
static int glyphs(const char *t)
{
	int g = 0;
	for (; t && *t; t++)
		g += *t != ' ' && ((unsigned char)*t & 0xC0) != 0x80;
	return g;
}

/* img read at each of the factors across (1: as it is); a reading of
 * min_glyphs glyphs or more replaces line's text when it scores more than
 * 0.03 above *best (take_if_better). */
static int read_squeezed(recam_ocr *e, PIX *img, const float *fx, size_t nf, int min_glyphs, int timeout_ms,
			 recam_ocr_line *line, float *best)
{
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < nf; k++) {
		PIX *sq = fx[k] == 1.0f ? pixClone(img) : pixScaleGeneral(img, fx[k], 1.0f, 0.0f, 0);
		if (sq == NULL)
			return RECAM_ENOMEM;
		char *t = NULL;
		float c = 0, mc = 0;
		count_work(e, pixGetWidth(sq), pixGetHeight(sq));
		rc = read_line(e->api, sq, timeout_ms, &t, &c, &mc, fx[k], NULL, NULL);
		pixDestroy(&sq);
		if (rc != 0 || glyphs(t) < min_glyphs || !take_if_better(line, t, c, mc, best))
			free(t);
	}
	return rc;
}

/* How much a double-width line is squeezed across: a half (its glyphs
 * then square) and three quarters (1.5 wide); 0.5, 0.75 and the line as
 * read gave 18, 70 and 77 store names of 200 dev photos, the surest of the
 * three 94 (docs/reader.md). */
static const float WIDE_SQUEEZE[] = {0.5f, 0.75f};

int recam_ocr_reread_wide(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, int timeout_ms)
{
	int rc;
	PIX *crop = line_crop(pix, line, NULL, &rc);
	if (crop == NULL)
		return rc;
	float best = line_score(line->conf, line->min_conf);
	rc = read_squeezed(e, crop, WIDE_SQUEEZE, sizeof(WIDE_SQUEEZE) / sizeof(WIDE_SQUEEZE[0]), 0, timeout_ms, line, &best);
	pixDestroy(&crop);
	return rc;
}

int recam_ocr_median_height(const recam_ocr_line *lines, size_t n)
{
	int *hs = malloc((n ? n : 1) * sizeof(*hs));
	if (hs == NULL)
		return -1;
	size_t nh = 0;
	for (size_t i = 0; i < n; i++)
		if (lines[i].h > 0)
			hs[nh++] = lines[i].h;
	int mh = 0;
	if (nh > 0) {
		qsort(hs, nh, sizeof(*hs), cmp_int);
		mh = hs[nh / 2];
	}
	free(hs);
	return mh;
}

bool recam_ocr_dark_band(struct Pix *pix, int y0, int y1, int min_h, int *x, int *y, int *w, int *h)
{
	int W = pixGetWidth(pix), H = pixGetHeight(pix);
	if (pixGetDepth(pix) != 8 || W < 16 || min_h < 2)
		return false;
	y0 = y0 < 0 ? 0 : y0;
	y1 = y1 > H ? H : y1;
	l_uint32 *data = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	int run = 0;
	for (int r = y0; r <= y1; r++) {
		int dark = 0;
		for (int c = 0; r < y1 && c < W; c++)
			dark += GET_DATA_BYTE(data + r * wpl, c) < 150;
		if (r < y1 && dark * 4 >= W) {
			run++;
			continue;
		}
		if (run >= min_h && r - run > y0 && r < y1) { /* paper above and below: not the table's edge */
			/* the band's extent: the longest dark run of any of its rows
			 * (its margin rows above or below the glyphs), specks of
			 * three pixels bridged */
			int top = r - run, left = -1, right = -1;
			for (int q = top; q < r; q++) {
				int st = -1, last = -1;
				for (int c = 0; c <= W; c++) {
					if (c < W && GET_DATA_BYTE(data + q * wpl, c) < 150) {
						st = st < 0 ? c : st;
						last = c;
					} else if (st >= 0 && (c - last > 3 || c == W)) {
						if (last - st > right - left) {
							left = st;
							right = last;
						}
						st = -1;
					}
				}
			}
			/* a reversed band has solid rows above and below its glyphs;
			 * a line of bold glyphs has none */
			int solid = 0;
			for (int q = top; left >= 0 && q < r; q++) {
				int d = 0;
				for (int c = left; c <= right; c++)
					d += GET_DATA_BYTE(data + q * wpl, c) < 150;
				solid += d * 20 >= (right - left + 1) * 19;
			}
			if (left >= 0 && right - left + 1 >= W / 3 && solid >= 2) {
				*x = left;
				*y = top;
				*w = right - left + 1;
				*h = run;
				return true;
			}
		}
		run = 0;
	}
	return false;
}

int recam_ocr_read_reversed(recam_ocr *e, struct Pix *pix, int x, int y, int w, int h, int timeout_ms,
			    recam_ocr_line *line)
{
	line->text = NULL;
	int in = h / 8 + 1; /* the band's blurred edges, dark once inverted */
	if (w <= 4 * in || h <= 4 * in)
		return 0;
	BOX *box = boxCreate(x + in, y + in, w - 2 * in, h - 2 * in);
	PIX *crop = box ? pixClipRectangle(pix, box, NULL) : NULL;
	boxDestroy(&box);
	PIX *inv = crop ? pixInvert(NULL, crop) : NULL;
	pixDestroy(&crop);
	/* white text on grey: its range stretched before the recognizer
	 * binarizes it */
	l_uint32 lo = 0, hi = 255;
	if (inv) {
		pixGetRankValue(inv, 1, 0.02f, &lo);
		pixGetRankValue(inv, 1, 0.98f, &hi);
	}
	PIX *st = inv && hi > lo + 16 ? pixGammaTRC(NULL, inv, 1.0f, (l_int32)lo, (l_int32)hi) : inv ? pixClone(inv) : NULL;
	pixDestroy(&inv);
	PIX *pad = st ? pixAddBorder(st, h / 2, 255) : NULL;
	pixDestroy(&st);
	if (pad == NULL)
		return RECAM_ENOMEM;
	float best = 0.5f - 0.03f; /* take_if_better wants 0.03 more */
	static const float squeeze[] = {1.0f, 0.75f, 0.5f};
	int rc = read_squeezed(e, pad, squeeze, sizeof(squeeze) / sizeof(squeeze[0]), 2, timeout_ms, line, &best);
	pixDestroy(&pad);
	if (rc != 0) {
		free(line->text);
		line->text = NULL;
		return rc;
	}
	line->x = x;
	line->y = y;
	line->w = w;
	line->h = h;
	return 0;
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* Where text ends without the marks or the one or two letters a reading
 * may add or lose at the line's end ("TEL03(7256)0995 |", "1067_",
 * "T4670358325637 EE"). */
static const char *marks_end(const char *s)
{
	const char *e = s + strlen(s);
	while (e > s && strchr(" |_.'\"", e[-1]) != NULL)
		e--;
	const char *w = e;
	while (w > s && ((w[-1] >= 'A' && w[-1] <= 'Z') || (w[-1] >= 'a' && w[-1] <= 'z')))
		w--;
	if (e - w >= 1 && e - w <= 2 && w > s && w[-1] == ' ')
		for (e = w; e > s && e[-1] == ' ';)
			e--;
	return e;
}

/* Walks text and fixed (the line read once more, some 9s made 0 where the
 * recognizer's alternatives say so) glyph by glyph, spaces aside: the same
 * but for 9 → 0, T of 登録番号 read as 1 in text, and one letter more in
 * fixed ("2Z027"). With write, text takes fixed's 0s and T. Returns the
 * number of 9s made 0, -1 when the two are not the same line. */
static int zeros_in(char *text, const char *fixed, bool write)
{
	const char *te = marks_end(text), *fe = marks_end(fixed);
	char *t = text + (skip_spaces(text) - text);
	const char *f = skip_spaces(fixed);
	int zeros = 0, extra = 0;
	while (t < te && f < fe) {
		bool tee = *t == '1' && *f == 'T';
		if (*t == '9' && *f == '0')
			zeros++;
		else if (*t != *f && !tee) {
			bool letter = (*f >= 'A' && *f <= 'Z') || (*f >= 'a' && *f <= 'z');
			if (!letter || ++extra > 1)
				return -1;
			f = skip_spaces(f + 1);
			continue;
		}
		if (write)
			*t = *f;
		t += 1 + (skip_spaces(t + 1) - (t + 1));
		f = skip_spaces(f + 1);
	}
	return t < te || f < fe ? -1 : zeros;
}

int recam_ocr_put_zeros(char *text, const char *fixed)
{
	int zeros = zeros_in(text, fixed, false);
	if (zeros <= 0)
		return 0;
	zeros_in(text, fixed, true);
	return zeros;
}

int recam_ocr_zero_check(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, int timeout_ms, int *zeros)
{
	int rc;
	*zeros = 0;
	PIX *crop = line_crop(pix, line, NULL, &rc);
	if (crop == NULL)
		return rc;
	count_work(e, pixGetWidth(crop), pixGetHeight(crop));
	char *t = NULL, *z = NULL;
	float c = 0, mc = 0;
	/* the glyphs' alternatives cost a third more CPU: only for this line */
	TessBaseAPISetVariable(e->api, "lstm_choice_mode", "2");
	rc = read_line(e->api, crop, timeout_ms, &t, &c, &mc, 1.0f, NULL, &z);
	TessBaseAPISetVariable(e->api, "lstm_choice_mode", "0");
	pixDestroy(&crop);
	if (rc == 0)
		*zeros = recam_ocr_put_zeros(line->text, z);
	free(t);
	free(z);
	return rc;
}
