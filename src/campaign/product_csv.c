/* product_csv.c — target products from a CSV file (see product_csv.h).
 * Decoding first (BOM, then valid UTF-8, then CP932 — Excel's Shift_JIS),
 * then RFC 4180 records with a hard cap per record, then one product per
 * row, each cell checked on its own so the staff member sees every fault. */
#include "product_csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "core/str.h"

#define MAX_CELLS 32
#define NAME_MAX_BYTES 400
#define MAX_ALIASES 50
#define MAX_PRICE 10000000

enum col { COL_NAME, COL_ALIASES, COL_JAN, COL_PRICE, NCOLS };
static const char *const col_names[NCOLS] = {"name", "aliases", "jan", "unit_price"};

struct pctx {
	json_t *fields;
	recam_lang lang;
	int nerr;
	bool oom;
};

static void fault(struct pctx *p, long line, const char *col, const char *ja, const char *en)
{
	char key[48];
	if (line > 0)
		snprintf(key, sizeof(key), "csv[%ld].%s", line, col);
	else
		snprintf(key, sizeof(key), "csv");
	if (json_object_get(p->fields, key) != NULL)
		return;
	if (p->nerr == RECAM_PRODUCT_CSV_MAX_ERRORS) {
		json_object_set_new(p->fields, "csv",
				    json_string(p->lang == RECAM_LANG_EN ? "Too many errors: checking stopped here."
									 : "エラーが多いため、ここで確認を打ち切りました。"));
		p->nerr++;
		return;
	}
	if (p->nerr > RECAM_PRODUCT_CSV_MAX_ERRORS)
		return;
	json_object_set_new(p->fields, key, json_string(p->lang == RECAM_LANG_EN ? en : ja));
	p->nerr++;
}

/* ---- decoding ---- */

static int convert(const char *from, const char *in, size_t len, size_t factor, char **out, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return RECAM_EINTERNAL;
	size_t cap = len * factor + 4;
	char *buf = malloc(cap);
	if (buf == NULL) {
		iconv_close(cd);
		return RECAM_ENOMEM;
	}
	char *ip = (char *)in, *op = buf;
	size_t il = len, ol = cap - 1;
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	if (r != (size_t)-1)
		r = iconv(cd, NULL, NULL, &op, &ol); /* flush a pending shift state */
	iconv_close(cd);
	if (r == (size_t)-1 || il != 0) {
		free(buf);
		return RECAM_EINVAL; /* EILSEQ, EINVAL (truncated) or E2BIG (cannot happen with factor) */
	}
	*op = '\0';
	*out = buf;
	*outlen = (size_t)(op - buf);
	return 0;
}

static int decode(struct pctx *p, const char *data, size_t len, char **out, size_t *outlen, char *delim)
{
	*delim = ',';
	if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
		fault(p, 0, NULL, "Excelブック（.xlsx）はCSVとして送れません。画面の取り込みで .xlsx を選ぶか、CSV形式で保存してください。",
		      "An Excel workbook (.xlsx) is not CSV: choose it in the import on the screen, or save it as CSV.");
		return RECAM_EINVAL;
	}
	int rc;
	if (len >= 2 && ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE)) {
		rc = convert("UTF-16LE", data + 2, len - 2, 2, out, outlen);
		*delim = '\t'; /* Excel's "Unicode text" */
	} else if (len >= 2 && ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)) {
		rc = convert("UTF-16BE", data + 2, len - 2, 2, out, outlen);
		*delim = '\t';
	} else {
		bool bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
		const char *s = bom ? data + 3 : data;
		size_t n = bom ? len - 3 : len;
		if (recam_utf8_check(s, n, RECAM_UTF8_CONTROLS) >= 0) {
			rc = (*out = malloc(n + 1)) ? 0 : RECAM_ENOMEM;
			if (rc == 0) {
				memcpy(*out, s, n);
				(*out)[n] = '\0';
				*outlen = n;
			}
		} else if (bom) {
			rc = RECAM_EINVAL; /* says UTF-8, is not */
		} else {
			/* CP932 is Windows' Shift_JIS (with ① and ㈱), what Excel writes */
			rc = convert("CP932", s, n, 3, out, outlen);
		}
	}
	if (rc == RECAM_EINVAL)
		fault(p, 0, NULL, "文字コードを判別できません。UTF-8 か Shift_JIS のCSVで保存してください。",
		      "Unknown character encoding: save the file as UTF-8 or Shift_JIS CSV.");
	if (rc == 0 && memchr(*out, '\0', *outlen) != NULL) {
		fault(p, 0, NULL, "CSVファイルとして読めません。表計算ソフトでCSV形式で保存してください。",
		      "This is not a CSV file: save it as CSV from your spreadsheet.");
		free(*out);
		*out = NULL;
		rc = RECAM_EINVAL;
	}
	if (rc == 0 && *delim == ',') {
		/* A tab-separated file: tabs and no commas on the first line. */
		const char *nl = memchr(*out, '\n', *outlen);
		size_t first = nl ? (size_t)(nl - *out) : *outlen;
		if (memchr(*out, '\t', first) && !memchr(*out, ',', first))
			*delim = '\t';
	}
	return rc;
}

