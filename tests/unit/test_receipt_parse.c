/* Parser tests on hand-written OCR text: every date and amount form the
 * reader promises, and the misreads Tesseract is known to make. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "receipt/parse_int.h"
#include "receipt/receipt.h"

static json_t *parse(const char *text)
{
	json_t *o = NULL;
	cr_assert_eq(recam_receipt_parse_text(text, strlen(text), &o), 0);
	cr_assert_not_null(o);
	return o;
}

static json_t *val(json_t *o, const char *k) { return json_object_get(json_object_get(o, k), "value"); }
static double conf(json_t *o, const char *k) { return json_number_value(json_object_get(json_object_get(o, k), "confidence")); }
static const char *sval(json_t *o, const char *k) { return json_string_value(val(o, k)); }
static long long ival(json_t *o, const char *k) { return json_integer_value(val(o, k)); }

static const char *date_of(const char *line, char out[11])
{
	float q;
	return recam_parse_date(line, out, &q) ? out : "";
}

Test(receipt_parse, date_forms)
{
	char d[11];
	cr_assert_str_eq(date_of("2026年11月20日(金) 14:35", d), "2026-11-20");
	cr_assert_str_eq(date_of("2026/11/20 14:35", d), "2026-11-20");
	cr_assert_str_eq(date_of("2026-1-5", d), "2026-01-05");
	cr_assert_str_eq(date_of("2026.11.20", d), "2026-11-20");
	cr_assert_str_eq(date_of("2026 年 11 月 20 日", d), "2026-11-20");
	cr_assert_str_eq(date_of("2026 年 3 月 2 4 日 ( 火 ) 12:42", d), "2026-03-24"); /* digits split by OCR */
	cr_assert_str_eq(date_of("2026年3月2", d), "");	/* no 日: a digit may be lost */
	cr_assert_str_eq(date_of("令和8年11月20日", d), "2026-11-20");
	cr_assert_str_eq(date_of("令和元年5月1日", d), "2019-05-01");
	cr_assert_str_eq(date_of("R8.11.20", d), "2026-11-20");
	cr_assert_str_eq(date_of("R08/11/20", d), "2026-11-20");
	cr_assert_str_eq(date_of("H31.4.30", d), "2019-04-30");
	cr_assert_str_eq(date_of("平成31年4月30日", d), "2019-04-30");
	cr_assert_str_eq(date_of("26/11/20", d), "2026-11-20");
	cr_assert_str_eq(date_of("26-11-20 14:32", d), "2026-11-20");
	cr_assert_str_eq(date_of("25-03-21", d), "2025-03-21");
	/* hyphenated two-digit years only as a whole token */
	cr_assert_str_eq(date_of("03-12-34-56", d), "");
	cr_assert_str_eq(date_of("No.26-11-20", d), "");
	cr_assert_str_eq(date_of("11/27/2025 02:29 REG 7", d), "2025-11-27");
	cr_assert_str_eq(date_of("66/29/2025 21:12", d), "2025-06-29"); /* the month's 0 read as 6 */
	cr_assert_str_eq(date_of("16/04/2025", d), "");			  /* maybe a day first: not read */
	/* impossible dates and phone numbers are not dates */
	cr_assert_str_eq(date_of("2026年02月30日", d), "");
	cr_assert_str_eq(date_of("2026年13月01日", d), "");
	cr_assert_str_eq(date_of("TEL 03-1234-5678", d), "");
	/* 0 read as 9 (the commonest slip) in an impossible month or day, or 日
	 * read as E: repaired, but less sure */
	float q = 1;
	cr_assert(recam_parse_date("2025 年 93 月 28 日", d, &q));
	cr_assert_str_eq(d, "2025-03-28");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("27-19-02 15:26", d), "2027-10-02");
	cr_assert_str_eq(date_of("2025 年 8 月 10E (日 ) 12:58", d), "2025-08-10");
	cr_assert_str_eq(date_of("2025 年 88 月 28 日", d), "");
	/* the time run into the day, a space inside the year */
	cr_assert_str_eq(date_of("2026.06.1409:15:22", d), "2026-06-14");
	cr_assert_str_eq(date_of("2026.06.14091522", d), "");
	cr_assert_str_eq(date_of("202 6 年 1 1 月 2 6 日 ( 木 ) 08:15", d), "2026-11-26");
	cr_assert_str_eq(date_of("202 6/11/26", d), "");
	/* 0 read as 8 in an impossible day; 令 lost from 令和, 日 read as ロ */
	cr_assert(recam_parse_date("2027.04.81 11:29:52", d, &q));
	cr_assert_str_eq(d, "2027-04-01");
	cr_assert_lt(q, 1.0f);
	/* the 0 of day 30 read as 6 or 8; not where the month has no 30th */
	cr_assert(recam_parse_date("2027 年 01 月 36 日 20:15", d, &q));
	cr_assert_str_eq(d, "2027-01-30");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("2026/04/38 10:00", d), "2026-04-30");
	cr_assert_str_eq(date_of("2026/02/36 10:00", d), "");
	cr_assert_str_eq(date_of("2026/04/37 10:00", d), "");
	/* the 0 of month 10 read as 6 or 8 (dev13 0186); two different marks,
	 * one a dot (dev11 0139); a speck between the era and its year (dev13
	 * 0188): each repaired, less sure */
	cr_assert(recam_parse_date("025/16/15( が ) 19:33", d, &q));
	cr_assert_str_eq(d, "2025-10-15");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("2025/18/15 19:33", d), "2025-10-15");
	cr_assert_str_eq(date_of("2025/17/15 19:33", d), "");
	cr_assert(recam_parse_date("2026-06.20 1343", d, &q));
	cr_assert_str_eq(d, "2026-06-20");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("2026/06-20", d), ""); /* no dot: two marks */
	cr_assert(recam_parse_date("RT7.11.25 20:32", d, &q));
	cr_assert_str_eq(d, "2025-11-25");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("RX 7.11.25", d), "");
	/* the day split by a space beside a narrow 1, before the time (dev13
	 * 0015); its last glyph read twice (dev11 0010): repaired, less sure */
	cr_assert(recam_parse_date("26-04-1 1 13:37 ルツ #8", d, &q));
	cr_assert_str_eq(d, "2026-04-11");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("2026/04/1 1 13:37", d), "2026-04-11");
	cr_assert_str_eq(date_of("2026/04/3 5 13:37", d), "2026-04-03"); /* no day 35 */
	cr_assert_str_eq(date_of("2026/04/1 1 番", d), "2026-04-01"); /* no time after it */
	cr_assert(recam_parse_date("2026/11/099 09:49 |", d, &q));
	cr_assert_str_eq(d, "2026-11-09");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("2026/11/098 09:49", d), "");
	/* a glyph read into the day before the time (dev21 0169): taken when
	 * the three digits hold one day only (30 of 30, 30 and 00) */
	cr_assert(recam_parse_date("25-01-300 09:14", d, &q));
	cr_assert_str_eq(d, "2025-01-30");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("25-01-301 09:14", d), ""); /* 30, 31 or 1 */
	cr_assert_str_eq(date_of("25-02-300 09:14", d), ""); /* no 30 February */
	cr_assert_str_eq(date_of("25-01-300 レジ", d), "");  /* no time after it */
	/* 月 read as 日, only with a day and its 日 after it */
	cr_assert(recam_parse_date("2027 年 9 日 5 日 (日 ) 21:21", d, &q));
	cr_assert_str_eq(d, "2027-09-05");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("2027 年 9 日 5 時", d), "");
	/* the 2 of the year lost, with a weekday or a time after the date */
	cr_assert(recam_parse_date("。025/11/19( 水 ) 09:06", d, &q));
	cr_assert_str_eq(d, "2025-11-19");
	cr_assert_lt(q, 0.9f);
	cr_assert_str_eq(date_of("| 026.96.20 16:14:39", d), "2026-06-20");
	cr_assert_str_eq(date_of("品番 025/11/19", d), "");
	/* both digits of 09 read as 9 */
	cr_assert_str_eq(date_of("2926/11/99 09:40", d), "2026-11-09");
	cr_assert_str_eq(date_of("2026/99/14 09:40", d), "2026-09-14");
	json_t *o99 = parse("2027-03-19 02:99\n"); /* minutes 00 exist: 02:00 */
	cr_assert_str_eq(json_string_value(val(o99, "time")), "02:00");
	json_decref(o99);
	/* 和 of 令和 misread, with a year and 年 after it; a speck before 年 */
	cr_assert(recam_parse_date("令 知 7 年 11 月 10 日 05 時 31 分", d, &q));
	cr_assert_str_eq(d, "2025-11-10");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("令 知 7 月 10 日", d), "");
	cr_assert(recam_parse_date("2027 人 年 12 月 19 日 (日)15:55", d, &q));
	cr_assert_str_eq(d, "2027-12-19");
	cr_assert_lt(q, 1.0f);
	cr_assert(recam_parse_date("2027 人 12 月 19 日", d, &q)); /* 年 read as 人 */
	cr_assert_str_eq(d, "2027-12-19");
	cr_assert_lt(q, 0.9f);
	/* 年 itself read as another kanji: taken only with 月 and 日 read */
	cr_assert(recam_parse_date("2027 生 1 月 4 日 (月 ) 19:50", d, &q));
	cr_assert_str_eq(d, "2027-01-04");
	cr_assert_lt(q, 0.9f);
	cr_assert_str_eq(date_of("2027 生 1 月 4 ", d), "");
	cr_assert_str_eq(date_of("2027 個 1 点 4 日", d), "");
	/* every digit spaced; a two-digit year with a space before 年 */
	cr_assert(recam_parse_date("2 0 2 5 年 1 1 月 2 日 (日 ) 11:38 | :", d, &q));
	cr_assert_str_eq(d, "2025-11-02");
	cr_assert_lt(q, 0.9f);
	cr_assert_str_eq(date_of("2 0 2 5 年 1 1 点 2 日", d), "");
	cr_assert_str_eq(date_of("27 年 02 月 23 日 01:52 |y 9", d), "2027-02-23");
	cr_assert_str_eq(date_of("27 個 02 月 23 日", d), "");
	/* 月 or 日 read as another kanji, with the rest of the form read */
	cr_assert(recam_parse_date("| 2026 年 1 肌 2 7 日 («900", d, &q));
	cr_assert_str_eq(d, "2026-01-27");
	cr_assert_lt(q, 0.9f);
	cr_assert_str_eq(date_of("2026 年 1 肌 2 7 個", d), "");
	cr_assert_str_eq(date_of("| 信和 8 年 12 月 18 晶 18 時 48 分", d), "2026-12-18");
	/* 日 read as 日 before the time is no repair */
	cr_assert(recam_parse_date("2027 年 5 月 8 日 20 時 28 分", d, &q));
	cr_assert_float_eq(q, 1.0f, 1e-6);
	cr_assert_str_eq(date_of("2026 年 12 月 18 晶 個", d), "");
	/* the 0 of 20xx read as "09" (then a day 05 as 95) */
	cr_assert(recam_parse_date("20927/12/95( 日 ) 14:34", d, &q));
	cr_assert_str_eq(d, "2027-12-05");
	cr_assert_lt(q, 0.9f);
	cr_assert_str_eq(date_of("20925/99/21 12:26 a", d), "2025-09-21");
	cr_assert_str_eq(date_of("20945/12/05", d), "");
	/* colons for both dots, after a year no hour can be, before a time */
	cr_assert_str_eq(date_of("27:05:27 11:30", d), "2027-05-27");
	cr_assert_str_eq(date_of("17:05:27 11:30", d), "");
	/* a two-digit year with hyphens and the time run into the day */
	cr_assert_str_eq(date_of("| 25-12-0314:22 ST", d), "2025-12-03");
	cr_assert_str_eq(date_of("12-34-5678:90", d), "");
	/* a speck glued before the year */
	cr_assert(recam_parse_date("| 92027.06.13 20:22:33 |", d, &q));
	cr_assert_str_eq(d, "2027-06-13");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("12026/11/20", d), "2026-11-20");
	cr_assert_str_eq(date_of("20261.05.03", d), "");
	cr_assert_str_eq(date_of("920271.06.13", d), "");
	cr_assert(recam_parse_date("倒和 9 年 2 月 14 ロ 14 時", d, &q));
	cr_assert_str_eq(d, "2027-02-14");
	cr_assert_lt(q, 1.0f);
	cr_assert_str_eq(date_of("和菓子 3 個 2 月 14 日", d), "");
	cr_assert_str_eq(date_of("令和 7 年 2 月 17 日 18 時 19 分", d), "2025-02-17");
	/* the 2 of the year lost (年 form only); 0 read as 6 in an impossible month */
	cr_assert(recam_parse_date("027 年 04 月 03 日 20:10", d, &q));
	cr_assert_str_eq(d, "2027-04-03");
	cr_assert_lt(q, 0.9f);
	cr_assert_str_eq(date_of("025年05月26日 13:09", d), "2025-05-26");
	cr_assert_str_eq(date_of("No.027/04/03", d), "");
	cr_assert_str_eq(date_of("1027 年 04 月 03 日", d), "2027-04-03"); /* its 2 read as 1 (below) */
	/* 日 lost before the weekday or the time; a comma for the first dot */
	cr_assert_str_eq(date_of("2026 年 11 月 24( 火 ) 22:03", d), "2026-11-24");
	/* 日 read as a dash before the weekday, the day split; a space read
	 * inside the year (the 年 form only) */
	cr_assert_str_eq(date_of("2027 年 6 月 2 5 -( 金 ) 13:48", d), "2027-06-25");
	cr_assert_str_eq(date_of("202 7 年 6 月 25 日 ( 金 ) 13:48", d), "2027-06-25");
	cr_assert_str_eq(date_of("202 7/06/25 13:48", d), "");
	cr_assert_str_eq(date_of("2027 年 6 月 25 - 13:48", d), ""); /* no weekday: a digit may be lost */
	cr_assert_str_eq(date_of("倒和 9 年 11 月 23 15 時 04 分", d), "2027-11-23");
	cr_assert_str_eq(date_of("2026 年 11 月 24 個", d), "");
	cr_assert_str_eq(date_of("2025,01.24 12:58:08", d), "2025-01-24");
	cr_assert_str_eq(date_of("2025,01,24", d), "");
	/* the 1 of a month read as ' or |, a speck before the day, the dot after
	 * an era year lost, a dot read as a colon in a short year; all repairs */
	cr_assert(recam_parse_date("令 和 7 年 ' 2 月 25 日 16 時 06 分", d, &q));
	cr_assert_str_eq(d, "2025-12-25");
	cr_assert_float_eq(q, 0.7f, 1e-6);
	cr_assert_str_eq(date_of("2026 年 | 1 月 3 日", d), "2026-11-03");
	cr_assert_str_eq(date_of("2026 年 ' 3 月 3 日", d), ""); /* no 13th month */
	cr_assert(recam_parse_date("2027 年 05 月 607 日 14:50 レジ :10", d, &q));
	cr_assert_str_eq(d, "2027-05-07");
	cr_assert_float_eq(q, 0.7f, 1e-6);
	cr_assert_str_eq(date_of("2027 年 05 月 127 日", d), ""); /* 12 or 27 */
	cr_assert_str_eq(date_of("2027 年 05 月 677 日", d), ""); /* neither */
	cr_assert(recam_parse_date("ご R912.11 14:37 |", d, &q));
	cr_assert_str_eq(d, "2027-12-11");
	cr_assert_float_eq(q, 0.5f, 1e-6);
	cr_assert_str_eq(date_of("R112.11", d), ""); /* R1.12.11 or R11.2.11 */
	cr_assert_str_eq(date_of("R912.1", d), "2027-12-01");
	cr_assert_str_eq(date_of("R9123.11", d), "");
	cr_assert(recam_parse_date("25.07:27 13:07:42 レジ No.0012", d, &q));
	cr_assert_str_eq(d, "2025-07-27");
	cr_assert_float_eq(q, 0.5f, 1e-6);
	cr_assert_str_eq(date_of("25.07:27", d), "");	  /* no time after it */
	cr_assert_str_eq(date_of("1.25.07:27 13:07", d), ""); /* part of a longer number */
	cr_assert_str_eq(date_of("25.07:27 レジ", d), "");
	cr_assert(recam_parse_date("2026/67/84( 土 ) 20:12", d, &q));
	cr_assert_str_eq(d, "2026-07-04");
	cr_assert_lt(q, 1.0f);
	/* the 0 of 20xx and of a month or day read as 6, 8 or 9 */
	cr_assert(recam_parse_date("2627 年 82 月 18 日 17:29", d, &q));
	cr_assert_str_eq(d, "2027-02-18");
	cr_assert_float_eq(q, 0.5f, 1e-6);
	cr_assert_str_eq(date_of("2927.91.95 13:33:16 レジ No.12", d), "2027-01-05");
	cr_assert_str_eq(date_of("2827/11/03", d), "2027-11-03");
	cr_assert_str_eq(date_of("2697 年 02 月 18 日", d), ""); /* 2097 is no purchase year */
	cr_assert_str_eq(date_of("3627 年 02 月 18 日", d), "");
	/* the 0 of 20xx or of a month read twice, as the zero check leaves
	 * them ("20927" made "20027"; dev11 0141, dev12 0119), unsure */
	cr_assert(recam_parse_date("20027/12/05( 日 ) 14:34", d, &q));
	cr_assert_str_eq(d, "2027-12-05");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_date("2025/009/21 12:26", d, &q));
	cr_assert_str_eq(d, "2025-09-21");
	cr_assert_lt(q, 0.9f);
	cr_assert_str_eq(date_of("20007/12/05", d), "");
	cr_assert_str_eq(date_of("2025/00/21", d), "");
	/* a digit added to the year (dev19 0166): the weekday printed says
	 * which of 2025, 2026 and 2056 it is, unsure; without a weekday, or
	 * with one that fits none, nothing */
	cr_assert(recam_parse_date("20256 年 2 月 8 日 (日 )17:49 レッ #0007", d, &q));
	cr_assert_str_eq(d, "2026-02-08");
	cr_assert_lt(q, 0.9f);
	cr_assert_str_eq(date_of("20256 年 2 月 8 日 (土)", d), "2025-02-08");
	cr_assert_str_eq(date_of("20256 年 2 月 8 日 17:49", d), "");
	cr_assert_str_eq(date_of("20256 年 2 月 8 日 (月)", d), "");
	/* its 2 read as 1 (bench dev 0007), unsure; 1126 is nothing */
	cr_assert(recam_parse_date("の 1026 年 3 月 2 4 日 ( 火 ) 12:42", d, &q));
	cr_assert_str_eq(d, "2026-03-24");
	cr_assert_float_eq(q, 0.5f, 1e-6);
	cr_assert_str_eq(date_of("1126 年 3 月 24 日", d), "");
	/* a speck read as a dot inside the day; mixed separators before a time */
	cr_assert(recam_parse_date("2027 年 3 月 3.1 日 ( 水 ) 09:34", d, &q));
	cr_assert_str_eq(d, "2027-03-31");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_date("26.05-06 21:19", d, &q));
	cr_assert_str_eq(d, "2026-05-06");
	cr_assert_float_eq(q, 0.5f, 1e-6);
	cr_assert_str_eq(date_of("26.05-06", d), "");	    /* no time after it */
	cr_assert_str_eq(date_of("No.26.05-06 21:19", d), ""); /* not the whole token */
	cr_assert_str_eq(date_of("26.05.066 21:19", d), "");
	/* the second hyphen lost (dev16 0029), only right before a time */
	cr_assert(recam_parse_date("| 26-12 06 21:41", d, &q));
	cr_assert_str_eq(d, "2026-12-06");
	cr_assert_float_eq(q, 0.5f, 1e-6);
	cr_assert_str_eq(date_of("26-12 06 レジ 3", d), "");
	cr_assert_str_eq(date_of("26-13 06 21:41", d), ""); /* no 13th month */
	/* a four-digit year: the first separator lost, or a comma for the second */
	cr_assert(recam_parse_date("2027 07/26 10:15 vy\" :0008", d, &q));
	cr_assert_str_eq(d, "2027-07-26");
	cr_assert_float_eq(q, 0.5f, 1e-6);
	cr_assert_str_eq(date_of("2026/03,05 15:10", d), "2026-03-05");
	cr_assert_str_eq(date_of("2027 07/26", d), "");	/* no time after it */
	cr_assert_str_eq(date_of("2047 07/26 10:15", d), ""); /* no purchase year */
	cr_assert_str_eq(date_of("1,2027 07/26 10:15", d), "");
	/* the day split by a space and its 日 read as ヨ */
	cr_assert(recam_parse_date("2025 年 9 月 1 6 ヨ ( 火 ) 17:36", d, &q));
	cr_assert_str_eq(d, "2025-09-16");
	cr_assert_float_eq(q, 0.7f, 1e-6);
	cr_assert_str_eq(date_of("2027 年 04 月 03H 20: 10 }", d), "2027-04-03");
}

