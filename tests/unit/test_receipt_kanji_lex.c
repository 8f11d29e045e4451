/* The kanji word table and the measured kanji slips in item names. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "receipt/kanji_lex.h"

static bool has(const char *s) { return recam_kanji_lex_has(s, strlen(s)); }

/* Whether the measured table says `read` is how `printed` was read. */
static bool slip(const char *read, const char *printed)
{
	for (size_t i = 0; i < recam_kanji_slips_count; i++)
		if (strcmp(recam_kanji_slips[i][0], read) == 0 && strcmp(recam_kanji_slips[i][1], printed) == 0)
			return true;
	return false;
}

/* The name after the fix, and how many runs changed. */
static const char *fixed(const char *in, int *changed)
{
	static char buf[4096];
	cr_assert_lt(strlen(in), sizeof buf);
	strcpy(buf, in);
	*changed = recam_kanji_lex_fix(buf);
	return buf;
}

#define FIXES(in, want, runs)                         \
	do {                                          \
		int c_;                               \
		const char *o_ = fixed(in, &c_);      \
		cr_assert_str_eq(o_, want, "%s", in); \
		cr_assert_eq(c_, runs, "%s", in);     \
	} while (0)

Test(kanji_lex, tables_are_sorted_and_hold_common_words)
{
	cr_assert_gt(recam_kanji_words_count, 100000);
	for (size_t i = 1; i < recam_kanji_words_count; i++)
		cr_assert_lt(strcmp(recam_kanji_words + recam_kanji_word_at[i - 1], recam_kanji_words + recam_kanji_word_at[i]),
			     0, "word %zu", i);
	cr_assert(has("牛乳"));
	cr_assert(has("烏龍茶"));
	cr_assert(has("絆創膏"));
	cr_assert_not(has("鳥龍茶"));
	cr_assert_not(has("絆創")); /* a prefix of a word */
	cr_assert_not(has("牛"));   /* one kanji is no entry */
	cr_assert_not(has(""));
	cr_assert_not(recam_kanji_lex_has("牛\0乳", 7));
	/* every slip is one kanji for another */
	cr_assert_gt(recam_kanji_slips_count, 50);
	for (size_t i = 0; i < recam_kanji_slips_count; i++) {
		cr_assert_eq(strlen(recam_kanji_slips[i][0]), 3, "slip %zu", i);
		cr_assert_eq(strlen(recam_kanji_slips[i][1]), 3, "slip %zu", i);
		cr_assert_str_neq(recam_kanji_slips[i][0], recam_kanji_slips[i][1], "slip %zu", i);
	}
}

Test(kanji_lex, measured_slips_put_back)
{
	cr_assert(slip("育", "膏"), "the table lacks 膏 read as 育");
	cr_assert(slip("鳥", "烏"), "the table lacks 烏 read as 鳥");
	FIXES("絆創育 30 枚", "絆創膏 30 枚", 1);
	FIXES("絆創育防水 20 枚", "絆創膏防水 20 枚", 1);
	FIXES("鳥龍茶 2L", "烏龍茶 2L", 1);
	/* the space Tesseract put inside the run is kept */
	FIXES("鳥 龍茶 500ml", "烏 龍茶 500ml", 1);
	/* two runs of one name */
	FIXES("鳥龍茶 と 絆創育", "烏龍茶 と 絆創膏", 2);
}

Test(kanji_lex, words_and_lone_kanji_are_left_alone)
{
	FIXES("焼鳥 5 本", "焼鳥 5 本", 0);   /* a word with 鳥 in it */
	FIXES("白鳥の湖", "白鳥の湖", 0);
	FIXES("体育館", "体育館", 0);
	FIXES("鶏もも肉 国産", "鶏もも肉 国産", 0); /* runs of one kanji */
	FIXES("鳥", "鳥", 0);
	FIXES("牛乳 1000ml", "牛乳 1000ml", 0);
	FIXES("", "", 0);
}

Test(kanji_lex, tails_are_sorted)
{
	/* every word once, in the order of the word without its first kanji */
	char *seen = calloc(recam_kanji_words_count, 1);
	cr_assert_not_null(seen);
	for (size_t i = 0; i < recam_kanji_words_count; i++) {
		uint32_t w = recam_kanji_tail_order[i];
		cr_assert_lt(w, recam_kanji_words_count);
		cr_assert_not(seen[w], "word %u twice", w);
		seen[w] = 1;
		if (i > 0)
			cr_assert_leq(strcmp(recam_kanji_words + recam_kanji_word_at[recam_kanji_tail_order[i - 1]] + 3,
					     recam_kanji_words + recam_kanji_word_at[w] + 3),
				      0, "tail %zu", i);
	}
	free(seen);
}

Test(kanji_lex, an_unreadable_glyph_filled_in)
{
	/* no slip of the table: the only kanji that joins three pieces into one word */
	FIXES("絆創斉 30 枚", "絆創膏 30 枚", 1);
	FIXES("絆創旭防水 20 枚", "絆創膏防水 20 枚", 1);
	FIXES("旋酸水 1L", "炭酸水 1L", 1); /* the first glyph */
	/* one piece saved is not enough: right names the table lacks */
	FIXES("鮭弁当", "鮭弁当", 0);	/* 手弁当 is a word */
	FIXES("乾電池単3 4本", "乾電池単3 4本", 0);
	FIXES("洗濯洗剤詰替", "洗濯洗剤詰替", 0);
	/* many kanji make a word: none is taken (庄替 → 両替, 切替, 詰替 ...) */
	FIXES("庄替", "庄替", 0);
	FIXES("胃腸薬題粒", "胃腸薬題粒", 0);
}

Test(kanji_lex, hostile_bytes)
{
	FIXES("鳥龍茶\xE4\xB8", "烏龍茶\xE4\xB8", 1); /* truncated kanji after the run */
	FIXES("\xE4\xB8\xE9\xB3\xA5", "\xE4\xB8\xE9\xB3\xA5", 0);
	FIXES("\xE9", "\xE9", 0);
	FIXES("\xFF\xFE 鳥", "\xFF\xFE 鳥", 0);
	/* a run longer than the run limit, and many short runs: bounded work */
	char *s = malloc(3 * 1000 + 1);
	cr_assert_not_null(s);
	s[0] = '\0';
	for (int i = 0; i < 1000; i++)
		strcat(s, "鳥");
	int c;
	fixed(s, &c);
	cr_assert_eq(c, 0);
	s[0] = '\0';
	for (int i = 0; i < 300; i++)
		strcat(s, i % 3 == 2 ? " " : "鳥");
	cr_assert_eq(recam_kanji_lex_fix(s), 0);
	free(s);
}
