/* halfwidth.c — merging a plain and a stretched reading of a line printed in
 * half-width katakana (see halfwidth.h for why). */
#include "receipt/halfwidth.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include <leptonica/allheaders.h>

#include "core/buf.h"
#include "core/error.h"
#include "receipt/normalize.h"
#include "receipt/receipt.h"

enum { K_OTHER, K_KANA, K_DAKU, K_HANDAKU, K_LONG };

/* First code point of a glyph (U+FFFD when empty or invalid). */
static int32_t first_cp(const char *t)
{
	int32_t cp = 0xFFFD;
	size_t n = strlen(t);
	if (n == 0 || recam_norm_decode(t, n, &cp, 1) != 1)
		return 0xFFFD;
	return cp;
}

static bool is_katakana(int32_t c)
{
	return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || (c >= 0xFF66 && c <= 0xFF9D);
}
static bool is_hiragana(int32_t c) { return c >= 0x3041 && c <= 0x3096; }

static int kind_of(int32_t c)
{
	if (is_katakana(c) || is_hiragana(c))
		return K_KANA;
	switch (c) {
	/* dakuten as read on its own: quotes, tildes, ditto marks */
	case '"': case '\'': case '`': case '~': case 0x201C: case 0x201D: case 0x2018: case 0x2019:
	case 0x309B: case 0x3099: case 0xFF9E: case 0x3003: case 0x2033: case 0xFF02: case 0x301C: case 0xFF5E:
		return K_DAKU;
	/* handakuten: degree signs and small rings */
	case 0x00B0: case 0x309C: case 0x309A: case 0xFF9F: case 0x00BA: case 0x02DA: case 0x2218:
		return K_HANDAKU;
	/* the long-vowel mark ｰ: hyphens, dashes, 一 */
	case '-': case 0x4E00: case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212: case 0xFF0D: case 0xFF70: case 0x2500:
		return K_LONG;
	default:
		return K_OTHER;
	}
}

/* The kana with a dakuten (semi: handakuten), or 0 when it takes none. */
static int32_t voiced(int32_t c, bool semi)
{
	int32_t off = 0;
	if (is_hiragana(c)) {
		off = 0x60;
		c += off;
	}
	int32_t v = 0;
	if (c == 0x30A6 && !semi)
		v = 0x30F4; /* ウ → ヴ */
	else if (c >= 0x30CF && c <= 0x30DB && (c - 0x30CF) % 3 == 0)
		v = c + (semi ? 2 : 1); /* ハ行 */
	else if (semi)
		v = 0;
	else if (c >= 0x30AB && c <= 0x30C2 && (c - 0x30AB) % 2 == 0)
		v = c + 1; /* カ..チ */
	else if (c == 0x30C4 || c == 0x30C6 || c == 0x30C8)
		v = c + 1; /* ツ テ ト */
	if (v == 0)
		return 0;
	if (off && v == 0x30F4)
		return 0x3094;
	return v - off;
}

/* A kana that already carries a voicing mark. */
static bool is_voiced(int32_t c) { return recam_norm_kana_base(c) != c; }

static void put_cp(recam_hw_sym *s, int32_t cp)
{
	/* UTF-8 of a BMP code point */
	unsigned char *o = (unsigned char *)s->t;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		o[1] = 0;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		o[2] = 0;
	} else {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		o[3] = 0;
	}
}

/* Coordinates beyond any line image (a line is at most a few thousand
 * pixels): clamped, so sums of them cannot overflow. */
#define MAX_X (1 << 20)

static recam_hw_sym clamped(const recam_hw_sym *in)
{
	recam_hw_sym s = *in;
	s.t[sizeof(s.t) - 1] = '\0';
	s.x0 = s.x0 < 0 ? 0 : s.x0 > MAX_X ? MAX_X : s.x0;
	s.x1 = s.x1 < s.x0 + 2 ? s.x0 + 2 : s.x1 > MAX_X ? MAX_X : s.x1; /* at least 2 px wide */
	s.conf = s.conf >= 0 && s.conf <= 1 ? s.conf : s.conf > 1 ? 1 : 0;
	return s;
}

