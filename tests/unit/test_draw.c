/* test_draw.c — the verifiable closed draw: the canonical list and its hash,
 * golden results computed by an independent implementation of the
 * algorithm text in draw.h, agreement with a naive in-test implementation,
 * the one-win rule, weights (chi-square over fixed seeds, so no flakes),
 * the published record in JSON, and verification failing on every kind of
 * tampering with the first difference reported. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"
#include "core/error.h"

static void setup(void) { cr_assert_geq(sodium_init(), 0); }

TestSuite(draw, .init = setup);

/* Ten entries of seven participants, in canonical order. */
static const recam_draw_entry golden[] = {
    {"e01", "p-aki", 3}, {"e02", "p-ben", 1}, {"e03", "p-aki", 2}, {"e04", "p-chi", 5}, {"e05", "p-dai", 1},
    {"e06", "p-ben", 4}, {"e07", "p-eri", 1}, {"e08", "p-fuu", 2}, {"e09", "p-chi", 1}, {"e10", "p-gen", 7},
};
#define NG (sizeof(golden) / sizeof(golden[0]))

static void seed_bytes(unsigned char seed[32])
{
	for (int i = 0; i < 32; i++)
		seed[i] = (unsigned char)i;
}

static void seed_of(uint32_t i, unsigned char seed[32])
{
	unsigned char msg[4] = {(unsigned char)(i >> 24), (unsigned char)(i >> 16), (unsigned char)(i >> 8),
				(unsigned char)i};
	crypto_hash_sha256(seed, msg, sizeof(msg));
}

static void assert_idx(const size_t *got, size_t n, const size_t *want, size_t wn)
{
	cr_assert_eq(n, wn, "%zu picks, expected %zu", n, wn);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(got[i], want[i], "pick %zu: %zu, expected %zu", i, got[i], want[i]);
}

/* ---- the canonical list ---- */

Test(draw, list_hash_is_sha256_of_the_canonical_text_whatever_the_input_order)
{
	recam_draw_entry e[NG];
	for (size_t i = 0; i < NG; i++)
		e[i] = golden[(i * 7) % NG]; /* shuffled */
	cr_assert_eq(recam_draw_canonicalize(e, NG, NULL), 0);
	for (size_t i = 0; i < NG; i++)
		cr_assert_str_eq(e[i].entry_id, golden[i].entry_id);
	static const char text[] = "e01\tp-aki\t3\ne02\tp-ben\t1\ne03\tp-aki\t2\ne04\tp-chi\t5\ne05\tp-dai\t1\n"
				   "e06\tp-ben\t4\ne07\tp-eri\t1\ne08\tp-fuu\t2\ne09\tp-chi\t1\ne10\tp-gen\t7\n";
	unsigned char want[32], got[32];
	crypto_hash_sha256(want, (const unsigned char *)text, sizeof(text) - 1);
	cr_assert_eq(recam_draw_list_hash(e, NG, got), 0);
	cr_assert_eq(memcmp(got, want, 32), 0);
	/* Also the value computed by the independent implementation. */
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), got, 32);
	cr_assert_str_eq(hex, "6c4a0cafc69a1253d94a0c8339238fcde32403e693b896bd44d6581922aaf418");
}

