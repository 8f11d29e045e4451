/* parse_int.h — private to parse*.c: token scanners over one normalized
 * receipt line (after recam_norm_text, so digits and punctuation are ASCII). */
#ifndef RECAM_RECEIPT_PARSE_INT_H
#define RECAM_RECEIPT_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An amount printed at the end of a line ("¥1,378", "1.378", "-100円 軽"). */
typedef struct recam_pamount {
	int64_t value;	 /* minor units */
	size_t start;	 /* byte offset where the amount (with sign/¥) starts */
	bool yen_mark;	 /* ¥ \ Y or 円 seen */
	bool negative;
	bool repaired;	 /* a separator or look-alike digit was fixed: less sure */
	bool reduced;	 /* a reduced-rate mark after the amount (軽 * ※) */
	bool lost_lead;	 /* "¥: 990": digits before the last group lost to a ":" */
} recam_pamount;

/* Finds the amount ending the line. decimals: 0 for yen, 2 for cents. */
bool recam_parse_trailing_amount(const char *s, int decimals, recam_pamount *a);
/* Where s[0..n) ends without one or two glyphs of any kind after
 * "<digit> 円" or, with marks, after a reduced mark (* ※ 軽): specks of the
 * table at the paper's edge ("558 円 * 罰", "198 軽 3", "4,533 円 3"), since
 * nothing is printed after those. 0 when the line does not end so. */
size_t recam_parse_specks_end(const char *s, size_t n, bool marks);
/* Parses one amount token starting at s[0..n) exactly (no trailing text). */
bool recam_parse_amount_token(const char *s, size_t n, int decimals, int64_t *v, bool *repaired);

/* parse_date.c: "YYYY-MM-DD" into out[11]; *quality 1.0 for a clean 4-digit
 * year, less for two-digit years or repaired separators. */
bool recam_parse_date(const char *s, char out[11], float *quality);
/* "HH:MM" into out[6]. */
bool recam_parse_time(const char *s, char out[6], float *quality);
/* parse_fields.c: "0X-XXXX-XXXX" as printed (hyphens normalized) into out[16]. */
bool recam_parse_phone(const char *s, char out[16], float *quality);
/* "T" + 13 digits into out[15]; *check_ok from the check digit; *how tells
 * how it was read. How a registration number was read: as printed; with the label's T
 * misread or lost (the check digit still verifies the 13 digits); with one
 * glyph taken from the check digit (then nothing verifies it). */
enum { RECAM_REGNUM_READ, RECAM_REGNUM_REPAIRED, RECAM_REGNUM_DERIVED };
bool recam_parse_regnum(const char *s, char out[15], bool *check_ok, int *how);
/* A tax rate printed in the line (8 or 10, accepting "89%"/"896" for 8%). */
int recam_parse_tax_rate(const char *s, bool *repaired);
/* The header fields the parser reads in one OCR line as recognized (it is
 * normalized here): a date, a phone number in its groups, a registration
 * number whose check digit holds. A bit set of RECAM_HOLDS_*; 0 for NULL. */
enum { RECAM_HOLDS_DATE = 1, RECAM_HOLDS_PHONE = 2, RECAM_HOLDS_REGNUM = 4 };
unsigned recam_parse_line_holds(const char *text);
/* Whether the line has a pack size with a 9 in it, as OCR put it ("絆創膏
 * 29 枚", "バター 2009g", "低脂肪乳 1090ml"): two digits or more, a 9
 * among them, then a space or none and a counter. */
bool recam_parse_pack_size_nine(const char *text);

/* parse_date.c: the weekday printed as "(火)" in the line, 0 = Sunday; -1
 * if none. */
int recam_parse_weekday(const char *s);
/* The weekday of a YYYY-MM-DD date, 0 = Sunday. */
int recam_parse_date_weekday(const char date[11]);
/* A date the printed weekday wd contradicts, repaired when exactly one
 * reading of its day with a 0 misread as 9, 6 or 8 falls on wd. */
bool recam_parse_date_by_weekday(char d[11], int wd);

/* Cuts the paper's edge and specks from both ends of a line, in place
 * (parse_edges.c). */
void recam_parse_trim_edges(char *t);
/* Where a line ends when its last word is one speck after an amount
 * ("\\262※ 剛"), or 0 (parse_edges.c). */
