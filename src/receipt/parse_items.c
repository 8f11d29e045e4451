/* parse_items.c — line items between the header and the totals: a name with
 * an amount at the end, an optional quantity line ("2個 × 単158") before or
 * after it, reduced-rate marks (* ※ 軽 ★) and discount lines (値引, 割引)
 * that become negative items. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "receipt/kana_lex.h"
#include "receipt/normalize.h"
#include "receipt/kanji_lex.h"
#include "receipt/parse_int.h"
#include "receipt/receipt.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

#define RECAM_ITEM_LINE_MAX (RECAM_RECEIPT_MAX_LINE_BYTES + 1)

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
static const char *const yen_suffix[] = {"円", NULL};

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

/* Length of a multiplication sign at s (0 if none): × x X *, or a run of
 * them, as OCR doubles the sign ("2 コ Xx 898 円"). */
static size_t mul_len(const char *s)
{
	size_t k = 0;
	for (;;) {
		if (strncmp(s + k, "\xC3\x97", 2) == 0) /* × */
			k += 2;
		else if (s[k] == 'x' || s[k] == 'X' || (s[k] == '*' && k == 0))
			k++;
		else
			return k;
	}
}

/* Finds the multiplication sign between two numbers; *len its length. */
static long find_mul_len(const char *s, size_t *len)
{
	for (size_t i = 0; s[i]; i++) {
		size_t k = mul_len(s + i);
		if (k == 0)
			continue;
		if (strncmp(s + i, "\xC3\x97", 2) == 0) { /* × */
			*len = k;
			return (long)i;
		}
		if (i > 0) {
			size_t a = i, b = i + k;
			while (a > 0 && s[a - 1] == ' ')
				a--;
			while (s[b] == ' ')
				b++;
			/* a digit, unit word or @ on both sides */
			bool left = a > 0 && (is_digit(s[a - 1]) || (unsigned char)s[a - 1] >= 0x80);
			bool right = is_digit(s[b]) || s[b] == '@' || (unsigned char)s[b] >= 0x80;
			if (left && right && (k == 1 || (k <= 3 && (is_digit(s[a - 1]) || is_digit(s[b]))))) {
				*len = k;
				return (long)i;
			}
		}
		i += k - 1;
	}
	return -1;
}

/* "単価480 数量3": labelled columns instead of a multiplication. */
static bool labelled_qty(const char *s, int decimals, int64_t *qty, int64_t *unit)
{
	const char *q = strstr(s, "数量");
	const char *u = strstr(s, "単価");
	if (u != NULL && q == NULL) {
		/* "単価 218 まま 3 ¥654": 数量 misread; between the unit price and
		 * the amount only letters and the count, which times the unit price
		 * must give the amount (with no count the caller takes it from the
		 * amount: quantity 0) */
		int64_t uv, cv = 0;
		recam_pamount a;
		size_t e = num_after(s, (size_t)(u - s) + strlen("単価"), decimals, &uv);
		if (e == 0 || uv <= 0 || !recam_parse_trailing_amount(s, decimals, &a) || a.start <= e + 1 || decimals)
			return false;
		size_t d = e;
		while (d < a.start && !is_digit(s[d]))
			d++;
		if (d < a.start) {
			size_t c = num_after(s, d, 0, &cv);
			if (c == 0 || d == e || cv <= 0 || cv * uv != a.value)
				return false;
			while (c < a.start && s[c] == ' ')
				c++;
			if (c != a.start)
				return false;
		}
		*qty = cv;
		*unit = uv;
		return true;
	}
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
	size_t mlen;
	long m = find_mul_len(s, &mlen);
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
		/* "2 @278 ¥556": the count's unit lost; the amount must be the
		 * count times the unit price */
		size_t b = (size_t)(at - s);
		while (b > 0 && s[b - 1] == ' ')
			b--;
		recam_pamount a;
		if (b > 0 && is_digit(s[b - 1]) && num_before(s, b, 0, &q) >= 0 && q > 1 && q < 100 &&
		    recam_parse_trailing_amount(s, decimals, &a) && a.start >= e && a.value == q * u) {
			*qty = q;
			*unit = u;
			return true;
		}
		return false;
	}
	/* left side */
	size_t le = (size_t)m;
	while (le > 0 && s[le - 1] == ' ')
		le--;
	size_t k;
	bool left_is_qty = false, left_is_unit = false, right_is_qty = false, right_is_unit = false;
	if (ends_any(s, le, qty_units, &k)) {
		left_is_qty = true;
		le -= k;
	} else if (ends_any(s, le, yen_suffix, &k)) {
		left_is_unit = true; /* "(138円 x 3個)" */
		le -= k;
	}
	int64_t lv, rv;
	long lb = num_before(s, le, decimals, &lv);
	bool lost_qty = false;
	if (lb < 0) {
		/* "個 x 単25 ¥75": the count is lost, the unit price is there;
		 * the caller takes the count from the amount (quantity 0) */
		if (!left_is_qty)
			return false;
		lost_qty = true;
		lv = 0;
		lb = (long)le;
	}
	size_t p = (size_t)lb;
	while (p > 0 && s[p - 1] == ' ')
		p--;
	if (!lost_qty && ends_any(s, p, unit_marks, &k))
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
	if (lost_qty) {
		if (!right_is_unit || right_is_qty)
			return false;
		*qty = 0;
		*unit = rv;
		return rv > 0;
	}
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

/* A quantity line that starts with a name of its own ("にんじん 3本 x2
 * ¥296"), not with its count or price ("2コ × 898円", "個 x 単25"). */
static bool qty_line_has_name(const char *s)
{
	static const char *const not_name[] = {"個", "点", "コ", "本", "ケ", "袋", "枚", "パック", "単価", "単", "円",
					       "\xC2\xA5", "\xC3\x97", "数量", NULL};
	size_t k, end;
	long m = find_mul_len(s, &k);
	const char *at = strchr(s, '@');
	end = m >= 0 ? (size_t)m : at ? (size_t)(at - s) : strlen(s);
	if (at && (size_t)(at - s) < end)
		end = (size_t)(at - s);
	if (m < 0 && at == NULL) /* "単価222 数量2 ¥444 軽": up to the first number */
		for (end = 0; s[end] && !is_digit(s[end]); end++)
			;
	int glyphs = 0; /* one glyph is a speck or a misread "@": "で 125Xx3点" */
	for (size_t i = 0; i < end && s[i]; i += k) {
		k = 1;
		if (starts_any(s + i, not_name, &k))
			continue;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xE3 && c <= 0xE9 && ++glyphs >= 2)
			return true;
		while (((unsigned char)s[i + k] & 0xC0) == 0x80)
			k++;
	}
	return false;
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

