/* test_lottery.c — instant-win decisions: the unbiased uniform rule (exact,
 * by enumeration), probability-mode odds and slice boundaries, and the
 * fixed-number schedule over a simulated period with uneven traffic.
 * Randomness is injected (a ChaCha20 stream with a fixed key, or scripted
 * words), so every statistical check is deterministic and cannot flake. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/lottery.h"
#include "core/error.h"

/* ---- injected randomness ---- */

typedef struct chacha_src {
	unsigned char key[crypto_stream_chacha20_ietf_KEYBYTES];
	uint32_t block;
	unsigned char buf[4096];
	size_t pos;
} chacha_src;

static void chacha_fill(void *ctx, void *out, size_t len)
{
	chacha_src *c = ctx;
	unsigned char *o = out;
	while (len > 0) {
		if (c->pos == sizeof(c->buf)) {
			static const unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES];
			memset(c->buf, 0, sizeof(c->buf));
			crypto_stream_chacha20_ietf_xor_ic(c->buf, c->buf, sizeof(c->buf), nonce, c->block, c->key);
			c->block += sizeof(c->buf) / 64;
			c->pos = 0;
		}
		size_t n = sizeof(c->buf) - c->pos < len ? sizeof(c->buf) - c->pos : len;
		memcpy(o, c->buf + c->pos, n);
		c->pos += n;
		o += n;
		len -= n;
	}
}

static recam_rng chacha_rng(chacha_src *c, unsigned char key_byte)
{
	memset(c, 0, sizeof(*c));
	memset(c->key, key_byte, sizeof(c->key));
	c->pos = sizeof(c->buf);
	return (recam_rng){chacha_fill, c};
}

/* Hands out given 32-bit words (little-endian), failing the test when the
 * code asks for more than the script holds. */
typedef struct script_src {
	const uint32_t *w;
	size_t n, used;
} script_src;

static void script_fill(void *ctx, void *out, size_t len)
{
	script_src *s = ctx;
	cr_assert_eq(len, 4, "the uniform helper reads whole 32-bit words");
	cr_assert_lt(s->used, s->n, "script exhausted");
	uint32_t v = s->w[s->used++];
	unsigned char *o = out;
	for (int k = 0; k < 4; k++, v >>= 8)
		o[k] = (unsigned char)v;
}

static void setup(void) { cr_assert_geq(sodium_init(), 0); }

TestSuite(lottery, .init = setup);

/* ---- the uniform rule ---- */

Test(lottery, uniform_rule_is_exact_for_every_range_up_to_300_over_all_16_bit_words)
{
	/* The rule is the same code for 16, 32 and 64 bits; at 16 bits every
	 * word can be enumerated, so the distribution is checked exactly. */
	static uint32_t count[65536];
	uint64_t uppers[310];
	size_t nu = 0;
	for (uint64_t u = 1; u <= 300; u++)
		uppers[nu++] = u;
	const uint64_t big[] = {255, 256, 257, 1000, 21845, 32767, 32768, 32769, 40000, 65535};
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++)
		uppers[nu++] = big[i];
	for (size_t t = 0; t < nu; t++) {
		uint64_t upper = uppers[t];
		memset(count, 0, upper * sizeof(count[0]));
		uint64_t accepted = 0;
		for (uint64_t r = 0; r < 65536; r++) {
			uint64_t v;
			if (recam_lottery_uniform_accept(r, 16, upper, &v)) {
				cr_assert_lt(v, upper);
				count[v]++;
				accepted++;
			}
		}
		cr_assert_eq(accepted, 65536 - 65536 % upper, "upper %llu", (unsigned long long)upper);
		for (uint64_t v = 0; v < upper; v++)
			cr_assert_eq(count[v], accepted / upper, "upper %llu: value %llu seen %u times",
				     (unsigned long long)upper, (unsigned long long)v, count[v]);
	}
}

