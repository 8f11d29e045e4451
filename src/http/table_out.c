/* table_out.c — streamed CSV (UTF-8 with BOM, Shift_JIS) and .xlsx
 * downloads through an unlinked temporary file. See table_out.h. */
#include "table_out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/log.h"
#include "core/str.h"
#include "http/response.h"
#include "http/server.h"
#include "store/store.h"

#define OUT_BUF (64u * 1024)
#define ROW_MAX (16u * 1024 * 1024) /* one row, quoted: far beyond any real cell */
#define XLSX_CELL_MAX 32767	    /* Excel's limit, in UTF-16 units */
#define XLSX_STALE_SECONDS 3600	    /* named xlsx files left by a crash are removed after this */
#define TABLE_COLS_MAX 16384	    /* Excel's column limit; CSV gets the same */

struct recam_table_out {
	enum recam_table_format f;
	recam_req *req;
	char basename[96];
	size_t ncols;
	char **columns;	  /* copied: xlsx repeats the header on a new sheet */
	uint64_t rows;
	/* CSV */
	int fd;
	unsigned char out[OUT_BUF];
	size_t outlen;
	recam_buf row;	  /* one row in UTF-8, quoted */
	iconv_t cd;	  /* UTF-8 → CP932, for csv-sjis */
	/* xlsx */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	uint32_t sheet_row; /* next row of the current sheet */
	int sheets;
	char dir[RECAM_PATH_MAX];
	char path[RECAM_PATH_MAX + 64];
	recam_buf cell;	  /* a cleaned xlsx cell */
};

bool recam_table_format_parse(const char *s, enum recam_table_format *out)
{
	if (s == NULL || strcmp(s, "csv") == 0)
		*out = RECAM_TABLE_CSV;
	else if (strcmp(s, "csv-sjis") == 0)
		*out = RECAM_TABLE_CSV_SJIS;
	else if (strcmp(s, "xlsx") == 0)
		*out = RECAM_TABLE_XLSX;
	else
		return false;
	return true;
}

const char *recam_table_extension(enum recam_table_format f)
{
	return f == RECAM_TABLE_XLSX ? "xlsx" : "csv";
}

const char *recam_table_content_type(enum recam_table_format f)
{
	switch (f) {
	case RECAM_TABLE_CSV_SJIS:
		return "text/csv; charset=Shift_JIS";
	case RECAM_TABLE_XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	default:
		return "text/csv; charset=utf-8";
	}
}

uint64_t recam_table_rows(const recam_table_out *t) { return t->rows; }

/* ---- CSV ---------------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n > 0) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			recam_error("cannot write a table file: %s", strerror(errno));
			return RECAM_EIO;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int out_flush(recam_table_out *t)
{
	int rc = t->outlen ? write_all(t->fd, t->out, t->outlen) : 0;
	t->outlen = 0;
	return rc;
}

static int out_put(recam_table_out *t, const void *p, size_t n)
{
	if (n > sizeof(t->out) - t->outlen) {
		int rc = out_flush(t);
		if (rc != 0)
			return rc;
		if (n > sizeof(t->out))
			return write_all(t->fd, p, n);
	}
	memcpy(t->out + t->outlen, p, n);
	t->outlen += n;
	return 0;
}

/* Converts a UTF-8 row to CP932 into the output; what CP932 cannot hold
 * becomes 〓 (0x81 0xAC). The row is valid UTF-8 (cleaned before). */
static int out_put_sjis(recam_table_out *t, const char *p, size_t n)
{
	static const char geta[2] = {(char)0x81, (char)0xac};
	char *in = (char *)p;
	size_t inleft = n;
	while (inleft > 0) {
		if (sizeof(t->out) - t->outlen < 8) {
			int rc = out_flush(t);
			if (rc != 0)
				return rc;
		}
		char *o = (char *)t->out + t->outlen;
		size_t oleft = sizeof(t->out) - t->outlen;
		size_t r = iconv(t->cd, &in, &inleft, &o, &oleft);
		t->outlen = sizeof(t->out) - oleft;
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ (unmappable) or EINVAL (cut short): one character → 〓. */
		uint32_t cp;
		size_t skip = recam_utf8_next((const unsigned char *)in, inleft, &cp);
		skip = skip ? skip : 1;
		in += skip;
		inleft -= skip;
		iconv(t->cd, NULL, NULL, NULL, NULL);
		int rc = out_put(t, geta, sizeof(geta));
		if (rc != 0)
			return rc;
	}
	return 0;
}

