/* kanji_lex.c — see kanji_lex.h.
 *
 * A run of kanji is cut into the fewest pieces, a piece being a word of the
 * table (2 to 5 kanji) or one kanji on its own. A slip put back is taken
 * only when the run then needs fewer pieces and no other slip does as well:
 * `庄替` (2 pieces) → `詰替`? no such word, left; `胃腸薬題粒` (3) →
 * 胃腸薬 + 顆粒 (2). One slip per run: two are rare and would let the table
 * excuse too much. */
#include "receipt/kanji_lex.h"

#include <string.h>

#include "receipt/kana_lex.h"

enum {
	RUN_MIN = 2,
	RUN_MAX = 16,
	WORD_MIN = 2,
	WORD_MAX = 5,
	GLYPH = 3, /* bytes of a kanji in UTF-8 */
};

bool recam_kanji_lex_has(const char *s, size_t n)
{
	return recam_lex_has(recam_kanji_words, recam_kanji_word_at, recam_kanji_words_count, s, n);
}

/* Whether the bytes at s (NUL-terminated) start with a kanji of
 * U+4E00..U+9FFF or 々; reads past s[0] only while they are a 3-byte
 * sequence. */
static bool kanji_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x85)
		return true; /* 々 */
	return u[0] >= 0xE4 && u[0] <= 0xE9 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80;
}

/* The fewest pieces g (n glyphs of 3 bytes, contiguous) is cut into. */
static int pieces(const char *g, size_t n)
{
	int best[RUN_MAX + 1];
	best[0] = 0;
	for (size_t i = 1; i <= n; i++) {
		best[i] = best[i - 1] + 1;
		for (size_t len = WORD_MIN; len <= WORD_MAX && len <= i; len++) {
			size_t j = i - len;
			if (best[j] + 1 < best[i] && recam_kanji_lex_has(g + GLYPH * j, GLYPH * len))
				best[i] = best[j] + 1;
		}
	}
	return best[n];
}

/* How the NUL-terminated word w compares with the n bytes at key taken as a
 * whole word (a longer w with key as its prefix sorts after). */
static int word_cmp(const char *w, const char *key, size_t n)
{
	int c = strncmp(w, key, n);
	return c != 0 ? c : w[n] != '\0';
}

/* The first index in order[0..count) (indices of words, sorted so that
 * key_of(word) ascends) whose key is not below the n bytes at key; skip:
 * bytes of the word before its key. */
