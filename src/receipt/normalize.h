/* normalize.h — Unicode normalization of OCR text and product names.
 *
 * Two levels:
 *   recam_norm_text  for parsing: NFKC (full-width digits/letters, half-width
 *                    katakana, ㈱, ℡), dash and comma look-alikes between
 *                    digits, spaces that Tesseract puts between CJK glyphs
 *                    removed. Keeps the text readable.
 *   recam_norm_key   for matching names: recam_norm_text, then lower-case,
 *                    katakana→hiragana, small kana→large, every long-vowel
 *                    look-alike to ー, spaces and separators dropped.
 * Invalid UTF-8 never fails: bad bytes become U+FFFD (utf8proc's NFKC would
 * return NULL on them, see DESIGN pitfall 9). */
#ifndef RECAM_RECEIPT_NORMALIZE_H
#define RECAM_RECEIPT_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

/* Longest input accepted; longer input is cut (a receipt line is short). */
#define RECAM_NORM_MAX_IN 65536

/* *out is malloc'd, NUL-terminated; caller frees. 0 or RECAM_ENOMEM. */
int recam_norm_text(const char *s, size_t n, char **out);
int recam_norm_key(const char *s, size_t n, char **out);

/* Decodes UTF-8 into code points (invalid bytes → U+FFFD). Returns the count
 * written (at most cap). */
size_t recam_norm_decode(const char *s, size_t n, int32_t *cps, size_t cap);
/* The kana without its voicing mark (ブ, プ → フ), else cp unchanged. */
int32_t recam_norm_kana_base(int32_t cp);
/* s with every kana's voicing mark taken off (ド → ト, パ → ハ), into out:
 * at most cap bytes with its NUL, cut at a whole glyph. Returns out. */
char *recam_norm_devoice(const char *s, char *out, size_t cap);

#endif
