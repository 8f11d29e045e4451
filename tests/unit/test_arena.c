/* test_arena.c — the per-request arena: alignment, its hard total, and
 * helpers that copy into it. */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"

Test(arena, allocations_are_aligned_for_any_type_and_do_not_overlap)
{
	recam_arena *a = recam_arena_new(1 << 20);
	cr_assert_not_null(a);
	unsigned char *prev = NULL;
	size_t prev_n = 0;
	for (size_t n = 1; n < 300; n += 7) {
		unsigned char *p = recam_arena_alloc(a, n);
		cr_assert_not_null(p);
		cr_assert_eq((uintptr_t)p % alignof(max_align_t), 0, "size %zu misaligned", n);
		memset(p, 0xAB, n);
		/* The previous block is intact after this one was written. */
		if (prev)
			for (size_t i = 0; i < prev_n; i++)
				cr_assert_eq(prev[i], (unsigned char)(prev_n & 0xff), "block of %zu overwritten", prev_n);
		memset(p, (int)(n & 0xff), n);
		prev = p;
		prev_n = n;
	}
	recam_arena_free(a);
}

Test(arena, a_large_allocation_beyond_one_chunk_works)
{
	recam_arena *a = recam_arena_new(1 << 20);
	char *small = recam_arena_alloc(a, 10);
	char *big = recam_arena_alloc(a, 100000);
	cr_assert_not_null(small);
	cr_assert_not_null(big);
	memset(big, 'x', 100000);
	char *after = recam_arena_alloc(a, 10);
	cr_assert_not_null(after);
	memset(after, 'y', 10);
	cr_assert_eq(big[99999], 'x');
	recam_arena_free(a);
}

Test(arena, the_hard_total_is_never_exceeded)
{
	const size_t max = 64 * 1024;
	recam_arena *a = recam_arena_new(max);
	size_t got = 0;
	int count = 0;
	while (recam_arena_alloc(a, 16) != NULL) {
		got += 16;
		count++;
		cr_assert_leq(count, 100000, "the arena never says no");
	}
	cr_assert_leq(got, max);
	cr_assert_leq(recam_arena_used(a), max);
	/* A generous share of the total is usable, not a token amount. */
	cr_assert_geq(got, max / 2);
	recam_arena_free(a);
}

Test(arena, a_single_allocation_over_the_total_is_refused)
{
	recam_arena *a = recam_arena_new(64 * 1024);
	cr_assert_null(recam_arena_alloc(a, 64 * 1024 + 1));
	cr_assert_null(recam_arena_alloc(a, SIZE_MAX));
	cr_assert_null(recam_arena_alloc(a, SIZE_MAX - 8));
	cr_assert_null(recam_arena_strndup(a, "x", SIZE_MAX));
	/* Refusals do not use up the arena. */
	cr_assert_not_null(recam_arena_alloc(a, 1000));
	recam_arena_free(a);
}

Test(arena, a_small_arena_serves_allocations_within_its_total)
{
	/* The total is what the arena promises; a total below the internal
	 * chunk size must still give out what fits. */
	recam_arena *a = recam_arena_new(1000);
	char *p = recam_arena_alloc(a, 100);
	cr_assert_not_null(p, "100 bytes out of 1000 refused");
	memset(p, 1, 100);
	char *q = recam_arena_alloc(a, 500);
	cr_assert_not_null(q);
	memset(q, 2, 500);
	cr_assert_null(recam_arena_alloc(a, 1000));
	cr_assert_leq(recam_arena_used(a), 1000);
	recam_arena_free(a);
}

Test(arena, strndup_copies_exactly_n_bytes_and_terminates)
{
	recam_arena *a = recam_arena_new(4096);
	char *s = recam_arena_strndup(a, "hello world", 5);
	cr_assert_str_eq(s, "hello");
	char *e = recam_arena_strndup(a, "", 0);
	cr_assert_str_eq(e, "");
	recam_arena_free(a);
}

Test(arena, printf_formats_into_the_arena)
{
	recam_arena *a = recam_arena_new(1 << 16);
	char *s = recam_arena_printf(a, "%s-%05d", "id", 42);
	cr_assert_str_eq(s, "id-00042");
	char longer[3000];
	memset(longer, 'z', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	char *l = recam_arena_printf(a, "%s!", longer);
	cr_assert_eq(strlen(l), sizeof(longer));
	cr_assert_eq(l[sizeof(longer) - 1], '!');
	recam_arena_free(a);
}

Test(arena, printf_over_the_total_returns_null)
{
	recam_arena *a = recam_arena_new(4096);
	char big[5000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_null(recam_arena_printf(a, "%s", big));
	recam_arena_free(a);
}

Test(arena, free_of_null_is_harmless)
{
	recam_arena_free(NULL);
}
