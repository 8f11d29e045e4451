/* test_multipart.c — the streaming multipart/form-data parser that receipt
 * uploads go through: results that do not depend on how the body is split
 * into chunks, file bytes passed on without being held, every limit, and
 * every malformed form refused with its reason. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "http/multipart.h"

#define CT "multipart/form-data; boundary=XyZzy"
#define BLEN 5 /* strlen("XyZzy") */
#define DISP(name) "Content-Disposition: form-data; name=\"" name "\""
#define FIELD(name, value) "--XyZzy\r\n" DISP(name) "\r\n\r\n" value "\r\n"
#define FILEPART(name, fn, data) "--XyZzy\r\n" DISP(name) "; filename=\"" fn "\"\r\n\r\n" data "\r\n"
#define CLOSE "--XyZzy--\r\n"

/* Records callbacks as one log whose text does not depend on chunking:
 * file bytes are appended as they come, wherever the calls split them. */
struct rec {
	recam_buf log;
	bool in_part, in_file;
	int calls_after_error;
	bool failed;
	const char *fail_in; /* "begin", "data", "end", "field": return 42 there */
};

static int rec_result(struct rec *r, const char *where)
{
	if (r->failed)
		r->calls_after_error++;
	if (r->fail_in && strcmp(r->fail_in, where) == 0) {
		r->failed = true;
		return 42;
	}
	return 0;
}

static int on_begin(void *ctx, const char *name, const char *filename, const char *ct)
{
	struct rec *r = ctx;
	cr_assert_not(r->in_part, "part_begin inside a part");
	cr_assert(name[0] != '\0');
	r->in_part = true;
	r->in_file = filename != NULL;
	recam_buf_appendf(&r->log, "[B %s|%s|%s]", name, filename ? filename : "~", ct ? ct : "~");
	return rec_result(r, "begin");
}

static int on_data(void *ctx, const char *data, size_t len)
{
	struct rec *r = ctx;
	cr_assert(r->in_file, "part_data outside a file part");
	cr_assert_gt(len, 0);
	recam_buf_append(&r->log, data, len);
	return rec_result(r, "data");
}

static int on_end(void *ctx)
{
	struct rec *r = ctx;
	cr_assert(r->in_part, "part_end without part_begin");
	r->in_part = r->in_file = false;
	recam_buf_appends(&r->log, "[E]");
	return rec_result(r, "end");
}

static int on_field(void *ctx, const char *name, const char *value, size_t len)
{
	struct rec *r = ctx;
	cr_assert(r->in_part && !r->in_file, "field outside a text part");
	cr_assert_eq(value[len], '\0');
	recam_buf_appendf(&r->log, "[F %s=", name);
	recam_buf_append(&r->log, value, len);
	recam_buf_appends(&r->log, "]");
	return rec_result(r, "field");
}

static const struct recam_multipart_cb rec_cb = {on_begin, on_data, on_end, on_field};

struct result {
	int rc;
	const char *reason; /* string literals inside the parser: outlive it */
	char *log;
	size_t loglen;
	size_t max_held;
};

/* Parses body cut at the given offsets (ascending), then finishes. */
static struct result parse_cuts(const char *ct, const struct recam_multipart_limits *lim, const char *body,
				size_t len, const size_t *cuts, size_t ncuts, const char *fail_in)
{
	struct rec r = {.fail_in = fail_in};
	recam_buf_init(&r.log, 64u << 20);
	recam_multipart *m;
	struct result res = {0};
	res.rc = recam_multipart_new(ct, lim, &rec_cb, &r, &m);
	cr_assert_not_null(m);
	size_t at = 0;
	for (size_t i = 0; i <= ncuts && res.rc == 0; i++) {
		size_t to = i < ncuts ? cuts[i] : len;
		res.rc = recam_multipart_feed(m, body + at, to - at);
		size_t held = recam_multipart_held(m);
		res.max_held = held > res.max_held ? held : res.max_held;
		at = to;
	}
	if (res.rc == 0)
		res.rc = recam_multipart_finish(m);
	res.reason = recam_multipart_reason(m);
	/* Errors are sticky and nothing is called back after one. */
	if (res.rc != 0) {
		cr_assert_eq(recam_multipart_feed(m, "x", 1), res.rc);
		cr_assert_eq(recam_multipart_finish(m), res.rc);
		cr_assert_str_eq(recam_multipart_reason(m), res.reason);
	}
	cr_assert_eq(r.calls_after_error, 0);
	recam_multipart_free(m);
	res.log = recam_buf_take(&r.log, &res.loglen);
	if (res.log == NULL)
		res.log = calloc(1, 1);
	return res;
}

