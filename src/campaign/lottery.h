/* lottery.h — instant-win decisions (no database, no HTTP).
 *
 * Two modes, both pure functions of their inputs and a randomness source:
 *   - probability mode: each prize course wins with a stated probability in
 *     parts per million (integers only, no floating point in the decision);
 *   - fixed-number mode: N wins spread over the entry period by a secret,
 *     seed-derived schedule of win instants (see lottery.c for why).
 *
 * Stock is the caller's business: it reads the remaining stock and records a
 * win in one database transaction; these functions only decide.
 *
 * Randomness: production passes NULL as the source and every draw comes
 * from libsodium (randombytes_uniform / randombytes_buf). Tests inject a
 * deterministic source so frequencies can be checked without flaking. */
#ifndef RECAM_LOTTERY_H
#define RECAM_LOTTERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A source of random bytes. NULL (or fill == NULL) means libsodium. */
typedef struct recam_rng {
	void (*fill)(void *ctx, void *buf, size_t len);
	void *ctx;
} recam_rng;

void recam_lottery_random_bytes(const recam_rng *rng, void *buf, size_t len);

/* Uniform integer in [0, upper) without modulo bias; upper < 2 gives 0
 * without consuming randomness (as randombytes_uniform does). With a NULL
 * source this is randombytes_uniform itself; with an injected source it is
 * the same rejection rule applied to the source's 32-bit little-endian words. */
uint32_t recam_lottery_uniform(const recam_rng *rng, uint32_t upper);

/* The rejection rule shared by every draw in recam, for words of `bits`
 * bits (1..64): r (which must be < 2^bits) is accepted when
 * r >= 2^bits mod upper, and then *out = r mod upper. The accepted words are
 * a contiguous run whose length is a multiple of upper, so every result is
 * equally likely. Returns false (reject: take the next word) otherwise.
 * upper must be in [1, 2^bits - 1] (any non-zero value when bits == 64). */
bool recam_lottery_uniform_accept(uint64_t r, unsigned bits, uint64_t upper, uint64_t *out);
/* 2^bits mod upper: the number of rejected words. */
uint64_t recam_lottery_uniform_reject_below(unsigned bits, uint64_t upper);

/* ---- probability mode ---- */

#define RECAM_LOTTERY_PPM 1000000u

typedef struct recam_lottery_course {
	uint32_t ppm;        /* chance of winning this course, per million */
	int64_t stock_left;  /* remaining stock as the caller's transaction sees it */
} recam_lottery_course;

/* One draw for one entry. The courses' probabilities are laid end to end in
 * the given order on [0, 1,000,000); one uniform number u picks the slice it
 * falls in. *won is the course index, or -1 when u falls past the last slice
 * or in the slice of a course with no stock left (a sold-out course does not
 * raise the other courses' odds above what the terms promise).
 * RECAM_EINVAL when the probabilities sum past 1,000,000. */
int recam_lottery_instant(const recam_rng *rng, const recam_lottery_course *courses, size_t n, int *won);

/* ---- fixed-number mode ---- */

#define RECAM_LOTTERY_SEED_BYTES 32

typedef struct recam_lottery_schedule {
	unsigned char seed[RECAM_LOTTERY_SEED_BYTES]; /* secret; stored with the campaign */
	uint32_t course;   /* course index: each course has its own schedule from one seed */
	int64_t start;     /* entry period [start, end), unix seconds */
	int64_t end;
	int64_t total;     /* N: wins to give over the period */
} recam_lottery_schedule;

/* A fresh secret seed from the randomness source (libsodium when NULL). */
void recam_lottery_seed_new(const recam_rng *rng, unsigned char seed[RECAM_LOTTERY_SEED_BYTES]);

/* The i-th scheduled win instant (0 <= i < total), in [start, end);
 * instants are non-decreasing in i. RECAM_EINVAL on a bad schedule or i. */
int recam_lottery_schedule_instant(const recam_lottery_schedule *s, int64_t i, int64_t *at);

/* Decision for an entry at time now, when `given` wins of this course have
 * already been recorded (the caller counts them in the same transaction that
 * will record this win). *won is true when the instant of win number `given`
 * has come: some scheduled instant <= now is still unclaimed. */
int recam_lottery_fixed(const recam_lottery_schedule *s, int64_t given, int64_t now, bool *won);

/* Several fixed-number courses: the course whose unclaimed instant is the
 * earliest one due wins (-1 when none is due). given[i] is course i's count. */
int recam_lottery_fixed_pick(const recam_lottery_schedule *s, const int64_t *given, size_t n, int64_t now,
			     int *won);

#endif
