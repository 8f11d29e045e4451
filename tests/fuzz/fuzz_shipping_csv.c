/* fuzz_shipping_csv.c — libFuzzer target for the tracking-number file
 * parser (staff upload it; its bytes come from anywhere Excel or a shipping
 * company's system wrote them). Checks the promises the upload handler
 * relies on: a malformed file names a reason and a line and yields no
 * record; a good one yields records whose cells are valid UTF-8 inside the
 * parser's own text, within the limits, with lines in increasing order;
 * parsing is deterministic. Any broken promise aborts. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/shipping_csv.h"
#include "core/error.h"
#include "core/str.h"

#define MUST(cond)                                                                                                 \
	do {                                                                                                       \
		if (!(cond))                                                                                       \
			abort();                                                                                   \
	} while (0)

static void check_cell(const recam_shipcsv *c, const char *s)
{
	MUST(s != NULL);
	size_t n = strlen(s);
	/* Empty cells may be the parser's own "" literal; others live in its text. */
	if (n > 0)
		MUST(s >= c->text && s + n <= c->text + c->text_len);
	MUST(n <= RECAM_SHIPCSV_MAX_FIELD);
	MUST(recam_utf8_check(s, n, RECAM_UTF8_CONTROLS) >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	recam_shipcsv a, b;
	int rc = recam_shipcsv_parse((const char *)data, size, &a);
	int rc2 = recam_shipcsv_parse((const char *)data, size, &b);
	MUST(rc == rc2);
	if (rc == RECAM_EINVAL) {
		MUST(a.n == 0 && a.recs == NULL);
		MUST(a.err_code != NULL && a.err_line >= 1 && strcmp(a.err_code, b.err_code) == 0 &&
		     a.err_line == b.err_line);
	} else if (rc == 0) {
		MUST(a.encoding != NULL && a.n == b.n && a.n <= RECAM_SHIPCSV_MAX_RECORDS);
		size_t prev = 0;
		for (size_t i = 0; i < a.n; i++) {
			const recam_shipcsv_rec *r = &a.recs[i];
			MUST(r->line > prev);
			prev = r->line;
			const char *cells[] = {r->win_id, r->entry_id, r->carrier, r->tracking, r->shipped_on};
			const char *other[] = {b.recs[i].win_id, b.recs[i].entry_id, b.recs[i].carrier, b.recs[i].tracking,
					       b.recs[i].shipped_on};
			for (int k = 0; k < 5; k++) {
				check_cell(&a, cells[k]);
				MUST(strcmp(cells[k], other[k]) == 0);
			}
		}
	} else {
		MUST(rc == RECAM_ETOOBIG || rc == RECAM_ENOMEM);
	}
	recam_shipcsv_free(&a);
	recam_shipcsv_free(&b);
	return 0;
}
