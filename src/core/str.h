/* str.h — pointer+length slices and bounded, typed number parsers
 * (instead of atoi/strtol without checks). */
#ifndef RECAM_STR_H
#define RECAM_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct recam_str {
	const char *p;
	size_t n;
} recam_str;

#define RECAM_STR_LIT(lit) ((recam_str){(lit), sizeof(lit) - 1})

recam_str recam_str_c(const char *s);
bool recam_str_eq(recam_str a, recam_str b);
bool recam_str_eqc(recam_str a, const char *c);
bool recam_str_has_prefix(recam_str s, const char *prefix);
recam_str recam_str_trim(recam_str s);

/* Whole-string decimal parse into [min, max]. RECAM_EINVAL when not a number
 * (empty, sign only, trailing bytes), RECAM_ERANGE when outside the bounds. */
int recam_parse_i64(recam_str s, int64_t min, int64_t max, int64_t *out);
/* A size with an optional unit: 512, 16k, 16KiB, 20M, 1G (powers of 1024). */
int recam_parse_size(recam_str s, uint64_t min, uint64_t max, uint64_t *out);
/* A duration with an optional unit: 30 (seconds), 30s, 15m, 12h, 7d. */
int recam_parse_seconds(recam_str s, int64_t min, int64_t max, int64_t *out);
int recam_parse_bool(recam_str s, bool *out);

/* Valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)
 * without control characters; newlines and tabs only when multiline.
 * Returns the number of code points, or -1. */
long recam_utf8_text(const char *s, size_t n, bool multiline);
/* The same with flags: RECAM_UTF8_NEWLINES allows \n \t \r, RECAM_UTF8_CONTROLS
 * allows every control character (only the encoding is checked). */
#define RECAM_UTF8_NEWLINES 1u
#define RECAM_UTF8_CONTROLS 2u
long recam_utf8_check(const char *s, size_t n, unsigned flags);

/* One strictly valid UTF-8 sequence at s (n > 0 bytes available, no
 * overlong forms, surrogates or values past U+10FFFF): its length with its
 * code point in *cp, or 0 when invalid. */
size_t recam_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* Bounded copy that always terminates; returns RECAM_ETOOBIG when cut. */
int recam_strlcpy(char *dst, const char *src, size_t dstsize);

/* Lower-case base32 of 16 random bytes (26 characters): ids in URLs. */
#define RECAM_ID_LEN 26
void recam_random_id(char out[RECAM_ID_LEN + 1]);
/* Shaped like such an id (RECAM_ID_LEN lower-case letters and digits):
 * a cheap check of ids from URLs and forms before they reach a query. */
bool recam_id_valid(const char *s);

#endif