size_t recam_parse_speck_after_amount(const char *t);
/* Cuts the 和 the recognizer reads after a reduced-rate mark ("※ 和 牛乳"
 * for ※牛乳) from a line as recognised; returns the bytes cut. */
size_t recam_parse_wa_after_mark(char *t);
/* Kana, kanji and CJK punctuation (U+3000-U+9FFF) in s[0..n). */
int recam_parse_cjk_count(const char *s, size_t n);
/* Case-sensitive substring search that is UTF-8 safe for our keywords. */
bool recam_parse_has(const char *s, const char *kw);
bool recam_parse_has_any(const char *s, const char *const *kws);

/* ---- shared between parse.c and parse_items.c ---- */

enum recam_pkind {
	RECAM_PK_SUBTOTAL = 1 << 0,
	RECAM_PK_TOTAL = 1 << 1,
	RECAM_PK_TAX = 1 << 2,
	RECAM_PK_TENDERED = 1 << 3,
	RECAM_PK_CHANGE = 1 << 4,
	RECAM_PK_COUNT = 1 << 5,	/* 点数: item count, not money */
	RECAM_PK_RECEIPTNO = 1 << 6,
	RECAM_PK_REGISTER = 1 << 7,
	RECAM_PK_CASHIER = 1 << 8,
	RECAM_PK_PHONE = 1 << 9,
	RECAM_PK_REGNUM = 1 << 10,
	RECAM_PK_DATE = 1 << 11,
	RECAM_PK_TIME = 1 << 12,
	RECAM_PK_NOISE = 1 << 13,	/* greetings, headings, payment brands */
	RECAM_PK_QTY = 1 << 14,		/* "2個 × 単158" */
	RECAM_PK_DISCOUNT = 1 << 15,
	RECAM_PK_BASE = 1 << 16,	/* "(8%対象 ¥1,234)" */
};
#define RECAM_PK_MONEY (RECAM_PK_SUBTOTAL | RECAM_PK_TOTAL | RECAM_PK_TAX | RECAM_PK_TENDERED | RECAM_PK_CHANGE | RECAM_PK_BASE)
#define RECAM_PK_META (RECAM_PK_RECEIPTNO | RECAM_PK_REGISTER | RECAM_PK_CASHIER | RECAM_PK_PHONE | RECAM_PK_REGNUM | RECAM_PK_DATE | RECAM_PK_TIME)

typedef struct recam_pline {
	char *t;	 /* normalized text */
	const char *raw; /* as recognised */
	float conf;	 /* how far a value read from this line can be trusted, 0..1 */
	unsigned kind;	 /* recam_pkind bits */
} recam_pline;

typedef struct recam_pitem {
	char *name;	/* normalized text of the name as printed (caller frees) */
	int64_t quantity, unit_price, amount;
	bool reduced, discount, qty_printed, repaired;
	float conf;
	int line;
	int64_t alt_amount; /* another reading of the amount, 0 if none */
	bool sign_only;	    /* a discount only by a minus read before its amount */
	bool bare_lead;	    /* read with no yen mark and two digits first: the first may be the mark */
} recam_pitem;

/* Finds line items in lines [from, to). *items is malloc'd. */
int recam_parse_items(const recam_pline *L, size_t from, size_t to, int decimals, recam_pitem **items, size_t *n);
/* Parses "2個 × 単158" / "@158×2" into quantity and unit price. */
bool recam_parse_qty(const char *s, int decimals, int64_t *qty, int64_t *unit);
/* Items that miss their target sum by diff: the one item whose other
 * reading, quantity × unit price, sign (a minus that was a speck) or
 * misread digits closes the gap in the fewest slips is repaired; nothing
 * when two can. */
void recam_items_repair_sum(recam_pitem *items, size_t n, int64_t diff);
/* Items whose sum exceeds their confirmed target by exactly one item's
 * amount: that item (a line read as an item that is none, or one read
 * twice) is left out, when no item of another name has the same amount.
 * Returns the new count. */
size_t recam_items_drop_extra(recam_pitem *items, size_t n, int64_t excess);

/* Confidence caps shared by parse.c and parse_tax.c. */
static inline float minf(float a, float b) { return a < b ? a : b; }
static inline float maxf(float a, float b) { return a > b ? a : b; }
#define CONF_UNCHECKED_CAP 0.85f /* nothing cross-checks the value */
#define CONF_CONTRADICTED_CAP 0.40f

