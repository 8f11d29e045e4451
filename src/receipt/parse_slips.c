/* parse_slips.c — one receipt's money readings reconciled under the digit
 * slips the recognizer makes on dotted print.
 *
 * On photos of dot-matrix receipts the slips go one way: a 0 is read as 9
 * or 6 and an 8 as 3, almost never the reverse (measured on the generator's
 * dotted receipts: 0→9 29 times, 0→6 10, 8→3 6, every other pair once at
 * most). One dotted face gives the same slip on several lines, so the total,
 * the subtotal and tendered − change can agree with one another on a wrong
 * amount ("3,896" on all three for ¥3,806) while the tax bases, each checked
 * by its tax, say otherwise. Each reading is therefore taken as the set of
 * amounts it may stand for with a slip or two undone, and the total is the
 * amount the most readings can stand for. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "receipt/parse_int.h"

/* The digits a printed digit may have been read as: 0 as 9 or 6, 8 as 3.
 * Returns the printed digit a read digit may stand for, or -1. */
static int printed_for(char read)
{
	return read == '9' || read == '6' ? '0' : read == '3' ? '8' : -1;
}

size_t recam_slip_variants(int64_t v, int max_slips, int64_t *out, int *slips, size_t cap)
{
	char d[24];
	size_t n = 0;
	int len = snprintf(d, sizeof(d), "%lld", (long long)v);
	if (cap == 0)
		return 0;
	out[n] = v;
	slips[n++] = 0;
	if (v <= 0 || len <= 0 || len >= (int)sizeof(d))
		return n;
	int pos[24], np = 0;
	for (int i = 0; i < len; i++)
		/* a leading 0 is never printed: the first digit stays */
		if (printed_for(d[i]) >= 0 && !(i == 0 && printed_for(d[i]) == '0'))
			pos[np++] = i;
	/* one slip undone, then two */
	for (int k = 1; k <= max_slips && k <= 2; k++)
		for (int a = 0; a < np; a++)
			for (int b = k == 1 ? a : a + 1; b < (k == 1 ? a + 1 : np) && n < cap; b++) {
				char t[24];
				memcpy(t, d, (size_t)len + 1);
				t[pos[a]] = (char)printed_for(d[pos[a]]);
				t[pos[b]] = (char)printed_for(d[pos[b]]);
				int64_t x = 0;
				for (int i = 0; i < len; i++)
					x = x * 10 + (t[i] - '0');
				out[n] = x;
				slips[n++] = k;
			}
	return n;
}

#define VMAX 64	   /* variants of one amount (7 digits, two slips: 29) */

bool recam_slip_pair_reaches(int64_t a, int64_t b, int sign, int64_t want)
{
	int64_t va[VMAX], vb[VMAX];
	int sa[VMAX], sb[VMAX];
	size_t na = recam_slip_variants(a, 2, va, sa, VMAX), nb = recam_slip_variants(b, 2, vb, sb, VMAX);
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (va[i] + sign * vb[j] == want)
				return true;
	return false;
}

#define CANDMAX 512 /* amounts some reading may stand for */

enum { R_TOTAL, R_SUB, R_PAY, R_BASES, R_ITEMS, R_N };

typedef struct cand {
	int64_t v;
	unsigned mask;	/* the readings that may stand for v */
	int slips[R_N]; /* fewest slips undone per reading */
	int64_t tend, chg;
} cand;

typedef struct tally {
	cand c[CANDMAX];
	size_t n;
} tally;

static cand *tally_get(tally *t, int64_t v)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->c[i].v == v)
			return &t->c[i];
	if (t->n == CANDMAX)
		return NULL;
	cand *c = &t->c[t->n++];
	memset(c, 0, sizeof(*c));
	c->v = v;
	return c;
}

/* Reading r may stand for v with s slips undone. */
static void vote(tally *t, int r, int64_t v, int s)
{
	cand *c = tally_get(t, v);
	if (c == NULL)
		return;
	if (!(c->mask & (1u << r)) || s < c->slips[r]) {
		c->mask |= 1u << r;
		c->slips[r] = s;
	}
}