Test(lottery, rejection_threshold_is_two_to_the_bits_mod_upper_for_32_and_64_bits)
{
	const uint64_t ups[] = {1, 2, 3, 6, 7, 1000000, 4294967295u, 4294967296ull, 0x8000000000000001ull,
				12345678901234567ull, UINT64_MAX};
	for (size_t i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
		unsigned __int128 two64 = (unsigned __int128)1 << 64;
		cr_assert_eq(recam_lottery_uniform_reject_below(64, ups[i]), (uint64_t)(two64 % ups[i]));
		if (ups[i] <= 4294967295u)
			cr_assert_eq(recam_lottery_uniform_reject_below(32, ups[i]), (1ull << 32) % ups[i]);
	}
	uint64_t v = 99;
	/* The very first accepted word of a range and the last rejected one. */
	cr_assert(recam_lottery_uniform_accept(1, 64, 3, &v) && v == 1); /* 2^64 mod 3 = 1 */
	cr_assert_not(recam_lottery_uniform_accept(0, 64, 3, &v));
	cr_assert(recam_lottery_uniform_accept(UINT64_MAX, 64, 3, &v) && v == UINT64_MAX % 3);
	cr_assert_not(recam_lottery_uniform_accept(65536, 16, 3, &v), "a word wider than its bits");
	cr_assert_not(recam_lottery_uniform_accept(5, 16, 0, &v), "an empty range");
}

Test(lottery, uniform_skips_rejected_words_of_the_stream_and_reduces_the_rest)
{
	/* upper = 2^31 + 1 rejects nearly half the words: 2^32 mod upper = 2^31 - 1. */
	const uint32_t w[] = {0, 0x7ffffffe, 0x7fffffff, 5, 0xffffffff};
	script_src s = {w, 5, 0};
	recam_rng rng = {script_fill, &s};
	cr_assert_eq(recam_lottery_uniform(&rng, 0x80000001u), 0x7fffffff);
	cr_assert_eq(s.used, 3, "both rejected words were consumed, then one accepted");
	/* For upper 3 only word 0 is rejected (2^32 mod 3 = 1). */
	cr_assert_eq(recam_lottery_uniform(&rng, 3), 5 % 3);
	cr_assert_eq(recam_lottery_uniform(&rng, 3), 0xffffffffu % 3);
	cr_assert_eq(recam_lottery_uniform(&rng, 1), 0, "one outcome needs no randomness");
	cr_assert_eq(s.used, 5);
}

Test(lottery, uniform_from_libsodium_stays_in_range_and_covers_it)
{
	int seen[7] = {0};
	for (int i = 0; i < 7000; i++) {
		uint32_t v = recam_lottery_uniform(NULL, 7);
		cr_assert_lt(v, 7);
		seen[v]++;
	}
	for (int v = 0; v < 7; v++)
		cr_assert_gt(seen[v], 700, "value %d seen %d times of 7000", v, seen[v]);
}

/* ---- probability mode ---- */

Test(lottery, probability_frequencies_match_the_stated_odds_over_a_million_entries)
{
	chacha_src c;
	recam_rng rng = chacha_rng(&c, 0x42);
	const recam_lottery_course courses[] = {{100000, 1000000000}, {50000, 1000000000}, {1000, 1000000000}};
	const double p[] = {0.1, 0.05, 0.001, 0.849};
	const int trials = 1000000;
	long got[4] = {0};
	for (int i = 0; i < trials; i++) {
		int won = 7;
		cr_assert_eq(recam_lottery_instant(&rng, courses, 3, &won), 0);
		got[won < 0 ? 3 : won]++;
	}
	/* Chi-square with 3 degrees of freedom; 16.27 is the 0.1% critical value.
	 * The key is fixed, so this is a deterministic check of the odds. */
	double chi = 0;
	for (int i = 0; i < 4; i++) {
		double e = p[i] * trials;
		chi += (got[i] - e) * (got[i] - e) / e;
	}
	cr_assert_lt(chi, 16.27, "chi2 %.2f: %ld %ld %ld none %ld", chi, got[0], got[1], got[2], got[3]);
}

