/* Fuzz target: OCR text → receipt parser. Any bytes must give a valid JSON
 * object (or ENOMEM), never a crash, leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "receipt/match.h"
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
	return 0;
}
