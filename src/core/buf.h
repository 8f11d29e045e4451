/* buf.h — growable byte buffer with a hard maximum (every buffer that grows
 * from outside input has one) and overflow-checked growth. */
#ifndef RECAM_BUF_H
#define RECAM_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct recam_buf {
	char *data;	/* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;	/* len never exceeds this */
} recam_buf;

void recam_buf_init(recam_buf *b, size_t max);
/* RECAM_ETOOBIG when the result would exceed max, RECAM_ENOMEM on allocation. */
int recam_buf_append(recam_buf *b, const void *p, size_t n);
int recam_buf_appends(recam_buf *b, const char *s);
int recam_buf_appendf(recam_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int recam_buf_vappendf(recam_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void recam_buf_reset(recam_buf *b);
void recam_buf_free(recam_buf *b);
/* Hands over the data (caller frees); the buffer is left empty. */
char *recam_buf_take(recam_buf *b, size_t *len);

#endif
