/* clock.c — wall clock with an injectable offset; monotonic clock. */
#include "clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error.h"

static _Atomic int64_t clock_offset_ms;

int64_t recam_clock_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + atomic_load(&clock_offset_ms);
}

void recam_clock_set_offset_ms(int64_t offset) { atomic_store(&clock_offset_ms, offset); }
int64_t recam_clock_offset_ms(void) { return atomic_load(&clock_offset_ms); }

uint64_t recam_clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void recam_clock_format_rfc3339(int64_t unix_s, char *out, size_t n)
{
	time_t t = (time_t)unix_s;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void recam_clock_format_rfc3339_ms(int64_t unix_ms, char *out, size_t n)
{
	time_t t = (time_t)(unix_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char base[24];
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, n, "%s.%03dZ", base, (int)(unix_ms % 1000));
}

void recam_clock_format_day(int64_t unix_s, char *out, size_t n)
{
	time_t t = (time_t)unix_s;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil), valid for any year. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return RECAM_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, m) || s[7] != '-' || digits(s + 8, 2, d))
		return RECAM_EINVAL;
	if (*y < 1970 || *y > 9999 || *m < 1 || *m > 12 || *d < 1)
		return RECAM_EINVAL;
	if (*d > mdays[*m - 1] + (*m == 2 && is_leap(*y)))
		return RECAM_EINVAL;
	return 0;
}

int recam_clock_parse_date(const char *s, int64_t *days)
{
	int y, m, d;
	if (strlen(s) != 10 || parse_ymd(s, &y, &m, &d) != 0)
		return RECAM_EINVAL;
	*days = days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

int recam_clock_parse_rfc3339(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec;
	size_t n = strlen(s);
	if (n < 20 || parse_ymd(s, &y, &mo, &d) != 0 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
		return RECAM_EINVAL;
	if (h > 23 || mi > 59 || sec > 60)
		return RECAM_EINVAL;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return RECAM_EINVAL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	int64_t offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return RECAM_EINVAL;
		offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return RECAM_EINVAL;
	}
	if (*p != '\0')
		return RECAM_EINVAL;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec) - offset;
	return 0;
}

void recam_clock_format_daynum(int64_t days, char *out, size_t n) { recam_clock_format_day(days * 86400, out, n); }
