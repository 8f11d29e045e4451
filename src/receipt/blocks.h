/* blocks.h — the totals block and the header of a receipt read again on
 * their own. */
#ifndef RECAM_RECEIPT_BLOCKS_H
#define RECAM_RECEIPT_BLOCKS_H

#include <jansson.h>
#include <stddef.h>

#include "receipt/ocr.h"
#include "receipt/receipt.h"

struct Pix;

/* *o is the parse of *lines, recognized from pix. When it has no total that
 * the arithmetic confirms (none, or confidence below 0.9), recognizes the
 * part of pix from the first line of the totals block (小計, 合計, 対象 ...)
 * to the bottom as a block of its own (page segmentation mode 6) and parses
 * the page again with those lines in place of the ones they cover; likewise
 * the header (top to the date line) when the phone, date or time is
 * missing. A new reading replaces *lines, *n and *o only when it is
 * better (the total surer; more header fields, none lost) and then sets
 * "totals_reread" / "header_reread" in *o. 0 or RECAM_ENOMEM; a timeout
 * leaves everything as it was. */
int recam_blocks_reread(recam_ocr *ocr, struct Pix *pix, recam_ocr_line **lines, size_t *n, json_t **o,
			int timeout_ms);

#endif
