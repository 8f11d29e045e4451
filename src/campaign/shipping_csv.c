/* shipping_csv.c — the uploaded tracking-number file: encoding, CSV
 * records, header columns. See shipping_csv.h. */
#include "shipping_csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"

enum col { COL_WIN, COL_ENTRY, COL_CARRIER, COL_TRACKING, COL_SHIPPED, COL_N };

/* Header names after normalization (trimmed, ASCII lower-case, ' ' → '_'). */
static const char *const col_names[COL_N][6] = {
	[COL_WIN] = {"当選id", "win_id", NULL},
	[COL_ENTRY] = {"応募id", "entry_id", NULL},
	[COL_CARRIER] = {"配送業者", "運送会社", "carrier", NULL},
	[COL_TRACKING] = {"追跡番号", "伝票番号", "お問い合わせ番号", "お問合せ番号", "tracking_number", NULL},
	[COL_SHIPPED] = {"発送日", "shipped_on", NULL},
};

static size_t line_of(const char *data, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off; i++)
		line += data[i] == '\n';
	return line;
}

static int malformed(recam_shipcsv *c, size_t line, const char *code)
{
	c->err_line = line;
	c->err_code = code;
	return RECAM_EINVAL;
}

/* Offset of the first byte that does not start a valid UTF-8 sequence. */
static size_t first_bad_utf8(const char *data, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)data[i];
		size_t n = c < 0x80 ? 1 : (c >= 0xc2 && c <= 0xdf) ? 2 : (c >= 0xe0 && c <= 0xef) ? 3
			 : (c >= 0xf0 && c <= 0xf4) ? 4 : 0;
		if (n == 0 || i + n > len || recam_utf8_check(data + i, n, RECAM_UTF8_CONTROLS) < 0)
			return i;
		i += n;
	}
	return len;
}

/* UTF-8 as sent, or CP932 converted; the text is NUL-terminated. */
static int decode(const char *data, size_t len, recam_shipcsv *c, size_t *tlen)
{
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
		c->encoding = "utf-8";
		if (recam_utf8_check(data, len, RECAM_UTF8_CONTROLS) < 0)
			return malformed(c, line_of(data, first_bad_utf8(data, len)), "encoding");
	}
	if (c->encoding != NULL || recam_utf8_check(data, len, RECAM_UTF8_CONTROLS) >= 0) {
		c->encoding = "utf-8";
		if ((c->text = malloc(len + 1)) == NULL)
			return RECAM_ENOMEM;
		memcpy(c->text, data, len);
		c->text[len] = '\0';
		*tlen = len;
		return 0;
	}
	/* One CP932 byte can become three UTF-8 bytes (half-width kana). */
	c->encoding = "shift_jis";
	size_t cap = len * 3 + 1;
	if ((c->text = malloc(cap)) == NULL)
		return RECAM_ENOMEM;
	iconv_t cd = iconv_open("UTF-8", "CP932");
	if (cd == (iconv_t)-1)
		return RECAM_EINTERNAL;
	char *in = (char *)data, *o = c->text;
	size_t inleft = len, oleft = cap - 1;
	size_t r = iconv(cd, &in, &inleft, &o, &oleft);
	iconv_close(cd);
	if (r == (size_t)-1)
		return malformed(c, line_of(data, (size_t)(in - data)), "encoding");
	*o = '\0';
	*tlen = (size_t)(o - c->text);
	return 0;
}

static bool is_space_at(const char *p, size_t *n)
{
	if (*p == ' ' || *p == '\t') {
		*n = 1;
		return true;
	}
	/* U+3000 IDEOGRAPHIC SPACE; byte by byte, never past the NUL. */
	if ((unsigned char)p[0] == 0xe3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80) {
		*n = 3;
		return true;
	}
	return false;
}

/* Trims in place; removes the export's formula-guard quote. */
static char *clean_cell(char *s)
{
	size_t n;
	while (*s && is_space_at(s, &n))
		s += n;
	size_t len = strlen(s);
	for (;;) {
		if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len -= 1;
		else if (len >= 3 && memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0)
			len -= 3;
		else
			break;
	}
	s[len] = '\0';
	if (s[0] == '\'' && (s[1] == '=' || s[1] == '+' || s[1] == '-' || s[1] == '@'))
		s++;
	return s;
}