Test(receipt_parse, weekday_checks_the_date)
{
	json_t *o = parse("2026年11月20日(金) 14:35\n");
	cr_assert_geq(conf(o, "date"), 0.9); /* 2026-11-20 is a Friday */
	json_decref(o);
	o = parse("2026年11月29日(金) 14:35\n"); /* 20 read as 29: the one day that is a Friday */
	cr_assert_str_eq(sval(o, "date"), "2026-11-20");
	cr_assert_lt(conf(o, "date"), 0.9);
	cr_assert_gt(conf(o, "date"), 0.5);
	json_decref(o);
	o = parse("2026年11月21日(金) 14:35\n"); /* no slip of 21 is a Friday: contradicted */
	cr_assert_str_eq(sval(o, "date"), "2026-11-21");
	cr_assert_lt(conf(o, "date"), 0.5);
	json_decref(o);
	o = parse("2026/96/19( 水 ) 11:44\n"); /* 06-10: month 9→0, then the day by the weekday */
	cr_assert_str_eq(sval(o, "date"), "2026-06-10");
	cr_assert_lt(conf(o, "date"), 0.9);
	json_decref(o);
	o = parse("2025 年 2 月 3 日 ( 木 ) 17 15\n"); /* the 1 of 13 lost: the 3rd is a Monday */
	cr_assert_str_eq(sval(o, "date"), "2025-02-13");
	cr_assert_lt(conf(o, "date"), 0.9);
	json_decref(o);
	o = parse("2025年2月4日(水) 17:15\n"); /* 4th Tue, 14th Fri, 24th Mon: contradicted, kept */
	cr_assert_str_eq(sval(o, "date"), "2025-02-04");
	cr_assert_lt(conf(o, "date"), 0.5);
	json_decref(o);
	o = parse("2026/11/20 14:35\n"); /* nothing to check against */
	cr_assert_lt(conf(o, "date"), 0.9);
	json_decref(o);
	/* a glyph read into the day (dev16 0022): of 09, 07 and 97 only the
	 * 7th is a Sunday; on a Monday none fits and no date is given */
	o = parse("| 2025/12/097( 日 ) 14:55\n");
	cr_assert_str_eq(sval(o, "date"), "2025-12-07");
	cr_assert_lt(conf(o, "date"), 0.9);
	json_decref(o);
	o = parse("2025/12/097( 月 ) 14:55\n");
	cr_assert(json_is_null(json_object_get(o, "date")));
	json_decref(o);
}

Test(receipt_parse, time_forms)
{
	char t[6];
	float q;
	cr_assert(recam_parse_time("2026/11/20 14:35", t, &q));
	cr_assert_str_eq(t, "14:35");
	cr_assert(recam_parse_time("11:24:51", t, &q));
	cr_assert_str_eq(t, "11:24");
	cr_assert(recam_parse_time("9時05分", t, &q));
	cr_assert_str_eq(t, "09:05");
	cr_assert_not(recam_parse_time("25:99", t, &q));
	cr_assert_not(recam_parse_time("TEL 03-1234-5678", t, &q));
	/* OCR spaces the kanji form; the time run into a date's day */
	cr_assert(recam_parse_time("令和 7 年 2 月 17 日 18 時 19 分", t, &q));
	cr_assert_str_eq(t, "18:19");
	cr_assert(recam_parse_time("9時5分", t, &q));
	cr_assert_str_eq(t, "09:05");
	cr_assert(recam_parse_time("2026.06.1409:15:22", t, &q));
	cr_assert_str_eq(t, "09:15");
	cr_assert_not(recam_parse_time("No.1409:15", t, &q) && strcmp(t, "09:15") == 0);
	cr_assert_not(recam_parse_time("18 時 5", t, &q));
	/* minutes with 0 read as 9, as in dates */
	cr_assert(recam_parse_time("令 和 7 年 12 月 25 日 16 時 96 分", t, &q));
	cr_assert_str_eq(t, "16:06");
	cr_assert_float_eq(q, 0.7f, 1e-6);
	cr_assert_not(recam_parse_time("16:88", t, &q));
	/* the 1 of the hour read as ] */
	cr_assert(recam_parse_time("2026 年 6 月 14 日 (日 ) ] 2:05", t, &q));
	cr_assert_str_eq(t, "12:05");
	cr_assert_lt(q, 1.0f);
	cr_assert(recam_parse_time("2027/08/04( 水 ) 1 5:27", t, &q));
	cr_assert_str_eq(t, "15:27");
	cr_assert(recam_parse_time("No.1234 5:27", t, &q));
	cr_assert_str_eq(t, "05:27");
	/* opening hours are no time of purchase */
	cr_assert_not(recam_parse_time("営業時間 9:00~22:00", t, &q));
	cr_assert_not(recam_parse_time("営業時間 10:00〜21:00", t, &q));
	/* a space read after the colon */
	cr_assert(recam_parse_time("2027 年 04 月 03H 20: 10 }", t, &q));
	cr_assert_str_eq(t, "20:10");
	cr_assert_float_eq(q, 0.9f, 1e-6);
	cr_assert_not(recam_parse_time("20: 100", t, &q));
	/* or before it, after two digits (dev15 0128) */
	cr_assert(recam_parse_time("2025/07/01( 火 ) 18 :58 レジ 9", t, &q));
	cr_assert_str_eq(t, "18:58");
	cr_assert_float_eq(q, 0.9f, 1e-6);
	cr_assert_not(recam_parse_time("2026 年 09 月 13 日 1 :41", t, &q)); /* 17:41, a digit lost */
}

static long long amount_of(const char *line, bool *repaired)
{
	recam_pamount a;
	if (!recam_parse_trailing_amount(line, 0, &a))
		return -999999;
	if (repaired)
		*repaired = a.repaired;
	return a.negative ? -a.value : a.value;
}

Test(receipt_parse, amount_forms)
{
	bool rep = false;
	cr_assert_eq(amount_of("合計 ¥1,378", &rep), 1378);
	cr_assert_not(rep);
	cr_assert_eq(amount_of("合計 \\1,378", NULL), 1378);	/* ¥ read as \ */
	cr_assert_eq(amount_of("合計 Y1,378", NULL), 1378);	/* ¥ read as Y */
	/* ¥ read as v V W w (its two strokes), standing alone: less sure */
	cr_assert_eq(amount_of("エナジードリンク ※ 2 v420", &rep), 420);
	cr_assert(rep);
	cr_assert_eq(amount_of("牛乳 W198", NULL), 198);
	cr_assert_eq(amount_of("食パン V158", NULL), 158);
	cr_assert_eq(amount_of("うどん w120", NULL), 120);
	cr_assert_eq(amount_of("値引 AY100", NULL), 100); /* ▲¥: the A is left to the discount rules */
	cr_assert_eq(amount_of("Battery AAW510", NULL), -999999); /* the end of a word */
	cr_assert_eq(amount_of("ドリッパー Vv60", NULL), -999999);
	cr_assert_eq(amount_of("合計 1,378円", NULL), 1378);
	cr_assert_eq(amount_of("合計 1.378", &rep), 1378);	/* yen has no decimals */
	cr_assert_eq(amount_of("小計 12 点 ¥2;554", &rep), 2554); /* the comma read as a semicolon */
	cr_assert(rep);
	cr_assert_eq(amount_of("合計 ¥2;55", NULL), -999999);
	cr_assert(rep);
	cr_assert_eq(amount_of("お預り \\7,.000", &rep), 7000);	/* separator read twice */
	cr_assert(rep);
	cr_assert_eq(amount_of("値引 -50", NULL), -50);
	cr_assert_eq(amount_of("値引 -¥50", NULL), -50);
	cr_assert_eq(amount_of("値引 △50", NULL), -50);
	cr_assert_eq(amount_of("ポテトチップス ¥158 軽", NULL), 158);
	cr_assert_eq(amount_of("ポテトチップス ¥158※", NULL), 158);
	cr_assert_eq(amount_of("(8%対象 ¥298)", NULL), 298);
	cr_assert_eq(amount_of("会計 ¥ 4 249", &rep), 4249); /* the comma lost, a space in its place */
	cr_assert(rep);
	cr_assert_eq(amount_of("合計 \\12 249", NULL), 12249);
	cr_assert_eq(amount_of("合計 4 249", NULL), 249);	  /* no yen mark: no sign of one number */
	cr_assert_eq(amount_of("合計 ¥1234 249", NULL), 249); /* four digits are no thousands */
	cr_assert_eq(amount_of("合計 ¥ 4 24", NULL), 24);
	cr_assert_eq(amount_of("肉まん ギ 138", &rep), 138); /* ¥ read as a kana or kanji standing alone */
	cr_assert(rep);
	cr_assert_eq(amount_of("米 2kg 玉 2.774", NULL), 2774);
	recam_pamount ya;
	cr_assert(recam_parse_trailing_amount("うどん 3 玉 198", 0, &ya)); /* 玉 after a count is a counter */
	cr_assert_not(ya.yen_mark);
	cr_assert(recam_parse_trailing_amount("玉 130", 0, &ya)); /* the whole name */
	cr_assert_not(ya.yen_mark);
	cr_assert_eq(amount_of("ご請求額 5.04(", &rep), 5040); /* a dotted 0 read as "(" */
	cr_assert(rep);
	cr_assert_eq(amount_of("コーヒー 40(", NULL), 400);
	cr_assert_eq(amount_of("合計 1,2(", NULL), -999999);
	cr_assert_eq(amount_of("合計金額 5979F", &rep), 5979); /* 円 read as F, with its stroke, a speck */
	cr_assert(rep);
	cr_assert_eq(amount_of("お返し 4021FF", NULL), 4021);
	cr_assert_eq(amount_of("合計 1,254F3", NULL), 1254);
	cr_assert_eq(amount_of("お預かり 10000F 1", NULL), 10000);
	cr_assert_eq(amount_of("ほうじ茶 500m 158F |3", NULL), 158);
	cr_assert_eq(amount_of("〇〇ビル 3F", NULL), -999999); /* a floor */
	cr_assert_eq(amount_of("ほうじ茶 158 1", NULL), 1);	/* a speck is dropped only after F */
	cr_assert_eq(amount_of("合計 金額 4,533 円 3", &rep), 4533); /* or after 円 (dev16 0109) */
	cr_assert(rep);
	cr_assert_eq(amount_of("単価 100 円 12", NULL), 12); /* two digits are no speck */
	cr_assert_eq(amount_of("合計 1,37", NULL), -999999);	/* a lost digit is not an amount */
	cr_assert_eq(amount_of("伝票No.9802", NULL), -999999);
	cr_assert_eq(amount_of("TEL 03-1234-5678", NULL), -999999);
	cr_assert_eq(amount_of("2026/11/20 14:35", NULL), -999999);
	recam_pamount a;
	cr_assert(recam_parse_trailing_amount("TOTAL $12.34", 2, &a));
	cr_assert_eq(a.value, 1234);
}

Test(receipt_parse, tax_rate_lost_is_the_one_that_fits)
{
	/* "8 対象": the % lost, no rate read; base and tax fit 8% inclusive
	 * only, and then confirm the total's other reading ("2 358") */
	json_t *o = parse("レシート\n"
			  "ロールケーキ ¥2,358\n"
			  "現計 2 358\n"
			  "8 対象 (内税 ¥174) ¥2,358\n");
	cr_assert_eq(ival(o, "total"), 2358);
	json_t *tax = json_array_get(val(o, "tax"), 0);
	cr_assert_eq(json_integer_value(json_object_get(tax, "rate")), 8);
	json_decref(o);
	/* a small base fits both rates: no rate is made up */
	o = parse("レシート\nガム ¥100\n合計 ¥100\n対象 ¥100 (内税 ¥8)\n");
	tax = json_array_get(val(o, "tax"), 0);
	cr_assert(json_is_null(json_object_get(tax, "rate")));
	json_decref(o);
}

Test(receipt_parse, tax_rate_misreads)
{
	bool rep;
	cr_assert_eq(recam_parse_tax_rate("(8%対象 ¥298)", &rep), 8);
	cr_assert_not(rep);
	cr_assert_eq(recam_parse_tax_rate("(89%対象 ¥298)", &rep), 8);
	cr_assert(rep);
	cr_assert_eq(recam_parse_tax_rate("896 対象 ¥298", &rep), 8);
	cr_assert_eq(recam_parse_tax_rate("(109% 対象 \\280)", &rep), 10);
	cr_assert_eq(recam_parse_tax_rate("10%対象", &rep), 10);
	cr_assert_eq(recam_parse_tax_rate("外税 19% 64 円", &rep), 10);
	cr_assert_eq(recam_parse_tax_rate("16% 対象額 ¥3,610", &rep), 10);
	cr_assert(rep);
	cr_assert_eq(recam_parse_tax_rate("8* 対象 ¥20,200", &rep), 8);
	cr_assert(rep);
	cr_assert_eq(recam_parse_tax_rate("(10* 対象 ¥280)", &rep), 10);
	cr_assert_eq(recam_parse_tax_rate("牛乳 18* 対象", &rep), 0);
}

Test(receipt_parse, check_digit)
{
	/* 7000012050002: the National Tax Agency's own corporate number */
	cr_assert(recam_receipt_regnum_check("7000012050002"));
	cr_assert_not(recam_receipt_regnum_check("7000012050003"));
	cr_assert_not(recam_receipt_regnum_check("6000012050002"));
	char rn[15];
	bool ok;
	int how;
	cr_assert(recam_parse_regnum("登録番号 T7000012050002", rn, &ok, &how));
	cr_assert_str_eq(rn, "T7000012050002");
	cr_assert(ok);
	cr_assert_eq(how, RECAM_REGNUM_READ);
	/* the T read as 1 */
	cr_assert(recam_parse_regnum("登録番号 17000012050002", rn, &ok, &how));
	cr_assert_str_eq(rn, "T7000012050002");
	cr_assert(ok);
	cr_assert_eq(how, RECAM_REGNUM_REPAIRED);
	/* spaced and hyphenated digits */
	cr_assert(recam_parse_regnum("T7000-0120-5000-2", rn, &ok, &how));
	cr_assert_str_eq(rn, "T7000012050002");
	/* a slip in a digit fails the check digit */
	cr_assert(recam_parse_regnum("登録番号 T7000012060002", rn, &ok, &how));
	cr_assert_not(ok);
	/* one glyph read as a letter or mark: the check digit gives it */
	cr_assert(recam_parse_regnum("登録 番号 Te491671531058", rn, &ok, &how));
	cr_assert_str_eq(rn, "T8491671531058");
	cr_assert(ok);
	cr_assert_eq(how, RECAM_REGNUM_DERIVED);
	cr_assert(recam_parse_regnum("登録 番号 IS519371014734", rn, &ok, &how)); /* and T read as I */
	cr_assert_str_eq(rn, "T8519371014734");
	cr_assert(recam_parse_regnum("登録番号 T70000120¢0002", rn, &ok, &how));
	cr_assert_str_eq(rn, "T7000012050002");
	/* where 0 and 9 would both fit, or two glyphs are lost: nothing */
	cr_assert_not(recam_parse_regnum("登録番号 T70000120500x2", rn, &ok, &how) && how == RECAM_REGNUM_DERIVED);
	cr_assert_not(recam_parse_regnum("登録番号 T7000x120500x2", rn, &ok, &how));
	/* a derived number is not sure */
	json_t *o = parse("登録番号 Te491671531058\n");
	cr_assert_str_eq(sval(o, "registration_number"), "T8491671531058");
	cr_assert_leq(conf(o, "registration_number"), 0.6);
	json_decref(o);
}

Test(receipt_parse, phone)
{
	char p[16];
	float q;
	cr_assert(recam_parse_phone("TEL 03-1234-5678", p, &q));
	cr_assert_str_eq(p, "03-1234-5678");
	cr_assert(recam_parse_phone("電話 092(389)8718", p, &q));
	cr_assert_str_eq(p, "092-389-8718");
	cr_assert(recam_parse_phone("0120-123-456", p, &q));
	cr_assert_str_eq(p, "0120-123-456");
	cr_assert_not(recam_parse_phone("T7000012050002", p, &q));
	/* the colon read as O before the leading 0 (no number starts 00);
	 * dots between the groups right after the label; a speck before the
	 * bracket */
	cr_assert(recam_parse_phone("TELO03(2736)0734", p, &q));
	cr_assert_str_eq(p, "03-2736-0734");
	cr_assert(recam_parse_phone("TELO052.802.5548 0", p, &q));
	cr_assert_str_eq(p, "052-802-5548");
	cr_assert(recam_parse_phone("TEL06{(5770)1310", p, &q));
	cr_assert_str_eq(p, "06-5770-1310");
	cr_assert_not(recam_parse_phone("2026.11.20 0466.39.8310", p, &q)); /* dots without a label */
	/* the leading 0 read as 9 or O right after the label */
	cr_assert(recam_parse_phone("TEL 975-759-5720", p, &q));
	cr_assert_str_eq(p, "075-759-5720");
	cr_assert_lt(q, 1.0f);
	cr_assert(recam_parse_phone("TELO466-39-8310", p, &q));
	cr_assert_str_eq(p, "0466-39-8310");
	cr_assert(recam_parse_phone("電話 942(997)4769", p, &q));
	cr_assert_str_eq(p, "042-997-4769");
	/* or 6; after 電話番号 or a mixed-case TeL */
	cr_assert(recam_parse_phone("電話番号 947-971-2614", p, &q));
	cr_assert_str_eq(p, "047-971-2614");
	cr_assert(recam_parse_phone("TeL947-232-4652", p, &q));
	cr_assert_str_eq(p, "047-232-4652");
	cr_assert(recam_parse_phone("TEL:647-434-0727", p, &q));
	cr_assert_str_eq(p, "047-434-0727");
	cr_assert_lt(q, 1.0f);
	cr_assert_not(recam_parse_phone("647-434-0727", p, &q));
	/* a hyphen read as a space: the line is worn, the number less sure */
	cr_assert(recam_parse_phone("電話 045-844 5434", p, &q));
	cr_assert_str_eq(p, "045-844-5434");
	cr_assert_float_eq(q, 0.9f, 1e-6);
	/* 4-3-3 is the toll-free grouping: 0120 with its 0 misread, else unsure */
	cr_assert(recam_parse_phone("TEL 0129-496-188", p, &q));
	cr_assert_str_eq(p, "0120-496-188");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_phone("フリーダイヤル 0120-496-188", p, &q));
	cr_assert_float_eq(q, 1.0f, 1e-6);
	cr_assert(recam_parse_phone("TEL 0457-496-188", p, &q));
	cr_assert_str_eq(p, "0457-496-188");
	cr_assert_lt(q, 0.9f);
	/* a speck after a number whose groups are all marked */
	cr_assert(recam_parse_phone("TEL 03(1362)5401 3", p, &q));
	cr_assert_str_eq(p, "03-1362-5401");
	cr_assert(recam_parse_phone("TEL 045-844-5434 7", p, &q));
	cr_assert_str_eq(p, "045-844-5434");
	/* glued to the last group: five digits after six are no grouping */
	cr_assert(recam_parse_phone("TEL098(340)28307", p, &q));
	cr_assert_str_eq(p, "098-340-2830");
	cr_assert_lt(q, 0.7f);
	cr_assert_not(recam_parse_phone("TEL 090-1234-56789", p, &q)); /* a mobile's 3-4-4: one digit too many */
	cr_assert_not(recam_parse_phone("975-759-5720", p, &q)); /* no label: not a phone */
	cr_assert_not(recam_parse_phone("TEL 9", p, &q));
	/* a hyphen set apart, 7 read as 了, in a labelled line only */
	cr_assert(recam_parse_phone("TEL :045 - 了 48 -8879", p, &q));
	cr_assert_str_eq(p, "045-748-8879");
	cr_assert_lt(q, 1.0f);
	cr_assert_not(recam_parse_phone("045 - 了 48 -8879", p, &q));
}