int recam_hw_mark_ambiguous(const recam_hw_sym *syms, size_t n, size_t i)
{
	if (i == 0 || i >= n)
		return 0;
	recam_hw_sym m = clamped(&syms[i]), b = clamped(&syms[i - 1]);
	int k = kind_of(first_cp(m.t));
	return (k == K_DAKU || k == K_HANDAKU) && voiced(first_cp(b.t), true) != 0;
}

int recam_hw_is_katakana(const char *glyph)
{
	char t[16];
	snprintf(t, sizeof(t), "%s", glyph);
	int32_t c = first_cp(t);
	return is_katakana(c) && c != 0x30FC;
}

void recam_hw_set_mark(recam_hw_sym *s, int semi) { put_cp(s, semi ? 0x309C : 0x309B); }

typedef struct {
	recam_hw_sym s;
	int src;  /* 0 plain, 1 stretched */
	bool keep;
	size_t idx; /* position in its reading */
} pick;

static int by_x0(const void *a, const void *b)
{
	const pick *p = a, *q = b;
	if (p->s.x0 != q->s.x0)
		return (p->s.x0 > q->s.x0) - (p->s.x0 < q->s.x0);
	return (p->src > q->src) - (p->src < q->src);
}

static int by_order(const void *a, const void *b)
{
	const pick *p = a, *q = b;
	if (p->src != q->src)
		return (p->src > q->src) - (p->src < q->src);
	return (p->idx > q->idx) - (p->idx < q->idx);
}

static bool is_ideograph(int32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }

/* Glyphs that mark a reading as junk where the other one has kana: Latin
 * letters, digits and punctuation among kana. */
static bool is_ascii(int32_t c) { return c > ' ' && c < 0x7F; }

/* The stretched reading's kana, voicing marks folded in, in reading order.
 * Returns how many were written to out; *run: the longest run of kana read
 * one after the other (a word, not kana-like slips among digits). */
typedef struct {
	int kana;   /* kana read one after the other (not counting ー) */
	int glyphs; /* glyphs of the run (kana, marks, ー) */
} kana_run;

static size_t stretched_kana(const recam_hw_sym *st, size_t n_st, int cell, pick *out, kana_run *best)
{
	size_t n = 0;
	size_t last = (size_t)-1; /* the glyph of st that out[n - 1] came from */
	kana_run cur = {0, 0};
	memset(best, 0, sizeof(*best));
	for (size_t i = 0; i < n_st; i++) {
		int32_t c = first_cp(st[i].t);
		int k = kind_of(c);
		pick *prev = n > 0 ? &out[n - 1] : NULL;
		int32_t pc = prev ? first_cp(prev->s.t) : 0;
		/* the glyph read just before is a kana (nothing else in between) */
		bool after_kana = prev && last + 1 == i && pc != 0x30FC;
		if ((k == K_DAKU || k == K_HANDAKU) && after_kana) {
			int32_t v = voiced(pc, k == K_HANDAKU);
			if (v)
				put_cp(&prev->s, v);
			/* the mark's cell belongs to the kana (a kana that takes
			 * none, or already has one, just keeps it) */
			if (st[i].x1 > prev->s.x1)
				prev->s.x1 = st[i].x1;
			last = i;
			cur.glyphs++;
			continue;
		}
		if (k == K_LONG && prev && last + 1 == i) {
			cur.glyphs++;
			out[n].s = st[i];
			put_cp(&out[n].s, 0x30FC);
			out[n].src = 1;
			out[n].keep = true;
			out[n].idx = n;
			n++;
			last = i;
			continue;
		}
		if (!(is_katakana(c) || c == 0x3078 || c == 0x3079 || c == 0x307A))
			continue; /* other hiragana never come from half-width cells */
		if (prev && last + 1 == i) {
			cur.glyphs++;
		} else {
			cur.kana = 0;
			cur.glyphs = 1;
		}
		if (c == 0x3078 || c == 0x3079 || c == 0x307A)
			c += 0x60; /* へ べ ぺ look the same in both scripts */
		if (c == 0x30F6 || c == 0x30F5)
			c = c == 0x30F6 ? 0x30B1 : 0x30AB; /* ヶ ヵ: no half-width form */
		/* one cell read twice, once with its mark: ﾊﾟ as `パ ハ` or ﾌﾟ as
		 * `フ プ` (ハバ in two cells or more is left alone) */
		if (prev && last + 1 == i && pc != c && recam_norm_kana_base(pc) == recam_norm_kana_base(c) &&
		    st[i].x1 - prev->s.x0 < cell * 3 / 2) {
			if (is_voiced(c))
				put_cp(&prev->s, c);
			if (st[i].x1 > prev->s.x1)
				prev->s.x1 = st[i].x1;
			last = i; /* the same cell: no kana more */
			continue;
		}
		cur.kana += c != 0x30FC; /* ー is no kana of its own */
		if (cur.kana > best->kana)
			*best = cur;
		out[n].s = st[i];
		put_cp(&out[n].s, c);
		out[n].src = 1;
		out[n].keep = true;
		out[n].idx = n;
		n++;
		last = i;
	}
	return n;
}