static bool has_kana_or_kanji(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0xE3 && (unsigned char)s[i] <= 0xE9)
			return true;
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

/* Leaders read as a jumble after the name ("とろけるチーズ *・・・こく・・こ",
 * "焼餃子 6 個 oe oe 06) oie erelie"): the first word, starting with a
 * leader glyph, a mark (* ※) or a lower-case letter, from which to the end
 * at least 4 glyphs and 60% of them are leader glyphs or marks; n when
 * there is none. *mark when a reduced-rate mark was in it. */
static size_t leader_tail(const char *s, size_t n, bool *mark)
{
	for (size_t i = 1; i < n; i++) {
		/* from a word that starts as leaders do: not "1000g※", "Box ・・・" */
		bool start = (leader_at(s + i, n - i) > 0 && s[i] != '0') || s[i] == '*' ||
			     strncmp(s + i, "※", 3) == 0 || (s[i] >= 'a' && s[i] <= 'z');
		if (s[i - 1] != ' ' || !start)
			continue;
		int glyphs = 0, leaders = 0;
		bool mk = false;
		for (size_t j = i; j < n;) {
			size_t k = leader_at(s + j, n - j);
			bool m = s[j] == '*' || strncmp(s + j, "※", 3) == 0;
			glyphs += s[j] != ' ';
			leaders += k > 0 || m;
			if (k == 0) {
				k = 1;
				while (j + k < n && ((unsigned char)s[j + k] & 0xC0) == 0x80)
					k++;
			}
			mk = mk || m;
			j += k;
		}
		if (leaders >= 4 && leaders * 10 >= glyphs * 6) {
			*mark = mk;
			return i;
		}
	}
	return n;
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

static const char *const small_kana[] = {"ァ", "ィ", "ゥ", "ェ", "ォ", "ッ", "ャ", "ュ", "ョ", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ",
					"っ", "ゃ", "ゅ", "ょ", "ー", NULL};
static const char *const name_end_punct[] = {"。", "」", "、", "・", NULL};
/* specks read as punctuation before a name: "「クリームパン", "‘Yogurt" */
static const char *const name_start_punct[] = {"「", "。", "、", "‘", "’", "“", NULL};

/* The full-size twin of a small katakana (ョ → ヨ), or -1. */
static int32_t full_size_kata(int32_t cp)
{
	switch (cp) {
	case 0x30A1: case 0x30A3: case 0x30A5: case 0x30A7: case 0x30A9: /* ァィゥェォ */
	case 0x30C3: case 0x30E3: case 0x30E5: case 0x30E7: case 0x30EE: /* ッャュョヮ */
		return cp + 1;
	case 0x30F5: return 0x30AB; /* ヵ */
	case 0x30F6: return 0x30B1; /* ヶ */
	default: return -1;
	}
}

static int32_t kana3_at(const char *s);

/* s[0..n) starts with a small katakana whose full-size twin begins a word
 * of three glyphs or more with the katakana after it ("ョーグルト" is
 * ヨーグルト misread). The full-size code point, or -1. */
static int32_t small_kana_for_full(const char *s, size_t n)
{
	int32_t big = n >= 3 ? full_size_kata(kana3_at(s)) : -1;
	if (big < 0)
		return -1;
	char buf[3 * 24];
	size_t len = 0;
	buf[len++] = (char)(0xE0 | (big >> 12));
	buf[len++] = (char)(0x80 | ((big >> 6) & 0x3F));
	buf[len++] = (char)(0x80 | (big & 0x3F));
	for (size_t i = 3; i + 3 <= n && len + 3 <= sizeof(buf); i += 3) {
		int32_t cp = kana3_at(s + i);
		if (cp < 0x30A1 || cp > 0x30FC)
			break;
		memcpy(buf + len, s + i, 3);
		len += 3;
		if (len >= 9 && recam_kana_lex_has(buf, len))
			return big;
	}
	return -1;
}

/* Cuts reduced-rate marks and stray punctuation around a name. */
static char *clean_name(const char *s, size_t n, bool *reduced)
{
	static const char *const marks[] = {"*", "※", "★", "軽", "#", NULL};
	/* dot leaders between name and price, as printed or as OCR sees them:
	 * "カップ焼そば ........ーー", "もやし ooooeooe", "紅茶 ・・・・" */
	n = cut_leaders(s, n);
	bool mark = false;
	n = leader_tail(s, n, &mark);
	*reduced = *reduced || mark;
	/* the paper's edge with a speck outside it: "雪 | 枝豆", "FE| シャンプー",
	 * "(| コットン" (at most three marks or letters glued to the edge) */
	for (size_t i = 0; i < n && i < 8; i++) {
		bool glued = i >= 1 && i <= 3 && i + 1 < n && s[i + 1] == ' ';
		for (size_t k = 0; glued && k < i; k++)
			glued = s[k] > ' ' && s[k] <= '~' && s[k] != '|';
		if (s[i] == '|' && i > 0 && (s[i - 1] == ' ' || glued) && has_letter(s + i, n - i)) {
			s += i + 1;
			n -= i + 1;
			break;
		}
	}
	/* a speck and a full stop before the name: "還。カップ麺", "諸。経パック" */
	if (n > 0 && (unsigned char)s[0] >= 0x80) {
		size_t g = 1;
		while (g < n && ((unsigned char)s[g] & 0xC0) == 0x80)
			g++;
		if (g + 3 < n && (strncmp(s + g, "。", 3) == 0 || strncmp(s + g, "、", 3) == 0) &&
		    has_kana_or_kanji(s + g + 3, n - g - 3)) {
			s += g + 3;
			n -= g + 3;
		}
	}
	/* a reduced mark after the name and specks after the mark: "にんじん ※
	 * NE", "キャベツ 1/2※ で" (of 32 names with a mark inside on 910 dev
	 * photos none was right whole, 10 were cut at the mark); a quantity
	 * after the mark ("※ 3", "※ \"4") is read later */
	for (size_t i = 6; i + 1 < n; i++) {
		size_t k;
		if ((s[i] == '*' || strncmp(s + i, "※", 3) == 0) && starts_any(s + i, marks, &k) && i + k < n &&
		    has_kana_or_kanji(s, i)) {
			size_t j = i + k;
			while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
				j++;
			if (j < n && !is_digit(s[j])) {
				*reduced = true;
				n = i;
			}
			break;
		}
	}
	/* specks before the reduced mark that starts the name: "謀 ※ カップうどん" */
	for (size_t i = 1; i < n && i < 10; i++) {
		size_t k;
		if (s[i - 1] == ' ' && starts_any(s + i, marks, &k) && s[i] != '#' && !is_digit(s[0]) &&
		    has_kana_or_kanji(s + i + k, n - i - k)) {
			s += i;
			n -= i;
			break;
		}
	}
	bool again = true;
	int32_t big = -1; /* the full size of the small kana that starts the name */
	while (again) {
		again = false;
		size_t k;
		for (;;) {
			size_t step = 0;
			if (n > 0 && (s[0] == ' ' || s[0] == '.' || s[0] == '-' || s[0] == '"' || s[0] == '\''))
				step = 1;
			else if (n > 0 && starts_any(s, name_start_punct, &k) && k < n)
				step = k;
			if (step == 0 || big >= 0)
				break;
			s += step;
			n -= step;
		}
		/* no word starts with a small kana or a long vowel: "ォプロテイン";
		 * but a small kana read for its full-size twin ("ョーグルト") is
		 * made full-size when that begins a word */
		while (n > 0 && big < 0 && starts_any(s, small_kana, &k) && k < n) {
			if ((big = small_kana_for_full(s, n)) >= 0)
				break;
			s += k;
			n -= k;
			again = true;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == '-' || s[n - 1] == '\\' ||
				 s[n - 1] == ',' || s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ':' || s[n - 1] == '_' ||
				 ends_any(s, n, name_end_punct, &k)))
			n -= ends_any(s, n, name_end_punct, &k) ? k : 1;
		/* two long-vowel marks or more at the end are leaders: "チョコチップーー" */
		if (n >= 6 && memcmp(s + n - 6, "ーー", 6) == 0) {
			while (n >= 3 && memcmp(s + n - 3, "ー", 3) == 0)
				n -= 3;
			again = true;
		}
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
		/* a speck before the code: "1 03 冷凍ブロッコリー", "上 09 ココナッツ" */
		size_t g1 = n > 0 && (unsigned char)s[0] >= 0x80 ? 1 : 0;
		while (g1 > 0 && g1 < n && ((unsigned char)s[g1] & 0xC0) == 0x80)
			g1++;
		if (n > 0 && (unsigned char)s[0] < 0x80 && s[0] != ' ')
			g1 = 1;
		if (g1 > 0 && g1 + 3 < n && s[g1] == ' ' && is_digit(s[g1 + 1]) && is_digit(s[g1 + 2])) {
			size_t e = g1 + 1;
			while (e < n && is_digit(s[e]))
				e++;
			static const char *const counters[] = {"入", "玉", "切", "食", "貫", "錠", "包", "箱", "巻", "缶", "粒", "年", "月", NULL};
			if (e - g1 - 1 <= 6 && e + 1 < n && s[e] == ' ' && (unsigned char)s[e + 1] >= 0x80 &&
			    !starts_any(s + e + 1, qty_units, &k) && !starts_any(s + e + 1, counters, &k)) { /* "卵 10 個入" is a name */
				s += g1 + 1;
				n -= g1 + 1;
			}
		}
		/* a leading department or PLU code: "13 豚こま切落し", "29 *烏龍茶" */
		size_t d = 0;
		while (d < n && d < 6 && is_digit(s[d]))
			d++;
		if (d > 0 && d + 1 < n && s[d] == ' ' && has_letter(s + d, n - d) &&
		    ((unsigned char)s[d + 1] >= 0x80 || starts_any(s + d + 1, marks, &k))) {
			s += d + 1;
			n -= d + 1;
			again = true;
		} else if (d > 0 && d < n && starts_any(s + d, marks, &k) && s[d] != '#') {
			s += d; /* "29*烏龍茶": the code glued to the mark */
			n -= d;
			again = true;
		}
	}
	/* a quote after a space is a speck ("せんべい黒こしょう ※ "4"); after
	 * a kana it may be a dakuten read apart (ｶﾞ as カ") and stays */
	char *out = strndup(s, n);
	if (out == NULL)
		return NULL;
	if (big >= 0 && n >= 3 && full_size_kata(kana3_at(out)) == big) {
		out[1] = (char)(0x80 | ((big >> 6) & 0x3F));
		out[2] = (char)(0x80 | (big & 0x3F));
	}
	size_t w = 0;
	for (size_t i = 0; out[i]; i++) {
		bool quote = (out[i] == '"' || strncmp(out + i, "\xE2\x80\x9C", 3) == 0 ||
			      strncmp(out + i, "\xE2\x80\x9D", 3) == 0) &&
			     (w == 0 || out[w - 1] == ' ');
		if (quote && out[i] != '"')
			i += 2;
		char c = quote ? ' ' : out[i];
		if (c == ' ' && (w == 0 || out[w - 1] == ' '))
			continue;
		out[w++] = c;
	}
	while (w > 0 && out[w - 1] == ' ')
		w--;
	out[w] = '\0';
	/* "卵 6 個人": after a count 入 is read as 人 (10 names on 910 dev
	 * photos, none a 個人) */
	for (char *p = strstr(out, "個人"); p; p = strstr(p + 3, "個人")) {
		const char *q = p;
		while (q > out && q[-1] == ' ')
			q--;
		if (q > out && is_digit(q[-1]))
			memcpy(p + 3, "入", 3);
	}
	return out;
}