Test(draw, canonicalize_refuses_duplicates_bad_ids_and_bad_weights)
{
	char long_id[RECAM_DRAW_ID_MAX + 2];
	memset(long_id, 'x', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = '\0';
	const struct {
		recam_draw_entry bad;
		const char *why;
	} cases[] = {
	    {{"e05", "p-x", 1}, "duplicate entry id"},
	    {{"e99", "p-x", 0}, "weight 0"},
	    {{"e99", "p-x", RECAM_DRAW_WEIGHT_MAX + 1}, "weight over the maximum"},
	    {{"e9\t9", "p-x", 1}, "tab in an id"},
	    {{"e99", "p x", 1}, "space in a participant id"},
	    {{"e99\r", "p-x", 1}, "carriage return"},
	    {{"", "p-x", 1}, "empty id"},
	    {{"e99", "", 1}, "empty participant"},
	    {{"e\xc3\xa9", "p-x", 1}, "non-ASCII"},
	    {{long_id, "p-x", 1}, "id longer than the maximum"},
	    {{NULL, "p-x", 1}, "NULL id"},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		recam_draw_entry e[NG + 1];
		memcpy(e, golden, sizeof(golden));
		e[NG] = cases[c].bad;
		size_t bad = 999;
		cr_assert_eq(recam_draw_canonicalize(e, NG + 1, &bad), RECAM_EINVAL, "%s accepted", cases[c].why);
		cr_assert_lt(bad, NG + 1, "%s: index reported", cases[c].why);
	}
	long_id[RECAM_DRAW_ID_MAX] = '\0'; /* exactly the maximum is fine */
	recam_draw_entry ok[] = {{long_id, "p", 1}};
	cr_assert_eq(recam_draw_canonicalize(ok, 1, NULL), 0);
	recam_draw_entry unsorted[] = {{"b", "p", 1}, {"a", "p", 1}};
	size_t bad;
	cr_assert_eq(recam_draw_check(unsorted, 2, &bad), RECAM_EINVAL);
	cr_assert_eq(bad, 1);
	unsigned char h[32];
	cr_assert_eq(recam_draw_list_hash(unsorted, 2, h), RECAM_EINVAL, "only a canonical list is hashed");
}

Test(draw, the_list_text_parses_back_to_the_same_entries_and_hash)
{
	static const char text[] = "a1\tp1\t2\na2\tp2\t1\nb\tp1\t1000000000\n";
	recam_draw_list l;
	size_t line = 9;
	cr_assert_eq(recam_draw_list_parse(text, sizeof(text) - 1, &l, &line), 0);
	cr_assert_eq(line, 0);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.entries[2].entry_id, "b");
	cr_assert_str_eq(l.entries[2].participant_id, "p1");
	cr_assert_eq(l.entries[2].weight, 1000000000);
	unsigned char a[32], b[32];
	crypto_hash_sha256(a, (const unsigned char *)text, sizeof(text) - 1);
	cr_assert_eq(recam_draw_list_hash(l.entries, l.n, b), 0);
	cr_assert_eq(memcmp(a, b, 32), 0, "the file's own SHA-256 is the list hash");
	recam_draw_list_free(&l);
	cr_assert_eq(recam_draw_list_parse("", 0, &l, &line), 0);
	cr_assert_eq(l.n, 0, "an empty list is a list");
	recam_draw_list_free(&l);
}

Test(draw, the_list_parser_refuses_any_text_that_is_not_canonical_and_names_the_line)
{
	static const struct {
		const char *text;
		size_t len;
		size_t line;
	} cases[] = {
#define C(s, l) {s, sizeof(s) - 1, l}
	    C("a\tp\t1\nc\tp\t1\nb\tp\t1\n", 3),  /* out of order */
	    C("a\tp\t1\na\tq\t1\n", 2),           /* duplicate */
	    C("a\tp\t1\nb\tp\t1", 2),             /* no final LF */
	    C("a\tp\t01\n", 1),                   /* leading zero */
	    C("a\tp\t+1\n", 1),                   /* sign */
	    C("a\tp\t0\n", 1),                    /* weight 0 */
	    C("a\tp\t1000000001\n", 1),           /* over the maximum */
	    C("a\tp\t99999999999\n", 1),          /* too many digits */
	    C("a\tp\t1\r\n", 1),                  /* CRLF */
	    C("a\tp\n", 1),                       /* missing field */
	    C("a\tp\t1\tx\n", 1),                 /* extra field */
	    C("a\tp\t1\n\n", 2),                  /* empty line */
	    C("a\t\t1\n", 1),                     /* empty participant */
	    C("a\tp\t1\nb\0x\tp\t1\n", 2),        /* NUL inside an id */
	    C("a b\tp\t1\n", 1),                  /* space */
#undef C
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		recam_draw_list l;
		size_t line = 0;
		cr_assert_eq(recam_draw_list_parse(cases[c].text, cases[c].len, &l, &line), RECAM_EINVAL,
			     "case %zu accepted", c);
		cr_assert_eq(line, cases[c].line, "case %zu: line %zu, expected %zu", c, line, cases[c].line);
		cr_assert_null(l.entries);
	}
}