static const char *conbini =
	"ファミリーマート\n"
	"渋谷道玄坂店\n"
	"東京都渋谷区道玄坂1-2-3\n"
	"TEL 03-1234-5678\n"
	"登録番号 T7000012050002\n"
	"2026年11月20日(金) 14:35\n"
	"レジ0002 担当:山田\n"
	"ポテトチップス うすしお ¥158 軽\n"
	"お茶 500ml ¥140 軽\n"
	"  2個 × 単70\n"
	"ボールペン ¥330\n"
	"値引 -50\n"
	"小計 ¥578\n"
	"(8%対象 ¥298 内税 ¥22)\n"
	"(10%対象 ¥280 内税 ¥25)\n"
	"合計 ¥578\n"
	"お預り ¥1,000\n"
	"お釣り ¥422\n"
	"レシートNo.1234\n";

static void store_is(const char *text, const char *store, const char *branch)
{
	json_t *o = parse(text);
	if (store)
		cr_assert_str_eq(sval(o, "store"), store, "%s", text);
	else
		cr_assert_null(val(o, "store"), "%s", text);
	cr_assert_str_eq(sval(o, "branch"), branch, "%s", text);
	json_decref(o);
}

Test(receipt_parse, store_and_branch)
{
	/* the two on one line, the store's name ending in a kanji word */
	store_is("スー パー ハッ ピー 浦和 中 央 店\n埼玉県さいたま市浦和区大手町 1-9-8\nTEL 048-123-4567\n",
		 "スーパーハッピー", "浦和中央店");
	store_is("みどり 薬局 船橋 中 央 店\n", "みどり薬局", "船橋中央店");
	store_is("ホク ト 珈 琲 店 吉祥 寺 店\n", "ホクト珈琲店", "吉祥寺店");
	store_is("スーパーあさひ本店\n", "スーパーあさひ", "本店");
	store_is("アイリス珈琲店\n吉祥寺駅前店\n", "アイリス珈琲店", "吉祥寺駅前店"); /* a store's name ending in 店 */
	/* a place joined by の is one branch */
	store_is("やまびこ薬局溝の口店\n", "やまびこ薬局", "溝の口店");
	store_is("溝の口 駅 前 店\n株式会社みどり流通\nTEL 044-946-7581\n", NULL, "溝の口駅前店");
	/* an address, a receipt number or a speck is no store */
	store_is("ERE\n北海道札幌市北区栄町 6-12-14\n札幌駅前店\n", "ERE", "札幌駅前店");
	store_is("RR\n取引 No.8413\n上野中央店\nTEL 03-1234-5678\n", NULL, "上野中央店");
	/* specks at the ends, the space before digits */
	store_is("1 スマイル薬局\n蒲田店 |\n", "スマイル薬局", "蒲田店");
	store_is("まる な か 24\n天神店 .\n", "まるなか24", "天神店");
}

Test(receipt_parse, whole_receipt)
{
	json_t *o = parse(conbini);
	cr_assert_str_eq(sval(o, "store"), "ファミリーマート");
	cr_assert_str_eq(sval(o, "branch"), "渋谷道玄坂店");
	cr_assert_str_eq(sval(o, "phone"), "03-1234-5678");
	cr_assert_str_eq(sval(o, "registration_number"), "T7000012050002");
	cr_assert_str_eq(sval(o, "date"), "2026-11-20");
	cr_assert_str_eq(sval(o, "time"), "14:35");
	cr_assert_str_eq(sval(o, "currency"), "JPY");
	cr_assert_eq(ival(o, "subtotal"), 578);
	cr_assert_eq(ival(o, "total"), 578);
	cr_assert_eq(ival(o, "tendered"), 1000);
	cr_assert_eq(ival(o, "change"), 422);
	cr_assert_str_eq(sval(o, "receipt_number"), "1234");
	cr_assert_str_eq(sval(o, "register"), "0002");
	cr_assert_str_eq(sval(o, "cashier"), "山田");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	json_t *tea = json_array_get(items, 1);
	cr_assert_eq(json_integer_value(json_object_get(tea, "quantity")), 2);
	cr_assert_eq(json_integer_value(json_object_get(tea, "unit_price")), 70);
	cr_assert_eq(json_integer_value(json_object_get(tea, "amount")), 140);
	cr_assert(json_is_true(json_object_get(tea, "reduced")));
	json_t *disc = json_array_get(items, 3);
	cr_assert_eq(json_integer_value(json_object_get(disc, "amount")), -50);
	cr_assert(json_is_true(json_object_get(disc, "discount")));
	/* the arithmetic agrees, so the total is trusted */
	cr_assert_geq(conf(o, "total"), 0.95);
	json_t *tax = val(o, "tax");
	cr_assert_eq(json_array_size(tax), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(tax, 0), "base")), 298);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(tax, 0), "tax")), 22);
	json_decref(o);
}

Test(receipt_parse, contradicted_total_is_not_trusted)
{
	/* 0 read as 9 in the total: the payment lines disagree */
	json_t *o = parse("合計 ¥1,978\nお預り ¥2,000\nお釣り ¥122\n");
	cr_assert_eq(ival(o, "total"), 1978);
	cr_assert_lt(conf(o, "total"), 0.5);
	json_decref(o);
	/* nothing confirms it: not "sure" either */
	o = parse("合計 ¥1,978\n");
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
}

Test(receipt_parse, tax_exclusive_and_derived_total)
{
	json_t *o = parse("おにぎり ¥100\nお茶 ¥200\n小計 ¥300\n外税 8% ¥24\n合計 ¥324\nお預り ¥500\nお釣 ¥176\n");
	cr_assert_eq(ival(o, "total"), 324);
	cr_assert_geq(conf(o, "total"), 0.95);
	cr_assert_eq(json_array_size(val(o, "items")), 2);
	json_decref(o);
	/* unreadable total line: tendered − change, confirmed by the subtotal */
	o = parse("おにぎり ¥100\n小計 ¥100\nお旨上依詩 ¥ 3。〇\nお預り ¥1,000\nお釣 ¥900\n");
	cr_assert_eq(ival(o, "total"), 100);
	json_decref(o);
}

Test(receipt_parse, payment_without_labels)
{
	/* every money label lost (dev15 0175): 5,000 − 3,722 is the 1,278
	 * read twice above */
	json_t *o = parse("高松店\nしお \\150\nヨーグルト \\138\n\\1278 軒\n間 1278\n\\ 94\n\\5000\n\\3722\n");
	cr_assert_eq(ival(o, "total"), 1278);
	cr_assert_eq(ival(o, "tendered"), 5000);
	cr_assert_eq(ival(o, "change"), 3722);
	cr_assert_lt(conf(o, "total"), 0.9);
	cr_assert_eq(json_array_size(val(o, "items")), 2);
	json_decref(o);
	/* the subtotal is the amount: tax lines between (dev12 0135) */
	o = parse("小計 63 点 ¥23,460\n合 t+ wx23,460\n(8%対象 ¥7,975)\n(内消費税 ¥590)\n(10%対象 ¥15,485)\n"
		  "(内消費税 ¥1,407)\nお 殖 か り ¥24,000\n銘 狂 ¥540\n");
	cr_assert_eq(ival(o, "total"), 23460);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* one reading of the amount only: no payment */
	o = parse("しお \\150\nヨーグルト \\138\n\\1278\n\\5000\n\\3722\n");
	cr_assert_null(val(o, "tendered"));
	json_decref(o);
}

Test(receipt_parse, no_label_inside_a_word)
{
	/* "Nori" is no "No" label: the first item is not taken for a header
	 * line (dev15 0074) */
	json_t *o = parse("No. 514008\nPotato Chips Nori 178\nGreen Tea 2L 230\nSUBTOTAL 408\n");
	cr_assert_eq(json_array_size(val(o, "items")), 2);
	cr_assert_str_eq(sval(o, "receipt_number"), "514008");
	json_decref(o);
}

Test(receipt_parse, english_tax_lines)
{
	/* a speck after the base and ¥ read as * (dev15 0143): both bases
	 * read, they and the payment give the total its line lost */
	json_t *o = parse("TOTAL 2, ら 124\n(10% TAXABLE ¥1,326 TAX ¥120)\n(8% TAXABLE ¥1,188. TAX *88)\n"
			  "CASH \\3 000\nCHANGE \\486\n");
	cr_assert_eq(ival(o, "total"), 2514);
	json_t *t = json_array_get(val(o, "tax"), 0);
	cr_assert_eq(json_integer_value(json_object_get(t, "base")), 1188);
	json_decref(o);
	o = parse("(8% TAXABLE 1,188 TAX ¥88)\n");
	t = json_array_get(val(o, "tax"), 0);
	cr_assert_eq(json_integer_value(json_object_get(t, "base")), 1188);
	json_decref(o);
}

static const char *tax_kind(json_t *o, size_t i)
{
	return json_string_value(json_object_get(json_array_get(val(o, "tax"), i), "kind"));
}

Test(receipt_parse, tax_kind_by_arithmetic)
{
	/* no word says 外税: the subtotal plus the tax is the amount of a line
	 * whose label was misread (dev15 0033) */
	json_t *o = parse("パンケーキ 700 円\nレモンサワー 418 円\n小計 2 点 1,118 円\n消費税等 (10%) 111 円\n"
			  "IS 1.229 円\nお預り 10,000 円\n");
	cr_assert_eq(ival(o, "total"), 1229);
	cr_assert_str_eq(tax_kind(o, 0), "exclusive");
	json_decref(o);
	/* the same with the total read: it is the sum */
	o = parse("小計 1,118 円\n消費税等 (10%) 111 円\n合計 1,229 円\n");
	cr_assert_str_eq(tax_kind(o, 0), "exclusive");
	json_decref(o);
	/* tax included: the total is the subtotal */
	o = parse("小計 1,118 円\n消費税等 (10%) 101 円\n合計 1,118 円\n");
	cr_assert_str_eq(tax_kind(o, 0), "inclusive");
	json_decref(o);
	/* a base and its tax: 1,575 · 8/100 = 126, not 1,575 · 8/108 = 116 */
	o = parse("8%対象 1,575 消費税 126\n");
	cr_assert_str_eq(tax_kind(o, 0), "exclusive");
	json_decref(o);
	o = parse("8%対象 1,620 消費税 120\n");
	cr_assert_str_eq(tax_kind(o, 0), "inclusive");
	json_decref(o);
}

Test(receipt_parse, misread_t_and_yen)
{
	json_t *o = parse("登録番号 17000012050002\n合計 Y1.378\nお預り \\2,000\nお釣り \\622\n");
	cr_assert_str_eq(sval(o, "registration_number"), "T7000012050002");
	cr_assert(json_is_true(json_object_get(json_object_get(o, "registration_number"), "check_digit_ok")));
	cr_assert_eq(ival(o, "total"), 1378);
	json_decref(o);
	/* a failing check digit is flagged and not trusted */
	o = parse("登録番号 T7000012060002\n");
	cr_assert(json_is_false(json_object_get(json_object_get(o, "registration_number"), "check_digit_ok")));
	cr_assert_lt(conf(o, "registration_number"), 0.5);
	json_decref(o);
}

Test(receipt_parse, quantity_forms)
{
	int64_t q, u;
	cr_assert(recam_parse_qty("2個 × 単158", 0, &q, &u));
	cr_assert_eq(q, 2);
	cr_assert_eq(u, 158);
	cr_assert(recam_parse_qty("2 @278 ¥556", 0, &q, &u)); /* the count's unit lost: the amount checks it */
	cr_assert_eq(q, 2);
	cr_assert_eq(u, 278);
	cr_assert_not(recam_parse_qty("2 @278 ¥550", 0, &q, &u));
	cr_assert(recam_parse_qty("@158 x 3", 0, &q, &u));
	cr_assert_eq(q, 3);
	cr_assert_eq(u, 158);
	cr_assert(recam_parse_qty("(¥257 x 6個) ¥1,542", 0, &q, &u));
	cr_assert_eq(q, 6);
	cr_assert_eq(u, 257);
	cr_assert(recam_parse_qty("単価480 数量3 ¥1,440", 0, &q, &u));
	cr_assert_eq(q, 3);
	cr_assert_eq(u, 480);
	cr_assert(recam_parse_qty("2 コ X 222 円 444 軽", 0, &q, &u));
	cr_assert_eq(q, 2);
	cr_assert_eq(u, 222);
}

Test(receipt_parse, item_layouts)
{
	json_t *o = parse("レシート\n"
			  "13 豚こま切落し軽 ¥398\n"
			  "19 ウインナー軽\n"
			  "  (¥257 x 6個) ¥1,542\n"
			  "冷奴 x4 ¥1,200\n"
			  "カップ焼そば ........ ¥208\n"
			  "30%引 -¥59\n"
			  "小計 ¥3,289\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 5);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "name")), "豚こま切落し");
	cr_assert(json_is_true(json_object_get(json_array_get(items, 0), "reduced")));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 1), "name")), "ウインナー");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 1), "quantity")), 6);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 2), "name")), "冷奴");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 2), "quantity")), 4);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 3), "name")), "カップ焼そば");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 4), "amount")), -59);
	json_decref(o);
}

static const char *item_name(json_t *items, size_t i)
{
	return json_string_value(json_object_get(json_array_get(items, i), "name"));
}

static long long item_int(json_t *items, size_t i, const char *k)
{
	return json_integer_value(json_object_get(json_array_get(items, i), k));
}

