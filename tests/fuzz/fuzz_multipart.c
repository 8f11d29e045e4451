/* fuzz_multipart.c — libFuzzer target for the multipart/form-data parser.
 * Input: byte 0 chooses how the rest is cut into chunks (and, with its high
 * bit, that the Content-Type comes from the input up to the first '\n').
 * The body is parsed twice, whole and chunked; both must give the same
 * result and the same callbacks, and the callbacks check the promises the
 * upload handler relies on (limits, order, display-safe names). Any broken
 * promise aborts, which libFuzzer reports as a crash. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

static const struct recam_multipart_limits lim = {
	.max_parts = 8,
	.max_files = 3,
	.max_field_bytes = 64,
	.max_header_bytes = 256,
	.max_file_bytes = 512,
	.max_total_bytes = 2048, /* under libFuzzer's default max_len, so it is reached */
};

struct check {
	uint64_t hash; /* FNV-1a over every callback and its arguments */
	bool in_part, in_file;
	size_t parts, files, file_bytes;
};

#define MUST(cond)                                                                                                 \
	do {                                                                                                       \
		if (!(cond))                                                                                       \
			abort();                                                                                   \
	} while (0)

static void mix(struct check *c, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		c->hash = (c->hash ^ b[i]) * 1099511628211u;
}

static void mix_str(struct check *c, const char *s)
{
	mix(c, s ? s : "\x01NULL", s ? strlen(s) + 1 : 6);
}

/* Valid UTF-8 (independent of the parser's own decoder on purpose). */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (k == 0 || k > n - i || (k == 2 && c < 0xc2) || (c == 0xe0 && s[i + 1] < 0xa0) ||
		    (c == 0xed && s[i + 1] > 0x9f) || (c == 0xf0 && s[i + 1] < 0x90) || c > 0xf4 ||
		    (c == 0xf4 && s[i + 1] > 0x8f))
			return false;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

static int on_begin(void *ctx, const char *name, const char *filename, const char *ct)
{
	struct check *c = ctx;
	MUST(!c->in_part);
	MUST(name[0] != '\0' && utf8_ok((const unsigned char *)name, strlen(name)));
	for (const char *p = name; *p; p++)
		MUST((unsigned char)*p >= 0x20 && *p != 0x7f);
	if (filename) {
		size_t n = strlen(filename);
		MUST(n <= RECAM_MULTIPART_FILENAME_MAX && utf8_ok((const unsigned char *)filename, n));
		MUST(strpbrk(filename, "/\\") == NULL && filename[0] != '.' && filename[0] != ' ');
		for (const char *p = filename; *p; p++)
			MUST((unsigned char)*p >= 0x20 && *p != 0x7f);
		MUST(++c->files <= lim.max_files);
	}
	if (ct)
		MUST(strpbrk(ct, "\r\n") == NULL);
	MUST(++c->parts <= lim.max_parts);
	c->in_part = true;
	c->in_file = filename != NULL;
	c->file_bytes = 0;
	mix(c, "B", 1);
	mix_str(c, name);
	mix_str(c, filename);
	mix_str(c, ct);
	return 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
	struct check *c = ctx;
	MUST(c->in_file && len > 0);
	c->file_bytes += len;
	MUST(c->file_bytes <= lim.max_file_bytes);
	mix(c, data, len); /* not the call boundaries: those depend on chunking */
	return 0;
}

static int on_end(void *ctx)
{
	struct check *c = ctx;
	MUST(c->in_part);
	c->in_part = c->in_file = false;
	mix(c, "E", 1);
	return 0;
}

static int on_field(void *ctx, const char *name, const char *value, size_t len)
{
	struct check *c = ctx;
	MUST(c->in_part && !c->in_file);
	MUST(len <= lim.max_field_bytes && value[len] == '\0' && memchr(value, '\0', len) == NULL);
	MUST(utf8_ok((const unsigned char *)value, len));
	mix(c, "F", 1);
	mix_str(c, name);
	mix(c, value, len);
	return 0;
}

static const struct recam_multipart_cb cb = {on_begin, on_data, on_end, on_field};

struct outcome {
	int rc;
	const char *reason;
	struct check c;
};

/* chunk 0: whole; otherwise sizes from a generator seeded by it. */
static struct outcome parse(const char *ct, const uint8_t *data, size_t size, unsigned chunk)
{
	struct outcome o = {0};
	o.c.hash = 1469598103934665603u;
	recam_multipart *m;
	o.rc = recam_multipart_new(ct, &lim, &cb, &o.c, &m);
	MUST(m != NULL);
	uint32_t x = chunk * 2654435761u + 1;
	unsigned maxlen = 1u << (chunk % 8); /* 1 (byte by byte) .. 128 */
	for (size_t at = 0; at < size && o.rc == 0;) {
		size_t n = size - at;
		if (chunk != 0) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			size_t want = 1 + x % maxlen;
			n = want < n ? want : n;
		}
		o.rc = recam_multipart_feed(m, (const char *)data + at, n);
		at += n;
		MUST(recam_multipart_held(m) <= lim.max_header_bytes + RECAM_MULTIPART_BOUNDARY_MAX + 5);
	}
	if (o.rc == 0)
		o.rc = recam_multipart_finish(m);
	o.reason = recam_multipart_reason(m);
	MUST(o.reason != NULL && o.reason[0] != '\0');
	MUST((o.rc == 0) == (strcmp(o.reason, "ok") == 0));
	/* A finished parse closed every part it opened. */
	MUST(o.rc != 0 || !o.c.in_part);
	if (o.rc != 0)
		MUST(recam_multipart_feed(m, "x", 1) == o.rc);
	recam_multipart_free(m);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	data++, size--;
	char ct[128] = "multipart/form-data; boundary=XyZzy";
	if (mode & 0x80) {
		const uint8_t *nl = memchr(data, '\n', size < sizeof(ct) ? size : sizeof(ct) - 1);
		if (nl == NULL)
			return 0;
		size_t n = (size_t)(nl - data);
		memcpy(ct, data, n);
		ct[n] = '\0';
		size -= n + 1;
		data = nl + 1;
	}
	struct outcome whole = parse(ct, data, size, 0);
	struct outcome split = parse(ct, data, size, (mode & 0x7f) | 1u << 7);
	MUST(whole.rc == split.rc);
	MUST(strcmp(whole.reason, split.reason) == 0);
	MUST(whole.c.hash == split.c.hash);
	return 0;
}