/* ---- the draw ---- */

Test(draw, golden_results_match_an_independent_implementation_of_the_spec)
{
	/* Expected values from a separate Python implementation of the
	 * algorithm as written in draw.h (HMAC-SHA256 stream, rejection,
	 * cumulative-weight pick). A change here breaks every published record
	 * of version 1: it needs a new version, not new numbers. */
	unsigned char seed[32];
	seed_bytes(seed);
	recam_draw_result r;
	cr_assert_eq(recam_draw_run(seed, golden, NG, 3, 2, true, &r), 0);
	assert_idx(r.winners, r.n_winners, (size_t[]){7, 0, 3}, 3);
	assert_idx(r.alternates, r.n_alternates, (size_t[]){9, 4}, 2);
	recam_draw_result_free(&r);
	cr_assert_eq(recam_draw_run(seed, golden, NG, 4, 3, false, &r), 0);
	assert_idx(r.winners, r.n_winners, (size_t[]){7, 0, 3, 9}, 4);
	assert_idx(r.alternates, r.n_alternates, (size_t[]){4, 6, 1}, 3);
	recam_draw_result_free(&r);
}

Test(draw, the_same_seed_gives_the_same_draw_and_another_seed_another)
{
	unsigned char s1[32], s2[32];
	seed_of(1, s1);
	seed_of(2, s2);
	recam_draw_result a, b, c;
	cr_assert_eq(recam_draw_run(s1, golden, NG, 4, 3, true, &a), 0);
	cr_assert_eq(recam_draw_run(s1, golden, NG, 4, 3, true, &b), 0);
	cr_assert_eq(recam_draw_run(s2, golden, NG, 4, 3, true, &c), 0);
	assert_idx(b.winners, b.n_winners, a.winners, a.n_winners);
	assert_idx(b.alternates, b.n_alternates, a.alternates, a.n_alternates);
	cr_assert(memcmp(a.winners, c.winners, 4 * sizeof(size_t)) != 0, "these two seeds give different winners");
	recam_draw_result_free(&a);
	recam_draw_result_free(&b);
	recam_draw_result_free(&c);
}

/* The spec done the slow way: a linear scan over pool weights, a freshly
 * computed HMAC per block and a linear search of earlier picks for the
 * one-win rule. An oracle for the Fenwick tree and the winners' set. */
static void naive_draw(const unsigned char seed[32], const recam_draw_entry *e, size_t n, size_t k, size_t a,
		       bool one, size_t *picks, size_t *np)
{
	uint64_t *pool = malloc((n + 1) * sizeof(*pool));
	cr_assert_not_null(pool);
	for (size_t i = 0; i < n; i++)
		pool[i] = e[i].weight;
	uint64_t block = 0;
	unsigned char buf[32];
	size_t pos = 32, want = (k < n ? k : n) + (a < n ? a : n);
	*np = 0;
	for (;;) {
		uint64_t t = 0;
		for (size_t i = 0; i < n; i++)
			t += pool[i];
		if (t == 0 || *np == want)
			break;
		uint64_t w;
		do {
			if (pos == 32) {
				unsigned char msg[20] = "recam-draw/1";
				for (int b = 0; b < 8; b++)
					msg[12 + b] = (unsigned char)(block >> (56 - 8 * b));
				block++;
				crypto_auth_hmacsha256(buf, msg, sizeof(msg), seed);
				pos = 0;
			}
			w = 0;
			for (int b = 0; b < 8; b++)
				w = w << 8 | buf[pos + (size_t)b];
			pos += 8;
		} while (w < (0 - t) % t);
		uint64_t r = w % t, acc = 0;
		size_t i = 0;
		while ((acc += pool[i]) <= r)
			i++;
		pool[i] = 0;
		bool void_pick = false;
		for (size_t p = 0; one && p < *np; p++)
			void_pick |= strcmp(e[picks[p]].participant_id, e[i].participant_id) == 0;
		if (!void_pick)
			picks[(*np)++] = i;
	}
	free(pool);
}

