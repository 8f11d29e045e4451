/* parse_fields.c — scanners for one normalized receipt line: amounts, phone
 * numbers, invoice registration numbers and tax rates (dates and times:
 * parse_date.c). Each returns how clean the match was so the parser can
 * lower confidence when it had to repair an OCR slip. */
#include "receipt/parse_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "receipt/normalize.h"
#include "receipt/receipt.h"

#define AMOUNT_MAX 10000000000LL /* ten billion minor units: no receipt is larger */

bool recam_parse_has(const char *s, const char *kw) { return strstr(s, kw) != NULL; }

bool recam_parse_has_any(const char *s, const char *const *kws)
{
	for (; *kws; kws++)
		if (strstr(s, *kws))
			return true;
	return false;
}

int recam_parse_cjk_count(const char *s, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0xE3 && (unsigned char)s[i] <= 0xE9)
			c++;
	return c;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
/* Letters Tesseract gives for digits inside a number. */
static int lookalike_digit(char c)
{
	switch (c) {
	case 'O': case 'o': case 'D': return 0;
	case 'l': case 'I': case '|': return 1;
	default: return -1;
	}
}

static bool ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

bool recam_parse_amount_token(const char *s, size_t n, int decimals, int64_t *v, bool *repaired)
{
	char seps[16];
	int glen[16];
	int ng = 0, ndig = 0;
	bool rep = false;
	if (n == 0 || n > 24)
		return false;
	glen[0] = 0;
	ng = 1;
	int64_t group_val = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int d = is_digit(c) ? c - '0' : lookalike_digit(c);
		if (d >= 0) {
			if (!is_digit(c))
				rep = true;
			glen[ng - 1]++;
			ndig++;
			group_val = group_val * 10 + d;
			if (group_val > AMOUNT_MAX)
				return false;
		} else if (c == ',' || c == '.' || (c == ';' && decimals == 0)) {
			if (c == ';')
				rep = true; /* "¥2;554": the comma read as a semicolon */
			if (glen[ng - 1] == 0 && ng > 1 && (s[i - 1] == ',' || s[i - 1] == '.')) {
				rep = true; /* "7,.000": one separator read twice */
				continue;
			}
			if (glen[ng - 1] == 0 || ng == 16)
				return false;
			seps[ng - 1] = c;
			ng++;
			glen[ng - 1] = 0;
			group_val = 0;
		} else {
			return false;
		}
	}
	if (glen[ng - 1] == 0 || ndig == 0 || ndig > 11)
		return false;
	/* Recompute from the text now that the grouping is known. */
	int64_t whole = 0, frac = 0;
	int last_frac_group = -1;
	if (decimals > 0 && ng >= 2 && glen[ng - 1] == decimals)
		last_frac_group = ng - 1;
	for (int g = 0; g < ng; g++) {
		if (g > 0 && g != last_frac_group) {
			if (glen[g] != 3)
				return false; /* "1,37" or "1.3788": a digit was lost or added */
			if (decimals == 0 && seps[g - 1] == '.')
				rep = true; /* yen has no decimals: 1.378 is 1,378 */
		}
		if (g == 0 && ng > 1 && glen[0] > 3 && last_frac_group != 1)
			return false;
	}
	size_t gi = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ',' || c == '.' || c == ';') {
			if (i == 0 || (s[i - 1] != ',' && s[i - 1] != '.'))
				gi++;
			continue;
		}
		int d = is_digit(c) ? c - '0' : lookalike_digit(c);
		if ((int)gi == last_frac_group)
			frac = frac * 10 + d;
		else
			whole = whole * 10 + d;
	}
	int64_t scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	if (whole > AMOUNT_MAX / scale)
		return false;
	*v = whole * scale + frac;
	*repaired = rep;
	return true;
}

/* Strips marks printed after an amount: 軽 * ※ ★ (reduced rate), 外 内 非
 * (tax kind), and spaces. */
