/* test_json.c — JSON bodies with recam's limits: depth checked before
 * parsing, duplicate keys, invalid UTF-8 and other malformed input refused. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/error.h"
#include "core/json.h"

static int parse(const char *s, int depth, json_t **out, char *why, size_t whylen)
{
	why[0] = '\0';
	return recam_json_parse(s, strlen(s), depth, out, why, whylen);
}

Test(json, a_valid_body_parses)
{
	json_t *j;
	char why[128];
	cr_assert_eq(parse("{\"name\":\"レシート\",\"n\":[1,2,{\"x\":null}],\"ok\":true}", 8, &j, why, sizeof(why)), 0,
		     "%s", why);
	cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "レシート");
	cr_assert_eq(json_array_size(json_object_get(j, "n")), 3);
	json_decref(j);
}

Test(json, depth_at_the_limit_passes_one_more_is_refused)
{
	char body[200];
	json_t *j = (json_t *)1;
	char why[128];
	/* 4 levels: [[[[1]]]] */
	snprintf(body, sizeof(body), "[[[[1]]]]");
	cr_assert_eq(parse(body, 4, &j, why, sizeof(why)), 0, "%s", why);
	json_decref(j);
	cr_assert_eq(parse(body, 3, &j, why, sizeof(why)), RECAM_EDEPTH);
	cr_assert_null(j);
	cr_assert_not_null(strstr(why, "3"), "%s", why);
	/* Objects count as levels too. */
	cr_assert_eq(parse("{\"a\":{\"b\":{\"c\":1}}}", 2, &j, why, sizeof(why)), RECAM_EDEPTH);
}

Test(json, depth_is_checked_before_jansson_sees_the_text)
{
	/* 100000 open brackets never reach the recursive parser. */
	size_t n = 100000;
	char *s = malloc(n + 1);
	memset(s, '[', n);
	s[n] = '\0';
	json_t *j;
	char why[128];
	cr_assert_eq(recam_json_parse(s, n, 32, &j, why, sizeof(why)), RECAM_EDEPTH);
	cr_assert_eq(recam_json_depth(s, n, 32), -1);
	free(s);
}

Test(json, brackets_inside_strings_do_not_count_as_depth)
{
	json_t *j;
	char why[128];
	const char *s = "{\"a\":\"[[[[[[{{{{{\",\"b\":\"\\\"[[[[[[\",\"c\":[1]}";
	cr_assert_eq(recam_json_depth(s, strlen(s), 10), 2);
	cr_assert_eq(parse(s, 2, &j, why, sizeof(why)), 0, "%s", why);
	cr_assert_str_eq(json_string_value(json_object_get(j, "b")), "\"[[[[[[");
	json_decref(j);
	/* An escaped backslash ends before the quote: the string closes there. */
	const char *t = "[\"\\\\\",[[1]]]";
	cr_assert_eq(recam_json_depth(t, strlen(t), 10), 3);
}

Test(json, stray_closing_brackets_do_not_hide_depth)
{
	const char *s = "]]]]]]]][[[[";
	cr_assert_eq(recam_json_depth(s, strlen(s), 10), 4);
	cr_assert_eq(recam_json_depth(s, strlen(s), 3), -1);
}

Test(json, duplicate_keys_are_refused)
{
	json_t *j;
	char why[128];
	cr_assert_eq(parse("{\"role\":\"staff\",\"role\":\"admin\"}", 8, &j, why, sizeof(why)), RECAM_EJSON);
	cr_assert_null(j);
	cr_assert_neq(why[0], '\0');
}

Test(json, malformed_input_is_refused_with_line_and_column)
{
	const char *bad[] = {
		"",
		"{",
		"{\"a\":1,}",
		"[1,2",
		"{\"a\":1} trailing",
		"{'a':1}",
		"{\"a\":NaN}",
		"{\"a\":Infinity}",
		"{\"n\":1234abc}",
		"{\"n\":01}",
		"{\"n\":1e999}",
		"{\"n\":99999999999999999999999}",
		"{\"s\":\"\\ud800\"}",
		"{\"s\":\"\\x41\"}",
		"{\"s\":\"tab\there\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *j = (json_t *)1;
		char why[128];
		cr_assert_eq(parse(bad[i], 8, &j, why, sizeof(why)), RECAM_EJSON, "accepted: %s", bad[i]);
		cr_assert_null(j);
		cr_assert_not_null(strstr(why, "line"), "%s", why);
		cr_assert_not_null(strstr(why, "column"), "%s", why);
	}
}

Test(json, invalid_utf8_is_refused)
{
	const char *bad[] = {
		"{\"name\":\"\xff\"}",		 /* never valid */
		"{\"name\":\"\xc0\xaf\"}",	 /* overlong '/' */
		"{\"name\":\"\xe3\x81\"}",	 /* truncated あ */
		"{\"name\":\"\xed\xa0\x80\"}",	 /* encoded surrogate */
		"{\"\xfe\":1}",			 /* in a key */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *j;
		char why[128];
		cr_assert_eq(parse(bad[i], 8, &j, why, sizeof(why)), RECAM_EJSON, "case %zu accepted", i);
	}
}

Test(json, a_nul_byte_in_the_body_is_refused)
{
	const char body[] = "{\"a\":\"x\0y\"}";
	json_t *j;
	char why[128];
	cr_assert_eq(recam_json_parse(body, sizeof(body) - 1, 8, &j, why, sizeof(why)), RECAM_EJSON);
	const char body2[] = "{\"a\":1}\0";
	cr_assert_eq(recam_json_parse(body2, sizeof(body2) - 1, 8, &j, why, sizeof(why)), RECAM_EJSON);
}

Test(json, only_len_bytes_are_read)
{
	/* The body is not NUL-terminated in general: parsing stops at len. */
	const char buf[] = "{\"a\":1}GARBAGE";
	json_t *j;
	char why[128];
	cr_assert_eq(recam_json_parse(buf, 7, 8, &j, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(json_integer_value(json_object_get(j, "a")), 1);
	json_decref(j);
}

Test(json, a_short_why_buffer_is_not_overrun)
{
	json_t *j;
	char why[8];
	memset(why, 'x', sizeof(why));
	cr_assert_eq(recam_json_parse("{", 1, 8, &j, why, sizeof(why)), RECAM_EJSON);
	cr_assert_lt(strlen(why), sizeof(why));
}