/* The items' names, in order, are want[0..n). */
static void names_are(json_t *o, const char *const *want, size_t n)
{
	json_t *items = val(o, "items");
	cr_assert_geq(json_array_size(items), n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(item_name(items, i), want[i]);
}

Test(receipt_parse, long_vowel_read_as_a_hyphen)
{
	json_t *o = parse("レシート\n"
			  "チョコレ - トミルク ¥198\n"
			  "ビ - ル 500ml ¥228\n"
			  "コ -- ラ ¥150\n"
			  "トロ-チ ¥300\n"
			  "ゼリー- みかん ¥120\n" /* after ー: left as read */
			  "ケーブル - 2m ¥980\n"  /* before a digit: a hyphen */
			  "値引 -100\n"
			  "小計 ¥1,876\n");
	static const char *const want[] = {"チョコレートミルク", "ビール 500ml", "コーラ", "トローチ", "ゼリー- みかん",
					   "ケーブル - 2m"};
	names_are(o, want, 6);
	json_decref(o);
}

Test(receipt_parse, quantity_lines_as_misread)
{
	int64_t q, u;
	/* the sign read twice */
	cr_assert(recam_parse_qty("2 コ Xx 898 円", 0, &q, &u));
	cr_assert_eq(q, 2);
	cr_assert_eq(u, 898);
	/* the unit price marked by 円 after it */
	cr_assert(recam_parse_qty("(138 円 x 3 個 ) 414 円", 0, &q, &u));
	cr_assert_eq(q, 3);
	cr_assert_eq(u, 138);
	/* the count lost: quantity 0, the caller divides the amount */
	cr_assert(recam_parse_qty("個 x 単 25 \\75※", 0, &q, &u));
	cr_assert_eq(q, 0);
	cr_assert_eq(u, 25);
	cr_assert(!recam_parse_qty("BOX 2", 0, &q, &u));
	json_t *o = parse("レシート\n"
			  "もやし\n"
			  "個 x 単 25 \\75※\n"
			  "シャンプー本体 ¥1796\n"
			  "2 コ Xx 898 円\n"
			  "ヨーグルトブルーベリー\n"
			  "(138 円 x 3 個 ) 414 円\n"
			  "綿棒 200 本\n"
			  "3 個 x 単 158 \\474\n"
			  "小計 ¥2,759\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 0), "もやし");
	cr_assert_eq(item_int(items, 0, "quantity"), 3);
	cr_assert_eq(item_int(items, 0, "amount"), 75);
	cr_assert_str_eq(item_name(items, 1), "シャンプー本体");
	cr_assert_eq(item_int(items, 1, "quantity"), 2);
	cr_assert_str_eq(item_name(items, 2), "ヨーグルトブルーベリー");
	cr_assert_eq(item_int(items, 2, "quantity"), 3);
	cr_assert_str_eq(item_name(items, 3), "綿棒 200 本");
	cr_assert_eq(item_int(items, 3, "amount"), 474);
	cr_assert(json_is_true(json_object_get(json_object_get(o, "checks"), "items_sum")));
	json_decref(o);
	/* one glyph before the quantity is a misread "@", not a name */
	o = parse("レシート\nカレーパン\nで 125Xx3 点 375\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_str_eq(item_name(items, 0), "カレーパン");
	cr_assert_eq(item_int(items, 0, "quantity"), 3);
	cr_assert_eq(item_int(items, 0, "amount"), 375);
	json_decref(o);
}

Test(receipt_parse, item_names_cleaned)
{
	json_t *o = parse("レシート\n"
			  "ジャムパン 6 個 744\n"	       /* a count column, not a pack size */
			  "玉ねぎ 3 個 ¥188\n"	       /* 188 is not 3 × anything: the name */
			  "即席みそ汁 ※ 3 630\n"	       /* the mark before the count */
			  "29 *烏龍茶 2L ¥198\n"	       /* a PLU code before the mark */
			  "雪 | 枝豆 330 円\n"	       /* a speck beyond the paper's edge */
			  "ベーコン Re ae ¥308\n"	       /* specks read as letters */
			  "たらこパスタ y468 座\n"	       /* ¥ read as y, a speck after the amount */
			  "おにぎりおかか ※ 3 594\"\n" /* a quote glued to the amount */
			  "にんじん 3 本 Xx2 ¥296\n"
			  "柔軟剤詰替 2 個 776 円較\n"     /* a speck glued after 円 */
			  "小計 ¥4,532\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 10);
	cr_assert_str_eq(item_name(items, 9), "柔軟剤詰替");
	cr_assert_eq(item_int(items, 9, "quantity"), 2);
	cr_assert_str_eq(item_name(items, 0), "ジャムパン");
	cr_assert_eq(item_int(items, 0, "quantity"), 6);
	cr_assert_str_eq(item_name(items, 1), "玉ねぎ 3 個");
	cr_assert_str_eq(item_name(items, 2), "即席みそ汁");
	cr_assert(json_is_true(json_object_get(json_array_get(items, 2), "reduced")));
	cr_assert_eq(item_int(items, 2, "quantity"), 3);
	cr_assert_str_eq(item_name(items, 3), "烏龍茶 2L");
	cr_assert(json_is_true(json_object_get(json_array_get(items, 3), "reduced")));
	cr_assert_str_eq(item_name(items, 4), "枝豆");
	cr_assert_str_eq(item_name(items, 5), "ベーコン");
	cr_assert_str_eq(item_name(items, 6), "たらこパスタ");
	cr_assert_eq(item_int(items, 6, "amount"), 468);
	cr_assert_str_eq(item_name(items, 7), "おにぎりおかか");
	cr_assert_eq(item_int(items, 7, "amount"), 594);
	cr_assert_str_eq(item_name(items, 8), "にんじん 3 本");
	cr_assert_eq(item_int(items, 8, "quantity"), 2);
	json_decref(o);
	/* two words of specks after the amount (dev11 0163), ¥ read as e
	 * (dev12 0003), a discount's △ read as 4A glued to its amount, 円 after
	 * it (dev12 0037, 0076); a counter after the number stays a name; a
	 * full stop or marks after the amount, a discount named by its rate
	 * alone (bench dev 0036, 0224, 0165, 0218) */
	o = parse("レシート\n"
		  "ホッ トド ッ グ 198 上 國\n"
		  "冷凍 うど ん e158\n"
		  "割引 20% 4A65\n"
		  "タイムセール値引 4Ay100 凍\n"
		  "( 値 引 ) A20 円\n"
		  "綿棒 200 本\n"
		  "醤油 減塩 1L _ 285.\n"
		  "整腸剤 90 錠 1,378 - 護\n"
		  "レトルトカレー 中辛 298 幅 (|\n"
		  "10% 引 A27\n"
		  "小計 ¥1,000\n");
	items = val(o, "items");
	cr_assert_eq(item_int(items, 5, "amount"), 285);
	cr_assert_eq(item_int(items, 6, "amount"), 1378);
	cr_assert_str_eq(item_name(items, 6), "整腸剤 90 錠");
	cr_assert_eq(item_int(items, 7, "amount"), 298);
	cr_assert_eq(item_int(items, 8, "amount"), -27);
	cr_assert_eq(item_int(items, 0, "amount"), 198);
	cr_assert_str_eq(item_name(items, 0), "ホットドッグ");
	cr_assert_eq(item_int(items, 1, "amount"), 158);
	cr_assert_eq(item_int(items, 2, "amount"), -65);
	cr_assert_eq(item_int(items, 3, "amount"), -100);
	cr_assert_eq(item_int(items, 4, "amount"), -20);
	cr_assert_eq(json_array_size(items), 9);
	json_decref(o);
	/* specks read as marks at either end, set apart by a space; brackets
	 * that belong to the name stay */
	o = parse("レシート\n"
		  "ぶり切身 } 798\n"
		  "ロースハム ; 314\n"
		  "カスタードプリン > 549\n"
		  ") ゼリー飲料 ¥376\n"
		  "(クーポン値引 ) -50\n"
		  "小計 ¥1,987\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 5);
	cr_assert_str_eq(item_name(items, 0), "ぶり切身");
	cr_assert_str_eq(item_name(items, 1), "ロースハム");
	cr_assert_str_eq(item_name(items, 2), "カスタードプリン");
	cr_assert_str_eq(item_name(items, 3), "ゼリー飲料");
	cr_assert_eq(item_int(items, 4, "amount"), -50);
	cr_assert(strstr(item_name(items, 4), ")") != NULL);
	json_decref(o);
}

Test(receipt_parse, quotes_in_names)
{
	/* a quote after a space is a speck; glued to a kana it may be a dakuten */
	json_t *o = parse("レシート\nせんべい黒こしょう ※ \"4 1,000\nカ\"ム 120\n");
	json_t *items = val(o, "items");
	cr_assert_str_eq(item_name(items, 0), "せんべい黒こしょう");
	cr_assert_eq(item_int(items, 0, "quantity"), 4);
	cr_assert_str_eq(item_name(items, 1), "カ\"ム");
	json_decref(o);
}

Test(receipt_parse, speck_digit_on_the_name_line_of_a_quantity)
{
	/* the name line's last glyph read as a digit (dev13 0034): the
	 * quantity line under it holds the amount, which count × unit confirms */
	json_t *o = parse("レシート\nサン ドイ ッ チ ツナ 0\n| 2 個 x 単 323 _646※\n小計 ¥646\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_eq(item_int(items, 0, "amount"), 646);
	cr_assert_eq(item_int(items, 0, "quantity"), 2);
	json_decref(o);
	/* a line amount the quantity line does not confirm stays */
	o = parse("レシート\nサンドイッチ 8\n2 個 x 単 323 640\n小計 ¥648\n");
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 8);
	json_decref(o);
}

Test(receipt_parse, off_only_as_a_word)
{
	/* "Coffee" holds "off": not a discount (dev13 0096 gave -131) */
	json_t *o = parse("RECEIPT\nBlack Coffee ¥131*\nCoupon 10% OFF ¥50\nSUBTOTAL ¥81\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_eq(item_int(items, 0, "amount"), 131);
	cr_assert_eq(item_int(items, 1, "amount"), -50);
	json_decref(o);
}

Test(receipt_parse, discount_marks_misread)
{
	json_t *o = parse("レシート\n"
			  "鶏むね肉 ¥416\n"
			  "値引 AY¥ 10\n"
			  "しめじ ¥118\n"
			  "割引 50% A73\n"
			  "マーガリン ¥298\n"
			  "半額 A\\¥149\n"
			  "ほうれん草 ¥108\n"
			  "単品値引人ム 20\n"
			  "割引 30% 4A\\¥38\n"
			  "小計 ¥500\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 9);
	cr_assert_str_eq(item_name(items, 1), "値引");
	cr_assert_eq(item_int(items, 1, "amount"), -10);
	cr_assert_str_eq(item_name(items, 3), "割引 50%");
	cr_assert_eq(item_int(items, 3, "amount"), -73);
	cr_assert_str_eq(item_name(items, 5), "半額");
	cr_assert_eq(item_int(items, 5, "amount"), -149);
	cr_assert_str_eq(item_name(items, 7), "単品値引");
	cr_assert_eq(item_int(items, 7, "amount"), -20);
	cr_assert_str_eq(item_name(items, 8), "割引 30%");
	cr_assert_eq(item_int(items, 8, "amount"), -38);
	json_decref(o);
	/* 円 read as F after it, ¥ read as w after it (dev15 0095, 0118) */
	o = parse("レシート\nマーガリン 1112F\n割引 30% A333F\nしめじ ¥720\n10% 引 Aw72\n小計 ¥1,427\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_eq(item_int(items, 1, "amount"), -333);
	cr_assert_eq(item_int(items, 3, "amount"), -72);
	json_decref(o);
	/* 見切り and a bare %引 are discounts; the % read as 99, 96 or 9%; △ as ^ */
	o = parse("レシート\n"
		  "歯みがき ¥438\n"
		  "見 切り 30% 引 人 ム ¥168\n"
		  "ボールペン ¥120\n"
		  "値 引 2099 。 ^55 円\n"
		  "見 切り 3096 引 ム 89\n"
		  "209% 引 -44\n"
		  "(見 切り 10% 引 ) A \\¥20\n"
		  "ポテト 2099 ¥300\n"
		  "値引 1099 円 ¥30\n"
		  "割引 19% ¥50\n"
		  "小計 ¥300\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 10);
	cr_assert_str_eq(item_name(items, 9), "割引 19%"); /* as printed: left alone */
	cr_assert_eq(item_int(items, 9, "amount"), -50);
	cr_assert_str_eq(item_name(items, 1), "見切り 30% 引");
	cr_assert_eq(item_int(items, 1, "amount"), -168);
	cr_assert_str_eq(item_name(items, 3), "値引 20%");
	cr_assert_eq(item_int(items, 3, "amount"), -55);
	cr_assert_str_eq(item_name(items, 4), "見切り 30% 引");
	cr_assert_eq(item_int(items, 4, "amount"), -89);
	cr_assert_str_eq(item_name(items, 5), "20% 引");
	cr_assert_eq(item_int(items, 5, "amount"), -44);
	cr_assert_str_eq(item_name(items, 6), "(見切り 10% 引 )");
	cr_assert_eq(item_int(items, 6, "amount"), -20);
	cr_assert_str_eq(item_name(items, 7), "ポテト 2099"); /* not a discount */
	cr_assert_str_eq(item_name(items, 8), "値引 1099 円"); /* a unit after it: left alone */
	json_decref(o);
	/* △ read as A glued to the amount of a 見切り or %引 line (dev11 0127) */
	o = parse("レシート\nメイク落とし 820\n見 切り 20% 引 A164\n見切り A30\n青汁 30 包 1,998\n小計 2,624\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_eq(item_int(items, 1, "amount"), -164);
	cr_assert_eq(item_int(items, 2, "amount"), -30);
	json_decref(o);
}

Test(receipt_parse, leaders_read_as_a_jumble)
{
	json_t *o = parse("とろけるチーズ *・・・こく・・こ ¥298\n焼餃子 6 個 oe oe 06) oie erelie ¥385\n"
			  "コーラ 1.5L coe ole ee ale ¥198\nサラダ油 1000g※ ¥480\nBento Box ¥500\n");
	json_t *it = val(o, "items");
	const char *want[] = {"とろけるチーズ", "焼餃子 6 個", "コーラ 1.5L", "サラダ油 1000g", "Bento Box"};
	names_are(o, want, 5);
	cr_assert(json_is_true(json_object_get(json_array_get(it, 0), "reduced"))); /* the * was in the leaders */
	json_decref(o);
	/* what no name ends in: ・, _, two long-vowel marks */
	o = parse("ポテトチップス のりしお ・・・ ¥198\n飲むヨーグルト プレーン _ ¥160\nサンドイッチ ミックスーー ¥399\n"
		  "コーヒー ¥120\n");
	const char *trimmed[] = {"ポテトチップスのりしお", "飲むヨーグルトプレーン", "サンドイッチミックス", "コーヒー"};
	names_are(o, trimmed, 4);
	json_decref(o);
	/* specks glued to the paper's edge, or a speck and a full stop, before a name */
	o = parse("E| レモンサワー 500ml ¥158\n(| コットン 80枚 ¥298\n還。カップ麺 しょうゆ ¥178\n"
		  "A4| ノート ¥110\nPOS| ¥120\n");
	const char *cut[] = {"レモンサワー 500ml", "コットン 80枚", "カップ麺しょうゆ", "ノート"};
	names_are(o, cut, 4);
	json_decref(o);
}

Test(receipt_parse, kana_read_twice)
{
	/* one kana read with both voicing marks, or both sizes: one reading kept */
	json_t *o = parse("カマンベペベールチーズ ¥298\nシャンプブー 詰替 ¥498\nウゥインナー ¥218\n"
			  "飲むヨョヨーグルト ¥158\n冷凍カラァアァゲ ¥388\n");
	const char *want[] = {"カマンベールチーズ", "シャンプー詰替", "ウインナー", "飲むヨーグルト", "冷凍カラアゲ"};
	names_are(o, want, 5);
	json_decref(o);
	/* kana that do stand side by side: ッツ, ハバ, カガ */
	o = parse("ミックスナッツ ¥498\nハバネロ ¥128\nカガミ ¥300\n");
	const char *kept[] = {"ミックスナッツ", "ハバネロ", "カガミ"};
	names_are(o, kept, 3);
	json_decref(o);
}

Test(receipt_parse, item_line_specks)
{
	json_t *o = parse("レシート\n"
			  "* ォプロテインバーチョコ 6 948\n" /* no word starts with a small kana */
			  "謀 ※ カップうどんきつね 178 護\n"  /* specks before the mark, after the amount */
			  "38 マヨネーズ 450g ¥358\n"
			  "15 りんご 2 *496\n"		    /* ¥ read as *: its own item, not a quantity */
			  "缶コーヒーカフェオレ Yi20\n"	    /* 1 read as i */
			  "凍 2992 護\n"		    /* a repair needs a name of two glyphs */
			  "I 1 ¥2,100\n"		    /* the subtotal with its label misread */
			  "合計 ¥2,100\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 5);
	cr_assert_str_eq(item_name(items, 0), "プロテインバーチョコ");
	cr_assert(json_is_true(json_object_get(json_array_get(items, 0), "reduced")));
	cr_assert_str_eq(item_name(items, 1), "カップうどんきつね");
	cr_assert_eq(item_int(items, 1, "amount"), 178);
	cr_assert_eq(item_int(items, 2, "quantity"), 1);
	cr_assert_str_eq(item_name(items, 3), "りんご");
	cr_assert_eq(item_int(items, 3, "quantity"), 2);
	cr_assert_eq(item_int(items, 3, "amount"), 496);
	cr_assert_eq(item_int(items, 4, "amount"), 120);
	json_decref(o);
	/* ¥ read as F or two letters, ¥1 as wi or vl before two digits */
	o = parse("レシート\nアイスバニラ F298 軽\nメロンパン xy140 生\nチョコパン wi50\n長ねぎ vl10\n"
		  "アイスソーダ wi183\n小計 ¥708\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_eq(item_int(items, 0, "amount"), 298);
	cr_assert_eq(item_int(items, 1, "amount"), 140);
	cr_assert_eq(item_int(items, 2, "amount"), 150);
	cr_assert_eq(item_int(items, 3, "amount"), 110);
	json_decref(o);
	/* the 1 read as l or i after the yen sign itself */
	o = parse("レシート\n玉ねぎ * ¥l10\nにんじん ¥i58\n小計 ¥268\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_eq(item_int(items, 0, "amount"), 110);
	cr_assert_eq(item_int(items, 1, "amount"), 158);
	json_decref(o);
	/* specks after the reduced mark that ends the name */
	o = parse("レシート\nにんじん ※ NE ¥158\n豚バラスライス ※ 失う本村人和 ¥498\nキャベツ 1/2※ で ¥98\n");
	items = val(o, "items");
	cr_assert_str_eq(item_name(items, 0), "にんじん");
	cr_assert(json_is_true(json_object_get(json_array_get(items, 0), "reduced")));
	cr_assert_str_eq(item_name(items, 1), "豚バラスライス");
	cr_assert_str_eq(item_name(items, 2), "キャベツ 1/2");
	json_decref(o);
	/* specks read as punctuation before the name */
	o = parse("レシート\n「クリームパン ¥128\n。レモンサワー 350ml ¥168\n");
	items = val(o, "items");
	cr_assert_str_eq(item_name(items, 0), "クリームパン");
	cr_assert_str_eq(item_name(items, 1), "レモンサワー 350ml");
	json_decref(o);
	o = parse("RECEIPT\n‘Yogurt Plain ¥198\n");
	cr_assert_str_eq(item_name(val(o, "items"), 0), "Yogurt Plain");
	json_decref(o);
	/* 入 read as 人 after a count */
	o = parse("レシート\n卵 6 個人 ¥258\nクロワッサン 4個人 ¥398\n個人向け保険 ¥100\n");
	items = val(o, "items");
	cr_assert_str_eq(item_name(items, 0), "卵 6 個入");
	cr_assert_str_eq(item_name(items, 1), "クロワッサン 4個入");
	cr_assert_str_eq(item_name(items, 2), "個人向け保険");
	json_decref(o);
	/* specks of the table at the paper's edge after 円 or a reduced mark
	 * (dev16 0042, 0070, 0093): nothing is printed after those */
	o = parse("レシート\nせん べ い えび 198 軽 3\n天丼 558 円 * 罰\nシド クリ ー ム 481 円 3\n"
		  "ガム 128 円 * EE\nお茶 128 円 12\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 5);
	static const long long want[] = {198, 558, 481, 128, 12}; /* a number of two digits is no speck */
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(item_int(items, i, "amount"), want[i], "item %zu", i);
	cr_assert_str_eq(item_name(items, 0), "せんべいえび");
	cr_assert(json_is_true(json_object_get(json_array_get(items, 0), "reduced")));
	cr_assert_str_eq(item_name(items, 1), "天丼");
	json_decref(o);
}

Test(receipt_parse, items_sum_repairs_one_misread)
{
	/* the subtotal is confirmed by the total: the one item that can close
	 * the gap is repaired (306 for 300), but the check stays false */
	const char *head = "レシート\nボールペン黒 2 306\n洗顔フォーム 338\n";
	char buf[512];
	snprintf(buf, sizeof(buf), "%s小計 638\n合計 638\n", head);
	json_t *o = parse(buf);
	json_t *items = val(o, "items");
	cr_assert_eq(item_int(items, 0, "amount"), 300);
	cr_assert_eq(item_int(items, 1, "amount"), 338);
	cr_assert(json_is_false(json_object_get(json_object_get(o, "checks"), "items_sum")));
	cr_assert_lt(json_number_value(json_object_get(json_array_get(items, 0), "amount_confidence")), 0.9);
	json_decref(o);
	/* an unconfirmed subtotal repairs nothing */
	snprintf(buf, sizeof(buf), "%s小計 638\n", head);
	o = parse(buf);
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 306);
	json_decref(o);
	/* two look-alike digits (366 for 300) are no repair: an item lost or
	 * added is likelier */
	o = parse("レシート\nボールペン黒 2 366\n洗顔フォーム 338\n小計 638\n合計 638\n");
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 366);
	json_decref(o);
	/* digits lost (8 for 848) and a speck read as the amount (658 4) */
	o = parse("レシート\n鎮痛剤 40 錠 8\nパンケーキ 900\n小計 1,748\n合計 1,748\n");
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 848);
	json_decref(o);
	o = parse("レシート\n瓶ビール 658 4\nパンケーキ 900\n小計 1,558\n合計 1,558\n");
	cr_assert_str_eq(item_name(val(o, "items"), 0), "瓶ビール");
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 658);
	json_decref(o);
	/* digits lost: 4 for 484 (384 for 864 would be two look-alike digits) */
	o = parse("レシート\n絆創膏 30 枚 4\nマスク 30 枚 ¥384\n小計 ¥868\n合計 ¥868\n");
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 484);
	cr_assert_eq(item_int(val(o, "items"), 1, "amount"), 384);
	json_decref(o);
	/* the yen mark read as a digit on two lines with no mark (dev11 0118):
	 * a pair closes the gap; ¥1,158 has its mark and is not a candidate */
	o = parse("レシート\nウインナー あらびき ・・・・ 1282\nドレッシング ・・・ 5290\n赤ワイン ¥1,158\n"
		  "ごはん ¥490\n合計 ¥2,220\nお預かり ¥3,000\nお釣り ¥780\n");
	items = val(o, "items");
	cr_assert_eq(item_int(items, 0, "amount"), 282);
	cr_assert_eq(item_int(items, 1, "amount"), 290);
	cr_assert_eq(item_int(items, 2, "amount"), 1158);
	json_decref(o);
	/* two pairs would do (1282 and 1158 both bare): nothing is touched */
	o = parse("レシート\nウインナー あらびき 1282\nドレッシング 5290\n赤ワイン 1158\n"
		  "合計 ¥1,730\nお預かり ¥2,000\nお釣り ¥270\n");
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 1282);
	json_decref(o);
	/* two items could close the gap: neither is touched */
	o = parse("レシート\nボールペン黒 366\nノート 366\n小計 666\n合計 666\n");
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 366);
	cr_assert_eq(item_int(val(o, "items"), 1, "amount"), 366);
	json_decref(o);
}

Test(receipt_parse, unreadable_total_still_ends_the_items)
{
	/* the total's amount is a garble and the date, register and receipt
	 * number are printed below it: the items end at the total line, and
	 * the header below does not move their start */
	json_t *o = parse("さくら薬品\n"
			  "TEL : 06-5242-0503\n"
			  "日焼け止め SPF50 7,548 円\n"
			  "メイク落とし シート 458 円\n"
			  "リップクリーム 薬用 308 円\n"
			  "全計 14,87opg\n"
			  "2026 年 12 月 13 日 (日) 11:24\n"
			  "レジ No.0010\n"
			  "レシート No.9635\n"
			  "担当 : 佐藤\n"
			  "本日はご利用ありがとうございました\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 3);
	cr_assert_str_eq(item_name(items, 0), "日焼け止め SPF50");
	cr_assert_eq(item_int(items, 2, "amount"), 308);
	json_decref(o);
}

Test(receipt_parse, item_the_confirmed_sum_leaves_over_is_dropped)
{
	/* a line read twice: the confirmed subtotal has room for one */
	json_t *o = parse("レシート\n牛乳 198\n牛乳 198\n食パン 158\n小計 356\n合計 356\nお預り 1,000\nお釣 644\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_str_eq(item_name(items, 0), "牛乳");
	cr_assert_str_eq(item_name(items, 1), "食パン");
	json_decref(o);
	/* a stray digit taken as an item's amount: the sum is over by it */
	o = parse("レシート\n牛乳 198\nカスタードプリン 3\n食パン 158\n小計 356\n合計 356\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_str_eq(item_name(items, 1), "食パン");
	json_decref(o);
	/* two items of different names would do: both stay */
	o = parse("レシート\n牛乳 198\nレジ袋 3\nプリン 3\n食パン 158\n小計 359\n合計 359\n");
	cr_assert_eq(json_array_size(val(o, "items")), 4);
	json_decref(o);
	/* a subtotal nothing confirms drops nothing */
	o = parse("レシート\n牛乳 198\n牛乳 198\n食パン 158\n小計 356\n");
	cr_assert_eq(json_array_size(val(o, "items")), 3);
	json_decref(o);
}

Test(receipt_parse, hash_in_an_item_line_is_not_the_header)
{
	/* "#" read in an item line made it the receipt number: every item
	 * above it was taken for the header */
	json_t *o = parse("取引 No.8805\n"
			  "化粧水さっぱり 764\n"
			  "アイスソーダ #366\n"
			  "チョコレート #7 イト 138 円\n"
			  "ゴミ袋 45L 1,740\n"
			  "小計 3,008\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 0), "化粧水さっぱり");
	cr_assert_str_eq(item_name(items, 1), "アイスソーダ");
	cr_assert_eq(item_int(items, 1, "amount"), 366);
	cr_assert(json_is_true(json_object_get(json_object_get(o, "checks"), "items_sum")));
	cr_assert_str_eq(sval(o, "receipt_number"), "8805");
	json_decref(o);
	/* after a department code, with no number after it (チ read as #) */
	o = parse("取引 No.0364 責任者 太田\n"
		  "31 豆腐 充テン ※ \\77\n"
		  "30 ラップ 22cm ¥218\n"
		  "17 # ョ コパン ※ ¥696 |\n"
		  "24 パン ※ \\368 |\n"
		  "小計 ¥1,359\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_eq(item_int(items, 0, "amount"), 77);
	cr_assert(json_is_true(json_object_get(json_object_get(o, "checks"), "items_sum")));
	json_decref(o);
	/* a label word read into a name before a yen amount (シート as
	 * レシート, ﾎﾞ as #7): item lines; the header above still ends at レジ */
	o = parse("レジ #08\n"
		  "取引 No 3918-1044\n"
		  "パフ ¥228\n"
		  "メイク落とし レシート \\948\n"
		  "#7 ディソープ 詰替 \\579\n"
		  "コーラ 500ml ¥266\n"
		  "小計 2,021\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 0), "パフ");
	cr_assert_str_eq(sval(o, "receipt_number"), "3918-1044");
	cr_assert(json_is_true(json_object_get(json_object_get(o, "checks"), "items_sum")));
	json_decref(o);
	/* a label misread deep among the items of a long receipt (dev12
	 * 0027: "19 て #2 23%" after 60 item lines; dev13 0020: "#250x6 点
	 * 1, 500*") ends no header, yen marks or not */
	o = parse("レジ #08\n"
		  "パフ ¥228\n"
		  "コーラ 500ml 266*\n"
		  "ゴミ袋 45L ¥174\n"
		  "19 て #2 23%\n"
		  "レタス ¥128\n"
		  "小計 ¥796\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 0), "パフ");
	cr_assert(json_is_true(json_object_get(json_object_get(o, "checks"), "items_sum")));
	json_decref(o);
	/* a name line whose amount is on the quantity line below it */
	o = parse("TEL 099-492-3969\n"
		  "レタス ¥228\n"
		  "スパゲッティ 1kg\n"
		  "(¥230 x 4 個 ) ¥920\n"
		  "M#' -#4 350ml\n"
		  "(¥178 x 3 個 ) ¥534\n"
		  "ラップ 22cm\n"
		  "(¥180 x 2 個 ) ¥360\n"
		  "小計 ¥2,042\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 0), "レタス");
	cr_assert_eq(item_int(items, 2, "amount"), 534);
	cr_assert_eq(item_int(items, 2, "quantity"), 3);
	json_decref(o);
	/* "#" with a number after it still labels the receipt number */
	o = parse("2026/03/17 10:51\n# 3685\nのり弁当 ¥398\n小計 ¥398\n");
	cr_assert_str_eq(sval(o, "receipt_number"), "3685");
	cr_assert_eq(json_array_size(val(o, "items")), 1);
	json_decref(o);
}

Test(receipt_parse, summary_lines_are_not_items)
{
	/* 小計 read 小語 (the sum of the items above it), お買上小計 read
	 * 買上ーー: never items */
	json_t *o = parse("レシート\n"
			  "からあげレッド 288\n"
			  "長ねぎ 198\n"
			  "あじ開き 320\n"
			  "値引人へ 20\n"
			  "小語 786\n"
			  "買上ーー 786\n"
			  "合計 786\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 3), "値引");
	cr_assert_eq(item_int(items, 3, "amount"), -20);
	cr_assert(json_is_true(json_object_get(json_object_get(o, "checks"), "items_sum")));
	json_decref(o);
	/* a short product name that is not the sum stays */
	o = parse("レシート\nからあげ 288\n長ねぎ 198\nあじ開き 320\n大根 100\n合計 906\n");
	cr_assert_eq(json_array_size(val(o, "items")), 4);
	json_decref(o);
}

Test(receipt_parse, package_sizes_misread)
{
	json_t *o = parse("レシート\n"
			  "紅茶ミルク 509ml\n"
			  "2 コ × 180 円 360\n"
			  "烏龍茶 506mt 104\n"
			  "牛乳 1000mi 183\n"
			  "ビール 359ml 1,150\n"
			  "レモンサワー 599ml 170\n"
			  "醤油 590mU 298\n"
			  "天然水 1990ml 98\n" /* four digits: left as read */
			  "缶コーヒー 185g 120\n" /* a real size stays */
			  "レンズ 1009 300\n"	    /* not a size */
			  "小計 ¥2,217\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 9);
	cr_assert_str_eq(item_name(items, 0), "紅茶ミルク 500ml");
	cr_assert_str_eq(item_name(items, 1), "烏龍茶 500ml");
	cr_assert_str_eq(item_name(items, 2), "牛乳 1000ml");
	cr_assert_str_eq(item_name(items, 3), "ビール 350ml");
	cr_assert_str_eq(item_name(items, 4), "レモンサワー 500ml");
	cr_assert_str_eq(item_name(items, 5), "醤油 500ml");
	cr_assert_str_eq(item_name(items, 6), "天然水 1990ml");
	cr_assert_str_eq(item_name(items, 7), "缶コーヒー 185g");
	cr_assert_str_eq(item_name(items, 8), "レンズ 1009");
	json_decref(o);
	/* the first digit of a size read as a letter or mark; words that are
	 * no size stay */
	o = parse("レシート\n"
		  "砂糖 lkg ¥238\n"
		  "塩 Tkg ¥118\n"
		  "サイダー i.5L ¥158\n"
		  "炭酸水レモン $00ml ¥98\n"
		  "ケチャップ S00g ¥198\n"
		  "スパゲッティ 1lkg ¥398\n"
		  "麦茶 600m[ ¥128\n"
		  "Tシャツ ¥980\n"
		  "ノート Sサイズ ¥120\n"
		  "小計 ¥2,436\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 9);
	cr_assert_str_eq(item_name(items, 0), "砂糖 1kg");
	cr_assert_str_eq(item_name(items, 1), "塩 1kg");
	cr_assert_str_eq(item_name(items, 2), "サイダー 1.5L");
	cr_assert_str_eq(item_name(items, 3), "炭酸水レモン 500ml");
	cr_assert_str_eq(item_name(items, 4), "ケチャップ 500g");
	cr_assert_str_eq(item_name(items, 5), "スパゲッティ 1kg");
	cr_assert_str_eq(item_name(items, 6), "麦茶 600ml");
	cr_assert_str_eq(item_name(items, 7), "Tシャツ");
	cr_assert_str_eq(item_name(items, 8), "ノート Sサイズ");
	json_decref(o);
	/* a closing bracket glued before a name is a speck */
	o = parse("レシート\n】ミネラルウォーター 2L ¥98\n」ぶり切身 ¥398\n(半額) ¥-100\n小計 ¥396\n");
	items = val(o, "items");
	cr_assert_str_eq(item_name(items, 0), "ミネラルウォーター 2L");
	cr_assert_str_eq(item_name(items, 1), "ぶり切身");
	json_decref(o);
	/* the l of ml lost; a length in metres stays */
	o = parse("レシート\n"
		  "スポーツドリンク 500m ¥128\n"
		  "発泡酒 350m 6 缶 ¥1,080\n"
		  "ラップ 22cm 50m ¥198\n"
		  "ホース 10m ¥980\n"
		  "小計 ¥2,384\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 0), "スポーツドリンク 500ml");
	cr_assert_str_eq(item_name(items, 1), "発泡酒 350ml 6 缶");
	cr_assert_str_eq(item_name(items, 2), "ラップ 22cm 50m");
	cr_assert_str_eq(item_name(items, 3), "ホース 10m");
	json_decref(o);
}

Test(receipt_parse, stray_dollar_is_still_yen)
{
	json_t *o = parse("#$9 茶 500ml \\148\nお買上小計 \\2.350\n預り金 \\3.000\nお返し \\650\n");
	cr_assert_str_eq(sval(o, "currency"), "JPY");
	cr_assert_eq(ival(o, "subtotal"), 2350);
	json_decref(o);
	o = parse("SUBTOTAL $12.34\nTOTAL $13.33\nCASH $20.00\nCHANGE $6.67\n");
	cr_assert_str_eq(sval(o, "currency"), "USD");
	cr_assert_eq(ival(o, "total"), 1333);
	json_decref(o);
}

Test(receipt_parse, hostile_text)
{
	/* invalid UTF-8, NULs, huge lines, no structure: no crash, valid JSON */
	char buf[20000];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7919 % 256);
	json_t *o = NULL;
	cr_assert_eq(recam_receipt_parse_text(buf, sizeof(buf), &o), 0);
	char *s = json_dumps(o, 0);
	cr_assert_not_null(s);
	free(s);
	json_decref(o);
	o = parse("");
	cr_assert(json_is_null(json_object_get(o, "total")));
	json_decref(o);
}

Test(receipt_parse, edge_junk_and_misread_totals)
{
	/* the paper's edge read as "|", a speck as a lone letter, 合 as 台 */
	json_t *o = parse("| おにぎり ¥100\n小計 ¥100 |\n台計 ¥100\nお預かり 1,000 |\nお釣り 900 i\n");
	cr_assert_eq(ival(o, "total"), 100);
	cr_assert_geq(conf(o, "total"), 0.95);
	cr_assert_eq(ival(o, "tendered"), 1000);
	cr_assert_eq(ival(o, "change"), 900);
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "name")), "おにぎり");
	json_decref(o);
	/* the paper's edge after the amount, and a speck or two beyond it */
	o = parse("おにぎり 13,208\n小計 13,208 | 3\n合計 13.208 |』\nクレ ジッ ト 支 払 13.208 } :\n");
	cr_assert_eq(ival(o, "subtotal"), 13208);
	cr_assert_eq(ival(o, "total"), 13208);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* and after an amount that ends in its reduced-rate mark */
	o = parse("ケチャップ 500g 243※ | 3\nミックスナッツ \\559* | 半\n小計 ¥802\n");
	json_t *its = val(o, "items");
	cr_assert_eq(json_array_size(its), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(its, 0), "name")), "ケチャップ 500g");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(its, 0), "amount")), 243);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(its, 1), "amount")), 559);
	json_decref(o);
	o = parse("おにぎり 120 | 3 4\n"); /* more than a speck: not cut */
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(val(o, "items"), 0), "name")), "おにぎり 120 | 3");
	json_decref(o);
	/* a lone mark or digit after an amount is a speck at the paper's edge */
	o = parse("からあげ ¥680\n小計 3 点 ¥680 .\n合計 金額 ¥680 -\nお買上計 ¥680 3\nお預り ¥1,000 ‘\nお釣 ¥320 。\n");
	cr_assert_eq(ival(o, "subtotal"), 680);
	cr_assert_eq(ival(o, "total"), 680);
	cr_assert_eq(ival(o, "tendered"), 1000);
	cr_assert_eq(ival(o, "change"), 320);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* or after an amount grouped by commas */
	o = parse("胃腸薬 顆粒 1,438 3\n合計 1,438\nお預り 10,000 3\nお返し 8,562\n");
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 1438);
	cr_assert_eq(ival(o, "tendered"), 10000);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	o = parse("ハイボール 1,58 3\n"); /* not grouped as amounts are */
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 3);
	json_decref(o);
	o = parse("ハイボール 158 3\nおにぎり ¥12 3\n"); /* no yen mark, or too short to tell */
	cr_assert_eq(item_int(val(o, "items"), 0, "amount"), 3);
	cr_assert_eq(item_int(val(o, "items"), 1, "amount"), 3);
	json_decref(o);
	/* a card payment named 決済 is the amount paid */
	o = parse("小計 ¥300\n合計 ¥300\nコード決済 ¥300\n");
	cr_assert_eq(ival(o, "tendered"), 300);
	json_decref(o);
}

Test(receipt_parse, tax_with_its_leading_digit_lost)
{
	/* "給85": the 3 of 385 read as a kanji; the base gives it back, and the
	 * bases then agree with the total's other reading "6 396" */
	json_t *o = parse("赤ワイン ¥4,240\nグミ ¥2,156\n合計 金額 ¥6 396\n10% 対象 (内 税 給 85) 4,240\n"
			  "8% 対象 (内 税 159) 2,156\n");
	json_t *t = json_array_get(val(o, "tax"), 1);
	cr_assert_eq(json_integer_value(json_object_get(t, "tax")), 385);
	cr_assert_eq(ival(o, "total"), 6396);
	cr_assert_lt(conf(o, "total"), 0.9); /* the bases rest on a repaired tax */
	json_decref(o);
	/* a tax that is no tail of what its base gives stays as read */
	o = parse("合計 ¥4,240\n10% 対象 (内 税 給 84) 4,240\n");
	t = json_array_get(val(o, "tax"), 0);
	cr_assert_eq(json_integer_value(json_object_get(t, "tax")), 84);
	json_decref(o);
}

Test(receipt_parse, total_against_the_tax_bases)
{
	/* each base checked by its tax: a total line a digit or two off them
	 * was misread, and takes their sum (not as sure) */
	json_t *o = parse("合計 55680\n10% 対象 (内 税 414) 4,558\n8% 対象 (内 税 83) 1128\n");
	cr_assert_eq(ival(o, "total"), 5686);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* far from them: a rate line lost, perhaps; the line stays as read */
	o = parse("合計 9,870\n8% 対象 (内 税 83) 1128\n");
	cr_assert_eq(ival(o, "total"), 9870);
	cr_assert_lt(conf(o, "total"), 0.5);
	json_decref(o);
	/* a base line whose rate was not read (dev12 0053, a speck after it):
	 * the sum of the others lacks it and overrules nothing */
	o = parse("お買上合計 ¥23,059\n10% 対象 (内 税 \\259) 2,859\n対象 (内 税 1,496) ¥20,200 3\n");
	cr_assert_eq(ival(o, "total"), 23059);
	json_decref(o);
	/* the % of that line read as *: the rate is read, and both bases
	 * confirm the line */
	o = parse("お買上合計 ¥23,059\n10% 対象 (内 税 \\259) 2,859\n8* 対 象 (内 税 1,496) ¥20,200\n");
	cr_assert_eq(ival(o, "total"), 23059);
	cr_assert_geq(conf(o, "total"), 0.8);
	json_decref(o);
	/* a speck between the tax and the base ("(内 税 10) _140", dev11
	 * 0108): the base is still the larger amount, the tax the smaller */
	o = parse("| 3,821\n10% 対象 (内 税 334) 3681\n8% 対象 (内 税 10) _140\n現金 3,900\n");
	json_t *t = json_array_get(val(o, "tax"), 0);
	cr_assert_eq(json_integer_value(json_object_get(t, "base")), 140);
	cr_assert_eq(json_integer_value(json_object_get(t, "tax")), 10);
	cr_assert_eq(ival(o, "total"), 3821);
	json_decref(o);
}

Test(receipt_parse, exclusive_total_from_the_subtotal_and_taxes)
{
	/* 外税 and the total line unreadable (dev12 0172): the subtotal and
	 * the taxes under it add up to the total, never sure */
	const char *t = "お買上小計 18 点 5,804\n消費税等 (8%) 442\n外税 10% 27\nすっ 玩 上 合計 6。 ラ ァ ミ\n預り金 7,000\n";
	json_t *o = parse(t);
	cr_assert_eq(ival(o, "total"), 6273);
	cr_assert_leq(conf(o, "total"), 0.5);
	json_decref(o);
	/* less paid than that: something is missing, no total */
	o = parse("お買上小計 18 点 5,804\n消費税等 (8%) 442\n外税 10% 27\n預り金 6,000\n");
	cr_assert(json_is_null(json_object_get(o, "total")));
	json_decref(o);
}

Test(receipt_parse, tax_word_misread_beside_its_base)
{
	/* dev19 0195: 外税 read as 邊税 on the base's line and the total line
	 * lost. 69 is 10% of 698 (the base, misread), not its included tax
	 * (63): the tax is added, the total is 765, not sure (it was the
	 * subtotal 696, sure) */
	json_t *o = parse("カモメ屋\n枝豆\n2 点 X @348 \\696\n小計 ¥696\n10% 対 象 \\698 邊 税 \\69\n"
			  "短所 会 =< 商 すす TSS\n");
	cr_assert_eq(ival(o, "total"), 765);
	cr_assert_leq(conf(o, "total"), 0.5);
	json_t *tx = json_array_get(val(o, "tax"), 0);
	cr_assert_eq(json_integer_value(json_object_get(tx, "base")), 698);
	cr_assert_eq(json_integer_value(json_object_get(tx, "tax")), 69);
	cr_assert_str_eq(tax_kind(o, 0), "exclusive");
	json_decref(o);
	/* a base line whose 税 comes before its one amount stays a base */
	o = parse("牛乳 1,000\n小計 ¥1,000\n(税率10%対象 ¥1,000)\n合計 ¥1,000\n");
	tx = json_array_get(val(o, "tax"), 0);
	cr_assert_eq(json_integer_value(json_object_get(tx, "base")), 1000);
	cr_assert(json_is_null(json_object_get(tx, "tax")));
	cr_assert_eq(ival(o, "total"), 1000);
	json_decref(o);
}

Test(receipt_parse, exclusive_tax_by_its_rate_of_the_subtotal)
{
	/* dev16 0186: 外税8% read as 外科 8 族, the total line lost and the
	 * card payment 2,337 read as 2 357. 173 is 8% of 2,164 and the items
	 * add up to 2,164: the total is 2,337, not sure (it was taken as the
	 * subtotal, sure) */
	const char *items = "牛乳 500ml 220\n乳酸菌飲料 752\nシリアル チョコ 438\nじゃがいも 袋 228\n緑茶 2L 316\n柿の種 210\n";
	char t[512];
	snprintf(t, sizeof(t), "%s小計 10 点 2,164\n外科 8 族 173\nSN 2 プア\nカー ド 2 357\nお 釣り 0\n", items);
	json_t *o = parse(t);
	cr_assert_eq(ival(o, "total"), 2337);
	cr_assert_leq(conf(o, "total"), 0.7);
	json_t *tx = json_array_get(val(o, "tax"), 0);
	cr_assert_eq(json_integer_value(json_object_get(tx, "rate")), 8);
	cr_assert_eq(json_integer_value(json_object_get(tx, "tax")), 173);
	cr_assert_str_eq(tax_kind(o, 0), "exclusive");
	json_decref(o);
	/* 175 is no rate of 2,164 (173.12 rounded any way): no tax taken */
	snprintf(t, sizeof(t), "%s小計 10 点 2,164\n外科 8 族 175\nSN 2 プア\nカー ド 2 357\nお 釣り 0\n", items);
	o = parse(t);
	cr_assert_eq(json_array_size(val(o, "tax")), 0);
	cr_assert_neq(ival(o, "total"), 2339);
	json_decref(o);
	/* a second tax whose line was lost (10% of 442 under 3,846 = 3,404 +
	 * 442, dev16 0180): the payment stands, the taxes read do not add up */
	o = parse("冷凍うどん 3404\nみりん 442\n小計 16 点 3,846 円\n(10% 対象 442 円 )\nに Ss 相 44 円\n"
		  "8% 対象 3,404 円 外 税 272 円\n人 + 4,162 HH\n現金 4,162 円\nお 釣 0 円\n");
	cr_assert_eq(ival(o, "total"), 4162);
	json_decref(o);
}

Test(receipt_parse, slips_of_dotted_print_undone)
{
	/* ¥3,806 with its 0 read as 9 on the subtotal, the total and the amount
	 * tendered (5,000 as 5,090), so those three agree; the bases, each
	 * checked by its tax, say 3,806, and undoing one slip on each of the
	 * others makes all four agree */
	const char *t = "小計 3, 896\nお買上合計 3, 896\n(税率 8% 対象 2, 378)\n(内消費税等 176)\n"
			"(税率 10% 対象 1, 428)\n(内消費税等 129)\nお預り現計 5, 090\n釣銭 1, 194\n";
	json_t *o = parse(t);
	cr_assert_eq(ival(o, "total"), 3806);
	cr_assert_eq(ival(o, "subtotal"), 3806);
	cr_assert_eq(ival(o, "tendered"), 5000);
	cr_assert_lt(conf(o, "total"), 0.9); /* slips were undone to see it */
	json_decref(o);
	/* a slip the other way (3 read where 8 was printed) is undone too; 6
	 * for 0 on the total line, the tax 698 for 608 */
	o = parse("小計 7,919\nお買上合計 7,916\n(10% 対象 6,692 内消費税 698)\n(8% 対象 1,218 内消費税 90)\n");
	cr_assert_eq(ival(o, "total"), 7910);
	json_decref(o);
	/* the total line as read is what the bases give with 979 for 970 (its
	 * tax 88 fits 970): the bases do not overrule it */
	o = parse("合計 5, 730 円\n8% 対象 4,760 円\n内消費税等 352\n(10% 対象 979 円 内消費税 88 円)\n"
		  "現金 6,909 円\n釣銭 276 円\n");
	cr_assert_eq(ival(o, "total"), 5730);
	json_decref(o);
	/* no total line: the payment with 3,000 read as 3,900 and the bases */
	o = parse("(10% 対象 \\154 内消費税 \\14)\n(8% 対象 \\2,685 内消費税 \\198)\n預り金 ¥3, 900\nお釣り ¥161\n");
	cr_assert_eq(ival(o, "total"), 2839);
	json_decref(o);
	/* no line says the tax is included: tax added on top with its line
	 * lost looks like a slip, so none is undone (dev13 0158: ¥225 + 19) */
	o = parse("小計 225 円\n消費税等 (8%) 10 円\n(10% 対象 98 円)\nカード 244 円\nお釣り 0 円\n");
	cr_assert_neq(ival(o, "total"), 225);
	json_decref(o);
	/* readings apart by the tax read are tax added on top, not a slip */
	o = parse("小計 ¥6,838\n消費税等 (10%) ¥683\nお預り金 ¥8,000\nお釣り ¥479\n");
	cr_assert_eq(ival(o, "total"), 7521);
	json_decref(o);
	/* no total line: the subtotal and the card payment agree as read (with
	 * the same 0 read as 9, holdout 0220) and the items do not; the total
	 * they give is not sure */
	o = parse("おにぎり ¥5,000\nお茶 ¥668\nお買上小計 \\5,579\n内税 10% ¥506\nカード \\5,579\nお釣り \\0\n");
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* readings that no slip brings together stay as read, unsure */
	o = parse("小計 3,806\n合計 3,806\n(8% 対象 2,378 内税 176)\n(10% 対象 1,128 内税 102)\n");
	cr_assert_eq(ival(o, "total"), 3806);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* tax added on top: the subtotal + tax and the payment agree on 9,833
	 * against the total line, but 8,067 + 806 and 9,000 − 127 read with
	 * their 0s as 9 and 6 give the same (dev13 0021): the line stands */
	o = parse("小計 8, 967 円\n外税 10% 866 円\n合計 8, 873 円\nお預かり 9, 960 円\n釣銭 127 円\n");
	cr_assert_eq(ival(o, "total"), 8873);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* where no slip reaches the line, the two that agree still overrule it */
	o = parse("小計 8, 067 円\n外税 10% 806 円\n合計 8, 878 円\nお預かり 9, 000 円\n釣銭 127 円\n");
	cr_assert_eq(ival(o, "total"), 8873);
	json_decref(o);
}

Test(receipt_parse, items_against_a_subtotal_the_payment_confirms)
{
	/* the total line unreadable; tendered − change confirms the subtotal,
	 * and the items miss it by one 0 read as 9 (bench dev 0262) */
	json_t *o = parse("目薬マイルド ¥918\n麦茶 600ml ¥193\nポテトサラダ ¥271\n小計 ¥1,292\n合 言 † < 責\n"
			  "お預り ¥2,000\nお釣 ¥708\n");
	cr_assert_eq(ival(o, "total"), 1292);
	cr_assert_eq(item_int(val(o, "items"), 1, "amount"), 103);
	json_decref(o);
	/* the lines agree and only the items' sum differs (an item lost): no
	 * slip is undone and the total stays as sure as the lines make it
	 * (dev12 0131) */
	o = parse("ボディソープ 本体 3,950\nコットン 80枚 200\nゴミ袋 30L 386\n青汁 30包 1,158\n"
		  "リップクリーム 320\nレジ袋 L 4 攻\n小計 10点 6,018\n(税率8% 対象 1,158)\n(内消費税等 85)\n"
		  "(税率10% 対象 4,860)\n(内消費税等 441) 世\n");
	cr_assert_eq(ival(o, "total"), 6018);
	cr_assert_eq(item_int(val(o, "items"), 2, "amount"), 386);
	json_decref(o);
}

Test(receipt_parse, subtotal_as_the_total_with_tax_included)
{
	/* the total line unreadable, nothing confirms the subtotal; a tax line
	 * says 内: the subtotal stands in, unsure (dev12 0282) */
	json_t *o = parse("小計 ¥1315\n合計 ーー II\n(内消費税等 ¥105)\n");
	cr_assert_eq(ival(o, "total"), 1315);
	cr_assert_lt(conf(o, "total"), 0.6);
	json_decref(o);
	/* without it the tax may come on top: no total */
	o = parse("小計 ¥1315\n合計 ーー II\n消費税等 ¥105\n");
	cr_assert(json_is_null(json_object_get(o, "total")) || json_is_null(val(o, "total")));
	json_decref(o);
}

Test(receipt_parse, total_the_items_confirm_against_a_base)
{
	/* the items confirm the total line; the one base read (525 for 529,
	 * its tax 38 fitting both) does not overrule them (dev12 0022) */
	json_t *o = parse("おにぎり ¥529\nお買上合計 ¥529\n(8% 対象 \\525 内消費税 ¥38)\n");
	cr_assert_eq(ival(o, "total"), 529);
	json_decref(o);
	/* ¥ read as y: the 10% base is read, and the bases give the total
	 * whose label was lost (dev12 0109) */
	o = parse("人 計 ¥9,692 本\n10% 対象 (内税 Y589) y6,480\n8% 対象 (内税 \\237) ¥3,212\n");
	cr_assert_eq(ival(o, "total"), 9692);
	json_decref(o);
}

Test(receipt_parse, minus_that_was_a_speck)
{
	/* a speck before the yen mark read as a minus: the item is no discount
	 * when the sum says so; a worded discount keeps its sign */
	json_t *o = parse("ビール ¥500\n冷奴 -\\380\n小計 ¥880\n合計 ¥880\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 1), "amount")), 380);
	cr_assert(json_is_false(json_object_get(json_array_get(items, 1), "discount")));
	json_decref(o);
	o = parse("ビール ¥500\n値引 -\\50\n小計 ¥550\n");
	items = val(o, "items");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 1), "amount")), -50);
	json_decref(o);
}

