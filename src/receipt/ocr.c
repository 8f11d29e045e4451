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