int recam_hw_merge(const recam_hw_sym *plain, size_t n_plain, const recam_hw_sym *stretched, size_t n_stretched,
		   int glyph_h, char **text, float *conf, float *min_conf)
{
	*text = NULL;
	*conf = *min_conf = 0;
	if (glyph_h <= 0 || glyph_h > MAX_X || n_plain > RECAM_RECEIPT_MAX_LINE_BYTES ||
	    n_stretched > RECAM_RECEIPT_MAX_LINE_BYTES)
		return 0;
	pick *p = calloc(n_plain + n_stretched + 1, sizeof(*p));
	if (p == NULL)
		return RECAM_ENOMEM;
	/* boxes clamped so that sums of coordinates cannot overflow */
	recam_hw_sym *st = malloc((n_stretched + 1) * sizeof(*st));
	if (st == NULL) {
		free(p);
		return RECAM_ENOMEM;
	}
	for (size_t i = 0; i < n_stretched; i++)
		st[i] = clamped(&stretched[i]);
	int cell = glyph_h / 2 > 1 ? glyph_h / 2 : 1; /* a half-width cell */
	kana_run run;
	size_t n = stretched_kana(st, n_stretched, cell, p, &run);
	free(st);
	/* A word of kana: three glyphs in a row at least, two of them kana
	 * (ｺｰﾗ), not a kana-like shape or two among digits. */
	if (n == 0 || run.kana < 2 || run.glyphs < 3) {
		free(p);
		return 0;
	}
	/* The amount column: the plain reading's last word when it holds a
	 * digit and stands apart (two cells or more) from the rest of the line.
	 * Digits read well unstretched; stretched kana there is noise. */
	int amount_word = -1, amount_x0 = 0;
	if (n_plain > 0) {
		int last = plain[n_plain - 1].word;
		size_t f = n_plain;
		bool digit = false;
		while (f > 0 && plain[f - 1].word == last) {
			recam_hw_sym g = clamped(&plain[f - 1]);
			int32_t c = first_cp(g.t);
			digit = digit || (c >= '0' && c <= '9');
			f--;
		}
		recam_hw_sym first = clamped(&plain[f]);
		if (digit && (f == 0 || first.x0 - clamped(&plain[f - 1]).x1 >= 2 * cell)) {
			amount_word = last;
			amount_x0 = first.x0;
		}
	}
	size_t n_kana = n;
	for (size_t i = 0; i < n_kana; i++)
		if (amount_word >= 0 && p[i].s.x0 + p[i].s.x1 >= 2 * amount_x0)
			p[i].keep = false; /* dropped before clustering */
	for (size_t i = 0; i < n_plain; i++) {
		p[n].s = clamped(&plain[i]);
		p[n].src = 0;
		p[n].keep = true;
		p[n].idx = i;
		n++;
	}
	/* Clusters of glyphs that overlap across; in each, the reading with
	 * the better mean confidence wins. Plain glyphs that are ASCII
	 * letters or punctuation where the other reading has kana count half:
	 * that is how half-width kana come out unstretched. A
	 * plain ideograph read with some confidence stays either way: stretched
	 * kanji read worse, and kanji sit among half-width kana (鶏ﾓﾓ肉). */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i].keep)
			p[m++] = p[i];
	n = m;
	qsort(p, n, sizeof(*p), by_x0);
	int taken = 0;
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		int end = p[a].s.x1;
		while (b < n && p[b].s.x0 < end - 1) {
			if (p[b].s.x1 > end)
				end = p[b].s.x1;
			b++;
		}
		float sum[2] = {0, 0};
		int cnt[2] = {0, 0};
		bool digits = false;
		for (size_t i = a; i < b; i++) {
			float c = p[i].s.conf;
			int32_t pc = first_cp(p[i].s.t);
			bool digit = pc >= '0' && pc <= '9';
			if (p[i].src == 0 && is_ascii(pc) && !digit)
				c *= 0.5f;
			digits = digits || (p[i].src == 0 && digit && p[i].s.conf >= 0.6f);
			sum[p[i].src] += c;
			cnt[p[i].src]++;
		}
		/* digits read plain with some confidence are usually right (kana
		 * read as digits come with little): kana must be much surer */
		float margin = digits ? 0.3f : 0.0f;
		int win = cnt[1] == 0	? 0
			  : cnt[0] == 0 ? 1
			  : sum[1] / (float)cnt[1] > sum[0] / (float)cnt[0] + margin ? 1
										 : 0;
		for (size_t i = a; i < b; i++) {
			p[i].keep = p[i].src == win ||
				    (p[i].src == 0 && is_ideograph(first_cp(p[i].s.t)) && p[i].s.conf >= 0.7f);
			taken += p[i].keep && p[i].src == 1;
		}
		a = b;
	}
	/* Reading order: each reading keeps its own order (glyph boxes of the
	 * LSTM overlap and are not ordered by centre); the two are merged by
	 * centre. */
	pick *q = malloc((n + 1) * sizeof(*q));
	if (q == NULL) {
		free(p);
		return RECAM_ENOMEM;
	}
	size_t nq = 0;
	for (int src = 0; src < 2; src++)
		for (size_t i = 0; i < n; i++)
			if (p[i].keep && p[i].src == src)
				q[nq++] = p[i];
	/* q: the kept plain glyphs in plain order, then the stretched ones */
	qsort(q, nq, sizeof(*q), by_order);
	size_t np = 0;
	while (np < nq && q[np].src == 0)
		np++;
	size_t i0 = 0, i1 = np;
	n = 0;
	while (i0 < np || i1 < nq) {
		bool take0 = i1 >= nq || (i0 < np && q[i0].s.x0 + q[i0].s.x1 <= q[i1].s.x0 + q[i1].s.x1);
		p[n++] = take0 ? q[i0++] : q[i1++];
	}
	free(q);
	recam_buf b;
	recam_buf_init(&b, RECAM_RECEIPT_MAX_LINE_BYTES);
	int prev_src = -1, prev_word = -1;
	bool prev_kana = false;
	float csum = 0, cmin = 1;
	int cn = 0;
	for (size_t i = 0; i < n; i++) {
		if (!p[i].keep)
			continue;
		bool new_word = p[i].src != prev_src || p[i].s.word != prev_word;
		if (new_word) {
			if (b.len > 0)
				recam_buf_append(&b, " ", 1);
			csum += p[i].s.conf;
			cmin = p[i].s.conf < cmin ? p[i].s.conf : cmin;
			cn++;
		}
		/* a dash of the plain reading after kana is the long-vowel mark */
		if (p[i].src == 0 && kind_of(first_cp(p[i].s.t)) == K_LONG && prev_kana)
			put_cp(&p[i].s, 0x30FC);
		int32_t c = first_cp(p[i].s.t);
		prev_kana = is_katakana(c) || is_hiragana(c);
		recam_buf_appends(&b, p[i].s.t);
		prev_src = p[i].src;
		prev_word = p[i].s.word;
	}
	free(p);
	char *t = recam_buf_take(&b, NULL);
	recam_buf_free(&b);
	if (taken == 0) {
		free(t);
		return 0;
	}
	if (t == NULL)
		return RECAM_ENOMEM;
	*text = t;
	*conf = cn ? csum / (float)cn : 0;
	*min_conf = cn ? cmin : 0;
	return taken;
}