/* The code point of a 3-byte UTF-8 glyph at s (kana are all 3 bytes), or -1. */
static int32_t kana3_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] != 0xE3 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
		return -1;
	return (int32_t)(((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F));
}

/* 1 when b is a's twin with the other voicing mark (バ/パ, ぼ/ぽ: no word
 * has them side by side); 2 when b is a's small or large twin (ウ/ゥ,
 * ヨ/ョ; ツ/ッ is left alone: ナッツ); else 0. */
static int kana_twin(int32_t a, int32_t b)
{
	int32_t lo = a < b ? a : b, hi = a < b ? b : a;
	if (hi != lo + 1)
		return 0;
	int32_t ba = lo >= 0x30A0 ? 0x30D0 : 0x3070; /* バ or ば: then ビ, ブ, ベ, ボ every third */
	if (lo >= ba && lo <= ba + 12 && (lo - ba) % 3 == 0)
		return 1;
	static const int32_t small[] = {0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7,
					0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3083, 0x3085, 0x3087};
	for (size_t k = 0; k < sizeof(small) / sizeof(small[0]); k++)
		if (lo == small[k])
			return 2;
	return 0;
}

/* One kana read twice, once with each voicing mark or size ("カマンベペ
 * ベール", "ウゥインナー", "ヨョヨーグルト"): the twin is dropped, keeping
 * the first reading (of a small/large pair the large kana), and the first
 * reading once more after it. On the tuning corpora the first reading was
 * the printed one in 9 of 12 such names. */
