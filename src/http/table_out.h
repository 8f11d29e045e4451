/* table_out.h — a streamed table download: CSV in UTF-8 with a BOM, CSV in
 * Shift_JIS (Windows code page 932, what Japanese Excel opens without an
 * import dialog), or .xlsx (libxlsxwriter in constant_memory mode).
 *
 * Rows are written as they come to an unlinked temporary file under the
 * data directory (the tenant's own directory for tenant routes), never
 * gathered in memory; the finished file is sent with
 * MHD_create_response_from_fd, so memory stays flat whatever the number of
 * rows. Cells are text. CSV cells starting with = + - @ (or a tab or CR)
 * get a leading ' so a spreadsheet does not run them as formulas; xlsx
 * cells are written as strings, never formulas. Characters Shift_JIS
 * cannot hold become 〓 (geta); invalid UTF-8 becomes U+FFFD in the UTF-8
 * formats. An .xlsx sheet that reaches Excel's 1,048,576 rows continues on
 * a new sheet with the header repeated. */
#ifndef RECAM_TABLE_OUT_H
#define RECAM_TABLE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/request.h"

enum recam_table_format { RECAM_TABLE_CSV, RECAM_TABLE_CSV_SJIS, RECAM_TABLE_XLSX };

/* "csv" (default when s is NULL), "csv-sjis", "xlsx"; false for anything else. */
bool recam_table_format_parse(const char *s, enum recam_table_format *out);

typedef struct recam_table_out recam_table_out;

/* basename: file name without extension (ASCII), e.g. "entries-potato-winter";
 * anything but [A-Za-z0-9._-] becomes '_'. */
int recam_table_begin(recam_req *req, enum recam_table_format f, const char *basename, const char *const *columns,
		      size_t ncols, recam_table_out **out);
int recam_table_row(recam_table_out *t, const char *const *cells); /* ncols cells; NULL = empty */
/* Sends the file as the response (Content-Disposition attachment, no-store) and frees t. */
int recam_table_finish(recam_table_out *t);
void recam_table_abort(recam_table_out *t); /* on error: frees t, removes the file */

/* The same without HTTP (tests, the CLI): the table is written in dir;
 * recam_table_close ends it and hands over the unlinked file, positioned at
 * its start, with its size (the caller closes fd). Frees t either way. */
int recam_table_open(enum recam_table_format f, const char *dir, const char *const *columns, size_t ncols,
		     recam_table_out **out);
int recam_table_close(recam_table_out *t, int *fd, uint64_t *size);
/* Rows written so far (the header not counted). */
uint64_t recam_table_rows(const recam_table_out *t);

/* File extension and Content-Type of a format. */
const char *recam_table_extension(enum recam_table_format f);
const char *recam_table_content_type(enum recam_table_format f);

#endif
