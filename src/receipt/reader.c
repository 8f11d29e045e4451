/* reader.c — the in-process pipeline a reader worker runs: decode within
 * limits, pre-process, recognize with the warm engine, parse. Also the
 * orientation fallback: a page that reads badly is tried upside down (and
 * the other quarter turn), keeping whichever Tesseract is surer of. */
#include "receipt/reader.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/str.h"
#include "receipt/blocks.h"
#include "receipt/ocr.h"
#include "receipt/parse_int.h"
#include "receipt/phash.h"
#include "receipt/prep.h"
#include "receipt/receipt.h"

/* Below this mean word confidence a page is retried turned round. */
#define ORIENT_RETRY_CONF 0.70f
/* Below this one, a cropped page is read once more uncropped, when it has
 * had at most uncropped_work of work (docs/reader.md: the paper's outline found
 * 7-37° off, or cutting the header, or taking in much table; heavy photos
 * read below it too and seldom gain, hence the work bound). 0.50 with a turn
 * of 5° or more until 2026-11-26 (docs/reader.md, "Seventh session"). */
#define UNCROPPED_RETRY_CONF 0.60f
/* The uncropped reading may take this many times as long as the cropped
 * one, and at least UNCROPPED_MIN_MS: of 80 heavy dev photos, the 8 whose
 * uncropped reading was kept took 0.7-3.1 times as long; 19 of those not
 * kept took 5-71 times (a textured table read as text, up to 30 s: the
 * photo then ran out of time; docs/reader.md "Sixteenth session"). */
#define UNCROPPED_TIME_RATIO 5
#define UNCROPPED_MIN_MS 2000
/* Lines whose score (½ mean + ½ lowest word confidence) is below this are
 * re-read one by one (RECAM_PREP_REREAD; measured in docs/reader.md). */
#define REREAD_BELOW 0.80f
/* The first lines of a page, where the store's name is printed, read squeezed
 * across as well (double width) */
#define WIDE_LINES 2
/* The page reading stops the time limit divided by this before the limit:
 * the deadline is looked at between words, and one word of a page of
 * noise can take 3 s (the holdout's 0091-heavy ended 1.6-3 s past it);
 * then parsing what was read takes a few ms. */
#define FIRST_READ_RESERVE 5

struct recam_reader {
	recam_reader_limits lim;
	recam_ocr *ocr;
};

void recam_reader_limits_default(recam_reader_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	recam_image_limits_default(&lim->image);
	lim->timeout_ms = 30000;
	/* Ordinary receipts use 1-2 s in all; a page that is all noise (heavy
	 * photos) would re-read every line and run into the time limit. The
	 * work bounds are what 2 s and 4 s of CPU came to on this machine
	 * (83 ms + 1.7 ms per line height of text; docs/reader.md "Eighth
	 * session"); the CPU bounds, three times those, are a safety net. */
	lim->uncropped_work = 1150;
	lim->reread_work = 2300;
	lim->uncropped_cpu_ms = 6000;
	lim->reread_cpu_ms = 12000;
	lim->max_mem_mb = 1536;
	recam_strlcpy(lim->langs, "Japanese/jpn", sizeof(lim->langs));
	lim->prep_steps = RECAM_PREP_DEFAULT;
	recam_strlcpy(lim->worker_exe, "/proc/self/exe", sizeof(lim->worker_exe));
}