static void drop_kana_twins(char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i + 6 <= n;) {
		int32_t a = kana3_at(name + i), b = kana3_at(name + i + 3);
		int twin = a >= 0 && b >= 0 ? kana_twin(a, b) : 0;
		if (!twin) {
			i++;
			continue;
		}
		int32_t keep = twin == 2 && b > a ? b : a; /* small kana code points are one below their large twins */
		if (keep == b)
			memmove(name + i, name + i + 3, 3);
		size_t drop = i + 9 <= n && kana3_at(name + i + 6) == keep ? 6 : 3;
		memmove(name + i + 3, name + i + 3 + drop, n - (i + 3 + drop) + 1);
		n -= drop; /* and look at the same place again: "ボポポ" */
	}
}

/* Package sizes in a name, as OCR misreads them: "ml" read "mt" / "mi" /
 * "mU", and 0 read 9 or 6 at the end of a size ("509ml", "359ml",
 * "506ml", "599ml", "590ml"): sizes end in 00 or 50, never in 06, 09,
 * 56, 59, 90 or 99. */
static void fix_sizes(char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i + 1 < n; i++) {
		if (name[i] != 'm' || i == 0)
			continue;
		size_t d = i;
		if (name[d - 1] == ' ' && d >= 2)
			d--;
		if (!is_digit(name[d - 1]))
			continue;
		char c = name[i + 1];
		bool end = i + 2 == n || name[i + 2] == ' ' || (unsigned char)name[i + 2] >= 0x80;
		if ((c == 't' || c == 'i' || c == 'I' || c == '1' || c == 'U' || c == ']' || c == '[') && end)
			name[i + 1] = 'l';
		if (name[i + 1] != 'l' && name[i + 1] != 'L')
			continue;
		size_t b = d;
		while (b > 0 && is_digit(name[b - 1]))
			b--;
		if (d - b < 3 || (b > 0 && is_digit(name[b - 1])))
			continue;
		if (d - b == 3 && name[d - 2] == '9' && (name[d - 1] == '9' || name[d - 1] == '0'))
			name[d - 2] = '0'; /* "599ml", "590ml" */
		if ((name[d - 2] == '0' || name[d - 2] == '5') && (name[d - 1] == '9' || name[d - 1] == '6'))
			name[d - 1] = '0';
	}
}

/* A package size as a whole token: digits (a dot inside: 1.5L) and a unit
 * ml, mL, L, g or kg. */
static bool size_token(const char *t, size_t n)
{
	size_t i = 0;
	while (i < n && (is_digit(t[i]) || (t[i] == '.' && i > 0 && i + 1 < n && is_digit(t[i + 1]))))
		i++;
	if (i == 0 || !is_digit(t[0]))
		return false;
	const char *u = t + i;
	size_t ul = n - i;
	return (ul == 2 && (memcmp(u, "ml", 2) == 0 || memcmp(u, "mL", 2) == 0 || memcmp(u, "kg", 2) == 0)) ||
	       (ul == 1 && (*u == 'L' || *u == 'g'));
}

/* The first digit of a size read as a letter or mark: 1 as l, I, i, | or T
 * ("砂糖 lkg", "サイダー i.5L"), 5 as S or $ ("S00ml", "$00g"); taken when
 * the token is then a size and was none. A 1 read twice ("1lkg") loses
 * the letter. */
static void fix_size_letters(char *name)
{
	for (char *t = name; *t;) {
		while (*t == ' ')
			t++;
		char *e = t;
		while (*e && *e != ' ')
			e++;
		size_t n = (size_t)(e - t);
		char c = t[0];
		char d = c == 'l' || c == 'I' || c == 'i' || c == '|' || c == 'T' ? '1' : c == 'S' || c == '$' ? '5' : 0;
		if (n >= 2 && d && !size_token(t, n)) {
			t[0] = d;
			if (!size_token(t, n)) {
				t[0] = c;
			}
		} else if (n >= 3 && t[0] == '1' && t[1] == 'l' && !size_token(t, n)) {
			t[1] = '1';
			if (size_token(t + 1, n - 1)) {
				memmove(t, t + 1, strlen(t + 1) + 1); /* "1lkg" */
				e--;
			} else {
				t[1] = 'l';
			}
		}
		t = e;
	}
}

/* The long vowel mark read as a hyphen after a katakana, spaced or not
 * ("チョコレ - トミルク", "ビ - ル 500ml", "コ -- ラ"): the hyphens and the
 * spaces around them become ー when a katakana (not ー) is before and no
 * digit after. Returns the length of the span at s[i] to replace, or 0. */
static size_t hyphen_span(const char *s, size_t i, size_t n)
{
	if (s[i] != '-')
		return 0;
	size_t b = i > 0 && s[i - 1] == ' ' ? i - 1 : i;
	int32_t k = b >= 3 ? kana3_at(s + b - 3) : -1;
	if (k < 0x30A1 || k > 0x30FA)
		return 0;
	size_t e = i + 1;
	if (e < n && s[e] == '-')
		e++;
	if (e < n && s[e] == ' ')
		e++;
	if (e < n && (is_digit(s[e]) || s[e] == '-' || s[e] == ' '))
		return 0;
	return e - b;
}

/* Returns false when out of memory (the name may grow: ー is 3 bytes). */
static bool hyphen_long_vowel(char **name)
{
	char *s = *name;
	size_t n = strlen(s), hits = 0;
	for (size_t i = 0; i < n; i++)
		hits += hyphen_span(s, i, n) > 0;
	if (hits == 0)
		return true;
	char *o = malloc(n + 3 * hits + 1);
	if (o == NULL)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t span = i + 1 < n && s[i] == ' ' ? hyphen_span(s, i + 1, n) : hyphen_span(s, i, n);
		if (span > 0 && (s[i] == '-' || s[i] == ' ')) {
			memcpy(o + k, "ー", 3);
			k += 3;
			i += span;
		} else {
			o[k++] = s[i++];
		}
	}
	o[k] = '\0';
	free(s);
	*name = o;
	return true;
}

