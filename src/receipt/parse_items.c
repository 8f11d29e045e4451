/* parse_items.c — line items between the header and the totals: a name with
 * an amount at the end, an optional quantity line ("2個 × 単158") before or
 * after it, reduced-rate marks (* ※ 軽 ★) and discount lines (値引, 割引)
 * that become negative items. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "receipt/parse_int.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads a number (digits and thousands separators) ending right before s[end]
 * and returns its start, or -1. */
static long num_before(const char *s, size_t end, int decimals, int64_t *v)
{
	size_t i = end;
	while (i > 0 && s[i - 1] == ' ')
		i--;
	size_t e = i;
	while (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == ',' || s[i - 1] == '.'))
		i--;
	while (i < e && !is_digit(s[i]))
		i++;
	bool rep;
	if (i >= e || !recam_parse_amount_token(s + i, e - i, decimals, v, &rep))
		return -1;
	return (long)i;
}

static size_t num_after(const char *s, size_t i, int decimals, int64_t *v)
{
	while (s[i] == ' ')
		i++;
	size_t b = i;
	while (is_digit(s[i]) || ((s[i] == ',' || s[i] == '.') && is_digit(s[i + 1])))
		i++;
	bool rep;
	if (i == b || !recam_parse_amount_token(s + b, i - b, decimals, v, &rep))
		return 0;
	return i;
}

static const char *const qty_units[] = {"個", "点", "コ", "本", "ケ", "袋", "枚", "パック", "P", NULL};
static const char *const unit_marks[] = {"@", "単価", "単", "\xC2\xA5", "\\", NULL};

static bool starts_any(const char *s, const char *const *w, size_t *len)
{
	for (; *w; w++) {
		size_t k = strlen(*w);
		if (strncmp(s, *w, k) == 0) {
			*len = k;
			return true;
		}
	}
	return false;
}

static bool ends_any(const char *s, size_t n, const char *const *w, size_t *len)
{
	for (; *w; w++) {
		size_t k = strlen(*w);
		if (n >= k && memcmp(s + n - k, *w, k) == 0) {
			*len = k;
			return true;
		}
	}
	return false;
}

/* Finds the multiplication sign between two numbers. */
static long find_mul(const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		if (strncmp(s + i, "\xC3\x97", 2) == 0) /* × */
			return (long)i;
		if ((s[i] == 'x' || s[i] == 'X' || s[i] == '*') && i > 0) {
			size_t a = i, b = i + 1;
			while (a > 0 && s[a - 1] == ' ')
				a--;
			while (s[b] == ' ')
				b++;
			/* a digit, unit word or @ on both sides */
			bool left = a > 0 && (is_digit(s[a - 1]) || (unsigned char)s[a - 1] >= 0x80);
			bool right = is_digit(s[b]) || s[b] == '@' || (unsigned char)s[b] >= 0x80;
			if (left && right)
				return (long)i;
		}
	}
	return -1;
}

/* "単価480 数量3": labelled columns instead of a multiplication. */
static bool labelled_qty(const char *s, int decimals, int64_t *qty, int64_t *unit)
{
	const char *q = strstr(s, "数量");
	const char *u = strstr(s, "単価");
	if (q == NULL || u == NULL)
		return false;
	int64_t qv, uv;
	if (num_after(s, (size_t)(q - s) + strlen("数量"), 0, &qv) == 0 ||
	    num_after(s, (size_t)(u - s) + strlen("単価"), decimals, &uv) == 0)
		return false;
	*qty = qv;
	*unit = uv;
	return qv > 0 && qv < 10000;
}