/* What the tax lines say about the total: with tax included, the per-rate
 * bases ("8%対象 ¥12,199", "10%対象 ¥1,069") add up to the total. That is
 * trusted only when a rate's tax shows the inclusive arithmetic (base·r/(100+r)):
 * with a 外税 line lost, exclusive bases would add up to the subtotal. */
typedef struct recam_taxsum {
	bool incl_confirmed;
	/* a rate's tax fits the inclusive arithmetic and, the base being too
	 * small to tell it from the exclusive one, a line says 内税: enough to
	 * give a total where no other reading exists, not to contradict one
	 * (one rate's base alone is then often all that was read) */
	bool incl_said;
	bool incomplete; /* a base whose leading digits were lost and not recovered */
	bool tax_repaired; /* a tax completed from its base: no check of that base */
	int64_t base_sum; /* of the rates with a base; 0 if none */
} recam_taxsum;

/* The tax lines among L[0..n) (kinds RECAM_PK_TAX / RECAM_PK_BASE), one
 * object per rate; *exclusive when 外税, *excl_sum the exclusive taxes,
 * *consistent false when a rate's tax contradicts its base (parse_tax.c). */
struct json_t;
struct json_t *recam_parse_tax_lines(const recam_pline *L, size_t n, int decimals, bool *exclusive, int64_t *excl_sum,
				     bool *consistent, recam_taxsum *ts);

/* The amounts v may stand for with at most max_slips of the recognizer's
 * one-way slips on dotted print undone (0 read as 9 or 6, 8 as 3): v first
 * (0 slips), then the others with their slip counts. Returns how many
 * (at most cap). parse_slips.c */
size_t recam_slip_variants(int64_t v, int max_slips, int64_t *out, int *slips, size_t cap);
/* Whether a + sign × b, each read with up to two of those slips, may stand
 * for want (b 0: a alone). parse_slips.c */
bool recam_slip_pair_reaches(int64_t a, int64_t b, int sign, int64_t want);

#define RECAM_SLIP_RATES 4
/* One receipt's readings of its total, as read. */
typedef struct recam_money_reads {
	bool has_tot, has_sub, has_pay, has_items;
	int64_t tot, sub, items_sum;
	int64_t tend, chg;
	bool card; /* paid by card: the payment is the amount tendered alone */
	size_t nbase; /* inclusive rates read with a base (tax -1: not read) */
	int rate[RECAM_SLIP_RATES];
	int64_t base[RECAM_SLIP_RATES], tax[RECAM_SLIP_RATES];
	int64_t tax_sum; /* every tax amount read, with a base or without */
	bool incl_said;	 /* a tax line says 内税: no tax was added on top */
} recam_money_reads;

typedef struct recam_slip_fix {
	int64_t total;
	int support;			/* readings that may stand for it */
	bool sub, pay, bases;		/* which of them */
	int64_t tend, chg;		/* the payment as it stands for it */
	int asread;			/* readings that give it as read */
	bool contested;			/* the total line it moves agrees with another as read */
} recam_slip_fix;

/* Where the lines disagree as read (the items' sum alone is no slip), and
 * not by the tax read or, with no 内税 line, by 8–10% (either would be tax
 * added on top): the total that the most readings (two at least, the
 * total line among them when it was read) may stand for with slips
 * undone, the fewest slips deciding between equals. */
bool recam_slip_consensus(const recam_money_reads *m, recam_slip_fix *fix);

/* The store and branch lines of the header (parse_store.c). */
/* two kana or kanji, or a Latin word of three letters: not a logo's speck */
bool recam_store_name_like(const char *t);
/* an address: a prefecture and a town, a block number after a town, 〒 */
bool recam_store_address_like(const char *t);
/* t[0..n) without a speck standing alone at its end */
size_t recam_store_trimmed(const char *t, size_t n);
/* t[0..n) as a store's name: specks at the ends and the space between
 * kana and digits dropped */
struct json_t *recam_store_name(const char *t, size_t n);
/* t[0..n) ends in 店 as a branch does ("浦和中央店", not "アイリス珈琲店") */
bool recam_store_branch_like(const char *t, size_t n);
/* where the branch starts on a line holding the store too, or 0 */
size_t recam_store_branch_cut(const char *t, size_t n);

#endif
