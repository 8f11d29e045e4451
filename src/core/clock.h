/* clock.h — the one source of wall-clock time. Tests move time through
 * recam_clock_set_offset_ms() (or RECAM_TEST_CLOCK_OFFSET in a test build),
 * so timeouts, rotation and retention are testable without sleeping. */
#ifndef RECAM_CLOCK_H
#define RECAM_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the Unix epoch, UTC, plus the injected offset. */
int64_t recam_clock_now_ms(void);
static inline int64_t recam_clock_now(void) { return recam_clock_now_ms() / 1000; }
void recam_clock_set_offset_ms(int64_t offset);
int64_t recam_clock_offset_ms(void);
/* Monotonic nanoseconds for durations; not affected by the offset. */
uint64_t recam_clock_mono_ns(void);

/* 2026-11-25T19:40:00Z / 2026-11-25T19:40:00.123Z */
void recam_clock_format_rfc3339(int64_t unix_s, char *out, size_t n);
void recam_clock_format_rfc3339_ms(int64_t unix_ms, char *out, size_t n);
/* YYYY-MM-DD of the UTC day. */
void recam_clock_format_day(int64_t unix_s, char *out, size_t n);

/* Parses RFC 3339 ("2026-11-20T09:00:00+09:00", "...Z", fractions ignored)
 * into unix seconds. RECAM_EINVAL when malformed or out of range. */
int recam_clock_parse_rfc3339(const char *s, int64_t *out);
/* Parses "YYYY-MM-DD" into days since 1970-01-01 (a calendar day, no zone). */
int recam_clock_parse_date(const char *s, int64_t *days);
/* Days since 1970-01-01 of the day in Asia/Tokyo (UTC+9, no DST) at unix_s:
 * a campaign's "day". */
static inline int64_t recam_clock_tokyo_day(int64_t unix_s)
{
	int64_t t = unix_s + 9 * 3600;
	return t >= 0 ? t / 86400 : (t - 86399) / 86400;
}
/* "YYYY-MM-DD" of a day number. */
void recam_clock_format_daynum(int64_t days, char *out, size_t n);

#endif
