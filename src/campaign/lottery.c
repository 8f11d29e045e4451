/* lottery.c — instant-win decisions: probability mode and fixed-number mode.
 * Owns the rejection rule (no modulo bias) that the closed draw reuses.
 *
 * Fixed-number mode: why a stratified, seed-derived schedule.
 *
 * A campaign promises "N winners over the period". Deciding each entry with
 * a probability cannot keep that promise: the traffic is unknown in advance,
 * so stock runs out early (a TV spot, a morning peak) or is left over at the
 * end. Instead the N wins are tied to N instants in the period and an entry
 * at time t wins when some instant <= t is still unclaimed. Wins then follow
 * the clock, not the traffic: nobody can win before an instant has come, and
 * an instant that passes while nobody enters (the night) is kept for the next
 * entrant rather than lost, so all N are given out as long as entries keep
 * coming after the instants.
 *
 * The instants are stratified: the period of D seconds is cut into N slots
 * [start + floor(i*D/N), start + floor((i+1)*D/N)), and instant i is uniform
 * within slot i. Compared with N independent uniform instants (sorted), this
 * keeps the same expectation — E[wins scheduled by t] = N*(t-start)/D — but
 * the scheduled count never strays more than one from it (independent
 * instants stray by about sqrt(N)/2 at mid-period and can bunch up, giving a
 * burst of wins to one hour and none to the next day). Early and late
 * entrants therefore face the same number of wins per hour, and no stretch of
 * the period is starved by chance. Within a slot the instant is uniform and
 * secret, so knowing the slot length does not tell anyone when to enter.
 *
 * Instant i is computed on demand from (seed, course, i) by HMAC-SHA256, so
 * the schedule needs no storage, survives restarts, and the only state is the
 * number of wins already recorded, which the caller counts in the same
 * transaction that records the next win (two concurrent entries cannot both
 * take instant `given`: the second sees given+1). The seed is as secret as a
 * key: whoever knows it knows every instant. */
#include "campaign/lottery.h"

#include <sodium.h>
#include <string.h>

#include "core/error.h"

void recam_lottery_random_bytes(const recam_rng *rng, void *buf, size_t len)
{
	if (rng == NULL || rng->fill == NULL)
		randombytes_buf(buf, len);
	else
		rng->fill(rng->ctx, buf, len);
}

uint64_t recam_lottery_uniform_reject_below(unsigned bits, uint64_t upper)
{
	if (upper == 0)
		return 0;
	if (bits >= 64)
		return (0 - upper) % upper; /* 2^64 mod upper, without a 65-bit type */
	return ((uint64_t)1 << bits) % upper;
}

bool recam_lottery_uniform_accept(uint64_t r, unsigned bits, uint64_t upper, uint64_t *out)
{
	if (upper == 0 || bits == 0 || bits > 64)
		return false;
	if (bits < 64 && r >> bits)
		return false;
	/* Words below 2^bits mod upper are the partial last cycle of residues;
	 * dropping them from the bottom leaves a whole number of cycles. */
	if (r < recam_lottery_uniform_reject_below(bits, upper))
		return false;
	*out = r % upper;
	return true;
}

uint32_t recam_lottery_uniform(const recam_rng *rng, uint32_t upper)
{
	if (upper < 2)
		return 0;
	if (rng == NULL || rng->fill == NULL)
		return randombytes_uniform(upper);
	for (;;) {
		unsigned char b[4];
		rng->fill(rng->ctx, b, sizeof(b));
		uint32_t w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
		uint64_t v;
		if (recam_lottery_uniform_accept(w, 32, upper, &v))
			return (uint32_t)v;
	}
}

int recam_lottery_instant(const recam_rng *rng, const recam_lottery_course *courses, size_t n, int *won)
{
	if (won == NULL || (n > 0 && courses == NULL) || n > (size_t)INT32_MAX)
		return RECAM_EINVAL;
	*won = -1;
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += courses[i].ppm; /* n * 2^32 cannot wrap 64 bits for n < 2^31 */
		if (sum > RECAM_LOTTERY_PPM)
			return RECAM_EINVAL;
	}
	/* One draw for all courses: every course gets exactly its stated odds,
	 * which trying the courses one after another would not (a later course
	 * would win with p * (1 - p_earlier...)). */
	uint32_t u = recam_lottery_uniform(rng, RECAM_LOTTERY_PPM);
	uint64_t edge = 0;
	for (size_t i = 0; i < n; i++) {
		edge += courses[i].ppm;
		if (u < edge) {
			if (courses[i].stock_left > 0)
				*won = (int)i;
			break;
		}
	}
	return 0;
}

/* ---- fixed-number mode ---- */