Test(draw, the_fenwick_draw_agrees_with_a_linear_scan_on_400_random_lists)
{
	enum { MAXN = 70 };
	static char ids[MAXN][24], pids[MAXN][24];
	for (uint32_t t = 0; t < 400; t++) {
		unsigned char seed[32], rnd[3 * MAXN + 4];
		seed_of(1000 + t, seed);
		randombytes_buf_deterministic(rnd, sizeof(rnd), seed);
		size_t n = rnd[0] % MAXN, k = rnd[1] % 20, a = rnd[2] % 20, parts = 1 + rnd[3] % 15;
		bool one = t & 1;
		recam_draw_entry e[MAXN];
		for (size_t i = 0; i < n; i++) {
			snprintf(ids[i], sizeof(ids[i]), "x%03zu", i);
			snprintf(pids[i], sizeof(pids[i]), "p%zu", (size_t)rnd[4 + 3 * i] % parts);
			unsigned char wb = rnd[5 + 3 * i];
			/* Mostly small weights, some at the maximum to stress 64-bit sums. */
			e[i] = (recam_draw_entry){ids[i], pids[i], wb > 250 ? RECAM_DRAW_WEIGHT_MAX : 1 + wb % 5u};
		}
		recam_draw_result r;
		cr_assert_eq(recam_draw_run(seed, e, n, k, a, one, &r), 0);
		size_t picks[2 * MAXN], np;
		naive_draw(seed, e, n, k, a, one, picks, &np);
		size_t kk = np < k ? np : k;
		assert_idx(r.winners, r.n_winners, picks, kk);
		assert_idx(r.alternates, r.n_alternates, picks + kk, np - kk);
		recam_draw_result_free(&r);
	}
}

Test(draw, one_win_per_participant_holds_across_winners_and_alternates)
{
	enum { N = 1000, P = 50 };
	static char ids[N][24], pids[N][24];
	recam_draw_entry e[N];
	for (size_t i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "e%04zu", i);
		snprintf(pids[i], sizeof(pids[i]), "p%02zu", (i * 37) % P);
		e[i] = (recam_draw_entry){ids[i], pids[i], 1 + i % 3};
	}
	unsigned char seed[32];
	seed_of(77, seed);
	recam_draw_result r;
	cr_assert_eq(recam_draw_run(seed, e, N, 30, 30, true, &r), 0);
	cr_assert_eq(r.n_winners, 30);
	cr_assert_eq(r.n_alternates, P - 30, "the pool runs out of participants");
	bool seen[P] = {false};
	for (size_t i = 0; i < r.n_winners + r.n_alternates; i++) {
		size_t idx = i < r.n_winners ? r.winners[i] : r.alternates[i - r.n_winners];
		size_t p = (idx * 37) % P;
		cr_assert_not(seen[p], "participant %zu picked twice", p);
		seen[p] = true;
	}
	recam_draw_result_free(&r);
}

Test(draw, more_winners_wanted_than_participants_or_entries)
{
	unsigned char seed[32];
	seed_of(5, seed);
	recam_draw_result r;
	cr_assert_eq(recam_draw_run(seed, golden, NG, 100, 5, true, &r), 0);
	cr_assert_eq(r.n_winners, 7, "seven participants, seven winners");
	cr_assert_eq(r.n_alternates, 0);
	recam_draw_result_free(&r);
	cr_assert_eq(recam_draw_run(seed, golden, NG, SIZE_MAX, SIZE_MAX, false, &r), 0);
	cr_assert_eq(r.n_winners, NG, "without the rule every entry wins once");
	cr_assert_eq(r.n_alternates, 0);
	recam_draw_result_free(&r);
	cr_assert_eq(recam_draw_run(seed, golden, NG, 0, 3, true, &r), 0);
	cr_assert_eq(r.n_winners, 0);
	cr_assert_eq(r.n_alternates, 3, "alternates only");
	recam_draw_result_free(&r);
	cr_assert_eq(recam_draw_run(seed, NULL, 0, 3, 3, true, &r), 0);
	cr_assert_eq(r.n_winners + r.n_alternates, 0, "nobody eligible");
	recam_draw_result_free(&r);
}