/* "500m" for 500ml: the l lost after a volume (150 and more, ending in 0;
 * a length in metres on a grocery receipt is shorter: ラップ 50m). At the end
 * of the name or before a space. Returns false when out of memory. */
static bool ml_lost(char **name)
{
	char *s = *name;
	size_t n = strlen(s);
	for (size_t i = 1; i < n; i++) {
		if (s[i] != 'm' || !(i + 1 == n || s[i + 1] == ' ') || s[i - 1] != '0')
			continue;
		size_t b = i;
		long v = 0, p = 1;
		while (b > 0 && is_digit(s[b - 1]) && i - b < 5) {
			v += (s[b - 1] - '0') * p;
			p *= 10;
			b--;
		}
		if (v < 150 || (b > 0 && (is_digit(s[b - 1]) || s[b - 1] == '.')))
			continue;
		char *o = malloc(n + 2);
		if (o == NULL)
			return false;
		memcpy(o, s, i + 1);
		o[i + 1] = 'l';
		memcpy(o + i + 2, s + i + 1, n - i);
		free(s);
		*name = s = o;
		n++;
	}
	return true;
}

/* Re-cuts reduced marks at the end of a name after a quantity column was
 * taken from it ("即席みそ汁 ※ 3"). */
static void cut_end_marks(char *name, bool *reduced)
{
	static const char *const marks[] = {"*", "※", "★", "軽", NULL};
	size_t n = strlen(name), k;
	while (n > 0 && (name[n - 1] == ' ' || ends_any(name, n, marks, &k))) {
		if (name[n - 1] == ' ') {
			n--;
			continue;
		}
		n -= k;
		*reduced = true;
	}
	name[n] = '\0';
}

/* A quantity column printed after the name: "冷奴 x4", "ごま油 2",
 * "ジャムパン 6個" (a count, not a pack size "3本" / "5枚" / "3P"). Taken
 * only when it divides the amount; cut from the name. */
static bool trailing_qty(char *name, int64_t amount, int64_t *q)
{
	static const char *const count_units[] = {"個", "コ", "ケ", "点", NULL};
	size_t n = strlen(name), k;
	bool unit = false;
	if (ends_any(name, n, count_units, &k)) {
		n -= k;
		unit = true;
		while (n > 0 && name[n - 1] == ' ')
			n--;
	}
	size_t e = n;
	while (e > 0 && is_digit(name[e - 1]))
		e--;
	if (e == n || n - e > 2 || e == 0)
		return false;
	int64_t v = 0;
	for (size_t i = e; i < n; i++)
		v = v * 10 + (name[i] - '0');
	size_t cut = e;
	size_t ml = 0;
	while (cut > 0 && (name[cut - 1] == 'x' || name[cut - 1] == 'X' ||
			   (cut >= 2 && strncmp(name + cut - 2, "\xC3\x97", 2) == 0))) {
		size_t step = name[cut - 1] == 'x' || name[cut - 1] == 'X' ? 1 : 2;
		cut -= step;
		ml += step;
	}
	if (ml > 3 || (unit && ml > 0))
		return false;
	if (cut == 0 || name[cut - 1] != ' ' || v < 2 || amount <= 0 || amount % v != 0)
		return false;
	while (cut > 0 && name[cut - 1] == ' ')
		cut--;
	name[cut] = '\0';
	*q = v;
	return true;
}

/* Whether the name part t[0..n) ends in a count with the reduced-rate mark
 * after it ("焼餃子 6個* ¥330", "玉ねぎ 3 個 ※"): the mark belongs to the
 * product, so the count is part of its name (a pack size), not a quantity
 * column, which follows the mark ("ジャムパン* 6個"). */
static bool count_before_mark(const char *t, size_t n)
{
	static const char *const marks[] = {"*", "※", "軽", "★", NULL};
	static const char *const counts[] = {"個", "コ", "点", NULL};
	size_t k;
	while (n > 0 && t[n - 1] == ' ')
		n--;
	if (!ends_any(t, n, marks, &k))
		return false;
	n -= k;
	while (n > 0 && t[n - 1] == ' ')
		n--;
	if (ends_any(t, n, counts, &k))
		n -= k;
	while (n > 0 && t[n - 1] == ' ')
		n--;
	return n > 0 && is_digit(t[n - 1]);
}

/* A number of 2-6 digits ending a name, after a space: "瓶ビール 658". */
static bool name_end_number(const char *name, int64_t *v)
{
	size_t n = strlen(name), e = n;
	while (e > 0 && is_digit(name[e - 1]))
		e--;
	if (e == n || n - e < 2 || n - e > 6 || e < 2 || name[e - 1] != ' ' || !has_kana_or_kanji(name, e))
		return false;
	int64_t x = 0;
	for (size_t i = e; i < n; i++)
		x = x * 10 + (name[i] - '0');
	*v = x;
	return true;
}

static const char *const discount_words[] = {"値引", "割引", "引き", "%引", "% 引", "見切", "クーポン",
					     "ディスカウント", "値下", "半額", NULL};

