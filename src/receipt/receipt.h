/* receipt.h — the reader's public types and entry points that do not need a
 * worker process: OCR lines in, structured receipt JSON out.
 *
 * JSON shape (public API, see docs/reader.md): every field is
 *   {"value": ..., "confidence": 0..1}
 * or null when not found; amounts are integers in the currency's minor unit. */
#ifndef RECAM_RECEIPT_H
#define RECAM_RECEIPT_H

#include <jansson.h>
#include <stddef.h>

/* One recognised text line. Boxes are in pixels of the image the recognizer
 * saw; -1 when unknown (plain text input). */
typedef struct recam_ocr_line {
	char *text;
	int x, y, w, h;
	float conf;	/* mean word confidence 0..1; < 0 when unknown */
	float min_conf;	/* lowest word confidence 0..1; < 0 when unknown */
} recam_ocr_line;

/* Parser limits: OCR of a hostile image must not make the parser allocate
 * without bound. */
#define RECAM_RECEIPT_MAX_LINES 2000
#define RECAM_RECEIPT_MAX_LINE_BYTES 4096

/* Lines → receipt JSON object (new reference in *out). 0, RECAM_ENOMEM. */
int recam_receipt_parse(const recam_ocr_line *lines, size_t n, json_t **out);
/* Plain text (one OCR line per text line, no boxes or confidences) → JSON. */
int recam_receipt_parse_text(const char *text, size_t len, json_t **out);

/* 登録番号 check digit: digits are the 13 digits after 'T'. true when valid. */
int recam_receipt_regnum_check(const char digits[13]);

#endif