/* ---- records ---- */

struct record {
	char buf[RECAM_PRODUCT_CSV_MAX_LINE + 1];
	size_t start[MAX_CELLS + 1], len[MAX_CELLS + 1];
	int ncells;
	long line; /* where the record starts, from 1 */
	bool too_long, too_many_cells, bad_quotes;
};

/* Reads the record at t[*pos]; false at the end of the text. */
static bool next_record(const char *t, size_t n, size_t *pos, long *line, char delim, struct record *r)
{
	size_t i = *pos, o = 0;
	if (i >= n)
		return false;
	r->ncells = 1;
	r->start[0] = 0;
	r->line = *line;
	r->too_long = r->too_many_cells = r->bad_quotes = false;
	bool inq = false, closed = false;
	size_t cell_begin = 0;
#define PUT(ch)                                                   \
	do {                                                      \
		if (o < RECAM_PRODUCT_CSV_MAX_LINE)               \
			r->buf[o++] = (ch);                       \
		else                                              \
			r->too_long = true;                       \
	} while (0)
	while (i < n) {
		char c = t[i];
		if (inq) {
			if (c == '"' && i + 1 < n && t[i + 1] == '"') {
				PUT('"');
				i += 2;
			} else if (c == '"') {
				inq = false;
				closed = true;
				i++;
			} else {
				if (c == '\n')
					(*line)++;
				PUT(c);
				i++;
			}
			continue;
		}
		if (c == delim) {
			if (r->ncells < MAX_CELLS) {
				r->len[r->ncells - 1] = o - cell_begin;
				r->start[r->ncells] = cell_begin = o;
				r->ncells++;
			} else {
				r->too_many_cells = true;
			}
			closed = false;
			i++;
			continue;
		}
		if (c == '\r' || c == '\n') {
			i++;
			if (c == '\r' && i < n && t[i] == '\n')
				i++;
			(*line)++;
			break;
		}
		if (c == '"' && o == cell_begin && !closed) {
			inq = true;
			i++;
			continue;
		}
		if (closed)
			r->bad_quotes = true; /* text after a closing quote */
		PUT(c);
		i++;
	}
#undef PUT
	if (inq)
		r->bad_quotes = true;
	r->len[r->ncells - 1] = o - cell_begin;
	*pos = i;
	if (r->too_many_cells || r->too_long)
		r->ncells = 0;
	return true;
}