static size_t strip_trailing_marks(const char *s, size_t n, bool *reduced)
{
	static const char *const marks[] = {"軽", "※", "★", "*", "外", "内", "非", "税", "E", "T", " ", ")", "]", "」", NULL};
	bool again = true;
	while (again && n > 0) {
		again = false;
		for (const char *const *m = marks; *m; m++)
			if (ends_with(s, n, *m)) {
				if (strcmp(*m, "軽") == 0 || strcmp(*m, "※") == 0 || strcmp(*m, "★") == 0 ||
				    strcmp(*m, "*") == 0)
					*reduced = true;
				/* "T" and "E" only after a space: else they end a word */
				if ((strcmp(*m, "T") == 0 || strcmp(*m, "E") == 0) && !(n >= 2 && s[n - 2] == ' '))
					continue;
				n -= strlen(*m);
				again = true;
				break;
			}
	}
	return n;
}

/* s[at] is a letter the recognizer reads for ¥ (Y or y, and v V W w from
 * its two strokes), standing alone: not the end of a word or code ("No", "V60"
 * after "ドリップ" is rare next to "牛乳 W198"). */
static bool yen_letter(const char *s, size_t at)
{
	char c = s[at];
	if (c != 'Y' && c != 'y' && c != 'v' && c != 'V' && c != 'W' && c != 'w')
		return false;
	return at == 0 || !is_alpha(s[at - 1]);
}

/* The glyph ending at s[at] is a kana or kanji the recognizer reads for ¥,
 * standing alone: "肉まん ギ 138", "値引 全 \\200", "米 2kg 玉 2,774" (玉
 * not after a count: "うどん 3 玉"). */
static bool yen_glyph(const char *s, size_t at)
{
	static const char *const like[] = {"ギ", "ぎ", "全", "玉", NULL};
	if (at < 4 || s[at - 4] != ' ')
		return false;
	for (const char *const *g = like; *g; g++)
		if (memcmp(s + at - 3, *g, 3) == 0)
			return strcmp(*g, "玉") != 0 || at < 5 || !is_digit(s[at - 5]);
	return false;
}

/* 円 in some proportional faces is read as F, often with its right stroke as
 * a second glyph: "合計金額 5979F", "お返し 4021FF", "合計 1,254F3". Taken
 * after two digits at least ("ビル 3F" is a floor), and then a speck of the
 * paper's edge is dropped ("お預かり 10000F 1", "158F |3"); returns the
 * length before the F. */
static size_t yen_read_as_f(const char *s, size_t n, recam_pamount *a)
{
	size_t f = n;
	size_t k = f;
	while (k > 0 && f - k < 2 && (is_digit(s[k - 1]) || s[k - 1] == '|'))
		k--;
	if (k < f && k >= 2 && s[k - 1] == ' ' && (s[k - 2] == 'F' || s[k - 2] == '3'))
		f = k - 1;
	if (f >= 1 && (s[f - 1] == 'F' || s[f - 1] == '3' || s[f - 1] == 'H' || s[f - 1] == 'E') && f >= 2 &&
	    s[f - 2] == 'F')
		f--;
	if (f < 3 || s[f - 1] != 'F' || !is_digit(s[f - 2]) || !is_digit(s[f - 3]))
		return n;
	a->yen_mark = true;
	a->repaired = true;
	return f - 1;
}

