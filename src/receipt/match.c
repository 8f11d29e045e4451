/* match.c — product matching by weighted edit distance over normalized keys
 * (recam_norm_key: NFKC, katakana→hiragana, long-vowel look-alikes). Cheap
 * substitutions are the slips Tesseract makes; everything else costs 1. */
#include "receipt/match.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "receipt/normalize.h"

#define MAX_CP 256

/* Pairs of glyphs the recognizer confuses (after katakana→hiragana). */
static const int32_t confusable[][2] = {
	{0x30FC, 0x4E00}, /* ー 一 */ {0x308D, 0x53E3}, /* ろ 口 */ {0x304B, 0x529B}, /* か 力 */
	{0x3048, 0x5DE5}, /* え 工 */ {0x306B, 0x4E8C}, /* に 二 */ {0x3068, 0x535C}, /* と 卜 */
	{0x306F, 0x516B}, /* は 八 */ {0x305F, 0x5915}, /* た 夕 */ {0x3078, 0x30D8}, /* へ ヘ */
	{0x3064, 0x3063}, /* つ っ */ {0x3084, 0x3083}, /* や ゃ */ {0x3086, 0x3085}, /* ゆ ゅ */
	{0x3088, 0x3087}, /* よ ょ */ {0x305D, 0x3093}, /* そ ん */ {0x3057, 0x3064}, /* し つ */
	{'l', '1'}, {'o', '0'},
};

static float sub_cost(int32_t a, int32_t b)
{
	if (a == b)
		return 0;
	bool da = a >= '0' && a <= '9', db = b >= '0' && b <= '9';
	if (da || db)
		return 2; /* sizes and counts must agree exactly */
	if (recam_norm_kana_base(a) == recam_norm_kana_base(b))
		return 0.3f; /* voicing marks: ブ/プ/フ */
	for (size_t i = 0; i < sizeof(confusable) / sizeof(confusable[0]); i++)
		if ((confusable[i][0] == a && confusable[i][1] == b) || (confusable[i][0] == b && confusable[i][1] == a))
			return 0.4f;
	return 1;
}

static size_t key_cps(const char *s, int32_t *cps)
{
	char *k = NULL;
	if (recam_norm_key(s, strlen(s), &k) != 0)
		return (size_t)-1;
	size_t n = recam_norm_decode(k, strlen(k), cps, MAX_CP);
	free(k);
	return n;
}

static bool same_digits(const int32_t *a, size_t na, const int32_t *b, size_t nb)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < na && !(a[i] >= '0' && a[i] <= '9'))
			i++;
		while (j < nb && !(b[j] >= '0' && b[j] <= '9'))
			j++;
		if (i == na || j == nb)
			return i == na && j == nb;
		if (a[i++] != b[j++])
			return false;
	}
}

double recam_match_similarity(const char *a, const char *b)
{
	int32_t ka[MAX_CP], kb[MAX_CP];
	size_t na = key_cps(a, ka), nb = key_cps(b, kb);
	if (na == (size_t)-1 || nb == (size_t)-1)
		return -1;
	if (na == 0 || nb == 0)
		return 0;
	if (!same_digits(ka, na, kb, nb))
		return 0;
	float *prev = malloc((nb + 1) * sizeof(float)), *cur = malloc((nb + 1) * sizeof(float));
	if (prev == NULL || cur == NULL) {
		free(prev);
		free(cur);
		return -1;
	}
	for (size_t j = 0; j <= nb; j++)
		prev[j] = (float)j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = (float)i;
		for (size_t j = 1; j <= nb; j++) {
			float d = prev[j - 1] + sub_cost(ka[i - 1], kb[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		float *t = prev;
		prev = cur;
		cur = t;
	}
	double dist = prev[nb];
	free(prev);
	free(cur);
	double len = (double)(na > nb ? na : nb);
	double sim = 1.0 - dist / len;
	return sim < 0 ? 0 : sim;
}

int recam_match_items(const json_t *items, const recam_match_target *targets, size_t ntargets,
		      recam_match_hit **hits, size_t *nhits)
{
	*hits = NULL;
	*nhits = 0;
	size_t n = json_array_size(items);
	recam_match_hit *h = calloc(n ? n : 1, sizeof(*h));
	if (h == NULL)
		return RECAM_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *it = json_array_get(items, i);
		const char *name = json_string_value(json_object_get(it, "name"));
		double conf = json_number_value(json_object_get(it, "name_confidence"));
		if (json_object_get(it, "name_confidence") == NULL)
			conf = json_number_value(json_object_get(it, "confidence"));
		if (name == NULL || json_is_true(json_object_get(it, "discount")))
			continue;
		double best = 0;
		int bt = -1;
		for (size_t t = 0; t < ntargets; t++) {
			if (targets[t].jan && strstr(name, targets[t].jan)) {
				best = 1;
				bt = (int)t;
				break;
			}
			for (size_t a = 0; a <= targets[t].naliases; a++) {
				const char *cand = a == 0 ? targets[t].name : targets[t].aliases[a - 1];
				if (cand == NULL)
					continue;
				double s = recam_match_similarity(name, cand);
				if (s < 0) {
					free(h);
					return RECAM_ENOMEM;
				}
				if (s > best) {
					best = s;
					bt = (int)t;
				}
			}
		}
		if (bt >= 0 && best >= RECAM_MATCH_THRESHOLD) {
			h[k].item = (int)i;
			h[k].target = bt;
			h[k].similarity = best;
			h[k].score = best * (conf > 0 ? conf : 0.5);
			k++;
		}
	}
	*hits = h;
	*nhits = k;
	return 0;
}