/* Chi-square of observed counts against expected probabilities. */
static double chi2(const long *got, const double *p, size_t k, long trials)
{
	double c = 0;
	for (size_t i = 0; i < k; i++) {
		double e = p[i] * (double)trials;
		c += ((double)got[i] - e) * ((double)got[i] - e) / e;
	}
	return c;
}

Test(draw, first_win_chances_are_proportional_to_weight)
{
	const recam_draw_entry e[] = {{"a", "pa", 1}, {"b", "pb", 2}, {"c", "pc", 3}, {"d", "pd", 4}};
	long got[4] = {0};
	const long trials = 20000;
	for (uint32_t t = 0; t < trials; t++) {
		unsigned char seed[32];
		seed_of(t, seed);
		recam_draw_result r;
		cr_assert_eq(recam_draw_run(seed, e, 4, 1, 0, true, &r), 0);
		got[r.winners[0]]++;
		recam_draw_result_free(&r);
	}
	/* 3 degrees of freedom; 16.27 is the 0.1% critical value. */
	double c = chi2(got, (const double[]){0.1, 0.2, 0.3, 0.4}, 4, trials);
	cr_assert_lt(c, 16.27, "chi2 %.2f: %ld %ld %ld %ld", c, got[0], got[1], got[2], got[3]);
}

Test(draw, a_participant_weight_is_the_sum_of_their_entries)
{
	/* Three receipts in three entries of weight 1 against one entry of
	 * weight 3: the same chance to be drawn first. */
	const recam_draw_entry e[] = {{"a", "many", 1}, {"b", "many", 1}, {"c", "many", 1}, {"d", "one", 3}};
	long got[2] = {0};
	const long trials = 20000;
	for (uint32_t t = 0; t < trials; t++) {
		unsigned char seed[32];
		seed_of(50000 + t, seed);
		recam_draw_result r;
		cr_assert_eq(recam_draw_run(seed, e, 4, 1, 1, true, &r), 0);
		got[r.winners[0] == 3]++;
		cr_assert_eq(r.n_alternates, 1);
		cr_assert_eq(r.winners[0] == 3, r.alternates[0] != 3, "the other participant is the alternate");
		recam_draw_result_free(&r);
	}
	double c = chi2(got, (const double[]){0.5, 0.5}, 2, trials);
	cr_assert_lt(c, 10.83, "chi2 %.2f: %ld %ld", c, got[0], got[1]); /* 1 df, 0.1% */
}

Test(draw, a_uniform_draw_puts_every_entry_at_every_position_equally)
{
	const recam_draw_entry e[] = {{"a", "p1", 1}, {"b", "p2", 1}, {"c", "p3", 1}, {"d", "p4", 1}, {"e", "p5", 1}};
	long pos[5][5] = {{0}};
	const long trials = 10000;
	for (uint32_t t = 0; t < trials; t++) {
		unsigned char seed[32];
		seed_of(90000 + t, seed);
		recam_draw_result r;
		cr_assert_eq(recam_draw_run(seed, e, 5, 3, 2, true, &r), 0);
		for (size_t i = 0; i < 5; i++)
			pos[i][i < 3 ? r.winners[i] : r.alternates[i - 3]]++;
		recam_draw_result_free(&r);
	}
	const double fifth[] = {0.2, 0.2, 0.2, 0.2, 0.2};
	for (size_t i = 0; i < 5; i++) {
		double c = chi2(pos[i], fifth, 5, trials);
		cr_assert_lt(c, 18.47, "position %zu: chi2 %.2f", i, c); /* 4 df, 0.1% */
	}
}