static int instant_with_u(const recam_lottery_course *c, size_t n, uint32_t u)
{
	/* 2^32 mod 10^6 = 967296, so 10^6 + u is accepted and reduces to u. */
	const uint32_t w[] = {1000000u + u};
	script_src s = {w, 1, 0};
	recam_rng rng = {script_fill, &s};
	int won = 7;
	cr_assert_eq(recam_lottery_instant(&rng, c, n, &won), 0);
	cr_assert_eq(s.used, 1, "one draw per entry, whatever the number of courses");
	return won;
}

Test(lottery, courses_take_consecutive_slices_of_a_million_in_the_given_order)
{
	const recam_lottery_course c[] = {{100000, 5}, {50000, 5}, {1000, 5}};
	cr_assert_eq(instant_with_u(c, 3, 0), 0);
	cr_assert_eq(instant_with_u(c, 3, 99999), 0);
	cr_assert_eq(instant_with_u(c, 3, 100000), 1);
	cr_assert_eq(instant_with_u(c, 3, 149999), 1);
	cr_assert_eq(instant_with_u(c, 3, 150000), 2);
	cr_assert_eq(instant_with_u(c, 3, 150999), 2);
	cr_assert_eq(instant_with_u(c, 3, 151000), -1);
	cr_assert_eq(instant_with_u(c, 3, 999999), -1);
}

Test(lottery, a_sold_out_course_loses_its_slice_without_raising_the_others_odds)
{
	const recam_lottery_course c[] = {{100000, 0}, {50000, 3}};
	cr_assert_eq(instant_with_u(c, 2, 500), -1, "course 0 has no stock left");
	cr_assert_eq(instant_with_u(c, 2, 100000), 1, "course 1 keeps exactly its own slice");
	cr_assert_eq(instant_with_u(c, 2, 150000), -1);
	const recam_lottery_course neg[] = {{1000000, -1}};
	cr_assert_eq(instant_with_u(neg, 1, 0), -1, "negative stock is no stock");
}

Test(lottery, certain_impossible_and_invalid_odds)
{
	int won;
	const recam_lottery_course all[] = {{1000000, 1}};
	const recam_lottery_course none[] = {{0, 100}};
	for (int i = 0; i < 1000; i++) {
		cr_assert_eq(recam_lottery_instant(NULL, all, 1, &won), 0);
		cr_assert_eq(won, 0);
		cr_assert_eq(recam_lottery_instant(NULL, none, 1, &won), 0);
		cr_assert_eq(won, -1);
	}
	cr_assert_eq(recam_lottery_instant(NULL, NULL, 0, &won), 0);
	cr_assert_eq(won, -1, "no courses, no win");
	const recam_lottery_course over[] = {{600000, 1}, {400001, 1}};
	cr_assert_eq(recam_lottery_instant(NULL, over, 2, &won), RECAM_EINVAL);
	const recam_lottery_course exact[] = {{600000, 1}, {400000, 1}};
	cr_assert_eq(recam_lottery_instant(NULL, exact, 2, &won), 0);
	cr_assert_geq(won, 0, "odds summing to one million always win");
	const recam_lottery_course huge[] = {{UINT32_MAX, 1}};
	cr_assert_eq(recam_lottery_instant(NULL, huge, 1, &won), RECAM_EINVAL);
}

/* ---- fixed-number mode ---- */

/* 2026-01-01 00:00 in Asia/Tokyo. */
#define T0 1767193200LL
#define DAY 86400LL
#define HOUR 3600LL

static recam_lottery_schedule sched(unsigned char seed_byte, uint32_t course, int64_t start, int64_t end,
				    int64_t total)
{
	recam_lottery_schedule s;
	memset(s.seed, seed_byte, sizeof(s.seed));
	s.course = course;
	s.start = start;
	s.end = end;
	s.total = total;
	return s;
}

