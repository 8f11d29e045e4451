/* test_shipping_csv.c — the uploaded tracking-number file: header names in
 * Japanese and English (trimmed, case and full-width ＩＤ folded), BOM,
 * Shift_JIS, quoting with commas, doubled quotes and line breaks (line
 * numbers still right), CR-only and LF-only line ends, the export's formula
 * guard removed, blank lines skipped, short records; and every way a file
 * is malformed, with its line, yielding no record. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/shipping_csv.h"
#include "core/error.h"

static recam_shipcsv parse_ok(const char *text)
{
	recam_shipcsv c;
	int rc = recam_shipcsv_parse(text, strlen(text), &c);
	cr_assert_eq(rc, 0, "rc %d: %s at line %zu", rc, c.err_code ? c.err_code : "", c.err_line);
	return c;
}

static void parse_bad(const char *text, size_t len, const char *code, size_t line)
{
	recam_shipcsv c;
	cr_assert_eq(recam_shipcsv_parse(text, len, &c), RECAM_EINVAL, "expected %s", code);
	cr_assert_str_eq(c.err_code, code);
	cr_assert_eq(c.err_line, line, "%s: line %zu, want %zu", code, c.err_line, line);
	cr_assert_eq(c.n, 0);
	cr_assert_null(c.recs);
	recam_shipcsv_free(&c);
}

Test(shipping_csv, japanese_header_and_records)
{
	recam_shipcsv c = parse_ok("\xef\xbb\xbf当選ID,応募ID,氏名,配送業者,追跡番号,発送日\r\n"
				   "w1,e1,山田 花子,ヤマト運輸,1234-5678-9012,2026-01-05\r\n"
				   ",e2,,日本郵便,EJ123456789JP,\r\n");
	cr_assert_str_eq(c.encoding, "utf-8");
	cr_assert_eq(c.n, 2);
	cr_assert_str_eq(c.recs[0].win_id, "w1");
	cr_assert_str_eq(c.recs[0].entry_id, "e1");
	cr_assert_str_eq(c.recs[0].carrier, "ヤマト運輸");
	cr_assert_str_eq(c.recs[0].tracking, "1234-5678-9012");
	cr_assert_str_eq(c.recs[0].shipped_on, "2026-01-05");
	cr_assert_eq(c.recs[0].line, 2);
	cr_assert_str_eq(c.recs[1].win_id, "");
	cr_assert_str_eq(c.recs[1].entry_id, "e2");
	cr_assert_eq(c.recs[1].line, 3);
	recam_shipcsv_free(&c);
}

Test(shipping_csv, english_header_variants)
{
	recam_shipcsv c = parse_ok(" Win ID ,CARRIER,Tracking Number,extra\nw1,Sagawa,999\n");
	cr_assert_eq(c.n, 1);
	cr_assert_str_eq(c.recs[0].win_id, "w1");
	cr_assert_str_eq(c.recs[0].carrier, "Sagawa");
	cr_assert_str_eq(c.recs[0].tracking, "999");
	recam_shipcsv_free(&c);
	/* 当選ＩＤ as some editors write it; お問い合わせ番号 for the number. */
	c = parse_ok("当選ＩＤ,運送会社,お問い合わせ番号\rw2,佐川急便,1\r");
	cr_assert_eq(c.n, 1);
	cr_assert_str_eq(c.recs[0].win_id, "w2");
	cr_assert_str_eq(c.recs[0].tracking, "1");
	recam_shipcsv_free(&c);
}

Test(shipping_csv, quoting_and_line_numbers)
{
	recam_shipcsv c = parse_ok("win_id,carrier,tracking_number,note\r\n"
				   "\"w1\",\"Yamato, Inc.\",\"12\"\"34\",\"two\r\nlines\"\r\n"
				   "w2,x,5678,\"three\nlines\nhere\"\r\n"
				   "w3,x,9\r\n");
	cr_assert_eq(c.n, 3);
	cr_assert_str_eq(c.recs[0].carrier, "Yamato, Inc.");
	cr_assert_str_eq(c.recs[0].tracking, "12\"34");
	cr_assert_eq(c.recs[0].line, 2);
	cr_assert_eq(c.recs[1].line, 4);
	cr_assert_eq(c.recs[2].line, 7);
	recam_shipcsv_free(&c);
}

Test(shipping_csv, cells_trimmed_and_formula_guard_removed)
{
	recam_shipcsv c = parse_ok("当選ID,配送業者,追跡番号\n"
				   "\xe3\x80\x80w1\t , ヤマト運輸\xe3\x80\x80,'-123\n"
				   "'=w2,'@x,''=y\n");
	cr_assert_str_eq(c.recs[0].win_id, "w1");
	cr_assert_str_eq(c.recs[0].carrier, "ヤマト運輸");
	cr_assert_str_eq(c.recs[0].tracking, "-123");
	cr_assert_str_eq(c.recs[1].win_id, "=w2");
	cr_assert_str_eq(c.recs[1].carrier, "@x");
	cr_assert_str_eq(c.recs[1].tracking, "''=y"); /* only the guard's one quote goes */
	recam_shipcsv_free(&c);
}

