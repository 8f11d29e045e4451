/* str.c — slices, bounded parsers, random ids. */
#include "str.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "error.h"

recam_str recam_str_c(const char *s) { return (recam_str){s, s ? strlen(s) : 0}; }

bool recam_str_eq(recam_str a, recam_str b) { return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0); }

bool recam_str_eqc(recam_str a, const char *c) { return recam_str_eq(a, recam_str_c(c)); }

bool recam_str_has_prefix(recam_str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

recam_str recam_str_trim(recam_str s)
{
	while (s.n > 0 && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* Parses leading digits; *used tells how many bytes were consumed. */
static int parse_digits(recam_str s, uint64_t *out, size_t *used)
{
	uint64_t v = 0;
	size_t i = 0;
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
		unsigned d = (unsigned)(s.p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return RECAM_ERANGE;
		v = v * 10 + d;
	}
	if (i == 0)
		return RECAM_EINVAL;
	*out = v;
	*used = i;
	return 0;
}

int recam_parse_i64(recam_str s, int64_t min, int64_t max, int64_t *out)
{
	bool neg = false;
	if (s.n > 0 && (s.p[0] == '-' || s.p[0] == '+')) {
		neg = s.p[0] == '-';
		s.p++;
		s.n--;
	}
	uint64_t v;
	size_t used;
	int rc = parse_digits(s, &v, &used);
	if (rc != 0)
		return rc;
	if (used != s.n)
		return RECAM_EINVAL;
	int64_t r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return RECAM_ERANGE;
		r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return RECAM_ERANGE;
		r = (int64_t)v;
	}
	if (r < min || r > max)
		return RECAM_ERANGE;
	*out = r;
	return 0;
}

struct unit {
	const char *name;
	uint64_t mul;
};

static int parse_with_units(recam_str s, const struct unit *units, uint64_t *out)
{
	uint64_t v;
	size_t used;
	s = recam_str_trim(s);
	int rc = parse_digits(s, &v, &used);
	if (rc != 0)
		return rc;
	recam_str rest = recam_str_trim((recam_str){s.p + used, s.n - used});
	uint64_t mul = 1;
	if (rest.n > 0) {
		const struct unit *u = units;
		for (; u->name; u++)
			if (strlen(u->name) == rest.n && strncasecmp(u->name, rest.p, rest.n) == 0)
				break;
		if (u->name == NULL)
			return RECAM_EINVAL;
		mul = u->mul;
	}
	if (v > UINT64_MAX / mul)
		return RECAM_ERANGE;
	*out = v * mul;
	return 0;
}

int recam_parse_size(recam_str s, uint64_t min, uint64_t max, uint64_t *out)
{
	static const struct unit units[] = {
		{"b", 1},	     {"k", 1024},	  {"kb", 1024},		{"kib", 1024},
		{"m", 1024 * 1024}, {"mb", 1024 * 1024}, {"mib", 1024 * 1024}, {"g", 1024 * 1024 * 1024},
		{"gb", 1024 * 1024 * 1024}, {"gib", 1024 * 1024 * 1024}, {NULL, 0},
	};
	uint64_t v;
	int rc = parse_with_units(s, units, &v);
	if (rc != 0)
		return rc;
	if (v < min || v > max)
		return RECAM_ERANGE;
	*out = v;
	return 0;
}

int recam_parse_seconds(recam_str s, int64_t min, int64_t max, int64_t *out)
{
	static const struct unit units[] = {
		{"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}, {NULL, 0},
	};
	uint64_t v;
	int rc = parse_with_units(s, units, &v);
	if (rc != 0)
		return rc;
	if (v > (uint64_t)INT64_MAX || (int64_t)v < min || (int64_t)v > max)
		return RECAM_ERANGE;
	*out = (int64_t)v;
	return 0;
}

int recam_parse_bool(recam_str s, bool *out)
{
	static const char *yes[] = {"1", "true", "yes", "on"};
	static const char *no[] = {"0", "false", "no", "off"};
	s = recam_str_trim(s);
	for (size_t i = 0; i < 4; i++) {
		if (s.n == strlen(yes[i]) && strncasecmp(s.p, yes[i], s.n) == 0) {
			*out = true;
			return 0;
		}
		if (s.n == strlen(no[i]) && strncasecmp(s.p, no[i], s.n) == 0) {
			*out = false;
			return 0;
		}
	}
	return RECAM_EINVAL;
}

int recam_strlcpy(char *dst, const char *src, size_t dstsize)
{
	size_t n = strlen(src);
	if (dstsize == 0)
		return RECAM_ETOOBIG;
	if (n >= dstsize) {
		memcpy(dst, src, dstsize - 1);
		dst[dstsize - 1] = '\0';
		return RECAM_ETOOBIG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

bool recam_id_valid(const char *s)
{
	if (s == NULL || strlen(s) != RECAM_ID_LEN)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z')))
			return false;
	return true;
}

void recam_random_id(char out[RECAM_ID_LEN + 1])
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	/* 128 bits in 5-bit groups: 26 symbols, the last holding 3 bits. */
	unsigned acc = 0, bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < sizeof(raw); i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

long recam_utf8_text(const char *s, size_t n, bool multiline)
{
	return recam_utf8_check(s, n, multiline ? RECAM_UTF8_NEWLINES : 0);
}

size_t recam_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

long recam_utf8_check(const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	long chars = 0;
	while (p < end) {
		unsigned c = *p;
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (len == 0 || (size_t)(end - p) < len)
			return -1;
		if (len == 1 && (c < 0x20 || c == 0x7f) && !(flags & RECAM_UTF8_CONTROLS) &&
		    !((flags & RECAM_UTF8_NEWLINES) && (c == '\n' || c == '\t' || c == '\r')))
			return -1;
		uint32_t cp = len == 1 ? c : c & (0xffu >> (len + 1));
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		/* C1 controls are control characters too (U+0085 is a line break,
		 * U+009B starts terminal escapes). */
		if (cp >= 0x80 && cp <= 0x9f && !(flags & RECAM_UTF8_CONTROLS))
			return -1;
		p += len;
		chars++;
	}
	return chars;
}
