/* parse_store.c — the store's name and its branch as printed in the header
 * (header_fields in parse.c picks the lines; these judge and cut them). */
#include "receipt/parse_int.h"

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "receipt/receipt.h"

/* A line that may name the store: two kana or kanji at least, or a Latin
 * word of three letters ("RR", "ーー", "©" are specks of a logo). */
bool recam_store_name_like(const char *t)
{
	int cjk = 0, run = 0, best = 0;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		if (*p >= 0xE3 && *p <= 0xE9 && strncmp((const char *)p, "ー", 3) != 0)
			cjk++;
		bool az = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z');
		run = az ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return cjk >= 2 || best >= 3;
}

/* An address: a prefecture and a city, ward, town or village, or a block
 * number after a town's name ("北海道札幌市北区栄町 6-12-14"), or 〒. */
bool recam_store_address_like(const char *t)
{
	static const char *const pref[] = {"都", "道", "府", "県", NULL};
	static const char *const town[] = {"市", "区", "町", "村", "郡", NULL};
	if (strstr(t, "〒"))
		return true;
	for (const char *const *p = pref; *p; p++) {
		const char *a = strstr(t, *p);
		if (a && recam_parse_has_any(a + 3, town))
			return true;
	}
	const char *dash = strchr(t, '-');
	return dash && dash > t && dash[-1] >= '0' && dash[-1] <= '9' && dash[1] >= '0' && dash[1] <= '9' &&
	       recam_parse_has_any(t, town);
}

static bool kanji_at(const char *s)
{
	const unsigned char *g = (const unsigned char *)s;
	unsigned cp = ((g[0] & 0x0Fu) << 12) | ((g[1] & 0x3Fu) << 6) | (g[2] & 0x3Fu);
	return (g[0] & 0xF0) == 0xE0 && cp >= 0x4E00 && cp <= 0x9FFF;
}

/* The length of t[0..n) without a speck of one letter, digit or mark
 * standing alone at its end ("アオゾラカフェ新宿東口中央店 2", "柏店 ."). */
size_t recam_store_trimmed(const char *t, size_t n)
{
	if (n >= 3 && (unsigned char)t[n - 1] < 0x80 && t[n - 1] != ' ' && t[n - 2] == ' ')
		n -= 2;
	while (n > 0 && t[n - 1] == ' ')
		n--;
	return n;
}

/* A store's name as printed: specks of one letter or digit standing alone
 * at either end dropped ("1 スマイル薬局", "グリーン市場 3"), and the space
 * the recognizer leaves between kana and digits ("まるなか 24"). */
json_t *recam_store_name(const char *t, size_t n)
{
	char out[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
	size_t b = 0;
	if (n > RECAM_RECEIPT_MAX_LINE_BYTES)
		n = RECAM_RECEIPT_MAX_LINE_BYTES;
	if (n >= 3 && (unsigned char)t[0] < 0x80 && t[0] != ' ' && t[1] == ' ')
		b = 2;
	n = recam_store_trimmed(t, n);
	size_t k = 0;
	for (size_t i = b; i < n; i++) {
		bool digit_next = i + 1 < n && t[i + 1] >= '0' && t[i + 1] <= '9';
		bool cjk_before = k >= 3 && (unsigned char)out[k - 3] >= 0xE3 && (unsigned char)out[k - 3] <= 0xE9;
		if (t[i] == ' ' && digit_next && cjk_before)
			continue;
		out[k++] = t[i];
	}
	return json_stringn(out, k);
}

/* Words that end a store's name; those ending in 店 are no branch. */
static const char *const store_kinds[] = {"食品館", "珈琲店", "薬局", "薬品", "食堂", "市場", "酒場", "商店", "亭", "屋", "堂", NULL};

/* Where the run of kanji ending t[0..n) starts, through a glyph joining a
 * place's name between kanji ("溝の口店"). */
static size_t kanji_run(const char *t, size_t n)
{
	static const char *const joins[] = {"の", "が", "ケ", "ヶ", NULL};
	size_t b = n;
	while (b >= 3) {
		if (kanji_at(t + b - 3)) {
			b -= 3;
			continue;
		}
		bool join = false;
		for (const char *const *j = joins; *j && !join; j++)
			join = strncmp(t + b - 3, *j, 3) == 0;
		if (!join || b == n || b < 6 || !kanji_at(t + b - 6))
			break;
		b -= 3;
	}
	return b;
}

/* t[0..n) ends in 店 as a branch does, not as a store's name does
 * ("アイリス珈琲店", "ミナミ商店"). */
bool recam_store_branch_like(const char *t, size_t n)
{
	if (n < 3 || strncmp(t + n - 3, "店", 3) != 0)
		return strstr(t, "支店") || strstr(t, "店舗");
	size_t b = kanji_run(t, n);
	for (const char *const *w = store_kinds; *w; w++)
		if (n - b == strlen(*w) && strncmp(t + b, *w, n - b) == 0)
			return false;
	return true;
}

/* Where the branch starts on a line "スーパーハッピー浦和中央店" (n bytes):
 * the run of kanji that ends in 店, less a word that ends a store's name in
 * front of it ("みどり薬局|船橋中央店"); 0 when no name is left before it. */
size_t recam_store_branch_cut(const char *t, size_t n)
{
	size_t b = kanji_run(t, n);
	for (const char *const *w = store_kinds; *w; w++)
		if (strncmp(t + b, *w, strlen(*w)) == 0 && n - b - strlen(*w) >= 6) {
			b += strlen(*w);
			break;
		}
	size_t e = b;
	while (e > 0 && t[e - 1] == ' ')
		e--;
	char name[RECAM_RECEIPT_MAX_LINE_BYTES + 1];
	if (e == 0 || n - b < 6 || e > RECAM_RECEIPT_MAX_LINE_BYTES)
		return 0;
	memcpy(name, t, e);
	name[e] = '\0';
	return recam_store_name_like(name) ? b : 0;
}