static bool trailing_amount(const char *s, size_t n, int decimals, recam_pamount *a)
{
	memset(a, 0, sizeof(*a));
	n = strip_trailing_marks(s, n, &a->reduced);
	if (ends_with(s, n, "円")) {
		n -= strlen("円");
		a->yen_mark = true;
		while (n > 0 && s[n - 1] == ' ')
			n--;
	} else {
		n = yen_read_as_f(s, n, a);
	}
	if (n > 0 && s[n - 1] == '-' && n >= 2 && is_digit(s[n - 2])) {
		/* "100-" is how some printers show a negative amount */
		a->negative = true;
		n--;
	}
	size_t end = n;
	size_t i = n;
	while (i > 0) {
		char c = s[i - 1];
		if (is_digit(c) || c == ',' || c == '.' || (c == ';' && decimals == 0) || lookalike_digit(c) >= 0)
			i--;
		else
			break;
	}
	/* Leading separators or look-alikes belong to the text before ("No."). */
	while (i < end && !is_digit(s[i]))
		i++;
	if (i >= end || !is_digit(s[end - 1]) || end - i > 24)
		return false;
	size_t start = i;
	if (start > 0) {
		char p = s[start - 1];
		if (is_alpha(p) && p != 'Y' && !yen_letter(s, start - 1))
			return false; /* part of a word or code: "No1234", "A-123" */
		bool yen_colon = p == ':' && start >= 2 &&
				 (s[start - 2] == '\\' || (start >= 3 && memcmp(s + start - 3, "\xC2\xA5", 2) == 0));
		if ((p == ':' && !yen_colon) || p == '/' || p == '#' || p == '@' || p == 'x' || p == '%' || p == '.' ||
		    p == ',')
			return false;
		if (p == '-' && start >= 2 && is_digit(s[start - 2]))
			return false; /* phone number or code */
	}
	bool rep;
	if (!recam_parse_amount_token(s + start, end - start, decimals, &a->value, &rep))
		return false;
	a->repaired = a->repaired || rep; /* or 円 read as F */
	/* "¥ 4 249": the thousands comma lost and a space in its place; taken
	 * only between a yen mark and three digits */
	if (decimals == 0 && end - start == 3 && is_digit(s[start]) && is_digit(s[start + 1]) &&
	    is_digit(s[start + 2]) && start >= 3 && s[start - 1] == ' ' && is_digit(s[start - 2])) {
		size_t d = start - 1;
		while (d > 0 && is_digit(s[d - 1]) && start - 1 - d < 4)
			d--;
		size_t y = d;
		while (y > 0 && s[y - 1] == ' ')
			y--;
		bool yen = (y >= 2 && memcmp(s + y - 2, "\xC2\xA5", 2) == 0) || (y >= 1 && s[y - 1] == '\\');
		if (start - 1 - d <= 3 && !(d > 0 && is_digit(s[d - 1])) && yen) {
			int64_t lead = 0;
			for (size_t q = d; q < start - 1; q++)
				lead = lead * 10 + (s[q] - '0');
			a->value += lead * 1000;
			a->repaired = true;
			start = d;
		}
	}
	size_t digits_from = start;
	/* ¥ \ Y and a sign, in either order: "¥-100", "-¥100", "△100" */
	for (int round = 0; round < 2 && start > 0; round++) {
		while (start > 0 && s[start - 1] == ' ' && round == 1)
			start--;
		while (start >= 2 && s[start - 1] == '\\' && s[start - 2] == '\\')
			start--; /* "\\3,995": the yen sign read twice */
		if (start >= 2 && memcmp(s + start - 2, "\xC2\xA5", 2) == 0) {
			start -= 2;
			a->yen_mark = true;
		} else if (start >= 1 && (s[start - 1] == '\\' || yen_letter(s, start - 1))) {
			start -= 1;
			a->yen_mark = true;
			a->repaired = a->repaired || s[start] != '\\';
		} else if (yen_glyph(s, start)) {
			start -= 3;
			a->yen_mark = true;
			a->repaired = true;
		} else if (start >= 1 && s[start - 1] == '-') {
			start -= 1;
			a->negative = true;
		} else if (start >= 3 && (memcmp(s + start - 3, "△", 3) == 0 || memcmp(s + start - 3, "▲", 3) == 0 ||
					  memcmp(s + start - 3, "▼", 3) == 0)) {
			start -= 3;
			a->negative = true;
		}
	}
	/* "¥: 990", "\\:990": the yen mark, then a ":" where the leading digits
	 * and their comma were (¥3,990 on a dev photo): only the last group is
	 * known */
	if (!a->yen_mark && !a->negative && end - digits_from <= 3) {
		size_t k = start;
		while (k > 0 && s[k - 1] == ' ')
			k--;
		if (k > 0 && s[k - 1] == ':') {
			k--;
			while (k > 0 && s[k - 1] == ' ')
				k--;
			if ((k >= 2 && memcmp(s + k - 2, "\xC2\xA5", 2) == 0) || (k >= 1 && s[k - 1] == '\\')) {
				a->lost_lead = true;
				a->yen_mark = true;
				a->start = k - (s[k - 1] == '\\' ? 1 : 2);
				return true;
			}
		}
	}
	a->start = start;
	return true;
}

