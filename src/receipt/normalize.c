/* normalize.c — Unicode clean-up of OCR output and product names (utf8proc).
 * Why each rule exists is noted where it is applied; all rules come from
 * what Tesseract's jpn model and Japanese receipt printers actually produce. */
#include "receipt/normalize.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/error.h"

size_t recam_norm_decode(const char *s, size_t n, int32_t *cps, size_t cap)
{
	size_t k = 0;
	size_t i = 0;
	while (i < n && k < cap) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t used = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (used <= 0) {
			cp = 0xFFFD;
			used = 1;
		}
		if (cp == 0)
			cp = ' '; /* embedded NUL would cut the C string later */
		cps[k++] = cp;
		i += (size_t)used;
	}
	return k;
}

static int encode(const int32_t *cps, size_t n, char **out)
{
	char *o = malloc(n * 4 + 1);
	if (o == NULL)
		return RECAM_ENOMEM;
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)utf8proc_encode_char(cps[i], (utf8proc_uint8_t *)o + len);
	o[len] = '\0';
	*out = o;
	return 0;
}

/* NFKC over sanitized input: returns a malloc'd code point array. */
static int nfkc(const char *s, size_t n, int32_t **cps_out, size_t *n_out)
{
	if (n > RECAM_NORM_MAX_IN)
		n = RECAM_NORM_MAX_IN;
	int32_t *cps = malloc((n + 1) * sizeof(*cps));
	if (cps == NULL)
		return RECAM_ENOMEM;
	size_t k = recam_norm_decode(s, n, cps, n + 1);
	char *clean;
	int rc = encode(cps, k, &clean);
	free(cps);
	if (rc != 0)
		return rc;
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)clean, (utf8proc_ssize_t)strlen(clean), &mapped,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	free(clean);
	if (m < 0 || mapped == NULL)
		return RECAM_ENOMEM; /* input is valid UTF-8 now: only allocation can fail */
	cps = malloc(((size_t)m + 1) * sizeof(*cps));
	if (cps == NULL) {
		free(mapped);
		return RECAM_ENOMEM;
	}
	k = recam_norm_decode((const char *)mapped, (size_t)m, cps, (size_t)m + 1);
	free(mapped);
	*cps_out = cps;
	*n_out = k;
	return 0;
}

