/* parse.c — OCR lines → structured receipt JSON with calibrated confidences.
 *
 * Lines are normalized, classified by keyword (合計, お預り, 登録番号 ...),
 * header fields read by the scanners in parse_fields.c and parse_date.c,
 * items by parse_items.c, and then the arithmetic of the receipt is
 * checked: items sum to the subtotal, subtotal + exclusive tax = total,
 * tendered − change = total, tax agrees with its rate. A value that the arithmetic confirms is
 * trusted; one that nothing confirms is capped below the "sure" level; one
 * the arithmetic contradicts is pushed down, because a confidently wrong
 * value is the worst outcome for a campaign. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "receipt/normalize.h"
#include "receipt/parse_int.h"
#include "receipt/receipt.h"

/* Confidence levels, see docs/reader.md "Confidence". */
#define CONF_UNKNOWN_LINE 0.80f /* plain-text input has no OCR confidence */
#define CONF_NAME_CAP 0.89f

static const char *const kw_subtotal[] = {"小計", "小 計", "SUBTOTAL", "Subtotal", "SUB TOTAL", NULL};
static const char *const kw_total[] = {"合計", "お買上計", "お買上げ計", "お買い上げ計", "お買上合計", "現計", "総計",
				       "お支払合計", "台計", "含計", "全計", "人計", "上計", "見計", "お支払金額", "ご請求", "会計", "TOTAL", "Total", "税込計", NULL};
/* Card and cashless payments print the amount paid where cash prints お預り. */
static const char *const kw_card[] = {"クレジット", "カード", "電子マネー", "支払", "QR", "PayPay", "決済", "CARD", "Card", NULL};
static const char *const kw_tax[] = {"消費税", "内税", "外税", "税額", "税等", "TAX", "Tax", "内消費", NULL};
static const char *const kw_base[] = {"対象", NULL};
/* "り現計": お預り現計 with 預 misread ("お茸り現計"), not 現計 the total */
static const char *const kw_tendered[] = {"お預り", "お預かり", "預り", "預かり", "お預", "現金", "り現計", "CASH", "Cash",
					  "TENDER", "Tender", NULL};
static const char *const kw_change[] = {"お釣", "おつり", "釣銭", "お返し", "釣り", "CHANGE", "Change", NULL};
static const char *const kw_count[] = {"点数", "買上点", "個数", "ITEMS", NULL};
static const char *const kw_receipt_no[] = {"レシートNo", "レシート番号", "レシート", "取引番号", "取引No", "伝票番号",
					    "伝票No", "No.", "No ", "#", "No", NULL};
/* Labels that name the receipt number unambiguously; "No." alone may belong
 * to the cashier or the register. */
static const char *const kw_receipt_no_strong[] = {"レシートNo", "レシート番号", "レシート", "取引番号", "取引No", "伝票番号",
						   "伝票No", "RECEIPT", "Receipt", NULL};
static const char *const kw_register[] = {"レジ", "POS", "REG", NULL};
static const char *const kw_cashier[] = {"担当", "責任者", "責", "係", "CASHIER", "Cashier", NULL};
static const char *const kw_phone[] = {"TEL", "Tel", "tel", "TeL", "電話", "☎", "FAX", NULL};
static const char *const kw_regnum[] = {"登録番号", "登録", NULL};
static const char *const kw_noise[] = {"いらっしゃいませ", "ありがとうございま", "ありがとうござい", "またのご来店",
				       "ご来店", "領収書", "領収証", "毎度", "お待ちしております", "THANK", "Thank",
				       "ポイント", "交通系", "返品", "WAON", "nanaco", "Suica", "残高", "会員", NULL};
static const char *const kw_discount[] = {"値引", "割引", "見切", "%引", "クーポン", "ディスカウント", "値下", NULL};

static json_t *label_value(const char *t, const char *const *labels, bool digits_only);

/* Keywords and labels are matched without the spaces OCR puts inside words. */
static const char *compact_copy(const char *t, char out[RECAM_RECEIPT_MAX_LINE_BYTES + 1])
{
	size_t cn = 0;
	for (const char *p = t; *p && cn < RECAM_RECEIPT_MAX_LINE_BYTES; p++) {
		if (*p == ' ')
			continue;
		if (strncmp(p, "言十", 6) == 0 && cn + 3 <= RECAM_RECEIPT_MAX_LINE_BYTES) {
			memcpy(out + cn, "計", 3); /* 計 split in two glyphs: "会言十" */
			cn += 3;
			p += 5;
			continue;
		}
		out[cn++] = *p;
	}
	out[cn] = '\0';
	return out;
}

/* A card or e-money label, its voicing marks read or lost either way
 * ("クレジッド", "クレシット", "カート"). */
static bool card_label(const char *c)
{
	if (recam_parse_has_any(c, kw_card))
		return true;
	char line[RECAM_RECEIPT_MAX_LINE_BYTES + 1], word[64];
	recam_norm_devoice(c, line, sizeof line);
	for (size_t i = 0; kw_card[i]; i++)
		if (strstr(line, recam_norm_devoice(kw_card[i], word, sizeof word)))
			return true;
	return false;
}

/* A change label, also with a small kana read inside or a つ doubled
 * ("おっつり", "おつっつり", "おぉつり": お, then っ ぉ つ, one つ at least, then
 * り), or its つ read as う ("おうり"). */
static bool change_label(const char *c)
{
	if (recam_parse_has_any(c, kw_change) || strncmp(c, "釣", strlen("釣")) == 0 || strstr(c, "おうり"))
		return true; /* "釣 作 ¥917": 釣 starting the line, its kana lost */
	for (const char *p = strstr(c, "お"); p; p = strstr(p + 3, "お")) {
		const char *q = p + 3;
		bool tsu = false;
		for (;; q += 3) {
			if (strncmp(q, "つ", 3) == 0)
				tsu = true;
			else if (strncmp(q, "っ", 3) != 0 && strncmp(q, "ぉ", 3) != 0)
				break;
		}
		if (tsu && strncmp(q, "り", 3) == 0)
			return true;
	}
	return false;
}

/* A receipt-number label in a compacted line; "No" not as the start of a
 * word ("Potato Chips Nori ¥158", "Noodle"). */
static bool receipt_no_label(const char *c)
{
	for (const char *const *kw = kw_receipt_no; *kw; kw++) {
		if (strcmp(*kw, "No") != 0) {
			if (strstr(c, *kw))
				return true;
			continue;
		}
		for (const char *p = strstr(c, "No"); p; p = strstr(p + 2, "No"))
			if (!(p[2] >= 'a' && p[2] <= 'z'))
				return true;
	}
	return false;
}

/* A compact line that starts with 計 (or ")計"): 合計 or 小計 with its
 * first glyph lost. */
static bool bare_total_label(const char *c)
{
	return strncmp(c, "計", strlen("計")) == 0 || strncmp(c, ")計", strlen(")計")) == 0;
}

