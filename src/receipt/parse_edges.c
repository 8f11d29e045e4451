/* parse_edges.c — what OCR reads around a receipt line's text: the paper's
 * edge, specks of the table beside it and a column of specks after the
 * amounts. Cut before a line is classified or scanned (parse.c). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/str.h"
#include "receipt/parse_int.h"

/* Digits grouped by commas as amounts are printed: "1,438", "10,000". */
static bool comma_grouped(const char *t, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && t[i] >= '0' && t[i] <= '9')
		i++;
	if (i == 0 || i == n)
		return false;
	while (i < n) {
		if (t[i] != ',' || i + 4 > n)
			return false;
		for (size_t k = i + 1; k < i + 4; k++)
			if (t[k] < '0' || t[k] > '9')
				return false;
		i += 4;
	}
	return true;
}

/* The paper's edge and specks beside it come out as "|", "[", "_", "<",
 * ":", quotes or a lone lower-case letter at either end of a line
 * ("お預かり 4,000 |", "|21 からあげ", "< ほうじ茶"), or as 。 、 ・ first.
 * They are cut before the line is classified or scanned:
 * at the start when a space or a letter follows, at the end after a space
 * (a lone "|" also when it touches the text), and after an amount from a
 * "|", "}" or "[" on with at most two glyphs after it. */
static bool edge_junk(char c) { return strchr("|[]_`'\"!;~^<>:", c) != NULL && c != '\0'; }

void recam_parse_trim_edges(char *t)
{
	size_t n = strlen(t), a = 0;
	/* "陸 | 軽 シュークリーム": a speck of table, then the paper's edge */
	uint32_t cp;
	size_t g = n ? recam_utf8_next((const unsigned char *)t, n, &cp) : 0;
	if (g > 0 && !(cp >= '0' && cp <= '9') && g + 1 < n && t[g] == ' ' && t[g + 1] == '|' && t[g + 2] == ' ')
		a = g + 1;
	else if (g == 3 && (cp == 0x3001 || cp == 0x3002 || cp == 0x30FB)) /* "。 カップ麺": never a line's first glyph */
		a = g + (t[g] == ' ');
	for (;;) {
		size_t i = a;
		while (i < n && edge_junk(t[i]))
			i++;
		if (i == a)
			break;
		if (i < n && t[i] != ' ' && t[a] != '|')
			break;
		while (i < n && t[i] == ' ')
			i++;
		a = i;
	}
	for (;;) {
		size_t e = n;
		while (e > a && edge_junk(t[e - 1]))
			e--;
		bool lone = e < n && e > a && t[e - 1] == ' ';
		bool word = e == n && n - a >= 3 && t[n - 2] == ' ' && t[n - 1] >= 'a' && t[n - 1] <= 'z' &&
			    t[n - 1] != 'l' && t[n - 1] != 'o';
		if (word)
			e = n - 1;
		if (e == n || !(lone || word || (e < n && t[e] == '|' && e > a)))
			break;
		while (e > a && t[e - 1] == ' ')
			e--;
		n = e;
	}
	/* "小計 13,208 | 3", "合計 13.208 |』", "支払 13.208 } :", "243※ | 3":
	 * the paper's edge after the amount and a speck or two beyond it */
	for (size_t b = n; b > a + 2; b--) {
		if (t[b - 2] != ' ' || (t[b - 1] != '|' && t[b - 1] != '}' && t[b - 1] != '['))
			continue;
		size_t d = b - 2;
		while (d > a && t[d - 1] == ' ')
			d--;
		int glyphs = 0, digits = 0;
		for (size_t k = b; k < n; k++) {
			glyphs += t[k] != ' ' && ((unsigned char)t[k] & 0xC0) != 0x80;
			digits += t[k] >= '0' && t[k] <= '9';
		}
		/* the amount may end in its reduced-rate mark: "243※ | 3", "559* | 半" */
		size_t m = d;
		if (m > a + 1 && (t[m - 1] == '*' || t[m - 1] == '#'))
			m--;
		else if (m >= a + 4 && memcmp(t + m - 3, "※", 3) == 0)
			m -= 3;
		if (m > a && t[m - 1] >= '0' && t[m - 1] <= '9' && glyphs <= 2 && digits <= 1)
			n = d;
		break;
	}
	/* "小計 3 点 ¥680 .", "合計 10,477 -": a lone mark after an amount */
	static const char *const specks[] = {".", ",", "-", "‘", "’", "「", "『", "、", "。", "・", NULL};
	for (const char *const *sp = specks; *sp; sp++) {
		size_t sl = strlen(*sp);
		if (n >= a + sl + 3 && memcmp(t + n - sl, *sp, sl) == 0 && t[n - sl - 1] == ' ') {
			size_t d = n - sl - 1;
			while (d > a && t[d - 1] == ' ')
				d--;
			if (d > a && t[d - 1] >= '0' && t[d - 1] <= '9')
				n = d;
			break;
		}
	}
	/* "お買上計 ¥3,457 3", "お預り 10,000 3": a lone digit after a yen
	 * amount or one grouped by commas is a speck at the paper's edge (such
	 * an amount cannot go on after a space) */
	if (n >= a + 4 && t[n - 1] >= '0' && t[n - 1] <= '9' && t[n - 2] == ' ') {
		size_t d = n - 2;
		while (d > a && t[d - 1] == ' ')
			d--;
		size_t k = d;
		while (k > a && ((t[k - 1] >= '0' && t[k - 1] <= '9') || t[k - 1] == ','))
			k--;
		bool yen = (k > a && t[k - 1] == '\\') || (k >= a + 2 && memcmp(t + k - 2, "\xC2\xA5", 2) == 0);
		if ((yen || comma_grouped(t + k, d - k)) && d - k >= 3 && t[k] >= '0' && t[k] <= '9')
			n = d;
	}
	memmove(t, t + a, n - a);
	t[n - a] = '\0';
}