/* step 0: the whole body in one call; otherwise chunks of step bytes. */
static struct result parse_step(const char *ct, const struct recam_multipart_limits *lim, const char *body,
				size_t len, size_t step)
{
	size_t n = step ? len / step : 0;
	size_t *cuts = calloc(n + 1, sizeof(*cuts));
	for (size_t i = 0; i < n; i++)
		cuts[i] = (i + 1) * step;
	struct result r = parse_cuts(ct, lim, body, len, cuts, n, NULL);
	free(cuts);
	return r;
}

static void same_result(struct result *want, struct result *got, const char *how, size_t a, size_t b)
{
	cr_assert_eq(got->rc, want->rc, "%s %zu/%zu: rc %d, whole body gave %d (%s)", how, a, b, got->rc, want->rc,
		     got->reason);
	cr_assert_str_eq(got->reason, want->reason, "%s %zu/%zu", how, a, b);
	cr_assert(got->loglen == want->loglen && memcmp(got->log, want->log, want->loglen) == 0,
		  "%s %zu/%zu: callbacks differ from the whole-body parse", how, a, b);
	free(got->log);
}

/* The whole body, byte by byte, a few chunk sizes and a cut at every offset
 * must all give the same result, rc, reason and callbacks. */
static struct result parse_everywhere(const char *ct, const struct recam_multipart_limits *lim, const char *body,
				      size_t len)
{
	struct result want = parse_step(ct, lim, body, len, 0);
	size_t steps[] = {1, 2, 3, 7, 64};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct result got = parse_step(ct, lim, body, len, steps[i]);
		same_result(&want, &got, "step", steps[i], 0);
	}
	for (size_t cut = 0; cut <= len; cut++) {
		struct result got = parse_cuts(ct, lim, body, len, &cut, 1, NULL);
		same_result(&want, &got, "cut", cut, 0);
	}
	return want;
}

static void expect_log(struct result *r, const char *want, size_t wantlen)
{
	cr_assert_eq(r->rc, 0, "rc %d reason %s", r->rc, r->reason);
	cr_assert_str_eq(r->reason, "ok");
	cr_assert(r->loglen == wantlen && memcmp(r->log, want, wantlen) == 0, "log:\n%.*s\nwant:\n%.*s",
		  (int)r->loglen, r->log, (int)wantlen, want);
	free(r->log);
}

static void expect_fail(const char *ct, const struct recam_multipart_limits *lim, const char *body, size_t len,
			int rc, const char *reason)
{
	struct result r = parse_everywhere(ct, lim, body, len);
	cr_assert_eq(r.rc, rc, "want %d (%s), got %d (%s) for:\n%.*s", rc, reason, r.rc, r.reason, (int)len, body);
	cr_assert_str_eq(r.reason, reason, "for:\n%.*s", (int)len, body);
	free(r.log);
}

#define LEN(lit) (sizeof(lit) - 1)

/* A phone's upload: preamble, two text fields (one multi-line, Japanese),
 * two photos whose bytes contain CR, LF, "--", the boundary text and
 * near-delimiters, and an epilogue holding another "delimiter". */
#define JPEG                                                                                                       \
	"\xff\xd8\xff\xe0JFIF\r\n--XyZz\r\n-\r\n--XyZzyX--XyZzy\n--XyZzy\r\n\r\n--XyZzy-x\r\n--\r\n"               \
	"--XyZzy\xff\xd9"
#define PNG "--XyZzy--\r\n\x89PNG\r\n\x1a\n\r\r\n"
static const char WF[] = "a preamble\r\n--XyZzyz is no delimiter\r\n"
			 "--XyZzy\r\n" DISP("email") "\r\n\r\ntaro@example.jp\r\n"
			 "--XyZzy\r\n" DISP("memo") "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
			 "レシート2枚\r\nです\r\n"
			 "--XyZzy\r\ncontent-disposition: form-data; name=\"receipt\"; filename=\"r1.jpg\"\r\n"
			 "Content-Type: image/jpeg\r\n\r\n" JPEG "\r\n"
			 "--XyZzy\r\n" DISP("receipt") "; filename=\"r2.png\"\r\n\r\n" PNG "\r\n"
			 "--XyZzy--\r\nepilogue\r\n--XyZzy\r\n garbage";
static const char WF_LOG[] = "[B email|~|~][F email=taro@example.jp][E]"
			     "[B memo|~|text/plain; charset=UTF-8][F memo=レシート2枚\r\nです][E]"
			     "[B receipt|r1.jpg|image/jpeg]" JPEG "[E]"
			     "[B receipt|r2.png|~]" PNG "[E]";

Test(multipart, well_formed_body_fed_whole)
{
	struct result r = parse_step(CT, NULL, WF, LEN(WF), 0);
	expect_log(&r, WF_LOG, LEN(WF_LOG));
}

Test(multipart, well_formed_body_gives_the_same_result_however_it_is_split)
{
	struct result r = parse_everywhere(CT, NULL, WF, LEN(WF));
	expect_log(&r, WF_LOG, LEN(WF_LOG));
}

