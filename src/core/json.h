/* json.h — JSON in (jansson) with recam's limits: nesting depth checked
 * before parsing, duplicate keys and invalid UTF-8 refused. */
#ifndef RECAM_JSON_H
#define RECAM_JSON_H

#include <jansson.h>
#include <stddef.h>

/* On error returns RECAM_EJSON or RECAM_EDEPTH and writes a short English
 * description (with line and column) into why. */
int recam_json_parse(const char *data, size_t len, int max_depth, json_t **out, char *why, size_t whylen);
/* Depth of the deepest nesting of arrays and objects, or -1 past max_depth. */
int recam_json_depth(const char *data, size_t len, int max_depth);

#endif
