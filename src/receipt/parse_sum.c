/* parse_sum.c — items that miss the sum the totals confirm: the item (or
 * the pair of items) whose other reading closes the gap is repaired, an
 * item that is the excess is dropped (recam_items_repair_sum,
 * recam_items_drop_extra in parse_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "receipt/parse_int.h"

/* Digits OCR confuses on receipts: 0 6 8 9, 3 8, 1 7, 5 6. */
static bool lookalike_digits(char a, char b)
{
	static const char *const pairs[] = {"06", "08", "09", "68", "89", "69", "38", "17", "56", "58", NULL};
	for (const char *const *p = pairs; *p; p++)
		if (((*p)[0] == a && (*p)[1] == b) || ((*p)[0] == b && (*p)[1] == a))
			return true;
	return false;
}

/* How many slips turn amount w into v as read (0 = not a misread): one
 * look-alike digit (396 for 306; two, 386 for 390, were wrong more often
 * than right on 910 dev photos: an item lost or added is likelier), digits
 * lost (8 for 848: v's digits in order within w), or the thousands
 * separator read as a digit (16000 for 1,000). */
static int misread_cost(int64_t v, int64_t w)
{
	char a[24], b[24];
	int na = snprintf(a, sizeof(a), "%lld", (long long)v), nb = snprintf(b, sizeof(b), "%lld", (long long)w);
	if (v <= 0 || w <= 0 || v == w)
		return 0;
	if (na == nb) {
		int diff = 0;
		for (int i = 0; i < na; i++)
			if (a[i] != b[i] && (!lookalike_digits(a[i], b[i]) || ++diff > 1))
				return 0;
		return diff;
	}
	if (na < nb && na <= 2 && nb - na <= 2) {
		int j = 0;
		for (int i = 0; i < nb && j < na; i++)
			if (b[i] == a[j])
				j++;
		return j == na ? 1 : 0;
	}
	if (na == nb + 1 && nb >= 4) {
		int sep = na - 4; /* "16000": the digit where "1,000" has its comma */
		return memcmp(a, b, (size_t)sep) == 0 && strcmp(a + sep + 1, b + sep) == 0 ? 1 : 0;
	}
	return 0;
}

size_t recam_items_drop_extra(recam_pitem *items, size_t n, int64_t excess)
{
	long hit = -1;
	for (size_t i = 0; i < n; i++) {
		if (items[i].discount || items[i].amount != excess)
			continue;
		if (hit >= 0 && strcmp(items[hit].name, items[i].name) != 0)
			return n; /* two different items would do: neither is sure */
		hit = (long)i;
	}
	if (hit < 0)
		return n;
	free(items[hit].name);
	memmove(&items[hit], &items[hit + 1], (n - (size_t)hit - 1) * sizeof items[0]);
	return n - 1;
}

/* Item it takes the value `to`: from its other reading (alt: the sign was
 * a speck, or the number ending the name was the amount) or a misread. */
static void repair_item(recam_pitem *it, int64_t to, bool alt)
{
	if (alt && it->discount) {
		it->discount = false; /* the sign was a speck */
	} else if (alt) {
		/* the number ending the name was the amount */
		size_t e = strlen(it->name);
		while (e > 0 && it->name[e - 1] >= '0' && it->name[e - 1] <= '9')
			e--;
		while (e > 0 && it->name[e - 1] == ' ')
			e--;
		it->name[e] = '\0';
	}
	if (!it->qty_printed)
		it->unit_price = to;
	it->amount = to;
	it->repaired = true;
}

/* The amount without its first digit, when that digit can be the yen mark
 * misread ("・・・・ 1282" for ¥282: 1, 4, 5 or 7 in the place of a mark
 * the line lacks); 0 when not. */
static int64_t yen_dropped(const recam_pitem *it)
{
	char a[24];
	int na = snprintf(a, sizeof(a), "%lld", (long long)it->amount);
	if (!it->bare_lead || it->discount || na < 3 || !strchr("1457", a[0]) || a[1] == '0')
		return 0;
	return strtoll(a + 1, NULL, 10);
}

