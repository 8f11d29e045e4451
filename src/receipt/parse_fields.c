/* parse_fields.c — scanners for one normalized receipt line: amounts,
 * dates (Gregorian and Japanese eras), times, phone numbers, invoice
 * registration numbers and tax rates. Each returns how clean the match was so
 * the parser can lower confidence when it had to repair an OCR slip. */
#include "receipt/parse_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

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

static bool trailing_amount(const char *s, size_t n, int decimals, recam_pamount *a)
{
	memset(a, 0, sizeof(*a));
	n = strip_trailing_marks(s, n, &a->reduced);
	if (ends_with(s, n, "円")) {
		n -= strlen("円");
		a->yen_mark = true;
		while (n > 0 && s[n - 1] == ' ')
			n--;
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
	a->repaired = rep;
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

bool recam_parse_trailing_amount(const char *s, int decimals, recam_pamount *a)
{
	size_t n = strlen(s);
	if (trailing_amount(s, n, decimals, a))
		return true;
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

/* Reads 1..maxd digits (O→0 allowed) at s[*i]; returns digits read. */
static int read_num(const char *s, size_t *i, int maxd, int *val)
{
	int v = 0, k = 0;
	while (k < maxd && (is_digit(s[*i]) || ((s[*i] == 'O' || s[*i] == 'o') && k > 0))) {
		v = v * 10 + (is_digit(s[*i]) ? s[*i] - '0' : 0);
		(*i)++;
		k++;
	}
	*val = v;
	return k;
}

static void skip_spaces(const char *s, size_t *i)
{
	while (s[*i] == ' ')
		(*i)++;
}

/* "15 時" or "15:27" at s: an hour, then 時 or a colon. */
static bool time_follows(const char *s)
{
	size_t k = 0;
	while (k < 2 && is_digit(s[k]))
		k++;
	if (k == 0 || is_digit(s[k]))
		return false;
	while (s[k] == ' ')
		k++;
	return s[k] == ':' || strncmp(s + k, "時", 3) == 0;
}

/* A weekday "(水)" or a time "09:06" somewhere after s[j]. */
static bool time_or_weekday_after(const char *s, size_t j)
{
	for (; s[j]; j++) {
		if (s[j] == '(' && recam_parse_weekday(s + j) >= 0)
			return true;
		if (is_digit(s[j]) && (j == 0 || !is_digit(s[j - 1])) && time_follows(s + j))
			return true;
	}
	return false;
}

/* Accepts one of the date separators; returns its kind (0 none). A comma
 * after the year is a dot misread ("2025,01.24"); the next separator must
 * then be a dot. */
static int date_sep(const char *s, size_t *i, const char *kanji)
{
	skip_spaces(s, i);
	if (s[*i] == ',' && strcmp(kanji, "年") == 0 && is_digit(s[*i + 1])) {
		(*i)++;
		return '.';
	}
	if (s[*i] == '/' || s[*i] == '.' || s[*i] == '-') {
		int k = s[*i];
		(*i)++;
		skip_spaces(s, i);
		return k;
	}
	size_t kl = strlen(kanji);
	if (strncmp(s + *i, kanji, kl) == 0) {
		*i += kl;
		skip_spaces(s, i);
		return 'k';
	}
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* A look-alike of the digit 1: "令和 7 年 ' 2 月" is December. */
static bool one_lookalike(char c) { return c == '\'' || c == '|' || c == ']' || c == 'l' || c == 'I'; }

/* 日 as OCR reads it on photos: 目, E, H, ロ, 口, ヨ (the left stroke lost). */
static bool day_lookalike(const char *s)
{
	return strncmp(s, "目", 3) == 0 || s[0] == 'E' || s[0] == 'H' || strncmp(s, "ロ", 3) == 0 ||
	       strncmp(s, "口", 3) == 0 || strncmp(s, "ヨ", 3) == 0;
}

/* 日 lost, or read as a dash, before the weekday at s[j]: "24( 火 )",
 * "2 5 -( 金 )". */
static bool weekday_for_day(const char *s, size_t j)
{
	skip_spaces(s, &j);
	if (s[j] == '-') {
		j++;
		skip_spaces(s, &j);
	}
	return s[j] == '(' && recam_parse_weekday(s + j) >= 0;
}

/* The unit (月 or 日, or a look-alike of 日) after spaces at s[j]. */
static bool unit_follows(const char *s, size_t j, const char *unit)
{
	skip_spaces(s, &j);
	return strncmp(s + j, unit, strlen(unit)) == 0 ||
	       (strcmp(unit, "日") == 0 && (day_lookalike(s + j) || weekday_for_day(s, j)));
}

/* A month or day in the kanji form (at most max), where OCR may split "24"
 * into "2 4", read the 1 of "12" as ' or |, or put a speck before a
 * two-digit day ("05 月 607 日": of 60 and 07 only 07 can be a day).
 * *rep is set by the last two repairs. */
static int read_num_kanji(const char *s, size_t *i, int *val, const char *unit, int max, bool *rep)
{
	size_t j = *i;
	int k = read_num(s, &j, 2, val);
	if (k == 0 && one_lookalike(s[j])) {
		size_t t = j + 1;
		skip_spaces(s, &t);
		int v2;
		if (read_num(s, &t, 1, &v2) == 1 && unit_follows(s, t, unit) && 10 + v2 <= max) {
			*val = 10 + v2;
			*rep = true;
			*i = t;
			return 2;
		}
	}
	if (k == 1 && (s[j] == ' ' || s[j] == '.' || s[j] == ',') && is_digit(s[j + 1])) {
		size_t t = j + 1;
		int v2;
		if (read_num(s, &t, 1, &v2) == 1 && unit_follows(s, t, unit)) {
			*rep = *rep || s[j] != ' '; /* "3.1 日": a speck read as a dot */
			*val = *val * 10 + v2;
			j = t;
			k = 2;
		}
	}
	if (k == 2 && is_digit(s[j]) && !is_digit(s[j + 1]) && unit_follows(s, j + 1, unit)) {
		int last = *val % 10 * 10 + (s[j] - '0');
		bool first_ok = *val >= 1 && *val <= max, last_ok = last >= 1 && last <= max;
		if (first_ok == last_ok)
			return 0; /* both could be it, or neither */
		*val = first_ok ? *val : last;
		*rep = true;
		j++;
	}
	*i = j;
	return k;
}

/* 0 read as 9 is the commonest slip on photos (DESIGN pitfall 7): a month
 * or day that is impossible as read is tried with its 9s taken for 0s. */
static int nines_to_zeros(int v) { return (v / 10 == 9 ? 0 : v / 10) * 10 + (v % 10 == 9 ? 0 : v % 10); }

/* The same for a day or month, where 00 does not exist: "2926/11/99" is
 * the 9th (minutes "02:99" are 02:00). */
static int day_nines(int v) { return v == 99 ? 9 : nines_to_zeros(v); }

/* A kanji (3 bytes, U+4E00..U+9FFF) at s. */
static bool cjk_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	return u[0] >= 0xE4 && u[0] <= 0xE9 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80;
}

/* A time after spaces at s[j]. */
static bool glyph_then_time(const char *s, size_t j)
{
	skip_spaces(s, &j);
	return is_digit(s[j]) && time_follows(s + j);
}

static bool finish_date(const char *s, size_t i, int y, char out[11], bool *repaired)
{
	int m, d;
	*repaired = false;
	int s1 = date_sep(s, &i, "年");
	if (!s1 || (s1 == 'k' ? read_num_kanji(s, &i, &m, "月", 12, repaired) : read_num(s, &i, 2, &m)) == 0)
		return false;
	if (s1 != 'k' && m == 0 && s[i - 1] == '0' && s[i - 2] == '0' && is_digit(s[i]) && s[i] != '0' && !is_digit(s[i + 1])) {
		m = s[i++] - '0'; /* "2025/009/21": the month's 0 read twice */
		*repaired = true;
	}
	int s2 = date_sep(s, &i, "月");
	if (!s2 && s1 == 'k' && strncmp(s + i, "日", 3) == 0) {
		/* 月 read as 日: "2027 年 9 日 5 日", only with a day and its 日 after */
		size_t t = i + 3, e;
		int dd;
		skip_spaces(s, &t);
		e = t;
		if (read_num(s, &e, 2, &dd) > 0 && unit_follows(s, e, "日")) {
			i = t;
			s2 = 'k';
			*repaired = true;
		}
	}
	if (!s2 && s1 == 'k' && cjk_at(s + i) && strncmp(s + i, "日", 3) != 0) {
		/* 月 read as another kanji: "2026 年 1 肌 2 7 日", only with the
		 * day and its 日 after */
		size_t t = i + 3, e;
		int dd;
		bool r2 = false;
		skip_spaces(s, &t);
		e = t;
		if (read_num_kanji(s, &e, &dd, "日", 31, &r2) > 0) {
			skip_spaces(s, &e);
			if (strncmp(s + e, "日", 3) == 0) {
				i = t;
				s2 = 'k';
				*repaired = true;
			}
		}
	}
	/* "2026-06.20": two different marks, one of them a dot (a dash or a
	 * slash whose ends were lost), taken as repaired */
	bool mixed = s1 && s2 && s1 != s2 && s1 != 'k' && s2 != 'k';
	if (mixed && s1 != '.' && s2 != '.')
		return false;
	if (!s2 || (s2 == 'k' ? read_num_kanji(s, &i, &d, "日", 31, repaired) : read_num(s, &i, 2, &d)) == 0)
		return false;
	if (mixed)
		*repaired = true;
	/* "26-04-1 1 13:37": a two-digit day split by the space Tesseract
	 * leaves beside a narrow 1, taken only right before a time */
	if (s2 != 'k' && d < 10 && !is_digit(s[i - 2]) && s[i] == ' ' && is_digit(s[i + 1]) && s[i + 2] == ' ' &&
	    d * 10 + (s[i + 1] - '0') <= 31 && time_follows(s + i + 3)) {
		d = d * 10 + (s[i + 1] - '0');
		i += 2;
		*repaired = true;
	}
	/* "2026/11/099 09:49": the day's last glyph read twice */
	if (s2 != 'k' && is_digit(s[i - 1]) && is_digit(s[i - 2]) && s[i] == s[i - 1] && !is_digit(s[i + 1]) &&
	    s[i + 1] != ':') {
		i++;
		*repaired = true;
	}
	/* "2026.06.1409:15": the time run into a two-digit day */
	if (is_digit(s[i]) && !(s2 != 'k' && is_digit(s[i - 1]) && is_digit(s[i - 2]) && is_digit(s[i + 1]) && s[i + 2] == ':'))
		return false;
	if (s2 == 'k') {
		/* 年月 form: the day must end in 日 (or a look-alike), else a
		 * digit may be missing */
		size_t j = i;
		skip_spaces(s, &j);
		if (day_lookalike(s + j))
			*repaired = true;
		else if (weekday_for_day(s, j))
			*repaired = true; /* 日 lost before the weekday: "11 月 24( 火 )" */
		else if (is_digit(s[j]) && time_follows(s + j))
			*repaired = true; /* 日 lost before the time: "11 月 23 15 時" */
		else if (cjk_at(s + j) && strncmp(s + j, "日", 3) != 0 && glyph_then_time(s, j + 3))
			*repaired = true; /* 日 read as another kanji before the time: "18 晶 18 時" */
		else if (strncmp(s + j, "日", 3) != 0)
			return false;
	}
	if (y < 1989 || y > 2099)
		return false;
	if (m > 12 && day_nines(m) >= 1) {
		m = day_nines(m);
		*repaired = true;
	}
	if (m > 12 && m / 10 == 1 && (m % 10 == 6 || m % 10 == 8)) {
		m = 10; /* the 0 of 10 read as 6 or 8: "025/16/15" */
		*repaired = true;
	}
	if (m > 12 && (m / 10 == 6 || (m / 10 == 8 && m % 10 != 8)) && m % 10 >= 1) {
		m %= 10; /* 0 read as 6 or 8: "2026/67/84", "82 月" ("88 月" stays unread) */
		*repaired = true;
	}
	if (m >= 1 && m <= 12 && d > days_in_month(y, m) && day_nines(d) >= 1) {
		d = day_nines(d);
		*repaired = true;
	}
	if (m >= 1 && m <= 12 && d > days_in_month(y, m) && (d / 10 == 6 || d / 10 == 8) && d % 10 >= 1) {
		d %= 10; /* 0 read as 8 or 6: "2027.04.81" */
		*repaired = true;
	}
	if (m >= 1 && m <= 12 && d > days_in_month(y, m) && d / 10 == 3 && (d % 10 == 6 || d % 10 == 8) &&
	    days_in_month(y, m) >= 30) {
		d = 30; /* the 0 of 30 read as 6 or 8: "01 月 36 日" */
		*repaired = true;
	}
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return true;
}

/* An era prefix at s[i]: 令和/R (2018+n) or 平成/H (1988+n). *guessed when
 * only the 和 of 令和 was read ("倒和 9 年"): then the year must end in 年. */
static int era_base(const char *s, size_t *i, bool *guessed)
{
	*guessed = false;
	if (strncmp(s + *i, "令和", 6) == 0) {
		*i += 6;
		return 2018;
	}
	if (strncmp(s + *i, "和", 3) == 0 && !(*i >= 3 && strncmp(s + *i - 3, "令", 3) == 0)) {
		size_t j = *i + 3, k;
		skip_spaces(s, &j);
		k = j;
		int y;
		if (read_num(s, &k, 2, &y) == 0 || y < 1)
			return 0;
		skip_spaces(s, &k);
		if (strncmp(s + k, "年", 3) != 0)
			return 0;
		*i += 3;
		*guessed = true;
		return 2018;
	}
	if (strncmp(s + *i, "令", 3) == 0 && strncmp(s + *i + 3, "和", 3) != 0) {
		/* 和 misread: "令知 7 年" (only with a year and 年 after it) */
		size_t j = *i + 3;
		skip_spaces(s, &j);
		const unsigned char *u = (const unsigned char *)s + j;
		if (u[0] >= 0xE4 && u[0] <= 0xE9 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
			size_t k = j + 3;
			skip_spaces(s, &k);
			size_t e = k;
			int y;
			if (read_num(s, &e, 2, &y) > 0 && y >= 1 && !is_digit(s[e])) {
				skip_spaces(s, &e);
				if (strncmp(s + e, "年", 3) == 0) {
					*i = j + 3;
					*guessed = true;
					return 2018;
				}
			}
		}
	}
	if (strncmp(s + *i, "平成", 6) == 0) {
		*i += 6;
		return 1988;
	}
	/* "MR9.8.12 18:14": one letter glued before the era is a speck */
	bool speck = *i >= 1 && is_alpha(s[*i - 1]) && (*i == 1 || s[*i - 2] == ' ') && is_digit(s[*i + 1]);
	if ((s[*i] == 'R' || s[*i] == 'H') && (*i == 0 || !is_alpha(s[*i - 1]) || speck)) {
		size_t j = *i + 1;
		/* "RT7.11.25": a letter between the era and a dotted year is a
		 * speck too */
		bool inner = is_alpha(s[j]) && is_digit(s[j + 1]) && (s[j + 2] == '.' || (is_digit(s[j + 2]) && s[j + 3] == '.'));
		if (s[j] == '.' || s[j] == ' ' || inner)
			j++;
		if (!is_digit(s[j]))
			return 0;
		int base = s[*i] == 'R' ? 2018 : 1988;
		*i = j;
		*guessed = speck || inner;
		return base;
	}
	return 0;
}

/* "R912.11": the dot after a one-digit era year lost, so the year ran into
 * the month; s[j] is the month's second digit. Read as "R9.12.11" when the
 * rest is dotted like that (the caller has ruled out a two-digit year). */
static bool era_dot_lost(const char *s, size_t j, int year, char out[11])
{
	char tmp[16];
	size_t n = 0;
	tmp[n++] = '.';
	tmp[n++] = s[j - 1];
	for (size_t k = j; s[k] && n < sizeof(tmp) - 1 && (is_digit(s[k]) || s[k] == '.'); k++)
		tmp[n++] = s[k];
	tmp[n] = '\0';
	bool rep;
	return finish_date(tmp, 0, year, out, &rep) && !rep;
}

/* The 0 of a year 20xx read as 6, 8 or 9 ("2627", "2927"), or its 2 as 1
 * ("1026"): the year it was, when that is a plausible purchase year
 * (2010-2039); else 0. */
static int year_misread(int y)
{
	int h = y / 100 % 10, t = y / 10 % 10;
	if (y / 1000 == 1 && h == 0 && t >= 1 && t <= 3)
		return 2000 + y % 100; /* "1026 年": the 2 read as 1 */
	return y / 1000 == 2 && (h == 6 || h == 8 || h == 9) && t >= 1 && t <= 3 ? 2000 + y % 100 : 0;
}

/* A date with mixed or misread separators, taken only with a time after
 * it: a two-digit year ("26.05-06 21:19", the second dot read as a colon
 * "25.07:27 13:07:42"), or a year 2010-2039 whose first separator was lost
 * or whose second is a comma ("2027 07/26 10:15", "2026/03,05 15:10").
 * s[j] is the first separator; y the year as read (2 or 4 digits). */
static bool loose_date_before_time(const char *s, size_t j, int y, char out[11])
{
	bool long_year = y >= 100;
	if (long_year && (y < 2010 || y > 2039))
		return false;
	/* a colon first only after a year no hour can be: "27:05:27 11:30" */
	const char *first = long_year ? "./-, " : y > 23 ? "./-:" : "./-", *second = long_year ? "./-,:" : "./-:";
	/* in this order: each test reads only after the one before held */
	if (!(s[j] && strchr(first, s[j]) && is_digit(s[j + 1]) && is_digit(s[j + 2]) && s[j + 3] &&
	      strchr(second, s[j + 3]) && is_digit(s[j + 4]) && is_digit(s[j + 5]) && s[j + 6] == ' '))
		return false;
	size_t k = j + 6;
	skip_spaces(s, &k);
	if (!time_follows(s + k))
		return false;
	char tmp[8] = {'.', s[j + 1], s[j + 2], '.', s[j + 4], s[j + 5], '\0'};
	bool rep;
	return finish_date(tmp, 0, long_year ? y : 2000 + y, out, &rep) && !rep;
}

/* "2027 生 1 月 4 日": 年 read as another kanji; rest is what follows that
 * glyph. Taken only in the full kanji form, with 月 and 日 (or the weekday
 * or time that stands in for a lost 日) read. */
static bool year_kanji_misread(const char *rest, int y, char out[11])
{
	char tmp[96];
	int len = snprintf(tmp, sizeof(tmp), "年 %s", rest);
	bool rep;
	/* one glyph misread: 月 itself must be read */
	return len > 0 && strstr(tmp, "月") && finish_date(tmp, 0, y, out, &rep);
}

/* "2 0 2 5 年 1 1 月 2 日": OCR spaced every digit of a date in the kanji
 * form. The line with the spaces between digits taken out, when it has 年
 * and 月 and the line as read held no date. */
static bool spaced_digits_date(const char *s, char out[11], float *quality)
{
	char tmp[160];
	size_t n = 0;
	bool dropped = false;
	if (!strstr(s, "年") || !strstr(s, "月"))
		return false;
	for (size_t i = 0; s[i] && n < sizeof(tmp) - 1; i++) {
		if (s[i] == ' ' && i > 0 && is_digit(s[i - 1]) && is_digit(s[i + 1])) {
			dropped = true;
			continue;
		}
		tmp[n++] = s[i];
	}
	tmp[n] = '\0';
	float q;
	if (!dropped || !recam_parse_date(tmp, out, &q))
		return false;
	*quality = q < 0.6f ? q : 0.6f;
	return true;
}

bool recam_parse_date(const char *s, char out[11], float *quality)
{
	bool rep, guessed;
	for (size_t i = 0; s[i]; i++) {
		size_t j = i;
		int base = era_base(s, &j, &guessed);
		int y;
		if (base) {
			skip_spaces(s, &j);
			if (strncmp(s + j, "元", 3) == 0) {
				y = 1;
				j += 3;
			} else if (read_num(s, &j, 2, &y) == 0) {
				continue;
			}
			if (is_digit(s[j]) && base + y > 2099 && (s[i] == 'R' || s[i] == 'H') &&
			    era_dot_lost(s, j, base + y / 10, out)) {
				*quality = 0.5f; /* "R912.11": the dot after the era year lost */
				return true;
			}
			if (is_digit(s[j]) || y < 1)
				continue;
			if (finish_date(s, j, base + y, out, &rep)) {
				*quality = rep || guessed ? 0.7f : 1.0f;
				return true;
			}
			continue;
		}
		if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1])))
			continue;
		int nd = read_num(s, &j, 4, &y);
		if (nd < 4 && s[j] == ' ') {
			/* "202 6 年": a space inside the year, only in the 年 form */
			size_t k = j + 1;
			int rest;
			int nr = read_num(s, &k, 4 - nd, &rest);
			size_t u = k;
			skip_spaces(s, &u);
			if (nr == 4 - nd && !is_digit(s[k]) && strncmp(s + u, "年", 3) == 0) {
				for (int r = 0; r < nr; r++)
					y *= 10;
				y += rest;
				nd = 4;
				j = k;
			}
		}
		if (nd == 4 && is_digit(s[j]) && !is_digit(s[j + 1]) && y % 1000 / 100 == 2 &&
		    finish_date(s, j + 1, y % 1000 * 10 + (s[j] - '0'), out, &rep)) {
			*quality = rep ? 0.5f : 0.7f; /* "92027.06.13": a speck before the year */
			return true;
		}
		if (nd == 4 && y >= 2001 && y <= 2003 && is_digit(s[j]) && !is_digit(s[j + 1]) &&
		    finish_date(s, j + 1, 2000 + (y % 10) * 10 + (s[j] - '0'), out, &rep)) {
			*quality = 0.5f; /* "20027/12/05": the 0 of 20xx read twice */
			return true;
		}
		if (nd == 4 && y >= 2090 && y <= 2093 && is_digit(s[j]) && !is_digit(s[j + 1]) &&
		    finish_date(s, j + 1, 2000 + (y % 10) * 10 + (s[j] - '0'), out, &rep)) {
			*quality = 0.5f; /* "20927/12/95": the 0 of 20xx read as "09" */
			return true;
		}
		if (is_digit(s[j]))
			continue;
		if (nd == 4 && y >= 1989 && y <= 2099 && s[j] == ' ') {
			/* "2027 人 年 12 月 19 日": a speck between the year and 年 */
			size_t k = j + 1;
			const unsigned char *u = (const unsigned char *)s + k;
			if (u[0] >= 0xE3 && u[0] <= 0xE9 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
			    strncmp(s + k, "年", 3) != 0) {
				k += 3;
				skip_spaces(s, &k);
				if (strncmp(s + k, "年", 3) == 0 && finish_date(s, k, y, out, &rep)) {
					*quality = 0.7f;
					return true;
				}
				if (year_kanji_misread(s + k, y, out)) {
					*quality = 0.5f;
					return true;
				}
			}
		}
		if (nd == 4 && finish_date(s, j, y, out, &rep)) {
			*quality = rep ? 0.7f : 1.0f;
			return true;
		}
		if (nd == 4 && year_misread(y) && finish_date(s, j, year_misread(y), out, &rep)) {
			*quality = 0.5f; /* "2627 年", "2927.01.05", "1026 年": a digit of 20xx misread */
			return true;
		}
		/* "11/27/2025": month first, as English receipts print it */
		if (nd <= 2 && s[j] == '/') {
			size_t k = j + 1;
			int dd, yy;
			if (read_num(s, &k, 2, &dd) > 0 && s[k] == '/') {
				k++;
				if (read_num(s, &k, 4, &yy) == 4 && !is_digit(s[k]) && y >= 1 && y <= 12 && dd >= 1 &&
				    yy >= 2000 && yy <= 2099 && dd <= days_in_month(yy, y)) {
					char tmp[32];
					int len = snprintf(tmp, sizeof(tmp), "%04d/%02d/%02d", yy, y, dd);
					if (len == 10 && finish_date(tmp, 4, yy, out, &rep) && !rep) {
						*quality = 0.9f;
						return true;
					}
				}
			}
		}
		/* "202 7 年 6 月 25 日": a space read inside the year, only in the
		 * 年 form */
		if (nd == 3 && y >= 199 && y <= 209 && s[j] == ' ' && is_digit(s[j + 1]) && !is_digit(s[j + 2])) {
			size_t k = j + 2;
			skip_spaces(s, &k);
			if (strncmp(s + k, "年", 3) == 0 && finish_date(s, k, y * 10 + (s[j + 1] - '0'), out, &rep)) {
				*quality = 0.7f;
				return true;
			}
		}
		/* "027 年 04 月 03 日": the 2 of the year lost, only in the 年 form */
		if (nd == 3 && s[i] == '0' && strncmp(s + j + (s[j] == ' '), "年", 3) == 0 &&
		    finish_date(s, j, 2000 + y, out, &rep)) {
			*quality = rep ? 0.5f : 0.7f;
			return true;
		}
		/* "。025/11/19(水) 09:06": the 2 of the year lost, with a weekday or
		 * a time after the date */
		if (nd == 3 && s[i] == '0' && (s[j] == '/' || s[j] == '.' || s[j] == '-') && time_or_weekday_after(s, j) &&
		    finish_date(s, j, 2000 + y, out, &rep)) {
			*quality = 0.5f;
			return true;
		}
		/* "26/11/20", "27 年 02 月 23 日": two-digit year, only with slashes
		 * or 年 */
		size_t u = j;
		skip_spaces(s, &u);
		if (nd == 2 && (s[j] == '/' || strncmp(s + u, "年", 3) == 0) && finish_date(s, j, 2000 + y, out, &rep)) {
			*quality = rep ? 0.5f : 0.7f;
			return true;
		}
		/* "26-11-20": with hyphens only as the whole token (a phone number or
		 * code has longer groups or more of them) */
		if (nd == 2 && s[j] == '-' && (i == 0 || s[i - 1] == ' ') && finish_date(s, j, 2000 + y, out, &rep)) {
			size_t e = j + 6;
			if (s[j + 5] == ' ' && is_digit(s[j + 6]) && s[j + 7] == ' ')
				e = j + 7; /* the day split before the time: "26-04-1 1 13:37" */
			/* or with the time run into the day: "25-12-0314:22" */
			bool run_in = strlen(s) >= e + 3 && is_digit(s[e]) && is_digit(s[e + 1]) && s[e + 2] == ':';
			if (strlen(s) >= e && (s[e] == '\0' || s[e] == ' ' || run_in) && is_digit(s[e - 1]) && s[j + 3] == '-') {
				*quality = rep ? 0.5f : 0.7f;
				return true;
			}
		}
		if ((nd == 2 || nd == 4) && (i == 0 || s[i - 1] == ' ') && loose_date_before_time(s, j, y, out)) {
			*quality = 0.5f;
			return true;
		}
	}
	return spaced_digits_date(s, out, quality);
}

