/* The katakana word table and the choice between kana twins in item names. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "receipt/kana_lex.h"

static bool has(const char *s) { return recam_kana_lex_has(s, strlen(s)); }

/* The name after the fix, and how many runs changed. */
static const char *fixed(const char *in, int *changed)
{
	static char buf[4096];
	cr_assert_lt(strlen(in), sizeof buf);
	strcpy(buf, in);
	*changed = recam_kana_lex_fix(buf);
	return buf;
}

#define FIXES(in, want, runs)                      \
	do {                                       \
		int c_;                            \
		const char *o_ = fixed(in, &c_);   \
		cr_assert_str_eq(o_, want, "%s", in); \
		cr_assert_eq(c_, runs, "%s", in);  \
	} while (0)

Test(kana_lex, table_is_sorted_and_holds_common_words)
{
	cr_assert_gt(recam_kana_words_count, 10000);
	for (size_t i = 1; i < recam_kana_words_count; i++)
		cr_assert_lt(strcmp(recam_kana_words + recam_kana_word_at[i - 1], recam_kana_words + recam_kana_word_at[i]),
			     0, "word %zu", i);
	cr_assert(has("ベーコン"));
	cr_assert(has("キャベツ"));
	cr_assert(has("ポップコーン"));
	cr_assert_not(has("ペーコン"));
	cr_assert_not(has("ベーコ")); /* a prefix of a word */
	cr_assert_not(has("ベーコンベ"));
	cr_assert_not(has(""));
	cr_assert_not(recam_kana_lex_has("ベー\0ン", 10));
	cr_assert_not(has("\xE3\x83"));
}

Test(kana_lex, voicing_marks_read_wrong)
{
	FIXES("ペーコン", "ベーコン", 1);
	FIXES("ボテトチップス うすしお", "ポテトチップス うすしお", 1);
	FIXES("カスタードブリン", "カスタードプリン", 1);
	/* the space Tesseract put inside the run is kept */
	FIXES("メロンバン チョコチップ", "メロンパン チョコチップ", 1);
	FIXES("キャペツ 1/2", "キャベツ 1/2", 1);
	/* two runs of one name */
	FIXES("ペーコン 厚切り ボテト", "ベーコン 厚切り ポテト", 2);
}

Test(kana_lex, sizes_read_wrong)
{
	FIXES("キャベッ", "キャベツ", 1);
	FIXES("ココナッツクツキー", "ココナッツクッキー", 1);
}

/* Shapes the stretched reading of half-width kana confuses: ﾝ ｯ ｼ ｿ ﾂ, ﾌ/ｱ,
 * ﾙ/ﾚ, ｳ/ﾜ (as read on generated photos). */
Test(kana_lex, half_width_shapes_read_wrong)
{
	FIXES("合挽ミッチ", "合挽ミンチ", 1);
	FIXES("モヤッ", "モヤシ", 1);
	FIXES("冷凍チャーハッ", "冷凍チャーハン", 1);
	FIXES("ツフトクリーム", "ソフトクリーム", 1);
	FIXES("アロセスチーズ", "プロセスチーズ", 1);
	FIXES("ワインナー あらびき", "ウインナー あらびき", 1);
	/* a kana in two families: ッ is a size twin of ツ and a shape twin of ン */
	FIXES("メロンパッ", "メロンパン", 1);
	/* right words stay, whatever their twins make */
	FIXES("ソフト", "ソフト", 0);
	FIXES("ワイン", "ワイン", 0);
	FIXES("シール", "シール", 0);
	/* two shape slips and nothing of a word: left alone */
	FIXES("ッッッ", "ッッッ", 0);
}

/* The slips measured on half-width receipts of dictionary words
 * (src/receipt/kana_confusions.tsv) are tried like twins. */
Test(kana_lex, measured_half_width_slips)
{
	bool gu = false;
	for (size_t i = 0; i < recam_kana_slips_count; i++) {
		cr_assert_eq(strlen(recam_kana_slips[i][0]), 3, "slip %zu", i);
		cr_assert_eq(strlen(recam_kana_slips[i][1]), 3, "slip %zu", i);
		gu |= strcmp(recam_kana_slips[i][0], "ゲ") == 0 && strcmp(recam_kana_slips[i][1], "グ") == 0;
	}
	cr_assert(gu, "the table lacks グ read as ゲ");
	FIXES("ゲラタン", "グラタン", 1);
	FIXES("マカロニゲラタン 2 個", "マカロニグラタン 2 個", 1);
	FIXES("ゲラス", "グラス", 1);
	FIXES("ゲーム", "ゲーム", 0); /* a word as read */
}

Test(kana_lex, glyph_read_twice)
{
	FIXES("ロールケケーキ", "ロールケーキ", 1);
	FIXES("プロロセスチーズ 6P", "プロセスチーズ 6P", 1);
	FIXES("ヨーグルトト低脂肪", "ヨーグルト低脂肪", 1);
	/* the rest of the name moves up; a second run is still read */
	FIXES("ヨーグルトト 低脂肪 ペーコン", "ヨーグルト 低脂肪 ベーコン", 2);
	/* only a doubled glyph is left out: ジャムパン is no word, and ジャパン
	 * is not what was printed */
	FIXES("ジャムパン", "ジャムパン", 0);
	FIXES("ココナッツ", "ココナッツ", 0);
	/* a glyph read twice and a twin: two slips, tried after one */
	FIXES("トイレットベーパーー 18R", "トイレットペーパー 18R", 1);
}

Test(kana_lex, words_and_noise_are_left_alone)
{
	FIXES("ベーコン ハーフ", "ベーコン ハーフ", 0);
	FIXES("トマトジ ュース", "トマトジ ュース", 0); /* read through the space: words */
	FIXES("ター", "ター", 0);			       /* runs of two glyphs are mostly noise */
	FIXES("カップ麺 シオ", "カップ麺 シオ", 0);
	FIXES("ザザザザ", "ザザザザ", 0); /* no reading of words within two swaps */
	FIXES("鶏もも肉 国産 298", "鶏もも肉 国産 298", 0);
	FIXES("", "", 0);
}

Test(kana_lex, two_readings_as_good_are_left_alone)
{
	FIXES("フレーン", "フレーン", 0); /* プレーン or ブレーン */
	FIXES("ナブキン", "ナブキン", 0); /* ナフキン or ナプキン */
}

Test(kana_lex, hostile_bytes)
{
	/* truncated and broken sequences around kana */
	FIXES("ペーコン\xE3\x83", "ベーコン\xE3\x83", 1);
	FIXES("\xE3\x83\xE3\x83\x9A\xE3\x83\xBC\xE3\x82\xB3\xE3\x83\xB3", "\xE3\x83\xE3\x83\x99\xE3\x83\xBC\xE3\x82\xB3\xE3\x83\xB3", 1);
	FIXES("\xE3", "\xE3", 0);
	FIXES("\xFF\xFE ペ", "\xFF\xFE ペ", 0);
	/* a run longer than any word, and many runs of unknown kana: bounded work */
	char *s = malloc(3000 + 1);
	cr_assert_not_null(s);
	s[0] = '\0';
	for (int i = 0; i < 1000; i++)
		strcat(s, "ペ");
	int c;
	const char *o = fixed(s, &c);
	cr_assert_eq(c, 0);
	cr_assert_str_eq(o, s);
	s[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(s, "ザジズゼゾダヂヅデドバビブベボパピプペポ・");
	o = fixed(s, &c);
	cr_assert_eq(c, 0);
	cr_assert_str_eq(o, s);
	free(s);
}