static bool csv_formula_start(unsigned char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Appends one cell: invalid UTF-8 → U+FFFD, a formula-looking start
 * prefixed with ', quoted when it holds a comma, quote or line break. */
static int csv_cell(recam_buf *b, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return 0;
	size_t n = strlen(s);
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	int rc = quote ? recam_buf_append(b, "\"", 1) : 0;
	if (rc == 0 && csv_formula_start((unsigned char)s[0]))
		rc = recam_buf_append(b, "'", 1);
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (rc == 0 && i < n) {
		/* Runs of plain bytes are copied at once. */
		size_t j = i;
		while (j < n && p[j] < 0x80 && p[j] != '"')
			j++;
		if (j > i) {
			rc = recam_buf_append(b, s + i, j - i);
			i = j;
			continue;
		}
		uint32_t cp;
		size_t len = p[i] == '"' ? 1 : recam_utf8_next(p + i, n - i, &cp);
		if (p[i] == '"')
			rc = recam_buf_append(b, "\"\"", 2);
		else if (len == 0)
			rc = recam_buf_append(b, "\xef\xbf\xbd", 3);
		else
			rc = recam_buf_append(b, s + i, len);
		i += len ? len : 1;
	}
	if (rc == 0 && quote)
		rc = recam_buf_append(b, "\"", 1);
	return rc;
}

static int csv_row(recam_table_out *t, const char *const *cells)
{
	recam_buf_reset(&t->row);
	int rc = 0;
	for (size_t i = 0; i < t->ncols && rc == 0; i++) {
		if (i > 0)
			rc = recam_buf_append(&t->row, ",", 1);
		if (rc == 0)
			rc = csv_cell(&t->row, cells[i]);
	}
	if (rc == 0)
		rc = recam_buf_append(&t->row, "\r\n", 2);
	if (rc != 0)
		return rc;
	return t->f == RECAM_TABLE_CSV_SJIS ? out_put_sjis(t, t->row.data, t->row.len)
					    : out_put(t, t->row.data, t->row.len);
}

/* An unlinked file in dir: O_TMPFILE where the file system has it, else a
 * random name removed at once. */
static int tmp_fd(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	for (int tries = 0; tries < 4; tries++) {
		char id[RECAM_ID_LEN + 1], path[RECAM_PATH_MAX + 64];
		recam_random_id(id);
		if (snprintf(path, sizeof(path), "%s/table-%s.tmp", dir, id) >= (int)sizeof(path))
			return -1;
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			unlink(path);
			return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

/* ---- xlsx --------------------------------------------------------------- */

/* Named xlsx files are unlinked as soon as they are written; one left by a
 * crash in between is removed by the next export into the directory. */
static void sweep_stale(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "xlsx-", 5) != 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		    now - st.st_mtime > XLSX_STALE_SECONDS)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* Valid UTF-8 (invalid bytes → U+FFFD), cut to Excel's cell limit. */
static int xlsx_clean(recam_buf *b, const char *s)
{
	recam_buf_reset(b);
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, units = 0;
	int rc = 0;
	while (rc == 0 && i < n) {
		uint32_t cp;
		size_t len = recam_utf8_next(p + i, n - i, &cp);
		size_t u = len && cp >= 0x10000 ? 2 : 1;
		if (units + u > XLSX_CELL_MAX)
			break;
		units += u;
		rc = len ? recam_buf_append(b, s + i, len) : recam_buf_append(b, "\xef\xbf\xbd", 3);
		i += len ? len : 1;
	}
	if (rc == 0)
		rc = recam_buf_append(b, "", 1);
	return rc;
}

static int xlsx_put(recam_table_out *t, size_t col, const char *s)
{
	/* Valid UTF-8 within the limit as it is (bytes >= UTF-16 units, so a
	 * short enough string cannot exceed it); anything else cleaned. */
	size_t n = strlen(s);
	const char *text = s;
	if (n > XLSX_CELL_MAX || recam_utf8_check(s, n, RECAM_UTF8_CONTROLS) < 0) {
		int rc = xlsx_clean(&t->cell, s);
		if (rc != 0)
			return rc;
		text = t->cell.data;
	}
	lxw_error e = worksheet_write_string(t->ws, t->sheet_row, (lxw_col_t)col, text,
					     t->sheet_row == 0 ? t->bold : NULL);
	if (e != LXW_NO_ERROR) {
		recam_error("xlsx cell: %s", lxw_strerror(e));
		return RECAM_EIO;
	}
	return 0;
}

static int xlsx_sheet(recam_table_out *t)
{
	t->ws = workbook_add_worksheet(t->wb, NULL);
	if (t->ws == NULL)
		return RECAM_ENOMEM;
	t->sheets++;
	t->sheet_row = 0;
	/* constant_memory: widths before any row. */
	for (size_t i = 0; i < t->ncols; i++) {
		long chars = recam_utf8_text(t->columns[i], strlen(t->columns[i]), false);
		double w = chars < 0 ? 12 : (double)chars * 2 + 2;
		w = w < 10 ? 10 : w > 40 ? 40 : w;
		if (worksheet_set_column(t->ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL) != LXW_NO_ERROR)
			return RECAM_EIO;
	}
	worksheet_freeze_panes(t->ws, 1, 0);
	for (size_t i = 0; i < t->ncols; i++) {
		int rc = xlsx_put(t, i, t->columns[i]);
		if (rc != 0)
			return rc;
	}
	t->sheet_row = 1;
	return 0;
}

static int xlsx_row(recam_table_out *t, const char *const *cells)
{
	if (t->sheet_row >= LXW_ROW_MAX) {
		int rc = xlsx_sheet(t);
		if (rc != 0)
			return rc;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		if (cells[i] == NULL || cells[i][0] == '\0')
			continue;
		int rc = xlsx_put(t, i, cells[i]);
		if (rc != 0)
			return rc;
	}
	t->sheet_row++;
	return 0;
}

static int xlsx_open(recam_table_out *t)
{
	sweep_stale(t->dir);
	char id[RECAM_ID_LEN + 1];
	recam_random_id(id);
	if (snprintf(t->path, sizeof(t->path), "%s/xlsx-%s.tmp", t->dir, id) >= (int)sizeof(t->path))
		return RECAM_ETOOBIG;
	/* The name is taken now (and the directory proved writable); the
	 * workbook is written over it when it closes. */
	int fd = open(t->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		recam_error("cannot create a table file in %s: %s", t->dir, strerror(errno));
		t->path[0] = '\0';
		return RECAM_EIO;
	}
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = t->dir, .use_zip64 = LXW_FALSE};
	t->wb = workbook_new_opt(t->path, &opt);
	if (t->wb == NULL)
		return RECAM_ENOMEM;
	t->bold = workbook_add_format(t->wb);
	if (t->bold == NULL)
		return RECAM_ENOMEM;
	format_set_bold(t->bold);
	return xlsx_sheet(t);
}

/* ---- the table ---------------------------------------------------------- */

static void table_free(recam_table_out *t)
{
	if (t == NULL)
		return;
	if (t->fd >= 0)
		close(t->fd);
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	if (t->wb)
		lxw_workbook_free(t->wb);
	if (t->path[0])
		unlink(t->path);
	for (size_t i = 0; t->columns && i < t->ncols; i++)
		free(t->columns[i]);
	free(t->columns);
	recam_buf_free(&t->row);
	recam_buf_free(&t->cell);
	free(t);
}

int recam_table_open(enum recam_table_format f, const char *dir, const char *const *columns, size_t ncols,
		     recam_table_out **out)
{
	*out = NULL;
	if (ncols == 0 || ncols > TABLE_COLS_MAX || strlen(dir) >= RECAM_PATH_MAX)
		return RECAM_EINVAL;
	recam_table_out *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return RECAM_ENOMEM;
	t->f = f;
	t->fd = -1;
	t->cd = (iconv_t)-1;
	t->ncols = ncols;
	snprintf(t->dir, sizeof(t->dir), "%s", dir);
	recam_buf_init(&t->row, ROW_MAX);
	recam_buf_init(&t->cell, 4 * XLSX_CELL_MAX + 8);
	int rc = 0;
	t->columns = calloc(ncols, sizeof(*t->columns));
	for (size_t i = 0; rc == 0 && i < ncols; i++)
		if (t->columns == NULL || (t->columns[i] = strdup(columns[i] ? columns[i] : "")) == NULL)
			rc = RECAM_ENOMEM;
	if (rc == 0 && f == RECAM_TABLE_XLSX) {
		rc = xlsx_open(t);
	} else if (rc == 0) {
		if ((t->fd = tmp_fd(dir)) < 0) {
			recam_error("cannot create a table file in %s: %s", dir, strerror(errno));
			rc = RECAM_EIO;
		}
		if (rc == 0 && f == RECAM_TABLE_CSV_SJIS && (t->cd = iconv_open("CP932", "UTF-8")) == (iconv_t)-1) {
			recam_error("iconv has no CP932: %s", strerror(errno));
			rc = RECAM_EINTERNAL;
		}
		/* Excel reads UTF-8 CSV as UTF-8 only with the byte order mark. */
		if (rc == 0 && f == RECAM_TABLE_CSV)
			rc = out_put(t, "\xef\xbb\xbf", 3);
		if (rc == 0)
			rc = csv_row(t, (const char *const *)t->columns);
	}
	if (rc != 0) {
		table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int recam_table_row(recam_table_out *t, const char *const *cells)
{
	int rc = t->f == RECAM_TABLE_XLSX ? xlsx_row(t, cells) : csv_row(t, cells);
	if (rc == 0)
		t->rows++;
	return rc;
}

int recam_table_close(recam_table_out *t, int *fd, uint64_t *size)
{
	*fd = -1;
	int rc = 0;
	if (t->f == RECAM_TABLE_XLSX) {
		/* workbook_close writes the file and frees the workbook. */
		lxw_error e = workbook_close(t->wb);
		t->wb = NULL;
		if (e != LXW_NO_ERROR) {
			recam_error("xlsx: %s", lxw_strerror(e));
			rc = RECAM_EIO;
		} else if ((t->fd = open(t->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
			rc = RECAM_EIO;
		}
	} else {
		rc = out_flush(t);
	}
	struct stat st;
	if (rc == 0 && fstat(t->fd, &st) != 0)
		rc = RECAM_EIO;
	if (rc == 0 && lseek(t->fd, 0, SEEK_SET) != 0)
		rc = RECAM_EIO;
	if (rc == 0) {
		*fd = t->fd;
		*size = (uint64_t)st.st_size;
		t->fd = -1;
	}
	table_free(t); /* unlinks the named xlsx file: the open fd keeps it */
	return rc;
}

/* The directory for a request's tables: the tenant's own (erased with it),
 * or the data directory's for platform routes. */
static int table_dir(recam_req *req, char *out, size_t n)
{
	char base[RECAM_PATH_MAX];
	int rc = req->tenant ? recam_store_tenant_dir(req->srv->store, req->tenant->id, base, sizeof(base))
			     : recam_strlcpy(base, req->srv->cfg->data_dir, sizeof(base));
	if (rc == 0)
		rc = recam_fs_join(out, n, base, "tmp");
	if (rc == 0)
		rc = recam_fs_mkdirs(out, 0700);
	return rc;
}

int recam_table_begin(recam_req *req, enum recam_table_format f, const char *basename, const char *const *columns,
		      size_t ncols, recam_table_out **out)
{
	char dir[RECAM_PATH_MAX];
	int rc = table_dir(req, dir, sizeof(dir));
	if (rc == 0)
		rc = recam_table_open(f, dir, columns, ncols, out);
	if (rc != 0)
		return rc;
	recam_table_out *t = *out;
	t->req = req;
	size_t i = 0;
	for (; basename && basename[i] && i + 1 < sizeof(t->basename); i++) {
		char c = basename[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
			  c == '_' || c == '-';
		t->basename[i] = ok ? c : '_';
	}
	if (i == 0)
		snprintf(t->basename, sizeof(t->basename), "export");
	return 0;
}

int recam_table_finish(recam_table_out *t)
{
	recam_req *req = t->req;
	enum recam_table_format f = t->f;
	char name[128], nrows[24];
	snprintf(name, sizeof(name), "%s.%s", t->basename, recam_table_extension(f));
	snprintf(nrows, sizeof(nrows), "%llu", (unsigned long long)t->rows);
	uint64_t size = 0;
	int fd;
	int rc = recam_table_close(t, &fd, &size);
	if (rc == 0)
		rc = recam_response_fd(req, fd, size, recam_table_content_type(f), name);
	if (rc == 0)
		recam_resp_header(req, "X-Table-Rows", nrows);
	return rc;
}

void recam_table_abort(recam_table_out *t) { table_free(t); }