Test(draw, a_hundred_thousand_entries_with_large_k_stays_exact)
{
	/* Large K exercises removals across the whole tree: every pick must be
	 * a distinct participant, and the result must be deterministic. */
	enum { N = 100000, P = 30011 };
	char(*ids)[24] = malloc(N * sizeof(*ids));
	char(*pids)[24] = malloc(N * sizeof(*pids));
	recam_draw_entry *e = malloc(N * sizeof(*e));
	cr_assert(ids && pids && e);
	for (size_t i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "e%07zu", i);
		snprintf(pids[i], sizeof(pids[i]), "p%05zu", (i * 7919) % P);
		e[i] = (recam_draw_entry){ids[i], pids[i], 1 + (i * 31) % 5};
	}
	unsigned char seed[32];
	seed_of(123, seed);
	recam_draw_result r;
	cr_assert_eq(recam_draw_run(seed, e, N, 20000, 20000, true, &r), 0);
	cr_assert_eq(r.n_winners, 20000);
	cr_assert_eq(r.n_alternates, P - 20000);
	unsigned char *seen = calloc(P, 1);
	cr_assert_not_null(seen);
	for (size_t i = 0; i < r.n_winners + r.n_alternates; i++) {
		size_t idx = i < r.n_winners ? r.winners[i] : r.alternates[i - r.n_winners];
		size_t p = (idx * 7919) % P;
		cr_assert_not(seen[p]);
		seen[p] = 1;
	}
	free(seen);
	recam_draw_result_free(&r);
	free(e);
	free(pids);
	free(ids);
}

/* ---- commitment, record, verification ---- */

typedef struct fixed_src {
	unsigned char byte;
} fixed_src;

static void fixed_fill(void *ctx, void *buf, size_t len) { memset(buf, ((fixed_src *)ctx)->byte, len); }

/* A full draw of the golden list: commitment, execution, record. */
static void full_record(recam_draw_record *rec, recam_draw_record *commitment)
{
	fixed_src fs = {0xa5};
	recam_rng rng = {fixed_fill, &fs};
	unsigned char seed[32];
	cr_assert_eq(recam_draw_commit(&rng, golden, NG, 3, 2, true, rec, seed), 0);
	unsigned char want[32];
	memset(want, 0xa5, sizeof(want));
	cr_assert_eq(memcmp(seed, want, 32), 0, "the seed comes from the given source");
	cr_assert_not(rec->has_seed, "the commitment does not reveal the seed");
	if (commitment)
		*commitment = *rec; /* no owned strings yet */
	cr_assert_eq(recam_draw_execute(rec, seed, golden, NG), 0);
}

Test(draw, a_committed_draw_round_trips_through_json_and_verifies)
{
	recam_draw_record rec, before, back;
	full_record(&rec, &before);
	cr_assert(recam_draw_same_commitment(&before, &rec));
	json_t *j = recam_draw_record_to_json(&rec);
	cr_assert_not_null(j);
	char *text = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	json_error_t err;
	json_t *j2 = json_loads(text, 0, &err);
	cr_assert_not_null(j2, "%s", err.text);
	char why[128] = "";
	cr_assert_eq(recam_draw_record_from_json(j2, &back, why, sizeof(why)), 0, "%s", why);
	json_decref(j2);
	free(text);
	cr_assert(recam_draw_same_commitment(&before, &back));
	cr_assert_eq(back.n_winners, 3);
	cr_assert_eq(back.n_alternates, 2);
	recam_draw_mismatch mm;
	cr_assert_eq(recam_draw_verify(&back, golden, NG, &mm), 0, "%s", mm.message);
	cr_assert_eq(mm.kind, RECAM_DRAW_OK);
	recam_draw_record_free(&back);
	recam_draw_record_free(&rec);
}

Test(draw, execute_refuses_a_seed_or_list_other_than_the_committed_one)
{
	fixed_src fs = {1};
	recam_rng rng = {fixed_fill, &fs};
	recam_draw_record rec;
	unsigned char seed[32];
	cr_assert_eq(recam_draw_commit(&rng, golden, NG, 2, 1, true, &rec, seed), 0);
	unsigned char other[32];
	memset(other, 2, sizeof(other));
	cr_assert_eq(recam_draw_execute(&rec, other, golden, NG), RECAM_ECONFLICT);
	cr_assert_eq(recam_draw_execute(&rec, seed, golden, NG - 1), RECAM_ECONFLICT);
	cr_assert_eq(recam_draw_execute(&rec, seed, golden, NG), 0);
	cr_assert_eq(recam_draw_execute(&rec, seed, golden, NG), RECAM_EINVAL, "a record is drawn once");
	recam_draw_record_free(&rec);
}