Test(lottery, each_scheduled_instant_lies_in_its_own_slot_and_the_schedule_is_reproducible)
{
	const int64_t n = 1000, d = 14 * DAY;
	recam_lottery_schedule s = sched(7, 0, T0, T0 + d, n);
	recam_lottery_schedule again = s; /* e.g. after a restart: same seed, same instants */
	recam_lottery_schedule other_seed = sched(8, 0, T0, T0 + d, n);
	recam_lottery_schedule other_course = sched(7, 1, T0, T0 + d, n);
	int64_t prev = T0, differ_seed = 0, differ_course = 0;
	for (int64_t i = 0; i < n; i++) {
		int64_t at, at2, at3, at4;
		cr_assert_eq(recam_lottery_schedule_instant(&s, i, &at), 0);
		cr_assert_geq(at, T0 + i * d / n, "instant %lld before its slot", (long long)i);
		cr_assert_lt(at, T0 + (i + 1) * d / n, "instant %lld after its slot", (long long)i);
		cr_assert_geq(at, prev);
		prev = at;
		cr_assert_eq(recam_lottery_schedule_instant(&again, i, &at2), 0);
		cr_assert_eq(at, at2);
		cr_assert_eq(recam_lottery_schedule_instant(&other_seed, i, &at3), 0);
		cr_assert_eq(recam_lottery_schedule_instant(&other_course, i, &at4), 0);
		differ_seed += at3 != at;
		differ_course += at4 != at;
	}
	/* Slots are ~20 minutes long: two independent schedules almost never
	 * share a second. */
	cr_assert_gt(differ_seed, 990);
	cr_assert_gt(differ_course, 990);
	int64_t at;
	cr_assert_eq(recam_lottery_schedule_instant(&s, n, &at), RECAM_EINVAL);
	cr_assert_eq(recam_lottery_schedule_instant(&s, -1, &at), RECAM_EINVAL);
}

Test(lottery, offsets_within_a_slot_are_spread_over_the_whole_slot)
{
	/* 6000 wins over 6000 minutes: one per 60-second slot. Each second of
	 * the slot should hold about 100 instants (chi-square, 59 degrees of
	 * freedom, 0.1% critical value 98.3). */
	recam_lottery_schedule s = sched(9, 0, T0, T0 + 6000 * 60, 6000);
	long sec[60] = {0};
	for (int64_t i = 0; i < 6000; i++) {
		int64_t at;
		cr_assert_eq(recam_lottery_schedule_instant(&s, i, &at), 0);
		sec[(at - T0) % 60]++;
	}
	double chi = 0;
	for (int k = 0; k < 60; k++)
		chi += (sec[k] - 100.0) * (sec[k] - 100.0) / 100.0;
	cr_assert_lt(chi, 98.3, "chi2 %.1f", chi);
}

Test(lottery, an_entry_wins_only_once_the_next_instant_has_come)
{
	recam_lottery_schedule s = sched(3, 0, T0, T0 + DAY, 10);
	int64_t at0, at1;
	cr_assert_eq(recam_lottery_schedule_instant(&s, 0, &at0), 0);
	cr_assert_eq(recam_lottery_schedule_instant(&s, 1, &at1), 0);
	bool won = true;
	cr_assert_eq(recam_lottery_fixed(&s, 0, at0 - 1, &won), 0);
	cr_assert_not(won, "one second early");
	cr_assert_eq(recam_lottery_fixed(&s, 0, at0, &won), 0);
	cr_assert(won, "at the instant");
	cr_assert_eq(recam_lottery_fixed(&s, 1, at0, &won), 0);
	cr_assert_not(won, "instant 0 is already claimed; instant 1 has not come");
	cr_assert_eq(recam_lottery_fixed(&s, 1, at1 + 5 * HOUR, &won), 0);
	cr_assert(won, "a passed instant waits for the next entrant");
	cr_assert_eq(recam_lottery_fixed(&s, 10, T0 + DAY - 1, &won), 0);
	cr_assert_not(won, "all ten given");
	cr_assert_eq(recam_lottery_fixed(&s, 12, T0 + DAY - 1, &won), 0);
	cr_assert_not(won, "more given than scheduled (N lowered later): no more wins");
	cr_assert_eq(recam_lottery_fixed(&s, -1, T0, &won), RECAM_EINVAL);
	recam_lottery_schedule zero = sched(3, 0, T0, T0 + DAY, 0);
	cr_assert_eq(recam_lottery_fixed(&zero, 0, T0 + DAY, &won), 0);
	cr_assert_not(won);
	recam_lottery_schedule empty = sched(3, 0, T0, T0, 5);
	cr_assert_eq(recam_lottery_fixed(&empty, 0, T0, &won), RECAM_EINVAL, "an empty period");
	recam_lottery_schedule wide = sched(3, 0, INT64_MIN, INT64_MAX, 5);
	cr_assert_eq(recam_lottery_fixed(&wide, 0, T0, &won), RECAM_EINVAL, "a period too long for int64");
}

