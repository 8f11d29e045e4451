/* test_product_csv.c — target products from spreadsheet files: encodings
 * Excel writes, header names in either language or none, RFC 4180 quoting,
 * and refusals that name the line and column (hostile files in
 * tests/api/test_admin_campaigns.py and tests/fuzz/fuzz_product_csv.c). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/product_csv.h"

static json_t *ok(const char *data, size_t len)
{
	json_t *out = NULL, *fields = NULL;
	int rc = recam_product_csv_parse(data, len, RECAM_LANG_JA, &out, &fields);
	char *f = fields ? json_dumps(fields, JSON_ENSURE_ASCII) : NULL;
	cr_assert_eq(rc, 0, "%s", f ? f : "");
	free(f);
	json_decref(fields);
	return out;
}

static json_t *refused(const char *data, size_t len, recam_lang lang)
{
	json_t *out = NULL, *fields = NULL;
	cr_assert_eq(recam_product_csv_parse(data, len, lang, &out, &fields), RECAM_EINVAL);
	cr_assert_null(out);
	return fields;
}

static const char *name_at(json_t *list, size_t i)
{
	return json_string_value(json_object_get(json_array_get(list, i), "name"));
}

Test(product_csv, header_in_any_order_and_language)
{
	const char csv[] = "単価,JAN,商品名,レシート表記\n128,49012347,緑茶,ﾘｮｸﾁｬ|ﾘｮｸﾁｬ500\n";
	json_t *l = ok(csv, sizeof(csv) - 1);
	cr_assert_eq(json_array_size(l), 1);
	json_t *p = json_array_get(l, 0);
	cr_assert_str_eq(name_at(l, 0), "緑茶");
	cr_assert_str_eq(json_string_value(json_object_get(p, "jan")), "49012347"); /* EAN-8 */
	cr_assert_eq(json_integer_value(json_object_get(p, "unit_price")), 128);
	cr_assert_eq(json_array_size(json_object_get(p, "aliases")), 2);
	json_decref(l);
}

Test(product_csv, quoted_cells_and_line_endings)
{
	/* CR-only line ends (old Mac Excel), a quoted comma, a doubled quote */
	const char csv[] = "name,aliases\r\"a, b\",\"x\"\"y\"\r\rc,\r";
	json_t *l = ok(csv, sizeof(csv) - 1);
	cr_assert_eq(json_array_size(l), 2);
	cr_assert_str_eq(name_at(l, 0), "a, b");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(json_array_get(l, 0), "aliases"), 0)), "x\"y");
	cr_assert_str_eq(name_at(l, 1), "c");
	json_decref(l);
}

Test(product_csv, utf16_tab_separated_from_excel_unicode_text)
{
	const char csv[] = "\xFF\xFE" "n\0a\0m\0e\0\t\0j\0a\0n\0\n\0" "\xD1\x7D\x36\x83\t\0" "4\0" "9\0" "0\0" "1\0"
			   "2\0" "3\0" "4\0" "7\0\n\0";
	json_t *l = ok(csv, sizeof(csv) - 1);
	cr_assert_str_eq(name_at(l, 0), "緑茶");
	json_decref(l);
}

Test(product_csv, a_quoted_newline_is_refused_in_a_name_with_its_line)
{
	const char csv[] = "name\n\"two\nlines\"\nok\n";
	json_t *f = refused(csv, sizeof(csv) - 1, RECAM_LANG_EN);
	cr_assert_not_null(json_object_get(f, "csv[2].name"));
	cr_assert_eq(json_object_size(f), 1);
	json_decref(f);
}

Test(product_csv, errors_are_capped)
{
	size_t n = 0;
	char *csv = malloc(8192);
	n += (size_t)sprintf(csv, "name,jan\n");
	for (int i = 0; i < 120; i++)
		n += (size_t)sprintf(csv + n, "p%d,12\n", i);
	json_t *f = refused(csv, n, RECAM_LANG_JA);
	cr_assert_eq(json_object_size(f), RECAM_PRODUCT_CSV_MAX_ERRORS + 1);
	cr_assert_not_null(json_object_get(f, "csv"));
	json_decref(f);
	free(csv);
}

Test(product_csv, at_most_fifty_spellings)
{
	char csv[2048] = "name,aliases\nx,";
	for (int i = 0; i < 51; i++)
		sprintf(csv + strlen(csv), "a%d|", i);
	json_t *f = refused(csv, strlen(csv), RECAM_LANG_JA);
	cr_assert_str_eq(json_string_value(json_object_get(f, "csv[2].aliases")), "表記ゆれは50件までです。");
	json_decref(f);
}