static bool latin(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* A discount word in s; OFF only as a word of its own ("10% OFF", not
 * "Coffee": an English receipt's coffee was read as a discount). */
static bool discount_worded(const char *s)
{
	if (recam_parse_has_any(s, discount_words))
		return true;
	for (const char *p = s; (p = strcasestr(p, "off")) != NULL; p++)
		if ((p == s || !latin(p[-1])) && !latin(p[3]))
			return true;
	return false;
}

/* The minus mark △ of a discount line, misread: "値引 AY¥10", "割引 30% 4A\\¥38",
 * "単品値引人ム 20", "値引 4 ム Y50". Cut from the end of the name. */
static void cut_discount_mark(char *name)
{
	static const char *const junk[] = {"A", "a", "Y", "y", "4", "人", "ム", "へ", "^", "。", "△", "▲", NULL};
	size_t n = strlen(name), k, e = n, cut = 0;
	while (e > 0) {
		if (name[e - 1] == ' ') {
			e--;
			continue;
		}
		if (!ends_any(name, e, junk, &k) || ++cut > 4)
			break;
		e -= k;
	}
	while (e > 0 && name[e - 1] == ' ')
		e--;
	/* keep a name that is all junk, and a number that ends the label: "割引 4" */
	if (e == n || e == 0 || !discount_worded(name))
		return;
	char keep = name[e];
	name[e] = '\0';
	bool still = discount_worded(name) || strchr(name, '%') != NULL;
	name[e] = keep;
	if (still)
		name[e] = '\0';
}

/* The % of a discount's rate read as 99, 96 or 9%: "値引 2099", "見切り 3096
 * 引", "209% 引" are 20% and 30%. Only a one- or two-digit rate with the
 * misread right after it, at the end of the name or before 引. */
static void repair_discount_percent(char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(name[i]) || (i > 0 && is_digit(name[i - 1])))
			continue;
		size_t d = i;
		while (d < n && is_digit(name[d]))
			d++;
		size_t len = d - i, rate = 0, tail;
		if (len >= 3 && len <= 4 && name[d - 2] == '9' && (name[d - 1] == '9' || name[d - 1] == '6')) {
			rate = len - 2;
			tail = d; /* "2099", "3096" */
		} else if (len == 3 && name[d - 1] == '9' && name[d] == '%') {
			rate = 2;
			tail = d + 1; /* "209%" (a "19%" may be what was printed) */
		} else {
			i = d;
			continue;
		}
		size_t after = tail;
		while (name[after] == ' ')
			after++;
		if (name[after] != '\0' && strncmp(name + after, "引", strlen("引")) != 0) {
			i = d;
			continue;
		}
		name[i + rate] = '%';
		memmove(name + i + rate + 1, name + tail, n - tail + 1);
		return;
	}
}

/* One or two Latin letters after a name, not a size or unit: specks read
 * as "ee", "Se", "Re ae", "EE" ("ベーコン Re ae ¥308"). A lone capital
 * (size M, L) and anything after a number (500 ml) stay. */
static void cut_latin_junk(char *name)
{
	size_t n = strlen(name);
	for (;;) {
		size_t b = n;
		while (b > 0 && ((name[b - 1] >= 'a' && name[b - 1] <= 'z') || (name[b - 1] >= 'A' && name[b - 1] <= 'Z')))
			b--;
		size_t len = n - b;
		if (len == 0 || len > 2 || b < 2 || name[b - 1] != ' ')
			return;
		bool lower = (name[b] >= 'a' && name[b] <= 'z') || (len == 2 && name[b + 1] >= 'a' && name[b + 1] <= 'z');
		bool twin = len == 2 && name[b] == name[b + 1];
		if (!(lower || twin) || (len == 2 && name[b] == 'L' && name[b + 1] == 'L'))
			return;
		size_t p = b - 1;
		while (p > 0 && name[p - 1] == ' ')
			p--;
		if (p == 0 || is_digit(name[p - 1]) || !has_kana_or_kanji(name, p))
			return;
		n = p;
		name[n] = '\0';
	}
}

/* A token of nothing but marks: no letter, digit, kana or kanji ("¥", ">",
 * "|", "’", "※", "。", "』"). Invalid UTF-8 is no mark. */
static bool marks_only(const char *t, size_t n)
{
	int32_t cps[64];
	size_t k = recam_norm_decode(t, n, cps, 64);
	if (k == 0 || k > 64)
		return false;
	for (size_t i = 0; i < k; i++) {
		int32_t c = cps[i];
		bool word = (c < 0x80 && ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) ||
			    (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xFF10 && c <= 0xFF9F) ||
			    c == 0xFFFD;
		if (word || c == ' ')
			return false;
	}
	return true;
}

/* Specks read as marks at either end of a name, set apart by a space
 * ("ぶり切身 「", "ロースハム ;", "カスタードプリン >", ") ゼリー", "\ 牛乳"):
 * cut. A bracket that closes or opens one in the name stays ("(半額 )"). */
static void cut_mark_edges(char *name)
{
	bool paren = strchr(name, '(') != NULL && strchr(name, ')') != NULL;
	for (;;) {
		size_t n = strlen(name);
		char *sp = strrchr(name, ' ');
		if (sp == NULL || sp == name)
			break;
		const char *tok = sp + 1;
		size_t tl = n - (size_t)(tok - name);
		if (!marks_only(tok, tl) || (paren && (strchr(tok, ')') || strchr(tok, '('))))
			break;
		while (sp > name && sp[-1] == ' ')
			sp--;
		*sp = '\0';
	}
	/* a closing bracket glued before the name opens nothing: "】ミネラルウォーター" */
	static const char *const closers[] = {"】", "』", "」", "〕", "］", "）", NULL};
	for (const char *const *c = closers; *c; c++) {
		size_t cl = strlen(*c);
		if (strncmp(name, *c, cl) == 0 && has_kana_or_kanji(name + cl, strlen(name + cl)) &&
		    (unsigned char)name[cl] >= 0x80) {
			memmove(name, name + cl, strlen(name + cl) + 1);
			break;
		}
	}
	for (;;) {
		char *sp = strchr(name, ' ');
		if (sp == NULL || sp == name)
			break;
		size_t tl = (size_t)(sp - name);
		if (!marks_only(name, tl) || (paren && (memchr(name, '(', tl) || memchr(name, ')', tl))))
			break;
		while (*sp == ' ')
			sp++;
		if (!has_kana_or_kanji(sp, strlen(sp)))
			break;
		memmove(name, sp, strlen(sp) + 1);
	}
}

/* An amount read with no yen mark and two digits first ("・・・・ 1282"):
 * its first digit may be the mark. */
static bool bare_lead(const char *amt, bool yen_mark)
{
	while (*amt == ' ')
		amt++;
	return !yen_mark && is_digit(amt[0]) && is_digit(amt[1]);
}

/* Where the UTF-8 glyph ending at s[e] starts. */
static size_t glyph_start(const char *s, size_t e)
{
	size_t g = e;
	while (g > 0 && ((unsigned char)s[g - 1] & 0xC0) == 0x80)
		g--;
	if (g > 0 && (unsigned char)s[g - 1] >= 0xC0)
		g--;
	return g;
}

/* An item line whose amount did not parse, re-written for one more try:
 * a speck after the amount ("1,658 護", "594\""), ¥ read as "y"
 * ("y468"), a discount's △ read as "A" / "人" / "ム" glued to it ("A73").
 * Returns false when there is nothing to repair. */
