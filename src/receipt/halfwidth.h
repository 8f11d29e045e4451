/* halfwidth.h — half-width katakana lines (ﾍﾞｰｺﾝ ﾊｰﾌ 328※).
 *
 * Receipt printers print kana in half-width cells; Tesseract's Japanese
 * models, trained on full-width text, read them as junk (`A - コ yA-7`). The
 * same line stretched across reads the kana well but the digits and kanji
 * worse. recam_hw_merge takes both readings of one line, glyph by glyph with
 * their boxes, and keeps the kana of the stretched reading and everything
 * else from the plain one, folding a kana followed by a voicing mark read
 * on its own (ﾊﾟ → `ハ°`, ﾀﾞ → `タ"`) into the voiced kana. With the
 * picture (Leptonica, no Tesseract): whether glyphs are narrow (half-width
 * cells) and whether a voicing mark is ﾞ or ﾟ. All unit-tested. */
#ifndef RECAM_RECEIPT_HALFWIDTH_H
#define RECAM_RECEIPT_HALFWIDTH_H

#include <stdbool.h>
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

/* The picture (Leptonica): bin is the line binarized (ink = 1), grey the
 * same line in 8-bit grey. */
struct Pix;

/* Which voicing mark the picture shows around columns [x0, x1) after the
 * kana starting at base_x0, glyphs in rows [top, top + gh): 1 ﾟ, 0 ﾞ, -1
 * when the picture does not say. */
int recam_hw_mark_kind(struct Pix *bin, struct Pix *grey, int base_x0, int x0, int x1, int top, int gh);

/* Glyph widths of a line: glyphs are runs of inked columns within rows
 * [top, top + gh); width[x] is the width of the glyph column x belongs to
 * (0: no ink), glyph_h the upper quartile of their heights. */
typedef struct recam_hw_cols {
	int *width;
	int w;
	int glyph_h;
} recam_hw_cols;
/* 0, or -1 when the line has fewer than three glyphs (g is then empty). */
int recam_hw_cols_make(struct Pix *bin, int top, int gh, recam_hw_cols *g);
void recam_hw_cols_free(recam_hw_cols *g);

enum { RECAM_HW_KANA, RECAM_HW_NAME };
/* The share of glyphs of a reading that sit on a narrow glyph of the
 * picture (at most 0.62 glyph heights wide): which = RECAM_HW_KANA its
 * katakana, RECAM_HW_NAME its glyphs but digits and the last word. -1 when
 * fewer than three could be judged. */
float recam_hw_narrow_share(const recam_hw_cols *g, const recam_hw_sym *s, size_t n, int which);

/* Whether a doubtful line is read again stretched, from the narrow share of
 * its plain reading's name glyphs (recam_hw_narrow_share, RECAM_HW_NAME; -1
 * when there were too few to judge): READ; SKIP when they sit on wide
 * glyphs (full-width print); WAIT when they could not be judged and no line
 * of the page has been read half-width yet (page_seen false): such a line
 * is read stretched only once one has. */
typedef enum { RECAM_HW_READ, RECAM_HW_SKIP, RECAM_HW_WAIT } recam_hw_gate_result;
recam_hw_gate_result recam_hw_gate(float share, bool page_seen);

#endif
