/* ocr.h — one warm Tesseract engine (C API). Initialize once per worker
 * process (0.15–0.35 s, ~50 MB), then recognize many images with it. */
#ifndef RECAM_RECEIPT_OCR_H
#define RECAM_RECEIPT_OCR_H

#include <stdbool.h>
#include <stddef.h>

#include "receipt/receipt.h"

struct Pix;
typedef struct recam_ocr recam_ocr;

/* langs: "jpn", "jpn+eng", "Japanese" ... from the system tessdata.
 * Sets OMP_THREAD_LIMIT=1 first (DESIGN pitfall 2). RECAM_EINTERNAL when the
 * language data is missing. */
int recam_ocr_new(const char *langs, recam_ocr **out);
void recam_ocr_free(recam_ocr *e);

/* Recognizes pix with page segmentation mode 6 (one uniform block: pitfall 3).
 * timeout_ms bounds recognition: past it, RECAM_ETIMEOUT when cut_short is
 * NULL; otherwise the lines recognized by then (the words not reached are
 * left out) and *cut_short true. Lines are malloc'd; free with
 * recam_ocr_lines_free. *mean_conf: mean word confidence 0..1. */
int recam_ocr_run(recam_ocr *e, struct Pix *pix, int timeout_ms, recam_ocr_line **lines, size_t *n,
		  float *mean_conf, bool *cut_short);
void recam_ocr_lines_free(recam_ocr_line *lines, size_t n);

/* The first words of a line as the page reading gave them. */
enum { RECAM_OCR_LEAD_WORDS = 3 };
typedef struct {
	int x1, x2;   /* across; -1 when unknown */
	size_t end;   /* where it ends in the line's text */
	float conf;   /* its confidence */
	bool short_w; /* a glyph or two */
	bool marks;   /* marks only ("|", "[") */
	bool mark;    /* a reduced-rate mark (軽 ※ * ★) */
} recam_ocr_lead_word;
typedef struct {
	recam_ocr_lead_word w[RECAM_OCR_LEAD_WORDS];
	float tail_min; /* the lowest confidence of the words after those */
	int sure_x1;	/* where its first word read with confidence 0.5 or more,
			 * not of marks only, starts; -1 when none is */
	int words;
} recam_ocr_lead;

/* Words read before the text's left margin are not print but the paper's
 * edge, the table or a shadow (`調 牛切落し ¥798`, `| 谷凍からあげ`,
 * `議 アイスコーヒー ¥488`); recam_ocr_run drops them. The margin is the
 * third-leftmost start of the lines' first words read with confidence 0.5
 * or more and not of marks only, away from the image's edge (on a page
 * with a column of junk down its left side the lines themselves start in
 * the junk). The first word or two of a line are dropped from its text,
 * its confidences and its box (so that a re-read does not see them) when
 * each is a glyph or two — at the image's edge, of marks only (`|`), or
 * read with confidence below 0.5 and no reduced-rate mark —, the last ends
 * left of the margin, and the next word starts at the margin or right of
 * it, a line height further on. A label at the margin of a tightly cropped
 * page (`計 ¥2,885`) ends right of it and stays. leads[i] are line i's
 * first words; conf_sum and conf_n (the page's word confidences) lose the
 * dropped words. */
void recam_ocr_drop_edge_words(recam_ocr_line *lines, const recam_ocr_lead *leads, size_t n, double *conf_sum,
			       int *conf_n);

/* Loads a second model ("jpn") used only by recam_ocr_reread. */
int recam_ocr_set_alt(recam_ocr *e, const char *langs);

/* What a re-read did about half-width print: nothing, merged a stretched
 * reading into the line, or left the line for later (its glyphs could not
 * tell, and no line of the page had been merged: hw_seen false). */
typedef enum { RECAM_HW_NONE, RECAM_HW_MERGED, RECAM_HW_DEFERRED } recam_hw_outcome;

