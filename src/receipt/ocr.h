/* ocr.h — one warm Tesseract engine (C API). Initialize once per worker
 * process (0.15–0.35 s, ~50 MB), then recognize many images with it. */
#ifndef RECAM_RECEIPT_OCR_H
#define RECAM_RECEIPT_OCR_H

#include <stddef.h>

#include "receipt/receipt.h"

struct Pix;
typedef struct recam_ocr recam_ocr;

/* langs: "jpn", "jpn+eng", "Japanese" ... from the system tessdata.
 * Sets OMP_THREAD_LIMIT=1 first (DESIGN pitfall 2). RECAM_EINTERNAL when the
 * language data is missing. */
int recam_ocr_new(const char *langs, recam_ocr **out);
void recam_ocr_free(recam_ocr *e);

/* Recognizes pix with page segmentation mode 6 (one uniform block: pitfall 3).
 * timeout_ms bounds recognition (RECAM_ETIMEOUT past it). Lines are malloc'd;
 * free with recam_ocr_lines_free. *mean_conf: mean word confidence 0..1. */
int recam_ocr_run(recam_ocr *e, struct Pix *pix, int timeout_ms, recam_ocr_line **lines, size_t *n,
		  float *mean_conf);
void recam_ocr_lines_free(recam_ocr_line *lines, size_t n);

#endif
