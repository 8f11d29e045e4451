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

/* One line image through api with PSM 7: text and confidences. The engine
 * is left in PSM 6 (the page mode) and cleared, whatever happens. */
static int read_line(TessBaseAPI *api, PIX *pix, int timeout_ms, char **out_text, float *conf, float *min_conf)
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
		do {
			char *w = TessResultIteratorGetUTF8Text(it, RIL_WORD);
			if (w == NULL)
				continue;
			if (text.len > 0)
				recam_buf_append(&text, " ", 1);
			recam_buf_append(&text, w, trim_len(w));
			TessDeleteText(w);
			float c = TessResultIteratorConfidence(it, RIL_WORD) / 100.0f;
			wsum += c;
			wmin = c < wmin ? c : wmin;
			wn++;
		} while (TessResultIteratorNext(it, RIL_WORD));
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

static float line_score(float conf, float min_conf) { return 0.5f * conf + 0.5f * min_conf; }

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
	TessBaseAPI *apis[2] = {e->api, e->alt};
	for (int k = 0; k < 2 && rc == 0 && best < enough; k++) {
		if (apis[k] == NULL)
			continue;
		char *t = NULL;
		float c = 0, mc = 0;
		rc = read_line(apis[k], crop, timeout_ms, &t, &c, &mc);
		if (rc == 0 && t[0] && line_score(c, mc) > best + 0.03f) {
			best = line_score(c, mc);
			free(line->text);
			line->text = t;
			line->conf = c;
			line->min_conf = mc;
			t = NULL;
		}
		free(t);
	}
	pixDestroy(&crop);
	return rc;
}
