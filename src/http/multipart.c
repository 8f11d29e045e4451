/* multipart.c — streaming multipart/form-data parser: owns the delimiter
 * scan, the part header block, Content-Disposition and filename handling.
 * See multipart.h for the decisions on strictness. */
#include "multipart.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"

enum mp_state {
	MP_SCAN,    /* preamble (not in_part) or part content (in_part) */
	MP_TAIL,    /* "\r\n--boundary" matched: is it really a delimiter? */
	MP_PAD,	    /* transport padding after the delimiter */
	MP_LF,	    /* CR of the delimiter line seen, LF expected */
	MP_HEADERS, /* collecting a part's header block */
	MP_DONE,    /* closing delimiter seen: the rest is epilogue */
	MP_FAILED,
};

struct recam_multipart {
	struct recam_multipart_limits lim;
	struct recam_multipart_cb cb;
	void *ctx;
	/* "\r\n--" + boundary: every delimiter in the body is preceded by a
	 * CRLF that belongs to it, not to the part before. */
	char delim[4 + RECAM_MULTIPART_BOUNDARY_MAX];
	size_t dlen;
	enum mp_state state;
	/* Bytes of delim matched and not yet passed on. The held bytes always
	 * equal delim's prefix, so nothing is copied to remember them. */
	size_t matched;
	bool tail_dash; /* one '-' after a full delim match */
	bool in_part;
	bool is_file;
	recam_buf hdr;	 /* the current header block, max_header_bytes */
	recam_buf meta;	 /* "name\0filename\0content_type\0" of the current part */
	size_t name_len; /* offsets into meta */
	size_t fname_off, ctype_off;
	bool has_fname, has_ctype;
	recam_buf field; /* the current text field's value */
	size_t nparts, nfiles;
	size_t file_bytes, total;
	int err;
	const char *reason;
};

static int fail(recam_multipart *m, int err, const char *reason)
{
	m->state = MP_FAILED;
	m->err = err;
	m->reason = reason;
	return err;
}

/* recam_buf errors are either the cap (a limit, named by the caller) or memory. */
static int fail_buf(recam_multipart *m, int rc, const char *cap_reason)
{
	return fail(m, rc, rc == RECAM_ETOOBIG ? cap_reason : "out_of_memory");
}

void recam_multipart_limits_default(struct recam_multipart_limits *lim)
{
	/* A few photos of receipts and a handful of short fields from a phone. */
	lim->max_parts = 32;
	lim->max_files = 10;
	lim->max_field_bytes = 4096;
	lim->max_header_bytes = 4096;
	lim->max_file_bytes = 20u << 20;
	lim->max_total_bytes = 40u << 20;
}

/* ---- characters and UTF-8 ---- */

static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 2046 bchars (space only inside, checked by the caller). */
static bool is_bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != 0 && strchr("'()+_,-./:=? ", c) != NULL);
}

static bool is_ows(char c) { return c == ' ' || c == '\t'; }

static bool utf8_valid(const char *p, size_t n)
{
	uint32_t cp;
	for (size_t i = 0, k; i < n; i += k)
		if ((k = recam_utf8_next((const unsigned char *)p + i, n - i, &cp)) == 0)
			return false;
	return true;
}

/* Characters that would change how a name is displayed rather than show:
 * C0/C1 controls, DEL, and the bidi and zero-width formatting marks (a
 * "gpj.exe" shown as "exe.jpg" to a reviewer). */