static unsigned classify(const char *t)
{
	unsigned k = 0;
	char compact[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
	const char *c = compact_copy(t, compact);
	bool tendered = recam_parse_has_any(c, kw_tendered);
	/* "合 計" with its first glyph lost is still the total; not a speck
	 * read as 計 before an item's name ("計 軽 即席 みそ 汁 ¥298") */
	bool bare = bare_total_label(c);
	const char *after = bare ? c + (c[0] == ')') + strlen("計") : c;
	bool bare_total = bare && recam_parse_cjk_count(after, strlen(after)) - (strstr(after, "円") != NULL) <= 1;
	if (recam_parse_has_any(c, kw_subtotal))
		k |= RECAM_PK_SUBTOTAL;
	else if (bare_total && !tendered)
		k |= RECAM_PK_TOTAL;
	else if (recam_parse_has_any(c, kw_total) && !recam_parse_has(c, "対象") && !recam_parse_has(c, "明細") && !tendered)
		k |= RECAM_PK_TOTAL; /* not the title "お会計明細" */
	if (recam_parse_has_any(c, kw_base))
		k |= RECAM_PK_BASE;
	if (recam_parse_has_any(c, kw_tax))
		k |= RECAM_PK_TAX;
	if (tendered || (card_label(c) && !(k & RECAM_PK_TOTAL)))
		k |= RECAM_PK_TENDERED;
	if (change_label(c))
		k |= RECAM_PK_CHANGE;
	if (recam_parse_has_any(c, kw_count))
		k |= RECAM_PK_COUNT;
	/* labels count only with a value after them: レジ袋 is a product */
	json_t *lv = label_value(c, kw_register, true);
	if (lv)
		k |= RECAM_PK_REGISTER;
	json_decref(lv);
	lv = label_value(c, kw_cashier, false);
	if (lv)
		k |= RECAM_PK_CASHIER;
	json_decref(lv);
	if (receipt_no_label(c))
		k |= RECAM_PK_RECEIPTNO;
	/* "jEL96-6717-1059": TEL with its T misread, starting the line */
	bool tel_misread = ((c[0] >= 'A' && c[0] <= 'Z') || (c[0] >= 'a' && c[0] <= 'z')) && c[1] == 'E' && c[2] == 'L' &&
			   (c[3] >= '0' && c[3] <= '9');
	/* "TLO120-650-878", "THLO422-95-2102": the E lost or misread, the
	 * colon read as O, starting the line */
	size_t tl = c[0] != 'T' ? 0 : c[1] == 'L' ? 2 : c[1] >= 'A' && c[1] <= 'Z' && c[2] == 'L' ? 3 : 0;
	tel_misread = tel_misread || (tl && (c[tl] == 'O' || c[tl] == ':') && c[tl + 1] >= '0' && c[tl + 1] <= '9');
	if (recam_parse_has_any(c, kw_phone) || tel_misread)
		k |= RECAM_PK_PHONE;
	if (recam_parse_has_any(c, kw_regnum))
		k |= RECAM_PK_REGNUM;
	if (recam_parse_has_any(c, kw_noise))
		k |= RECAM_PK_NOISE;
	if (recam_parse_has_any(c, kw_discount))
		k |= RECAM_PK_DISCOUNT;
	char d[11], tm[6], ph[16], rn[15];
	float q;
	bool ok;
	if (recam_parse_date(t, d, &q))
		k |= RECAM_PK_DATE;
	if (recam_parse_time(t, tm, &q))
		k |= RECAM_PK_TIME;
	if (!(k & RECAM_PK_PHONE) && recam_parse_phone(t, ph, &q) && q >= 1.0f)
		k |= RECAM_PK_PHONE;
	int how;
	if (recam_parse_regnum(t, rn, &ok, &how))
		k |= RECAM_PK_REGNUM;
	int64_t qq, uu;
	if (recam_parse_qty(t, 0, &qq, &uu))
		k |= RECAM_PK_QTY;
	/* A dated line or a line with a time is never an item, even if it ends in digits. */
	return k;
}

static json_t *field(json_t *value, float conf)
{
	if (value == NULL)
		return json_null();
	if (conf < 0)
		conf = 0;
	if (conf > 1)
		conf = 1;
	/* two decimals are enough and keep the output stable */
	double c = (double)(int)(conf * 100.0f + 0.5f) / 100.0;
	return json_pack("{s:o,s:f}", "value", value, "confidence", c);
}

static double round2(float c) { return (double)(int)(c * 100.0f + 0.5f) / 100.0; }

/* A money line's amount; the first match of the kind wins. */
typedef struct money {
	bool found;
	int64_t v;
	float conf;
	int line;
	bool has_alt;	/* "9 489": the thousands separator read as a space */
	int64_t alt;
	bool lost_lead; /* "¥: 990": only the last group is known */
} money;

/* "合計 9 489": the amount's comma lost to a space gives 489 at first; the
 * other reading, 9489, is kept as an alternative for the cross-checks. */
static bool spaced_amount(const char *t, const recam_pamount *a, int64_t *alt)
{
	if (a->negative || a->value >= 1000)
		return false;
	size_t e = a->start;
	while (t[e] == ' ')
		e++;
	size_t i = e; /* start of the spaces before the digits */
	while (i > 0 && t[i - 1] == ' ')
		i--;
	if (i == e || i == 0)
		return false; /* no space, or "¥489": the space is not inside the number */
	int nd = 0;
	for (size_t k = e; t[k] >= '0' && t[k] <= '9'; k++)
		nd++;
	if (nd != 3 || t[e + 3] != '\0')
		return false;
	size_t j = i;
	while (j > 0 && t[j - 1] >= '0' && t[j - 1] <= '9')
		j--;
	if (i - j < 1 || i - j > 3 ||
	    (j > 0 && t[j - 1] != ' ' && t[j - 1] != '\\' && !(j >= 2 && (unsigned char)t[j - 2] == 0xC2)))
		return false;
	int64_t lead = 0;
	for (size_t k = j; k < i; k++)
		lead = lead * 10 + (t[k] - '0');
	if (lead == 0)
		return false;
	*alt = lead * 1000 + a->value;
	return true;
}

static void take_money(const recam_pline *L, size_t n, unsigned kind, unsigned exclude, int decimals, money *m,
		       size_t *first_line)
{
	memset(m, 0, sizeof(*m));
	m->line = -1;
	for (size_t i = 0; i < n; i++) {
		if (!(L[i].kind & kind) || (L[i].kind & exclude))
			continue;
		recam_pamount a;
		if (!recam_parse_trailing_amount(L[i].t, decimals, &a)) {
			/* "合計" on one line and the amount alone on the next */
			if (i + 1 < n && L[i + 1].kind == 0 && recam_parse_trailing_amount(L[i + 1].t, decimals, &a) &&
			    a.start == 0) {
				m->conf = minf(L[i].conf, L[i + 1].conf);
			} else {
				continue;
			}
		} else {
			m->conf = L[i].conf;
		}
		m->found = true;
		/* money handed over or back is never negative: a minus there is a
		 * speck ("お預り金 ¥3,000-") */
		bool paid = kind & (RECAM_PK_TENDERED | RECAM_PK_CHANGE);
		m->v = a.negative && !paid ? -a.value : a.value;
		m->has_alt = spaced_amount(L[i].t, &a, &m->alt);
		m->lost_lead = a.lost_lead;
		if (a.repaired)
			m->conf *= 0.85f;
		m->line = (int)i;
		if (first_line && i < *first_line)
			*first_line = i;
		return;
	}
}

/* The change of an exact payment read as 9, 6 or 8 ("お釣り 9"): ¥0 misread. */
static void change_of_nothing(money *chg)
{
	if (chg->v == 9 || chg->v == 6 || chg->v == 8) {
		chg->v = 0;
		chg->conf *= 0.8f;
	}
}

/* お預かり with its label lost ("才 了 擦 かり ¥26,000"): the line right above
 * the change line, with no label we know, is the amount tendered when its
 * amount is larger than the change and either the unlabelled line above it
 * is tendered − change (three readings in agreement: "3 小 術 ¥25,293", the
 * total), or the subtotal is, or it is round thousands, as notes are. It is
 * taken at a confidence the arithmetic cannot raise (the total then comes
 * from the payment, at 0.5). Returns the first line of the money block it
 * shows, so that neither line is taken for an item. */
static size_t tendered_above_change(const recam_pline *L, int decimals, const money *chg, const money *sub, money *tend)
{
	recam_pamount a;
	int i = chg->line - 1;
	if (i < 0 || L[i].kind != 0 || !recam_parse_trailing_amount(L[i].t, decimals, &a) || a.negative ||
	    a.value <= chg->v)
		return SIZE_MAX;
	int64_t v = a.value;
	bool total_above = i > 0 && L[i - 1].kind == 0 && recam_parse_trailing_amount(L[i - 1].t, decimals, &a) &&
			   !a.negative && a.value == v - chg->v;
	bool is_sub = sub->found && sub->v == v - chg->v; /* "環 金 ¥19,200" under 小計 ¥19,150 */
	if (!total_above && !is_sub && (decimals != 0 || v % 1000 != 0))
		return SIZE_MAX;
	tend->found = true;
	tend->v = v;
	tend->conf = minf(L[i].conf, 0.5f);
	tend->line = i;
	return (size_t)(total_above ? i - 1 : i);
}

/* No total, tendered or change label read ("\\1278 軒", "間 1278", ...,
 * "\\5000", "\\3722"): a line's amount T less the amount C one or two
 * lines below it is the amount x of one of the ten lines above, and x is
 * read again on another of those lines or is the subtotal: T is what was
 * handed over, C the change. T must be a whole ten; two different x are
 * no answer. Taken at a confidence the arithmetic cannot raise (of 391 dev
 * receipts where such a triple exists, it gave the total on 387); returns
 * the line of x, the first of the money block, or SIZE_MAX. */
static size_t payment_without_labels(const recam_pline *L, size_t n, int decimals, const money *sub, money *tend,
				     money *chg)
{
	if (n < 3 || n > 400)
		return SIZE_MAX;
	int64_t *v = calloc(n, sizeof(*v)); /* 0: no amount */
	if (!v)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		recam_pamount a;
		if (recam_parse_trailing_amount(L[i].t, decimals, &a) && !a.negative)
			v[i] = a.value;
	}
	size_t x_line = SIZE_MAX, tj = 0, ck = 0;
	int64_t x = 0;
	bool two = false;
	for (size_t j = 1; j < n && !two; j++) {
		if (v[j] <= 0 || v[j] % 10 != 0)
			continue;
		for (size_t k = j + 1; k < n && k <= j + 2 && !two; k++)
			for (size_t i = j >= 10 ? j - 10 : 0; i < j && v[k] > 0; i++) {
				if (v[i] <= 0 || v[j] - v[k] != v[i])
					continue;
				bool again = sub->found && sub->v == v[i];
				for (size_t q = i >= 6 ? i - 6 : 0; q < j && !again; q++)
					again = q != i && v[q] == v[i];
				if (!again)
					continue;
				if (x_line != SIZE_MAX && x != v[i]) {
					two = true;
					break;
				}
				if (x_line == SIZE_MAX)
					x_line = i, x = v[i], tj = j, ck = k;
			}
	}
	free(v);
	if (x_line == SIZE_MAX || two)
		return SIZE_MAX;
	money *m[2] = {tend, chg};
	size_t at[2] = {tj, ck};
	for (int q = 0; q < 2; q++) {
		recam_pamount a;
		recam_parse_trailing_amount(L[at[q]].t, decimals, &a);
		m[q]->found = true;
		m[q]->v = a.value;
		m[q]->conf = minf(L[at[q]].conf, 0.5f);
		m[q]->line = (int)at[q];
	}
	return x_line;
}

