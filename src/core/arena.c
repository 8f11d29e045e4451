/* arena.c — bump allocator over a list of chunks. */
#include "arena.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 4096u

struct chunk {
	struct chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char mem[];
};

struct recam_arena {
	struct chunk *head;
	size_t total, max_total;
};

recam_arena *recam_arena_new(size_t max_total)
{
	recam_arena *a = calloc(1, sizeof(*a));
	if (a)
		a->max_total = max_total;
	return a;
}

void *recam_arena_alloc(recam_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	struct chunk *c = a->head;
	if (c == NULL || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		/* Near the total (or with a total below one chunk), a chunk just
		 * big enough still serves what fits. */
		if (size > a->max_total - a->total)
			size = n;
		if (size > a->max_total - a->total)
			return NULL;
		c = malloc(sizeof(*c) + size);
		if (c == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total += size;
	}
	void *p = c->mem + c->used;
	c->used += n;
	return p;
}

char *recam_arena_strndup(recam_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = recam_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *recam_arena_printf(recam_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = recam_arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t recam_arena_used(const recam_arena *a) { return a->total; }

void recam_arena_free(recam_arena *a)
{
	if (a == NULL)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}
