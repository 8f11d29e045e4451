/* kana_lex.c — see kana_lex.h.
 *
 * A glyph read twice (ロールケケーキ) is tried left out, as one slip like a
 * twin.
 *
 * Measured on the tuning corpora (saved readings re-parsed, 700 moderate
 * photos): items F1 +0.5 to +1.3 points on each corpus, no name that was
 * right made wrong. The limits below come from those readings:
 *   - words of two glyphs are not used: バン, ビザ, ブリ, ディ would excuse
 *     メロンバン, ビザまん, カスタードブリン as they are read;
 *   - runs of two glyphs are left alone: they are mostly noise (テー, ター);
 *   - a single space inside a run is read through ("トマトジ ュース"):
 *     Tesseract puts spaces between glyphs. */
#include "receipt/kana_lex.h"

#include <string.h>

enum {
	RUN_MIN = 3,
	RUN_MAX = 24,
	WORD_MIN = 3,
	WORD_MAX = 24,
	SWAPS_MAX = 2,
	/* readings tried per name: a run of 24 glyphs needs about 1,100 */
	TRIES_MAX = 4000,
};

bool recam_lex_has(const char *words, const uint32_t *at, size_t count, const char *s, size_t n)
{
	if (n == 0 || memchr(s, '\0', n) != NULL)
		return false;
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *w = words + at[mid];
		int c = strncmp(w, s, n); /* a shorter w compares below s at its NUL */
		if (c == 0 && w[n] == '\0')
			return true;
		if (c == 0)
			c = 1; /* w is longer: s is its prefix and sorts first */
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool recam_kana_lex_has(const char *s, size_t n)
{
	return recam_lex_has(recam_kana_words, recam_kana_word_at, recam_kana_words_count, s, n);
}

/* The code point of the katakana or ー whose 3 UTF-8 bytes start at s, else
 * -1. Reads past s[0] only while the bytes are a 3-byte sequence. */
static int32_t kata_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] != 0xE3 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
		return -1;
	int32_t cp = 0x3000 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	return (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC ? cp : -1;
}

static void put3(char *s, int32_t cp)
{
	s[0] = (char)0xE3;
	s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	s[2] = (char)(0x80 | (cp & 0x3F));
}

/* Kana the recognizer takes for one another: the voicing marks, and the
 * small and large sizes (ツ/ッ: キャベッ, クツキー); then the half-width
 * shapes the stretched reading confuses (halfwidth.c): ﾝ ｯ ｼ ｿ ﾂ are two
 * strokes and a tick (合挽ミッチ, モヤッ, ツフトクリーム), ﾌ and ｱ one hook
 * (アロセスチーズ), ﾙ/ﾚ and ｳ/ﾜ. A kana may be in several families. */
static const char *const families[] = {
	"カガ", "キギ", "クグ", "ケゲ", "コゴ", "サザ", "シジ", "スズ", "セゼ", "ソゾ", "タダ", "チヂ", "ツヅッ", "テデ",
	"トド", "ハバパ", "ヒビピ", "フブプ", "ヘベペ", "ホボポ", "ウヴゥ", "アァ", "イィ", "エェ", "オォ", "ヤャ", "ユュ", "ヨョ",
	"ンッシソツ", "アフブプ", "ルレ", "ウワ",
};

enum { TWINS_MAX = 12 };

/* out[0..n) gets m unless it is there or out is full. */
static size_t add_twin(int32_t *out, size_t n, int32_t m)
{
	for (size_t j = 0; j < n; j++)
		if (out[j] == m)
			return n;
	if (n < TWINS_MAX)
		out[n++] = m;
	return n;
}

/* The other members of cp's families, then the kana it was measured to be
 * a misreading of, into out; returns how many. */
static size_t twins_of(int32_t cp, int32_t out[TWINS_MAX])
{
	size_t n = 0;
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		size_t len = strlen(families[f]) / 3;
		bool member = false;
		for (size_t k = 0; k < len && !member; k++)
			member = kata_at(families[f] + 3 * k) == cp;
		for (size_t k = 0; member && k < len; k++) {
			int32_t m = kata_at(families[f] + 3 * k);
			if (m != cp)
				n = add_twin(out, n, m);
		}
	}
	for (size_t s = 0; s < recam_kana_slips_count; s++) {
		int32_t r = kata_at(recam_kana_slips[s][0]), p = kata_at(recam_kana_slips[s][1]);
		if (r == cp && p >= 0 && p != cp)
			n = add_twin(out, n, p);
	}
	return n;
}

/* The fewest words of the table that make up g[0..n) end to end, or -1. */
static int words_needed(const int32_t *g, size_t n)
{
	int best[RUN_MAX + 1];
	char buf[3 * WORD_MAX];
	best[0] = 0;
	for (size_t i = 1; i <= n; i++) {
		best[i] = -1;
		for (size_t len = WORD_MIN; len <= WORD_MAX && len <= i; len++) {
			size_t j = i - len;
			if (best[j] < 0 || (best[i] >= 0 && best[j] + 1 >= best[i]))
				continue;
			for (size_t k = 0; k < len; k++)
				put3(buf + 3 * k, g[j + k]);
			if (recam_kana_lex_has(buf, 3 * len))
				best[i] = best[j] + 1;
		}
	}
	return best[n];
}