size_t recam_parse_specks_end(const char *s, size_t n, bool marks)
{
	static const char *const mark[] = {"*", "※", "軽", NULL};
	size_t b = n;
	for (int g = 0; g < 2 && b > 0 && s[b - 1] != ' '; g++) {
		b--;
		while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
			b--;
	}
	if (b == n || b < 2 || s[b - 1] != ' ')
		return 0;
	size_t m = b - 1;
	bool seen = false;
	for (bool more = true; more;) {
		while (m > 0 && s[m - 1] == ' ')
			m--;
		more = false;
		for (const char *const *w = mark; marks && *w && !more; w++) {
			size_t k = strlen(*w);
			if (m >= k && memcmp(s + m - k, *w, k) == 0) {
				m -= k;
				seen = more = true;
			}
		}
	}
	if (m >= 3 && memcmp(s + m - 3, "円", 3) == 0) {
		m -= 3;
		seen = true;
		while (m > 0 && s[m - 1] == ' ')
			m--;
	}
	return seen && m > 0 && is_digit(s[m - 1]) ? b - 1 : 0;
}

bool recam_parse_trailing_amount(const char *s, int decimals, recam_pamount *a)
{
	size_t n = strlen(s);
	if (trailing_amount(s, n, decimals, a)) {
		/* a speck read as a digit after 円: the amount is before it */
		size_t cut = a->value < 10 && !a->negative ? recam_parse_specks_end(s, n, false) : 0;
		recam_pamount b;
		if (cut > 0 && trailing_amount(s, cut, decimals, &b) && b.value >= 10) {
			b.repaired = true;
			*a = b;
		}
		return true;
	}
	/* "ご請求額 5.04(": a dotted 0 read as "(" ending the line after a
	 * digit (the same on every amount of one print, bench dev 0269) */
	if (n >= 2 && n <= RECAM_RECEIPT_MAX_LINE_BYTES && s[n - 1] == '(' && is_digit(s[n - 2])) {
		char t[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
		memcpy(t, s, n + 1);
		t[n - 1] = '0';
		if (trailing_amount(t, n, decimals, a)) {
			a->repaired = true;
			return true;
		}
	}
	/* "¥355 BE", "¥590 \"WW", "¥1,018 Bp", "¥651 \"用": specks read as one
	 * to three letters or quotes, or a glyph that is no unit, after the
	 * amount; taken only after a yen mark */
	static const char *const units[] = {"点", "個", "本", "枚", "件", "回", "名", "円", NULL};
	size_t k = n, g = n;
	while (g > 0 && ((unsigned char)s[g - 1] & 0xC0) == 0x80)
		g--;
	if (g > 0 && (unsigned char)s[g - 1] >= 0xE0 && n - g == 2) {
		bool unit = false;
		for (const char *const *u = units; *u && !unit; u++)
			unit = strncmp(s + g - 1, *u, 3) == 0;
		if (!unit)
			k = g - 1;
	}
	size_t glyph = n - k;
	while (k > 0 && n - k - glyph < 4 && (is_alpha(s[k - 1]) || s[k - 1] == '"' || s[k - 1] == '\''))
		k--;
	if (k == n || n - k - glyph > 3 || k < 2 || s[k - 1] != ' ' || !is_digit(s[k - 2]))
		return false;
	recam_pamount b;
	if (!trailing_amount(s, k - 1, decimals, &b) || !b.yen_mark || b.negative)
		return false;
	b.repaired = true;
	*a = b;
	return true;
}

/* A phone label ends at s[i] ("TEL", "TEL:", "電話 ", "℡"). */
static bool after_phone_label(const char *s, size_t i)
{
	if (i > 0 && s[i - 1] == 'O' && s[i] == '0')
		i--; /* "TELO052.802.5548": the colon read as O before the 0 */
	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == ':' || s[i - 1] == '.'))
		i--;
	/* "jEL96-6717-1059": the T misread as another letter; "TLO120",
	 * "THLO422": the E lost or misread */
	bool tl = false;
	if (i >= 2 && s[i - 1] == 'L' && (s[i - 2] == 'T' || (i >= 3 && s[i - 3] == 'T' && is_alpha(s[i - 2])))) {
		size_t t = s[i - 2] == 'T' ? i - 2 : i - 3; /* where the T is: a word of its own */
		tl = t == 0 || !is_alpha(s[t - 1]);
	}
	return tl || (i >= 3 && (strncasecmp(s + i - 3, "TEL", 3) == 0 || (is_alpha(s[i - 3]) && strncmp(s + i - 2, "EL", 2) == 0))) ||
	       (i >= 6 && strncmp(s + i - 6, "電話", 6) == 0) ||
	       (i >= 12 && strncmp(s + i - 12, "電話番号", 12) == 0) || (i >= 3 && strncmp(s + i - 3, "℡", 3) == 0);
}