static recam_draw_mismatch_kind verify_kind(const recam_draw_record *rec, const recam_draw_entry *e, size_t n,
					    recam_draw_mismatch *mm)
{
	int rc = recam_draw_verify(rec, e, n, mm);
	cr_assert(rc == 0 || rc == RECAM_ECONFLICT, "rc %d", rc);
	cr_assert_eq(rc == 0, mm->kind == RECAM_DRAW_OK);
	cr_assert(rc == 0 || mm->message[0] != '\0', "a mismatch is explained");
	return mm->kind;
}

Test(draw, verification_fails_on_a_changed_seed)
{
	recam_draw_record rec;
	full_record(&rec, NULL);
	recam_draw_mismatch mm;
	rec.seed[31] ^= 1;
	cr_assert_eq(verify_kind(&rec, golden, NG, &mm), RECAM_DRAW_SEED);
	/* A forger who also replaces seed_sha256 gets past the seed check, but
	 * no longer carries the commitment published before the draw. */
	recam_draw_record before = rec;
	crypto_hash_sha256(rec.seed_hash, rec.seed, 32);
	cr_assert_not(recam_draw_same_commitment(&before, &rec));
	recam_draw_record_free(&rec);
}

Test(draw, verification_fails_on_an_added_removed_or_reweighted_entry)
{
	recam_draw_record rec;
	full_record(&rec, NULL);
	recam_draw_mismatch mm;
	recam_draw_entry e[NG + 1];
	memcpy(e, golden, sizeof(golden));
	e[NG] = (recam_draw_entry){"e11", "p-new", 1};
	cr_assert_eq(verify_kind(&rec, e, NG + 1, &mm), RECAM_DRAW_LIST_HASH, "added");
	cr_assert_eq(verify_kind(&rec, e + 1, NG - 1, &mm), RECAM_DRAW_LIST_HASH, "removed");
	memcpy(e, golden, sizeof(golden));
	e[3].weight = 6;
	cr_assert_eq(verify_kind(&rec, e, NG, &mm), RECAM_DRAW_LIST_HASH, "reweighted");
	/* Same count and total weight: only the hash can tell. */
	memcpy(e, golden, sizeof(golden));
	e[3].weight = 4;
	e[4].weight = 2;
	cr_assert_eq(verify_kind(&rec, e, NG, &mm), RECAM_DRAW_LIST_HASH, "weight moved between entries");
	cr_assert_str_eq(mm.message, "SHA-256 of the list is not the committed list_sha256");
	memcpy(e, golden, sizeof(golden));
	e[2].participant_id = "p-zzz";
	cr_assert_eq(verify_kind(&rec, e, NG, &mm), RECAM_DRAW_LIST_HASH, "entry given to another participant");
	memcpy(e, golden, sizeof(golden));
	e[2] = golden[3];
	e[3] = golden[2];
	cr_assert_eq(verify_kind(&rec, e, NG, &mm), RECAM_DRAW_LIST_INVALID, "out of order");
	cr_assert_eq(mm.index, 3);
	recam_draw_record_free(&rec);
}

Test(draw, verification_fails_on_a_changed_winner_order_and_names_the_first_difference)
{
	recam_draw_record rec;
	full_record(&rec, NULL);
	recam_draw_mismatch mm;
	char *w1 = rec.winners[1], *w2 = rec.winners[2];
	rec.winners[1] = w2;
	rec.winners[2] = w1;
	cr_assert_eq(verify_kind(&rec, golden, NG, &mm), RECAM_DRAW_WINNER);
	cr_assert_eq(mm.index, 1);
	cr_assert_str_eq(mm.expected, w1);
	cr_assert_str_eq(mm.recorded, w2);
	char msg[256];
	snprintf(msg, sizeof(msg), "winner 2: the draw gives %s, the record says %s", w1, w2);
	cr_assert_str_eq(mm.message, msg);
	rec.winners[1] = w1;
	rec.winners[2] = w2;
	cr_assert_eq(verify_kind(&rec, golden, NG, &mm), RECAM_DRAW_OK);
	rec.n_winners = 2; /* the last winner left out */
	cr_assert_eq(verify_kind(&rec, golden, NG, &mm), RECAM_DRAW_WINNER);
	cr_assert_eq(mm.index, 2);
	cr_assert_str_eq(mm.expected, w2);
	cr_assert_str_eq(mm.recorded, "");
	rec.n_winners = 3;
	/* An alternate replaced by an entry that did not come up. */
	char saved[8];
	snprintf(saved, sizeof(saved), "%s", rec.alternates[1]);
	rec.alternates[1][1] = 'X';
	cr_assert_eq(verify_kind(&rec, golden, NG, &mm), RECAM_DRAW_ALTERNATE);
	cr_assert_eq(mm.index, 1);
	cr_assert_str_eq(mm.expected, saved);
	rec.alternates[1][1] = saved[1];
	cr_assert_eq(verify_kind(&rec, golden, NG, &mm), RECAM_DRAW_OK);
	rec.k = 4;
	cr_assert_eq(verify_kind(&rec, golden, NG, &mm), RECAM_DRAW_WINNER, "K changed after the fact");
	recam_draw_record_free(&rec);
}

