/* buf.c — growable byte buffer with a hard cap. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

void recam_buf_init(recam_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static int buf_reserve(recam_buf *b, size_t extra)
{
	/* The last test keeps need (with its NUL) from wrapping when max is SIZE_MAX. */
	if (extra > b->max || b->len > b->max - extra || b->len + extra == SIZE_MAX)
		return RECAM_ETOOBIG;
	size_t need = b->len + extra + 1; /* room for the terminating NUL */
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap - 1 > b->max) /* not cap > max + 1: that wraps when max is SIZE_MAX */
		cap = b->max + 1;
	char *p = realloc(b->data, cap);
	if (p == NULL)
		return RECAM_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int recam_buf_append(recam_buf *b, const void *p, size_t n)
{
	int rc = buf_reserve(b, n);
	if (rc != 0)
		return rc;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int recam_buf_appends(recam_buf *b, const char *s) { return recam_buf_append(b, s, strlen(s)); }

int recam_buf_vappendf(recam_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return RECAM_EINVAL;
	int rc = buf_reserve(b, (size_t)n);
	if (rc != 0)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int recam_buf_appendf(recam_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = recam_buf_vappendf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void recam_buf_reset(recam_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void recam_buf_free(recam_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *recam_buf_take(recam_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