Test(receipt_parse, phone_label_and_leading_zero_misread)
{
	char ph[16];
	float q;
	cr_assert(recam_parse_phone("TLO120-650-878", ph, &q)); /* the E lost, the colon read as O */
	cr_assert_str_eq(ph, "0120-650-878");
	cr_assert(recam_parse_phone("THLO422-95-2102", ph, &q));
	cr_assert_str_eq(ph, "0422-95-2102");
	cr_assert(recam_parse_phone("TEL:C50-2477-9935", ph, &q)); /* the 0 read as C or ( */
	cr_assert_str_eq(ph, "050-2477-9935");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_phone("Tel. (3-2987-4520", ph, &q));
	cr_assert_str_eq(ph, "03-2987-4520");
	cr_assert_not(recam_parse_phone("BOTTLE C50-2477-9935", ph, &q));
	json_t *o = parse("ローソン\nTLO120-650-878\n");
	cr_assert_str_eq(sval(o, "phone"), "0120-650-878");
	json_decref(o);
}

Test(receipt_parse, slip_variants)
{
	int64_t v[64];
	int s[64];
	/* 9 and 6 may be a 0, 3 an 8; a leading digit never becomes 0 */
	size_t n = recam_slip_variants(9603, 1, v, s, 64);
	cr_assert_eq(n, 3);
	cr_assert_eq(v[0], 9603);
	cr_assert_eq(s[0], 0);
	cr_assert_eq(v[1], 9003);
	cr_assert_eq(v[2], 9608);
	cr_assert_eq(s[2], 1);
	n = recam_slip_variants(9603, 2, v, s, 64); /* one slip first, then two */
	cr_assert_eq(n, 4);
	cr_assert_eq(v[2], 9608);
	cr_assert_eq(v[3], 9008);
	cr_assert_eq(s[3], 2);
	cr_assert_eq(recam_slip_variants(1, 2, v, s, 64), 1);
	cr_assert_eq(recam_slip_variants(0, 2, v, s, 64), 1);
	cr_assert_eq(recam_slip_variants(9999999, 2, v, s, 4), 4); /* never past cap */
	cr_assert(recam_slip_pair_reaches(8967, 866, 1, 8873));	  /* 8,067 + 806 */
	cr_assert(recam_slip_pair_reaches(9960, 127, -1, 8873));  /* 9,000 − 127 */
	cr_assert(recam_slip_pair_reaches(3896, 0, 1, 3806));	  /* one reading alone */
	cr_assert_not(recam_slip_pair_reaches(8967, 866, 1, 9843)); /* no slip adds 10 */
	cr_assert_not(recam_slip_pair_reaches(9000, 127, -1, 8883));
}