static bool toll_free(const char *p)
{
	return strncmp(p, "0120", 4) == 0 || strncmp(p, "0800", 4) == 0 || strncmp(p, "0570", 4) == 0;
}

static bool scan_phone(const char *s, char out[16], float *quality)
{
	for (size_t i = 0; s[i]; i++) {
		/* Every Japanese number starts with 0; right after its label a 9, 6
		 * or O is that 0 misread ("TEL 975-759-5720", "TELO466-39-8310",
		 * "電話番号 947-971-2614", "TEL:647-434-0727"). */
		bool lead = (s[i] == '9' || s[i] == '6' || s[i] == 'O' || s[i] == 'C' || s[i] == '(') &&
			    after_phone_label(s, i) && is_digit(s[i + 1]) &&
			    s[i + 1] != '0'; /* no number starts 00: "TELO03(2736)0734" */
		if ((s[i] != '0' && !lead) || (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '-')))
			continue;
		/* right after the label, dots may part the groups ("052.802.5548") */
		bool labelled = lead || after_phone_label(s, i);
		size_t j = i;
		int glen[4] = {0, 0, 0, 0};
		char digits[16];
		int nd = 0, ng = 0;
		bool spaced = false; /* a group set apart by a space: its hyphen lost */
		while (ng < 4) {
			int k = 0;
			if (lead && j == i) {
				digits[nd++] = '0';
				j++;
				k++;
			}
			while (is_digit(s[j]) && nd < 15) {
				digits[nd++] = s[j++];
				k++;
			}
			if (k == 0)
				break;
			glen[ng++] = k;
			/* three groups set apart by their marks are the whole number:
			 * a digit after a space is a speck ("03(1362)5401 3") */
			if (ng == 3 && !spaced && s[j] == ' ')
				break;
			if (s[j] == '{' && s[j + 1] == '(')
				j++; /* a speck before the bracket: "06{(5770)1310" */
			if (s[j] == '-' || s[j] == '(' || s[j] == ')' || (s[j] == ' ' && is_digit(s[j + 1])) ||
			    (s[j] == '.' && labelled && is_digit(s[j + 1]))) {
				spaced = spaced || s[j] == ' ';
				j++;
			} else
				break;
			if (s[j] == ' ' || s[j] == '-')
				j++;
		}
		if (is_digit(s[j]) || (nd != 10 && nd != 11))
			continue;
		size_t o = 0;
		int d = 0;
		/* a last group of five after six digits: no number is grouped so, a
		 * speck read as a digit after it ("TEL098(340)28307") */
		bool speck = ng == 3 && nd == 11 && glen[0] + glen[1] == 6 && glen[2] == 5;
		if (speck) {
			glen[2] = 4;
			nd = 10;
		}
		if (ng == 3) {
			for (int g = 0; g < 3; g++) {
				if (g)
					out[o++] = '-';
				for (int k = 0; k < glen[g]; k++)
					out[o++] = digits[d++];
			}
			*quality = speck ? 0.6f : lead ? 0.8f : spaced ? 0.9f : 1.0f;
			if (glen[0] == 4 && glen[1] == 3 && glen[2] == 3 && !toll_free(out)) {
				/* 4-3-3 is the toll-free grouping: 0120, 0800, 0570 */
				if (strncmp(out, "012", 3) == 0 && (out[3] == '9' || out[3] == '6' || out[3] == '8')) {
					out[3] = '0'; /* "0129-496-188": the 0 of 0120 misread */
					*quality = minf(*quality, 0.7f);
				} else {
					*quality = minf(*quality, 0.6f);
				}
			}
		} else {
			for (; d < nd; d++)
				out[o++] = digits[d];
			*quality = lead ? 0.5f : 0.6f;
		}
		out[o] = '\0';
		return true;
	}
	return false;
}