/* ---- the picture ---- */

/* Which voicing mark the picture shows around columns [x0, x1) of the
 * binarized line bin (ink = 1), whose glyphs span rows [top, top + gh):
 * the run of columns nearest to it with ink in the upper half and none in
 * the lower (a mark has a half-width cell of its own), then a ring (a
 * hole) is ﾟ, two strokes are ﾞ. -1 when the picture does not say. */
int recam_hw_mark_kind(PIX *bin, PIX *grey, int base_x0, int x0, int x1, int top, int gh)
{
	int W = pixGetWidth(bin), H = pixGetHeight(bin);
	int up0 = top, up1 = top + gh * 9 / 20, lo0 = top + gh / 2, lo1 = top + gh;
	up0 = up0 < 0 ? 0 : up0;
	up1 = up1 > H ? H : up1;
	lo0 = lo0 > H ? H : lo0;
	lo1 = lo1 > H ? H : lo1;
	int cell = gh / 2 > 2 ? gh / 2 : 2;
	/* glyph boxes of the LSTM are off by up to half a glyph: from the
	 * start of the kana before the mark */
	int xs = base_x0 < x0 - cell / 2 ? base_x0 : x0 - cell / 2, xe = x1 + cell / 2;
	xs = xs < 0 ? 0 : xs;
	xe = xe > W ? W : xe;
	if (up1 - up0 < 4 || xe - xs < 2 || xe - xs > 4 * gh)
		return -1;
	l_uint32 *data = pixGetData(bin);
	int wpl = pixGetWpl(bin);
	/* runs of mark columns (ink in the upper half only), the two strokes
	 * of a dakuten or a gap of blur between them allowed inside */
	int gap_max = gh / 10 > 2 ? gh / 10 : 2;
	int best0 = -1, best1 = -1, bestd = 1 << 30, run0 = -1, last = -1;
	for (int x = xs; x <= xe; x++) {
		bool up = false, lo = false;
		for (int y = up0; x < xe && y < up1 && !up; y++)
			up = GET_DATA_BIT(data + y * wpl, x);
		for (int y = lo0; x < xe && y < lo1 && !lo; y++)
			lo = GET_DATA_BIT(data + y * wpl, x);
		if (up && !lo) {
			run0 = run0 < 0 ? x : run0;
			last = x;
			continue;
		}
		if (run0 < 0 || (!lo && x < xe && x - last <= gap_max))
			continue;
		int end = last + 1;
		int d = abs((run0 + end) - (x0 + x1));
		if (end - run0 >= 2 && end - run0 <= cell && d < bestd) {
			bestd = d;
			best0 = run0;
			best1 = end;
		}
		run0 = -1;
	}
	if (best0 < 0)
		return -1;
	/* The mark's grey pixels. Blur fills the ring of ﾟ and joins the two
	 * strokes of ﾞ at glyph heights of 28 px, so no threshold tells them
	 * apart; the grey levels still do: a ring has a lighter pixel with
	 * darker ones on all four sides, a dakuten a lighter gap with darker
	 * strokes left and right only. */
	BOX *box = boxCreate(best0 - 1, up0, best1 - best0 + 2, up1 - up0);
	PIX *g = box ? pixClipRectangle(grey, box, NULL) : NULL;
	boxDestroy(&box);
	int kind = -1;
	int gw = g ? (int)pixGetWidth(g) : 0, gh2 = g ? (int)pixGetHeight(g) : 0;
	if (g && gw >= 3 && gh2 >= 3 && gw <= 64 && gh2 <= 64) {
		int v[64][64];
		int lo = 255, hi = 0;
		for (int yy = 0; yy < gh2; yy++)
			for (int xx = 0; xx < gw; xx++) {
				l_uint32 pv = 255;
				pixGetPixel(g, xx, yy, &pv);
				v[yy][xx] = (int)pv;
				lo = v[yy][xx] < lo ? v[yy][xx] : lo;
				hi = v[yy][xx] > hi ? v[yy][xx] : hi;
			}
		int d = (hi - lo) / 5 > 10 ? (hi - lo) / 5 : 10;
		bool ring = false, gap = false;
		for (int yy = 1; yy < gh2 - 1 && hi - lo >= 30; yy++)
			for (int xx = 1; xx < gw - 1; xx++) {
				int c = v[yy][xx], l = 255, r = 255, u = 255, w = 255;
				for (int k = 0; k < xx; k++)
					l = v[yy][k] < l ? v[yy][k] : l;
				for (int k = xx + 1; k < gw; k++)
					r = v[yy][k] < r ? v[yy][k] : r;
				for (int k = 0; k < yy; k++)
					u = v[k][xx] < u ? v[k][xx] : u;
				for (int k = yy + 1; k < gh2; k++)
					w = v[k][xx] < w ? v[k][xx] : w;
				bool lr = l <= c - d && r <= c - d && l < lo + (hi - lo) / 2 && r < lo + (hi - lo) / 2;
				if (lr && u <= c - d && w <= c - d)
					ring = true;
				else if (lr)
					gap = true;
			}
		kind = ring ? 1 : gap ? 0 : -1;
	}
	pixDestroy(&g);
	return kind;
}