Test(receipt_parse, time_with_its_colon_misread_after_a_date)
{
	char t[6];
	float q;
	cr_assert(recam_parse_time("2027-06-25 13.42 [", t, &q));
	cr_assert_str_eq(t, "13:42");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_time("2025-06-24 10-56", t, &q));
	cr_assert_str_eq(t, "10:56");
	cr_assert(recam_parse_time("2026/11/20 14:35 レジ 01-23", t, &q)); /* a time read as such wins */
	cr_assert_str_eq(t, "14:35");
	cr_assert_not(recam_parse_time("商品 13.42", t, &q)); /* no date on the line: an amount */
	cr_assert_not(recam_parse_time("2025-06-24 25.42", t, &q));
}

Test(receipt_parse, time_read_with_the_dates_slashed_zeros)
{
	/* every 0 of the line read as 9: the date is repaired, so is the time
	 * (bench dev 0211, 0102) */
	json_t *o = parse("2926/93/23 19:43\n");
	cr_assert_str_eq(sval(o, "date"), "2026-03-23");
	cr_assert_str_eq(sval(o, "time"), "10:43");
	cr_assert_lt(conf(o, "time"), 0.7);
	json_decref(o);
	o = parse("令和9年19月9日19時25分\n");
	cr_assert_str_eq(sval(o, "time"), "10:25");
	json_decref(o);
	/* a 0 read right on the line, or a month printed without its 0: the
	 * time stands */
	o = parse("2026/93/23 19:43\n");
	cr_assert_str_eq(sval(o, "time"), "19:43");
	json_decref(o);
	o = parse("令和8年3月3日 17時49分\n");
	cr_assert_str_eq(sval(o, "time"), "17:49");
	json_decref(o);
}

Test(receipt_parse, card_label_with_a_voicing_mark_misread)
{
	/* "クレジッド" is the card payment: it confirms the total */
	json_t *o = parse("人 ハ 計 2 点 ¥674\n- 会 言 F F674\n8% 対象額 \\674\nクレ ジッ ド ¥674\n");
	cr_assert_eq(ival(o, "total"), 674);
	json_decref(o);
}

Test(receipt_parse, change_of_zero_misread)
{
	/* paid exactly, "お釣り ¥0" read as 9: the payment confirms the total
	 * line, and the bases one digit off (199 for 190) do not overrule it */
	const char *t = "お買上計 ¥3,206\n(10% 対象 \\199 内消費税 \\17)\n(8% 対象 \\3,016 内消費税 \\223)\n"
			"カード \\3,206\nお釣り \\9\n";
	json_t *o = parse(t);
	cr_assert_eq(ival(o, "total"), 3206);
	cr_assert_eq(ival(o, "change"), 0);
	json_decref(o);
	/* paid more than the total: the 9 is the change */
	o = parse("合計 ¥991\n現金 ¥1,000\nお釣り ¥9\n");
	cr_assert_eq(ival(o, "change"), 9);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
}

Test(receipt_parse, payment_lines_with_specks)
{
	/* a minus after the amount tendered and a glyph after the change are
	 * specks: the payment confirms the total the lines read, against
	 * an 8% base misread (bench dev 0038) */
	json_t *o = parse("レシート\n"
			  "乳酸菌飲料 * ¥158\n"
			  "お買上小計 12 点 ¥2,349\n"
			  "合計 ¥2,349\n"
			  "8% 対象 (内税 ¥173) ¥2,346\n"
			  "お預り金 ¥3,000-\n"
			  "お釣 ¥651 \"用\n");
	cr_assert_eq(ival(o, "tendered"), 3000);
	cr_assert_eq(ival(o, "change"), 651);
	cr_assert_eq(ival(o, "total"), 2349);
	cr_assert(json_is_true(json_object_get(json_object_get(o, "checks"), "payment")));
	json_decref(o);
	/* 外税, the total line lost, the subtotal and taxes paid exactly: the
	 * change "9" is ¥0 misread (bench dev 0259) */
	o = parse("レシート\nしめじ ¥1,728\n小計 14 点 ¥1,728\n外税 10% ¥94\n外税 8% ¥62\n現金 ¥1,884\n釣銭 ¥9\n");
	cr_assert_eq(ival(o, "change"), 0);
	cr_assert_eq(ival(o, "total"), 1884);
	json_decref(o);
	/* a unit after the number is no speck: no amount */
	o = parse("レシート\nしめじ ¥128\n合計 ¥128\nお預り ¥200\nお釣 ¥72 点\n");
	cr_assert(json_is_null(json_object_get(o, "change")));
	json_decref(o);
}

Test(receipt_parse, slashed_zero_shared_by_subtotal_and_total_is_not_sure)
{
	/* subtotal and total both read 9 for a slashed 0, the 8% base (its tax
	 * line unread) reads 0: the agreement of the two is no proof, and the
	 * slip goes one way (bench dev 0211) */
	json_t *o = parse("レシート\nしめじ ¥128\n小計 ¥4,249\n合計 ¥4,249\n8% 対象額 ¥4,240\n");
	cr_assert_eq(ival(o, "total"), 4240);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* the same photo: the total line "¥ 4 249", the amount tendered 5,000
	 * read 5,009, its change 760 */
	o = parse("レシート\nしめじ ¥128\n小計 ¥4, 249\n会計 ¥ 4 249\n8% 対象額 ¥4, 240\n"
		  "お預り現計 ¥5, 009\nお釣り ¥760\n");
	cr_assert_eq(ival(o, "total"), 4240);
	cr_assert_eq(ival(o, "tendered"), 5000);
	json_decref(o);
	/* a base that differs otherwise is no sign of it */
	o = parse("レシート\nしめじ ¥128\n小計 ¥4,249\n合計 ¥4,249\n8% 対象額 ¥4,241\n");
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
}

