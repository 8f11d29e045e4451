/* halfwidth.h — half-width katakana lines (ﾍﾞｰｺﾝ ﾊｰﾌ 328※).
 *
 * Receipt printers print kana in half-width cells; Tesseract's Japanese
 * models, trained on full-width text, read them as junk (`A - コ yA-7`). The
 * same line stretched across reads the kana well but the digits and kanji
 * worse. recam_hw_merge takes both readings of one line, glyph by glyph with
 * their boxes, and keeps the kana of the stretched reading and everything
 * else from the plain one, folding a kana followed by a voicing mark read
 * on its own (ﾊﾟ → `ハ°`, ﾀﾞ → `タ"`) into the voiced kana. No Tesseract
 * here: pure functions on recognised glyphs (unit-tested). */
#ifndef RECAM_RECEIPT_HALFWIDTH_H
#define RECAM_RECEIPT_HALFWIDTH_H

#include <stddef.h>

/* One recognised glyph of a line reading. */
typedef struct recam_hw_sym {
	char t[16];	/* the glyph, UTF-8 (cut at 15 bytes) */
	int x0, x1;	/* its extent across, in pixels of the unstretched line */
	float conf;	/* the confidence of its word, 0..1 */
	int word;	/* index of its word in the reading */
} recam_hw_sym;

/* plain: the line read as it is; stretched: read stretched across (x already
 * mapped back). glyph_h: the line's glyph height in pixels. *text (malloc'd)
 * is the merged line; *conf and *min_conf the mean and lowest confidence of
 * the words it took glyphs from. Returns the number of kana glyphs taken
 * from the stretched reading (0: *text is NULL, nothing to merge), or
 * RECAM_ENOMEM (negative). */
int recam_hw_merge(const recam_hw_sym *plain, size_t n_plain, const recam_hw_sym *stretched, size_t n_stretched,
		   int glyph_h, char **text, float *conf, float *min_conf);

/* True when glyph i of a reading is a voicing mark read on its own (`"`,
 * `°`, `~` ...) right after ハ ヒ フ ヘ ホ: only there do ﾞ and ﾟ give
 * different kana, and the recognizer confuses them (ﾌﾟ read `フ"`). */
int recam_hw_mark_ambiguous(const recam_hw_sym *syms, size_t n, size_t i);
/* A katakana glyph (full- or half-width). */
int recam_hw_is_katakana(const char *glyph);
/* Rewrites glyph s as a dakuten ゛ (semi = 0) or a handakuten ゜ (semi = 1):
 * what the picture showed. */
void recam_hw_set_mark(recam_hw_sym *s, int semi);

#endif