static size_t lower_bound(const uint32_t *order, size_t count, size_t skip, const char *key, size_t n)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t w = order ? order[mid] : mid;
		if (word_cmp(recam_kanji_words + recam_kanji_word_at[w] + skip, key, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A glyph the recognizer could not read at all (`絆創斉`, `旋酸水`): the
 * kanji that, put at glyph i of g[a..b) (3 to 5 glyphs), make a word of the
 * table; found in out (up to cap), how many there are returned. A span of
 * two glyphs is not tried: nearly any kanji makes a word with one other. */
static size_t gap_fillers(const char *g, size_t a, size_t b, size_t i, char (*out)[GLYPH], size_t cap)
{
	size_t len = GLYPH * (b - a), found = 0;
	const char *span = g + GLYPH * a;
	size_t off = GLYPH * (i - a);
	if (i == a) {
		/* the words whose tail is the rest of the span */
		size_t k = lower_bound(recam_kanji_tail_order, recam_kanji_words_count, GLYPH, span + GLYPH,
				       len - GLYPH);
		for (; k < recam_kanji_words_count; k++) {
			const char *w = recam_kanji_words + recam_kanji_word_at[recam_kanji_tail_order[k]];
			if (word_cmp(w + GLYPH, span + GLYPH, len - GLYPH) != 0)
				break;
			if (found < cap)
				memcpy(out[found], w, GLYPH);
			found++;
		}
		return found;
	}
	/* the words that start with the glyphs before i */
	for (size_t k = lower_bound(NULL, recam_kanji_words_count, 0, span, off); k < recam_kanji_words_count; k++) {
		const char *w = recam_kanji_words + recam_kanji_word_at[k];
		if (strncmp(w, span, off) != 0)
			break;
		if (strlen(w) != len || memcmp(w + off + GLYPH, span + off + GLYPH, len - off - GLYPH) != 0)
			continue;
		if (found < cap)
			memcpy(out[found], w + off, GLYPH);
		found++;
	}
	return found;
}

/* No slip of the table helped: one glyph of the run taken as unreadable.
 * Of all the kanji that make a span of 3 to 5 glyphs around it a word, the
 * one that leaves the run in the fewest pieces is put in, when it is the
 * only one and saves two pieces at least (`絆創斉` 3 pieces → 絆創膏 1).
 * Saving one is not enough: a right name the table lacks turns into one it
 * has (`鮭弁当` → 手弁当, `乾電池単3` → 乾電池式). Returns 1 when the name
 * changed. */
static int fill_gap(char *name, const size_t *at, char *g, size_t n)
{
	enum { CAP = 8 };
	int before = pieces(g, n), best = before, ties = 0;
	size_t best_i = 0;
	char best_k[GLYPH];
	for (size_t i = 0; i < n; i++) {
		char orig[GLYPH];
		memcpy(orig, g + GLYPH * i, GLYPH);
		for (size_t a = i >= WORD_MAX - 1 ? i - (WORD_MAX - 1) : 0; a <= i; a++) {
			for (size_t b = a + 3; b <= n && b <= a + WORD_MAX; b++) {
				if (b <= i)
					continue;
				char k[CAP][GLYPH];
				size_t m = gap_fillers(g, a, b, i, k, CAP);
				if (m > CAP) {
					ties++; /* too many to tell apart */
					continue;
				}
				for (size_t j = 0; j < m; j++) {
					if (memcmp(k[j], orig, GLYPH) == 0)
						continue;
					memcpy(g + GLYPH * i, k[j], GLYPH);
					int p = pieces(g, n);
					memcpy(g + GLYPH * i, orig, GLYPH);
					if (p < best) {
						best = p;
						best_i = i;
						memcpy(best_k, k[j], GLYPH);
						ties = 0;
					} else if (p == best && p < before && (i != best_i || memcmp(k[j], best_k, GLYPH) != 0)) {
						ties++;
					}
				}
			}
		}
	}
	if (best > before - 2 || ties > 0)
		return 0;
	memcpy(name + at[best_i], best_k, GLYPH);
	return 1;
}

/* One run: glyphs g (contiguous copy), their offsets at in the name.
 * Returns 1 when a slip was put back in the name. */
static int fix_run(char *name, const size_t *at, char *g, size_t n)
{
	int before = pieces(g, n), best = before, ties = 0;
	size_t best_i = 0, best_s = 0;
	for (size_t i = 0; i < n; i++) {
		char orig[GLYPH];
		memcpy(orig, g + GLYPH * i, GLYPH);
		for (size_t s = 0; s < recam_kanji_slips_count; s++) {
			if (memcmp(recam_kanji_slips[s][0], orig, GLYPH) != 0)
				continue;
			memcpy(g + GLYPH * i, recam_kanji_slips[s][1], GLYPH);
			int p = pieces(g, n);
			if (p < best) {
				best = p;
				best_i = i;
				best_s = s;
				ties = 0;
			} else if (p == best && p < before) {
				ties++;
			}
		}
		memcpy(g + GLYPH * i, orig, GLYPH);
	}
	if (best >= before)
		return fill_gap(name, at, g, n);
	if (ties > 0)
		return 0;
	memcpy(name + at[best_i], recam_kanji_slips[best_s][1], GLYPH);
	return 1;
}

int recam_kanji_lex_fix(char *name)
{
	size_t len = strlen(name), at[RUN_MAX], n = 0;
	char g[GLYPH * RUN_MAX];
	bool too_long = false;
	int changed = 0;
	for (size_t i = 0;;) {
		if (i + GLYPH <= len && kanji_at(name + i)) {
			if (n < RUN_MAX) {
				at[n] = i;
				memcpy(g + GLYPH * n++, name + i, GLYPH);
			} else {
				too_long = true;
			}
			i += GLYPH;
			continue;
		}
		/* one space inside a run: Tesseract spaces glyphs */
		if (n > 0 && name[i] == ' ' && i + 1 + GLYPH <= len && kanji_at(name + i + 1)) {
			i++;
			continue;
		}
		if (n >= RUN_MIN && !too_long)
			changed += fix_run(name, at, g, n);
		n = 0;
		too_long = false;
		if (i >= len)
			break;
		i++;
	}
	return changed;
}
