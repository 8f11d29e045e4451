/* draw.h — the verifiable closed draw (no database, no HTTP).
 *
 * Procedure:
 *   1. The eligible list is put in canonical order (by entry id, bytewise)
 *      and hashed: SHA-256 over one line per entry,
 *          entry_id TAB participant_id TAB weight LF
 *      (weight in decimal without leading zeros). The list file given to
 *      verifiers is exactly these bytes.
 *   2. Commitment: a 32-byte seed from the CSPRNG; SHA-256(seed), the list
 *      hash, K, A and the one-win rule are published before the draw.
 *   3. The draw below runs; winners and alternates are published with the
 *      seed. Anyone re-derives them from the seed and the list.
 *
 * The draw "recam-draw" version 1, precisely (enough to re-implement it):
 *   stream: block j (j = 0, 1, ...) = HMAC-SHA256(key = seed,
 *           msg = "recam-draw/1" || uint64_be(j)); each block gives four
 *           64-bit big-endian words, used in order, never reused.
 *   pool:   at first every entry of the list, with its weight.
 *   pick:   T = total weight of the entries still in the pool. Take words
 *           until one, w, is >= (2^64 mod T); r = w mod T. The pick is the
 *           first entry i (canonical order) whose cumulative pool weight
 *           exceeds r, i.e. sum of pool weights of entries 0..i > r.
 *           Entry i leaves the pool. With one win per participant, when
 *           i's participant was already picked the pick is void (skipped:
 *           it is neither winner nor alternate) and picking goes on.
 *   The first K valid picks are the winners in order, the next A the
 *   alternates in order (same pool and rule). Picking stops early when the
 *   pool is empty (for example K larger than the number of participants).
 *
 * What the commitment proves: the draw was not redone or changed after the
 * commitment was published. It does not prove the seed was not chosen among
 * many before committing; mixing in a public value announced after the
 * commitment (a randomness beacon) would, and would be version 2. */
#ifndef RECAM_DRAW_H
#define RECAM_DRAW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "campaign/lottery.h"

#define RECAM_DRAW_ALGORITHM "recam-draw"
#define RECAM_DRAW_VERSION 1
#define RECAM_DRAW_SEED_BYTES 32
#define RECAM_DRAW_HASH_BYTES 32
#define RECAM_DRAW_ID_MAX 128                   /* bytes in an entry or participant id */
#define RECAM_DRAW_WEIGHT_MAX 1000000000ull     /* receipts per entry: generous */
#define RECAM_DRAW_ENTRIES_MAX 100000000ull     /* keeps sums and indexes in range */

typedef struct recam_draw_entry {
	const char *entry_id;       /* unique; 1..RECAM_DRAW_ID_MAX bytes of visible ASCII (0x21..0x7e) */
	const char *participant_id; /* same alphabet; need not be unique */
	uint64_t weight;            /* 1..RECAM_DRAW_WEIGHT_MAX; 1 everywhere for a uniform draw */
} recam_draw_entry;

/* Sorts entries into canonical order and checks them (ids, uniqueness,
 * weights). On RECAM_EINVAL *bad (may be NULL) is the canonical index of the
 * first offending entry. */
int recam_draw_canonicalize(recam_draw_entry *e, size_t n, size_t *bad);
/* Checks without sorting: RECAM_EINVAL unless already canonical. */
int recam_draw_check(const recam_draw_entry *e, size_t n, size_t *bad);

/* SHA-256 of the canonical text, streamed (the text is never built). */
int recam_draw_list_hash(const recam_draw_entry *e, size_t n, unsigned char out[RECAM_DRAW_HASH_BYTES]);

/* A list read from its published text. Entries point into `text`. */
typedef struct recam_draw_list {
	recam_draw_entry *entries;
	size_t n;
	char *text;
} recam_draw_list;

/* Parses the canonical text strictly: the bytes must be exactly what
 * recam_draw_list_hash hashes (sorted, unique, no leading zeros, LF after
 * every line), so the file's own SHA-256 is the list hash. On RECAM_EINVAL
 * *bad_line is the 1-based line at fault. */
int recam_draw_list_parse(const char *text, size_t len, recam_draw_list *out, size_t *bad_line);
void recam_draw_list_free(recam_draw_list *l);

typedef struct recam_draw_result {
	size_t *winners;      /* canonical indexes, in order of drawing */
	size_t n_winners;
	size_t *alternates;
	size_t n_alternates;
} recam_draw_result;