Test(multipart, well_formed_body_split_at_every_pair_of_offsets)
{
	static const char body[] = FIELD("n", "v\r\n-") FILEPART("f", "a", "\r\n--XyZ\r") CLOSE;
	static const char want[] = "[B n|~|~][F n=v\r\n-][E][B f|a|~]\r\n--XyZ\r[E]";
	for (size_t a = 0; a <= LEN(body); a++)
		for (size_t b = a; b <= LEN(body); b++) {
			size_t cuts[2] = {a, b};
			struct result r = parse_cuts(CT, NULL, body, LEN(body), cuts, 2, NULL);
			cr_assert_eq(r.rc, 0, "cuts %zu,%zu: %s", a, b, r.reason);
			cr_assert(r.loglen == LEN(want) && memcmp(r.log, want, LEN(want)) == 0, "cuts %zu,%zu", a, b);
			free(r.log);
		}
}

Test(multipart, every_prefix_without_the_closing_delimiter_is_truncated)
{
	const char *close = strstr(WF, "--XyZzy--\r\nepilogue");
	size_t done = (size_t)(close - WF) + LEN("--XyZzy--");
	for (size_t n = 0; n <= LEN(WF); n++) {
		struct result r = parse_step(CT, NULL, WF, n, 0);
		if (n < done) {
			cr_assert_eq(r.rc, RECAM_EINVAL, "prefix %zu", n);
			cr_assert_str_eq(r.reason, "truncated");
		} else {
			cr_assert_eq(r.rc, 0, "prefix %zu: %s", n, r.reason);
		}
		free(r.log);
	}
}

Test(multipart, file_of_every_byte_value_and_delimiter_lookalikes_arrives_intact)
{
	recam_buf body, want;
	recam_buf_init(&body, 1u << 20);
	recam_buf_init(&want, 1u << 20);
	recam_buf_appends(&body, "--XyZzy\r\n" DISP("f") "; filename=\"b.bin\"\r\n\r\n");
	recam_buf_appends(&want, "[B f|b.bin|~]");
	const char *tricky[] = {"\r",	    "\n",	"\r\n",		"--",	      "\r\n-",	    "\r\n--",
				"\r\n--X", "\r\n--XyZzyQ", "XyZzy",	"--XyZzy",    "\n--XyZzy\r\n", "\r\r\n--XyZ",
				"\r\n--XyZzy-", "\r\n--XyZzy-\r\n", "\r\n--XyZzz", "\r\n\r\n--XyZzy/"};
	for (int round = 0; round < 2; round++) {
		for (int c = 0; c < 256; c++) {
			char ch = (char)c;
			recam_buf_append(&body, &ch, 1);
			recam_buf_append(&want, &ch, 1);
		}
		for (size_t i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++) {
			recam_buf_appends(&body, tricky[i]);
			recam_buf_appends(&want, tricky[i]);
		}
	}
	recam_buf_appends(&body, "\r\n" CLOSE);
	recam_buf_appends(&want, "[E]");
	struct result r = parse_everywhere(CT, NULL, body.data, body.len);
	expect_log(&r, want.data, want.len);
	recam_buf_free(&body);
	recam_buf_free(&want);
}

/* Streaming: counts what reached part_data after every chunk. */
struct stream_ctx {
	size_t delivered;
};

static int stream_data(void *ctx, const char *data, size_t len)
{
	(void)data;
	((struct stream_ctx *)ctx)->delivered += len;
	return 0;
}

Test(multipart, file_bytes_are_passed_on_as_they_arrive_not_buffered)
{
	const size_t flen = 1u << 20;
	static const char head[] = "--XyZzy\r\n" DISP("receipt") "; filename=\"big.jpg\"\r\n\r\n";
	size_t len = LEN(head) + flen + LEN("\r\n" CLOSE);
	char *body = malloc(len);
	memcpy(body, head, LEN(head));
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < flen; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		body[LEN(head) + i] = "\r\n-XyZz"[x % 7]; /* dense near-delimiters */
	}
	/* ...but never a whole one. */
	for (char *p = body + LEN(head); (p = memmem(p, flen - (size_t)(p - body - LEN(head)), "--XyZzy", 7)); p++)
		p[6] = 'z';
	memcpy(body + LEN(head) + flen, "\r\n" CLOSE, LEN("\r\n" CLOSE));

	struct stream_ctx sc = {0};
	struct recam_multipart_cb cb = {.part_data = stream_data};
	struct recam_multipart_limits lim = {.max_header_bytes = 256, .max_file_bytes = flen};
	recam_multipart *m;
	cr_assert_eq(recam_multipart_new(CT, &lim, &cb, &sc, &m), 0);
	size_t at = 0, worst = 0;
	while (at < len) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		size_t n = 1 + x % (64u << 10);
		if (n > len - at)
			n = len - at;
		cr_assert_eq(recam_multipart_feed(m, body + at, n), 0);
		at += n;
		size_t held = recam_multipart_held(m);
		cr_assert_leq(held, lim.max_header_bytes + BLEN + 5);
		size_t fed = at <= LEN(head) ? 0 : at - LEN(head) > flen ? flen : at - LEN(head);
		cr_assert_leq(sc.delivered, fed);
		/* At most a possible delimiter ("\r\n--XyZzy-") is held back. */
		cr_assert_leq(fed - sc.delivered, BLEN + 5, "after %zu bytes: %zu held", at, fed - sc.delivered);
		if (at > LEN(head) && at < LEN(head) + flen)
			cr_assert_eq(fed - sc.delivered, held);
		worst = fed - sc.delivered > worst ? fed - sc.delivered : worst;
	}
	cr_assert_eq(recam_multipart_finish(m), 0);
	cr_assert_eq(sc.delivered, flen);
	cr_assert_gt(worst, 0, "the near-delimiters should have made the parser wait at least once");
	recam_multipart_free(m);
	free(body);
}

