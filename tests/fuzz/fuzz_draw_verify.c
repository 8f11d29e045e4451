/* fuzz_draw_verify.c — libFuzzer target for what `recam draw verify` reads
 * from outside: the eligible-list text and the published JSON record.
 *
 * Input: one flags byte (bits 0-2: K, bits 3-5: A, bit 6: one win per
 * participant), then the list text, then optionally a NUL and a record in
 * JSON.
 *
 * Checked on every input, from the contracts in draw.h:
 *  - a list the parser accepts is canonical: the SHA-256 of the input text
 *    is the list hash (the strict parser admits one spelling per list);
 *  - the draw on it picks distinct entries, never more than K and A, and
 *    one per participant when the rule is on;
 *  - commit, execute, JSON out and back, verify: the true record verifies
 *    and keeps its commitment;
 *  - a record the reader accepts survives a JSON round trip unchanged, and
 *    verifying it against the list either succeeds or reports a mismatch
 *    (never another error, never a crash).
 * Any disagreement aborts, so libFuzzer reports it with the input. */
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"
#include "core/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                                      \
	do {                                                                                                          \
		if (!(c))                                                                                             \
			abort();                                                                                      \
	} while (0)

static void fixed_seed(void *ctx, void *buf, size_t len)
{
	randombytes_buf_deterministic(buf, len, ctx);
}

static void check_draw(const recam_draw_list *l, size_t k, size_t a, bool one, const unsigned char *seed_src)
{
	unsigned char seed_key[randombytes_SEEDBYTES];
	memcpy(seed_key, seed_src, sizeof(seed_key));
	recam_rng rng = {fixed_seed, seed_key};
	recam_draw_record rec, back;
	unsigned char seed[RECAM_DRAW_SEED_BYTES];
	CHECK(recam_draw_commit(&rng, l->entries, l->n, k, a, one, &rec, seed) == 0);
	CHECK(recam_draw_execute(&rec, seed, l->entries, l->n) == 0);
	CHECK(rec.n_winners <= k && rec.n_alternates <= a);
	size_t picked = rec.n_winners + rec.n_alternates;
	for (size_t i = 0; i < picked; i++)
		for (size_t j = i + 1; j < picked; j++) {
			const char *x = i < rec.n_winners ? rec.winners[i] : rec.alternates[i - rec.n_winners];
			const char *y = j < rec.n_winners ? rec.winners[j] : rec.alternates[j - rec.n_winners];
			CHECK(strcmp(x, y) != 0);
			if (one) { /* find both participants: the list is small */
				const char *px = NULL, *py = NULL;
				for (size_t e = 0; e < l->n; e++) {
					if (strcmp(l->entries[e].entry_id, x) == 0)
						px = l->entries[e].participant_id;
					if (strcmp(l->entries[e].entry_id, y) == 0)
						py = l->entries[e].participant_id;
				}
				CHECK(px && py && strcmp(px, py) != 0);
			}
		}
	json_t *j = recam_draw_record_to_json(&rec);
	CHECK(j != NULL);
	CHECK(recam_draw_record_from_json(j, &back, NULL, 0) == 0);
	json_decref(j);
	CHECK(recam_draw_same_commitment(&rec, &back));
	recam_draw_mismatch mm;
	CHECK(recam_draw_verify(&back, l->entries, l->n, &mm) == 0);
	recam_draw_record_free(&back);
	recam_draw_record_free(&rec);
}

static void check_record(const char *text, size_t len, const recam_draw_list *l)
{
	json_error_t err;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL)
		return;
	recam_draw_record rec, back;
	char why[128];
	if (recam_draw_record_from_json(j, &rec, why, sizeof(why)) != 0) {
		json_decref(j);
		return;
	}
	json_decref(j);
	json_t *out = recam_draw_record_to_json(&rec);
	CHECK(out != NULL);
	CHECK(recam_draw_record_from_json(out, &back, NULL, 0) == 0);
	json_decref(out);
	CHECK(recam_draw_same_commitment(&rec, &back));
	CHECK(rec.has_seed == back.has_seed && rec.has_result == back.has_result);
	CHECK(rec.n_winners == back.n_winners && rec.n_alternates == back.n_alternates);
	recam_draw_mismatch mm;
	int rc = recam_draw_verify(&rec, l ? l->entries : NULL, l ? l->n : 0, &mm);
	CHECK(rc == 0 || rc == RECAM_ECONFLICT);
	recam_draw_record_free(&back);
	recam_draw_record_free(&rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		CHECK(sodium_init() >= 0);
		ready = true;
	}
	if (size < 1)
		return 0;
	uint8_t flags = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	const char *nul = memchr(text, '\0', len);
	size_t list_len = nul ? (size_t)(nul - text) : len;

	recam_draw_list l;
	size_t bad;
	int rc = recam_draw_list_parse(text, list_len, &l, &bad);
	CHECK(rc == 0 || rc == RECAM_EINVAL || rc == RECAM_ETOOBIG);
	if (rc == 0) {
		unsigned char a[32], b[32];
		crypto_hash_sha256(a, (const unsigned char *)text, list_len);
		CHECK(recam_draw_list_hash(l.entries, l.n, b) == 0);
		CHECK(memcmp(a, b, sizeof(a)) == 0);
		if (l.n <= 64) /* the pairwise checks above are quadratic */
			check_draw(&l, flags & 7, (flags >> 3) & 7, (flags >> 6) & 1, a);
	}
	if (nul)
		check_record(nul + 1, len - list_len - 1, rc == 0 ? &l : NULL);
	if (rc == 0)
		recam_draw_list_free(&l);
	return 0;
}
