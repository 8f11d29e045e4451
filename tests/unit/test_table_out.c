/* test_table_out.c — streamed table files: CSV quoting (commas, quotes,
 * line breaks), the formula-injection prefix, the UTF-8 byte order mark,
 * Shift_JIS bytes of known Japanese strings (CP932 extensions such as ～
 * and ①), unmappable characters as 〓, invalid UTF-8, rows across the
 * output buffer, and .xlsx files read back through their zip directory
 * (CRC-checked, inflated with zlib) with the sheet rollover at Excel's
 * row limit. Nothing stays in the directory afterwards. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/error.h"
#include "http/table_out.h"
#include "unit_helpers.h"

static char dir[64];

static void setup(void) { ut_mkdtemp(dir); }

static void teardown(void)
{
	/* Unlinked files only: the directory is empty whatever happened. */
	cr_expect_eq(ut_count_entries(dir), 0, "files left in %s", dir);
	ut_rmtree(dir);
}

TestSuite(table_out, .init = setup, .fini = teardown);

/* Reads the file handed over by recam_table_close whole. */
static unsigned char *take(recam_table_out *t, size_t *len)
{
	int fd;
	uint64_t size;
	cr_assert_eq(recam_table_close(t, &fd, &size), 0);
	unsigned char *p = malloc(size + 1);
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, p + got, size - got);
		cr_assert_gt(r, 0);
		got += (size_t)r;
	}
	p[size] = '\0';
	close(fd);
	*len = (size_t)size;
	return p;
}

static unsigned char *table(enum recam_table_format f, const char *const *cols, size_t ncols,
			    const char *const *cells, size_t nrows, size_t *len)
{
	recam_table_out *t;
	cr_assert_eq(recam_table_open(f, dir, cols, ncols, &t), 0);
	for (size_t r = 0; r < nrows; r++)
		cr_assert_eq(recam_table_row(t, cells + r * ncols), 0);
	cr_assert_eq(recam_table_rows(t), nrows);
	return take(t, len);
}

Test(table_out, format_names)
{
	enum recam_table_format f;
	cr_assert(recam_table_format_parse(NULL, &f) && f == RECAM_TABLE_CSV);
	cr_assert(recam_table_format_parse("csv", &f) && f == RECAM_TABLE_CSV);
	cr_assert(recam_table_format_parse("csv-sjis", &f) && f == RECAM_TABLE_CSV_SJIS);
	cr_assert(recam_table_format_parse("xlsx", &f) && f == RECAM_TABLE_XLSX);
	cr_assert_not(recam_table_format_parse("", &f));
	cr_assert_not(recam_table_format_parse("CSV", &f));
	cr_assert_not(recam_table_format_parse("xls", &f));
	cr_assert_not(recam_table_format_parse("csv;sjis", &f));
	cr_assert_str_eq(recam_table_extension(RECAM_TABLE_CSV_SJIS), "csv");
	cr_assert_str_eq(recam_table_extension(RECAM_TABLE_XLSX), "xlsx");
	cr_assert_not_null(strstr(recam_table_content_type(RECAM_TABLE_CSV_SJIS), "Shift_JIS"));
}

Test(table_out, csv_utf8_quoting_and_bom)
{
	const char *cols[] = {"ID", "名前", "メモ"};
	const char *cells[] = {
	    "e1", "山田 太郎", "ふつう",	     /* plain */
	    "e2", "a,b", "say \"hi\"",	     /* comma, quotes */
	    "e3", "1行目\n2行目", "x\r\ny", /* line breaks stay inside quotes */
	    "e4", NULL, "",		     /* empty */
	};
	size_t len;
	unsigned char *p = table(RECAM_TABLE_CSV, cols, 3, cells, 4, &len);
	const char *want = "\xef\xbb\xbf"
			   "ID,名前,メモ\r\n"
			   "e1,山田 太郎,ふつう\r\n"
			   "e2,\"a,b\",\"say \"\"hi\"\"\"\r\n"
			   "e3,\"1行目\n2行目\",\"x\r\ny\"\r\n"
			   "e4,,\r\n";
	cr_assert_eq(len, strlen(want));
	cr_assert_eq(memcmp(p, want, len), 0, "got:\n%s", p);
	free(p);
}