Test(multipart, held_bytes_stay_under_header_cap_plus_boundary)
{
	struct recam_multipart_limits lim = {.max_header_bytes = 128};
	for (size_t step = 1; step <= 5; step++) {
		struct result r = parse_step(CT, &lim, WF, LEN(WF), step);
		cr_assert_eq(r.rc, 0);
		cr_assert_leq(r.max_held, lim.max_header_bytes + BLEN + 5);
		free(r.log);
	}
}

Test(multipart, empty_field_empty_file_and_a_form_without_parts)
{
	static const char body[] = FIELD("note", "") FILEPART("f", "", "") CLOSE;
	struct result r = parse_everywhere(CT, NULL, body, LEN(body));
	expect_log(&r, "[B note|~|~][F note=][E][B f||~][E]", LEN("[B note|~|~][F note=][E][B f||~][E]"));
	r = parse_everywhere(CT, NULL, CLOSE, LEN(CLOSE));
	expect_log(&r, "", 0);
}

Test(multipart, delimiter_line_forms_that_are_accepted)
{
	/* CRLF preamble, transport padding, no CRLF after the close, uppercase
	 * header names, a part with an extra unknown header, binary CTE. */
	static const char body[] = "\r\n--XyZzy \t \r\nX-Whatever: 1\r\nCONTENT-DISPOSITION: FORM-DATA; NAME=a\r\n"
				   "Content-Transfer-Encoding: binary\r\n\r\n1\r\n--XyZzy\t\r\n" DISP("b") "\r\n\r\n"
				   "2\r\n--XyZzy--";
	struct result r = parse_everywhere(CT, NULL, body, LEN(body));
	expect_log(&r, "[B a|~|~][F a=1][E][B b|~|~][F b=2][E]", LEN("[B a|~|~][F a=1][E][B b|~|~][F b=2][E]"));
}

Test(multipart, anything_after_the_closing_delimiter_is_ignored)
{
	static const char body[] = FIELD("a", "1") "--XyZzy--  junk\r\n--XyZzy\r\n\x01\x02 not a part";
	struct result r = parse_everywhere(CT, NULL, body, LEN(body));
	expect_log(&r, "[B a|~|~][F a=1][E]", LEN("[B a|~|~][F a=1][E]"));

	recam_multipart *m;
	cr_assert_eq(recam_multipart_new(CT, NULL, NULL, NULL, &m), 0);
	cr_assert_eq(recam_multipart_feed(m, body, LEN(body)), 0);
	cr_assert_eq(recam_multipart_feed(m, "--XyZzy\r\nbroken", 15), 0);
	cr_assert_eq(recam_multipart_finish(m), 0);
	cr_assert_str_eq(recam_multipart_reason(m), "ok");
	recam_multipart_free(m);
}

/* ---- Content-Type ---- */

static void ct_ok(const char *ct, const char *boundary)
{
	char body[256];
	int n = snprintf(body, sizeof(body), "--%s\r\n" DISP("a") "\r\n\r\nv\r\n--%s--", boundary, boundary);
	struct result r = parse_step(ct, NULL, body, (size_t)n, 1);
	cr_assert_eq(r.rc, 0, "%s: %s", ct, r.reason);
	cr_assert_str_eq(r.log, "[B a|~|~][F a=v][E]", "%s", ct);
	free(r.log);
}

Test(multipart, content_type_forms_that_are_accepted)
{
	ct_ok("multipart/form-data; boundary=XyZzy", "XyZzy");
	ct_ok("Multipart/Form-Data;BOUNDARY=XyZzy", "XyZzy");
	ct_ok("  multipart/form-data ; charset=utf-8 ; boundary=\"XyZzy\" ; x=\"y;z\"", "XyZzy");
	ct_ok("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
	      "----WebKitFormBoundary7MA4YWxkTrZu0gW");
	ct_ok("multipart/form-data; boundary=\"a b\"", "a b");
	ct_ok("multipart/form-data; boundary='()+_,-./:=?", "'()+_,-./:=?");
	ct_ok("multipart/form-data; boundary=\"'()+_,-./:=? x\"", "'()+_,-./:=? x");
	char ct[128], b70[71];
	memset(b70, 'b', 70);
	b70[70] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b70);
	ct_ok(ct, b70);
}