bool recam_parse_qty(const char *s, int decimals, int64_t *qty, int64_t *unit)
{
	if (labelled_qty(s, decimals, qty, unit))
		return true;
	long m = find_mul(s);
	if (m < 0) {
		/* "2点 @158" / "@158 2個" without a sign */
		const char *at = strchr(s, '@');
		if (at == NULL)
			return false;
		int64_t u, q;
		size_t e = num_after(s, (size_t)(at - s) + 1, decimals, &u);
		if (e == 0)
			return false;
		for (size_t i = 0; s[i]; i++) {
			size_t k;
			if (i > 0 && is_digit(s[i - 1]) && starts_any(s + i, qty_units, &k)) {
				long b = num_before(s, i, 0, &q);
				if (b >= 0 && q > 0 && q < 1000 && (s + b != at + 1)) {
					*qty = q;
					*unit = u;
					return true;
				}
			}
		}
		return false;
	}
	size_t mlen = s[m] == 'x' || s[m] == 'X' || s[m] == '*' ? 1 : 2;
	/* left side */
	size_t le = (size_t)m;
	while (le > 0 && s[le - 1] == ' ')
		le--;
	size_t k;
	bool left_is_qty = false, left_is_unit = false, right_is_qty = false, right_is_unit = false;
	if (ends_any(s, le, qty_units, &k)) {
		left_is_qty = true;
		le -= k;
	}
	int64_t lv, rv;
	long lb = num_before(s, le, decimals, &lv);
	if (lb < 0)
		return false;
	size_t p = (size_t)lb;
	while (p > 0 && s[p - 1] == ' ')
		p--;
	if (ends_any(s, p, unit_marks, &k))
		left_is_unit = true;
	/* right side */
	size_t r = (size_t)m + mlen;
	while (s[r] == ' ')
		r++;
	if (starts_any(s + r, unit_marks, &k)) {
		right_is_unit = true;
		r += k;
	}
	size_t re = num_after(s, r, decimals, &rv);
	if (re == 0)
		return false;
	while (s[re] == ' ')
		re++;
	if (starts_any(s + re, qty_units, &k))
		right_is_qty = true;
	if (left_is_unit || right_is_qty || (!left_is_qty && !right_is_unit && rv < lv && rv < 100)) {
		*unit = lv;
		*qty = rv;
	} else {
		*qty = lv;
		*unit = rv;
	}
	(void)left_is_qty;
	return *qty > 0 && *qty < 10000;
}

/* Has a letter or CJK glyph: a name, not just punctuation and digits. */
static bool has_letter(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
			return true;
	}
	return false;
}

/* Length of the leader glyph at s (0 if none): . o e 0 ・ ー - ~ " 。 */
static size_t leader_at(const char *s, size_t n)
{
	static const char *const glyphs[] = {".", "o", "e", "0", "-", "~", "\"", "・", "ー", "。", "･", NULL};
	size_t k;
	for (const char *const *g = glyphs; *g; g++) {
		k = strlen(*g);
		if (k <= n && memcmp(s, *g, k) == 0)
			return k;
	}
	return 0;
}

static size_t cut_leaders(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i, run = 0, k;
		while (j < n && (k = leader_at(s + j, n - j)) > 0) {
			j += k;
			run++;
		}
		if (run >= 4)
			return i;
	}
	return n;
}

/* Cuts reduced-rate marks and stray punctuation around a name. */
static char *clean_name(const char *s, size_t n, bool *reduced)
{
	static const char *const marks[] = {"*", "※", "★", "軽", "#", NULL};
	/* dot leaders between name and price, as printed or as OCR sees them:
	 * "カップ焼そば ........ーー", "もやし ooooeooe", "紅茶 ・・・・" */
	n = cut_leaders(s, n);
	bool again = true;
	while (again) {
		again = false;
		while (n > 0 && (s[0] == ' ' || s[0] == '.' || s[0] == '-')) {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == '-' || s[n - 1] == '\\'))
			n--;
		size_t k;
		if (n > 0 && starts_any(s, marks, &k) && k <= n) {
			if (s[0] != '#')
				*reduced = true;
			s += k;
			n -= k;
			again = true;
		} else if (n > 0 && ends_any(s, n, marks, &k)) {
			if (s[n - 1] != '#')
				*reduced = true;
			n -= k;
			again = true;
		}
	}
	/* a leading department or PLU code: "13 豚こま切落し" */
	size_t d = 0;
	while (d < n && d < 6 && is_digit(s[d]))
		d++;
	if (d > 0 && d < n && s[d] == ' ' && has_letter(s + d, n - d) && (unsigned char)s[d + 1] >= 0x80) {
		s += d + 1;
		n -= d + 1;
	}
	return strndup(s, n);
}

/* A quantity column printed after the name: "冷奴 x4", "ごま油 2". Taken
 * only when it divides the amount; cut from the name. */
static bool trailing_qty(char *name, int64_t amount, int64_t *q)
{
	size_t n = strlen(name);
	size_t e = n;
	while (e > 0 && is_digit(name[e - 1]))
		e--;
	if (e == n || n - e > 2 || e == 0)
		return false;
	int64_t v = 0;
	for (size_t i = e; i < n; i++)
		v = v * 10 + (name[i] - '0');
	size_t cut = e;
	if (name[cut - 1] == 'x' || name[cut - 1] == 'X')
		cut--;
	else if (cut >= 2 && strncmp(name + cut - 2, "\xC3\x97", 2) == 0)
		cut -= 2;
	if (cut == 0 || name[cut - 1] != ' ' || v < 2 || amount <= 0 || amount % v != 0)
		return false;
	while (cut > 0 && name[cut - 1] == ' ')
		cut--;
	name[cut] = '\0';
	*q = v;
	return true;
}

static const char *const discount_words[] = {"値引", "割引", "引き", "クーポン", "OFF", "off", "ディスカウント", "値下", NULL};

