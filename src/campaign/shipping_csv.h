/* shipping_csv.h — the file of tracking numbers staff upload to mark many
 * winners shipped at once: CSV in UTF-8 (with or without a BOM) or
 * Shift_JIS (CP932, as Japanese Excel saves it), a header row naming the
 * columns, one winner per record. The winners export has the same column
 * names, so staff can fill in its 配送業者 / 追跡番号 columns and send the
 * file back; columns the parser does not know are ignored.
 *
 * Columns (header text compared after trimming; ASCII case and spaces vs
 * '_' ignored):
 *   当選ID | win_id            the win                     } at least one
 *   応募ID | entry_id          or the entry that won it    }
 *   配送業者 | 運送会社 | carrier
 *   追跡番号 | 伝票番号 | お問い合わせ番号 | tracking_number   (required column)
 *   発送日 | shipped_on        YYYY-MM-DD (optional)
 *
 * The whole file is checked before anything is applied: an encoding that
 * is neither, an unbalanced quote, a quote inside an unquoted field, a
 * record with more fields than the header, a NUL byte, an over-long field
 * or too many records make it malformed (RECAM_EINVAL, with the line and a
 * code); the caller applies nothing then. Whether each record's values are
 * acceptable is the caller's business (a per-line report). */
#ifndef RECAM_SHIPPING_CSV_H
#define RECAM_SHIPPING_CSV_H

#include <stddef.h>

#define RECAM_SHIPCSV_MAX_BYTES (4u << 20)
#define RECAM_SHIPCSV_MAX_RECORDS 20000
#define RECAM_SHIPCSV_MAX_FIELDS 64
#define RECAM_SHIPCSV_MAX_FIELD 1024 /* bytes of UTF-8 */

typedef struct recam_shipcsv_rec {
	size_t line;	      /* 1-based line where the record starts */
	const char *win_id;   /* "" when the column is absent or the cell empty */
	const char *entry_id;
	const char *carrier;
	const char *tracking;
	const char *shipped_on;
} recam_shipcsv_rec;

typedef struct recam_shipcsv {
	recam_shipcsv_rec *recs; /* records with at least one non-empty cell */
	size_t n;
	const char *encoding;	 /* "utf-8" or "shift_jis" */
	char *text;		 /* the UTF-8 text; cells point into it */
	size_t text_len;	 /* its bytes (cells are NUL-terminated inside it) */
	/* When malformed: */
	size_t err_line;
	const char *err_code;	 /* "empty", "encoding", "nul", "quote", "columns", "field_too_long",
				    "too_many_records", "header" */
} recam_shipcsv;

/* Parses data (len bytes, at most RECAM_SHIPCSV_MAX_BYTES: RECAM_ETOOBIG).
 * Cells are trimmed of spaces (ASCII and U+3000), and a ' that the export
 * put before = + - @ is removed. */
int recam_shipcsv_parse(const char *data, size_t len, recam_shipcsv *out);
void recam_shipcsv_free(recam_shipcsv *c);

#endif