static void ct_bad(const char *ct, int rc, const char *reason)
{
	recam_multipart *m = NULL;
	cr_assert_eq(recam_multipart_new(ct, NULL, &rec_cb, NULL, &m), rc, "%s", ct ? ct : "(null)");
	cr_assert_not_null(m);
	cr_assert_str_eq(recam_multipart_reason(m), reason, "%s", ct ? ct : "(null)");
	cr_assert_eq(recam_multipart_feed(m, "--x\r\n", 5), rc);
	cr_assert_eq(recam_multipart_finish(m), rc);
	recam_multipart_free(m);
}

Test(multipart, content_type_refusals_name_their_reason)
{
	const char *media[] = {NULL, "", "application/json", "multipart/mixed; boundary=x",
			       "multipart/form-datax; boundary=x", "text/plain", "multipart/form-data/x; boundary=x"};
	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		ct_bad(media[i], RECAM_EMEDIA, "not_multipart_form_data");
	ct_bad("multipart/form-data", RECAM_EINVAL, "missing_boundary");
	ct_bad("multipart/form-data; charset=utf-8", RECAM_EINVAL, "missing_boundary");
	ct_bad("multipart/form-data; boundary=\"\"", RECAM_EINVAL, "invalid_boundary");
	ct_bad("multipart/form-data; boundary=\"ab \"", RECAM_EINVAL, "invalid_boundary");
	ct_bad("multipart/form-data; boundary=a@b", RECAM_EINVAL, "invalid_boundary");
	ct_bad("multipart/form-data; boundary=\"a\\\"b\"", RECAM_EINVAL, "invalid_boundary");
	ct_bad("multipart/form-data; boundary=\"a\xc3\xa9\"", RECAM_EINVAL, "invalid_boundary");
	char ct[128], b71[72];
	memset(b71, 'b', 71);
	b71[71] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b71);
	ct_bad(ct, RECAM_EINVAL, "invalid_boundary");
	ct_bad("multipart/form-data; boundary=a; boundary=b", RECAM_EINVAL, "malformed_content_type");
	ct_bad("multipart/form-data; boundary=\"abc", RECAM_EINVAL, "malformed_content_type");
	ct_bad("multipart/form-data; boundary=", RECAM_EINVAL, "malformed_content_type");
	ct_bad("multipart/form-data boundary=x", RECAM_EINVAL, "malformed_content_type");
	ct_bad("multipart/form-data; =x", RECAM_EINVAL, "malformed_content_type");
}

/* ---- limits ---- */

Test(multipart, limit_on_parts)
{
	struct recam_multipart_limits lim = {.max_parts = 2};
	static const char two[] = FIELD("a", "1") FILEPART("b", "b.jpg", "x") CLOSE;
	static const char three[] = FIELD("a", "1") FIELD("b", "2") FIELD("c", "3") CLOSE;
	struct result r = parse_everywhere(CT, &lim, two, LEN(two));
	expect_log(&r, "[B a|~|~][F a=1][E][B b|b.jpg|~]x[E]", LEN("[B a|~|~][F a=1][E][B b|b.jpg|~]x[E]"));
	expect_fail(CT, &lim, three, LEN(three), RECAM_ETOOBIG, "too_many_parts");
}

Test(multipart, limit_on_files)
{
	struct recam_multipart_limits lim = {.max_files = 1};
	static const char one[] = FIELD("a", "1") FILEPART("r", "1.jpg", "x") FIELD("b", "2") CLOSE;
	static const char two[] = FILEPART("r", "1.jpg", "x") FILEPART("r", "2.jpg", "y") CLOSE;
	struct result r = parse_everywhere(CT, &lim, one, LEN(one));
	cr_assert_eq(r.rc, 0);
	free(r.log);
	expect_fail(CT, &lim, two, LEN(two), RECAM_ETOOBIG, "too_many_files");
}

Test(multipart, limit_on_field_bytes)
{
	struct recam_multipart_limits lim = {.max_field_bytes = 5};
	static const char ok[] = FIELD("a", "12345") CLOSE;
	static const char big[] = FIELD("a", "123456") CLOSE;
	struct result r = parse_everywhere(CT, &lim, ok, LEN(ok));
	expect_log(&r, "[B a|~|~][F a=12345][E]", LEN("[B a|~|~][F a=12345][E]"));
	expect_fail(CT, &lim, big, LEN(big), RECAM_ETOOBIG, "field_too_large");
	/* A value ending in what might start a delimiter is still counted right. */
	static const char cr[] = FIELD("a", "1234\r") CLOSE;
	r = parse_everywhere(CT, &lim, cr, LEN(cr));
	expect_log(&r, "[B a|~|~][F a=1234\r][E]", LEN("[B a|~|~][F a=1234\r][E]"));
}