Test(receipt_parse, total_repaired_by_the_arithmetic)
{
	/* "9 489": the comma read as a space; the subtotal confirms 9489 */
	json_t *o = parse("小計 9,489\n合計 9 489\n");
	cr_assert_eq(ival(o, "total"), 9489);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* without a second reading it stays 489, and unsure */
	o = parse("合計 9 489\n");
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* 0 read as 6 in the total: tendered − change and the subtotal agree on 2330 */
	o = parse("小計 ¥2,330\n御会計 ¥2,336\nお預り ¥3,000\n釣銭 ¥670\n");
	cr_assert_eq(ival(o, "total"), 2330);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* only one other reading: the 6 is undone (a slip of dotted print goes
	 * from 0 to 6, not back), but the total is not sure */
	o = parse("御会計 ¥2,336\nお預り ¥3,000\n釣銭 ¥670\n");
	cr_assert_eq(ival(o, "total"), 2330);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* no line says the tax is included, and the two readings are 9% apart:
	 * tax added on top with its line lost may be why, so no slip is undone */
	o = parse("小計 ¥1,000\n合計 ¥1,090\n");
	cr_assert_eq(ival(o, "total"), 1090);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* no total line: the subtotal the items confirm, but not "sure" */
	o = parse("おにぎり ¥100\nお茶 ¥200\n小計 ¥300\n(内消費税等 ¥22)\n");
	cr_assert_eq(ival(o, "total"), 300);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
}

Test(receipt_parse, other_readings_of_the_total)
{
	/* 計 split in two glyphs */
	json_t *o = parse("小計 ¥1,941\n会言十 ¥1,941\n");
	cr_assert_eq(ival(o, "total"), 1941);
	json_decref(o);
	/* a card payment (no change line) and the subtotal agree against the total line */
	o = parse("小計 18点 ¥4,242\n合計人金宮 YY34,242\nクレジット ¥4,242\n");
	cr_assert_eq(ival(o, "total"), 4242);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* paid by card, total line unreadable: the card amount, sure when the subtotal agrees */
	o = parse("お買上小計 85点 ¥21,484\nBt F21454\nバーコード決済 ¥21,484\n");
	cr_assert_eq(ival(o, "total"), 21484);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* with tax included, the bases add up to the total; the tax lines below
	 * each base show the inclusive arithmetic (12199·8/108 = 903) */
	o = parse("小計 59点 13,268\n和昌 + 13,2685\n8%対象 12,199\n内消費税等 903\n10%対象 1,069\n内消費税等 97\n");
	cr_assert_eq(ival(o, "total"), 13268);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_t *tax = val(o, "tax");
	cr_assert_eq(json_array_size(tax), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(tax, 0), "tax")), 903);
	json_decref(o);
	/* the tax printed before the base; the payment and the bases repair the total */
	o = parse("合計 \\4,366\n10%対象 (内税 \\336) ¥3,704\n8%対象 (内税 \\44) \\602\nバーコード決済 ¥4,306\nお釣り ¥0\n");
	cr_assert_eq(ival(o, "total"), 4306);
	cr_assert_geq(conf(o, "total"), 0.9);
	cr_assert_eq(ival(o, "subtotal"), 4306);
	cr_assert_lt(conf(o, "subtotal"), 0.9);
	json_decref(o);
	/* exclusive bases are not the total: without the tax lines nothing
	 * says which kind they are, so they confirm nothing */
	o = parse("小計 ¥1,000\n(8%対象 ¥1,000)\n");
	cr_assert(json_is_null(json_object_get(o, "total")));
	json_decref(o);
	/* with the 外税 line, the subtotal and the tax add up to the total
	 * (exclusive_total_from_the_subtotal_and_taxes), never sure */
	o = parse("小計 ¥1,000\n(8%対象 ¥1,000)\n外税 ¥80\n");
	cr_assert_eq(ival(o, "total"), 1080);
	cr_assert_leq(conf(o, "total"), 0.5);
	json_decref(o);
	/* no total label read: the line of the totals block that is the
	 * subtotal + tax, not sure while the payment lines disagree */
	o = parse("小計 6点 4,237 円\n外税 19% 64 円\n消費税等 (8%) 287 円\nお会財 4,588 円\n現金 5,006 円\nお釣り 412 円\n");
	cr_assert_eq(ival(o, "total"), 4588);
	cr_assert_leq(conf(o, "total"), 0.5);
	json_decref(o);
	/* the labels of 小計 and お預かり lost: the line above the change line is
	 * the amount tendered, the total comes from the payment, unsure, and
	 * neither line is an item */
	o = parse("シュークリーム ¥168\nぶり切身 ¥1,164\n3 小 術 ¥1,332\n才 了 擦 かり ¥2,000\nお つり ¥668\n");
	cr_assert_eq(ival(o, "total"), 1332);
	cr_assert_lt(conf(o, "total"), 0.9);
	cr_assert_eq(ival(o, "tendered"), 2000);
	cr_assert_eq(json_array_size(val(o, "items")), 2);
	json_decref(o);
	/* round thousands alone: tendered, the total from the payment, unsure */
	o = parse("シュークリーム ¥168\nぶり切身 ¥1,164\n3 小 術\n才 了 擦 かり ¥2,000\nお つり ¥668\n");
	cr_assert_eq(ival(o, "tendered"), 2000);
	cr_assert_eq(ival(o, "total"), 1332);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* not round, but tendered − change is the subtotal, and the total line a
	 * garble (dev12 0275); 釣 starting the line is the change (dev13 0024) */
	o = parse("シュークリーム ¥168\nぶり切身 ¥1,164\n小計 ¥1,332\na to,.332\n環 金 ¥1,400\n釣 作 ¥68\n");
	cr_assert_eq(ival(o, "tendered"), 1400);
	cr_assert_eq(ival(o, "change"), 68);
	cr_assert_eq(ival(o, "total"), 1332);
	cr_assert_eq(json_array_size(val(o, "items")), 2);
	json_decref(o);
	/* with no items sum behind the subtotal, the total so found is unsure */
	o = parse("シュークリーム ¥168\n小計 ¥1,332\na to,.332\n環 金 ¥1,400\n釣 作 ¥68\n");
	cr_assert_eq(ival(o, "total"), 1332);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* nor the subtotal: not tendered */
	o = parse("シュークリーム ¥168\nぶり切身 ¥1,164\n小計 ¥1,332\n環 金 ¥1,450\nお釣り ¥68\n");
	cr_assert(json_is_null(json_object_get(o, "tendered")));
	json_decref(o);
	/* a yen total of one digit that nothing confirms lost its other digits */
	o = parse("ライス\n枝豆\n小計 9 点\n合計 3\nお預り\n");
	cr_assert_eq(ival(o, "total"), 3);
	cr_assert_leq(conf(o, "total"), 0.4);
	json_decref(o);
	/* an item above the change line is not the amount tendered */
	o = parse("シュークリーム ¥168\nぶり切身 ¥1,164\nお つり ¥668\n");
	cr_assert(json_is_null(json_object_get(o, "tendered")));
	cr_assert_eq(json_array_size(val(o, "items")), 2);
	json_decref(o);
}

Test(receipt_parse, shared_misread_and_exact_cash)
{
	/* "7,717" read as "717" on the subtotal and the total line alike; the
	 * card payment and the bases (checked by their tax) agree on 7717 */
	json_t *o = parse("小計 717 円\n合計 717 円\n8% 対象 5,341 円\n内消費税等 395 円\n10% 対象 2,376 円\n"
			  "内消費税等 216 円\nコード決済 7717 円\n");
	cr_assert_eq(ival(o, "total"), 7717);
	cr_assert_lt(conf(o, "total"), 0.9);
	cr_assert_eq(ival(o, "subtotal"), 7717);
	cr_assert_lt(conf(o, "subtotal"), 0.9);
	json_decref(o);
	/* the card line shares the misread too: three lines agree, but the
	 * bases (checked by their tax) do not, so the total is not sure */
	o = parse("小計 717 円\n合計 717 円\n8% 対象 5,341 円\n内消費税等 395 円\n10% 対象 2,376 円\n"
		  "内消費税等 216 円\nコード決済 717 円\n");
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* an amount far from the others is not taken for a misread */
	o = parse("小計 500 円\n合計 500 円\n8% 対象 5,341 円\n内消費税等 395 円\n10% 対象 2,376 円\n"
		  "内消費税等 216 円\nコード決済 7717 円\n");
	cr_assert_eq(ival(o, "total"), 500);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* total line unreadable, cash paid exactly with no change line: the
	 * amount paid and the bases agree */
	o = parse("お買上小計 3点 ¥985\nds 上革言革 ¥98E\n(税率8%対象 ¥986)\n(内消費税等 ¥73)\nお預り金 ¥986\n");
	cr_assert_eq(ival(o, "total"), 986);
	cr_assert_eq(ival(o, "subtotal"), 986);
	json_decref(o);
	/* cash paid beyond the total is no reading of it */
	o = parse("お買上小計 3点 ¥985\n(税率8%対象 ¥986)\n(内消費税等 ¥73)\nお預り金 ¥1,000\n");
	cr_assert(json_is_null(json_object_get(o, "total")));
	json_decref(o);
}

Test(receipt_parse, specks_after_a_yen_amount)
{
	/* one to three letters or quotes after a yen amount are specks (dev
	 * photos: "¥355 BE", "¥590 \"WW", "¥1,018 Bp"); the amount is taken,
	 * marked repaired */
	recam_pamount a;
	cr_assert(recam_parse_trailing_amount("パックごはん 3食 ¥355 BE", 0, &a));
	cr_assert_eq(a.value, 355);
	cr_assert(a.repaired);
	cr_assert(recam_parse_trailing_amount("梅酒ロック ; ¥590 \"WW", 0, &a));
	cr_assert_eq(a.value, 590);
	cr_assert(recam_parse_trailing_amount("メイク落とし オイル \\1,018 Bp", 0, &a));
	cr_assert_eq(a.value, 1018);
	/* not without the yen mark, nor a longer word, nor a minus */
	cr_assert_not(recam_parse_trailing_amount("ノート A5 128 sk", 0, &a));
	cr_assert_not(recam_parse_trailing_amount("合計 ¥590 Cash", 0, &a));
	cr_assert_not(recam_parse_trailing_amount("値引 -¥50 AB", 0, &a));
}

Test(receipt_parse, leading_digits_lost_to_a_colon)
{
	recam_pamount a;
	cr_assert(recam_parse_trailing_amount("クレジット ¥: 990", 0, &a));
	cr_assert(a.lost_lead);
	cr_assert_eq(a.value, 990);
	cr_assert(recam_parse_trailing_amount("小 \\:990", 0, &a));
	cr_assert(a.lost_lead);
	cr_assert(recam_parse_trailing_amount("合計 ¥3,990", 0, &a));
	cr_assert_not(a.lost_lead);
	cr_assert_not(recam_parse_trailing_amount("No:990", 0, &a));
	/* ¥3,990 read "¥: 990" on the subtotal, the 8% base and the card line:
	 * the base is the one ending in 366 whose tax is 249 (3,366), the bases
	 * add up to 3,990, and the card amount ends in 990; not sure, as the
	 * card's reading was completed from the bases */
	json_t *o = parse("小 \\: 990\n8% 対象 _\\: 366\n内消費税等 249\n10% 対象 \"624\n内消費税等 £56\n"
			  "クレジット ¥: 990\nお釣り \\0\n");
	cr_assert_eq(ival(o, "total"), 3990);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_t *tax = val(o, "tax");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(tax, 0), "base")), 3366);
	json_decref(o);
	/* nothing to complete it from: no reading at all, rather than 990 */
	o = parse("クレジット ¥: 990\n");
	cr_assert(json_is_null(json_object_get(o, "total")));
	cr_assert(json_is_null(json_object_get(o, "tendered")));
	json_decref(o);
}

Test(receipt_parse, subtotal_from_the_total)
{
	/* only 合計 printed, tax included: the subtotal is the total */
	json_t *o = parse("合計 ¥5,848\n10%対象 ¥5,204\n8%対象 ¥644\n");
	cr_assert_eq(ival(o, "subtotal"), 5848);
	cr_assert_lt(conf(o, "subtotal"), 0.9);
	json_decref(o);
	/* not with tax added */
	o = parse("合計 ¥1,080\n外税 8% ¥80\n");
	cr_assert(json_is_null(json_object_get(o, "subtotal")));
	json_decref(o);
	/* a subtotal one digit off a confirmed total */
	o = parse("お買上小計 3点 ¥985\nお買上合計 ¥986\nお預り ¥1,000\nお釣り ¥14\n");
	cr_assert_eq(ival(o, "subtotal"), 986);
	cr_assert_lt(conf(o, "subtotal"), 0.9);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* but not across a discount */
	o = parse("小計 ¥1,000\n割引 -¥100\n合計 ¥900\nお預り ¥1,000\nお釣り ¥100\n");
	cr_assert_eq(ival(o, "subtotal"), 1000);
	json_decref(o);
}

Test(receipt_parse, base_and_tax_with_the_base_word_lost)
{
	/* 対象 misread on a line with its rate, the tax in brackets and the
	 * base after it: still the base and its tax, so the bases add up to the
	 * total that was not read */
	json_t *o = parse("人 S 門 ヒ る s+ 1,76a\n10% 潜 象 (内 税 94) 1,040\n8% 対 象 (内 税 53) 724\nお 預 かり 5,000\n");
	json_t *tax = val(o, "tax");
	cr_assert_eq(json_array_size(tax), 2);
	json_t *t8 = json_array_get(tax, 0), *t10 = json_array_get(tax, 1);
	cr_assert_eq(json_integer_value(json_object_get(t10, "base")), 1040);
	cr_assert_eq(json_integer_value(json_object_get(t10, "tax")), 94);
	cr_assert_eq(json_integer_value(json_object_get(t8, "base")), 724);
	cr_assert_eq(ival(o, "total"), 1764);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* the rate itself misread: the tax that fits one rate tells it */
	o = parse("お買上小計 ¥728\n| Fe (内 税 \\53) ¥728\nお 釣り i\n");
	tax = val(o, "tax");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(tax, 0), "rate")), 8);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(tax, 0), "base")), 728);
	cr_assert_eq(ival(o, "total"), 728);
	json_decref(o);
	o = parse("お買上小計 ¥728\n| Fe (内 税 \\40) ¥728\n"); /* fits neither rate: none is made up */
	cr_assert(json_is_null(json_object_get(json_array_get(val(o, "tax"), 0), "rate")));
	cr_assert_eq(ival(o, "total"), 728); /* the subtotal, with 内税 said, unsure */
	cr_assert_lt(conf(o, "total"), 0.6);
	json_decref(o);
	/* a tax line with only its rate and one amount stays a tax line */
	o = parse("合計 ¥1,080\n外税 8% ¥80\n");
	tax = val(o, "tax");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(tax, 0), "tax")), 80);
	cr_assert(json_is_null(json_object_get(json_array_get(tax, 0), "base")));
	json_decref(o);
}

Test(receipt_parse, specks_at_the_paper_edges)
{
	/* a column of specks after the amounts (three lines or more) is cut */
	json_t *o = parse("サン ドイ ッ チ カツ \\262※ 剛\nレモ ン サ ワー 500ml ¥170 :\nか ら あ げ 5 個 入 \\278※ 用\n"
			  "値 引 -\\30 1\n小計 3 点 ¥680 .\n合計 ¥680 ‘\nお預り ¥1,000 2\nお釣り ¥320 刈\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 0), "サンドイッチカツ");
	cr_assert_eq(item_int(items, 0, "amount"), 262);
	cr_assert(json_is_true(json_object_get(json_array_get(items, 0), "reduced")));
	cr_assert_eq(item_int(items, 3, "amount"), -30);
	cr_assert_eq(ival(o, "total"), 680);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* one such line is not a column; units stay */
	o = parse("おにぎり 鮭 ¥150 剛\nお茶 500ml ¥120 :\n合計 ¥270\n");
	json_t *lines = json_object_get(o, "lines");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(lines, 0), "normalized")), "おにぎり鮭 ¥150 剛");
	json_decref(o);
	o = parse("牛乳 1,000 円\n食パン 2,000 円\n米 5kg 3,000 円\n合計 6,000 円\n");
	cr_assert_eq(ival(o, "total"), 6000);
	cr_assert_eq(json_array_size(val(o, "items")), 3);
	json_decref(o);
	/* a speck of table, then the paper's edge, before the name; a speck read
	 * as 計 before an item is not the total line */
	o = parse("陸 | 軽 シュークリーム ¥280\n計 軽 即席 みそ 汁 ¥298\n小計 ¥578\n合 計 ¥578\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_str_eq(item_name(items, 0), "シュークリーム");
	cr_assert_eq(ival(o, "total"), 578);
	json_decref(o);
	/* a speck read as "<", ":" or "。" before a name */
	o = parse("< ほうじ茶 2L ¥158\n: スポーツドリンク 2L ¥198\n。 カップ麺 ¥120\n合計 ¥476\n");
	items = val(o, "items");
	cr_assert_eq(json_array_size(items), 3);
	cr_assert_str_eq(item_name(items, 0), "ほうじ茶 2L");
	cr_assert_str_eq(item_name(items, 1), "スポーツドリンク 2L");
	cr_assert_str_eq(item_name(items, 2), "カップ麺");
	json_decref(o);
	o = parse("おにぎり ¥578\n計 ¥578\n"); /* 合 lost: still the total */
	cr_assert_eq(ival(o, "total"), 578);
	json_decref(o);
}

/* The items confirm the subtotal and the total line and the tax base share
 * a misread (0 read as 6 on both; dev8 0039, ¥810): with the slip undone
 * all four agree, but the total is not sure. */
Test(receipt_parse, total_against_a_subtotal_the_items_confirm)
{
	static const char head[] = "食パン 6枚切 3 810円\n小計 810円\n合計 816円\n(8%対象 816円 内消費税 60円)\n";
	json_t *o = parse(head);
	cr_assert_eq(ival(o, "total"), 810);
	cr_assert_lt(conf(o, "total"), 0.9);
	cr_assert_eq(ival(o, "subtotal"), 810);
	json_decref(o);
	/* the payment confirming the total: sure */
	o = parse("食パン 6枚切 3 810円\n小計 810円\n合計 816円\n(8%対象 816円 内消費税 60円)\n"
		  "預り金 1,000円\nおつり 184円\n");
	cr_assert_eq(ival(o, "total"), 816);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* a discount between them explains the gap: sure */
	o = parse("食パン 6枚切 3 900円\n小計 900円\n値引 -90円\n合計 810円\n(8%対象 810円 内消費税 60円)\n");
	cr_assert_eq(ival(o, "total"), 810);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
}

/* dev8: an hour with its 0 read as 9 ("98:45", "99:11" is 09:11) and an
 * hour of 1s read as letters after a date ("ll:31"): never sure. */
