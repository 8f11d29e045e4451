/* json.c — bounded JSON parsing. */
#include "json.h"

#include <stdio.h>

#include "error.h"

int recam_json_depth(const char *data, size_t len, int max_depth)
{
	/* A scan that skips strings is enough: jansson validates the rest. */
	int depth = 0, deepest = 0;
	int in_string = 0;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"')
			in_string = 1;
		else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return -1;
			if (depth > deepest)
				deepest = depth;
		} else if ((c == ']' || c == '}') && depth > 0)
			depth--;
	}
	return deepest;
}

int recam_json_parse(const char *data, size_t len, int max_depth, json_t **out, char *why, size_t whylen)
{
	*out = NULL;
	if (recam_json_depth(data, len, max_depth) < 0) {
		snprintf(why, whylen, "nesting deeper than %d", max_depth);
		return RECAM_EDEPTH;
	}
	json_error_t e;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		snprintf(why, whylen, "line %d column %d: %s", e.line, e.column, e.text);
		return RECAM_EJSON;
	}
	*out = j;
	return 0;
}