Test(multipart, limit_on_file_bytes)
{
	struct recam_multipart_limits lim = {.max_file_bytes = 10};
	static const char ok[] = FILEPART("r", "r.jpg", "0123456789") FILEPART("r", "s.jpg", "\r\n--XyZzyQ") CLOSE;
	static const char big[] = FILEPART("r", "r.jpg", "0123456789A") CLOSE;
	struct result r = parse_everywhere(CT, &lim, ok, LEN(ok));
	cr_assert_eq(r.rc, 0, "%s", r.reason);
	free(r.log);
	expect_fail(CT, &lim, big, LEN(big), RECAM_ETOOBIG, "file_too_large");
}

Test(multipart, limit_on_header_bytes)
{
	/* The header block, blank line included, is exactly the cap. */
	static const char body[] = "--XyZzy\r\n" DISP("a") "\r\n\r\nv\r\n" CLOSE;
	size_t block = LEN(DISP("a") "\r\n\r\n");
	struct recam_multipart_limits lim = {.max_header_bytes = block};
	struct result r = parse_everywhere(CT, &lim, body, LEN(body));
	cr_assert_eq(r.rc, 0, "%s", r.reason);
	free(r.log);
	lim.max_header_bytes = block - 1;
	expect_fail(CT, &lim, body, LEN(body), RECAM_ETOOBIG, "headers_too_large");
	/* Endless header lines never end a block: the cap stops them. */
	recam_buf many;
	recam_buf_init(&many, 1u << 20);
	recam_buf_appends(&many, "--XyZzy\r\n");
	for (int i = 0; i < 2000; i++)
		recam_buf_appends(&many, "X-A: b\r\n");
	struct result big = parse_step(CT, NULL, many.data, many.len, 0);
	cr_assert_eq(big.rc, RECAM_ETOOBIG);
	cr_assert_str_eq(big.reason, "headers_too_large");
	free(big.log);
	recam_buf_free(&many);
}

Test(multipart, limit_on_total_bytes_stops_at_the_closing_delimiter)
{
	static const char body[] = FIELD("a", "1") "--XyZzy--\r\nan epilogue that is not counted";
	size_t upto = LEN(FIELD("a", "1") "--XyZzy--");
	struct recam_multipart_limits lim = {.max_total_bytes = upto};
	struct result r = parse_everywhere(CT, &lim, body, LEN(body));
	cr_assert_eq(r.rc, 0, "%s", r.reason);
	free(r.log);
	lim.max_total_bytes = upto - 1;
	expect_fail(CT, &lim, body, LEN(body), RECAM_ETOOBIG, "body_too_large");
}

Test(multipart, zero_limits_and_null_limits_take_the_defaults)
{
	struct recam_multipart_limits def, zero = {0};
	recam_multipart_limits_default(&def);
	cr_assert_gt(def.max_files, 0);
	cr_assert_leq(def.max_file_bytes, def.max_total_bytes);
	struct result r = parse_step(CT, &zero, WF, LEN(WF), 0);
	expect_log(&r, WF_LOG, LEN(WF_LOG));
}

/* ---- malformed bodies ---- */

struct bad_case {
	const char *body;
	size_t len;
	const char *reason;
};
#define BAD(lit, why) {lit, LEN(lit), why}

