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
	if (best >= before || ties > 0)
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