int recam_reader_new(const recam_reader_limits *lim, recam_reader **out)
{
	recam_reader *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return RECAM_ENOMEM;
	r->lim = *lim;
	/* "MAIN/ALT": the second model only re-reads doubtful lines */
	char main_langs[sizeof(lim->langs)];
	recam_strlcpy(main_langs, lim->langs, sizeof(main_langs));
	char *alt = strchr(main_langs, '/');
	if (alt)
		*alt++ = '\0';
	int rc = recam_ocr_new(main_langs, &r->ocr);
	if (rc == 0 && alt && *alt && (rc = recam_ocr_set_alt(r->ocr, alt)) != 0)
		recam_ocr_free(r->ocr);
	if (rc != 0) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void recam_reader_free(recam_reader *r)
{
	if (r == NULL)
		return;
	recam_ocr_free(r->ocr);
	free(r);
}

/* CPU time of this (single-threaded) worker: the time on one core, which
 * wall time is not when other jobs share the machine. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Whether the image, started at work w0 and CPU c0, is still within a
 * work bound (line heights of text recognized) and its CPU safety net. */
static bool within(const recam_reader *r, double w0, double c0, int work, int cpu)
{
	return recam_ocr_work(r->ocr) - w0 <= work && cpu_ms() - c0 <= cpu;
}

/* The photo's perceptual hashes ({"v","photo","page"}), or NULL when the
 * picture is too small to hash. page: what was recognised, before the
 * recogniser's half turn (turns 2) that made it read upright. */
static json_t *hashes_json(PIX *grey, PIX *page, int turns)
{
	recam_phash photo, pg;
	char hp[RECAM_PHASH_HEX + 1], hg[RECAM_PHASH_HEX + 1];
	PIX *up = turns == 2 ? pixRotateOrth(page, 2) : pixClone(page);
	int rc = up ? recam_phash_photo(grey, &photo) : RECAM_ENOMEM;
	if (rc == 0)
		rc = recam_phash_page(up, &pg);
	pixDestroy(&up);
	if (rc != 0)
		return NULL;
	recam_phash_hex(&photo, hp);
	recam_phash_hex(&pg, hg);
	return json_pack("{s:i, s:s, s:s}", "v", RECAM_PHASH_VERSION, "photo", hp, "page", hg);
}

json_t *recam_reader_error_json(int err)
{
	return json_pack("{s:{s:s,s:s}}", "error", "code", recam_err_code(err), "message",
			 recam_err_message(err, RECAM_LANG_EN));
}

static int digits_in(const char *t)
{
	int d = 0;
	for (; *t; t++)
		d += *t >= '0' && *t <= '9';
	return d;
}

static float line_score(const recam_ocr_line *l) { return 0.5f * l->conf + 0.5f * l->min_conf; }

/* The first reversed band above the first line of six digits or more (a
 * phone, a date), read inverted: put among the lines where it stands, or in
 * place of a doubtful line read over it when it reads better (*added then). */
static int read_banner(recam_reader *r, PIX *pix, recam_ocr_line **lines, size_t *n, int budget, bool *added)
{
	recam_ocr_line *L = *lines;
	int med = recam_ocr_median_height(L, *n), y1 = pixGetHeight(pix) / 3;
	for (size_t i = 0; i < *n; i++)
		if (digits_in(L[i].text) >= 6) {
			y1 = L[i].y < y1 ? L[i].y : y1;
			break;
		}
	int x, y, w, h;
	if (budget <= 0 || med <= 0 || !recam_ocr_dark_band(pix, 0, y1, med * 4 / 5, &x, &y, &w, &h) || h > 4 * med)
		return 0;
	long over = -1; /* a line read over the band: kept unless the band reads better */
	for (size_t i = 0; i < *n && over < 0; i++) {
		int top = L[i].y > y ? L[i].y : y, bot = L[i].y + L[i].h < y + h ? L[i].y + L[i].h : y + h;
		if (bot - top > L[i].h / 2)
			over = (long)i;
	}
	if (over >= 0 && line_score(&L[over]) >= REREAD_BELOW)
		return 0;
	recam_ocr_line b;
	int rc = recam_ocr_read_reversed(r->ocr, pix, x, y, w, h, budget, &b);
	if (rc == RECAM_ETIMEOUT)
		return 0;
	if (rc != 0 || b.text == NULL)
		return rc;
	if (over >= 0) {
		if (line_score(&b) <= line_score(&L[over]) + 0.03f) {
			free(b.text);
			return 0;
		}
		free(L[over].text);
		L[over] = b;
		*added = true;
		return 0;
	}
	recam_ocr_line *g = realloc(L, (*n + 1) * sizeof(*g));
	if (g == NULL) {
		free(b.text);
		return RECAM_ENOMEM;
	}
	size_t at = 0;
	while (at < *n && g[at].y < y)
		at++;
	memmove(g + at + 1, g + at, (*n - at) * sizeof(*g));
	g[at] = b;
	*lines = g;
	(*n)++;
	*added = true;
	return 0;
}

/* A line with a 9 among nine to fifteen digits (a phone or registration
 * number, a date with its time; not a barcode's twenty) or in a time
 * "09:49". */
static bool unchecked_number(const char *t)
{
	int digits = 0;
	bool nine = false, time = false;
	for (size_t i = 0; t[i]; i++) {
		bool d = t[i] >= '0' && t[i] <= '9';
		digits += d;
		nine = nine || t[i] == '9';
		if (t[i] == ':' && i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9' && t[i + 1] >= '0' && t[i + 1] <= '9')
			time = true;
	}
	return nine && digits <= 15 && (digits >= 9 || time);
}

/* A line ending in an amount with a 9 in it ("¥4,249", "1.099 円"), not
 * in a number joined to others by - / or : */
static bool nine_in_amount(const char *t)
{
	size_t e = strlen(t);
	while (e > 0 && !(t[e - 1] >= '0' && t[e - 1] <= '9') && e + 6 > strlen(t))
		e--; /* marks after the amount: "*", "※", "円" */
	size_t b = e;
	while (b > 0 && ((t[b - 1] >= '0' && t[b - 1] <= '9') || t[b - 1] == ',' || t[b - 1] == '.'))
		b--;
	bool joined = b > 1 && t[b - 1] == '-' && t[b - 2] >= '0' && t[b - 2] <= '9'; /* not a sign: "値引 -39" */
	if (joined || (b > 0 && (t[b - 1] == '/' || t[b - 1] == ':')))
		return false; /* the end of an address, a code or a date: "9-28-19" */
	return e - b >= 2 && memchr(t + b, '9', e - b) != NULL;
}

/* What a reading gives of the receipt: the fields found (total, date,
 * time, phone) and the checks that hold. -1 when it cannot be parsed. */
static int reading_score(const recam_ocr_line *lines, size_t n)
{
	json_t *o = NULL;
	if (recam_receipt_parse(lines, n, &o) != 0)
		return -1;
	int score = 0;
	static const char *const fields[] = {"total", "date", "time", "phone", NULL};
	for (const char *const *f = fields; *f; f++)
		score += json_is_object(json_object_get(o, *f));
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(o, "checks"), k, v)
		score += json_is_true(v);
	json_decref(o);
	return score;
}

/* Whether reading b (lines bl, confidence bc) is to replace reading a. */
static bool better_reading(const recam_ocr_line *bl, size_t bn, float bc, const recam_ocr_line *al, size_t an, float ac)
{
	int sb = reading_score(bl, bn), sa = reading_score(al, an);
	return sb > sa || (sb == sa && bc > ac + 0.05f);
}

/* A doubtful line read again (recam_ocr_reread); a reading that scores
 * better but loses a date, phone or registration number the line held is
 * not taken (dev17h 0131: `TEL:076-789-8320` re-read as `2 90920`). */
static int reread_keeping_fields(recam_ocr *ocr, PIX *pix, recam_ocr_line *line, bool hw_seen, int budget,
				 recam_hw_outcome *hw)
{
	recam_ocr_line before = *line;
	unsigned held = recam_parse_line_holds(line->text);
	if (held && (before.text = strdup(line->text)) == NULL)
		return RECAM_ENOMEM;
	int rc = recam_ocr_reread(ocr, pix, line, REREAD_BELOW, hw_seen, budget, hw);
	if (held && (recam_parse_line_holds(line->text) & held) != held) {
		free(line->text);
		*line = before;
	} else if (held) {
		free(before.text);
	}
	return rc;
}

int recam_reader_process(recam_reader *r, const unsigned char *bytes, size_t len, json_t **out)
{
	double t0 = now_ms(), c0 = cpu_ms();
	double w0 = recam_ocr_work(r->ocr);
	PIX *grey = NULL, *pix = NULL;
	recam_ocr_line *lines = NULL;
	size_t n = 0, *deferred = NULL, ndeferred = 0;
	int orientation = 1;
	recam_image_type type;
	int w, h;
	int rc = recam_image_header(bytes, len, &r->lim.image, &type, &w, &h);
	if (rc != 0)
		return rc;
	rc = recam_image_decode(bytes, len, &r->lim.image, &grey, &orientation);
	if (rc != 0)
		return rc;
	double t_dec = now_ms();
	recam_prep_info info;
	rc = recam_prep_run(grey, r->lim.prep_steps, &pix, &info);
	if (rc != 0)
		goto out;
	double t_prep = now_ms();
	float conf;
	/* A page that is all noise (a heavy photo's page reading alone can
	 * take over 30 s) is read until shortly before the time limit, and
	 * what was read by then is kept, marked cut short, with nothing read
	 * again: a partial reading for a person to review rather than none. */
	int budget = r->lim.timeout_ms - (int)(t_prep - t0);
	int first_budget = budget - r->lim.timeout_ms / FIRST_READ_RESERVE;
	bool cut = false;
	rc = first_budget > 0 ? recam_ocr_run(r->ocr, pix, first_budget, &lines, &n, &conf, &cut) : RECAM_ETIMEOUT;
	if (rc != 0)
		goto out;
	int first_ms = (int)(now_ms() - t_prep);
	/* A page that reads badly may have been cropped wrongly (a paper
	 * outline taken from a textured table, 37° off; the header cut off;
	 * much of the table taken in): read once more uncropped and
	 * straightened by its text lines. The reading that gives more of the
	 * receipt (fields found, checks that hold) is kept, with its page for
	 * the re-reads below; on a tie the surer one. The recognizer's own
	 * confidence alone chose a page that read surer and lost its header. */
	/* the steps after the page reading: none when it was cut short */
	unsigned later = cut ? 0 : (unsigned)r->lim.prep_steps;
	if ((later & RECAM_PREP_CROP) && info.crop_w > 0 && conf < UNCROPPED_RETRY_CONF &&
	    within(r, w0, c0, r->lim.uncropped_work, r->lim.uncropped_cpu_ms)) {
		/* not dewarped: the page may still stand tilted (the outline
		 * misled), and rows tilted across the page are no curl */
		unsigned steps = r->lim.prep_steps & ~(unsigned)(RECAM_PREP_CROP | RECAM_PREP_PERSPECTIVE | RECAM_PREP_CONTRAST |
								 RECAM_PREP_DEWARP);
		PIX *p2 = NULL;
		recam_prep_info i2;
		recam_ocr_line *l2 = NULL;
		size_t n2 = 0;
		float c2 = 0;
		budget = r->lim.timeout_ms - (int)(now_ms() - t0);
		int bound = first_ms * UNCROPPED_TIME_RATIO > UNCROPPED_MIN_MS ? first_ms * UNCROPPED_TIME_RATIO : UNCROPPED_MIN_MS;
		if (budget > bound)
			budget = bound;
		if (budget > 0 && recam_prep_run(grey, steps, &p2, &i2) == 0 &&
		    recam_ocr_run(r->ocr, p2, budget, &l2, &n2, &c2, NULL) == 0 &&
		    better_reading(l2, n2, c2, lines, n, conf)) {
			recam_ocr_lines_free(lines, n);
			pixDestroy(&pix);
			lines = l2;
			n = n2;
			conf = c2;
			pix = p2;
			info = i2;
			l2 = NULL;
			n2 = 0;
			p2 = NULL;
		}
		recam_ocr_lines_free(l2, n2);
		pixDestroy(&p2);
	}
	int turns = 0;
	if ((later & RECAM_PREP_ORIENT) && conf < ORIENT_RETRY_CONF) {
		/* upside down, or the other quarter turn for a sideways page */
		PIX *rot = pixRotateOrth(pix, 2);
		recam_ocr_line *l2 = NULL;
		size_t n2 = 0;
		float c2 = 0;
		budget = r->lim.timeout_ms - (int)(now_ms() - t0);
		if (rot && budget > 0 && recam_ocr_run(r->ocr, rot, budget, &l2, &n2, &c2, NULL) == 0 && c2 > conf + 0.05f) {
			recam_ocr_lines_free(lines, n);
			lines = l2;
			n = n2;
			conf = c2;
			turns = 2;
		} else if (l2) {
			recam_ocr_lines_free(l2, n2);
		}
		pixDestroy(&rot);
	}
	/* Lines Tesseract was unsure of, read again on their own: the block
	 * reading loses lines next to large bold type or noise. A line that
	 * runs out of time keeps its first reading. (Not after the half-turn
	 * retry: the boxes then belong to the turned image.) */
	bool hw_seen = false;
	for (size_t i = 0; (later & RECAM_PREP_REREAD) && turns == 0 && i < n; i++) {
		if (line_score(&lines[i]) >= REREAD_BELOW)
			continue;
		budget = r->lim.timeout_ms - (int)(now_ms() - t0);
		if (budget <= 0 || !within(r, w0, c0, r->lim.reread_work, r->lim.reread_cpu_ms))
			break;
		recam_hw_outcome hw;
		rc = reread_keeping_fields(r->ocr, pix, &lines[i], hw_seen, budget, &hw);
		if (rc == RECAM_ETIMEOUT) {
			rc = 0;
			break;
		}
		if (rc != 0)
			goto out;
		hw_seen = hw_seen || hw == RECAM_HW_MERGED;
		if (hw == RECAM_HW_DEFERRED) {
			if (deferred == NULL && (deferred = calloc(n, sizeof(*deferred))) == NULL) {
				rc = RECAM_ENOMEM;
				goto out;
			}
			deferred[ndeferred++] = i;
		}
	}
	/* Lines too short to judge their glyphs' width, above the page's first
	 * half-width line: read stretched now that the page is known to hold
	 * half-width print. On a page with none (most) they never are: that was
	 * a fifth of the re-reads' CPU on full-width receipts, for a merge in a
	 * hundred lines, mostly wrong (docs/reader.md "Sixteenth session"). */
	for (size_t k = 0; hw_seen && k < ndeferred; k++) {
		budget = r->lim.timeout_ms - (int)(now_ms() - t0);
		if (budget <= 0 || !within(r, w0, c0, r->lim.reread_work, r->lim.reread_cpu_ms))
			break;
		bool merged;
		rc = recam_ocr_reread_halfwidth(r->ocr, pix, &lines[deferred[k]], budget, &merged);
		if (rc == RECAM_ETIMEOUT) {
			rc = 0;
			break;
		}
		if (rc != 0)
			goto out;
	}
	/* Numbers that no arithmetic checks (phone, 登録番号, time, date, a
	 * pack size in a name: "低脂肪乳 1090ml"): a 9 in them may be a
	 * slashed or a smudged zero (recam_ocr_zero_check). When one was, the
	 * print has slashed zeros: the 9s of the amounts are checked too. */
	bool slashed = false;
	for (int pass = 0; pass < 2 && (later & RECAM_PREP_REREAD) && turns == 0; pass++) {
		for (size_t i = 0; i < n && (pass == 0 || slashed); i++) {
			const char *t = lines[i].text;
			bool unchecked = unchecked_number(t) || recam_parse_pack_size_nine(t);
			if (pass == 0 ? !unchecked : unchecked || !nine_in_amount(t))
				continue;
			budget = r->lim.timeout_ms - (int)(now_ms() - t0);
			if (budget <= 0 || !within(r, w0, c0, r->lim.reread_work, r->lim.reread_cpu_ms))
				break;
			int zeros = 0;
			rc = recam_ocr_zero_check(r->ocr, pix, &lines[i], budget, &zeros);
			if (rc == RECAM_ETIMEOUT) {
				rc = 0;
				break;
			}
			if (rc != 0)
				goto out;
			slashed = slashed || zeros > 0;
		}
	}
	double t_ocr = now_ms();
	json_t *o = NULL;
	rc = recam_receipt_parse(lines, n, &o);
	if (rc != 0)
		goto out;
	/* no total the arithmetic confirms, header fields missing: those blocks read on their own */
	if ((later & RECAM_PREP_REREAD) && turns == 0 &&
	    within(r, w0, c0, r->lim.reread_work, r->lim.reread_cpu_ms) &&
	    (rc = recam_blocks_reread(r->ocr, pix, &lines, &n, &o, r->lim.timeout_ms - (int)(now_ms() - t0))) != 0) {
		json_decref(o);
		goto out;
	}
	/* The store's name, on the first lines, may be printed double width:
	 * those lines read squeezed too (recam_ocr_reread_wide), last, so that
	 * the re-reads above keep their work bound; not on a page that has
	 * used the re-reads' CPU safety net already (a heavy photo read for
	 * 29 s ran into the time limit with them). */
	bool squeezed = false;
	bool header = (later & RECAM_PREP_REREAD) && turns == 0 && cpu_ms() - c0 <= r->lim.reread_cpu_ms;
	for (size_t i = 0; header && i < n && i < WIDE_LINES; i++) {
		budget = r->lim.timeout_ms - (int)(now_ms() - t0);
		if (budget <= 0 || digits_in(lines[i].text) > 2)
			continue; /* a phone or a date: no store */
		const char *before = lines[i].text;
		rc = recam_ocr_reread_wide(r->ocr, pix, &lines[i], budget);
		if (rc == RECAM_ETIMEOUT) {
			rc = 0;
			break;
		}
		if (rc != 0) {
			json_decref(o);
			goto out;
		}
		squeezed = squeezed || lines[i].text != before;
	}
	/* A store's name printed reversed (white on black) above the first
	 * phone or date: the page reading takes no line from it. */
	if (header && n > 0 && n < RECAM_RECEIPT_MAX_LINES) {
		rc = read_banner(r, pix, &lines, &n, r->lim.timeout_ms - (int)(now_ms() - t0), &squeezed);
		if (rc != 0) {
			json_decref(o);
			goto out;
		}
	}
	if (squeezed) {
		json_t *o2 = NULL;
		if ((rc = recam_receipt_parse(lines, n, &o2)) != 0) {
			json_decref(o);
			goto out;
		}
		static const char *const flags[] = {"totals_reread", "header_reread", NULL};
		for (const char *const *f = flags; *f; f++)
			if (json_is_true(json_object_get(o, *f)))
				json_object_set_new(o2, *f, json_true());
		json_decref(o);
		o = o2;
	}
	double t_end = now_ms();
	json_object_set_new(o, "image", json_pack("{s:s,s:i,s:i,s:i}", "type", recam_image_type_name(type), "width", w,
						  "height", h, "exif_orientation", orientation));
	json_object_set_new(o, "prep", json_pack("{s:f,s:f,s:i,s:f,s:i,s:i,s:b,s:i,s:[iiii]}", "paper_deg", (double)info.paper_deg, "skew_deg", (double)info.skew_deg,
						 "quarter_turns", info.quarter_turns + turns, "scale", (double)info.scale,
						 "line_px", info.line_px, "leaders", info.leaders, "flattened", info.flattened, "bend_px", info.bend_px, "crop", info.crop_x, info.crop_y, info.crop_w,
						 info.crop_h));
	json_t *hashes = hashes_json(grey, pix, turns);
	if (hashes)
		json_object_set_new(o, "phash", hashes);
	json_object_set_new(o, "ocr_work", json_integer((json_int_t)(recam_ocr_work(r->ocr) - w0 + 0.5)));
	json_object_set_new(o, "ocr_confidence", json_real((double)(int)(conf * 100 + 0.5f) / 100.0));
	if (cut)
		json_object_set_new(o, "ocr_cut_short", json_true());
	json_object_set_new(o, "timing_ms", json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "decode", (int)(t_dec - t0), "prep",
						      (int)(t_prep - t_dec), "ocr", (int)(t_ocr - t_prep), "parse",
						      (int)(t_end - t_ocr), "total", (int)(t_end - t0), "cpu", (int)(cpu_ms() - c0)));
	*out = o;
out:
	free(deferred);
	recam_ocr_lines_free(lines, n);
	pixDestroy(&pix);
	pixDestroy(&grey);
	return rc;
}