bool recam_parse_phone(const char *s, char out[16], float *quality)
{
	if (scan_phone(s, out, quality))
		return true;
	/* In a labelled phone line: a hyphen OCR set apart ("045 - 748") and 7
	 * read as 了 ("045-了48-8879"). */
	if (!strstr(s, "TEL") && !strstr(s, "Tel") && !strstr(s, "電話"))
		return false;
	char buf[128];
	size_t k = 0;
	bool changed = false;
	int hyphens = 0;
	for (size_t i = 0; s[i]; i++)
		hyphens += s[i] == '-';
	for (size_t i = 0; s[i] && k + 1 < sizeof(buf); i++) {
		if (strncmp(s + i, "了", 3) == 0) {
			buf[k++] = '7';
			i += 2;
			changed = true;
		} else if (s[i] == ' ' && ((k > 0 && buf[k - 1] == '-') || s[i + 1] == '-')) {
			changed = true; /* the space beside a hyphen */
		} else if (s[i] == ' ' && hyphens >= 2 && k > 0 && is_digit(buf[k - 1]) &&
			   (is_digit(s[i + 1]) || strncmp(s + i + 1, "了", 3) == 0)) {
			changed = true; /* hyphens delimit the groups: a space inside one is OCR's */
		} else {
			buf[k++] = s[i];
		}
	}
	buf[k] = '\0';
	if (!changed || !scan_phone(buf, out, quality))
		return false;
	*quality *= 0.8f;
	return true;
}

int recam_receipt_regnum_check(const char digits[13])
{
	int sum = 0;
	for (int n = 1; n <= 12; n++) {
		int p = digits[13 - n] - '0';
		if (p < 0 || p > 9)
			return 0;
		sum += p * (n % 2 ? 1 : 2);
	}
	int check = 9 - sum % 9;
	return digits[0] - '0' == check;
}

/* Collects up to want digits from s[i], skipping spaces and hyphens. */
static int collect_digits(const char *s, size_t i, char *dst, int want)
{
	int k = 0;
	for (; s[i] && k < want; i++) {
		if (is_digit(s[i]))
			dst[k++] = s[i];
		else if (s[i] == 'O' || s[i] == 'o')
			dst[k++] = '0';
		else if (s[i] == ' ' || s[i] == '-' || s[i] == ':')
			continue;
		else
			break;
	}
	if (k == want && is_digit(s[i]))
		return -1; /* more digits than a registration number has */
	return k;
}

/* 13 digits from p where one glyph is not a digit (a letter or mark read
 * for it: "Te491671531058", "IS519371014734"): the check digit gives it,
 * unless 0 and 9 both would (the check cannot tell them). */
static bool regnum_one_unknown(const char *p, char d[13])
{
	int k = 0, unknown = -1;
	size_t i = 0;
	for (; p[i] && k < 13; i++) {
		unsigned char c = (unsigned char)p[i];
		if (is_digit(p[i]))
			d[k++] = p[i];
		else if (p[i] == 'O' || p[i] == 'o')
			d[k++] = '0';
		else if (p[i] == ' ' || p[i] == '-' || p[i] == ':')
			continue;
		else if (unknown < 0 && (is_alpha(p[i]) || c >= 0xC0)) {
			unknown = k;
			d[k++] = '0';
			while (c >= 0xC0 && ((unsigned char)p[i + 1] & 0xC0) == 0x80)
				i++; /* the rest of a multi-byte glyph */
		} else
			break;
	}
	if (k != 13 || unknown < 0 || is_digit(p[i]))
		return false;
	int fits = 0, v = 0;
	for (int c = 0; c <= 9; c++) {
		d[unknown] = (char)('0' + c);
		if (recam_receipt_regnum_check(d)) {
			fits++;
			v = c;
		}
	}
	d[unknown] = (char)('0' + v);
	return fits == 1;
}