int recam_parse_items(const recam_pline *L, size_t from, size_t to, int decimals, recam_pitem **items, size_t *n)
{
	size_t cap = 16, cnt = 0;
	recam_pitem *it = calloc(cap, sizeof(*it));
	if (it == NULL)
		return RECAM_ENOMEM;
	long pending_name = -1; /* a name line without an amount, waiting for its quantity line */
	for (size_t i = from; i < to; i++) {
		const char *t = L[i].t;
		unsigned skip = RECAM_PK_MONEY | RECAM_PK_META | RECAM_PK_NOISE | RECAM_PK_COUNT;
		if ((L[i].kind & skip) && !(L[i].kind & RECAM_PK_DISCOUNT))
			continue;
		recam_pamount a;
		bool has_amount = recam_parse_trailing_amount(t, decimals, &a);
		int64_t q = 0, u = 0;
		bool is_qty = recam_parse_qty(t, decimals, &q, &u);
		size_t name_end = has_amount ? a.start : strlen(t);
		if (is_qty) {
			/* the quantity line: after (or, for some printers, before) the name */
			bool prev_item = cnt > 0 && it[cnt - 1].line == (int)i - 1 && !it[cnt - 1].qty_printed;
			if (pending_name >= 0 && has_amount) {
				bool red = a.reduced;
				char *nm = clean_name(L[pending_name].t, strlen(L[pending_name].t), &red);
				if (nm == NULL)
					goto nomem;
				if (cnt == cap) {
					recam_pitem *g = realloc(it, 2 * cap * sizeof(*it));
					if (g == NULL) {
						free(nm);
						goto nomem;
					}
					it = g;
					cap *= 2;
				}
				it[cnt] = (recam_pitem){.name = nm, .quantity = q, .unit_price = u, .amount = a.value,
							.reduced = red, .qty_printed = true, .repaired = a.repaired,
							.conf = L[i].conf < L[pending_name].conf ? L[i].conf : L[pending_name].conf,
							.line = (int)pending_name};
				cnt++;
				pending_name = -1;
				continue;
			}
			if (prev_item) {
				it[cnt - 1].quantity = q;
				it[cnt - 1].unit_price = u;
				it[cnt - 1].qty_printed = true;
				if (L[i].conf < it[cnt - 1].conf)
					it[cnt - 1].conf = L[i].conf;
				continue;
			}
			/* quantity and name on one line: "ポテト 2個×158 316" */
			if (has_amount && has_letter(t, name_end)) {
				long mpos = find_mul(t);
				size_t cut = mpos > 0 ? (size_t)mpos : name_end;
				while (cut > 0 && (is_digit(t[cut - 1]) || t[cut - 1] == ' ' || t[cut - 1] == '@'))
					cut--;
				size_t k;
				if (ends_any(t, cut, qty_units, &k))
					cut -= k;
				while (cut > 0 && (is_digit(t[cut - 1]) || t[cut - 1] == ' '))
					cut--;
				if (has_letter(t, cut))
					name_end = cut;
				else
					is_qty = false;
			} else {
				continue;
			}
		}
		pending_name = -1;
		if (!has_amount) {
			if (has_letter(t, strlen(t)) && !(L[i].kind & RECAM_PK_DISCOUNT))
				pending_name = (long)i;
			continue;
		}
		if (!has_letter(t, name_end))
			continue;
		bool red = a.reduced;
		char *nm = clean_name(t, name_end, &red);
		if (nm == NULL)
			goto nomem;
		if (nm[0] == '\0') {
			free(nm);
			continue;
		}
		if (cnt == cap) {
			recam_pitem *g = realloc(it, 2 * cap * sizeof(*it));
			if (g == NULL) {
				free(nm);
				goto nomem;
			}
			it = g;
			cap *= 2;
		}
		bool disc = (L[i].kind & RECAM_PK_DISCOUNT) || a.negative || recam_parse_has_any(nm, discount_words);
		if (!is_qty && !disc && trailing_qty(nm, a.value, &q)) {
			is_qty = true;
			u = a.value / q;
		}
		int64_t amt = disc ? -(a.value < 0 ? -a.value : a.value) : a.value;
		it[cnt] = (recam_pitem){.name = nm, .quantity = is_qty ? q : 1, .unit_price = is_qty ? u : amt,
					.amount = amt, .reduced = red, .discount = disc, .qty_printed = is_qty,
					.repaired = a.repaired, .conf = L[i].conf, .line = (int)i};
		cnt++;
	}
	*items = it;
	*n = cnt;
	return 0;
nomem:
	for (size_t j = 0; j < cnt; j++)
		free(it[j].name);
	free(it);
	return RECAM_ENOMEM;
}