static bool repair_amount(const char *t, bool discount, char *out, size_t cap)
{
	size_t n = strlen(t);
	if (n + 1 > cap || n < 2)
		return false;
	memcpy(out, t, n + 1);
	bool changed = false;
	/* a glyph glued to 円 after the amount ("776 円較"), one or two words of
	 * one or two glyphs after it ("198 上國"), or a quote glued to it */
	static const char *const counters[] = {"本", "個", "枚", "包", "錠", "袋", "コ", "点", "入", "食",
					       "切", "缶", "箱", "組", "玉", "束", "尾", "匹", "円", "P", NULL};
	size_t k, e = n, last = glyph_start(out, n);
	size_t cut = recam_parse_specks_end(out, n, true);
	if (cut > 0) {
		while (cut > 0 && out[cut - 1] == ' ')
			cut--;
		out[cut] = '\0';
		return true;
	}
	if (out[e - 1] == '"' || out[e - 1] == '\'' || (out[e - 1] == '.' && e >= 2 && is_digit(out[e - 2]))) {
		e--; /* "594\"", "285." */
	} else if (last + 1 < e && ends_any(out, last, yen_suffix, &k) && !starts_any(out + last, counters, &k)) {
		e = last;
	} else {
		for (int words = 0; words < 2; words++) {
			/* a word of one or two glyphs, or of one or two marks ("- 護", ". 箇", "(|") */
			size_t b = e;
			for (int g = 0; g < 2 && b > 0 && (unsigned char)out[b - 1] >= 0x80; g++)
				b = glyph_start(out, b);
			if (b == e)
				while (b > 0 && e - b < 2 && strchr(".,-_|()", out[b - 1]) != NULL)
					b--;
			if (b == e || b < 2 || out[b - 1] != ' ' || starts_any(out + b, counters, &k))
				break;
			e = b - 1;
		}
	}
	while (e > 0 && out[e - 1] == ' ')
		e--;
	size_t y = 0;
	bool yen = ends_any(out, e, yen_suffix, &y) && e >= y + 2 &&
		   (is_digit(out[e - y - 1]) || (out[e - y - 1] == ' ' && is_digit(out[e - y - 2])));
	if (e < n && e > 0 && (is_digit(out[e - 1]) || yen)) {
		out[e] = '\0';
		n = e;
		changed = true;
	}
	size_t end = n; /* after the amount's digits: "A200 円", "A342F" (円 read as F) */
	if (ends_any(out, end, yen_suffix, &y))
		end -= y;
	else if (end >= 3 && out[end - 1] == 'F' && is_digit(out[end - 2]))
		end--;
	while (end > 0 && out[end - 1] == ' ')
		end--;
	size_t d = end;
	while (d > 0 && (is_digit(out[d - 1]) || out[d - 1] == ','))
		d--;
	if (d == end || d == 0)
		return changed;
	bool alone2 = d >= 2 && (d == 2 || out[d - 3] == ' ');
	static const char *const yen_sign[] = {"\xC2\xA5", "\xEF\xBF\xA5", NULL}; /* ¥ ￥ */
	size_t ys;
	if ((out[d - 1] == 'i' || out[d - 1] == 'l' || out[d - 1] == 'I') && d >= 2 &&
	    (out[d - 2] == 'Y' || out[d - 2] == 'y' || out[d - 2] == '\\' || ends_any(out, d - 1, yen_sign, &ys) ||
	     (strchr("WwVv", out[d - 2]) && alone2 && end - d == 2))) {
		/* "Yi20", "wi61", "vl10", "¥l10": the 1 read as i or l after ¥
		 * (after w or v only before two digits: "wi183" is ¥183) */
		out[d - 1] = '1';
		d--;
		changed = true;
	}
	if (d >= 2 && (out[d - 2] == 'x' || out[d - 2] == 'y') && out[d - 1] == 'y' && alone2 && end - d >= 2) {
		out[d - 2] = ' '; /* "xy140", "yy130": ¥ read as two letters */
		out[d - 1] = 'Y';
		changed = true;
	} else if (strchr("y#*eEF", out[d - 1]) && (d == 1 || out[d - 2] == ' ') && end - d >= 2) {
		/* ¥ read as y, #, *, e or F ("アイスソーダ #366", "りんご 2 *496",
		 * "冷凍うどん e158", "アイスバニラ F298 軽") */
		out[d - 1] = 'Y';
		changed = true;
	} else if (discount) {
		/* △ glued to the amount, read as one to three glyphs ("A30", "4A65", "4Ay100", "Aw72") */
		static const char *const tri[] = {"A", "人", "ム", "^", "4", "y", "Y", "w", "W", "v", "V", NULL};
		static const char *const mark[] = {"A", "人", "ム", "^", NULL};
		size_t b = d, glyphs = 0, m;
		bool seen = false;
		while (glyphs < 3 && ends_any(out, b, tri, &k)) {
			seen = seen || ends_any(out, b, mark, &m);
			b -= k;
			glyphs++;
		}
		if (seen) {
			memset(out + b, ' ', d - b);
			out[d - 1] = '-';
			changed = true;
		}
	}
	return changed;
}