/* The start of a line's last word when that word is one glyph standing
 * after an amount ("\\262※ 剛", "¥170 :", "-\\30 1"), or 0. Units
 * (円 点 個 ...) and the marks the amount parser reads (※ * 軽 ...) are
 * not specks. */
size_t recam_parse_speck_after_amount(const char *t)
{
	size_t n = strlen(t);
	const char *sp = strrchr(t, ' ');
	if (sp == NULL || sp == t)
		return 0;
	size_t w = (size_t)(sp - t) + 1;
	uint32_t cp;
	size_t l = recam_utf8_next((const unsigned char *)t + w, n - w, &cp);
	if (l == 0 || w + l != n)
		return 0;
	static const char *const keep[] = {"円", "点", "個", "枚", "本", "件", "品", "P", "p", "g", "L", "%", "※", "*",
					   "軽", "★", "内", "外", "非", "税", "E", "T", ")", "]", "」", "-", NULL};
	for (const char *const *k = keep; *k; k++)
		if (strcmp(t + w, *k) == 0)
			return 0;
	size_t e = (size_t)(sp - t);
	while (e > 0 && t[e - 1] == ' ')
		e--;
	if (e == 0)
		return 0;
	size_t d = e;
	if (d >= 3 && memcmp(t + d - 3, "※", 3) == 0)
		d -= 3;
	else if (t[d - 1] == '*')
		d--;
	size_t digits = 0;
	while (d > 0 && ((t[d - 1] >= '0' && t[d - 1] <= '9') || t[d - 1] == ',')) {
		digits += t[d - 1] != ',';
		d--;
	}
	return digits >= 2 ? e : 0; /* an amount, not a lone digit of noise */
}

/* The recognizer reads a 和 of its own after a reduced-rate mark, set apart
 * by spaces ("※ 和 牛乳 500ml ¥178" for ※牛乳, "11* 和 牛乳"): cut from the
 * line as recognised, before the spaces between glyphs are dropped. Not
 * 和風, a word. Returns the bytes cut (0 or 4). */
size_t recam_parse_wa_after_mark(char *t)
{
	for (size_t i = 0; t[i] && i < 16; i++) {
		size_t m = t[i] == '*' ? 1 : strncmp(t + i, "※", 3) == 0 ? 3 : 0;
		if (m == 0)
			continue;
		size_t j = i + m;
		if (t[j] != ' ')
			return 0;
		while (t[j] == ' ')
			j++;
		if (strncmp(t + j, "和 ", 4) != 0)
			return 0;
		size_t k = j + 4;
		while (t[k] == ' ')
			k++;
		if ((unsigned char)t[k] < 0x80 || strncmp(t + k, "風", 3) == 0)
			return 0;
		memmove(t + j, t + j + 4, strlen(t + j + 4) + 1);
		return 4;
	}
	return 0;
}