/* Glyph widths of a binarized line: glyphs are runs of inked columns
 * within rows [top, top + gh); width[x] is the width of the glyph column x
 * belongs to (0: no ink); glyph_h the upper quartile of their heights. */
int recam_hw_cols_make(PIX *bin, int top, int gh, recam_hw_cols *g)
{
	memset(g, 0, sizeof(*g));
	int W = pixGetWidth(bin), H = pixGetHeight(bin);
	int y0 = top < 0 ? 0 : top, y1 = top + gh > H ? H : top + gh;
	if (W < 4 || W > 1 << 15 || y1 - y0 < 4)
		return -1;
	l_uint32 *data = pixGetData(bin);
	int wpl = pixGetWpl(bin);
	int *heights = calloc((size_t)W, sizeof(int));
	g->width = calloc((size_t)W, sizeof(int));
	if (g->width == NULL || heights == NULL) {
		free(heights);
		free(g->width);
		g->width = NULL;
		return -1;
	}
	g->w = W;
	int ng = 0;
	for (int x = 0; x < W;) {
		int ytop = y1, ybot = y0, x2 = x;
		for (; x2 < W; x2++) {
			bool col = false;
			for (int y = y0; y < y1; y++)
				if (GET_DATA_BIT(data + y * wpl, x2)) {
					col = true;
					ytop = y < ytop ? y : ytop;
					ybot = y > ybot ? y : ybot;
				}
			if (!col)
				break;
		}
		if (x2 > x) {
			for (int k = x; k < x2; k++)
				g->width[k] = x2 - x;
			heights[ng++] = ybot - ytop + 1;
		}
		x = x2 + 1;
	}
	for (int i = 1; i < ng; i++)
		for (int j = i; j > 0 && heights[j - 1] > heights[j]; j--) {
			int t = heights[j];
			heights[j] = heights[j - 1];
			heights[j - 1] = t;
		}
	g->glyph_h = ng >= 3 ? heights[ng * 3 / 4] : 0;
	free(heights);
	return g->glyph_h > 0 ? 0 : -1;
}