Test(multipart, malformed_bodies_are_refused_with_their_reason_wherever_split)
{
	static const struct bad_case cases[] = {
		BAD("--XyZzy\r\nContent-Disposition: form-data\r\n\r\nv\r\n" CLOSE, "missing_name"),
		BAD("--XyZzy\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n" CLOSE, "missing_name"),
		BAD("--XyZzy\r\nContent-Disposition: form-data; filename=\"a.jpg\"\r\n\r\nv\r\n" CLOSE, "missing_name"),
		BAD("--XyZzy\r\n\r\nv\r\n" CLOSE, "missing_content_disposition"),
		BAD("--XyZzy\r\nContent-Type: text/plain\r\n\r\nv\r\n" CLOSE, "missing_content_disposition"),
		BAD("--XyZzy\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\nContent-Disposition: form-datax; name=a\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n" CLOSE,
		    "malformed_disposition"),
		BAD("--XyZzy\r\n" DISP("a") "; filename=x; FILENAME=y\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\nContent-Disposition: form-data; name\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\nContent-Disposition: form-data name=a\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\n" DISP("a") "; filename*=UTF-8''%zz.jpg\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\n" DISP("a") "; filename*=UTF-8''%E3%8\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\n" DISP("a") "; filename*=noquotes.jpg\r\n\r\nv\r\n" CLOSE, "malformed_disposition"),
		BAD("--XyZzy\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nv\r\n" CLOSE, "header_folding"),
		BAD("--XyZzy\r\n" DISP("a") "\r\n\tX: y\r\n\r\nv\r\n" CLOSE, "header_folding"),
		BAD("--XyZzy\r\n" DISP("a") "\n\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\n" DISP("a") "\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\n" DISP("a") "\rX: y\r\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\nContent-Disposition form-data\r\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\nContent-Disposition : form-data; name=a\r\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\n: x\r\n" DISP("a") "\r\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\n" DISP("a") "\r\nX-A: \x01\r\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\n" DISP("a") "\r\nX-A: a\0b\r\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\n" DISP("a") "\r\n" DISP("b") "\r\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\n" DISP("a") "\r\nContent-Type: a/b\r\ncontent-type: c/d\r\n\r\nv\r\n" CLOSE,
		    "malformed_headers"),
		BAD("--XyZzy\r\n" DISP("a") "\r\nContent-Transfer-Encoding: base64\r\n\r\nv\r\n" CLOSE,
		    "unsupported_transfer_encoding"),
		/* duplicate boundaries: the second line is header text, not a delimiter */
		BAD("--XyZzy\r\n--XyZzy\r\n" DISP("a") "\r\n\r\nv\r\n" CLOSE, "malformed_headers"),
		BAD("--XyZzy\r\n" DISP("a") "\r\n\r\nv\r\n--XyZzy\r\n--XyZzy\r\n" DISP("b") "\r\n\r\nw\r\n" CLOSE,
		    "malformed_headers"),
		BAD("--XyZzy\n" DISP("a") "\r\n\r\nv\r\n" CLOSE, "malformed_delimiter"),
		BAD("--XyZzy  x\r\n" DISP("a") "\r\n\r\nv\r\n" CLOSE, "malformed_delimiter"),
		BAD("--XyZzy\rX" DISP("a") "\r\n\r\nv\r\n" CLOSE, "malformed_delimiter"),
		BAD(FIELD("a", "v") "--XyZzy\n" DISP("b") "\r\n\r\nw\r\n" CLOSE, "malformed_delimiter"),
		BAD("--XyZzy\r\n" DISP("\xff") "\r\n\r\nv\r\n" CLOSE, "invalid_utf8"),
		BAD(FIELD("a", "\xc3\x28") CLOSE, "invalid_utf8"),
		BAD(FIELD("a", "\xc0\xaf") CLOSE, "invalid_utf8"),
		BAD(FIELD("a", "\xed\xa0\x80") CLOSE, "invalid_utf8"),
		BAD(FIELD("a", "\xf4\x90\x80\x80") CLOSE, "invalid_utf8"),
		BAD(FIELD("a", "ok\xe3\x83") CLOSE, "invalid_utf8"),
		BAD(FIELD("a", "a\0b") CLOSE, "nul_in_field"),
		BAD(FIELD("a", "v"), "truncated"),
		BAD(FIELD("a", "v") "--XyZzy-", "truncated"),
		BAD("no delimiter at all", "truncated"),
		BAD("", "truncated"),
		BAD("\n--XyZzy\r\n" DISP("a") "\r\n\r\nv\n--XyZzy--\r\n", "truncated"),
		BAD("--XyZzy\r\n" DISP("a") "\r\n\r\nv\n--XyZzy--\r\n", "truncated"),
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = strcmp(cases[i].reason, "headers_too_large") == 0 ? RECAM_ETOOBIG : RECAM_EINVAL;
		expect_fail(CT, NULL, cases[i].body, cases[i].len, rc, cases[i].reason);
	}
}

/* ---- filenames ---- */

static void filename_is(const char *params, const char *want)
{
	recam_buf body;
	recam_buf_init(&body, 4096);
	recam_buf_appendf(&body, "--XyZzy\r\n" DISP("r") "; %s\r\n\r\nx\r\n" CLOSE, params);
	struct result r = parse_step(CT, NULL, body.data, body.len, 1);
	cr_assert_eq(r.rc, 0, "%s: %s", params, r.reason);
	recam_buf exp;
	recam_buf_init(&exp, 4096);
	recam_buf_appendf(&exp, "[B r|%s|~]x[E]", want);
	cr_assert_str_eq(r.log, exp.data, "%s", params);
	free(r.log);
	recam_buf_free(&body);
	recam_buf_free(&exp);
}