/* The draw itself: a pure function of its inputs. The list must be
 * canonical (RECAM_EINVAL otherwise); RECAM_ERANGE when the weights sum to
 * 2^63 or more. Memory is O(n) (a weight tree of n + 1 words) and time
 * O(n + P log n), where P, the number of picks, is K + A plus the void
 * picks of already-won participants' other entries. */
int recam_draw_run(const unsigned char seed[RECAM_DRAW_SEED_BYTES], const recam_draw_entry *e, size_t n,
		   size_t k, size_t a, bool one_win_per_participant, recam_draw_result *out);
void recam_draw_result_free(recam_draw_result *r);

/* The published record. Before the draw it holds the commitment only
 * (has_result and has_seed false). Strings are owned by the record. */
typedef struct recam_draw_record {
	int version;
	unsigned char seed_hash[RECAM_DRAW_HASH_BYTES];
	unsigned char list_hash[RECAM_DRAW_HASH_BYTES];
	uint64_t entries;       /* number of eligible entries, for readable mismatches */
	uint64_t total_weight;
	size_t k;
	size_t a;
	bool one_win_per_participant;
	bool has_result;
	char **winners;         /* entry ids */
	size_t n_winners;
	char **alternates;
	size_t n_alternates;
	bool has_seed;
	unsigned char seed[RECAM_DRAW_SEED_BYTES];
} recam_draw_record;

/* Step 2: draws a seed (libsodium when rng is NULL; tests inject one) and
 * fills the commitment. The seed is returned separately: it stays secret
 * until publication. The list must be canonical. */
int recam_draw_commit(const recam_rng *rng, const recam_draw_entry *e, size_t n, size_t k, size_t a,
		      bool one_win_per_participant, recam_draw_record *rec,
		      unsigned char seed[RECAM_DRAW_SEED_BYTES]);
/* Step 3: runs the draw on a committed record and stores winners,
 * alternates and the seed in it. RECAM_ECONFLICT when the seed or the list
 * does not match the commitment. */
int recam_draw_execute(recam_draw_record *rec, const unsigned char seed[RECAM_DRAW_SEED_BYTES],
		       const recam_draw_entry *e, size_t n);
void recam_draw_record_free(recam_draw_record *rec);

/* JSON (jansson): algorithm, version, seed_sha256, list_sha256, entries,
 * total_weight, winners_wanted, alternates_wanted, one_win_per_participant,
 * then winners and alternates (entry ids) and seed when present; hashes and
 * seed in lower-case hex. */
json_t *recam_draw_record_to_json(const recam_draw_record *rec);
/* Strict: unknown algorithm or version, missing or ill-typed fields, bad
 * hex and unknown keys are refused (RECAM_EINVAL, reason in why). */
int recam_draw_record_from_json(const json_t *j, recam_draw_record *rec, char *why, size_t whylen);

/* True when two records carry the same commitment (version, both hashes,
 * counts, K, A, rule). recam_draw_verify trusts the record it is given, so a
 * verifier first checks the final record against the commitment published
 * before the draw: otherwise a redrawn record with a new seed and a new
 * seed_sha256 would verify. */
bool recam_draw_same_commitment(const recam_draw_record *before, const recam_draw_record *after);

typedef enum recam_draw_mismatch_kind {
	RECAM_DRAW_OK = 0,
	RECAM_DRAW_NO_SEED,         /* record has no published seed */
	RECAM_DRAW_NO_RESULT,       /* record has no winners yet */
	RECAM_DRAW_SEED,            /* SHA-256(seed) != seed_sha256 */
	RECAM_DRAW_LIST_INVALID,    /* list not canonical; index = entry */
	RECAM_DRAW_LIST_HASH,       /* SHA-256(list) != list_sha256 */
	RECAM_DRAW_WINNER,          /* winners differ; index = first position */
	RECAM_DRAW_ALTERNATE,       /* alternates differ; index = first position */
} recam_draw_mismatch_kind;

typedef struct recam_draw_mismatch {
	recam_draw_mismatch_kind kind;
	size_t index;
	char expected[RECAM_DRAW_ID_MAX + 1]; /* re-derived entry id ("" past the end) */
	char recorded[RECAM_DRAW_ID_MAX + 1]; /* published entry id ("" past the end) */
	char message[256];                    /* one English sentence for the operator */
} recam_draw_mismatch;

/* Re-derives the draw from the record's seed and the list and compares
 * every published fact, stopping at the first difference. 0 when all
 * match; RECAM_ECONFLICT with *mm filled when one does not; other negative
 * codes when verification could not run (memory). */
int recam_draw_verify(const recam_draw_record *rec, const recam_draw_entry *e, size_t n, recam_draw_mismatch *mm);

#endif
