/* parse_date.c — scanners for the date (Gregorian and Japanese eras, with
 * the slips photos make in them: 0 read as 9, 6 or 8, 日 lost or misread,
 * the era's dot lost), the time and the printed weekday of one normalized
 * receipt line. Each returns how clean the match was so the parser can
 * lower confidence when it had to repair a slip. */
#include "receipt/parse_int.h"

#include <stdio.h>
#include <string.h>

#include "receipt/receipt.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

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

static bool finish_date(const char *s, size_t i, int y, char out[11], bool *repaired);

/* A year read with one digit too many ("20256", the 20 first): each year
 * that drops one of the last three digits is tried with the rest of the
 * date at s[i]; the one whose weekday is the one printed after it, when
 * exactly one is, gives the date. */
static bool year_glyph_added(const char *s, size_t i, int y4, int d5, char out[11])
{
	int wd = recam_parse_weekday(s + i);
	if (wd < 0)
		return false;
	int d3 = y4 / 10 % 10, d4 = y4 % 10;
	const int years[3] = {2000 + d3 * 10 + d4, 2000 + d3 * 10 + d5, 2000 + d4 * 10 + d5};
	int found = 0, last = -1;
	char got[11];
	for (int k = 0; k < 3; k++) {
		char d[11];
		bool rep;
		if (years[k] == last || !finish_date(s, i, years[k], d, &rep) || rep || recam_parse_date_weekday(d) != wd)
			continue;
		if (found == 0 || strcmp(d, got) != 0)
			found++;
		memcpy(got, d, sizeof got);
		last = years[k];
	}
	if (found != 1)
		return false;
	memcpy(out, got, sizeof got);
	return true;
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

/* The weekday of y-m-d, 0 = Sunday (Sakamoto's method). */
static int weekday_of(int y, int m, int d)
{
	static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
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
	/* "2025/12/097( 日 )": a glyph read into the day before the weekday;
	 * the weekday says which two of the three digits are the day. Before a
	 * time, without a weekday, only when all two-digit days the three
	 * digits hold are one ("25-01-300 09:14") */
	if (s2 != 'k' && is_digit(s[i - 1]) && is_digit(s[i - 2]) && is_digit(s[i]) && !is_digit(s[i + 1]) &&
	    m >= 1 && m <= 12 && y >= 1989 && y <= 2099) {
		size_t j = i + 1;
		skip_spaces(s, &j);
		int wd = s[j] == '(' ? recam_parse_weekday(s + j) : -1;
		bool timed = wd < 0 && j > i + 1 && time_follows(s + j);
		const char g[3] = {s[i - 2], s[i - 1], s[i]};
		static const int pick[3][2] = {{0, 1}, {0, 2}, {1, 2}};
		int found = -1, n = 0;
		for (int k = 0; (wd >= 0 || timed) && k < 3; k++) {
			int dd = (g[pick[k][0]] - '0') * 10 + (g[pick[k][1]] - '0');
			if (dd >= 1 && dd <= days_in_month(y, m) && (timed || weekday_of(y, m, dd) == wd) && dd != found) {
				found = dd;
				n++;
			}
		}
		if (n == 1) {
			d = found;
			i++;
			*repaired = true;
		}
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
 * "25.07:27 13:07:42" or lost "26-12 06 21:41"), or a year 2010-2039 whose first separator was lost
 * or whose second is a comma ("2027 07/26 10:15", "2026/03,05 15:10").
 * s[j] is the first separator; y the year as read (2 or 4 digits). */
static bool loose_date_before_time(const char *s, size_t j, int y, char out[11])
{
	bool long_year = y >= 100;
	if (long_year && (y < 2010 || y > 2039))
		return false;
	/* a colon first only after a year no hour can be: "27:05:27 11:30" */
	const char *first = long_year ? "./-, " : y > 23 ? "./-:" : "./-", *second = long_year ? "./-,:" : "./-: ";
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
		if (nd == 4 && y >= 2000 && y <= 2099 && is_digit(s[j]) && !is_digit(s[j + 1]) &&
		    year_glyph_added(s, j + 1, y, s[j] - '0', out)) {
			*quality = 0.5f; /* "20256 年 2 月 8 日 (日)": one digit too many */
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
			int dd, yy, mon = y;
			/* the month's 0 read as 6, 8 or 9: "66/29/2025" (not "16/04",
			 * which may be a day first) */
			bool slip = nd == 2 && mon % 10 >= 1 && (mon / 10 == 6 || mon / 10 == 8 || mon / 10 == 9);
			if (slip)
				mon %= 10;
			if (read_num(s, &k, 2, &dd) > 0 && s[k] == '/') {
				k++;
				if (read_num(s, &k, 4, &yy) == 4 && !is_digit(s[k]) && mon >= 1 && mon <= 12 && dd >= 1 &&
				    yy >= 2000 && yy <= 2099 && dd <= days_in_month(yy, mon)) {
					char tmp[32];
					int len = snprintf(tmp, sizeof(tmp), "%04d/%02d/%02d", yy, mon, dd);
					if (len == 10 && finish_date(tmp, 4, yy, out, &rep) && !rep) {
						*quality = slip ? 0.6f : 0.9f;
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
			else if (rep && is_digit(s[e]) && s[e + 1] == ' ' && time_follows(s + e + 2))
				e++; /* a glyph read into the day: "25-01-300 09:14" */
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
		/* "18 :58": a space read before the colon, two digits before and
		 * after it ("1 :41" may have lost a digit there) */
		bool spaced = j == i + 2 && s[j] == ' ' && s[j + 1] == ':' && is_digit(s[j + 2]) && is_digit(s[j + 3]) &&
			      !is_digit(s[j + 4]);
		j += spaced;
		if (s[j] == ':') {
			j++;
			/* "20: 10": a space read after the colon */
			bool after = !spaced && s[j] == ' ' && is_digit(s[j + 1]) && is_digit(s[j + 2]) && !is_digit(s[j + 3]);
			j += after;
			spaced = spaced || after;
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
	/* date is YYYY-MM-DD */
	int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
	int m = (date[5] - '0') * 10 + (date[6] - '0');
	int d = (date[8] - '0') * 10 + (date[9] - '0');
	return weekday_of(y, m, d);
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
	/* else the day's first digit lost: "2025 年 2 月 3 日 ( 木 )" for the
	 * 13th (of 505 weekdays read on dev photos, none was misread) */
	if (n == 0 && d[8] == '0')
		for (int lead = 1; lead <= 3; lead++) {
			char c[11];
			memcpy(c, d, 11);
			c[8] = (char)('0' + lead);
			if (lead * 10 + (c[9] - '0') <= days_in_month(y, m) && recam_parse_date_weekday(c) == wd) {
				memcpy(found, c, 11);
				n++;
			}
		}
	if (n != 1)
		return false;
	memcpy(d, found, 11);
	return true;
}