Test(multipart, filenames_are_decoded_then_reduced_to_a_safe_display_form)
{
	filename_is("filename=\"r.jpg\"", "r.jpg");
	filename_is("filename=r.jpg", "r.jpg");
	filename_is("FileName=\"a;b=c.jpg\"", "a;b=c.jpg");
	filename_is("filename=\"a\\\"b.jpg\"", "a\"b.jpg");
	filename_is("filename=\"dir\\\\b.jpg\"", "b.jpg");
	filename_is("filename=\"C:\\Users\\me\\r.jpg\"", "r.jpg");
	filename_is("filename=\"../../etc/passwd\"", "passwd");
	filename_is("filename=\"dir/\"", "");
	filename_is("filename=\"\"", "");
	filename_is("filename=\"レシート.jpg\"", "レシート.jpg");
	filename_is("filename=\"\xe2\x80\xaegpj.exe\"", "gpj.exe");
	filename_is("filename=\"a\xe2\x80\x8b" "b\xef\xbb\xbf.jpg\"", "ab.jpg");
	filename_is("filename=\"a\tb.jpg\"", "ab.jpg");
	filename_is("filename=\"\xff\xfe.jpg\"", "__.jpg");
	filename_is("filename=\".htaccess\"", "htaccess");
	filename_is("filename=\" .. \"", "");
	filename_is("filename=\"r.jpg. . \"", "r.jpg");
	filename_is("filename=\"a b.jpg\"", "a b.jpg");
	/* RFC 5987 wins over filename, UTF-8 only, percent-decoded, then reduced */
	filename_is("filename=\"fallback.jpg\"; filename*=UTF-8''%E3%83%AC%E3%82%B7%E3%83%BC%E3%83%88.jpg",
		    "レシート.jpg");
	filename_is("filename*=utf-8'ja'%e3%83%ac.jpg", "レ.jpg");
	filename_is("filename*=\"UTF-8''q.jpg\"", "q.jpg");
	filename_is("filename*=ISO-8859-1''%E9.jpg; filename=\"e.jpg\"", "e.jpg");
	filename_is("filename*=ISO-8859-1''%E9.jpg", "");
	filename_is("filename*=UTF-8''..%2F..%2Fx.jpg", "x.jpg");
	filename_is("filename*=UTF-8''a%0D%0Ab%00c%7F.jpg", "abc.jpg");
	filename_is("filename*=UTF-8''%FF.jpg", "_.jpg");
	filename_is("filename*=UTF-8''%C2%85x.jpg", "x.jpg");

	char params[600], want[300];
	memcpy(params, "filename=\"", 10);
	memset(params + 10, 'a', 300);
	memcpy(params + 310, ".jpg\"", 6);
	memset(want, 'a', 255);
	want[255] = '\0';
	filename_is(params, want);
	/* Cut at a character boundary: 100 × "レ" (3 bytes) keeps 85. */
	size_t o = 10;
	for (int i = 0; i < 100; i++, o += 3)
		memcpy(params + o, "レ", 3);
	memcpy(params + o, "\"", 2);
	for (int i = 0; i < 85; i++)
		memcpy(want + 3 * i, "レ", 3);
	want[255] = '\0';
	filename_is(params, want);
}

Test(multipart, names_and_content_types_are_passed_as_sent)
{
	static const char body[] = "--XyZzy\r\nContent-Disposition: form-data; name=\"お名前 \\\"x\\\"\"\r\n"
				   "Content-Type:   text/plain ; charset=Shift_JIS  \r\n\r\nv\r\n" CLOSE;
	struct result r = parse_everywhere(CT, NULL, body, LEN(body));
	static const char want[] = "[B お名前 \"x\"|~|text/plain ; charset=Shift_JIS][F お名前 \"x\"=v][E]";
	expect_log(&r, want, LEN(want));
}

/* ---- callbacks ---- */

Test(multipart, a_callback_error_stops_parsing_and_is_returned)
{
	const char *where[] = {"begin", "data", "end", "field"};
	for (size_t i = 0; i < 4; i++) {
		for (size_t step = 0; step <= 3; step++) {
			size_t n = step ? LEN(WF) / step : 0;
			size_t *cuts = calloc(n + 1, sizeof(*cuts));
			for (size_t k = 0; k < n; k++)
				cuts[k] = (k + 1) * step;
			/* parse_cuts checks that nothing is called after the error */
			struct result r = parse_cuts(CT, NULL, WF, LEN(WF), cuts, n, where[i]);
			cr_assert_eq(r.rc, 42, "%s: %d", where[i], r.rc);
			cr_assert_str_eq(r.reason, "callback");
			free(r.log);
			free(cuts);
		}
	}
}

Test(multipart, callbacks_are_optional)
{
	struct recam_multipart_cb none = {0};
	recam_multipart *m;
	cr_assert_eq(recam_multipart_new(CT, NULL, &none, NULL, &m), 0);
	cr_assert_eq(recam_multipart_feed(m, WF, LEN(WF)), 0);
	cr_assert_eq(recam_multipart_finish(m), 0);
	recam_multipart_free(m);
	recam_multipart_free(NULL);
	cr_assert_str_eq(recam_multipart_reason(NULL), "out_of_memory");
	cr_assert_eq(recam_multipart_held(NULL), 0);
}