static int header_column(const char *cell)
{
	char norm[64];
	size_t n = strlen(cell);
	if (n >= sizeof(norm))
		return -1;
	for (size_t i = 0; i <= n; i++) {
		char ch = cell[i];
		norm[i] = ch == ' ' ? '_' : (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	/* 当選ID and 応募ID arrive as 当選ＩＤ from some editors: fold the
	 * full-width "ＩＤ" too. */
	char *fw = strstr(norm, "\xef\xbc\xa9\xef\xbc\xa4");
	if (fw && fw[6] == '\0')
		memcpy(fw, "id", 3);
	for (int c = 0; c < COL_N; c++)
		for (int k = 0; col_names[c][k]; k++)
			if (strcmp(norm, col_names[c][k]) == 0)
				return c;
	return -1;
}

struct parser {
	char *r, *end;
	size_t line;
};

/* Reads one record's fields in place (unquoting shrinks, so the write
 * position never passes the read position). */
static int read_record(struct parser *ps, recam_shipcsv *c, char **fields, size_t *nf)
{
	size_t start_line = ps->line;
	*nf = 0;
	for (;;) {
		char *w = ps->r, *field = ps->r;
		if (ps->r < ps->end && *ps->r == '"') {
			ps->r++;
			for (;;) {
				if (ps->r >= ps->end)
					return malformed(c, start_line, "quote");
				if (*ps->r == '"') {
					if (ps->r + 1 < ps->end && ps->r[1] == '"') {
						*w++ = '"';
						ps->r += 2;
						continue;
					}
					ps->r++;
					break;
				}
				if (*ps->r == '\n')
					ps->line++;
				*w++ = *ps->r++;
			}
			if (ps->r < ps->end && *ps->r != ',' && *ps->r != '\n' && *ps->r != '\r')
				return malformed(c, ps->line, "quote");
		} else {
			while (ps->r < ps->end && *ps->r != ',' && *ps->r != '\n' && *ps->r != '\r') {
				if (*ps->r == '"')
					return malformed(c, ps->line, "quote");
				*w++ = *ps->r++;
			}
		}
		if ((size_t)(w - field) > RECAM_SHIPCSV_MAX_FIELD)
			return malformed(c, ps->line, "field_too_long");
		if (*nf == RECAM_SHIPCSV_MAX_FIELDS)
			return malformed(c, start_line, "columns");
		char term = ps->r < ps->end ? *ps->r : '\0';
		*w = '\0'; /* w <= r: the terminator was read first */
		fields[(*nf)++] = field;
		if (term == ',') {
			ps->r++;
			continue;
		}
		/* The terminator's byte may now be the NUL just written: decide
		 * from term, and look only past it for the LF of a CRLF. */
		if (term == '\n') {
			ps->r++;
		} else if (term == '\r') {
			ps->r++;
			if (ps->r < ps->end && *ps->r == '\n')
				ps->r++;
		}
		if (term != '\0')
			ps->line++;
		return 0;
	}
}

static bool blank_record(char **fields, size_t nf)
{
	for (size_t i = 0; i < nf; i++)
		if (clean_cell(fields[i])[0] != '\0')
			return false;
	return true;
}

static int parse(const char *data, size_t len, recam_shipcsv *out);

int recam_shipcsv_parse(const char *data, size_t len, recam_shipcsv *out)
{
	memset(out, 0, sizeof(*out));
	int rc = parse(data, len, out);
	if (rc != 0) {
		/* A malformed file yields no record at all. */
		free(out->recs);
		out->recs = NULL;
		out->n = 0;
	}
	return rc;
}

static int parse(const char *data, size_t len, recam_shipcsv *out)
{
	if (len > RECAM_SHIPCSV_MAX_BYTES)
		return RECAM_ETOOBIG;
	if (memchr(data, '\0', len))
		return malformed(out, line_of(data, (size_t)((const char *)memchr(data, '\0', len) - data)), "nul");
	size_t tlen = 0;
	int rc = decode(data, len, out, &tlen);
	if (rc != 0)
		return rc;
	out->text_len = tlen;
	struct parser ps = {out->text, out->text + tlen, 1};
	char *fields[RECAM_SHIPCSV_MAX_FIELDS];
	size_t nf = 0, cap = 0;
	int map[RECAM_SHIPCSV_MAX_FIELDS];
	size_t ncols = 0;
	bool have_header = false;
	while (ps.r < ps.end) {
		size_t line = ps.line;
		if ((rc = read_record(&ps, out, fields, &nf)) != 0)
			return rc;
		if (blank_record(fields, nf))
			continue;
		if (!have_header) {
			bool seen[COL_N] = {false};
			for (size_t i = 0; i < nf; i++) {
				int col = header_column(clean_cell(fields[i]));
				map[i] = col >= 0 && !seen[col] ? col : -1;
				if (col >= 0)
					seen[col] = true;
			}
			if (!seen[COL_TRACKING] || (!seen[COL_WIN] && !seen[COL_ENTRY]))
				return malformed(out, line, "header");
			ncols = nf;
			have_header = true;
			continue;
		}
		if (nf > ncols)
			return malformed(out, line, "columns");
		if (out->n == RECAM_SHIPCSV_MAX_RECORDS)
			return malformed(out, line, "too_many_records");
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			void *p = realloc(out->recs, cap * sizeof(*out->recs));
			if (p == NULL)
				return RECAM_ENOMEM;
			out->recs = p;
		}
		recam_shipcsv_rec *rec = &out->recs[out->n++];
		const char **slot[COL_N] = {&rec->win_id, &rec->entry_id, &rec->carrier, &rec->tracking,
					    &rec->shipped_on};
		rec->line = line;
		for (int k = 0; k < COL_N; k++)
			*slot[k] = "";
		for (size_t i = 0; i < nf; i++)
			if (map[i] >= 0)
				*slot[map[i]] = clean_cell(fields[i]);
	}
	if (!have_header)
		return malformed(out, 1, "empty");
	return 0;
}

void recam_shipcsv_free(recam_shipcsv *c)
{
	free(c->recs);
	free(c->text);
	memset(c, 0, sizeof(*c));
}
