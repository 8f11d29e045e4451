/* test_str.c — slices, the bounded number/size/duration/bool parsers that
 * configuration and requests go through, strlcpy and random ids. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"

#define S(lit) recam_str_c(lit)

Test(str, slices_compare_by_content_and_length)
{
	cr_assert(recam_str_eq(S("abc"), RECAM_STR_LIT("abc")));
	cr_assert_not(recam_str_eq(S("abc"), S("abcd")));
	cr_assert_not(recam_str_eq(S("abc"), S("abd")));
	cr_assert(recam_str_eq(S(""), (recam_str){NULL, 0}));
	cr_assert(recam_str_eqc((recam_str){"abcdef", 3}, "abc"));
	cr_assert_eq(recam_str_c(NULL).n, 0);
	cr_assert(recam_str_has_prefix(S("/t/demo"), "/t/"));
	cr_assert_not(recam_str_has_prefix(S("/t"), "/t/"));
	cr_assert(recam_str_has_prefix(S("x"), ""));
}

Test(str, trim_removes_ascii_whitespace_at_both_ends_only)
{
	recam_str t = recam_str_trim(S(" \t\r\n a b \n"));
	cr_assert(recam_str_eqc(t, "a b"));
	cr_assert_eq(recam_str_trim(S("   ")).n, 0);
	cr_assert_eq(recam_str_trim(S("")).n, 0);
}

static int i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	*out = 777;
	return recam_parse_i64(S(s), min, max, out);
}

Test(str, parse_i64_accepts_whole_decimal_numbers)
{
	int64_t v;
	cr_assert_eq(i64("0", INT64_MIN, INT64_MAX, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(i64("-0", INT64_MIN, INT64_MAX, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(i64("+15", INT64_MIN, INT64_MAX, &v), 0);
	cr_assert_eq(v, 15);
	cr_assert_eq(i64("-42", INT64_MIN, INT64_MAX, &v), 0);
	cr_assert_eq(v, -42);
	cr_assert_eq(i64("007", INT64_MIN, INT64_MAX, &v), 0);
	cr_assert_eq(v, 7);
	cr_assert_eq(i64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	cr_assert_eq(v, INT64_MAX);
	cr_assert_eq(i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	cr_assert_eq(v, INT64_MIN);
}

Test(str, parse_i64_refuses_what_is_not_a_whole_number)
{
	const char *bad[] = {"", "-", "+", "12a", "a12", " 12", "12 ", "1.5", "1e3", "0x10", "--1", "+-1", "١٢"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v;
		cr_assert_eq(i64(bad[i], INT64_MIN, INT64_MAX, &v), RECAM_EINVAL, "'%s' accepted", bad[i]);
		cr_assert_eq(v, 777, "'%s' wrote a value", bad[i]);
	}
	/* An embedded NUL inside the slice is a trailing byte, not an end. */
	int64_t v = 0;
	cr_assert_eq(recam_parse_i64((recam_str){"12\0003", 4}, 0, 100, &v), RECAM_EINVAL);
}

Test(str, parse_i64_reports_overflow_and_bounds_as_range_errors)
{
	int64_t v;
	cr_assert_eq(i64("9223372036854775808", INT64_MIN, INT64_MAX, &v), RECAM_ERANGE);
	cr_assert_eq(i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), RECAM_ERANGE);
	cr_assert_eq(i64("99999999999999999999999999", INT64_MIN, INT64_MAX, &v), RECAM_ERANGE);
	cr_assert_eq(i64("0", 1, 10, &v), RECAM_ERANGE);
	cr_assert_eq(i64("11", 1, 10, &v), RECAM_ERANGE);
	cr_assert_eq(i64("-1", 0, 10, &v), RECAM_ERANGE);
	cr_assert_eq(v, 777);
	cr_assert_eq(i64("10", 1, 10, &v), 0);
	cr_assert_eq(v, 10);
	cr_assert_eq(i64("1", 1, 10, &v), 0);
}