bool recam_parse_regnum(const char *s, char out[15], bool *check_ok, int *how)
{
	char d[14];
	*how = RECAM_REGNUM_READ;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] != 'T' || (i > 0 && is_alpha(s[i - 1])))
			continue;
		if (collect_digits(s, i + 1, d, 13) == 13)
			goto found;
	}
	/* The T of 登録番号 read as 1 (or 7, I, l): 14 digits after the label. */
	const char *lab = strstr(s, "登録");
	/* one glyph of the 13 misread as a letter or mark: the check digit
	 * tells it (after T, or after the label's T read as I or l) */
	for (size_t i = 0; s[i]; i++) {
		bool t = s[i] == 'T' || (lab && (size_t)(lab - s) < i && (s[i] == 'I' || s[i] == 'l'));
		if (t && !(i > 0 && is_alpha(s[i - 1])) && regnum_one_unknown(s + i + 1, d)) {
			*how = RECAM_REGNUM_DERIVED;
			goto found;
		}
	}
	if (lab == NULL)
		return false;
	for (size_t i = (size_t)(lab - s); s[i]; i++) {
		if (!(is_digit(s[i]) || s[i] == 'I' || s[i] == 'l' || s[i] == '|'))
			continue;
		char t[15];
		int k = collect_digits(s, i + 1, t, 13);
		if (k == 13 && (s[i] == '1' || s[i] == '7' || !is_digit(s[i]))) {
			memcpy(d, t, 13);
			*how = RECAM_REGNUM_REPAIRED;
			goto found;
		}
		k = collect_digits(s, i, t, 13);
		if (k == 13) { /* the T was lost altogether */
			memcpy(d, t, 13);
			*how = RECAM_REGNUM_REPAIRED;
			goto found;
		}
		return false;
	}
	return false;
found:
	out[0] = 'T';
	memcpy(out + 1, d, 13);
	out[14] = '\0';
	*check_ok = recam_receipt_regnum_check(d) != 0;
	return true;
}

int recam_parse_tax_rate(const char *s, bool *repaired)
{
	*repaired = false;
	for (size_t i = 0; s[i]; i++) {
		if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1])))
			continue;
		if (strncmp(s + i, "10%", 3) == 0)
			return 10;
		if (strncmp(s + i, "8%", 2) == 0)
			return 8;
		/* 8% read as 89% / 896 / 8 %, 10% as 109% / 1096 */
		if (strncmp(s + i, "89%", 3) == 0 || (strncmp(s + i, "896", 3) == 0 && !is_digit(s[i + 3]))) {
			*repaired = true;
			return 8;
		}
		if (strncmp(s + i, "109%", 4) == 0 || (strncmp(s + i, "1096", 4) == 0 && !is_digit(s[i + 4])) ||
		    strncmp(s + i, "19%", 3) == 0 || strncmp(s + i, "16%", 3) == 0) { /* 0 read as 9 or 6 */
			*repaired = true;
			return 10;
		}
		/* % read as * ("8* 対象"): not a reduced-rate mark here, the
		 * line is a tax or base line */
		if ((strncmp(s + i, "8*", 2) == 0 || strncmp(s + i, "10*", 3) == 0) &&
		    (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(')) {
			*repaired = true;
			return s[i] == '8' ? 8 : 10;
		}
		if (strncmp(s + i, "8 %", 3) == 0)
			return 8;
		if (strncmp(s + i, "10 %", 4) == 0)
			return 10;
	}
	return 0;
}

unsigned recam_parse_line_holds(const char *text)
{
	char *norm = NULL, d[11], ph[16], reg[15];
	float q;
	bool check_ok = false;
	int how;
	if (text == NULL || recam_norm_text(text, strnlen(text, RECAM_RECEIPT_MAX_LINE_BYTES), &norm) != 0)
		return 0;
	/* a phone in its three groups (not a run of digits: `023740209 22:33`
	 * is a date misread) */
	unsigned holds = (recam_parse_date(norm, d, &q) ? RECAM_HOLDS_DATE : 0u) |
			 (recam_parse_phone(norm, ph, &q) && q >= 0.8f ? RECAM_HOLDS_PHONE : 0u) |
			 (recam_parse_regnum(norm, reg, &check_ok, &how) && check_ok ? RECAM_HOLDS_REGNUM : 0u);
	free(norm);
	return holds;
}

bool recam_parse_pack_size_nine(const char *t)
{
	static const char *const counters[] = {"枚", "錠", "粒", "個", "本", "包", "袋", "貫", "食", "g", "ml", "mL", "L",
					       "P", NULL};
	for (size_t i = 0; t[i]; i++) {
		if (!is_digit(t[i]) || (i > 0 && is_digit(t[i - 1])))
			continue;
		size_t e = i;
		bool nine = false;
		for (; is_digit(t[e]); e++)
			nine = nine || t[e] == '9';
		if (!nine || e - i < 2)
			continue;
		if (t[e] == ' ')
			e++;
		for (const char *const *c = counters; *c; c++)
			if (strncmp(t + e, *c, strlen(*c)) == 0)
				return true;
	}
	return false;
}
