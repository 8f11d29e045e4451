/* clock.c — wall clock with an injectable offset; monotonic clock. */
#include "clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

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