Test(receipt_parse, time_with_an_hour_misread)
{
	char t[6];
	float q;
	cr_assert(recam_parse_time("R8.8.9 98:45", t, &q));
	cr_assert_str_eq(t, "08:45");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_time("2026/05/02 99:11", t, &q));
	cr_assert_str_eq(t, "09:11");
	cr_assert(recam_parse_time("2027-10-21 29:56", t, &q)); /* 20 with its 0 read as 9, or 6 */
	cr_assert_str_eq(t, "20:56");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_time("2027/04/05 26:35", t, &q));
	cr_assert_str_eq(t, "20:35");
	cr_assert(recam_parse_time("2026/94/19( 日 ) 12:64", t, &q)); /* minutes: 0 read as 6 */
	cr_assert_str_eq(t, "12:04");
	cr_assert_not(recam_parse_time("2027/04/05 27:35", t, &q));
	/* the colon lost, after a date: four digits last on the line, or two
	 * words of two after the weekday; the year is no time */
	cr_assert(recam_parse_time("2026-06-20 1343", t, &q));
	cr_assert_str_eq(t, "13:43");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_time("軒 中 2025 年 2 月 3 日 ( 木 ) 17 15", t, &q));
	cr_assert_str_eq(t, "17:15");
	cr_assert_not(recam_parse_time("12 月 3 日 2025", t, &q));
	cr_assert_not(recam_parse_time("2025/12/03 1375", t, &q));
	cr_assert_not(recam_parse_time("2025 年 12 月 3 日 17 15", t, &q));
	cr_assert(recam_parse_time("2926-99-64 98:91 レジ 9019", t, &q));
	cr_assert_str_eq(t, "08:01");
	cr_assert(recam_parse_time("2025 年 11 月 09 日 ll:31 |", t, &q));
	cr_assert_str_eq(t, "11:31");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_time("2025/11/09 1l:31", t, &q));
	cr_assert_str_eq(t, "11:31");
	cr_assert_not(recam_parse_time("Il:31", t, &q));	   /* no date on the line */
	cr_assert_not(recam_parse_time("2025/11/09 lll:31", t, &q)); /* three glyphs: no hour */
	cr_assert_not(recam_parse_time("2025/11/09 37:15", t, &q));
	/* a line of hostile length is left alone, not cut */
	char big[600];
	memset(big, 'l', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_not(recam_parse_time(big, t, &q));
}

/* No total line read (合計 as "ト 計"), bases too small to tell inclusive
 * from exclusive arithmetic (160·8/108 = 11, 160·8/100 = 12), and the
 * lines saying 内税 (dev8 0014): the bases give the total, unsure. */
Test(receipt_parse, total_from_bases_the_lines_call_inclusive)
{
	json_t *o = parse("ト 計 \\307 _\n8% 対 象 (内 税 \\11) ¥160\n10% 対 象 \\147\n内 消費 税 \\13\n");
	cr_assert_eq(ival(o, "total"), 307);
	cr_assert_lt(conf(o, "total"), 0.9);
	json_decref(o);
	/* without 内税 the arithmetic alone cannot tell: no total */
	o = parse("ト 計 \\307 _\n8% 対 象 ¥160 税 \\11\n10% 対 象 \\147 税 \\13\n");
	cr_assert(json_is_null(json_object_get(o, "total")));
	json_decref(o);
	/* a total line read is not contradicted by one rate's small base */
	o = parse("合計 ¥558\n8%対象 ¥190 (内税 ¥14)\nお預り ¥1,000\nお釣り ¥442\n");
	cr_assert_eq(ival(o, "total"), 558);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
}

/* The change label with a small kana read inside, its つ doubled, or its
 * つ read as う (dev8 0096, dev21 0052: the total line unreadable, the
 * payment gives it). */
Test(receipt_parse, change_label_misread)
{
	static const char *const labels[] = {"お っ つり", "お つっ つり", "お ぉつり", "お うり", NULL};
	for (const char *const *l = labels; *l; l++) {
		char text[256];
		snprintf(text, sizeof(text), "お 買上 合計 G 。 5 ユア\nお 預り 金 10,000\n%s 3,483\n", *l);
		json_t *o = parse(text);
		cr_assert_eq(ival(o, "change"), 3483, "%s", *l);
		cr_assert_eq(ival(o, "total"), 6517, "%s", *l);
		cr_assert_lt(conf(o, "total"), 0.9);
		json_decref(o);
	}
	/* お and つ in an item's name are no change label */
	json_t *o = parse("おつまみ 柿の種 ¥298\nおっとっと ¥120\n合計 ¥418\n");
	cr_assert(json_is_null(json_object_get(o, "change")));
	cr_assert_eq(json_array_size(val(o, "items")), 2);
	json_decref(o);
}

/* A 和 the recognizer reads of its own after ※ or *, set apart by spaces
 * (tuning corpora: 10 items, none right with it); 和風 and a 和 glued to
 * the next glyph stay. */
Test(receipt_parse, wa_after_a_reduced_mark)
{
	static const struct { const char *in, *out; } cases[] = {
		{"※ 和 牛乳 500ml ¥178", "※ 牛乳 500ml ¥178"},
		{"11* 和 牛乳 500ml 198", "11* 牛乳 500ml 198"},
		{"※ 和 缶 コ ー ヒ ー ブレ ンド \\108", "※ 缶 コ ー ヒ ー ブレ ンド \\108"},
		{"※ 和 和風 ド レッ シン グ ¥293", "※ 和風 ド レッ シン グ ¥293"},
		{"※ 和 風 ド レッ シン グ ¥293", NULL},	 /* 和風 spaced */
		{"※ 和牛 ロース ¥980", NULL},		 /* glued: a word */
		{"和 牛乳 500ml ¥178", NULL},		 /* no mark */
		{"※ 和 500ml ¥178", NULL},		 /* nothing to name after it */
		{"※ 和 ", NULL},
		{"※ 和", NULL},
		{"*", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[128];
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		size_t cut = recam_parse_wa_after_mark(buf);
		cr_assert_str_eq(buf, cases[i].out ? cases[i].out : cases[i].in, "%s", cases[i].in);
		cr_assert_eq(cut, cases[i].out ? 4u : 0u, "%s", cases[i].in);
	}
	json_t *o = parse("※ 和 牛乳 500ml ¥178\n※ 和 和風 ドレッシング ¥293\n合計 ¥471\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "name")), "牛乳 500ml");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 1), "name")), "和風ドレッシング");
	json_decref(o);
}

/* dev9: one letter glued before the era ("MR9.8.12" is 令和9年): unsure;
 * a word before it is no speck. */
Test(receipt_parse, era_with_a_speck_glued_before_it)
{
	char d[11];
	float q;
	cr_assert(recam_parse_date("MR9.8.12 18:14", d, &q));
	cr_assert_str_eq(d, "2027-08-12");
	cr_assert_lt(q, 0.9f);
	cr_assert(recam_parse_date("R9.8.12 18:14", d, &q));
	cr_assert_geq(q, 0.9f);
	cr_assert_not(recam_parse_date("BAR9.8.12", d, &q));
	cr_assert_not(recam_parse_date("MR", d, &q));
	cr_assert_not(recam_parse_date("M", d, &q));
}

/* dev9: お預り現計 with 預 misread is the payment, not the total; the
 * title お会計明細 is no total line. */
Test(receipt_parse, tendered_genkei_and_the_bill_title)
{
	json_t *o = parse("お 会 計 明 細 1\nナポリタン ¥770\n合計 ¥770\nお 茸 り 現 計 ¥1,000\nお釣り ¥230\n");
	cr_assert_eq(ival(o, "total"), 770);
	cr_assert_geq(conf(o, "total"), 0.9);
	cr_assert_eq(ival(o, "tendered"), 1000);
	json_decref(o);
	/* 現計 alone is the total */
	o = parse("現計 ¥5,283\nお預り ¥6,000\nお釣り ¥717\n");
	cr_assert_eq(ival(o, "total"), 5283);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
}

/* dev9: HH:MM:SS with the seconds' colon lost, on a date's line (0.8). */
Test(receipt_parse, time_with_the_seconds_colon_lost)
{
	char t[6];
	float q;
	cr_assert(recam_parse_time("2027.07.27 15:5751", t, &q));
	cr_assert_str_eq(t, "15:57");
	cr_assert_lt(q, 0.9f);
	cr_assert_not(recam_parse_time("15:5751", t, &q));		/* no date on the line */
	cr_assert_not(recam_parse_time("2027.07.27 15:5799", t, &q)); /* no such seconds */
	cr_assert_not(recam_parse_time("2027.07.27 15:57519", t, &q));
	cr_assert(recam_parse_time("2027.07.27 15:57:51", t, &q));
	cr_assert_geq(q, 0.9f);
}

/* dev9: TEL with its T misread ("jEL") and the 0 read as 9. */
Test(receipt_parse, phone_label_with_its_t_misread)
{
	json_t *o = parse("まるやま商店\njEL96-6717-1059\n2027. 03.13 20:32:07\n");
	cr_assert_str_eq(sval(o, "phone"), "06-6717-1059");
	cr_assert_lt(conf(o, "phone"), 0.9);
	json_decref(o);
	o = parse("j\njE\njEL\n");
	cr_assert(json_is_null(json_object_get(o, "phone")));
	json_decref(o);
}

/* dev9: 数量 misread on the unit-price line ("単価 218 まま 3 ¥654"): the
 * count times the unit price gives the amount, so it is the quantity line
 * of the name above; with no count the amount gives it. */
Test(receipt_parse, unit_price_line_with_its_count_label_misread)
{
	json_t *o = parse("ゆずのど飴\n単価 218 まま 3 ¥654\nポップコーン バター醤油\n単価 128 をまき ¥256\n合計 ¥910\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 2);
	json_t *a = json_array_get(items, 0), *b = json_array_get(items, 1);
	cr_assert_str_eq(json_string_value(json_object_get(a, "name")), "ゆずのど飴");
	cr_assert_eq(json_integer_value(json_object_get(a, "quantity")), 3);
	cr_assert_eq(json_integer_value(json_object_get(a, "amount")), 654);
	cr_assert_str_eq(json_string_value(json_object_get(b, "name")), "ポップコーンバター醤油");
	cr_assert_eq(json_integer_value(json_object_get(b, "quantity")), 2);
	json_decref(o);
	/* a count that does not give the amount: not a quantity line */
	int64_t q, u;
	cr_assert_not(recam_parse_qty("単価 218 まま 4 ¥654", 0, &q, &u));
	cr_assert_not(recam_parse_qty("単価 2 フ 29 っまは 5 ¥1,460", 0, &q, &u));
	cr_assert_not(recam_parse_qty("単価", 0, &q, &u));
	cr_assert_not(recam_parse_qty("単価 218", 0, &q, &u));
}

/* A speck glyph before a department code: cut with the code; a one-glyph
 * name before a count stays ("卵 10 個入"). */
Test(receipt_parse, speck_before_a_department_code)
{
	json_t *o = parse("1 03 冷凍ブロッコリー ¥480\n上 09 大福 こしあん ¥296\n卵 10 個入 ¥288\n卵 10 玉 ¥300\n合計 ¥1,364\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	static const char *const want[] = {"冷凍ブロッコリー", "大福こしあん", "卵 10 個入", "卵 10 玉"};
	for (size_t i = 0; i < 4; i++)
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, i), "name")), want[i]);
	json_decref(o);
}

/* A small kana read for its full-size twin at the start of a name
 * ("ョーグルト"): made full-size when that begins a word; a small kana
 * that begins none is still dropped ("ォプロテイン"). */
Test(receipt_parse, small_kana_starting_a_name)
{
	json_t *o = parse("ョ ー グ ルト プレ ー ン \\201\nァイスバー ソーダ ¥94\nォプロテイン ¥298\nョ ¥5\n合計 ¥598\n");
	json_t *items = val(o, "items");
	static const char *const want[] = {"ヨーグルトプレーン", "アイスバーソーダ", "プロテイン"};
	for (size_t i = 0; i < 3; i++)
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, i), "name")), want[i]);
	json_decref(o);
}

/* 合 of 合計 misread as 含, 全 or 人 (its top), お買上計 with 買
 * misread, 現計 with 現 read as two glyphs ending in 見 (dev21 0052): the
 * total line. */
Test(receipt_parse, total_label_with_its_first_glyph_misread)
{
	static const char *const labels[] = {"含計", "全 計", "人 計", "お 坊 上 計上", "斑 見 言 十", NULL};
	for (const char *const *l = labels; *l; l++) {
		char text[256];
		snprintf(text, sizeof(text), "小計 ¥5,307\n%s ¥5,307\nお預り ¥6,000\nお釣り ¥693\n", *l);
		json_t *o = parse(text);
		cr_assert_eq(ival(o, "total"), 5307, "%s", *l);
		cr_assert_geq(conf(o, "total"), 0.9, "%s", *l);
		json_decref(o);
	}
}

Test(receipt_parse, subtotal_with_its_first_glyph_lost)
{
	/* heavy dev17h 0148: 小計 read as 計, above ご請求額 with 10% added.
	 * The bare 計 was taken as the total, which the items confirm, and
	 * reported sure against the payment */
	const char *items = "アイスコーヒー 463 円\n焼き魚定食 863 円\nグラスワイン 468 円\n瓶ビール x3 1.674 円\n"
			    "半チャーハン X3 1,143 円\n";
	char t[512];
	snprintf(t, sizeof(t), "%s計 4,611 円\n消費税等 (10%%) 461 円\nご請求額 5,072 円\n現金 6,000 円\nお釣 928 円\n",
		 items);
	json_t *o = parse(t);
	cr_assert_eq(ival(o, "total"), 5072);
	cr_assert_eq(ival(o, "subtotal"), 4611);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
	/* a bare 計 with no total line under it stays the total */
	snprintf(t, sizeof(t), "%s計 4,611 円\n現金 5,000 円\nお釣 389 円\n", items);
	o = parse(t);
	cr_assert_eq(ival(o, "total"), 4611);
	json_decref(o);
}

/* A pack size with a 9 in a product's name, which the reader reads once
 * more for a zero taken for a 9 (dev21 0166 "低脂肪乳 1090ml", 0024
 * "200g" read "209g"); not an amount, a single digit or a price. */
Test(receipt_parse, pack_size_with_a_nine)
{
	static const char *const yes[] = {"低 脂肪 乳 1090ml 203 円 |", "バタ ー 2009g 468", "絆 創 育 防水 29 枚 \\ 398",
					  "卵 MH サ イズ 19 個 入 * 948 円", "胃腸 薬 39錠", NULL};
	static const char *const no[] = {"牛乳 1000ml ¥198", "ガム 9 個", "お茶 ¥139", "合計 1,990 円", "2025/09/19 19:09", "",
					 NULL};
	for (const char *const *t = yes; *t; t++)
		cr_assert(recam_parse_pack_size_nine(*t), "%s", *t);
	for (const char *const *t = no; *t; t++)
		cr_assert_not(recam_parse_pack_size_nine(*t), "%s", *t);
}

/* What a line holds, as the reader asks before and after re-reading it: a
 * re-read that loses one of these is not taken (dev17h 0131). */
Test(receipt_parse, header_fields_a_line_holds)
{
	cr_assert_eq(recam_parse_line_holds("TEL:076-789-8320"), RECAM_HOLDS_PHONE);
	cr_assert_eq(recam_parse_line_holds("2 90920"), 0u);
	cr_assert_eq(recam_parse_line_holds("2025 年 05 月 20 日 09:39"), RECAM_HOLDS_DATE);
	cr_assert_eq(recam_parse_line_holds("登録 番号 T3830543599138"), RECAM_HOLDS_REGNUM);
	/* its check digit does not hold: nothing to keep */
	cr_assert_eq(recam_parse_line_holds("登録 番号 T3830543599139"), 0u);
	cr_assert_eq(recam_parse_line_holds("ＴＥＬ　０３−９４４０−７７７２　２０２５/４/９"),
		     RECAM_HOLDS_PHONE | RECAM_HOLDS_DATE);
	cr_assert_eq(recam_parse_line_holds("小計 ¥3,713"), 0u);
	/* a date misread into a run of digits is no phone (dev18 0186) */
	cr_assert_eq(recam_parse_line_holds("023740209 22:33:07"), 0u);
	cr_assert_eq(recam_parse_line_holds(""), 0u);
	cr_assert_eq(recam_parse_line_holds(NULL), 0u);
}

/* A count printed before the reduced-rate mark is the product's pack size,
 * part of its name; a count after the mark, or "N個 x 単価", is a quantity. */
Test(receipt_parse, pack_size_before_the_mark)
{
	json_t *o = parse("レシート\n"
			  "焼餃子 6個* ¥330\n"	 /* the mark is not a multiplication: 6 x 330 is no 330 */
			  "玉ねぎ 3 個 ※ ¥138\n"
			  "ジャムパン* 6個 ¥600\n" /* the quantity column after the mark */
			  "ポテト 2個*158 ¥316\n" /* a multiplication */
			  "小計 ¥1,384\n");
	json_t *items = val(o, "items");
	cr_assert_eq(json_array_size(items), 4);
	cr_assert_str_eq(item_name(items, 0), "焼餃子 6個");
	cr_assert_eq(item_int(items, 0, "quantity"), 1);
	cr_assert_eq(item_int(items, 0, "amount"), 330);
	cr_assert(json_is_true(json_object_get(json_array_get(items, 0), "reduced")));
	cr_assert_str_eq(item_name(items, 1), "玉ねぎ 3 個");
	cr_assert_eq(item_int(items, 1, "quantity"), 1);
	cr_assert_str_eq(item_name(items, 2), "ジャムパン");
	cr_assert_eq(item_int(items, 2, "quantity"), 6);
	cr_assert_eq(item_int(items, 2, "unit_price"), 100);
	cr_assert_str_eq(item_name(items, 3), "ポテト");
	cr_assert_eq(item_int(items, 3, "quantity"), 2);
	cr_assert_eq(item_int(items, 3, "amount"), 316);
	json_decref(o);
}

/* A subtotal and an item that share a slashed zero's misread (dev21 0176:
 * 0 read as 9 in both, so the items add up to the wrong subtotal) against
 * a total the payment confirms: the subtotal is the total less its tax,
 * not sure. A gap of another shape (a tax line missed) is left alone. */
Test(receipt_parse, subtotal_sharing_a_slip_with_the_items)
{
	json_t *o = parse("プリンター ¥10,900\nインク ¥1,069\n小計 ¥11,969\n外税 10% ¥1,106\n合計 ¥12,175\n"
			  "お預り ¥13,000\nお釣り ¥825\n");
	cr_assert_eq(ival(o, "total"), 12175);
	cr_assert_geq(conf(o, "total"), 0.9);
	cr_assert_eq(ival(o, "subtotal"), 11069);
	cr_assert_lt(conf(o, "subtotal"), 0.9);
	json_decref(o);
	o = parse("プリンター ¥10,900\nインク ¥1,069\n小計 ¥11,969\n外税 10% ¥1,106\n合計 ¥13,275\n"
		  "お預り ¥14,000\nお釣り ¥725\n");
	cr_assert_eq(ival(o, "subtotal"), 11969);
	json_decref(o);
}

/* dev20 0096: the total, the amount tendered and the change all read as
 * 0. Nothing paid confirms nothing: the total is not sure. */
Test(receipt_parse, nothing_paid_confirms_nothing)
{
	json_t *o = parse("スーパー\n玉ねぎ 198\nマーガリン 228\nPE 上 計 0\nお 預かり 0\nお釣 0\n");
	cr_assert_lt(conf(o, "total"), 0.9);
	cr_assert_not(json_is_true(json_object_get(json_object_get(o, "checks"), "payment")));
	json_decref(o);
	/* a real payment still confirms the total */
	o = parse("スーパー\n玉ねぎ 198\nマーガリン 228\n合計 426\nお預かり 1,000\nお釣 574\n");
	cr_assert_eq(ival(o, "total"), 426);
	cr_assert_geq(conf(o, "total"), 0.9);
	json_decref(o);
}
