/* fuzz_review_input.c — libFuzzer target for what staff send to the review
 * queue and the entry search: the corrections document (JSON), the keyset
 * cursor and the store filter's normalization.
 *
 * Input: one selector byte, then the bytes. Checked on every input:
 *  - corrections: recam_review_check_corrections never crashes; when it
 *    accepts, every receipt is an object with an integer position in range
 *    and only fields the reviewer may correct, and it added no message;
 *    when it refuses, it added at least one message, each a string;
 *  - cursor: recam_entry_cursor_parse accepts only "digits.id" with a
 *    26-character id of recam's alphabet, and what it accepts formats back
 *    to a cursor that parses to the same value;
 *  - store: recam_entry_store_norm gives valid UTF-8 without leading,
 *    trailing or doubled spaces, or NULL for a blank name.
 * Any disagreement aborts, so libFuzzer reports it with the input. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/entry_search.h"
#include "campaign/review.h"
#include "core/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const known[] = {"position", "store", "phone", "registration_number", "date", "time", "total",
				    "items"};

static void corrections(const char *s, size_t n)
{
	json_error_t e;
	json_t *in = json_loadb(s, n, JSON_DECODE_ANY, &e);
	if (in == NULL)
		return;
	json_t *fields = json_object();
	bool ok = recam_review_check_corrections(in, n % 2 ? RECAM_LANG_EN : RECAM_LANG_JA, fields);
	if (ok) {
		if (json_object_size(fields) != 0)
			abort();
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(in, "receipts"), i, r) {
			json_t *p = json_object_get(r, "position");
			if (!json_is_object(r) || !json_is_integer(p) || json_integer_value(p) < 0 || json_integer_value(p) > 9)
				abort();
			const char *k;
			json_t *v;
			json_object_foreach(r, k, v) {
				bool found = false;
				for (size_t j = 0; j < sizeof(known) / sizeof(known[0]); j++)
					found |= strcmp(k, known[j]) == 0;
				if (!found)
					abort();
			}
		}
	} else {
		if (json_object_size(fields) == 0)
			abort();
		const char *k;
		json_t *v;
		json_object_foreach(fields, k, v) if (!json_is_string(v)) abort();
	}
	json_decref(fields);
	json_decref(in);
}

static void cursor(const char *s)
{
	int64_t at, at2;
	char id[RECAM_ID_LEN + 1], id2[RECAM_ID_LEN + 1], again[64];
	if (recam_entry_cursor_parse(s, &at, id) != 0)
		return;
	if (at < 0 || strlen(id) != RECAM_ID_LEN)
		abort();
	for (const char *c = id; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z')))
			abort();
	recam_entry_cursor_format(at, id, again);
	if (recam_entry_cursor_parse(again, &at2, id2) != 0 || at2 != at || strcmp(id, id2) != 0)
		abort();
}

static void store(const char *s)
{
	char *out = NULL;
	if (recam_entry_store_norm(s, &out) != 0)
		return;
	if (out) {
		size_t n = strlen(out);
		if (n == 0 || out[0] == ' ' || out[n - 1] == ' ' || strstr(out, "  ") || recam_utf8_check(out, n, RECAM_UTF8_CONTROLS) < 0)
			abort();
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	char *s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0: corrections(s, size - 1); break;
	case 1: cursor(s); break;
	default: store(s); break;
	}
	free(s);
	return 0;
}