/* The readings of item it that other evidence on the receipt stands for:
 * its other reading, quantity × unit price, or the amount without a
 * leading digit that was the yen mark. Returns how many (at most 3). */
static int strong_readings(const recam_pitem *it, int64_t v[3], bool alt[3])
{
	int k = 0;
	if (it->discount)
		return 0;
	if (it->alt_amount > 0 && it->alt_amount != it->amount) {
		v[k] = it->alt_amount;
		alt[k++] = true;
	}
	int64_t qu = it->quantity * it->unit_price;
	if (it->qty_printed && qu > 0 && qu != it->amount) {
		v[k] = qu;
		alt[k++] = false;
	}
	if ((v[k] = yen_dropped(it)) > 0)
		alt[k++] = false;
	return k;
}

/* Two items, each with a strong other reading, that together close the gap
 * ("・・・・ 1282" and "・・・ 5290" for ¥282 and ¥290, 6,000 over the
 * subtotal); nothing when two pairs can. */
struct strong {
	int64_t v[3];
	bool alt[3];
	int k;
};

static void repair_pair(recam_pitem *items, size_t n, int64_t diff)
{
	struct strong *s = calloc(n ? n : 1, sizeof(*s));
	if (s == NULL)
		return; /* no repair: the sum check stays false */
	for (size_t i = 0; i < n; i++)
		s[i].k = strong_readings(&items[i], s[i].v, s[i].alt);
	long hi = -1, hj = -1;
	int xi = 0, yj = 0;
	bool tie = false;
	for (size_t i = 0; i < n && !tie; i++)
		for (size_t j = i + 1; j < n && s[i].k > 0 && !tie; j++)
			for (int x = 0; x < s[i].k; x++)
				for (int y = 0; y < s[j].k; y++) {
					if (s[i].v[x] - items[i].amount + s[j].v[y] - items[j].amount != diff)
						continue;
					tie = hi >= 0; /* two ways: none is sure */
					hi = (long)i, hj = (long)j, xi = x, yj = y;
				}
	if (hi >= 0 && !tie) {
		repair_item(&items[hi], s[hi].v[xi], s[hi].alt[xi]);
		repair_item(&items[hj], s[hj].v[yj], s[hj].alt[yj]);
	}
	free(s);
}

/* The items sum misses its target by diff: the item with a reading that
 * closes the gap in the fewest slips (its other reading or quantity × unit
 * price: none; a misread of its digits: one) is repaired, when no
 * other item can do it in as few; failing one, a pair of strong readings. */
void recam_items_repair_sum(recam_pitem *items, size_t n, int64_t diff)
{
	long hit = -1;
	int64_t to = 0;
	bool use_alt = false, tie = false;
	int best = 99;
	for (size_t i = 0; i < n; i++) {
		recam_pitem *it = &items[i];
		int64_t w = it->amount + diff;
		/* "冷奴 -\\380": a speck before the yen mark read as a minus */
		bool sign = it->discount && it->sign_only && w == -it->amount;
		if (it->discount && !sign)
			continue;
		bool alt = sign || (it->alt_amount > 0 && it->alt_amount == w);
		bool qty = it->qty_printed && it->quantity * it->unit_price == w;
		int64_t yen = yen_dropped(it);
		int cost = alt || qty ? 0 : yen > 0 && yen == w ? 1 : misread_cost(it->amount, w);
		if (cost == 0 && !alt && !qty)
			continue;
		if (cost == best)
			tie = true;
		if (cost >= best)
			continue;
		best = cost;
		tie = false;
		hit = (long)i;
		to = w;
		use_alt = alt;
	}
	if (tie)
		return; /* two ways to close the gap: none is sure */
	if (hit < 0)
		repair_pair(items, n, diff);
	else
		repair_item(&items[hit], to, use_alt);
}
