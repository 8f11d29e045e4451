/* Normalization and product matching. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "receipt/match.h"
#include "receipt/normalize.h"

static char *text(const char *s)
{
	char *o = NULL;
	cr_assert_eq(recam_norm_text(s, strlen(s), &o), 0);
	return o;
}

static char *key(const char *s)
{
	char *o = NULL;
	cr_assert_eq(recam_norm_key(s, strlen(s), &o), 0);
	return o;
}

#define EQ_TEXT(in, want)                      \
	do {                                   \
		char *t_ = text(in);           \
		cr_assert_str_eq(t_, want);    \
		free(t_);                      \
	} while (0)
#define EQ_KEY(a, b)                            \
	do {                                    \
		char *a_ = key(a), *b_ = key(b); \
		cr_assert_str_eq(a_, b_);       \
		free(a_);                       \
		free(b_);                       \
	} while (0)

Test(receipt_normalize, width_and_compat)
{
	EQ_TEXT("ｶﾞﾑ １２３", "ガム 123");
	EQ_TEXT("㈱ファミリー", "(株)ファミリー");
	EQ_TEXT("℡ 03ー1234ー5678", "TEL 03-1234-5678");
	EQ_TEXT("合計　￥１，３７８", "合計 ¥1,378");
	EQ_TEXT("ポ テ ト チ ッ プ ス", "ポテトチップス");	/* OCR spaces between CJK glyphs */
	EQ_TEXT("合計 \\3, 995", "合計 \\3,995");
	EQ_TEXT("決済 1; 583 円", "決済 1;583 円"); /* the comma read as ; (the parser takes it) */
	EQ_TEXT("TOTAL. ¥1,97=3", "TOTAL. ¥1,973"); /* a speck inside the last group */
	EQ_TEXT("¥1,9=73", "¥1,9=73");
	EQ_TEXT("2x3=6", "2x3=6");
	EQ_TEXT("値引 −50", "値引 -50");
	EQ_TEXT("9:00〜22:00", "9:00~22:00");
	EQ_TEXT("1、234", "1,234");
}

Test(receipt_normalize, invalid_utf8)
{
	char *t = text("\xff\xfe ok \xc3");
	cr_assert_not_null(t);
	cr_assert_not_null(strstr(t, "ok"));
	free(t);
}

Test(receipt_normalize, keys_fold_kana_and_long_vowels)
{
	EQ_KEY("ポテトチップス", "ぽてとちっぷす");
	EQ_KEY("ｺｰﾗ", "コーラ");
	EQ_KEY("コ一ラ", "コーラ");	/* kanji one for the long vowel */
	EQ_KEY("コ-ラ", "コーラ");
	EQ_KEY("ｺｶ・ｺｰﾗ", "コカコーラ");
	EQ_KEY("COLA 500ml", "cola500ml");
}

Test(receipt_match, tolerant_of_slips_not_of_products)
{
	cr_assert_geq(recam_match_similarity("ポテトチップス うすしお", "ポテトチップスうすしお"), 0.99);
	cr_assert_geq(recam_match_similarity("ボテトチップス うすしお", "ポテトチップス うすしお"), 0.9); /* voicing */
	cr_assert_geq(recam_match_similarity("ﾎﾟﾃﾄﾁｯﾌﾟｽ ｳｽｼｵ", "ポテトチップス うすしお"), 0.99);
	cr_assert_lt(recam_match_similarity("ポテトチップス のりしお", "ポテトチップス うすしお"), RECAM_MATCH_THRESHOLD);
	cr_assert_lt(recam_match_similarity("なめらかプリン", "まろやかプリン"), RECAM_MATCH_THRESHOLD);
	cr_assert_eq(recam_match_similarity("緑茶 500ml", "緑茶 2L"), 0);
	cr_assert_eq(recam_match_similarity("緑茶 350ml", "緑茶 500ml"), 0);
	cr_assert_geq(recam_match_similarity("緑茶 5OOml", "緑茶 500ml"), 0.99); /* O for 0 */
}

Test(receipt_match, items)
{
	json_t *items = json_pack("[{s:s,s:f},{s:s,s:f},{s:s,s:f,s:b}]", "name", "ポテトチップス のりしお", "confidence",
				  0.9, "name", "ボテトチップス うすしお", "confidence", 0.9, "name",
				  "ポテトチップス うすしお", "confidence", 0.9, "discount", 1);
	static const char *const aliases[] = {"ﾎﾟﾃﾄﾁｯﾌﾟｽ ｳｽｼｵ"};
	recam_match_target t[] = {{"ポテトチップス うすしお", aliases, 1, NULL}};
	recam_match_hit *hits;
	size_t n;
	cr_assert_eq(recam_match_items(items, t, 1, &hits, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(hits[0].item, 1);
	cr_assert_gt(hits[0].score, 0.7);
	free(hits);
	json_decref(items);
}
