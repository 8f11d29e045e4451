/* test_buf.c — the capped byte buffer: content, termination, the hard
 * maximum and what a failed append leaves behind. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"

Test(buf, appends_bytes_in_order_and_keeps_nul_termination)
{
	recam_buf b;
	recam_buf_init(&b, 1024);
	cr_assert_eq(recam_buf_append(&b, "abc", 3), 0);
	cr_assert_eq(recam_buf_appends(&b, "def"), 0);
	cr_assert_eq(recam_buf_appendf(&b, "-%d-%s", 42, "x"), 0);
	cr_assert_eq(b.len, 11);
	cr_assert_str_eq(b.data, "abcdef-42-x");
	cr_assert_eq(b.data[b.len], '\0');
	recam_buf_free(&b);
}

Test(buf, binary_data_with_nul_bytes_is_kept_whole)
{
	recam_buf b;
	recam_buf_init(&b, 64);
	const char bin[] = {'a', '\0', 'b', '\0', '\xff'};
	cr_assert_eq(recam_buf_append(&b, bin, sizeof(bin)), 0);
	cr_assert_eq(b.len, sizeof(bin));
	cr_assert_eq(memcmp(b.data, bin, sizeof(bin)), 0);
	cr_assert_eq(b.data[b.len], '\0');
	recam_buf_free(&b);
}

Test(buf, empty_append_gives_an_empty_string_not_null)
{
	recam_buf b;
	recam_buf_init(&b, 16);
	cr_assert_eq(recam_buf_append(&b, "", 0), 0);
	cr_assert_not_null(b.data);
	cr_assert_str_eq(b.data, "");
	recam_buf_free(&b);
}

Test(buf, filling_exactly_to_the_maximum_succeeds)
{
	recam_buf b;
	recam_buf_init(&b, 10);
	cr_assert_eq(recam_buf_append(&b, "0123456789", 10), 0);
	cr_assert_eq(b.len, 10);
	cr_assert_str_eq(b.data, "0123456789");
	recam_buf_free(&b);
}

Test(buf, one_byte_over_the_maximum_is_refused_and_content_unchanged)
{
	recam_buf b;
	recam_buf_init(&b, 10);
	cr_assert_eq(recam_buf_append(&b, "01234", 5), 0);
	cr_assert_eq(recam_buf_append(&b, "abcdef", 6), RECAM_ETOOBIG);
	cr_assert_eq(b.len, 5);
	cr_assert_str_eq(b.data, "01234");
	cr_assert_eq(recam_buf_append(&b, "abcde", 5), 0);
	cr_assert_eq(recam_buf_append(&b, "x", 1), RECAM_ETOOBIG);
	cr_assert_str_eq(b.data, "01234abcde");
	recam_buf_free(&b);
}

Test(buf, formatted_append_over_the_maximum_is_refused_and_content_unchanged)
{
	recam_buf b;
	recam_buf_init(&b, 8);
	cr_assert_eq(recam_buf_appendf(&b, "%s", "abc"), 0);
	cr_assert_eq(recam_buf_appendf(&b, "%d", 123456), RECAM_ETOOBIG);
	cr_assert_eq(b.len, 3);
	cr_assert_str_eq(b.data, "abc");
	recam_buf_free(&b);
}

Test(buf, maximum_zero_accepts_nothing)
{
	recam_buf b;
	recam_buf_init(&b, 0);
	cr_assert_eq(recam_buf_append(&b, "", 0), 0);
	cr_assert_eq(recam_buf_append(&b, "a", 1), RECAM_ETOOBIG);
	cr_assert_eq(b.len, 0);
	recam_buf_free(&b);
}

Test(buf, absurd_lengths_are_refused_without_overflow)
{
	recam_buf b;
	recam_buf_init(&b, 100);
	cr_assert_eq(recam_buf_append(&b, "abc", 3), 0);
	cr_assert_eq(recam_buf_append(&b, "x", SIZE_MAX), RECAM_ETOOBIG);
	cr_assert_eq(recam_buf_append(&b, "x", SIZE_MAX - 2), RECAM_ETOOBIG);
	cr_assert_eq(b.len, 3);
	recam_buf_free(&b);
}

Test(buf, an_uncapped_buffer_still_grows_safely)
{
	/* SIZE_MAX as the maximum means "no practical cap"; growth must not
	 * wrap around and hand out a buffer smaller than the data. */
	recam_buf b;
	recam_buf_init(&b, SIZE_MAX);
	char chunk[1000];
	memset(chunk, 'q', sizeof(chunk));
	for (int i = 0; i < 100; i++)
		cr_assert_eq(recam_buf_append(&b, chunk, sizeof(chunk)), 0);
	cr_assert_eq(b.len, 100000);
	cr_assert_eq(b.data[99999], 'q');
	cr_assert_eq(b.data[100000], '\0');
	cr_assert_eq(recam_buf_append(&b, "x", SIZE_MAX - 5), RECAM_ETOOBIG);
	recam_buf_free(&b);
}

Test(buf, many_small_appends_grow_correctly)
{
	recam_buf b;
	recam_buf_init(&b, 1 << 20);
	for (int i = 0; i < 20000; i++)
		cr_assert_eq(recam_buf_appendf(&b, "%04d,", i % 10000), 0);
	cr_assert_eq(b.len, 100000);
	cr_assert_eq(strncmp(b.data, "0000,0001,", 10), 0);
	cr_assert_str_eq(b.data + b.len - 5, "9999,");
	recam_buf_free(&b);
}

Test(buf, reset_empties_and_the_buffer_stays_usable)
{
	recam_buf b;
	recam_buf_init(&b, 32);
	cr_assert_eq(recam_buf_appends(&b, "hello"), 0);
	recam_buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	cr_assert_eq(recam_buf_appends(&b, "world"), 0);
	cr_assert_str_eq(b.data, "world");
	recam_buf_free(&b);
	cr_assert_null(b.data);
	cr_assert_eq(b.len, 0);
}

Test(buf, take_hands_over_the_data_and_leaves_an_empty_buffer)
{
	recam_buf b;
	recam_buf_init(&b, 32);
	cr_assert_eq(recam_buf_appends(&b, "owned"), 0);
	size_t n = 0;
	char *p = recam_buf_take(&b, &n);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(p, "owned");
	cr_assert_null(b.data);
	cr_assert_eq(b.len, 0);
	/* Still capped and usable after the hand-over. */
	cr_assert_eq(recam_buf_appends(&b, "again"), 0);
	cr_assert_str_eq(b.data, "again");
	cr_assert_eq(b.max, 32);
	free(p);
	recam_buf_free(&b);
}