/* The text after a label such as レジ or 担当, up to the next space. */
static json_t *label_value(const char *t, const char *const *labels, bool digits_only)
{
	for (const char *const *l = labels; *l; l++) {
		const char *p = strstr(t, *l);
		if (p == NULL)
			continue;
		p += strlen(*l);
		while (*p == ' ' || *p == ':' || *p == '#' || *p == '.' || *p == 'N' || *p == 'o' || *p == '-' ||
		       *p == ']' || *p == ')')
			p++;
		if (strncmp(p, "番号", 6) == 0 || strncmp(p, "者", 3) == 0)
			p += strncmp(p, "番号", 6) == 0 ? 6 : 3;
		while (*p == ' ' || *p == ':' || *p == '#' || *p == '.')
			p++;
		size_t k = 0;
		if (digits_only)
			while ((p[k] >= '0' && p[k] <= '9') || p[k] == '-')
				k++;
		else
			while (p[k] && p[k] != ' ')
				k++;
		if (k == 0)
			continue;
		return json_stringn(p, k);
	}
	return NULL;
}

/* Amounts whose digits differ by at most two edits: one misread as the
 * other ("985"/"986", "3"/"330"). */
static bool digits_close(int64_t a, int64_t b)
{
	char x[24], y[24];
	int nx = snprintf(x, sizeof(x), "%lld", (long long)a), ny = snprintf(y, sizeof(y), "%lld", (long long)b);
	if (nx <= 0 || ny <= 0 || nx >= 24 || ny >= 24)
		return false;
	int d[24][24];
	for (int i = 0; i <= nx; i++)
		d[i][0] = i;
	for (int j = 0; j <= ny; j++)
		d[0][j] = j;
	for (int i = 1; i <= nx; i++)
		for (int j = 1; j <= ny; j++) {
			int c = d[i - 1][j - 1] + (x[i - 1] != y[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			d[i][j] = c;
		}
	return d[nx][ny] <= 2;
}

/* Whether a reads 9 where b reads 0, and is otherwise the same number: a
 * slashed zero read as 9 ("¥4,249" for ¥4,240 on total and subtotal alike,
 * the 8% base "4,240" right). */
static bool zeros_read_nine(int64_t a, int64_t b)
{
	char x[24], y[24];
	int nx = snprintf(x, sizeof(x), "%lld", (long long)a), ny = snprintf(y, sizeof(y), "%lld", (long long)b);
	if (a == b || nx != ny || nx <= 0 || nx >= 24)
		return false;
	for (int i = 0; i < nx; i++)
		if (x[i] != y[i] && !(x[i] == '9' && y[i] == '0'))
			return false;
	return true;
}

/* A discount line below the subtotal makes the total differ from it. */
static bool discount_after(const recam_pline *L, size_t n, int from)
{
	for (size_t i = from < 0 ? 0 : (size_t)from; i < n; i++)
		if (L[i].kind & RECAM_PK_DISCOUNT)
			return true;
	return false;
}

/* ---- the receipt ---- */

typedef struct receipt {
	recam_pline *L;
	size_t n;
	int decimals;
	json_t *out;
} receipt;

/* Whether t holds the digit run want (not part of a longer number). */
static bool has_number(const char *t, const char *want)
{
	size_t k = strlen(want);
	for (const char *p = strstr(t, want); p; p = strstr(p + 1, want))
		if ((p == t || p[-1] < '0' || p[-1] > '9') && (p[k] < '0' || p[k] > '9'))
			return true;
	return false;
}

/* A date line printed with slashed zeros and read with every 0 as 9: the
 * line has no digit 0, and the date's year, month or day with its 0s as 9s
 * is printed on it ("2926/93/23", "令和9年19月9日" for 2027-10-09; not
 * "3 月" for 03). */
static bool nines_for_zeros(const char *t, const char d[11])
{
	if (strchr(t, '0') != NULL)
		return false;
	const size_t at[] = {0, 5, 8}, len[] = {4, 2, 2};
	for (size_t i = 0; i < 3; i++) {
		char part[5];
		memcpy(part, d + at[i], len[i]);
		part[len[i]] = '\0';
		if (strchr(part, '0') == NULL)
			continue;
		for (char *c = part; *c; c++)
			*c = *c == '0' ? '9' : *c;
		if (has_number(t, part))
			return true;
	}
	return false;
}

/* A number after a receipt-number label on the line ("取引No.8413"). */
static bool label_value_present(const char *t)
{
	char cbuf[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
	json_t *v = label_value(compact_copy(t, cbuf), kw_receipt_no, true);
	bool has = v != NULL;
	json_decref(v);
	return has;
}

static int header_fields(receipt *r, size_t items_from)
{
	json_t *o = r->out;
	const recam_pline *L = r->L;
	bool have_date = false, have_time = false, have_phone = false, have_reg = false;
	long date_line = -1;
	bool date_nines = false;
	json_t *recno = NULL, *reg = NULL, *cashier = NULL;
	float recno_c = 0, reg_c = 0, cashier_c = 0;
	char cbuf[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
	for (size_t i = 0; i < r->n; i++) {
		const char *t = L[i].t;
		float q;
		if (!have_date && (L[i].kind & RECAM_PK_DATE)) {
			char d[11];
			if (recam_parse_date(t, d, &q)) {
				/* The printed weekday is the only cross-check a date has: a
				 * digit misread almost never keeps the weekday right. */
				int wd = recam_parse_weekday(t);
				float c = minf(L[i].conf * q, CONF_UNCHECKED_CAP);
				if (wd >= 0 && wd == recam_parse_date_weekday(d))
					c = maxf(minf(L[i].conf * q + 0.1f, 0.97f), c);
				else if (wd >= 0 && recam_parse_date_by_weekday(d, wd))
					c = minf(L[i].conf * 0.7f + 0.1f, CONF_UNCHECKED_CAP); /* repaired, then confirmed */
				else if (wd >= 0)
					c = minf(c, CONF_CONTRADICTED_CAP);
				json_object_set_new(o, "date", field(json_string(d), c));
				have_date = true;
				date_line = (long)i;
				date_nines = nines_for_zeros(t, d);
			}
		}
		if (!have_time && (L[i].kind & RECAM_PK_TIME)) {
			char tm[6];
			if (recam_parse_time(t, tm, &q)) {
				/* the date of this line was read with its 0s as 9s: so was
				 * the time ("2926/93/23 19:43" for 10:43) */
				if (date_line == (long)i && date_nines && strchr(tm, '9')) {
					for (char *c = tm; *c; c++)
						*c = *c == '9' ? '0' : *c;
					q = minf(q, 0.7f);
				}
				/* nothing on a receipt can confirm a time */
				json_object_set_new(o, "time", field(json_string(tm), minf(L[i].conf * q, CONF_UNCHECKED_CAP)));
				have_time = true;
			}
		}
		if (!have_phone && (L[i].kind & RECAM_PK_PHONE) && !(L[i].kind & RECAM_PK_REGNUM)) {
			char ph[16];
			if (recam_parse_phone(t, ph, &q)) {
				/* a FAX number printed first is not the shop's phone */
				bool fax = recam_parse_has(t, "FAX") && !recam_parse_has_any(t, (const char *const[]){"TEL", "電話", NULL});
				if (!fax) {
					json_object_set_new(o, "phone", field(json_string(ph), minf(L[i].conf * q, 0.95f)));
					have_phone = true;
				}
			}
		}
		if (!have_reg && (L[i].kind & RECAM_PK_REGNUM)) {
			char rn[15];
			bool ok;
			int how;
			if (recam_parse_regnum(t, rn, &ok, &how)) {
				/* The check digit catches every single-digit slip: a valid
				 * number is trustworthy, an invalid one is not. */
				/* The mod-9 check digit cannot see a 0 read as 9 (or back), the
				 * commonest slip on photos: with either digit present a valid
				 * number stays below the sure level. */
				bool nines = strpbrk(rn + 1, "09") != NULL;
				float c = ok ? minf(maxf(L[i].conf, 0.9f), nines ? 0.88f : 0.97f) : minf(L[i].conf, 0.3f);
				if (how == RECAM_REGNUM_REPAIRED && ok)
					c = minf(c, 0.9f);
				if (how == RECAM_REGNUM_DERIVED)
					c = minf(c, 0.6f); /* the check digit was used up */
				json_t *f = field(json_string(rn), c);
				json_object_set_new(f, "check_digit_ok", json_boolean(ok));
				if (how != RECAM_REGNUM_READ)
					json_object_set_new(f, "repaired", json_true());
				json_object_set_new(o, "registration_number", f);
				have_reg = true;
			}
		}
		const unsigned mk = RECAM_PK_MONEY;
		if (!recno && recam_parse_has_any(compact_copy(t, cbuf), kw_receipt_no_strong) && !(L[i].kind & mk)) {
			recno = label_value(compact_copy(t, cbuf), kw_receipt_no_strong, true);
			recno_c = minf(L[i].conf, CONF_UNCHECKED_CAP);
		}
		if (!reg && (L[i].kind & RECAM_PK_REGISTER) && !(L[i].kind & mk)) {
			reg = label_value(compact_copy(t, cbuf), kw_register, true);
			reg_c = minf(L[i].conf, CONF_UNCHECKED_CAP);
		}
		if (!cashier && (L[i].kind & RECAM_PK_CASHIER) && !(L[i].kind & mk)) {
			cashier = label_value(compact_copy(t, cbuf), kw_cashier, false);
			cashier_c = minf(L[i].conf, CONF_UNCHECKED_CAP);
		}
	}
	for (size_t i = 0; i < r->n && !recno; i++) {
		/* a bare "No.1234" on a line with no other label */
		if ((L[i].kind & RECAM_PK_RECEIPTNO) && !(L[i].kind & ~(unsigned)(RECAM_PK_RECEIPTNO | RECAM_PK_DATE | RECAM_PK_TIME)) &&
		    !recam_parse_has_any(L[i].t, (const char *const[]){"席", "テーブル", "人数", "卓", NULL})) {
			recno = label_value(compact_copy(L[i].t, cbuf), kw_receipt_no, true);
			recno_c = minf(L[i].conf, CONF_UNCHECKED_CAP);
		}
	}
	json_object_set_new(o, "receipt_number", field(recno, recno_c));
	json_object_set_new(o, "register", field(reg, reg_c));
	json_object_set_new(o, "cashier", field(cashier, cashier_c));

	/* Store and branch: the first name-like lines of the header. */
	long store = -1, branch = -1;
	size_t limit = items_from < 8 ? items_from : 8;
	for (size_t i = 0; i < limit; i++) {
		const char *t = L[i].t;
		if ((L[i].kind & ~(RECAM_PK_RECEIPTNO | RECAM_PK_REGISTER | RECAM_PK_CASHIER | RECAM_PK_QTY)) ||
		    (L[i].kind & (RECAM_PK_REGISTER | RECAM_PK_CASHIER)) || !recam_store_name_like(t) || recam_store_address_like(t))
			continue;
		if ((L[i].kind & RECAM_PK_RECEIPTNO) && label_value_present(t))
			continue; /* "取引 No.8413", "席 No.12" */
		size_t len = recam_store_trimmed(t, strlen(t));
		bool is_branch = recam_store_branch_like(t, len);
		if (store < 0 && !is_branch)
			store = (long)i;
		else if (branch < 0 && is_branch)
			branch = (long)i;
		if (branch >= 0)
			break; /* the store is printed above its branch */
	}
	float sc = store >= 0 ? minf(L[store].conf, CONF_UNCHECKED_CAP) : 0;
	float bc = branch >= 0 ? minf(L[branch].conf, CONF_UNCHECKED_CAP) : 0;
	size_t cut;
	size_t blen = branch >= 0 ? recam_store_trimmed(L[branch].t, strlen(L[branch].t)) : 0;
	if (branch >= 0 && store < 0 && (cut = recam_store_branch_cut(L[branch].t, blen)) > 0) {
		/* "スーパーハッピー浦和中央店" on one line */
		size_t e = cut;
		while (e > 0 && L[branch].t[e - 1] == ' ')
			e--;
		json_object_set_new(o, "store", field(recam_store_name(L[branch].t, e), bc));
		json_object_set_new(o, "branch", field(json_stringn(L[branch].t + cut, blen - cut), bc));
	} else {
		if (store >= 0)
			json_object_set_new(o, "store", field(recam_store_name(L[store].t, strlen(L[store].t)), sc));
		if (branch >= 0)
			json_object_set_new(o, "branch", field(json_stringn(L[branch].t, blen), bc));
	}
	static const char *const fields[] = {"store", "branch", "phone", "registration_number", "date", "time", NULL};
	for (const char *const *f = fields; *f; f++)
		if (!json_object_get(o, *f))
			json_object_set_new(o, *f, json_null());
	return 0;
}

/* A name in kana or kanji and an amount at the end. */
static bool looks_like_item(const char *t, int decimals)
{
	recam_pamount a;
	if (!recam_parse_trailing_amount(t, decimals, &a)) {
		/* "アイスソーダ #366": ¥ read as # */
		const char *h = strrchr(t, '#');
		if (h == NULL || h == t || h[-1] != ' ' || strspn(h + 1, "0123456789,") != strlen(h + 1) || strlen(h + 1) < 2)
			return false;
		a.start = (size_t)(h - t);
	}
	for (size_t i = 0; i < a.start; i++)
		if ((unsigned char)t[i] >= 0xE3 && (unsigned char)t[i] <= 0xE9)
			return true;
	return false;
}

/* A receipt-number label that is only a "#" after a name in kana or kanji
 * ("4 にすす焼 #2 コ ¥120") or with no number after it ("17 # ョ コパン ¥696",
 * チ misread): a misread, not "#3685", "# 3685" or "POS#0004". */
static bool hash_label_only(const char *t)
{
	const char *h = strchr(t, '#');
	if (h == NULL || recam_parse_has_any(t, kw_receipt_no_strong) || strstr(t, "No") != NULL)
		return false;
	const char *d = h + 1;
	while (*d == ' ')
		d++;
	if (*d < '0' || *d > '9')
		return true;
	for (const char *p = t; p < h; p++)
		if ((unsigned char)*p >= 0xE3 && (unsigned char)*p <= 0xE9)
			return true;
	return false;
}

/* A tax line says the tax is included: "内税", "(内消費税等 ¥105)". */
static bool tax_said_included(const recam_pline *L, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((L[i].kind & RECAM_PK_TAX) && (recam_parse_has(L[i].t, "内税") || recam_parse_has(L[i].t, "内消費")))
			return true;
	return false;
}

/* No word says 外税 or 内税 (the caller checks) and no base was read
 * ("消費税等(10%) 111 円"): the tax was added on top when the subtotal plus the taxes is the total
 * read, the payment, or the amount of a line below the subtotal with no
 * label (the total's label misread: "IS 1.229 円"). The tax lines are then
 * marked exclusive; returns the taxes' sum, or 0. */
static int64_t exclusive_by_sum(const recam_pline *L, size_t n, json_t *tax, const money *sub, const money *tot,
				const money *tend, const money *chg, int decimals)
{
	if (!sub->found || sub->lost_lead)
		return 0;
	int64_t taxes = 0;
	size_t i;
	json_t *t;
	json_array_foreach(tax, i, t) {
		if (json_is_integer(json_object_get(t, "base")) || !json_is_integer(json_object_get(t, "tax")))
			return 0;
		taxes += json_integer_value(json_object_get(t, "tax"));
	}
	int64_t want = sub->v + taxes;
	if (taxes <= 0 || taxes * 5 > sub->v)
		return 0;
	bool fits = (tot->found && tot->v == want) || (tend->found && chg->found && tend->v - chg->v == want);
	for (size_t k = (size_t)sub->line + 1; !fits && !tot->found && k < n; k++) {
		recam_pamount a;
		fits = L[k].kind == 0 && recam_parse_trailing_amount(L[k].t, decimals, &a) && !a.negative &&
		       a.value == want;
	}
	if (!fits)
		return 0;
	json_array_foreach(tax, i, t)
		json_object_set_new(t, "kind", json_string("exclusive"));
	return taxes;
}

/* No tax line read, but one of the two lines under the subtotal holds a
 * rate (8 or 10) and ends in that rate of the subtotal, rounded any way:
 * the 外税 line with its label misread ("外科 8 族 173" under 小計 2,164).
 * The arithmetic is the check; it is taken as the exclusive tax. */
static int64_t tax_by_rate(const recam_pline *L, size_t n, json_t *tax, const money *sub, int decimals)
{
	if (!sub->found || sub->lost_lead || json_array_size(tax) > 0 || decimals != 0)
		return 0;
	for (size_t k = (size_t)sub->line + 1; k < n && k <= (size_t)sub->line + 2; k++) {
		recam_pamount a;
		if (L[k].kind != 0 || !recam_parse_trailing_amount(L[k].t, decimals, &a) || a.negative || a.value <= 0)
			continue;
		int rate = 0;
		for (const char *p = L[k].t; *p; p++) {
			bool start = p == L[k].t || p[-1] == ' ';
			int r = start && p[0] == '8' ? 8 : start && p[0] == '1' && p[1] == '0' ? 10 : 0;
			const char *e = p + (r == 10 ? 2 : 1);
			if (r && (*e == ' ' || *e == '%')) {
				rate = r;
				break;
			}
		}
		int64_t x = sub->v * rate;
		if (rate == 0 || (a.value != x / 100 && a.value != (x + 50) / 100 && a.value != (x + 99) / 100))
			continue;
		json_array_append_new(tax, json_pack("{s:i,s:s,s:n,s:I,s:f}", "rate", rate, "kind", "exclusive", "base",
						     "tax", (json_int_t)a.value, "confidence", 0.6));
		return a.value;
	}
	return 0;
}

/* The payment and the subtotal (+ exclusive tax) agree against the total
 * line, but each may stand for the line's amount with dotted-print slips
 * undone ("小計 8,967 外税 866 預かり 9,960 釣銭 127" for 合計 8,873: 8,067 +
 * 806 = 9,000 − 127): the slips go one way and often several lines at
 * once, so their agreement is no proof against the line. */
static bool slipped_onto(const money *tot, const money *sub, const money *tend, const money *chg, bool card,
			 int64_t excl_tax, int decimals)
{
	if (decimals != 0 || !sub->found || !tend->found || (!chg->found && !card))
		return false;
	return recam_slip_pair_reaches(sub->v, excl_tax, 1, tot->v) &&
	       recam_slip_pair_reaches(tend->v, chg->found ? chg->v : 0, -1, tot->v);
}

/* The receipt's readings of its total as parse_slips.c takes them: the
 * total and subtotal lines, tendered − change (or the card payment), the
 * inclusive bases (each rate read with its base; its tax when read) and
 * the items' sum. */
static bool money_reads(const money *tot, const money *sub, const money *tend, const money *chg, bool card,
			json_t *tax, bool incl_said, const recam_pitem *items, size_t nitems, recam_slip_fix *fix)
{
	recam_money_reads m;
	memset(&m, 0, sizeof(m));
	m.incl_said = incl_said;
	m.has_tot = tot->found && !tot->lost_lead;
	m.tot = tot->v;
	m.has_sub = sub->found && !sub->lost_lead;
	m.sub = sub->v;
	m.card = card && !chg->found;
	m.has_pay = tend->found && !tend->lost_lead && ((chg->found && tend->v > chg->v) || m.card);
	m.tend = tend->v;
	m.chg = chg->found ? chg->v : 0;
	size_t k;
	json_t *t;
	bool all = true;
	json_array_foreach(tax, k, t) {
		json_t *rt = json_object_get(t, "rate"), *b = json_object_get(t, "base"), *x = json_object_get(t, "tax");
		m.tax_sum += json_integer_value(x); /* 0 when not read */
		if (!json_is_integer(rt) || !json_is_integer(b) || m.nbase == RECAM_SLIP_RATES)
			all = false; /* a rate read without its base: no sum */
		else {
			m.rate[m.nbase] = (int)json_integer_value(rt);
			m.base[m.nbase] = json_integer_value(b);
			m.tax[m.nbase++] = json_is_integer(x) ? json_integer_value(x) : -1;
		}
	}
	if (!all)
		m.nbase = 0;
	for (size_t i = 0; i < nitems; i++)
		m.items_sum += items[i].amount;
	m.has_items = nitems > 0;
	return recam_slip_consensus(&m, fix);
}

/* Item lines with amounts above a weak header label that make it part of the items. */
#define ITEM_RUN 3

/* "計 4,611 円" above "ご請求額 5,072 円": a line that starts with 計 is
 * 小計 with 小 lost, not the total, when a line with a total's label and
 * an amount follows it (heavy dev17h 0148: taken as the total, confirmed
 * by the items alone, and reported sure). */
static void subtotal_lost_its_first_glyph(receipt *r, money *sub, money *tot)
{
	if (sub->found || !tot->found || tot->line < 0)
		return;
	char c[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
	if (!bare_total_label(compact_copy(r->L[tot->line].t, c)))
		return;
	size_t from = (size_t)tot->line + 1;
	money later;
	take_money(r->L + from, r->n - from, RECAM_PK_TOTAL, RECAM_PK_COUNT | RECAM_PK_TAX, r->decimals, &later, NULL);
	if (!later.found || later.line < 0)
		return;
	later.line += (int)from;
	r->L[tot->line].kind = (r->L[tot->line].kind & ~(unsigned)RECAM_PK_TOTAL) | RECAM_PK_SUBTOTAL;
	*sub = *tot;
	*tot = later;
}

static int build(receipt *r)
{
	json_t *o = r->out;
	const recam_pline *L = r->L;
	size_t n = r->n;
	/* The items end where the money lines begin. */
	size_t money_from = n;
	money sub, tot, tend, chg;
	take_money(L, n, RECAM_PK_SUBTOTAL, RECAM_PK_COUNT, r->decimals, &sub, &money_from);
	take_money(L, n, RECAM_PK_TOTAL, RECAM_PK_COUNT | RECAM_PK_TAX, r->decimals, &tot, &money_from);
	subtotal_lost_its_first_glyph(r, &sub, &tot);
	take_money(L, n, RECAM_PK_TENDERED, RECAM_PK_CHANGE | RECAM_PK_TOTAL, r->decimals, &tend, NULL);
	take_money(L, n, RECAM_PK_CHANGE, 0, r->decimals, &chg, NULL);
	if (chg.found && tend.found && tot.found && tend.v == tot.v)
		change_of_nothing(&chg); /* paid exactly, so nothing was given back */
	if (chg.found && !tend.found && !tot.found) {
		size_t first = tendered_above_change(L, r->decimals, &chg, &sub, &tend);
		if (first < money_from)
			money_from = first;
	}
	size_t unlabeled_pay = SIZE_MAX;
	if (!tot.found && !tend.found && !chg.found) {
		unlabeled_pay = payment_without_labels(L, n, r->decimals, &sub, &tend, &chg);
		if (unlabeled_pay < money_from)
			money_from = unlabeled_pay;
	}
	if (!tot.found && !sub.found) {
		/* no amount read on a total or subtotal line: the first money
		 * label ends the items all the same (`全計 14,87opg`) */
		for (size_t i = 0; i < n; i++)
			if (L[i].kind & (RECAM_PK_TAX | RECAM_PK_BASE | RECAM_PK_TENDERED | RECAM_PK_TOTAL | RECAM_PK_SUBTOTAL)) {
				money_from = i;
				break;
			}
	}
	/* Items start after the last header line above the money lines. An
	 * item line with a "#" read in it ("アイスソーダ #366") or a label word
	 * in its name before a yen amount ("メイク落とし レシート ¥948": シート
	 * read as レシート) is not the receipt number: as a header line it
	 * would drop every item above it. */
	size_t items_from = 0, items_above = 0;
	for (size_t i = 0; i < money_from; i++) {
		unsigned strong = RECAM_PK_DATE | RECAM_PK_TIME | RECAM_PK_PHONE | RECAM_PK_REGNUM;
		unsigned weak = RECAM_PK_REGISTER | RECAM_PK_RECEIPTNO | RECAM_PK_CASHIER;
		bool is_item = !(L[i].kind & RECAM_PK_MONEY) &&
			       (looks_like_item(L[i].t, r->decimals) || (i + 1 < n && (L[i + 1].kind & RECAM_PK_QTY)));
		recam_pamount a;
		bool amounted = is_item && recam_parse_trailing_amount(L[i].t, r->decimals, &a);
		bool priced = amounted && a.yen_mark;
		/* a weak label below ITEM_RUN item lines with amounts is a misread
		 * in an item ("19 て #2 23%" among 60 items of a long receipt) */
		bool amid = items_above >= ITEM_RUN;
		if ((L[i].kind & strong) || ((L[i].kind & weak) && !amid && !(is_item && (priced || hash_label_only(L[i].t))))) {
			items_from = i + 1;
			items_above = 0;
		} else {
			if (L[i].kind & weak)
				r->L[i].kind &= ~weak; /* an item line */
			items_above += amounted;
		}
	}
	if (items_from >= money_from)
		items_from = 0; /* header printed below the totals */
	recam_pitem *items = NULL;
	size_t nitems = 0;
	int rc = recam_parse_items(L, items_from, money_from, r->decimals, &items, &nitems);
	if (rc != 0)
		return rc;
	rc = header_fields(r, items_from ? items_from : money_from);
	if (rc != 0)
		goto out;

	bool exclusive, tax_ok;
	int64_t excl_tax;
	recam_taxsum ts;
	json_t *tax = recam_parse_tax_lines(r->L, r->n, r->decimals, &exclusive, &excl_tax, &tax_ok, &ts);
	bool incl_said = tax_said_included(L, n);
	if (!exclusive && !ts.incl_confirmed && !incl_said && ts.base_sum == 0 &&
	    (excl_tax = exclusive_by_sum(L, n, tax, &sub, &tot, &tend, &chg, r->decimals)) > 0)
		exclusive = true;
	/* the one tax that is a rate of the whole subtotal */
	bool rate_checked = false;
	if (!exclusive && !ts.incl_confirmed && !incl_said && ts.base_sum == 0 &&
	    (excl_tax = tax_by_rate(L, n, tax, &sub, r->decimals)) > 0)
		exclusive = rate_checked = true;
	/* A third reading of the total: the inclusive bases added up. */
	bool hb = ts.incl_confirmed && !ts.incomplete && tax_ok && !exclusive && ts.base_sum > 0;
	int64_t bv = hb ? ts.base_sum : 0;
	/* Paid by card or e-money: no change line, the amount paid is the total. */
	char cbuf[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
	bool card = tend.found && !chg.found && tend.line >= 0 &&
		    card_label(compact_copy(L[tend.line].t, cbuf)) &&
		    !recam_parse_has_any(cbuf, kw_tendered);

	/* "¥: 990": an amount whose leading digits were lost takes the one full
	 * reading that ends in its digits (the bases' sum, or the subtotal for
	 * the total and the payment); with none it is no reading at all. */
	bool partial = false;
	money *pm[3] = {&sub, &tot, &tend};
	for (int k = 0; k < 3; k++) {
		money *m = pm[k];
		if (!m->found || !m->lost_lead)
			continue;
		int64_t full = -1;
		if (hb && bv >= 1000 && bv % 1000 == m->v)
			full = bv;
		else if (m != &sub && sub.found && !sub.lost_lead && !exclusive && sub.v >= 1000 && sub.v % 1000 == m->v)
			full = sub.v;
		if (full < 0) {
			m->found = false;
			continue;
		}
		m->v = full;
		m->conf = minf(m->conf, 0.6f);
		partial = true;
	}
	card = card && tend.found;
	/* The other readings of the total: tendered − change (or the card
	 * payment), subtotal (+ exclusive tax), the inclusive tax bases. */
	int64_t pv = 0, sv = 0;
	bool hp = (tend.found && chg.found && tend.v > chg.v) || (card && tend.v > 0);
	bool hs = sub.found && (!exclusive || excl_tax > 0);
	if (hs)
		sv = sub.v + (exclusive ? excl_tax : 0);
	if (!tot.found && hs && hp && chg.found && tend.v == sv)
		change_of_nothing(&chg); /* the subtotal (+ tax) paid exactly ("釣銭 \\9", bench dev 0259) */
	if (hp)
		pv = tend.v - (chg.found ? chg.v : 0);
	/* No total label read ("お会財 4,588 円"): a line of the totals block
	 * with no label we know whose amount is the subtotal (+ tax) or the
	 * bases' sum is the total line. */
	bool unlabeled = false;
	for (size_t i = sub.found ? (size_t)sub.line + 1 : items_from; !tot.found && (hs || hb) && i < n; i++) {
		if (tend.found && i >= (size_t)tend.line)
			break;
		recam_pamount a;
		if (L[i].kind != 0 || !recam_parse_trailing_amount(L[i].t, r->decimals, &a) || a.negative)
			continue;
		if ((hs && a.value == sv) || (hb && a.value == bv)) {
			tot.found = unlabeled = true;
			tot.v = a.value;
			tot.conf = L[i].conf;
			tot.line = (int)i;
		}
	}

	int64_t sum = 0;
	for (size_t i = 0; i < nitems; i++)
		sum += items[i].amount;
	/* The checks: each is true/false, or absent when a side is missing. */
	int items_ok = -1, sub_ok = -1, pay_ok = -1;
	if (nitems > 0 && sub.found)
		items_ok = sum == sub.v;
	else if (nitems > 0 && tot.found && !exclusive)
		items_ok = sum == tot.v;
	if (sub.found && tot.found)
		sub_ok = sub.v + (exclusive ? excl_tax : 0) == tot.v;
	/* nothing paid confirms nothing: "お預かり 0", "お釣 0" and a total
	 * read as 0 (dev20 0096) */
	if (tend.found && chg.found && tot.found && tend.v > 0)
		pay_ok = tend.v - chg.v == tot.v;
	else if (tend.found && tot.found && !chg.found && tend.v > 0)
		pay_ok = tend.v == tot.v ? 1 : card ? 0 : -1;

	int base_ok = hb && tot.found ? bv == tot.v : -1;

	/* The readings disagree, and not as tax added on top with its line
	 * lost would make them: undo the dotted-print slips (parse_slips.c). A
	 * total the most readings may stand for is taken, not sure (below); a
	 * total line it keeps as read is not then overruled by the bases or the
	 * payment below. */
	bool slip_fixed = false, slip_kept = false, slip_line = tot.found;
	recam_slip_fix sf;
	if (!exclusive && r->decimals == 0 &&
	    money_reads(&tot, &sub, &tend, &chg, card, tax, incl_said, items, nitems, &sf)) {
		if (tot.found && sf.total == tot.v) {
			slip_kept = true;
		} else {
			if (!tot.found) {
				tot.found = true;
				tot.conf = 0.6f;
				tot.line = -1;
			}
			tot.v = sf.total;
			if (sf.sub)
				sub.v = sf.total;
			if (sf.pay) {
				tend.v = sf.tend;
				if (chg.found)
					chg.v = sf.chg;
			}
			sub_ok = sub.found ? sub.v == tot.v : -1;
			pay_ok = sf.pay ? 1 : tend.found && chg.found ? tend.v - chg.v == tot.v : pay_ok;
			base_ok = sf.bases ? 1 : hb ? bv == tot.v : -1;
			if (nitems > 0 && (sub.found || slip_line))
				items_ok = sum == (sub.found ? sub.v : tot.v);
			slip_fixed = true;
		}
	}

	/* Items that miss a subtotal the total confirms (or a total the payment
	 * confirms) by one misread amount are repaired; the check stays false
	 * for the confidences: the arithmetic was used up by the repair. */
	if (items_ok == 0) {
		int64_t want = 0;
		if (sub.found && sub_ok == 1)
			want = sub.v;
		else if (!sub.found && tot.found && !exclusive && pay_ok == 1)
			want = tot.v;
		else if (hs && !tot.found && !exclusive && ((hp && pv == sv) || (hb && bv == sv)))
			want = sv; /* the total line lost: the payment or the bases confirm the subtotal */
		size_t kept = want > 0 && sum > want ? recam_items_drop_extra(items, nitems, sum - want) : nitems;
		if (kept < nitems)
			nitems = kept;
		else if (want > 0)
			recam_items_repair_sum(items, nitems, want - sum);
	}
	bool derived = false, excl_over_pay = false;
	if (!tot.found && !hp && tend.found && !chg.found && ((hs && tend.v == sv) || (hb && tend.v == bv))) {
		/* cash paid exactly, no change line: the amount paid is a reading
		 * of the total when the subtotal or the bases agree with it */
		hp = true;
		pv = tend.v;
	}
	if (!tot.found && hp) {
		/* the total line is unreadable: tendered − change stands in, trusted
		 * only if the subtotal or the tax bases agree */
		tot.found = derived = true;
		tot.v = pv;
		tot.conf = 0.6f;
		pay_ok = 1;
		if (sub.found)
			sub_ok = sv == tot.v;
		if (hb)
			base_ok = bv == tot.v;
		if (sub_ok == 0 && hs && hb && sv == bv) {
			/* the subtotal and the bases agree against the payment lines */
			tot.v = sv;
			sub_ok = base_ok = 1;
			pay_ok = 0;
		} else if (sub_ok == 0 && rate_checked && items_ok == 1) {
			/* 外税: the items add up to the subtotal and the one tax to
			 * its rate of it, so subtotal + tax stands against the one
			 * payment reading ("カード 2 357" for 2,337), not sure */
			tot.v = sv;
			tot.conf = 0.7f;
			sub_ok = 1;
			pay_ok = 0;
			excl_over_pay = true;
		}
	}
	/* The total line contradicts the arithmetic: when two other readings
	 * agree (two of tendered − change, subtotal (+ exclusive tax) and the
	 * inclusive bases, or the line's other reading "9 489" and one of
	 * them), the line was misread. */
	bool fixed = false, by_bases = false;
	if (tot.found && !derived && !slip_kept && pay_ok != 1 && sub_ok != 1 && base_ok != 1 &&
	    (pay_ok == 0 || sub_ok == 0 || base_ok == 0)) {
		if (tot.has_alt && ((hp && tot.alt == pv) || (hs && tot.alt == sv) || (hb && tot.alt == bv))) {
			tot.v = tot.alt;
			fixed = true;
		} else if (((hp && hs && pv == sv) || (hp && hb && pv == bv)) && !slipped_onto(&tot, &sub, &tend, &chg, card, excl_tax, r->decimals)) {
			tot.v = pv;
			fixed = true;
		} else if (hs && hb && sv == bv) {
			tot.v = sv;
			fixed = true;
		} else if (hb && base_ok == 0 && pay_ok != 1 && sub_ok != 1 && items_ok != 1 && digits_close(tot.v, bv)) {
			/* "合計 55680" against the bases 1,128 + 4,558, each checked by
			 * its tax: a digit or two misread on the total line */
			tot.v = bv;
			fixed = by_bases = true;
		}
		if (fixed) {
			pay_ok = hp ? pv == tot.v : pay_ok;
			sub_ok = hs ? sv == tot.v : sub_ok;
			base_ok = hb ? bv == tot.v : base_ok;
		}
	}
	/* The subtotal and the total line share a misread ("¥7,717" read as
	 * "717" on both) while the payment and the bases, each checked by its
	 * own arithmetic, agree on an amount a digit or two away. */
	bool shared = false, sub_shared = false;
	if (tot.found && !derived && !fixed && !slip_kept && hp && hb && pv == bv && pv != tot.v && pay_ok == 0 && base_ok == 0 &&
	    items_ok != 1 && digits_close(tot.v, pv)) {
		if (sub.found && sub.v == tot.v) {
			sub.v = pv;
			sub_shared = true;
		}
		tot.v = pv;
		shared = true;
		pay_ok = base_ok = 1;
		sub_ok = sub.found ? sub.v + (exclusive ? excl_tax : 0) == tot.v : -1;
	}
	/* No total line at all: with tax included, the total is the subtotal
	 * that the items or the tax bases confirm (unverified with the items
	 * alone: a missed 外税 line would change it), or the bases alone. */
	bool from_sub = false;
	if (!tot.found && hs && !exclusive && (items_ok == 1 || (hb && bv == sv))) {
		tot.found = from_sub = true;
		tot.v = sv;
		tot.conf = 0.8f;
		base_ok = hb ? bv == sv : -1;
	} else if (!tot.found && !sub.found && (hb || (ts.incl_said && !ts.incomplete && tax_ok && !exclusive && ts.base_sum > 0))) {
		tot.found = from_sub = true;
		tot.v = ts.base_sum;
		tot.conf = 0.6f;
		base_ok = 1;
	} else if (!tot.found && hs && !exclusive && !sub.lost_lead && tax_ok && (ts.base_sum == 0 || ts.base_sum == sv) &&
		   incl_said && !discount_after(L, n, sub.line)) {
		/* nothing confirms the subtotal, but a tax line that fits its
		 * arithmetic says the tax is included, and no base disagrees: the
		 * total is most likely the subtotal (never sure) */
		tot.found = from_sub = true;
		tot.v = sv;
		tot.conf = 0.5f;
	} else if (!tot.found && hs && exclusive && !sub.lost_lead && tax_ok && !ts.incomplete &&
		   !discount_after(L, n, sub.line) && (!tend.found || tend.v >= sv)) {
		/* 外税 and the total line unreadable: the subtotal and the taxes
		 * printed under it add up to the total (never sure; a tax line
		 * lost would change it) */
		tot.found = from_sub = true;
		tot.v = sv;
		tot.conf = 0.5f;
	}
	float tc = minf(tot.conf, CONF_UNCHECKED_CAP);
	if (from_sub)
		tc = base_ok == 1 && hs ? 0.9f : tot.conf;
	else if (fixed)
		tc = pay_ok == 1 || sub_ok == 1 || base_ok == 1 ? 0.9f : 0.5f;
	else if (derived)
		tc = (sub_ok == 1 || base_ok == 1) && items_ok != 0 ? 0.9f : 0.5f;
	else if (pay_ok == 1 || (sub_ok == 1 && (items_ok == 1 || base_ok == 1)))
		tc = maxf(tot.conf, 0.97f);
	else if (sub_ok == 1 || base_ok == 1 || (items_ok == 1 && !sub.found))
		tc = maxf(minf(tot.conf + 0.1f, 0.95f), tc);
	/* slips undone to see the agreement: not sure, unless two readings give
	 * it as read, the total line alone says otherwise and the items do not;
	 * with no total line read, as a total read from the payment is */
	if (slip_fixed && !slip_line) /* as a total read from the payment (derived, above) */
		tc = minf(tc, items_ok == 0 ? 0.5f : sf.asread >= 2 && (sub_ok == 1 || base_ok == 1) ? 0.9f : 0.7f);
	else if (slip_fixed)
		tc = minf(tc, sf.asread >= 2 && !sf.contested && items_ok != 0 ? 0.9f : sf.support >= 3 ? 0.8f : 0.7f);
	if (shared || partial) /* a reading completed from another is no check of it */
		tc = minf(tc, CONF_UNCHECKED_CAP);
	if (by_bases || excl_over_pay) /* one reading against another */
		tc = minf(tc, 0.7f);
	if (ts.tax_repaired && base_ok == 1 && pay_ok != 1 && sub_ok != 1)
		tc = minf(tc, CONF_UNCHECKED_CAP); /* the bases rest on a repaired tax */
	if (unlabeled_pay != SIZE_MAX) /* the payment was chosen because it agrees */
		tc = minf(tc, CONF_UNCHECKED_CAP);
	if (unlabeled) /* chosen because it agrees: not an independent reading */
		tc = minf(tc, pay_ok == 0 ? 0.5f : CONF_UNCHECKED_CAP);
	/* contradicted by one check and confirmed by none; or by two checks
	 * and confirmed by no more (the subtotal may share the line's misread) */
	int nconf = (pay_ok == 1) + (sub_ok == 1) + (base_ok == 1) + (items_ok == 1 && (sub_ok == 1 || !sub.found));
	int ncontra = (pay_ok == 0) + (sub_ok == 0) + (base_ok == 0);
	/* the items confirm a subtotal the total contradicts, and no discount
	 * between them explains it: two readings against the line and the
	 * bases ("合計 816円" and "8%対象 816円" for ¥810, the 0 read as 6 on
	 * both) */
	bool sub_by_items = sub_ok == 0 && items_ok == 1 && pay_ok != 1 && !discount_after(L, n, sub.line);
	if (ncontra > 0 && nconf == 0)
		tc = minf(tc, CONF_CONTRADICTED_CAP);
	else if ((ncontra >= 2 && ncontra >= nconf) || base_ok == 0 || sub_by_items)
		tc = minf(tc, CONF_UNCHECKED_CAP); /* the bases are checked by their tax: never overruled to "sure" */
	/* the tax base, unconfirmed by its tax, reads 0 where the total and what
	 * confirms it read 9: they may share a slashed zero's misread */
	if (tot.found && nconf <= 1 && !exclusive && ts.base_sum > 0 && zeros_read_nine(tot.v, ts.base_sum))
		tc = minf(tc, CONF_UNCHECKED_CAP);
	/* a yen total under ¥10 that nothing confirms lost its other digits
	 * ("合計 3" for ¥3,938, the crop cutting the amount column) */
	if (tot.found && r->decimals == 0 && tot.v >= 0 && tot.v < 10 && nconf == 0)
		tc = minf(tc, CONF_CONTRADICTED_CAP);
	json_object_set_new(o, "total", tot.found ? field(json_integer(tot.v), tc) : json_null());

	/* With tax included and no subtotal line read, the subtotal is the
	 * total (many receipts print only 合計); a subtotal that a confirmed
	 * total contradicts by a digit or two, with no discount between them
	 * and no items confirming it, was misread ("¥985" for ¥986). */
	bool sub_fixed = sub_shared;
	if (!exclusive && tot.found && (pay_ok == 1 || base_ok == 1 || tc >= 0.9f) && items_ok != 1 && sub.found &&
	    sub_ok == 0 && !discount_after(L, n, sub.line) && digits_close(sub.v, tot.v)) {
		sub.v = tot.v;
		sub.conf = minf(sub.conf, 0.8f);
		sub_fixed = true;
	} else if (!exclusive && tot.found && !sub.found && (!(fixed || derived) || tc >= 0.9f) && tot.v > 0) {
		sub.found = sub_fixed = true;
		sub.v = tot.v;
		sub.conf = minf(tc, 0.8f);
	}
	float sc = minf(sub.conf, CONF_UNCHECKED_CAP);
	if (sub_fixed)
		sc = items_ok == 1 && sub.v == sum ? maxf(sc, 0.9f) : minf(sc, 0.8f);
	else if (items_ok == 1 || (sub_ok == 1 && pay_ok == 1))
		sc = maxf(sub.conf, 0.97f);
	else if (sub_ok == 1)
		sc = maxf(minf(sub.conf + 0.1f, 0.95f), sc);
	if (items_ok == 0 && sub_ok != 1)
		sc = minf(sc, CONF_CONTRADICTED_CAP);
	/* the items disagree: a subtotal that agrees with the total may share
	 * its misread ("¥3,990" read as "¥: 990" on both lines) */
	if (items_ok == 0)
		sc = minf(sc, CONF_UNCHECKED_CAP);
	/* the items agree, but the total the payment confirms says the same
	 * number with a 0 where the subtotal reads 9: the subtotal and the
	 * items share a slashed zero's misread (dev21 0176: "¥11,969" and an
	 * item "¥2,900" against 合計 ¥12,155 − 外税 ¥1,086, paid with ¥13,000
	 * and ¥845 back); the total's number is taken, not sure. A tax line
	 * the parser missed leaves other gaps, which are left alone. */
	int64_t paid_sub = tot.v - (exclusive ? excl_tax : 0);
	if (sub.found && sub_ok == 0 && pay_ok == 1 && zeros_read_nine(sub.v, paid_sub)) {
		sub.v = paid_sub;
		sc = minf(sc, 0.8f);
	}
	if (slip_fixed && sf.sub)
		sc = minf(sc, 0.8f);
	json_object_set_new(o, "subtotal", sub.found ? field(json_integer(sub.v), sc) : json_null());

	float pc = pay_ok == 1 ? 0.98f : pay_ok == 0 ? CONF_CONTRADICTED_CAP : CONF_UNCHECKED_CAP;
	if (slip_fixed && sf.pay)
		pc = minf(pc, 0.8f);
	json_object_set_new(o, "tendered", tend.found ? field(json_integer(tend.v), minf(tend.conf + 0.2f, pc)) : json_null());
	if (!chg.found && tend.found && tot.found && tend.v == tot.v) {
		/* paid exactly (card, e-money): no change line, change is zero */
		chg.found = true;
		chg.v = 0;
		chg.conf = 0.6f;
	}
	json_object_set_new(o, "change", chg.found ? field(json_integer(chg.v), minf(chg.conf + 0.2f, pc)) : json_null());

	/* Currency: yen unless the receipt shows dollars. */
	json_object_set_new(o, "currency", field(json_string(r->decimals ? "USD" : "JPY"), r->decimals ? 0.8f : 0.95f));
	json_object_set_new(o, "tax", field(tax, tax_ok ? 0.9f : CONF_CONTRADICTED_CAP));

	json_t *arr = json_array();
	float items_conf = nitems ? 1.0f : 0.0f;
	for (size_t i = 0; i < nitems; i++) {
		recam_pitem *it = &items[i];
		/* The arithmetic confirms amounts, never names: a name is only as
		 * good as the recognizer's confidence in its line. */
		float ca = minf(it->conf, CONF_UNCHECKED_CAP);
		if (it->repaired)
			ca *= 0.85f;
		if (it->qty_printed && it->quantity * it->unit_price != (it->amount < 0 ? -it->amount : it->amount))
			ca = minf(ca, 0.5f);
		if (items_ok == 1)
			ca = maxf(ca, 0.97f);
		else if (items_ok == 0)
			ca = minf(ca, 0.6f);
		/* nothing confirms a name letter by letter: never "sure" on its own;
		 * the matcher (match.c) tolerates the slips that remain */
		float cn = minf(it->conf, CONF_NAME_CAP);
		float c = minf(ca, cn);
		if (it->discount && i > 0 && !items[i - 1].discount)
			it->reduced = items[i - 1].reduced; /* a discount takes its item's rate */
		char *key = NULL;
		if (recam_norm_key(it->name, strlen(it->name), &key) != 0) {
			json_decref(arr);
			rc = RECAM_ENOMEM;
			goto out;
		}
		json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:b,s:b,s:f,s:f,s:f,s:i}", "name", it->name, "normalized_name",
				      key, "quantity", (json_int_t)it->quantity, "unit_price", (json_int_t)it->unit_price,
				      "amount", (json_int_t)it->amount, "reduced", it->reduced, "discount", it->discount,
				      "confidence", round2(c), "name_confidence", round2(cn), "amount_confidence",
				      round2(ca), "line", it->line);
		free(key);
		json_array_append_new(arr, j);
		items_conf = minf(items_conf, c);
	}
	json_object_set_new(o, "items", field(arr, items_conf));
	json_t *checks = json_object();
	json_object_set_new(checks, "items_sum", items_ok < 0 ? json_null() : json_boolean(items_ok));
	json_object_set_new(checks, "subtotal_total", sub_ok < 0 ? json_null() : json_boolean(sub_ok));
	json_object_set_new(checks, "payment", pay_ok < 0 ? json_null() : json_boolean(pay_ok));
	json_object_set_new(checks, "tax", json_boolean(tax_ok));
	json_object_set_new(o, "checks", checks);
	rc = 0;
out:
	for (size_t i = 0; i < nitems; i++)
		free(items[i].name);
	free(items);
	return rc;
}

/* Dollar receipts use cents; yen receipts have no decimals. Yen is the
 * default: one stray "$" in OCR noise once turned a yen receipt into cents
 * (2,350 yen read as $2,350.00 with every check agreeing). Dollars need two
 * "$12.34" amounts and no yen mark anywhere. */
static int detect_decimals(const recam_pline *L, size_t n)
{
	int dollars = 0;
	for (size_t i = 0; i < n; i++) {
		const char *t = L[i].t;
		if (strstr(t, "\xC2\xA5") || strstr(t, "円") || strchr(t, '\\'))
			return 0;
		const char *d = strchr(t, '$');
		if (d == NULL || !(d[1] >= '0' && d[1] <= '9'))
			continue;
		size_t len = strlen(t);
		if (len >= 3 && t[len - 3] == '.' && t[len - 2] >= '0' && t[len - 2] <= '9' && t[len - 1] >= '0' &&
		    t[len - 1] <= '9')
			dollars++;
	}
	return dollars >= 2 ? 2 : 0;
}

/* A column of specks down the paper's right edge, read as one glyph after
 * the amounts of several lines (three or more): cut on every such line,
 * so that the amounts end their lines again. */
static void strip_edge_column(receipt *r, json_t *raw)
{
	size_t hits = 0;
	for (size_t i = 0; i < r->n; i++)
		hits += recam_parse_speck_after_amount(r->L[i].t) > 0;
	if (hits < 3)
		return;
	for (size_t i = 0; i < r->n; i++) {
		size_t e = recam_parse_speck_after_amount(r->L[i].t);
		if (e == 0)
			continue;
		r->L[i].t[e] = '\0';
		r->L[i].kind = classify(r->L[i].t);
		json_object_set_new(json_array_get(raw, i), "normalized", json_string(r->L[i].t));
	}
}

int recam_receipt_parse(const recam_ocr_line *lines, size_t n, json_t **out)
{
	int rc = RECAM_ENOMEM;
	if (n > RECAM_RECEIPT_MAX_LINES)
		n = RECAM_RECEIPT_MAX_LINES;
	receipt r = {0};
	r.L = calloc(n ? n : 1, sizeof(*r.L));
	r.out = json_object();
	json_t *raw = json_array();
	if (r.L == NULL || r.out == NULL || raw == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const char *t = lines[i].text ? lines[i].text : "";
		size_t len = strnlen(t, RECAM_RECEIPT_MAX_LINE_BYTES);
		char cut[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
		memcpy(cut, t, len);
		cut[len] = '\0';
		len -= recam_parse_wa_after_mark(cut);
		char *norm;
		if (recam_norm_text(cut, len, &norm) != 0)
			goto fail;
		recam_parse_trim_edges(norm);
		if (norm[0] == '\0') {
			free(norm);
			continue;
		}
		recam_pline *p = &r.L[r.n++];
		p->t = norm;
		p->raw = t;
		float c = lines[i].conf < 0 ? CONF_UNKNOWN_LINE : lines[i].conf;
		if (lines[i].min_conf >= 0)
			c = 0.5f * c + 0.5f * lines[i].min_conf; /* one bad word spoils a number */
		p->conf = c;
		p->kind = classify(norm);
		/* raw OCR text may be invalid UTF-8 (plain-text input): then the
		 * normalized form stands in for it */
		json_t *rawt = json_stringn(t, len);
		json_t *lj = json_pack("{s:o,s:s}", "text", rawt ? rawt : json_string(norm), "normalized", norm);
		if (lj == NULL)
			goto fail;
		if (lines[i].x >= 0)
			json_object_set_new(lj, "box", json_pack("[iiii]", lines[i].x, lines[i].y, lines[i].w, lines[i].h));
		if (lines[i].conf >= 0)
			json_object_set_new(lj, "confidence", json_real((double)(int)(lines[i].conf * 100 + 0.5f) / 100.0));
		if (lines[i].min_conf >= 0)
			json_object_set_new(lj, "min_confidence", json_real((double)(int)(lines[i].min_conf * 100 + 0.5f) / 100.0));
		json_array_append_new(raw, lj);
	}
	strip_edge_column(&r, raw);
	r.decimals = detect_decimals(r.L, r.n);
	rc = build(&r);
	if (rc != 0)
		goto fail;
	json_object_set_new(r.out, "lines", raw);
	raw = NULL;
	*out = r.out;
	r.out = NULL;
fail:
	for (size_t i = 0; i < r.n; i++)
		free(r.L[i].t);
	free(r.L);
	json_decref(r.out);
	json_decref(raw);
	return rc;
}

int recam_receipt_parse_text(const char *text, size_t len, json_t **out)
{
	size_t cap = 64, n = 0;
	recam_ocr_line *lines = calloc(cap, sizeof(*lines));
	if (lines == NULL)
		return RECAM_ENOMEM;
	int rc = 0;
	size_t i = 0;
	while (i < len && n < RECAM_RECEIPT_MAX_LINES) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		if (n == cap) {
			recam_ocr_line *g = realloc(lines, 2 * cap * sizeof(*lines));
			if (g == NULL) {
				rc = RECAM_ENOMEM;
				goto out;
			}
			lines = g;
			cap *= 2;
		}
		size_t k = e - i < RECAM_RECEIPT_MAX_LINE_BYTES ? e - i : RECAM_RECEIPT_MAX_LINE_BYTES;
		/* memcpy, not strndup: the text is a length-delimited buffer with no
		 * terminating NUL, and strndup may look for one past k. */
		lines[n].text = malloc(k + 1);
		if (lines[n].text != NULL) {
			memcpy(lines[n].text, text + i, k);
			lines[n].text[k] = '\0';
		}
		if (lines[n].text == NULL) {
			rc = RECAM_ENOMEM;
			goto out;
		}
		lines[n].x = lines[n].y = lines[n].w = lines[n].h = -1;
		lines[n].conf = lines[n].min_conf = -1;
		n++;
		i = e + 1;
	}
	rc = recam_receipt_parse(lines, n, out);
out:
	for (size_t j = 0; j < n; j++)
		free(lines[j].text);
	free(lines);
	return rc;
}