/* s without surrounding ASCII blanks and ideographic spaces (U+3000). */
static recam_str trim(recam_str s)
{
	for (;;) {
		if (s.n >= 1 && (s.p[0] == ' ' || s.p[0] == '\t')) {
			s.p++;
			s.n--;
		} else if (s.n >= 3 && memcmp(s.p, "\xE3\x80\x80", 3) == 0) {
			s.p += 3;
			s.n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (s.n >= 1 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r'))
			s.n--;
		else if (s.n >= 3 && memcmp(s.p + s.n - 3, "\xE3\x80\x80", 3) == 0)
			s.n -= 3;
		else
			break;
	}
	return s;
}

static recam_str cell(const struct record *r, int idx)
{
	if (idx < 0 || idx >= r->ncells)
		return (recam_str){"", 0};
	return trim((recam_str){r->buf + r->start[idx], r->len[idx]});
}

static bool record_empty(const struct record *r)
{
	for (int i = 0; i < r->ncells; i++)
		if (cell(r, i).n > 0)
			return false;
	return true;
}

static bool str_is(recam_str s, const char *lit)
{
	size_t n = strlen(lit);
	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = s.p[i], b = lit[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

/* Which column a header cell names, or -1. */
static int header_col(recam_str s)
{
	static const char *const names[NCOLS][6] = {
		{"name", "product", "商品名", "品名", "名前", NULL},
		{"aliases", "alias", "表記ゆれ", "別名", "レシート表記", NULL},
		{"jan", "jan_code", "jan code", "janコード", NULL},
		{"unit_price", "unit price", "price", "単価", "価格", NULL},
	};
	for (int c = 0; c < NCOLS; c++)
		for (int k = 0; k < 6 && names[c][k]; k++)
			if (str_is(s, names[c][k]))
				return c;
	return -1;
}

/* ---- cells ---- */

/* What a spreadsheet would run as a formula when the value is exported
 * again and opened (CSV injection): refused rather than altered. */
static bool formula_like(recam_str raw)
{
	return raw.n > 0 && (raw.p[0] == '=' || raw.p[0] == '+' || raw.p[0] == '-' || raw.p[0] == '@');
}

static bool text_ok(recam_str s, size_t max)
{
	return s.n > 0 && s.n <= max && recam_utf8_text(s.p, s.n, false) >= 0;
}

/* A digit, ASCII or full-width (０-９); -1 otherwise; *adv its byte length. */
static int digit_at(const char *s, size_t n, size_t *adv)
{
	if (n >= 1 && s[0] >= '0' && s[0] <= '9') {
		*adv = 1;
		return s[0] - '0';
	}
	if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC && (unsigned char)s[2] >= 0x90 &&
	    (unsigned char)s[2] <= 0x99) {
		*adv = 3;
		return (unsigned char)s[2] - 0x90;
	}
	return -1;
}

static bool jan_check_digit_ok(const char *d, size_t n)
{
	int sum = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		int w = n == 13 ? (i % 2 == 0 ? 1 : 3) : (i % 2 == 0 ? 3 : 1);
		sum += (d[i] - '0') * w;
	}
	return (10 - sum % 10) % 10 == d[n - 1] - '0';
}

static void parse_jan(struct pctx *p, long line, recam_str s, json_t *prod)
{
	char d[16];
	size_t nd = 0, adv;
	for (size_t i = 0; i < s.n;) {
		int v = digit_at(s.p + i, s.n - i, &adv);
		if (v >= 0) {
			if (nd < sizeof(d) - 1)
				d[nd] = (char)('0' + v);
			nd++;
			i += adv;
		} else if (s.p[i] == '-' || s.p[i] == ' ') {
			i++;
		} else if (s.p[i] == 'E' || s.p[i] == 'e' || s.p[i] == '.') {
			fault(p, line, "jan", "JANコードが指数表記（例: 4.9E+12）になっています。セルを文字列にして保存し直してください。",
			      "The JAN code is in exponent form (like 4.9E+12): format the cells as text and save again.");
			return;
		} else {
			nd = 0;
			break;
		}
	}
	if (nd != 8 && nd != 13) {
		fault(p, line, "jan", "JANコードは8桁または13桁の数字です。", "A JAN code has 8 or 13 digits.");
		return;
	}
	d[nd] = '\0';
	if (!jan_check_digit_ok(d, nd)) {
		fault(p, line, "jan", "JANコードのチェックディジット（最後の桁）が合いません。",
		      "The JAN code's check digit (its last digit) does not match.");
		return;
	}
	json_object_set_new(prod, "jan", json_string(d));
}

static void parse_price(struct pctx *p, long line, recam_str s, json_t *prod)
{
	/* ¥1,280 / 1280円 / １２８０: what people type in a price cell */
	static const char *const skip[] = {",", "\xEF\xBC\x8C", "\xC2\xA5", "\xEF\xBF\xA5", "\xE5\x86\x86", " ", NULL};
	int64_t v = 0;
	size_t nd = 0, adv;
	bool ok = true;
	for (size_t i = 0; ok && i < s.n;) {
		int dg = digit_at(s.p + i, s.n - i, &adv);
		if (dg >= 0) {
			v = v * 10 + dg;
			nd++;
			i += adv;
			ok = v <= MAX_PRICE;
			continue;
		}
		ok = false;
		for (int k = 0; skip[k]; k++) {
			size_t kl = strlen(skip[k]);
			if (s.n - i >= kl && memcmp(s.p + i, skip[k], kl) == 0) {
				i += kl;
				ok = true;
				break;
			}
		}
	}
	if (!ok || nd == 0) {
		fault(p, line, "unit_price", "単価は0〜10,000,000の整数（円）で入力してください。",
		      "The unit price is a whole number of yen from 0 to 10,000,000.");
		return;
	}
	json_object_set_new(prod, "unit_price", json_integer(v));
}

static void parse_aliases(struct pctx *p, long line, recam_str s, json_t *prod)
{
	json_t *arr = json_array();
	json_object_set_new(prod, "aliases", arr);
	size_t i = 0;
	while (i <= s.n) {
		/* up to the next | or ／ (U+FF0F) */
		size_t j = i, sep = 0;
		while (j < s.n) {
			if (s.p[j] == '|') {
				sep = 1;
				break;
			}
			if (s.n - j >= 3 && memcmp(s.p + j, "\xEF\xBC\x8F", 3) == 0) {
				sep = 3;
				break;
			}
			j++;
		}
		recam_str a = trim((recam_str){s.p + i, j - i});
		if (a.n > 0) {
			if (json_array_size(arr) == MAX_ALIASES) {
				fault(p, line, "aliases", "表記ゆれは50件までです。", "At most 50 spellings.");
				return;
			}
			if (!text_ok(a, NAME_MAX_BYTES) || formula_like(a)) {
				fault(p, line, "aliases", "表記ゆれは1件400バイトまでの1行の文字列で、= + - @ で始めないでください。",
				      "Each spelling is one line of at most 400 bytes, not starting with = + - @.");
				return;
			}
			json_array_append_new(arr, json_stringn(a.p, a.n));
		}
		if (sep == 0)
			break;
		i = j + sep;
	}
}

/* One data row → a product appended to out (or faults). */
static void parse_row(struct pctx *p, const struct record *r, const int cols[NCOLS], json_t *out)
{
	long line = r->line;
	for (int c = 0; c < NCOLS; c++) {
		recam_str v = cell(r, cols[c]);
		if (formula_like(v)) {
			fault(p, line, col_names[c], "数式として扱われる文字（= + - @）で始まるセルは取り込めません。",
			      "Cells starting with = + - @ (spreadsheet formulas) are not accepted.");
			return;
		}
	}
	recam_str name = cell(r, cols[COL_NAME]);
	if (name.n == 0) {
		fault(p, line, "name", "商品名を入力してください。", "Enter the product name.");
		return;
	}
	if (!text_ok(name, NAME_MAX_BYTES)) {
		fault(p, line, "name", "商品名は400バイトまでの1行の文字列にしてください。",
		      "The product name is one line of at most 400 bytes.");
		return;
	}
	size_t k;
	json_t *prev;
	json_array_foreach(out, k, prev) {
		const char *pn = json_string_value(json_object_get(prev, "name"));
		if (strlen(pn) == name.n && memcmp(pn, name.p, name.n) == 0) {
			char ja[96], en[96];
			long pl = (long)json_integer_value(json_object_get(prev, "_line"));
			snprintf(ja, sizeof(ja), "同じ商品名が%ld行目にもあります。", pl);
			snprintf(en, sizeof(en), "The same product name is on line %ld.", pl);
			fault(p, line, "name", ja, en);
			return;
		}
	}
	json_t *prod = json_pack("{s:s%, s:I}", "name", name.p, name.n, "_line", (json_int_t)line);
	if (prod == NULL) {
		p->oom = true;
		return;
	}
	int before = p->nerr;
	parse_aliases(p, line, cell(r, cols[COL_ALIASES]), prod);
	recam_str jan = cell(r, cols[COL_JAN]);
	if (jan.n)
		parse_jan(p, line, jan, prod);
	recam_str price = cell(r, cols[COL_PRICE]);
	if (price.n)
		parse_price(p, line, price, prod);
	if (p->nerr == before)
		json_array_append_new(out, prod);
	else
		json_decref(prod);
}

static void parse_records(struct pctx *p, const char *t, size_t n, char delim, json_t *out)
{
	struct record *r = malloc(sizeof(*r));
	if (r == NULL) {
		p->oom = true;
		return;
	}
	size_t pos = 0;
	long line = 1;
	int cols[NCOLS] = {0, 1, 2, 3};
	bool first = true;
	long rows = 0;
	while (next_record(t, n, &pos, &line, delim, r)) {
		if (r->too_long) {
			fault(p, r->line, "row", "行が長すぎます（8192バイトまで）。", "The line is too long (at most 8192 bytes).");
			continue;
		}
		if (r->too_many_cells) {
			fault(p, r->line, "row", "列が多すぎます（32列まで）。", "Too many columns (at most 32).");
			continue;
		}
		if (r->bad_quotes) {
			fault(p, r->line, "row", "引用符（\"）の対応が正しくありません。", "Unbalanced quotes (\").");
			continue;
		}
		if (record_empty(r))
			continue;
		if (first) {
			first = false;
			int found[NCOLS] = {-1, -1, -1, -1}, any = 0;
			for (int i = 0; i < r->ncells; i++) {
				int c = header_col(cell(r, i));
				if (c >= 0 && found[c] < 0) {
					found[c] = i;
					any++;
				}
			}
			if (any > 0) {
				if (found[COL_NAME] < 0) {
					fault(p, r->line, "row", "見出し行に商品名（name）の列がありません。",
					      "The header row has no name column.");
					break;
				}
				memcpy(cols, found, sizeof(cols));
				continue;
			}
		}
		if (++rows > RECAM_CAMPAIGN_MAX_PRODUCTS) {
			fault(p, 0, NULL, "商品は200件までです。", "At most 200 products.");
			break;
		}
		parse_row(p, r, cols, out);
		if (p->oom || p->nerr > RECAM_PRODUCT_CSV_MAX_ERRORS)
			break;
	}
	free(r);
	if (!p->oom && p->nerr == 0 && json_array_size(out) == 0)
		fault(p, 0, NULL, "ファイルに商品がありません。", "The file has no products.");
}

int recam_product_csv_parse(const char *data, size_t len, recam_lang lang, json_t **out, json_t **fields)
{
	struct pctx p = {json_object(), lang, 0, false};
	json_t *list = json_array();
	char *text = NULL;
	size_t tlen = 0;
	char delim;
	int rc = 0;
	if (p.fields == NULL || list == NULL) {
		rc = RECAM_ENOMEM;
		goto done;
	}
	if (len == 0) {
		fault(&p, 0, NULL, "ファイルが空です。", "The file is empty.");
	} else if (len > RECAM_PRODUCT_CSV_MAX_BYTES) {
		fault(&p, 0, NULL, "ファイルが大きすぎます（1MBまで）。", "The file is too large (at most 1 MB).");
	} else if ((rc = decode(&p, data, len, &text, &tlen, &delim)) == 0) {
		parse_records(&p, text, tlen, delim, list);
		if (p.oom)
			rc = RECAM_ENOMEM;
	}
	if (rc == RECAM_EINVAL)
		rc = 0; /* recorded as a fault */
done:
	free(text);
	if (rc == 0 && json_object_size(p.fields) > 0)
		rc = RECAM_EINVAL;
	if (rc == 0) {
		size_t i;
		json_t *prod;
		json_array_foreach(list, i, prod)
			json_object_del(prod, "_line");
		*out = list;
		list = NULL;
	} else if (rc == RECAM_EINVAL) {
		*fields = p.fields;
		p.fields = NULL;
	}
	json_decref(list);
	json_decref(p.fields);
	return rc;
}
