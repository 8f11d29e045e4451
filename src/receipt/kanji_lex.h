/* kanji_lex.h — kanji words, and the kanji the recognizer reads one stroke
 * off in item names.
 *
 * Tesseract reads some kanji as another of nearly the same shape, the same
 * way each time (詰 as 庄, 顆 as 題, 烏 as 鳥), and its alternatives for the
 * glyph do not hold the right one. Which kanji it takes for which was
 * measured (scripts/kanji_confusions.py: receipts whose item names are
 * dictionary words, photographed and read; src/receipt/kanji_confusions.tsv).
 * A run of kanji in a name that reads as fewer words with one such glyph put
 * back (`胃腸薬題粒` → 胃腸薬 + 顆粒) takes that reading when it is the only
 * one that does. The words (kanji only, 2 to 5 glyphs) are the entries of
 * Debian's SKK dictionary and the IPADIC nouns, embedded at build time by
 * scripts/embed_kanji_words.sh. */
#ifndef RECAM_RECEIPT_KANJI_LEX_H
#define RECAM_RECEIPT_KANJI_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The generated tables: words joined by NULs, sorted bytewise, and where
 * each starts; the measured slips as {read, printed}, each a UTF-8 kanji. */
extern const char recam_kanji_words[];
extern const uint32_t recam_kanji_word_at[];
extern const size_t recam_kanji_words_count;
/* The words' indices sorted by their tails (the word without its first kanji). */
extern const uint32_t recam_kanji_tail_order[];
extern const char recam_kanji_slips[][2][4];
extern const size_t recam_kanji_slips_count;

/* Whether the n bytes at s are a word of the table. */
bool recam_kanji_lex_has(const char *s, size_t n);

/* Corrects the kanji runs of a NUL-terminated name in place (a kanji and
 * the one it is taken for are both 3 bytes). Returns how many runs changed.
 * Any bytes are accepted; invalid UTF-8 is left as it is. */
int recam_kanji_lex_fix(char *name);

#endif