Test(lottery, more_wins_than_seconds_share_seconds_and_are_all_given)
{
	recam_lottery_schedule s = sched(4, 0, T0, T0 + 10, 100);
	int64_t given = 0;
	for (int64_t t = T0; t < T0 + 10; t++)
		for (int k = 0; k < 20; k++) {
			bool won;
			cr_assert_eq(recam_lottery_fixed(&s, given, t, &won), 0);
			given += won;
		}
	cr_assert_eq(given, 100);
}

/* Entries of one simulated campaign: a morning peak, an empty night, a
 * quiet afternoon, a TV-spot burst on day 4 and a last-hour rush. */
static int64_t *traffic(recam_rng *rng, int days, size_t *count)
{
	static const int per_hour[24] = {0, 0, 0, 0, 0, 0, 0, 120, 120, 120, 20, 20,
					 20, 20, 20, 20, 20, 20, 40, 40, 40, 40, 12, 12};
	size_t cap = 0;
	for (int d = 0; d < days; d++)
		for (int h = 0; h < 24; h++)
			cap += (size_t)per_hour[h];
	cap += 5000 + 60;
	int64_t *t = malloc(cap * sizeof(*t));
	cr_assert_not_null(t);
	size_t n = 0;
	for (int d = 0; d < days; d++)
		for (int h = 0; h < 24; h++)
			for (int k = 0; k < per_hour[h]; k++)
				t[n++] = T0 + d * DAY + h * HOUR + recam_lottery_uniform(rng, HOUR);
	for (int k = 0; k < 5000; k++)
		t[n++] = T0 + 3 * DAY + 12 * HOUR + recam_lottery_uniform(rng, HOUR);
	for (int k = 0; k < 60; k++)
		t[n++] = T0 + days * DAY - HOUR + recam_lottery_uniform(rng, HOUR);
	*count = n;
	return t;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

Test(lottery, fixed_wins_follow_the_clock_through_uneven_traffic)
{
	const int days = 14;
	const int64_t n = 700, start = T0, end = T0 + days * DAY;
	chacha_src c;
	recam_rng rng = chacha_rng(&c, 0x11);
	size_t ne;
	int64_t *t = traffic(&rng, days, &ne);
	qsort(t, ne, sizeof(*t), cmp_i64);
	recam_lottery_schedule s = sched(0x5e, 0, start, end, n);

	int64_t given = 0;
	int64_t *win_at = calloc((size_t)n, sizeof(*win_at));
	cr_assert_not_null(win_at);
	for (size_t i = 0; i < ne; i++) {
		bool won;
		cr_assert_eq(recam_lottery_fixed(&s, given, t[i], &won), 0);
		if (!won)
			continue;
		int64_t at;
		cr_assert_eq(recam_lottery_schedule_instant(&s, given, &at), 0);
		cr_assert_leq(at, t[i], "win %lld given before its instant", (long long)given);
		win_at[given++] = t[i];
	}
	cr_assert_eq(given, n, "all %lld wins given out, got %lld", (long long)n, (long long)given);

	/* Hour by hour, wins given so far against the ideal N*(t-start)/D:
	 * never more than one ahead (stock is not spent early, even by the
	 * burst), and from 08:00, once the morning peak has cleared the
	 * night's backlog, never more than two behind. */
	int64_t w = 0;
	for (int64_t h = start + HOUR; h <= end; h += HOUR) {
		while (w < n && win_at[w] < h)
			w++;
		double ideal = (double)n * (double)(h - start) / (double)(end - start);
		cr_assert_leq((double)w, ideal + 1.0, "at hour %lld: %lld given, ideal %.1f",
			      (long long)((h - start) / HOUR), (long long)w, ideal);
		int64_t hod = ((h - start) / HOUR) % 24;
		if (hod >= 8 || hod == 0)
			cr_assert_geq((double)w, ideal - 2.0, "at hour %lld: %lld given, ideal %.1f",
				      (long long)((h - start) / HOUR), (long long)w, ideal);
	}
	/* Day by day (the campaign's day) the wins are the day's share, 50,
	 * whatever the traffic that day: the burst day gets no more. */
	for (int d = 0; d < days; d++) {
		int64_t k = 0;
		for (int64_t i = 0; i < n; i++)
			k += win_at[i] >= start + d * DAY && win_at[i] < start + (d + 1) * DAY;
		cr_assert(k >= 48 && k <= 52, "day %d: %lld wins", d + 1, (long long)k);
	}
	/* Nobody entered between 00:00 and 07:00, so nobody won then. */
	for (int64_t i = 0; i < n; i++)
		cr_assert_geq(((win_at[i] - start) % DAY) / HOUR, 7);
	free(win_at);
	free(t);
}

Test(lottery, several_fixed_courses_give_the_longest_owed_win_first)
{
	recam_lottery_schedule s[2] = {sched(1, 0, T0, T0 + DAY, 1), sched(1, 1, T0, T0 + DAY, 1)};
	int64_t a0, a1;
	cr_assert_eq(recam_lottery_schedule_instant(&s[0], 0, &a0), 0);
	cr_assert_eq(recam_lottery_schedule_instant(&s[1], 0, &a1), 0);
	cr_assert_neq(a0, a1, "this seed gives the two courses different instants");
	int early = a0 < a1 ? 0 : 1;
	int64_t lo = a0 < a1 ? a0 : a1, hi = a0 < a1 ? a1 : a0;
	int64_t given[2] = {0, 0};
	int won = 9;
	cr_assert_eq(recam_lottery_fixed_pick(s, given, 2, lo - 1, &won), 0);
	cr_assert_eq(won, -1);
	cr_assert_eq(recam_lottery_fixed_pick(s, given, 2, lo, &won), 0);
	cr_assert_eq(won, early);
	cr_assert_eq(recam_lottery_fixed_pick(s, given, 2, hi + 100, &won), 0);
	cr_assert_eq(won, early, "both due: the one owed longer goes first");
	given[early] = 1;
	cr_assert_eq(recam_lottery_fixed_pick(s, given, 2, hi + 100, &won), 0);
	cr_assert_eq(won, 1 - early);
	given[1 - early] = 1;
	cr_assert_eq(recam_lottery_fixed_pick(s, given, 2, T0 + DAY, &won), 0);
	cr_assert_eq(won, -1, "both given");
}

Test(lottery, seeds_come_from_the_injected_source_or_from_libsodium)
{
	chacha_src c1, c2;
	recam_rng r1 = chacha_rng(&c1, 1), r2 = chacha_rng(&c2, 1);
	unsigned char a[RECAM_LOTTERY_SEED_BYTES], b[RECAM_LOTTERY_SEED_BYTES];
	recam_lottery_seed_new(&r1, a);
	recam_lottery_seed_new(&r2, b);
	cr_assert_eq(memcmp(a, b, sizeof(a)), 0, "same injected source, same seed");
	recam_lottery_seed_new(NULL, a);
	recam_lottery_seed_new(NULL, b);
	cr_assert_neq(memcmp(a, b, sizeof(a)), 0, "two libsodium seeds differ");
}