static void vote_amount(tally *t, int r, int64_t v)
{
	int64_t var[VMAX];
	int sl[VMAX];
	size_t n = recam_slip_variants(v, 2, var, sl, VMAX);
	for (size_t i = 0; i < n; i++)
		vote(t, r, var[i], sl[i]);
}

/* tendered − change, two slips at most between them */
static void vote_payment(tally *t, const recam_money_reads *m)
{
	int64_t tv[VMAX], cv[VMAX];
	int ts[VMAX], cs[VMAX];
	size_t nt = recam_slip_variants(m->tend, 2, tv, ts, VMAX);
	size_t nc = m->card ? 1 : recam_slip_variants(m->chg, 2, cv, cs, VMAX);
	if (m->card) {
		cv[0] = 0;
		cs[0] = 0;
	}
	for (size_t i = 0; i < nt; i++)
		for (size_t j = 0; j < nc; j++) {
			int s = ts[i] + cs[j];
			if (s > 2 || tv[i] <= cv[j])
				continue;
			cand *c = tally_get(t, tv[i] - cv[j]);
			if (c == NULL)
				continue;
			if (!(c->mask & (1u << R_PAY)) || s < c->slips[R_PAY]) {
				c->mask |= 1u << R_PAY;
				c->slips[R_PAY] = s;
				c->tend = tv[i];
				c->chg = cv[j];
			}
		}
}

/* The tax included in base at rate r fits tax (±1 for rounding). */
static bool tax_fits(int64_t base, int64_t tax, int r)
{
	int64_t d = tax - base * r / (100 + r);
	return d >= -1 && d <= 1;
}

/* The inclusive bases added up, each base with at most one slip undone and
 * only where its tax (with at most one slip undone) fits it; a base whose
 * tax was not read counts as read. */
static void vote_bases(tally *t, const recam_money_reads *m)
{
	int64_t ok[RECAM_SLIP_RATES][VMAX];
	int oks[RECAM_SLIP_RATES][VMAX];
	size_t nok[RECAM_SLIP_RATES];
	for (size_t k = 0; k < m->nbase; k++) {
		int64_t bv[VMAX], tv[VMAX];
		int bs[VMAX], tsl[VMAX];
		nok[k] = 0;
		if (m->tax[k] < 0) { /* its tax not read: the base as read */
			ok[k][0] = m->base[k];
			oks[k][nok[k]++] = 0;
			continue;
		}
		size_t nb = recam_slip_variants(m->base[k], 1, bv, bs, VMAX);
		size_t nt = recam_slip_variants(m->tax[k], 1, tv, tsl, VMAX);
		for (size_t i = 0; i < nb; i++)
			for (size_t j = 0; j < nt; j++)
				if (tax_fits(bv[i], tv[j], m->rate[k])) {
					ok[k][nok[k]] = bv[i];
					oks[k][nok[k]++] = bs[i] + tsl[j];
					break;
				}
		if (nok[k] == 0)
			return; /* a base no reading of its tax fits: no reading */
	}
	/* every combination of the bases' readings (two rates: ≤ 4 each) */
	size_t idx[RECAM_SLIP_RATES] = {0};
	for (;;) {
		int64_t sum = 0;
		int s = 0;
		for (size_t k = 0; k < m->nbase; k++) {
			sum += ok[k][idx[k]];
			s += oks[k][idx[k]];
		}
		if (s <= 2)
			vote(t, R_BASES, sum, s);
		size_t k = 0;
		while (k < m->nbase && ++idx[k] == nok[k])
			idx[k++] = 0;
		if (k == m->nbase)
			break;
	}
}

/* slips undone in all to see the readings agree on c */
static int slips_of(const cand *c)
{
	int s = 0;
	for (int r = 0; r < R_N; r++)
		if (c->mask & (1u << r))
			s += c->slips[r];
	return s;
}

