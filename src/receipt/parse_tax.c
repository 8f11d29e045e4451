/* parse_tax.c — the tax lines of a receipt: per-rate bases and taxes,
 * checked by the rates' arithmetic (内税 base·r/(100+r), 外税 base·r/100),
 * and what they say about the total (parse.c). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "receipt/parse_int.h"

/* The rate whose tax included in the larger amount is the smaller one
 * ("Fe (内税 \\53) ¥728": 8%, the rate itself misread), when exactly one
 * of 8% and 10% fits; else 0. */
static int rate_of_pair(int64_t x, int64_t y, int decimals)
{
	int64_t base = x > y ? x : y, tax = x > y ? y : x;
	if (decimals || base < 100)
		return 0;
	int found = 0;
	for (int rt = 8; rt <= 10; rt += 2) {
		int64_t d = tax - base * rt / (100 + rt);
		if (d >= -1 && d <= 1)
			found = found ? -1 : rt;
	}
	return found > 0 ? found : 0;
}

/* A tax of two digits or more that is the tail of the one its base gives
 * ("85" for 385): its leading digits were lost. */
static bool lead_lost(int64_t tax, int64_t want)
{
	int64_t p = 10;
	while (p <= tax)
		p *= 10;
	return tax >= 10 && want > tax && want % p == tax;
}

/* "(8% TAXABLE ¥1,188. TAX": the English tax word after the base, and a
 * speck or a misread ¥ between ("¥1,188 TAX *88"), are cut so that the
 * base ends the text. */
static void cut_tax_word(char *t)
{
	size_t e = strlen(t);
	while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '*'))
		e--;
	if (e < 4 || (strncmp(t + e - 3, "TAX", 3) != 0 && strncmp(t + e - 3, "Tax", 3) != 0) || t[e - 4] != ' ')
		return;
	e -= 4;
	while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '.' || t[e - 1] == '*'))
		e--;
	t[e] = '\0';
}

/* The amount ending tmp (the text before a tax line's last amount), the
 * tax word after it stripped when it does not parse at once ("10%対象
 * ¥1,234 内税"). */
static bool amount_before_tax_word(char *tmp, int decimals, recam_pamount *b)
{
	if (recam_parse_trailing_amount(tmp, decimals, b))
		return true;
	size_t e = strlen(tmp);
	while (e > 0 && ((unsigned char)tmp[e - 1] >= 0x80 || strchr(" (_|", tmp[e - 1]) != NULL))
		e--;
	tmp[e] = '\0';
	return recam_parse_trailing_amount(tmp, decimals, b);
}