static bool is_ascii_alnum(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(int32_t c) { return c >= '0' && c <= '9'; }

static bool is_dash(int32_t c)
{
	return (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63 || c == 0x2500 || c == 0x2501 ||
	       c == 0x30FC /* ー */ || c == 0x4E00 /* 一, Tesseract's favourite for a dash */;
}

/* Space handling: Tesseract's jpn model separates CJK glyphs with spaces;
 * they carry no meaning, while spaces between ASCII tokens separate columns. */
static bool is_wide(int32_t c) { return c >= 0x2E80; }

int recam_norm_text(const char *s, size_t n, char **out)
{
	int32_t *cps;
	size_t k;
	int rc = nfkc(s, n, &cps, &k);
	if (rc != 0)
		return rc;
	size_t w = 0;
	for (size_t i = 0; i < k; i++) {
		int32_t c = cps[i];
		int32_t prev = w > 0 ? cps[w - 1] : 0;
		int32_t next = i + 1 < k ? cps[i + 1] : 0;
		if (c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0)
			c = ' ';
		if (c < 0x20 || c == 0x7F)
			continue;
		/* Dashes between ASCII characters are hyphens or minus signs (phone
		 * numbers, "-100"); between kana ー is a long vowel and stays. */
		if (is_dash(c) && (is_ascii_alnum(prev) || prev == ' ' || prev == 0) &&
		    (is_ascii_alnum(next) || next == 0xA5 || next == '\\'))
			c = '-';
		else if (c >= 0x2010 && c <= 0x2015)
			c = '-';
		else if (c == 0x2212 || c == 0xFE63)
			c = '-';
		/* Ideographic comma/stop inside a number: 1、234 / 1。5 */
		if ((c == 0x3001 || c == 0x3002) && is_digit(prev) && is_digit(next))
			c = c == 0x3001 ? ',' : '.';
		/* "¥1,97=3": a speck read inside the last group of a number, where
		 * leaving it out makes the group three digits */
		if (c == '=' && w >= 3 && cps[w - 3] == ',' && is_digit(cps[w - 2]) && is_digit(prev) && is_digit(next) &&
		    !(i + 2 < k && is_digit(cps[i + 2])))
			continue;
		if (c == 0x301C || c == 0xFF5E)
			c = '~';
		if (c == 0xFFE5)
			c = 0xA5;
		/* ¥ in some receipt fonts is read as 半: "TOTAL 半 168", "-半10" */
		if (c == 0x534A) {
			size_t j = i + 1;
			if (j < k && cps[j] == ' ')
				j++;
			if (j < k && is_digit(cps[j])) {
				c = 0xA5;
				i = j - 1;
			}
		}
		if (c == ' ') {
			if (w == 0 || prev == ' ')
				continue;
			/* "3, 995": a space after a thousands separator */
			if ((prev == ',' || prev == '.' || prev == ';') && w >= 2 && is_digit(cps[w - 2]) && is_digit(next))
				continue;
			/* look ahead past further spaces */
			size_t j = i + 1;
			while (j < k && (cps[j] == ' ' || cps[j] == 0x3000 || cps[j] == '\t'))
				j++;
			if (j >= k)
				continue;
			if (is_wide(prev) && is_wide(cps[j]))
				continue;
		}
		cps[w++] = c;
	}
	while (w > 0 && cps[w - 1] == ' ')
		w--;
	rc = encode(cps, w, out);
	free(cps);
	return rc;
}

static bool is_kana(int32_t c) { return (c >= 0x3041 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF); }

static int32_t small_to_large(int32_t c)
{
	/* hiragana small ぁぃぅぇぉっゃゅょゎ sit one below their large form */
	switch (c) {
	case 0x3041: case 0x3043: case 0x3045: case 0x3047: case 0x3049:
	case 0x3063: case 0x3083: case 0x3085: case 0x3087: case 0x308E:
		return c + 1;
	case 0x3095: return 0x304B; /* ゕ */
	case 0x3096: return 0x3051; /* ゖ */
	default: return c;
	}
}

int recam_norm_key(const char *s, size_t n, char **out)
{
	char *t;
	int rc = recam_norm_text(s, n, &t);
	if (rc != 0)
		return rc;
	size_t len = strlen(t);
	int32_t *cps = malloc((len + 1) * sizeof(*cps));
	if (cps == NULL) {
		free(t);
		return RECAM_ENOMEM;
	}
	size_t k = recam_norm_decode(t, len, cps, len + 1);
	free(t);
	size_t w = 0;
	for (size_t i = 0; i < k; i++) {
		int32_t c = cps[i];
		int32_t prev = w > 0 ? cps[w - 1] : 0;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c >= 0x30A1 && c <= 0x30F6)
			c -= 0x60; /* katakana → hiragana: receipts mix both for one product */
		c = small_to_large(c);
		/* O for 0 inside a size: "5OOml" */
		if ((c == 'o' || c == 'O') && is_digit(prev))
			c = '0';
		/* Long-vowel look-alikes after kana: ー - ~ 一 ｰ ─ all mean the same. */
		if ((is_dash(c) || c == '-' || c == '~') && is_kana(prev))
			c = 0x30FC;
		if (c == ' ' || c == 0x30FB || c == 0xFF65 || c == '.' || c == ',' || c == '/' || c == '(' ||
		    c == ')' || c == '[' || c == ']' || c == 0x300C || c == 0x300D || c == '\'' || c == '"')
			continue;
		cps[w++] = c;
	}
	rc = encode(cps, w, out);
	free(cps);
	return rc;
}

int32_t recam_norm_kana_base(int32_t cp)
{
	if (!is_kana(cp))
		return cp;
	utf8proc_int32_t dst[4];
	int last;
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, dst, 4, UTF8PROC_DECOMPOSE, &last);
	if (n >= 1 && n <= 4)
		return dst[0];
	return cp;
}

char *recam_norm_devoice(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s), o = 0;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t used = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (used <= 0) {
			cp = 0xFFFD;
			used = 1;
		}
		i += (size_t)used;
		utf8proc_uint8_t b[4];
		size_t l = (size_t)utf8proc_encode_char(recam_norm_kana_base(cp), b);
		if (o + l >= cap)
			break;
		memcpy(out + o, b, l);
		o += l;
	}
	if (cap > 0)
		out[o] = '\0';
	return out;
}