int recam_parse_items(const recam_pline *L, size_t from, size_t to, int decimals, recam_pitem **items, size_t *n)
{
	size_t cap = 16, cnt = 0;
	recam_pitem *it = calloc(cap, sizeof(*it));
	if (it == NULL)
		return RECAM_ENOMEM;
	long pending_name = -1; /* a name line without an amount, waiting for its quantity line */
	char fix[RECAM_ITEM_LINE_MAX];
	for (size_t i = from; i < to; i++) {
		const char *t = L[i].t;
		unsigned skip = RECAM_PK_MONEY | RECAM_PK_META | RECAM_PK_NOISE | RECAM_PK_COUNT;
		if ((L[i].kind & skip) && !(L[i].kind & RECAM_PK_DISCOUNT))
			continue;
		recam_pamount a;
		bool has_amount = recam_parse_trailing_amount(t, decimals, &a);
		size_t speck = has_amount && a.value < 10 && !a.negative ? recam_parse_specks_end(t, strlen(t), true) : 0;
		recam_pamount b;
		if (speck > 0 && speck < sizeof(fix)) {
			/* a speck read as a digit after the amount's 円 or mark: "198 軽 3" */
			memcpy(fix, t, speck);
			fix[speck] = '\0';
			if (recam_parse_trailing_amount(fix, decimals, &b) && b.value >= 10) {
				t = fix;
				a = b;
				a.repaired = true;
			}
		}
		/* a repaired amount needs a name of two kana or kanji before it (one
		 * on a discount line: "10% 引 A27") and at least two digits, and not
		 * a quantity line below ("綿棒 200 本") */
		if (!has_amount && !(i + 1 < to && (L[i + 1].kind & RECAM_PK_QTY) && !qty_line_has_name(L[i + 1].t)) &&
		    repair_amount(t, (L[i].kind & RECAM_PK_DISCOUNT) != 0, fix, sizeof(fix)) &&
		    recam_parse_trailing_amount(fix, decimals, &a) && a.value >= 10 &&
		    recam_parse_cjk_count(fix, a.start) >= ((L[i].kind & RECAM_PK_DISCOUNT) ? 1 : 2)) {
			t = fix;
			has_amount = true;
			a.repaired = true;
		}
		int64_t q = 0, u = 0;
		bool is_qty = recam_parse_qty(t, decimals, &q, &u);
		size_t name_end = has_amount ? a.start : strlen(t);
		if (is_qty && q == 0) {
			/* the count was lost: the amount over the unit price gives it */
			int64_t base = has_amount ? a.value : cnt > 0 && it[cnt - 1].line == (int)i - 1 ? it[cnt - 1].amount : 0;
			if (base > 0 && u > 0 && base % u == 0 && base / u < 1000)
				q = base / u;
			else
				is_qty = false;
		}
		bool own_name = is_qty && qty_line_has_name(t);
		if (is_qty) {
			/* the quantity line: after (or, for some printers, before) the name */
			bool prev_item = cnt > 0 && it[cnt - 1].line == (int)i - 1 && !it[cnt - 1].qty_printed && !own_name;
			if (pending_name >= 0 && has_amount && !own_name) {
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
				/* "サンドイッチ ツナ 0" above "2個 x 単323 646": the name
				 * line's one digit was a speck, the amount is here */
				if (has_amount && !a.negative && it[cnt - 1].amount >= 0 && it[cnt - 1].amount < 10 &&
				    a.value == q * u && a.value >= 10)
					it[cnt - 1].amount = a.value;
				it[cnt - 1].quantity = q;
				it[cnt - 1].unit_price = u;
				it[cnt - 1].qty_printed = true;
				if (L[i].conf < it[cnt - 1].conf)
					it[cnt - 1].conf = L[i].conf;
				continue;
			}
			/* quantity and name on one line: "ポテト 2個×158 316" */
			if (has_amount && has_letter(t, name_end)) {
				size_t ml = 0;
				long mpos = find_mul_len(t, &ml);
				int64_t r;
				if (mpos > 0 && q * u != a.value && num_after(t, (size_t)mpos + ml, decimals, &r) > 0 && r >= 2 &&
				    r < 100 && a.value % r == 0) {
					/* "にんじん 3本 x2 ¥296": the number left of the sign
					 * belongs to the name, the count is right of it */
					size_t c = (size_t)mpos;
					while (c > 0 && t[c - 1] == ' ')
						c--;
					q = r;
					u = a.value / r;
					name_end = c;
					goto named;
				}
				size_t after = (size_t)mpos + 1;
				while (mpos > 0 && t[after] == ' ')
					after++;
				if (mpos > 0 && t[mpos] == '*' && !is_digit(t[after]) && q * u != a.value) {
					/* "玉ねぎ 3個* ¥110": the reduced-rate mark after a
					 * pack size, not a multiplication ("2個*158") nor ¥
					 * ("2 *496") */
					is_qty = false;
					goto named;
				}
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
	named:
		pending_name = -1;
		if (!has_amount) {
			if (has_letter(t, strlen(t)) && !(L[i].kind & RECAM_PK_DISCOUNT))
				pending_name = (long)i;
			continue;
		}
		if (!has_letter(t, name_end))
			continue;
		/* a summary line with its amount label misread: お買上小計 → 買上ーー */
		if (recam_parse_has(t, "買上"))
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
		bool worded = (L[i].kind & RECAM_PK_DISCOUNT) || discount_worded(nm);
		bool disc = worded || a.negative;
		if (!is_qty && !disc && !count_before_mark(t, name_end) && trailing_qty(nm, a.value, &q)) {
			is_qty = true;
			u = a.value / q;
			cut_end_marks(nm, &red);
		}
		if (disc) {
			cut_discount_mark(nm);
			repair_discount_percent(nm);
		}
		cut_latin_junk(nm);
		int64_t amt = disc ? -(a.value < 0 ? -a.value : a.value) : a.value;
		it[cnt] = (recam_pitem){.name = nm, .quantity = is_qty ? q : 1, .unit_price = is_qty ? u : amt,
					.amount = amt, .reduced = red, .discount = disc, .qty_printed = is_qty,
					.repaired = a.repaired, .conf = L[i].conf, .line = (int)i,
					.sign_only = disc && !worded,
					.bare_lead = bare_lead(t + a.start, a.yen_mark)};
		/* "瓶ビール 658 4": a speck after the amount read as the amount;
		 * the number before it is the other reading (the items sum decides) */
		int64_t alt;
		if (!disc && !is_qty && a.value < 100 && !a.yen_mark && name_end_number(nm, &alt) && alt >= 10)
			it[cnt].alt_amount = alt;
		cnt++;
	}
	/* The subtotal line with its label misread ("I 1 ¥4,306", "小語 6692"):
	 * the last "item" is the sum of all the others and has no product name
	 * (no kana or kanji, 計, or a short word after three items or more). */
	if (cnt >= 3 && !it[cnt - 1].discount &&
	    (!has_kana_or_kanji(it[cnt - 1].name, strlen(it[cnt - 1].name)) || strstr(it[cnt - 1].name, "計") ||
	     (cnt >= 4 && strlen(it[cnt - 1].name) <= 9))) {
		int64_t sum = 0;
		for (size_t j = 0; j + 1 < cnt; j++)
			sum += it[j].amount;
		if (sum == it[cnt - 1].amount)
			free(it[--cnt].name);
	}
	for (size_t j = 0; j < cnt; j++) {
		cut_latin_junk(it[j].name);
		cut_mark_edges(it[j].name);
		fix_size_letters(it[j].name);
		fix_sizes(it[j].name);
		drop_kana_twins(it[j].name);
		if (!hyphen_long_vowel(&it[j].name) || !ml_lost(&it[j].name))
			goto nomem;
		recam_kana_lex_fix(it[j].name);
		recam_kanji_lex_fix(it[j].name);
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