Test(table_out, csv_formula_injection_prefixed)
{
	const char *cols[] = {"v"};
	const char *cells[] = {"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "=1,2", "a=b", "1-2", "＝全角"};
	size_t len;
	unsigned char *p = table(RECAM_TABLE_CSV, cols, 1, cells, 9, &len);
	const char *want = "\xef\xbb\xbf"
			   "v\r\n"
			   "\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"
			   "'+1\r\n"
			   "'-2\r\n"
			   "'@SUM(A1)\r\n"
			   "'\tx\r\n"
			   "\"'=1,2\"\r\n"
			   "a=b\r\n"
			   "1-2\r\n"
			   "＝全角\r\n";
	cr_assert_eq(len, strlen(want), "got:\n%s", p);
	cr_assert_eq(memcmp(p, want, len), 0, "got:\n%s", p);
	free(p);
}

Test(table_out, csv_invalid_utf8_replaced)
{
	const char *cols[] = {"v"};
	/* A lone continuation byte, an overlong '/', a surrogate, a cut sequence. */
	const char *cells[] = {"a\x80z", "\xc0\xaf", "\xed\xa0\x80", "\xe3\x81"};
	size_t len;
	unsigned char *p = table(RECAM_TABLE_CSV, cols, 1, cells, 4, &len);
	const char *want = "\xef\xbb\xbf"
			   "v\r\n"
			   "a\xef\xbf\xbdz\r\n"
			   "\xef\xbf\xbd\xef\xbf\xbd\r\n"
			   "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\r\n"
			   "\xef\xbf\xbd\xef\xbf\xbd\r\n";
	cr_assert_eq(len, strlen(want));
	cr_assert_eq(memcmp(p, want, len), 0);
	free(p);
}

Test(table_out, sjis_known_bytes)
{
	const char *cols[] = {"氏名", "記号"};
	const char *cells[] = {
	    "山田 太郎", "～①㈱",   /* CP932: FULLWIDTH TILDE, circled digit, NEC row 13 */
	    "ﾎﾟﾃﾄ", "〜−",	    /* half-width kana; WAVE DASH and MINUS map as Excel expects */
	    "髙橋", "😀𠮷x",	    /* IBM extension; emoji and a JIS X 0213 kanji are not in CP932 */
	    "=1", "\"q\"",	    /* quoting and the prefix survive the conversion */
	};
	size_t len;
	unsigned char *p = table(RECAM_TABLE_CSV_SJIS, cols, 2, cells, 4, &len);
	static const unsigned char want[] = {
	    0x8e, 0x81, 0x96, 0xbc, ',', 0x8b, 0x4c, 0x8d, 0x86, '\r', '\n',		      /* 氏名,記号 */
	    0x8e, 0x52, 0x93, 0x63, ' ', 0x91, 0xbe, 0x98, 0x59, ',', 0x81, 0x60, 0x87, 0x40, /* 山田 太郎,～① */
	    0x87, 0x8a, '\r', '\n',							      /* ㈱ */
	    0xce, 0xdf, 0xc3, 0xc4, ',', 0x81, 0x60, 0x81, 0x7c, '\r', '\n',		      /* ﾎﾟﾃﾄ,〜− */
	    0xfb, 0xfc, 0x8b, 0xb4, ',', 0x81, 0xac, 0x81, 0xac, 'x', '\r', '\n',	      /* 髙橋,〓〓x */
	    '\'', '=', '1', ',', '"', '"', '"', 'q', '"', '"', '"', '\r', '\n',
	};
	cr_assert_eq(len, sizeof(want), "length %zu", len);
	for (size_t i = 0; i < len; i++)
		cr_assert_eq(p[i], want[i], "byte %zu: %02x, want %02x", i, p[i], want[i]);
	free(p);
}

Test(table_out, sjis_invalid_utf8_is_geta)
{
	const char *cols[] = {"v"};
	const char *cells[] = {"a\xff" "b"};
	size_t len;
	unsigned char *p = table(RECAM_TABLE_CSV_SJIS, cols, 1, cells, 1, &len);
	static const unsigned char want[] = {'v', '\r', '\n', 'a', 0x81, 0xac, 'b', '\r', '\n'};
	cr_assert_eq(len, sizeof(want));
	cr_assert_eq(memcmp(p, want, len), 0);
	free(p);
}

/* Rows far larger than the 64 KiB output buffer, with characters cut at
 * every possible place by the buffer's end, convert exactly. */
Test(table_out, sjis_long_rows_cross_the_buffer)
{
	const char *cols[] = {"a", "b"};
	size_t n = 70001;
	char *big = malloc(n * 3 + 1);
	/* あ, then ☃ (U+2603, not in CP932), then 漢: three bytes each. */
	for (size_t i = 0; i < n; i++)
		memcpy(big + i * 3, (i % 3 == 0) ? "あ" : (i % 3 == 1) ? "\xe2\x98\x83" : "漢", 3);
	big[n * 3] = '\0';
	const char *cells[] = {big, "z", "y", big};
	size_t len;
	unsigned char *p = table(RECAM_TABLE_CSV_SJIS, cols, 2, cells, 2, &len);
	cr_assert_eq(len, 5 + 2 * (n * 2 + 4), "length %zu", len);
	cr_assert_eq(memcmp(p, "a,b\r\n", 5), 0);
	const unsigned char *q = p + 5;
	for (int row = 0; row < 2; row++) {
		if (row == 1) {
			cr_assert_eq(memcmp(q, "y,", 2), 0);
			q += 2;
		}
		for (size_t i = 0; i < n; i++, q += 2) {
			const unsigned char *w = (i % 3 == 0) ? (const unsigned char *)"\x82\xa0"
						 : (i % 3 == 1) ? (const unsigned char *)"\x81\xac"
								: (const unsigned char *)"\x8a\xbf";
			cr_assert(q[0] == w[0] && q[1] == w[1], "row %d char %zu", row, i);
		}
		if (row == 0) {
			cr_assert_eq(memcmp(q, ",z\r\n", 4), 0);
			q += 4;
		} else {
			cr_assert_eq(memcmp(q, "\r\n", 2), 0);
		}
	}
	free(p);
	free(big);
}

Test(table_out, open_refuses_nonsense)
{
	recam_table_out *t = (recam_table_out *)1;
	const char *cols[] = {"a"};
	cr_assert_eq(recam_table_open(RECAM_TABLE_CSV, dir, cols, 0, &t), RECAM_EINVAL);
	cr_assert_null(t);
	cr_assert_neq(recam_table_open(RECAM_TABLE_CSV, "/nonexistent/recam-dir", cols, 1, &t), 0);
	cr_assert_neq(recam_table_open(RECAM_TABLE_XLSX, "/nonexistent/recam-dir", cols, 1, &t), 0);
}

Test(table_out, abort_leaves_nothing)
{
	const char *cols[] = {"a", "b"};
	const char *cells[] = {"1", "2"};
	for (int f = RECAM_TABLE_CSV; f <= RECAM_TABLE_XLSX; f++) {
		recam_table_out *t;
		cr_assert_eq(recam_table_open((enum recam_table_format)f, dir, cols, 2, &t), 0);
		cr_assert_eq(recam_table_row(t, cells), 0);
		recam_table_abort(t);
		cr_assert_eq(ut_count_entries(dir), 0, "format %d left a file", f);
	}
}

/* ---- a small zip reader, enough to check an .xlsx ------------------------- */

static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* The member's inflated bytes (CRC checked), or NULL when absent. */
static char *zip_member(const unsigned char *z, size_t n, const char *name, size_t *outlen)
{
	cr_assert_gt(n, 22);
	size_t eocd = n - 22;
	while (eocd > 0 && le32(z + eocd) != 0x06054b50)
		eocd--;
	cr_assert_eq(le32(z + eocd), 0x06054b50, "no end of central directory");
	size_t count = le16(z + eocd + 10), off = le32(z + eocd + 16);
	for (size_t i = 0; i < count; i++) {
		cr_assert(off + 46 <= n && le32(z + off) == 0x02014b50, "bad central directory entry");
		uint16_t method = le16(z + off + 10);
		uint32_t crc = le32(z + off + 16), csize = le32(z + off + 20), usize = le32(z + off + 24);
		size_t nlen = le16(z + off + 28), xlen = le16(z + off + 30), clen = le16(z + off + 32);
		size_t local = le32(z + off + 42);
		if (nlen == strlen(name) && memcmp(z + off + 46, name, nlen) == 0) {
			cr_assert_eq(le32(z + local), 0x04034b50, "bad local header");
			size_t data = local + 30 + le16(z + local + 26) + le16(z + local + 28);
			cr_assert_leq(data + csize, n);
			char *out = malloc(usize + 1);
			if (method == 0) {
				memcpy(out, z + data, usize);
			} else {
				cr_assert_eq(method, 8);
				z_stream s = {0};
				cr_assert_eq(inflateInit2(&s, -15), Z_OK);
				s.next_in = (unsigned char *)(z + data);
				s.avail_in = csize;
				s.next_out = (unsigned char *)out;
				s.avail_out = usize;
				cr_assert_eq(inflate(&s, Z_FINISH), Z_STREAM_END, "%s does not inflate", name);
				cr_assert_eq(s.total_out, usize);
				inflateEnd(&s);
			}
			cr_assert_eq(crc32(0, (unsigned char *)out, usize), crc, "%s: CRC mismatch", name);
			out[usize] = '\0';
			*outlen = usize;
			return out;
		}
		off += 46 + nlen + xlen + clen;
	}
	return NULL;
}

Test(table_out, xlsx_is_a_valid_workbook)
{
	const char *cols[] = {"ID", "名前", "メモ"};
	const char *cells[] = {
	    "e1", "山田 太郎", "=1+1",		/* a string, never a formula */
	    "e2", "<b>&amp;</b>", "1行目\n2行目", /* escaped XML, line break kept */
	    "e3", NULL, "a\x80z",		/* empty cell skipped; invalid UTF-8 replaced */
	    "e4", "c\x01" "d", "",		/* a control character XML cannot hold, escaped */
	};
	size_t len;
	unsigned char *p = table(RECAM_TABLE_XLSX, cols, 3, cells, 4, &len);
	cr_assert_eq(memcmp(p, "PK\x03\x04", 4), 0, "not a zip");
	size_t n;
	char *ct = zip_member(p, len, "[Content_Types].xml", &n);
	cr_assert_not_null(ct);
	cr_assert_not_null(strstr(ct, "spreadsheetml.worksheet+xml"));
	free(ct);
	char *wb = zip_member(p, len, "xl/workbook.xml", &n);
	cr_assert_not_null(wb);
	free(wb);
	char *sheet = zip_member(p, len, "xl/worksheets/sheet1.xml", &n);
	cr_assert_not_null(sheet, "no sheet1");
	cr_assert_not_null(strstr(sheet, "<t>山田 太郎</t>"), "%s", sheet);
	cr_assert_not_null(strstr(sheet, "<t>=1+1</t>"));
	cr_assert_null(strstr(sheet, "<f>"), "a formula was written");
	cr_assert_not_null(strstr(sheet, "&lt;b&gt;&amp;amp;&lt;/b&gt;"));
	cr_assert_not_null(strstr(sheet, "1行目\n2行目"));
	cr_assert_not_null(strstr(sheet, "a\xef\xbf\xbdz"));
	cr_assert_not_null(strstr(sheet, "<pane ySplit=\"1\""), "header row not frozen");
	cr_assert_not_null(strstr(sheet, "<t>c_x0001_d</t>"), "%s", sheet);
	cr_assert_not_null(strstr(sheet, "r=\"5\""), "four data rows after the header");
	cr_assert_null(strstr(sheet, "r=\"6\""));
	cr_assert_null(zip_member(p, len, "xl/worksheets/sheet2.xml", &n));
	free(sheet);
	free(p);
}

Test(table_out, xlsx_long_cell_cut_to_excel_limit)
{
	const char *cols[] = {"v"};
	size_t n = 40000;
	char *big = malloc(n * 3 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(big + i * 3, "字", 3);
	big[n * 3] = '\0';
	const char *cells[] = {big};
	size_t len, slen;
	unsigned char *p = table(RECAM_TABLE_XLSX, cols, 1, cells, 1, &len);
	char *sheet = zip_member(p, len, "xl/worksheets/sheet1.xml", &slen);
	cr_assert_not_null(sheet);
	char *t = strstr(sheet, "<t>字");
	cr_assert_not_null(t);
	char *end = strstr(t, "</t>");
	cr_assert_eq((size_t)(end - t - 3), (size_t)32767 * 3);
	free(sheet);
	free(p);
	free(big);
}

/* Excel's 1,048,576 rows: the next row starts Sheet2 with the header. */
Test(table_out, xlsx_rolls_over_to_a_new_sheet, .timeout = 120)
{
	const char *cols[] = {"n"};
	recam_table_out *t;
	cr_assert_eq(recam_table_open(RECAM_TABLE_XLSX, dir, cols, 1, &t), 0);
	const char *one[] = {"x"};
	for (size_t i = 0; i < 1048575 + 2; i++)
		cr_assert_eq(recam_table_row(t, one), 0);
	size_t len, n;
	unsigned char *p = take(t, &len);
	char *s2 = zip_member(p, len, "xl/worksheets/sheet2.xml", &n);
	cr_assert_not_null(s2, "no second sheet");
	cr_assert_not_null(strstr(s2, "<row r=\"1\""));
	cr_assert_not_null(strstr(s2, "<t>n</t>"), "header not repeated");
	cr_assert_not_null(strstr(s2, "<row r=\"3\""));
	cr_assert_null(strstr(s2, "<row r=\"4\""));
	free(s2);
	free(p);
}