Test(str, parse_size_understands_units_in_powers_of_1024)
{
	struct {
		const char *s;
		uint64_t v;
	} ok[] = {
		{"512", 512},		 {"512b", 512},		   {"16k", 16384},	  {"16K", 16384},
		{"16KiB", 16384},	 {"16kb", 16384},	   {"20M", 20971520},	  {"20mib", 20971520},
		{"1G", 1073741824ull},	 {"1GiB", 1073741824ull},  {" 2 MiB ", 2097152},  {"0", 0},
		{"8589934592", 8589934592ull}, {"4G", 4294967296ull},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t v = 0;
		cr_assert_eq(recam_parse_size(S(ok[i].s), 0, UINT64_MAX, &v), 0, "'%s' refused", ok[i].s);
		cr_assert_eq(v, ok[i].v, "'%s' gave %llu", ok[i].s, (unsigned long long)v);
	}
}

Test(str, parse_size_refuses_unknown_units_and_malformed_numbers)
{
	const char *bad[] = {"", "k", "MiB", "16x", "16 kk", "1.5M", "-1", "+1", "16 k b", "16T", "1e6", "0x100"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 99;
		cr_assert_eq(recam_parse_size(S(bad[i]), 0, UINT64_MAX, &v), RECAM_EINVAL, "'%s' accepted", bad[i]);
		cr_assert_eq(v, 99);
	}
}

Test(str, parse_size_checks_overflow_and_bounds_after_the_unit)
{
	uint64_t v = 99;
	cr_assert_eq(recam_parse_size(S("99999999999999G"), 0, UINT64_MAX, &v), RECAM_ERANGE);
	cr_assert_eq(recam_parse_size(S("99999999999999999999"), 0, UINT64_MAX, &v), RECAM_ERANGE);
	cr_assert_eq(recam_parse_size(S("2k"), 0, 2047, &v), RECAM_ERANGE);
	cr_assert_eq(recam_parse_size(S("1k"), 1025, 4096, &v), RECAM_ERANGE);
	cr_assert_eq(v, 99);
	cr_assert_eq(recam_parse_size(S("2k"), 0, 2048, &v), 0);
	cr_assert_eq(v, 2048);
}

Test(str, parse_seconds_understands_s_m_h_d)
{
	struct {
		const char *s;
		int64_t v;
	} ok[] = {{"30", 30}, {"30s", 30}, {"15m", 900}, {"12h", 43200}, {"7d", 604800}, {"0s", 0}, {" 2 H ", 7200}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t v = -1;
		cr_assert_eq(recam_parse_seconds(S(ok[i].s), 0, INT64_MAX, &v), 0, "'%s' refused", ok[i].s);
		cr_assert_eq(v, ok[i].v, "'%s' gave %lld", ok[i].s, (long long)v);
	}
}

Test(str, parse_seconds_refuses_other_units_negatives_and_overflow)
{
	const char *bad[] = {"", "s", "1w", "5y", "-5", "1.5h", "10ms", "m5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = -1;
		cr_assert_eq(recam_parse_seconds(S(bad[i]), 0, INT64_MAX, &v), RECAM_EINVAL, "'%s' accepted", bad[i]);
		cr_assert_eq(v, -1);
	}
	int64_t v = -1;
	cr_assert_eq(recam_parse_seconds(S("999999999999999999d"), 0, INT64_MAX, &v), RECAM_ERANGE);
	cr_assert_eq(recam_parse_seconds(S("18446744073709551615"), 0, INT64_MAX, &v), RECAM_ERANGE);
	cr_assert_eq(recam_parse_seconds(S("2h"), 0, 3600, &v), RECAM_ERANGE);
	cr_assert_eq(recam_parse_seconds(S("0"), 1, 3600, &v), RECAM_ERANGE);
	cr_assert_eq(v, -1);
}

