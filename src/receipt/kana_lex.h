/* kana_lex.h — katakana words, and the choice between kana that OCR
 * confuses in item names.
 *
 * The recognizer often reads a kana as its twin with the other voicing mark
 * or size: ペーコン for ベーコン, ボテト for ポテト, メロンバン, キャベッ.
 * A run of katakana in a name that is not made of known words is tried
 * again with one kana swapped for a twin or one of a doubled kana left out
 * (ロールケケーキ), then with two swapped; when exactly one such reading is
 * made of known words (the fewest), it replaces the run. The
 * words (about 29,000 of 3 to 24 glyphs) are the katakana entries of
 * Debian's SKK dictionary and of the IPADIC nouns, embedded at build time
 * by scripts/embed_kana_words.sh. */
#ifndef RECAM_RECEIPT_KANA_LEX_H
#define RECAM_RECEIPT_KANA_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The generated table: words joined by NULs, sorted bytewise, and where
 * each starts. */
extern const char recam_kana_words[];
extern const uint32_t recam_kana_word_at[];
extern const size_t recam_kana_words_count;
/* The measured slips of half-width lines as {read, printed} katakana
 * (src/receipt/kana_confusions.tsv): tried like twins. */
extern const char recam_kana_slips[][2][4];
extern const size_t recam_kana_slips_count;

/* Whether the n bytes at s are one of the count words of a generated table
 * (words joined by NULs, sorted bytewise; at: where each starts). */
bool recam_lex_has(const char *words, const uint32_t *at, size_t count, const char *s, size_t n);

/* Whether the n bytes at s are a word of the table. */
bool recam_kana_lex_has(const char *s, size_t n);

/* Corrects the katakana runs of a NUL-terminated name in place (a kana and
 * its twin are the same number of bytes; a doubled kana left out shortens
 * it). Returns how many runs changed.
 * Any bytes are accepted; invalid UTF-8 is left as it is. */
int recam_kana_lex_fix(char *name);

#endif