struct pick {
	int32_t g[RUN_MAX];
	size_t n;  /* its glyphs */
	long drop; /* the glyph of the run it leaves out, or -1 */
	int words; /* of the best reading, -1 while there is none */
	int ties;  /* other readings with as few words */
	int tries; /* left for this name */
};

/* One reading of the run: kept in pk when it is made of fewer words than
 * the best so far. */
static void consider(const int32_t *g, size_t n, long drop, struct pick *pk)
{
	if (pk->tries <= 0)
		return;
	pk->tries--;
	int w = words_needed(g, n);
	if (w < 0 || (pk->words >= 0 && w > pk->words))
		return;
	if (w == pk->words) {
		pk->ties++;
		return;
	}
	pk->words = w;
	pk->ties = 0;
	pk->n = n;
	pk->drop = drop;
	memcpy(pk->g, g, n * sizeof g[0]);
}

/* Every reading of g with exactly `swaps` kana from position `from` on
 * swapped for a twin (drop: the run's glyph g leaves out, or -1). */
static void search(int32_t *g, size_t n, size_t from, int swaps, long drop, struct pick *pk)
{
	if (swaps == 0) {
		consider(g, n, drop, pk);
		return;
	}
	for (size_t i = from; i < n; i++) {
		int32_t t[TWINS_MAX], orig = g[i];
		size_t nt = twins_of(orig, t);
		for (size_t k = 0; k < nt; k++) {
			g[i] = t[k];
			search(g, n, i + 1, swaps - 1, drop, pk);
		}
		g[i] = orig;
	}
}

/* Every reading of g with one of a doubled glyph left out and `swaps` kana
 * swapped for a twin: the recognizer reads a glyph twice (プロロセスチーズ,
 * ロールケケーキ, ヨーグルトト; with a twin too, トイレットベーパーー). */
static void undouble(const int32_t *g, size_t n, int swaps, struct pick *pk)
{
	int32_t h[RUN_MAX];
	for (size_t d = 1; d < n && n - 1 >= RUN_MIN; d++) {
		if (g[d] != g[d - 1])
			continue;
		memcpy(h, g, d * sizeof g[0]);
		memcpy(h + d, g + d + 1, (n - d - 1) * sizeof g[0]);
		search(h, n - 1, 0, swaps, (long)d, pk);
	}
}

/* One run: glyphs g at byte offsets at. Returns 1 when it was changed;
 * *removed: the bytes taken out of the name (a doubled glyph). */
static int fix_run(char *name, const size_t *at, int32_t *g, size_t n, int *tries, size_t *removed)
{
	*removed = 0;
	if (words_needed(g, n) >= 0)
		return 0;
	struct pick pk = {.words = -1, .drop = -1, .tries = *tries};
	/* one slip: a twin, or a glyph read twice; then two slips: two twins,
	 * or a glyph read twice and a twin */
	search(g, n, 0, 1, -1, &pk);
	undouble(g, n, 0, &pk);
	for (int swaps = 2; swaps <= SWAPS_MAX && pk.words < 0 && pk.tries > 0; swaps++) {
		search(g, n, 0, swaps, -1, &pk);
		undouble(g, n, swaps - 1, &pk);
	}
	bool complete = pk.tries > 0;
	*tries = pk.tries;
	if (pk.words < 0 || pk.ties > 0 || !complete)
		return 0;
	for (size_t k = 0, j = 0; k < n; k++)
		if ((long)k != pk.drop)
			put3(name + at[k], pk.g[j++]);
	if (pk.drop >= 0) {
		char *d = name + at[pk.drop];
		memmove(d, d + 3, strlen(d + 3) + 1);
		*removed = 3;
	}
	return 1;
}

int recam_kana_lex_fix(char *name)
{
	size_t len = strlen(name), at[RUN_MAX], n = 0;
	int32_t g[RUN_MAX];
	bool too_long = false;
	int changed = 0, tries = TRIES_MAX;
	for (size_t i = 0;;) {
		int32_t cp = i + 3 <= len ? kata_at(name + i) : -1;
		if (cp >= 0) {
			if (n < RUN_MAX) {
				at[n] = i;
				g[n++] = cp;
			} else {
				too_long = true;
			}
			i += 3;
			continue;
		}
		/* one space inside a run */
		if (n > 0 && name[i] == ' ' && i + 4 <= len && kata_at(name + i + 1) >= 0) {
			i++;
			continue;
		}
		if (n >= RUN_MIN && !too_long) {
			size_t removed;
			changed += fix_run(name, at, g, n, &tries, &removed);
			i -= removed;
			len -= removed;
		}
		n = 0;
		too_long = false;
		if (i >= len)
			break;
		i++;
	}
	return changed;
}