Test(str, parse_bool_accepts_the_usual_words_in_any_case)
{
	const char *yes[] = {"1", "true", "TRUE", "Yes", "on", " on "};
	const char *no[] = {"0", "false", "False", "NO", "off"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		bool b = false;
		cr_assert_eq(recam_parse_bool(S(yes[i]), &b), 0, "'%s'", yes[i]);
		cr_assert(b, "'%s'", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		bool b = true;
		cr_assert_eq(recam_parse_bool(S(no[i]), &b), 0, "'%s'", no[i]);
		cr_assert_not(b, "'%s'", no[i]);
	}
	const char *bad[] = {"", "maybe", "2", "yess", "t", "y"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bool b = true;
		cr_assert_eq(recam_parse_bool(S(bad[i]), &b), RECAM_EINVAL, "'%s' accepted", bad[i]);
	}
}

Test(str, strlcpy_always_terminates_and_reports_truncation)
{
	char d[6];
	cr_assert_eq(recam_strlcpy(d, "abc", sizeof(d)), 0);
	cr_assert_str_eq(d, "abc");
	cr_assert_eq(recam_strlcpy(d, "abcde", sizeof(d)), 0);
	cr_assert_str_eq(d, "abcde");
	cr_assert_eq(recam_strlcpy(d, "abcdef", sizeof(d)), RECAM_ETOOBIG);
	cr_assert_str_eq(d, "abcde");
	cr_assert_eq(recam_strlcpy(d, "a much longer string", sizeof(d)), RECAM_ETOOBIG);
	cr_assert_str_eq(d, "a muc");
	char z = 'q';
	cr_assert_eq(recam_strlcpy(&z, "x", 0), RECAM_ETOOBIG);
	cr_assert_eq(z, 'q');
}

static bool id_char_ok(char c)
{
	/* Lower-case base32 without i, l, o, u: nothing to misread. */
	return c && strchr("0123456789abcdefghjkmnpqrstvwxyz", c) != NULL;
}

Test(str, random_ids_are_26_url_safe_characters_and_unique)
{
	enum { N = 2000 };
	static char ids[N][RECAM_ID_LEN + 1];
	int seen[256] = {0};
	for (int i = 0; i < N; i++) {
		memset(ids[i], '#', sizeof(ids[i]));
		recam_random_id(ids[i]);
		cr_assert_eq(strlen(ids[i]), RECAM_ID_LEN, "%s", ids[i]);
		for (int k = 0; k < RECAM_ID_LEN; k++) {
			cr_assert(id_char_ok(ids[i][k]), "bad character in %s", ids[i]);
			if (k < RECAM_ID_LEN - 1)
				seen[(unsigned char)ids[i][k]]++;
		}
	}
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			cr_assert_str_neq(ids[i], ids[j]);
	/* Every symbol turns up: the id uses the whole alphabet (128 bits). */
	for (const char *c = "0123456789abcdefghjkmnpqrstvwxyz"; *c; c++)
		cr_assert_gt(seen[(unsigned char)*c], 0, "'%c' never used", *c);
}

Test(str, id_valid_takes_only_id_shaped_strings)
{
	char id[RECAM_ID_LEN + 1];
	recam_random_id(id);
	cr_assert(recam_id_valid(id));
	cr_assert(recam_id_valid("zzzzzzzzzzzzzzzzzzzzzzzzzz"));
	cr_assert_not(recam_id_valid(NULL));
	cr_assert_not(recam_id_valid(""));
	cr_assert_not(recam_id_valid("zzzzzzzzzzzzzzzzzzzzzzzzz"));   /* 25 */
	cr_assert_not(recam_id_valid("zzzzzzzzzzzzzzzzzzzzzzzzzzz")); /* 27 */
	cr_assert_not(recam_id_valid("Zzzzzzzzzzzzzzzzzzzzzzzzzz"));
	cr_assert_not(recam_id_valid("zzzzzzzzzzzz/zzzzzzzzzzzzz"));
	cr_assert_not(recam_id_valid("zzzzzzzzzzzz'zzzzzzzzzzzzz"));
}

Test(str, utf8_next_decodes_one_strict_sequence)
{
	uint32_t cp = 0;
	cr_assert_eq(recam_utf8_next((const unsigned char *)"a", 1, &cp), 1);
	cr_assert_eq(cp, 'a');
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	cr_assert_eq(cp, 0xe9);
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\xe3\x83\xac!", 4, &cp), 3); /* レ */
	cr_assert_eq(cp, 0x30ec);
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	cr_assert_eq(cp, 0x1f600);
	/* truncated, overlong, surrogate, past U+10FFFF, stray continuation */
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\xe3\x83", 2, &cp), 0);
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\xc0\xaf", 2, &cp), 0);
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\xe0\x80\xaf", 3, &cp), 0);
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	cr_assert_eq(recam_utf8_next((const unsigned char *)"\x80", 1, &cp), 0);
}