/* out = "HH:MM" (h 0..23, m 0..59). */
static void put_hhmm(char out[6], int h, int m)
{
	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}

/* "2026.06.1409:15": the time run into a date's two-digit day; i is the
 * hour's first digit, two digits after a date separator. */
static bool after_run_in_day(const char *s, size_t i)
{
	return i >= 4 && is_digit(s[i - 1]) && is_digit(s[i - 2]) && (s[i - 3] == '.' || s[i - 3] == '/' || s[i - 3] == '-') &&
	       is_digit(s[i - 4]) && is_digit(s[i]) && is_digit(s[i + 1]) && s[i + 2] == ':';
}

/* "2027-06-25 13.42", "2025-06-24 10-56": after a date on its line, a
 * word of two digits, a dot or hyphen and two digits is the time with its
 * colon misread (quality 0.7). */
static bool time_after_date(const char *s, char out[6], float *quality)
{
	char d[11];
	float q;
	if (!recam_parse_date(s, d, &q))
		return false;
	for (size_t i = 1; s[i]; i++) {
		if (s[i - 1] != ' ' || !is_digit(s[i]) || !is_digit(s[i + 1]) || (s[i + 2] != '.' && s[i + 2] != '-') ||
		    !is_digit(s[i + 3]) || !is_digit(s[i + 4]) || (s[i + 5] != '\0' && s[i + 5] != ' '))
			continue;
		int h = (s[i] - '0') * 10 + (s[i + 1] - '0'), m = (s[i + 3] - '0') * 10 + (s[i + 4] - '0');
		if (h > 23 || m > 59)
			continue;
		memcpy(out, s + i, 5);
		out[2] = ':';
		out[5] = '\0';
		*quality = 0.7f;
		return true;
	}
	/* the colon lost: "2026-06-20 1343" (a word of four digits, not the
	 * year), "( 木 ) 17 15" (two words of two after the weekday), last on
	 * the line */
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	int h = -1, m = -1;
	if (n >= 5 && s[n - 5] == ' ' && is_digit(s[n - 4]) && is_digit(s[n - 3]) && is_digit(s[n - 2]) &&
	    is_digit(s[n - 1]) && memcmp(s + n - 4, d, 4) != 0) {
		h = (s[n - 4] - '0') * 10 + (s[n - 3] - '0');
		m = (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
	} else if (n >= 7 && s[n - 6] == ' ' && s[n - 3] == ' ' && is_digit(s[n - 5]) && is_digit(s[n - 4]) &&
		   is_digit(s[n - 2]) && is_digit(s[n - 1]) && strrchr(s, ')') && strrchr(s, ')') < s + n - 6 &&
		   recam_parse_weekday(s) >= 0) {
		h = (s[n - 5] - '0') * 10 + (s[n - 4] - '0');
		m = (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
	}
	if (h < 0 || h > 23 || m > 59)
		return false;
	put_hhmm(out, h, m);
	*quality = 0.5f;
	return true;
}

static bool scan_time(const char *s, char out[6], float *quality)
{
	for (size_t i = 0; s[i]; i++) {
		if (!is_digit(s[i]) ||
		    (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == ':' || s[i - 1] == '-') && !after_run_in_day(s, i)))
			continue;
		size_t j = i;
		int h, m;
		if (read_num(s, &j, 2, &h) == 0 || is_digit(s[j]))
			continue;
		/* "(日) ] 2:05": the 1 of the hour read as ] or | */
		bool one = j == i + 1 && s[j] == ':' && h <= 3 && i >= 2 &&
			   (s[i - 1] == ']' || s[i - 1] == '|' || (s[i - 1] == ' ' && (s[i - 2] == ']' || s[i - 2] == '|')));
		if (one)
			h += 10;
		/* "( 水 ) 1 5:27": OCR split the hour's two digits */
		bool split = !one && j == i + 1 && s[j] == ':' && i >= 2 && s[i - 1] == ' ' && is_digit(s[i - 2]) &&
			     (i == 2 || s[i - 3] == ' ' || s[i - 3] == ')') && (s[i - 2] - '0') * 10 + h <= 23;
		if (split)
			h += (s[i - 2] - '0') * 10;
		bool kanji = false;
		size_t k = j;
		skip_spaces(s, &k); /* OCR spaces the kanji form: "18 時 19 分" */
		bool spaced = false;
		if (s[j] == ':') {
			j++;
			/* "20: 10": a space read after the colon */
			spaced = s[j] == ' ' && is_digit(s[j + 1]) && is_digit(s[j + 2]) && !is_digit(s[j + 3]);
			j += spaced;
		} else if (strncmp(s + k, "時", 3) == 0) {
			j = k + 3;
			skip_spaces(s, &j);
			kanji = true;
		} else
			continue;
		int md = read_num(s, &j, 2, &m);
		if (kanji && md == 1) {
			size_t u = j;
			skip_spaces(s, &u);
			if (strncmp(s + u, "分", 3) == 0)
				md = 2; /* "9時5分" */
		}
		/* "15:5751": the seconds' colon lost (HH:MM:SS), on a date's line */
		bool sec_run = false;
		if (md == 2 && !kanji && is_digit(s[j]) && is_digit(s[j + 1]) && !is_digit(s[j + 2]) &&
		    (s[j] - '0') * 10 + (s[j + 1] - '0') <= 59) {
			char d[11];
			float dq;
			sec_run = recam_parse_date(s, d, &dq);
			j += sec_run ? 2 : 0;
		}
		if (md != 2 || is_digit(s[j]))
			continue;
		if (!kanji && s[j] == '-')
			continue;
		/* opening hours, "9:00~22:00", are no time of purchase */
		if (s[j] == '~' || strncmp(s + j, "〜", 3) == 0 || strncmp(s + j, "～", 3) == 0 ||
		    (i > 0 && (s[i - 1] == '~' || (i >= 3 && (strncmp(s + i - 3, "〜", 3) == 0 || strncmp(s + i - 3, "～", 3) == 0)))))
			continue;
		/* "16 時 96 分", "98:45": 0 read as 9, as in dates */
		bool nines = false;
		if (m > 59 && nines_to_zeros(m) <= 59) {
			m = nines_to_zeros(m);
			nines = true;
		} else if (m >= 60 && m <= 69) {
			m %= 10; /* "12:64": 0 read as 6 */
			nines = true;
		}
		if (h >= 90) { /* "99:11" is 09:11: the hour's second 9 is as printed */
			h %= 10;
			nines = true;
		} else if (h == 26 || h == 29) {
			h = 20; /* "29:56", "26:35": the 0 of 20 read as 9 or 6 */
			nines = true;
		}
		if (h > 23 || m > 59)
			continue;
		put_hhmm(out, h, m);
		*quality = nines ? 0.7f : one || sec_run ? 0.8f : split || spaced ? 0.9f : 1.0f;
		return true;
	}
	return time_after_date(s, out, quality);
}

/* "2025 年 中 月 09 日 ll:31": after a date on its line, an hour of l, I
 * or | with a digit (1 read as a letter) before the colon. */
static bool time_with_letter_ones(const char *s, char out[6], float *quality)
{
	char buf[256], d[11];
	size_t n = strlen(s);
	float q;
	if (n >= sizeof(buf) || !recam_parse_date(s, d, &q))
		return false;
	memcpy(buf, s, n + 1);
	bool changed = false;
	for (size_t i = 0; i + 2 < n; i++) {
		if ((i > 0 && buf[i - 1] != ' ') || buf[i + 2] != ':')
			continue;
		bool a = buf[i] == 'l' || buf[i] == 'I' || buf[i] == '|', b = buf[i + 1] == 'l' || buf[i + 1] == 'I' || buf[i + 1] == '|';
		if ((a || b) && (a || is_digit(buf[i])) && (b || is_digit(buf[i + 1]))) {
			buf[i] = a ? '1' : buf[i];
			buf[i + 1] = b ? '1' : buf[i + 1];
			changed = true;
		}
	}
	if (!changed || !scan_time(buf, out, quality))
		return false;
	*quality = *quality < 0.7f ? *quality : 0.7f;
	return true;
}

bool recam_parse_time(const char *s, char out[6], float *quality)
{
	return scan_time(s, out, quality) || time_with_letter_ones(s, out, quality);
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
		if (ng == 3) {
			for (int g = 0; g < 3; g++) {
				if (g)
					out[o++] = '-';
				for (int k = 0; k < glen[g]; k++)
					out[o++] = digits[d++];
			}
			*quality = lead ? 0.8f : spaced ? 0.9f : 1.0f;
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

int recam_parse_weekday(const char *s)
{
	static const char *const days[7] = {"日", "月", "火", "水", "木", "金", "土"};
	for (const char *p = strchr(s, '('); p; p = strchr(p + 1, '(')) {
		const char *q = p + 1;
		while (*q == ' ')
			q++;
		for (int d = 0; d < 7; d++)
			if (strncmp(q, days[d], 3) == 0) {
				const char *e = q + 3;
				while (*e == ' ')
					e++;
				if (*e == ')')
					return d;
			}
	}
	return -1;
}

int recam_parse_date_weekday(const char date[11])
{
	/* Sakamoto's method; date is YYYY-MM-DD */
	static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
	int m = (date[5] - '0') * 10 + (date[6] - '0');
	int d = (date[8] - '0') * 10 + (date[9] - '0');
	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* A date the printed weekday contradicts: when exactly one reading of the
 * day with a 0 misread as 9, 6 or 8 (the commonest slips) falls on that
 * weekday, that is the day ("2026/96/19(水)" → 06-10). d is changed then. */
bool recam_parse_date_by_weekday(char d[11], int wd)
{
	static const char slips[] = "968";
	int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	int m = (d[5] - '0') * 10 + (d[6] - '0');
	if (m < 1 || m > 12)
		return false;
	char found[11] = "";
	int n = 0;
	for (int mask = 1; mask < 4; mask++) {
		char c[11];
		memcpy(c, d, 11);
		bool changed = true;
		for (int pos = 0; pos < 2 && changed; pos++)
			if (mask & (1 << pos))
				changed = strchr(slips, c[8 + pos]) != NULL && (c[8 + pos] = '0');
		int day = (c[8] - '0') * 10 + (c[9] - '0');
		if (!changed || day < 1 || day > days_in_month(y, m))
			continue;
		if (recam_parse_date_weekday(c) == wd && strcmp(c, found) != 0) {
			memcpy(found, c, 11);
			n++;
		}
	}
	if (n != 1)
		return false;
	memcpy(d, found, 11);
	return true;
}
