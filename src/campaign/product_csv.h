/* product_csv.h — a campaign's target products from a spreadsheet file that
 * staff keep in Excel: CSV (UTF-8 with or without BOM, Shift_JIS/CP932 from
 * older Excel, UTF-16 "Unicode text" with tabs), one product per row with
 * the columns name, aliases (separated by | or ／), jan, unit_price — by a
 * header row (English or Japanese names) or in that order without one.
 * The bytes come from outside: every limit is checked before work is done,
 * and every refusal names the line and column it is about. */
#ifndef RECAM_PRODUCT_CSV_H
#define RECAM_PRODUCT_CSV_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

#define RECAM_PRODUCT_CSV_MAX_BYTES (1u << 20) /* the file as sent */
#define RECAM_PRODUCT_CSV_MAX_LINE 8192	       /* one record, in UTF-8 */
#define RECAM_PRODUCT_CSV_MAX_ERRORS 50

/* 0 with *out a new JSON array of products in the campaign format
 * ({name, aliases[], jan?, unit_price?}); RECAM_EINVAL with *fields
 * ({key: message} in lang) where a key is "csv" for the whole file or
 * "csv[LINE].COLUMN" with LINE counted from 1 as a spreadsheet shows it
 * (COLUMN one of name, aliases, jan, unit_price, or "row"); RECAM_ENOMEM.
 * Nothing is set on other paths than these. */
int recam_product_csv_parse(const char *data, size_t len, recam_lang lang, json_t **out, json_t **fields);

#endif