void recam_lottery_seed_new(const recam_rng *rng, unsigned char seed[RECAM_LOTTERY_SEED_BYTES])
{
	recam_lottery_random_bytes(rng, seed, RECAM_LOTTERY_SEED_BYTES);
}

static int schedule_valid(const recam_lottery_schedule *s)
{
	if (s == NULL || s->end <= s->start || s->total < 0)
		return RECAM_EINVAL;
	/* end - start must not overflow int64 */
	if (s->start < 0 && s->end > INT64_MAX + s->start)
		return RECAM_EINVAL;
	return 0;
}

static void be32(unsigned char *p, uint32_t v)
{
	for (int k = 3; k >= 0; k--, v >>= 8)
		p[k] = (unsigned char)v;
}

static void be64(unsigned char *p, uint64_t v)
{
	for (int k = 7; k >= 0; k--, v >>= 8)
		p[k] = (unsigned char)v;
}

static uint64_t rd_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = v << 8 | p[k];
	return v;
}

/* Uniform offset in [0, width) for instant i: HMAC-SHA256 over a domain tag,
 * the course, i and a retry counter, read as four big-endian 64-bit words. */
static uint64_t schedule_offset(const recam_lottery_schedule *s, uint64_t i, uint64_t width)
{
	static const char tag[] = "recam-fixed/1";
	unsigned char msg[sizeof(tag) - 1 + 4 + 8 + 4];
	memcpy(msg, tag, sizeof(tag) - 1);
	be32(msg + sizeof(tag) - 1, s->course);
	be64(msg + sizeof(tag) - 1 + 4, i);
	for (uint32_t ctr = 0;; ctr++) {
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		be32(msg + sizeof(tag) - 1 + 12, ctr);
		crypto_auth_hmacsha256(mac, msg, sizeof(msg), s->seed);
		for (size_t w = 0; w < sizeof(mac); w += 8) {
			uint64_t v;
			if (recam_lottery_uniform_accept(rd_be64(mac + w), 64, width, &v)) {
				sodium_memzero(mac, sizeof(mac));
				return v;
			}
		}
	}
}

int recam_lottery_schedule_instant(const recam_lottery_schedule *s, int64_t i, int64_t *at)
{
	if (schedule_valid(s) != 0 || at == NULL || i < 0 || i >= s->total)
		return RECAM_EINVAL;
	uint64_t d = (uint64_t)(s->end - s->start);
	uint64_t n = (uint64_t)s->total;
	/* floor(i*D/N) in 128 bits: i*D overflows 64 bits for long periods with
	 * many wins. */
	uint64_t lo = (uint64_t)(((unsigned __int128)(uint64_t)i * d) / n);
	uint64_t hi = (uint64_t)(((unsigned __int128)((uint64_t)i + 1) * d) / n);
	/* More wins than seconds leaves some slots empty: they share the second
	 * at their left edge. */
	uint64_t off = hi > lo ? schedule_offset(s, (uint64_t)i, hi - lo) : 0;
	*at = s->start + (int64_t)(lo + off);
	return 0;
}

int recam_lottery_fixed(const recam_lottery_schedule *s, int64_t given, int64_t now, bool *won)
{
	if (schedule_valid(s) != 0 || won == NULL || given < 0)
		return RECAM_EINVAL;
	*won = false;
	/* given > total happens when staff lowered N after wins were given:
	 * no more wins, not an error. */
	if (given >= s->total)
		return 0;
	/* Instants are non-decreasing, so "some instant <= now is unclaimed" is
	 * "the next unclaimed instant (number given) is <= now". */
	int64_t at;
	int rc = recam_lottery_schedule_instant(s, given, &at);
	if (rc != 0)
		return rc;
	*won = at <= now;
	return 0;
}

int recam_lottery_fixed_pick(const recam_lottery_schedule *s, const int64_t *given, size_t n, int64_t now,
			     int *won)
{
	if (won == NULL || (n > 0 && (s == NULL || given == NULL)) || n > (size_t)INT32_MAX)
		return RECAM_EINVAL;
	*won = -1;
	int64_t best = 0;
	for (size_t i = 0; i < n; i++) {
		if (schedule_valid(&s[i]) != 0 || given[i] < 0)
			return RECAM_EINVAL;
		if (given[i] >= s[i].total)
			continue;
		int64_t at;
		int rc = recam_lottery_schedule_instant(&s[i], given[i], &at);
		if (rc != 0)
			return rc;
		/* The longest-owed win goes first; ties go to the earlier course. */
		if (at <= now && (*won < 0 || at < best)) {
			*won = (int)i;
			best = at;
		}
	}
	return 0;
}