Test(shipping_csv, blank_lines_and_short_records)
{
	recam_shipcsv c = parse_ok("\r\n\r\n当選ID,配送業者,追跡番号,発送日\r\n,,,\r\n\r\nw1\r\nw2,x\r\n  , \r\n");
	cr_assert_eq(c.n, 2);
	cr_assert_str_eq(c.recs[0].win_id, "w1");
	cr_assert_str_eq(c.recs[0].tracking, "");
	cr_assert_str_eq(c.recs[0].shipped_on, "");
	cr_assert_eq(c.recs[0].line, 6);
	cr_assert_str_eq(c.recs[1].carrier, "x");
	recam_shipcsv_free(&c);
}

Test(shipping_csv, shift_jis)
{
	/* 当選ID,配送業者,追跡番号 CRLF w1,ヤマト運輸,123 CRLF ｱ (half-width kana) in CP932 */
	static const unsigned char sj[] = {0x93, 0x96, 0x91, 0x49, 'I',	 'D',  ',',  0x94, 0x7a, 0x91, 0x97, 0x8b,
					   0xc6, 0x8e, 0xd2, ',',  0x92, 0xc7, 0x90, 0xd5, 0x94, 0xd4, 0x8d, 0x86,
					   '\r', '\n', 'w',  '1',  ',',	 0xd4, 0xcf, 0xc4, '1',	 '2',  '3',  ',',
					   '1',	 '2',  '3',  '\r', '\n'};
	recam_shipcsv c;
	cr_assert_eq(recam_shipcsv_parse((const char *)sj, sizeof(sj), &c), 0, "%s", c.err_code ? c.err_code : "");
	cr_assert_str_eq(c.encoding, "shift_jis");
	cr_assert_eq(c.n, 1);
	cr_assert_str_eq(c.recs[0].carrier, "ﾔﾏﾄ123");
	cr_assert_str_eq(c.recs[0].tracking, "123");
	recam_shipcsv_free(&c);
}

Test(shipping_csv, malformed_files)
{
	parse_bad("", 0, "empty", 1);
	parse_bad("\r\n\r\n", 4, "empty", 1);
	parse_bad("a,b\r\nc,d\r\n", 10, "header", 1);
	parse_bad("追跡番号\r\n1\r\n", strlen("追跡番号\r\n1\r\n"), "header", 1);
	parse_bad("当選ID\r\nw1\r\n", strlen("当選ID\r\nw1\r\n"), "header", 1);
	const char *q1 = "当選ID,追跡番号\r\nw1,1\r\nw2,\"2\r\n";
	parse_bad(q1, strlen(q1), "quote", 3);
	const char *q2 = "当選ID,追跡番号\r\nw1,1\"2\r\n";
	parse_bad(q2, strlen(q2), "quote", 2);
	const char *q3 = "当選ID,追跡番号\r\nw1,\"1\"2\r\n";
	parse_bad(q3, strlen(q3), "quote", 2);
	const char *cols = "当選ID,追跡番号\r\nw1,1,extra\r\n";
	parse_bad(cols, strlen(cols), "columns", 2);
	const char nul[] = "当選ID,追跡番号\r\nw1,1\r\nw2,\0\r\n";
	parse_bad(nul, sizeof(nul) - 1, "nul", 3);
	const char bom_bad[] = "\xef\xbb\xbf当選ID,追跡番号\r\nw1,\xff\r\n";
	parse_bad(bom_bad, sizeof(bom_bad) - 1, "encoding", 2);
	const char neither[] = "\x93\x96\x91\x49ID,x\r\nw1,\x81\xff\r\n";
	parse_bad(neither, sizeof(neither) - 1, "encoding", 2);
}

Test(shipping_csv, limits)
{
	/* One field over the cap. */
	size_t n = RECAM_SHIPCSV_MAX_FIELD + 64;
	char *big = malloc(n + 64);
	size_t off = (size_t)snprintf(big, n + 64, "当選ID,追跡番号\nw1,");
	memset(big + off, '9', RECAM_SHIPCSV_MAX_FIELD + 1);
	big[off + RECAM_SHIPCSV_MAX_FIELD + 1] = '\0';
	parse_bad(big, strlen(big), "field_too_long", 2);
	free(big);
	/* Too many fields in the header itself. */
	char wide[RECAM_SHIPCSV_MAX_FIELDS * 2 + 32];
	size_t w = (size_t)snprintf(wide, sizeof(wide), "当選ID");
	for (int i = 0; i < RECAM_SHIPCSV_MAX_FIELDS; i++)
		w += (size_t)snprintf(wide + w, sizeof(wide) - w, ",x");
	parse_bad(wide, strlen(wide), "columns", 1);
	/* Too many records. */
	size_t cap = 64 + (size_t)(RECAM_SHIPCSV_MAX_RECORDS + 1) * 6;
	char *many = malloc(cap);
	size_t len = (size_t)snprintf(many, cap, "当選ID,追跡番号\n");
	for (int i = 0; i <= RECAM_SHIPCSV_MAX_RECORDS; i++) {
		memcpy(many + len, "w,123\n", 6);
		len += 6;
	}
	parse_bad(many, len, "too_many_records", (size_t)RECAM_SHIPCSV_MAX_RECORDS + 2);
	free(many);
	/* Over the byte cap: refused before reading. */
	recam_shipcsv c;
	cr_assert_eq(recam_shipcsv_parse("x", (size_t)RECAM_SHIPCSV_MAX_BYTES + 1, &c), RECAM_ETOOBIG);
	recam_shipcsv_free(&c);
}