Test(draw, an_unpublished_record_cannot_be_verified_yet)
{
	fixed_src fs = {3};
	recam_rng rng = {fixed_fill, &fs};
	recam_draw_record rec;
	unsigned char seed[32];
	cr_assert_eq(recam_draw_commit(&rng, golden, NG, 2, 1, false, &rec, seed), 0);
	recam_draw_mismatch mm;
	cr_assert_eq(verify_kind(&rec, golden, NG, &mm), RECAM_DRAW_NO_SEED);
	json_t *j = recam_draw_record_to_json(&rec);
	cr_assert_null(json_object_get(j, "seed"), "the commitment never carries the seed");
	cr_assert_null(json_object_get(j, "winners"));
	json_decref(j);
	recam_draw_record_free(&rec);
}

Test(draw, the_empty_draw_is_committed_drawn_and_verified)
{
	recam_draw_record rec;
	unsigned char seed[32];
	cr_assert_eq(recam_draw_commit(NULL, NULL, 0, 5, 5, true, &rec, seed), 0);
	cr_assert_eq(recam_draw_execute(&rec, seed, NULL, 0), 0);
	cr_assert_eq(rec.n_winners, 0);
	recam_draw_mismatch mm;
	cr_assert_eq(verify_kind(&rec, NULL, 0, &mm), RECAM_DRAW_OK);
	recam_draw_record_free(&rec);
}

Test(draw, the_record_reader_refuses_malformed_or_foreign_records)
{
	recam_draw_record rec;
	full_record(&rec, NULL);
	json_t *good = recam_draw_record_to_json(&rec);
	recam_draw_record_free(&rec);
	static const struct {
		const char *key;
		const char *json; /* replacement value, or NULL to delete */
	} cases[] = {
	    {"algorithm", "\"other-draw\""},
	    {"version", "2"},
	    {"version", "\"1\""},
	    {"seed_sha256", "\"ABCDEF\""},
	    {"list_sha256", "\"6C4A0CAFC69A1253D94A0C8339238FCDE32403E693B896BD44D6581922AAF418\""},
	    {"seed", "\"00\""},
	    {"entries", "-1"},
	    {"winners_wanted", "1"},
	    {"winners", "[\"e01\", 5, \"e02\"]"},
	    {"winners", "[\"e 01\"]"},
	    {"alternates", NULL},
	    {"one_win_per_participant", "1"},
	    {"total_weight", NULL},
	    {"unexpected", "true"},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		json_t *j = json_deep_copy(good);
		if (cases[c].json) {
			json_error_t err;
			json_t *v = json_loads(cases[c].json, JSON_DECODE_ANY, &err);
			cr_assert_not_null(v);
			json_object_set_new(j, cases[c].key, v);
		} else {
			json_object_del(j, cases[c].key);
		}
		char why[128] = "";
		cr_assert_eq(recam_draw_record_from_json(j, &rec, why, sizeof(why)), RECAM_EINVAL, "case %zu (%s)",
			     c, cases[c].key);
		cr_assert_neq(why[0], '\0');
		json_decref(j);
	}
	json_t *arr = json_array();
	cr_assert_eq(recam_draw_record_from_json(arr, &rec, NULL, 0), RECAM_EINVAL);
	json_decref(arr);
	json_decref(good);
}