/* Re-reads one line of pix on its own (its box plus a margin, page
 * segmentation mode 7): first with the main model, then, while the score
 * (½ mean + ½ lowest word confidence) is still below `enough`, stretched
 * when it looks half-width, on its text band alone when the box took in a
 * rule (recam_ocr_text_band), then with the second model. The best reading
 * replaces the line's text and confidences
 * when it beats them by more than 0.03. A line with too few glyphs of a
 * name to judge their width is read stretched only when hw_seen (a line of
 * the page was merged before); *hw says what was done. 0, RECAM_ENOMEM or
 * RECAM_ETIMEOUT (the line is then left as it was). */
int recam_ocr_reread(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, float enough, bool hw_seen, int timeout_ms,
		     recam_hw_outcome *hw);

/* A line left as RECAM_HW_DEFERRED, on a page where another line was then
 * merged: read plain and stretched, and merged as recam_ocr_reread would
 * have (*merged then). Returns as recam_ocr_reread. */
int recam_ocr_reread_halfwidth(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, int timeout_ms, bool *merged);

/* A header line printed double width (a store's name in 横倍角: the
 * recognizer reads such glyphs twice or as others) read again squeezed
 * across to a half and to three quarters of its width; the best reading
 * replaces the line's when it beats it by more than 0.03. Returns as
 * recam_ocr_reread. */
int recam_ocr_reread_wide(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, int timeout_ms);

/* The median height of the lines with a box (0 when none, -1 when memory
 * ran out). */
int recam_ocr_median_height(const recam_ocr_line *lines, size_t n);

/* The first band of rows in pix (8 bpp) between y0 and y1 that is printed
 * reversed, white on black (a store's name as a banner): at least min_h
 * rows each darker than 150 over a quarter of the width or more, with
 * lighter rows above and below it; its box is the longest dark run of any
 * of its rows (a third of the width at least), and two rows at least are
 * dark over 95% of it (the band's margin around the glyphs: a line of bold
 * glyphs has none). False when there is none. */
bool recam_ocr_dark_band(struct Pix *pix, int y0, int y1, int min_h, int *x, int *y, int *w, int *h);

/* Reads the box of pix inverted (white on black made black on white), as
 * it is and squeezed to three quarters and half its width (a banner is
 * often double width);
 * *line gets the better reading when it scores 0.5 or more with two glyphs
 * at least (its text malloc'd), else its text is NULL. Returns as
 * recam_ocr_reread. */
int recam_ocr_read_reversed(recam_ocr *e, struct Pix *pix, int x, int y, int w, int h, int timeout_ms,
			    recam_ocr_line *line);

/* Reads the line once more with the glyphs' alternatives, and where that
 * reading is the line's own but for 9s that the recognizer also took for 0
 * (a slashed zero), writes those 0s into line->text (recam_ocr_put_zeros);
 * *zeros is how many. */
int recam_ocr_zero_check(recam_ocr *e, struct Pix *pix, recam_ocr_line *line, int timeout_ms, int *zeros);
/* Writes the 0s of fixed (the line read again, 9s made 0 where the
 * alternatives say so) into text when the two are the same line glyph for
 * glyph, spaces and end marks aside, but for 9 → 0, the T of 登録番号 read
 * as 1 in text, and one letter more in fixed. Returns the 9s made 0. */
int recam_ocr_put_zeros(char *text, const char *fixed);

/* The rows of crop (8 bpp, a line's box) that hold its text: the tallest
 * run of inked rows, when blank rows part it from another run at most a
 * third as tall (a rule or a row of dots the page reading took into the
 * line). False when the crop is one band. recam_ocr_reread reads a weak
 * line's band alone. */
bool recam_ocr_text_band(struct Pix *crop, int *top, int *height);

/* The text given to the recognizer since the engine was made, in line
 * heights (a line w wide and h high counts w / h: the lines of a page, the
 * crops of lines re-read, stretched lines): the reader's measure of work
 * done, the same on every machine. */
double recam_ocr_work(const recam_ocr *e);

#endif