static int popcount(unsigned x)
{
	int c = 0;
	for (; x; x &= x - 1)
		c++;
	return c;
}

bool recam_slip_consensus(const recam_money_reads *m, recam_slip_fix *fix)
{
	tally t; /* about 28 KB, on the stack */
	t.n = 0;
	memset(fix, 0, sizeof(*fix));
	/* as read: act only where the readings disagree */
	int64_t asread[R_N];
	int na = 0;
	if (m->has_tot)
		vote_amount(&t, R_TOTAL, asread[na++] = m->tot);
	if (m->has_sub)
		vote_amount(&t, R_SUB, asread[na++] = m->sub);
	if (m->has_pay) {
		vote_payment(&t, m);
		asread[na++] = m->tend - (m->card ? 0 : m->chg);
	}
	if (m->nbase > 0) {
		vote_bases(&t, m);
		int64_t s = 0;
		for (size_t k = 0; k < m->nbase; k++)
			s += m->base[k];
		asread[na++] = s;
	}
	if (m->has_items) {
		vote(&t, R_ITEMS, m->items_sum, 0);
		asread[na++] = m->items_sum;
	}
	/* the lines must disagree: items lost or added alone are no slip */
	int nl = na - (m->has_items ? 1 : 0);
	bool disagree = false;
	for (int i = 1; i < nl; i++)
		disagree = disagree || asread[i] != asread[0];
	/* two readings apart by the tax read: tax added on top (外税 with
	 * its label lost), not a slip */
	for (int i = 0; i < na; i++)
		for (int j = 0; j < na; j++)
			if (m->tax_sum > 0 && asread[i] - asread[j] == m->tax_sum)
				return false;
	if (!disagree)
		return false;
	/* no line says the tax is included: two readings apart by 8–10% of the
	 * smaller may be tax added on top with its line lost */
	for (int i = 0; !m->incl_said && i < na; i++)
		for (int j = 0; j < na; j++) {
			int64_t d = asread[i] - asread[j];
			if (d > 0 && d >= asread[j] * 8 / 100 - 1 && d <= asread[j] * 10 / 100 + 1)
				return false;
		}
	/* the amount the most readings may stand for, with the fewest slips
	 * undone between equals, alone at the top; the total line, when read,
	 * must be one of them */
	const cand *best = NULL;
	int top = 0, least = 0;
	bool tie = false;
	for (size_t i = 0; i < t.n; i++) {
		int p = t.c[i].v > 0 ? popcount(t.c[i].mask) : 0, s = slips_of(&t.c[i]);
		if (p > top || (p == top && s < least)) {
			top = p;
			least = s;
			best = &t.c[i];
			tie = false;
		} else if (p == top && s == least) {
			tie = true;
		}
	}
	if (best == NULL || tie || top < 2 || (m->has_tot && !(best->mask & (1u << R_TOTAL))))
		return false;
	/* a total line that two other readings give exactly as read is moved
	 * only by an amount every reading but the items' sum may stand for */
	int same = 0;
	for (int i = 0; m->has_tot && i < na; i++)
		same += asread[i] == m->tot;
	unsigned present = (m->has_tot ? 1u << R_TOTAL : 0) | (m->has_sub ? 1u << R_SUB : 0) |
			   (m->has_pay ? 1u << R_PAY : 0) | (m->nbase > 0 ? 1u << R_BASES : 0);
	if (same >= 3 && best->v != m->tot && (present & ~best->mask) != 0)
		return false;
	fix->total = best->v;
	fix->support = top;
	fix->sub = (best->mask & (1u << R_SUB)) != 0;
	fix->pay = (best->mask & (1u << R_PAY)) != 0;
	fix->bases = (best->mask & (1u << R_BASES)) != 0;
	fix->tend = best->tend;
	fix->chg = best->chg;
	for (int r = 0; r < R_N; r++)
		fix->asread += (best->mask & (1u << r)) && best->slips[r] == 0;
	fix->contested = same >= 2 && best->v != m->tot;
	return true;
}