static bool is_invisible(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* ---- parameters of Content-Type and Content-Disposition ---- */

struct mp_param {
	recam_str name;
	recam_str raw; /* inside the quotes when quoted, escapes still present */
	bool quoted;
};

/* The next "; name=value" of s. 1 with *pp set, 0 at the end, RECAM_EINVAL
 * when malformed. An empty parameter (";;" or a trailing ';') is skipped,
 * as some clients send one. */
static int next_param(recam_str *s, struct mp_param *pp)
{
	const char *p = s->p, *end = s->p + s->n;
	for (;;) {
		while (p < end && is_ows(*p))
			p++;
		if (p == end)
			return 0;
		if (*p != ';')
			return RECAM_EINVAL;
		p++;
		while (p < end && is_ows(*p))
			p++;
		if (p < end && *p != ';')
			break;
	}
	const char *name = p;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	pp->name = (recam_str){name, (size_t)(p - name)};
	while (p < end && is_ows(*p))
		p++;
	if (pp->name.n == 0 || p == end || *p != '=')
		return RECAM_EINVAL;
	p++;
	while (p < end && is_ows(*p))
		p++;
	const char *v = p;
	if (p < end && *p == '"') {
		v = ++p;
		while (p < end && *p != '"') {
			unsigned char c = (unsigned char)*p;
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return RECAM_EINVAL;
			/* quoted-pair: the escaped byte cannot close the string */
			if (c == '\\' && ++p == end)
				return RECAM_EINVAL;
			p++;
		}
		if (p == end)
			return RECAM_EINVAL;
		pp->raw = (recam_str){v, (size_t)(p - v)};
		pp->quoted = true;
		p++;
	} else {
		/* Wider than token (a boundary may hold '/', '=', '?' unquoted)
		 * but never a separator that would end the parameter. */
		while (p < end && (unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f && *p != ';' && *p != '"' &&
		       *p != '\\')
			p++;
		pp->raw = (recam_str){v, (size_t)(p - v)};
		pp->quoted = false;
		if (pp->raw.n == 0)
			return RECAM_EINVAL;
	}
	s->n -= (size_t)(p - s->p);
	s->p = p;
	return 1;
}

/* The value with \" and \\ unescaped; the result is never longer. Any
 * other backslash stays (RFC 7230 would drop it): old Windows browsers send
 * "C:\Users\r.jpg" unescaped, and keeping the backslash lets the display
 * name still become "r.jpg". Both readings pair the same bytes, so they
 * agree on where the string ends and cannot disagree about the parameters. */
static int param_value(const struct mp_param *pp, recam_buf *out)
{
	for (size_t i = 0; i < pp->raw.n; i++) {
		if (pp->quoted && pp->raw.p[i] == '\\' && (pp->raw.p[i + 1] == '"' || pp->raw.p[i + 1] == '\\'))
			i++; /* next_param made sure a byte follows */
		int rc = recam_buf_append(out, pp->raw.p + i, 1);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static bool name_is(recam_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && strncasecmp(s.p, lit, n) == 0;
}

/* "type/subtype" at the start of s, case-insensitively, followed by the end
 * or a parameter; s is moved past it. */
static bool take_media_type(recam_str *s, const char *want)
{
	recam_str t = recam_str_trim(*s);
	size_t n = strlen(want);
	if (t.n < n || strncasecmp(t.p, want, n) != 0)
		return false;
	if (t.n > n && !is_ows(t.p[n]) && t.p[n] != ';')
		return false;
	*s = (recam_str){t.p + n, t.n - n};
	return true;
}

static int parse_content_type(recam_multipart *m, const char *content_type)
{
	if (content_type == NULL)
		return fail(m, RECAM_EMEDIA, "not_multipart_form_data");
	recam_str s = recam_str_c(content_type);
	if (!take_media_type(&s, "multipart/form-data"))
		return fail(m, RECAM_EMEDIA, "not_multipart_form_data");
	struct mp_param pp, bp = {0};
	bool have = false;
	int rc;
	while ((rc = next_param(&s, &pp)) > 0) {
		if (!name_is(pp.name, "boundary"))
			continue;
		if (have) /* two boundaries: whichever we chose, someone else chose the other */
			return fail(m, RECAM_EINVAL, "malformed_content_type");
		bp = pp;
		have = true;
	}
	if (rc < 0)
		return fail(m, RECAM_EINVAL, "malformed_content_type");
	if (!have)
		return fail(m, RECAM_EINVAL, "missing_boundary");
	recam_buf b;
	recam_buf_init(&b, RECAM_MULTIPART_BOUNDARY_MAX);
	rc = param_value(&bp, &b);
	if (rc == RECAM_ENOMEM) {
		recam_buf_free(&b);
		return fail(m, rc, "out_of_memory");
	}
	bool ok = rc == 0 && b.len > 0 && b.data[b.len - 1] != ' ';
	for (size_t i = 0; ok && i < b.len; i++)
		ok = is_bchar((unsigned char)b.data[i]);
	if (ok) {
		memcpy(m->delim, "\r\n--", 4);
		memcpy(m->delim + 4, b.data, b.len);
		m->dlen = 4 + b.len;
	}
	recam_buf_free(&b);
	return ok ? 0 : fail(m, RECAM_EINVAL, "invalid_boundary");
}

/* ---- a part's headers ---- */

/* filename / filename* reduced to a display form, appended to meta. */
static int append_display_name(recam_multipart *m, const char *in, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (in[i] == '/' || in[i] == '\\')
			start = i + 1;
	size_t base = m->meta.len, keep = base;
	for (size_t i = start, k; i < n; i += k) {
		uint32_t cp;
		const char *piece = in + i;
		k = recam_utf8_next((const unsigned char *)piece, n - i, &cp);
		if (k == 0) {
			piece = "_";
			k = 1;
			cp = '_';
		}
		if (is_invisible(cp) || (m->meta.len == base && (cp == '.' || cp == ' ')))
			continue;
		if (m->meta.len - base + k > RECAM_MULTIPART_FILENAME_MAX)
			break;
		int rc = recam_buf_append(&m->meta, piece, k);
		if (rc != 0)
			return rc;
		if (cp != ' ' && cp != '.')
			keep = m->meta.len;
	}
	/* Trailing dots and spaces hide an extension on some systems. */
	m->meta.len = keep;
	if (m->meta.data)
		m->meta.data[keep] = '\0';
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 5987 ext-value "UTF-8'lang'%E3%83..." decoded into *dec. 1 when
 * decoded, 0 when the charset is not UTF-8 (the plain filename is then
 * used), RECAM_EINVAL when malformed. */
static int decode_ext_value(recam_str v, recam_buf *dec)
{
	const char *q1 = memchr(v.p, '\'', v.n);
	const char *q2 = q1 ? memchr(q1 + 1, '\'', (size_t)(v.p + v.n - q1 - 1)) : NULL;
	if (q2 == NULL)
		return RECAM_EINVAL;
	if (!name_is((recam_str){v.p, (size_t)(q1 - v.p)}, "utf-8"))
		return 0;
	for (const char *p = q2 + 1, *end = v.p + v.n; p < end; p++) {
		char c = *p;
		if (c == '%') {
			int hi = end - p > 2 ? hexval(p[1]) : -1, lo = end - p > 2 ? hexval(p[2]) : -1;
			if (hi < 0 || lo < 0)
				return RECAM_EINVAL;
			c = (char)(hi * 16 + lo);
			p += 2;
		}
		int rc = recam_buf_append(dec, &c, 1);
		if (rc != 0)
			return rc;
	}
	return 1;
}

/* Content-Disposition: form-data; name="..."[; filename="..."][; filename*=...] */
static int parse_disposition(recam_multipart *m, recam_str cd)
{
	if (!take_media_type(&cd, "form-data"))
		return fail(m, RECAM_EINVAL, "malformed_disposition");
	struct mp_param pp, name = {0}, fn = {0}, fnx = {0};
	bool have_name = false, have_fn = false, have_fnx = false;
	int rc;
	while ((rc = next_param(&cd, &pp)) > 0) {
		bool *seen = NULL;
		struct mp_param *slot = NULL;
		if (name_is(pp.name, "name"))
			seen = &have_name, slot = &name;
		else if (name_is(pp.name, "filename"))
			seen = &have_fn, slot = &fn;
		else if (name_is(pp.name, "filename*"))
			seen = &have_fnx, slot = &fnx;
		if (seen == NULL)
			continue;
		if (*seen)
			return fail(m, RECAM_EINVAL, "malformed_disposition");
		*seen = true;
		*slot = pp;
	}
	if (rc < 0)
		return fail(m, RECAM_EINVAL, "malformed_disposition");
	if (!have_name || name.raw.n == 0)
		return fail(m, RECAM_EINVAL, "missing_name");

	recam_buf_reset(&m->meta);
	if ((rc = param_value(&name, &m->meta)) != 0)
		return fail_buf(m, rc, "headers_too_large");
	m->name_len = m->meta.len;
	if (!utf8_valid(m->meta.data, m->name_len))
		return fail(m, RECAM_EINVAL, "invalid_utf8");
	for (size_t i = 0; i < m->name_len; i++)
		if ((unsigned char)m->meta.data[i] < 0x20 || m->meta.data[i] == 0x7f)
			return fail(m, RECAM_EINVAL, "malformed_disposition");
	if ((rc = recam_buf_append(&m->meta, "", 1)) != 0)
		return fail_buf(m, rc, "headers_too_large");

	m->has_fname = m->is_file = have_fn || have_fnx;
	if (!m->is_file)
		return 0;
	/* Decode into a scratch buffer, then reduce into meta. */
	recam_buf dec;
	recam_buf_init(&dec, m->lim.max_header_bytes);
	rc = 0;
	if (have_fnx) {
		recam_buf raw;
		recam_buf_init(&raw, m->lim.max_header_bytes);
		rc = param_value(&fnx, &raw);
		if (rc == 0)
			rc = decode_ext_value((recam_str){raw.data ? raw.data : "", raw.len}, &dec);
		recam_buf_free(&raw);
		if (rc == 0)	/* a charset we do not read: fall back to filename */
			have_fnx = false;
		else if (rc == 1)
			rc = 0;
	}
	if (rc == 0 && !have_fnx && have_fn)
		rc = param_value(&fn, &dec);
	m->fname_off = m->meta.len;
	if (rc == 0)
		rc = append_display_name(m, dec.data ? dec.data : "", dec.len);
	if (rc == 0)
		rc = recam_buf_append(&m->meta, "", 1);
	recam_buf_free(&dec);
	if (rc == RECAM_EINVAL)
		return fail(m, rc, "malformed_disposition");
	return rc != 0 ? fail_buf(m, rc, "headers_too_large") : 0;
}

/* The header block in hdr (CRLF-terminated lines, then a blank line). */
static int parse_headers(recam_multipart *m)
{
	const char *p = m->hdr.data, *end = p + m->hdr.len;
	recam_str cd = {0}, ct = {0};
	bool have_cd = false, have_ct = false, have_cte = false;
	for (;;) {
		/* The collector let CR appear only as part of CRLF. */
		const char *eol = memchr(p, '\r', (size_t)(end - p));
		if (eol == p)
			break;
		recam_str line = {p, (size_t)(eol - p)};
		p = eol + 2;
		if (is_ows(line.p[0])) /* obsolete folding: refused by RFC 7578 */
			return fail(m, RECAM_EINVAL, "header_folding");
		const char *colon = memchr(line.p, ':', line.n);
		if (colon == NULL || colon == line.p)
			return fail(m, RECAM_EINVAL, "malformed_headers");
		recam_str hname = {line.p, (size_t)(colon - line.p)};
		for (size_t i = 0; i < hname.n; i++)
			if (!is_tchar((unsigned char)hname.p[i]))
				return fail(m, RECAM_EINVAL, "malformed_headers");
		recam_str v = {colon + 1, (size_t)(line.p + line.n - colon - 1)};
		while (v.n > 0 && is_ows(v.p[0]))
			v.p++, v.n--;
		while (v.n > 0 && is_ows(v.p[v.n - 1]))
			v.n--;
		for (size_t i = 0; i < v.n; i++) {
			unsigned char c = (unsigned char)v.p[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return fail(m, RECAM_EINVAL, "malformed_headers");
		}
		bool *seen = NULL;
		if (name_is(hname, "content-disposition"))
			seen = &have_cd, cd = v;
		else if (name_is(hname, "content-type"))
			seen = &have_ct, ct = v;
		else if (name_is(hname, "content-transfer-encoding"))
			seen = &have_cte;
		if (seen == NULL)
			continue;
		if (*seen)
			return fail(m, RECAM_EINVAL, "malformed_headers");
		*seen = true;
		/* RFC 7578 deprecates it; anything that would need decoding
		 * (base64, quoted-printable) is refused, not passed on encoded. */
		if (seen == &have_cte && !name_is(v, "binary") && !name_is(v, "8bit") && !name_is(v, "7bit"))
			return fail(m, RECAM_EINVAL, "unsupported_transfer_encoding");
	}
	if (!have_cd)
		return fail(m, RECAM_EINVAL, "missing_content_disposition");
	int rc = parse_disposition(m, cd);
	if (rc != 0)
		return rc;
	m->has_ctype = have_ct;
	m->ctype_off = m->meta.len;
	if (have_ct && ((rc = recam_buf_append(&m->meta, ct.p, ct.n)) != 0 ||
			(rc = recam_buf_append(&m->meta, "", 1)) != 0))
		return fail_buf(m, rc, "headers_too_large");
	return 0;
}

static int cb_fail(recam_multipart *m, int rc) { return fail(m, rc, "callback"); }

static int begin_part(recam_multipart *m)
{
	int rc = parse_headers(m);
	if (rc != 0)
		return rc;
	if (++m->nparts > m->lim.max_parts)
		return fail(m, RECAM_ETOOBIG, "too_many_parts");
	if (m->is_file && ++m->nfiles > m->lim.max_files)
		return fail(m, RECAM_ETOOBIG, "too_many_files");
	recam_buf_reset(&m->hdr);
	recam_buf_reset(&m->field);
	m->file_bytes = 0;
	m->in_part = true;
	m->matched = 0;
	m->state = MP_SCAN;
	if (m->cb.part_begin) {
		const char *md = m->meta.data;
		rc = m->cb.part_begin(m->ctx, md, m->has_fname ? md + m->fname_off : NULL,
				      m->has_ctype ? md + m->ctype_off : NULL);
		if (rc != 0)
			return cb_fail(m, rc);
	}
	return 0;
}

static int end_part(recam_multipart *m)
{
	int rc;
	if (!m->in_part)
		return 0;
	m->in_part = false;
	if (!m->is_file) {
		const char *v = m->field.data ? m->field.data : "";
		if (memchr(v, '\0', m->field.len) != NULL)
			return fail(m, RECAM_EINVAL, "nul_in_field");
		if (!utf8_valid(v, m->field.len))
			return fail(m, RECAM_EINVAL, "invalid_utf8");
		if (m->cb.field && (rc = m->cb.field(m->ctx, m->meta.data, v, m->field.len)) != 0)
			return cb_fail(m, rc);
	}
	if (m->cb.part_end && (rc = m->cb.part_end(m->ctx)) != 0)
		return cb_fail(m, rc);
	return 0;
}

/* ---- the byte stream ---- */

/* Content of the current part; the preamble goes nowhere. */
static int sink(recam_multipart *m, const char *p, size_t n)
{
	if (n == 0 || !m->in_part)
		return 0;
	if (!m->is_file) {
		int rc = recam_buf_append(&m->field, p, n);
		return rc != 0 ? fail_buf(m, rc, "field_too_large") : 0;
	}
	/* Up to the limit first, so the caller sees the same bytes before the
	 * error however the body was chunked. */
	size_t room = m->lim.max_file_bytes - m->file_bytes;
	size_t take = n < room ? n : room;
	m->file_bytes += take;
	if (take > 0 && m->cb.part_data) {
		int rc = m->cb.part_data(m->ctx, p, take);
		if (rc != 0)
			return cb_fail(m, rc);
	}
	return take < n ? fail(m, RECAM_ETOOBIG, "file_too_large") : 0;
}

/* Looks for the delimiter, passing everything before it on. Returns the
 * bytes used; stops early once a whole delimiter matched. Because the
 * delimiter's only CR is its first byte (bchars hold none), a failed match
 * can never hide the start of another, so no KMP table is needed. */
static size_t scan(recam_multipart *m, const char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (m->matched == 0) {
			const char *cr = memchr(p + i, '\r', n - i);
			size_t run = cr ? (size_t)(cr - (p + i)) : n - i;
			if (sink(m, p + i, run) != 0)
				return i;
			i += run;
			if (cr == NULL)
				break;
			m->matched = 1;
			i++;
		} else if (p[i] == m->delim[m->matched]) {
			i++;
			if (++m->matched == m->dlen) {
				m->state = MP_TAIL;
				m->tail_dash = false;
				break;
			}
		} else {
			/* Not a delimiter after all: what was held back is content,
			 * and p[i] is looked at again from the start. */
			if (sink(m, m->delim, m->matched) != 0)
				return i;
			m->matched = 0;
		}
	}
	return i;
}

/* One byte after "\r\n--boundary". Returns 1 when used, 0 when the match
 * turned out to be content and c must be scanned again. */
static int tail(recam_multipart *m, char c)
{
	if (c == '-' && !m->tail_dash) {
		m->tail_dash = true;
		return 1;
	}
	if (c == '\n' && !m->tail_dash) {
		/* Taking it as content would let a bare-LF sender's parts run
		 * together silently; refusing tells them. */
		fail(m, RECAM_EINVAL, "malformed_delimiter");
		return 1;
	}
	if (c == '-' || ((c == ' ' || c == '\t' || c == '\r') && !m->tail_dash)) {
		if (end_part(m) == 0) {
			m->matched = 0;
			m->state = c == '-' ? MP_DONE : c == '\r' ? MP_LF : MP_PAD;
		}
		return 1;
	}
	if (sink(m, m->delim, m->dlen) != 0 || (m->tail_dash && sink(m, "-", 1) != 0))
		return 1;
	m->matched = 0;
	m->tail_dash = false;
	m->state = MP_SCAN;
	return 0;
}

static void header_byte(recam_multipart *m, char c)
{
	size_t len = m->hdr.len;
	char prev = len ? m->hdr.data[len - 1] : '\0';
	if (c == '\0' || (c == '\n') != (prev == '\r')) {
		fail(m, RECAM_EINVAL, "malformed_headers");
		return;
	}
	int rc = recam_buf_append(&m->hdr, &c, 1);
	if (rc != 0) {
		fail_buf(m, rc, "headers_too_large");
		return;
	}
	len++;
	if (c == '\n' && (len == 2 || (len >= 4 && memcmp(m->hdr.data + len - 4, "\r\n\r\n", 4) == 0)))
		begin_part(m);
}

/* Runs the state machine over p[0..n); returns the bytes used, which is
 * less than n only when parsing failed or the closing delimiter came. */
static size_t run(recam_multipart *m, const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && m->state != MP_FAILED && m->state != MP_DONE) {
		char c = p[i];
		switch (m->state) {
		case MP_SCAN:
			i += scan(m, p + i, n - i);
			break;
		case MP_TAIL:
			i += (size_t)tail(m, c);
			break;
		case MP_PAD:
			if (c == '\r')
				m->state = MP_LF;
			else if (!is_ows(c))
				fail(m, RECAM_EINVAL, "malformed_delimiter");
			i++;
			break;
		case MP_LF:
			if (c == '\n') {
				recam_buf_reset(&m->hdr);
				m->state = MP_HEADERS;
			} else {
				fail(m, RECAM_EINVAL, "malformed_delimiter");
			}
			i++;
			break;
		case MP_HEADERS:
			header_byte(m, c);
			i++;
			break;
		case MP_DONE:
		case MP_FAILED:
			break;
		}
	}
	return i;
}

int recam_multipart_feed(recam_multipart *m, const char *data, size_t len)
{
	if (m->state == MP_FAILED)
		return m->err;
	if (m->state == MP_DONE)
		return 0; /* the epilogue: ignored */
	size_t room = m->lim.max_total_bytes - m->total;
	size_t take = len < room ? len : room;
	m->total += run(m, data, take);
	if (m->state == MP_FAILED)
		return m->err;
	if (m->state != MP_DONE && take < len)
		return fail(m, RECAM_ETOOBIG, "body_too_large");
	return 0;
}

int recam_multipart_finish(recam_multipart *m)
{
	if (m->state == MP_FAILED)
		return m->err;
	if (m->state != MP_DONE)
		return fail(m, RECAM_EINVAL, "truncated");
	return 0;
}

int recam_multipart_new(const char *content_type, const struct recam_multipart_limits *lim,
			const struct recam_multipart_cb *cb, void *ctx, recam_multipart **out)
{
	recam_multipart *m = calloc(1, sizeof(*m));
	*out = m;
	if (m == NULL)
		return RECAM_ENOMEM;
	struct recam_multipart_limits def;
	recam_multipart_limits_default(&def);
	m->lim = lim ? *lim : def;
	size_t *mine[] = {&m->lim.max_parts, &m->lim.max_files, &m->lim.max_field_bytes,
			  &m->lim.max_header_bytes, &m->lim.max_file_bytes, &m->lim.max_total_bytes};
	const size_t *dflt[] = {&def.max_parts, &def.max_files, &def.max_field_bytes,
				&def.max_header_bytes, &def.max_file_bytes, &def.max_total_bytes};
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++)
		if (*mine[i] == 0)
			*mine[i] = *dflt[i];
	if (cb)
		m->cb = *cb;
	m->ctx = ctx;
	m->reason = "ok";
	recam_buf_init(&m->hdr, m->lim.max_header_bytes);
	/* Decoded name, filename and type are never longer than the header
	 * block they come from, plus their three terminators. */
	recam_buf_init(&m->meta, m->lim.max_header_bytes > SIZE_MAX - 3 ? SIZE_MAX : m->lim.max_header_bytes + 3);
	recam_buf_init(&m->field, m->lim.max_field_bytes);
	int rc = parse_content_type(m, content_type);
	if (rc != 0)
		return rc;
	/* The first delimiter may open the body without a CRLF before it:
	 * start as if one had just been seen (it is preamble, dropped anyway). */
	m->matched = 2;
	m->state = MP_SCAN;
	return 0;
}

void recam_multipart_free(recam_multipart *m)
{
	if (m == NULL)
		return;
	recam_buf_free(&m->hdr);
	recam_buf_free(&m->meta);
	recam_buf_free(&m->field);
	free(m);
}

const char *recam_multipart_reason(const recam_multipart *m) { return m ? m->reason : "out_of_memory"; }

size_t recam_multipart_held(const recam_multipart *m)
{
	if (m == NULL)
		return 0;
	if (m->state == MP_HEADERS)
		return m->hdr.len;
	/* In the preamble nothing is kept: a partial match there is dropped. */
	if (m->in_part && (m->state == MP_SCAN || m->state == MP_TAIL))
		return m->matched + (m->state == MP_TAIL && m->tail_dash);
	return 0;
}
