/* Fuzz target: OCR text → receipt parser. Any bytes must give a valid JSON
 * object (or ENOMEM), never a crash, leak or undefined behaviour; the same
 * bytes as one OCR line through recam_parse_line_holds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "receipt/match.h"
#include "receipt/parse_int.h"
#include "receipt/receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *o = NULL;
	if (recam_receipt_parse_text((const char *)data, size, &o) == 0) {
		char *s = json_dumps(o, JSON_COMPACT);
		if (s == NULL)
			abort(); /* the parser must only produce valid UTF-8 strings */
		free(s);
		/* the matcher sees the same untrusted names */
		static const recam_match_target t[] = {{"ポテトチップス うすしお", NULL, 0, "4901234567894"}};
		recam_match_hit *hits = NULL;
		size_t n = 0;
		if (recam_match_items(json_object_get(json_object_get(o, "items"), "value"), t, 1, &hits, &n) == 0)
			free(hits);
		json_decref(o);
	}
	/* what one OCR line holds, as the reader asks of a re-read line */
	char line[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
	size_t n = size < RECAM_RECEIPT_MAX_LINE_BYTES ? size : RECAM_RECEIPT_MAX_LINE_BYTES;
	memcpy(line, data, n);
	line[n] = '\0';
	(void)recam_parse_line_holds(line);
	return 0;
}