/* Tax lines: "(8%対象 ¥1,234 内税 ¥91)", "外税10% ¥100", "内消費税等 ¥91". */
json_t *recam_parse_tax_lines(const recam_pline *L, size_t n, int decimals, bool *exclusive, int64_t *excl_sum, bool *consistent,
			      recam_taxsum *ts)
{
	json_t *arr = json_array();
	*exclusive = false;
	*excl_sum = 0;
	*consistent = true;
	memset(ts, 0, sizeof(*ts));
	struct { int64_t base, tax; bool has_base, has_tax, base_lost; float conf; } rate[11];
	memset(rate, 0, sizeof(rate));
	bool any = false;
	int prev_rt = 0; /* the rate of the line above when it was a base alone */
	bool said_incl = false; /* a tax line says 内税 */
	for (size_t i = 0; i < n; i++) {
		const recam_pline *l = &L[i];
		int after = prev_rt;
		prev_rt = 0;
		if (!(l->kind & (RECAM_PK_TAX | RECAM_PK_BASE)))
			continue;
		bool rep;
		int rt = recam_parse_tax_rate(l->t, &rep);
		if (recam_parse_has(l->t, "外税") || recam_parse_has(l->t, "外消費"))
			*exclusive = true;
		if (recam_parse_has(l->t, "内税") || recam_parse_has(l->t, "内消費"))
			said_incl = true;
		recam_pamount a;
		if (!recam_parse_trailing_amount(l->t, decimals, &a))
			continue;
		/* "8%対象 ¥3,992" then "内消費税等 ¥295": the tax line belongs to
		 * the base above it */
		if (rt != 8 && rt != 10 && after && !(l->kind & RECAM_PK_BASE) && !rate[after].has_tax)
			rt = after;
		if (rt != 8 && rt != 10)
			rt = 0; /* a total tax line without a rate */
		if ((l->kind & RECAM_PK_BASE) && !(l->kind & RECAM_PK_TAX) && rt)
			prev_rt = rt;
		/* "8%対象 ¥1,234 内税 ¥91": the base is the amount before the tax
		 * word; also with 対象 misread ("10% 潜 象 (内 税 94) 1,040") */
		bool both = (l->kind & RECAM_PK_BASE) && (l->kind & RECAM_PK_TAX);
		bool tax_only = !both && (l->kind & RECAM_PK_TAX) && !a.lost_lead;
		/* "10%対象 ¥696 邊税 ¥69": the tax word misread but its 税 left,
		 * a smaller amount after the base */
		bool base_taxed = !both && !tax_only && (l->kind & RECAM_PK_BASE) && !a.lost_lead &&
				  recam_parse_has(l->t, "税");
		char *tmp = both || tax_only || base_taxed ? strndup(l->t, a.start) : NULL;
		if (tmp)
			cut_tax_word(tmp);
		recam_pamount b;
		bool got = tmp && (both || base_taxed ? amount_before_tax_word(tmp, decimals, &b)
						      : recam_parse_trailing_amount(tmp, decimals, &b));
		if (tax_only && got && !b.lost_lead) {
			if (!rt)
				rt = rate_of_pair(a.value, b.value, decimals);
			both = rt != 0;
		}
		if (base_taxed)
			both = got && !b.lost_lead && b.value > a.value;
		if (both) {
			/* "10%対象 (内税 ¥336) ¥3,704": the tax is the smaller one */
			int64_t tx = a.value;
			if (got && b.value < tx) {
				tx = b.value;
				b.value = a.value;
			}
			if (got) {
				rate[rt].base = b.value;
				rate[rt].has_base = true;
			}
			rate[rt].tax = tx;
			rate[rt].has_tax = true;
		}
		free(tmp);
		if (!both && (l->kind & RECAM_PK_BASE)) {
			rate[rt].base = a.value;
			rate[rt].has_base = true;
			rate[rt].base_lost = a.lost_lead;
		} else if (!both && !a.lost_lead) {
			rate[rt].tax = a.value;
			rate[rt].has_tax = true;
		}
		rate[rt].conf = rate[rt].conf == 0 ? l->conf : minf(rate[rt].conf, l->conf);
		if (rep)
			rate[rt].conf *= 0.9f;
		any = true;
	}
	if (!any)
		return arr;
	if (rate[0].has_base && rate[0].has_tax && !rate[0].base_lost && decimals == 0 && !rate[8].has_base &&
	    !rate[8].has_tax && !rate[10].has_base && !rate[10].has_tax) {
		/* the rate not read ("8 対象 (内税 ¥174) ¥2,358": its % lost): the
		 * one rate whose arithmetic the base and tax fit */
		int fits = 0, r = 0;
		for (int k = 8; k <= 10; k += 2) {
			int64_t want = *exclusive ? rate[0].base * k / 100 : rate[0].base * k / (100 + k);
			if (rate[0].tax - want >= -1 && rate[0].tax - want <= 1) {
				fits++;
				r = k;
			}
		}
		if (fits == 1) {
			rate[r] = rate[0];
			rate[r].conf *= 0.9f;
			memset(&rate[0], 0, sizeof rate[0]);
		}
	}
	if (!*exclusive && !said_incl && decimals == 0) {
		/* No word says 外税 or 内税 ("消費税等(8%) 126"): added on top when
		 * every rate read with its base fits base·r/100 and none fits
		 * base·r/(100+r) (8%対象 1,575 → 126, not 116) */
		int ex = 0, in = 0;
		for (int rt = 8; rt <= 10; rt += 2) {
			if (!rate[rt].has_base || !rate[rt].has_tax || rate[rt].base_lost)
				continue;
			int64_t dx = rate[rt].tax - rate[rt].base * rt / 100;
			int64_t di = rate[rt].tax - rate[rt].base * rt / (100 + rt);
			ex += dx >= -1 && dx <= 1;
			in += di >= -1 && di <= 1;
		}
		if (ex > 0 && in == 0)
			*exclusive = true;
	}
	for (int rt = 0; rt <= 10; rt++) {
		if (!rate[rt].has_base && !rate[rt].has_tax)
			continue;
		if (rt == 0 && (rate[8].has_tax || rate[10].has_tax)) {
			/* the grand tax line repeats the per-rate ones; a base read
			 * without its rate beside them is one the bases' sum lacks */
			if (rate[0].has_base)
				ts->incomplete = true;
			continue;
		}
		if (rt && rate[rt].base_lost && rate[rt].has_tax && decimals == 0) {
			/* "8%対象 ¥: 366" with 内消費税等 249: the one base ending in 366
			 * whose tax is 249 (3,366) */
			int found = 0;
			int64_t got = 0;
			for (int64_t k = 1; k < 100; k++) {
				int64_t b = k * 1000 + rate[rt].base;
				int64_t want = *exclusive ? b * rt / 100 : b * rt / (100 + rt);
				if (rate[rt].tax - want >= -1 && rate[rt].tax - want <= 1) {
					found++;
					got = b;
				}
			}
			if (found == 1) {
				rate[rt].base = got;
				rate[rt].base_lost = false;
				rate[rt].conf *= 0.8f;
			}
		}
		json_t *t = json_object();
		json_object_set_new(t, "rate", rt ? json_integer(rt) : json_null());
		json_object_set_new(t, "kind", json_string(*exclusive ? "exclusive" : "inclusive"));
		json_object_set_new(t, "base", rate[rt].has_base && !rate[rt].base_lost ? json_integer(rate[rt].base) : json_null());
		json_object_set_new(t, "tax", rate[rt].has_tax ? json_integer(rate[rt].tax) : json_null());
		if (rt && rate[rt].base_lost)
			ts->incomplete = true;
		float c = minf(rate[rt].conf, CONF_UNCHECKED_CAP);
		if (rt && rate[rt].has_base && rate[rt].has_tax && !rate[rt].base_lost && decimals == 0) {
			/* 内税: base·r/(100+r); 外税: base·r/100, rounded either way */
			int64_t b = rate[rt].base;
			int64_t want = *exclusive ? b * rt / 100 : b * rt / (100 + rt);
			int64_t d = rate[rt].tax - want;
			if (!(d >= -1 && d <= 1) && lead_lost(rate[rt].tax, want)) {
				/* "(内税 給85) 4,240": the 3 of 385 read as a kanji */
				rate[rt].tax = want;
				rate[rt].conf *= 0.8f;
				json_object_set_new(t, "tax", json_integer(want));
				ts->tax_repaired = true;
				d = 0;
			}
			if (d >= -1 && d <= 1)
				c = maxf(c, minf(rate[rt].conf + 0.1f, 0.97f));
			else {
				c = minf(c, CONF_CONTRADICTED_CAP);
				*consistent = false;
			}
			/* inclusive when only the inclusive arithmetic fits; small bases
			 * fit both (160·8/108 = 11, 160·8/100 = 12) */
			int64_t dx = rate[rt].tax - b * rt / 100;
			if (!*exclusive && d >= -1 && d <= 1 && !(dx >= -1 && dx <= 1))
				ts->incl_confirmed = true;
			else if (!*exclusive && d >= -1 && d <= 1 && said_incl)
				ts->incl_said = true;
		}
		if (rt && rate[rt].has_base)
			ts->base_sum += rate[rt].base;
		if (*exclusive && rate[rt].has_tax)
			*excl_sum += rate[rt].tax;
		double cc = (double)(int)(c * 100.0f + 0.5f) / 100.0;
		json_object_set_new(t, "confidence", json_real(cc));
		json_array_append_new(arr, t);
	}
	return arr;
}