/* glyphs of the plain reading but digits and the last word (the amount) */
static bool name_glyph(const recam_hw_sym *s, size_t n, size_t i)
{
	char c = s[i].t[0];
	return !(c >= '0' && c <= '9') && s[i].word != s[n - 1].word;
}

/* The share of the glyphs of a reading (which: RECAM_HW_KANA / _NAME) that sit on
 * a narrow glyph of the picture: at most 0.62 glyph heights wide. A
 * half-width cell is half a glyph height wide, a full-width kana or kanji
 * about one. -1 when fewer than three glyphs could be judged. */
float recam_hw_narrow_share(const recam_hw_cols *g, const recam_hw_sym *s, size_t n, int which)
{
	int judged = 0, narrow = 0;
	for (size_t i = 0; g->width && i < n; i++) {
		recam_hw_sym y = clamped(&s[i]);
		if (which == RECAM_HW_KANA ? !recam_hw_is_katakana(y.t) : !name_glyph(s, n, i))
			continue;
		int cx = y.x0 / 2 + y.x1 / 2;
		if (cx < 0 || cx >= g->w || g->width[cx] == 0)
			continue;
		judged++;
		narrow += g->width[cx] * 100 <= g->glyph_h * 62;
	}
	return judged >= 3 ? (float)narrow / (float)judged : -1;
}

void recam_hw_cols_free(recam_hw_cols *g)
{
	free(g->width);
	g->width = NULL;
}

/* Below this narrow share a line's plain reading sits on wide glyphs and is
 * not read stretched (docs/reader.md "Half-width katakana"). */
#define HW_PRE_SHARE 0.5f

recam_hw_gate_result recam_hw_gate(float share, bool page_seen)
{
	if (share >= 0)
		return share < HW_PRE_SHARE ? RECAM_HW_SKIP : RECAM_HW_READ;
	return page_seen ? RECAM_HW_READ : RECAM_HW_WAIT;
}
