/* image_dup.c — near-identical photos within a campaign (see image_dup.h). */
#include "campaign/image_dup.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/entry.h"
#include "core/error.h"
#include "core/str.h"

/* Fields compared, and the confidence both readings need for a field to count. */
static const char *const fields[] = {"total", "date", "time", "receipt_number", "phone", "registration_number"};
static const char *const strong[] = {"total", "time", "receipt_number"};
#define FIELD_CONF 0.5
/* Photos of other entries whose readings are compared, at most. */
#define MAX_CANDIDATES 64

bool recam_image_dup_hashes(const json_t *receipt, recam_phash *photo, recam_phash *page)
{
	json_t *h = json_object_get(receipt, "phash");
	if (!json_is_object(h) || json_integer_value(json_object_get(h, "v")) != RECAM_PHASH_VERSION)
		return false;
	return recam_phash_parse(json_string_value(json_object_get(h, "photo")), photo) == 0 &&
	       recam_phash_parse(json_string_value(json_object_get(h, "page")), page) == 0;
}

/* The hash as 32 bytes, most significant first (the order of its hex). */
static void to_bytes(const recam_phash *h, unsigned char out[RECAM_PHASH_BITS / 8])
{
	for (int i = 0; i < RECAM_PHASH_BITS / 8; i++)
		out[i] = (unsigned char)(h->w[i / 8] >> (56 - 8 * (i % 8)));
}

static bool from_bytes(const void *p, size_t n, recam_phash *h)
{
	const unsigned char *b = p;
	if (b == NULL || n != RECAM_PHASH_BITS / 8)
		return false;
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < RECAM_PHASH_BITS / 8; i++)
		h->w[i / 8] |= (uint64_t)b[i] << (56 - 8 * (i % 8));
	return true;
}

int recam_image_dup_store(recam_db *db, const char *entry_id, int position, const json_t *receipt)
{
	recam_phash a, b;
	unsigned char photo[RECAM_PHASH_BITS / 8], page[RECAM_PHASH_BITS / 8];
	if (!recam_image_dup_hashes(receipt, &a, &b))
		return recam_db_exec(db, "DELETE FROM entry_image_phash WHERE entry_id = ? AND position = ?",
				     RECAM_DB_ARGS(DBV_TEXT(entry_id), DBV_INT(position)));
	to_bytes(&a, photo);
	to_bytes(&b, page);
	return recam_db_exec(db,
			     "INSERT INTO entry_image_phash(entry_id, position, campaign_id, photo, page)"
			     " SELECT id, ?, campaign_id, ?, ? FROM entries WHERE id = ?"
			     " ON CONFLICT (entry_id, position) DO UPDATE SET photo = excluded.photo, page = excluded.page",
			     RECAM_DB_ARGS(DBV_INT(position), DBV_BLOB(photo, sizeof(photo)), DBV_BLOB(page, sizeof(page)),
					   DBV_TEXT(entry_id)));
}

int recam_image_dup_forget(recam_db *db, const char *entry_id)
{
	return recam_db_exec(db, "DELETE FROM entry_image_phash WHERE entry_id = ?", RECAM_DB_ARGS(DBV_TEXT(entry_id)));
}

/* A field's value when read with enough confidence, else NULL. */
static const json_t *confident(const json_t *reading, const char *name)
{
	json_t *f = json_object_get(reading, name);
	json_t *v = json_object_get(f, "value");
	if (v == NULL || json_is_null(v) || json_number_value(json_object_get(f, "confidence")) < FIELD_CONF)
		return NULL;
	return v;
}

/* Phone numbers compare by their digits ("03-1234-5678" = "0312345678"). */
static bool same_value(const char *name, const json_t *a, const json_t *b)
{
	if (strcmp(name, "phone") == 0 && json_is_string(a) && json_is_string(b)) {
		const char *x = json_string_value(a), *y = json_string_value(b);
		for (;;) {
			while (*x && (*x < '0' || *x > '9'))
				x++;
			while (*y && (*y < '0' || *y > '9'))
				y++;
			if (*x == '\0' || *y == '\0')
				return *x == *y;
			if (*x++ != *y++)
				return false;
		}
	}
	return json_equal((json_t *)a, (json_t *)b);
}

bool recam_image_dup_readings_agree(const json_t *a, const json_t *b)
{
	bool strong_agrees = false;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const json_t *va = confident(a, fields[i]), *vb = confident(b, fields[i]);
		if (va == NULL || vb == NULL)
			continue;
		if (!same_value(fields[i], va, vb))
			return false;
		for (size_t k = 0; k < sizeof(strong) / sizeof(strong[0]); k++)
			strong_agrees = strong_agrees || strcmp(fields[i], strong[k]) == 0;
	}
	return strong_agrees;
}

static bool hashes_close(const recam_phash *photo_a, const recam_phash *page_a, const recam_phash *photo_b,
			 const recam_phash *page_b)
{
	return recam_phash_distance(photo_a, photo_b) <= RECAM_PHASH_PHOTO_MAX ||
	       recam_phash_distance(page_a, page_b) <= RECAM_PHASH_PAGE_MAX;
}

bool recam_image_dup_same(const recam_phash *photo_a, const recam_phash *page_a, const json_t *reading_a,
			  const recam_phash *photo_b, const recam_phash *page_b, const json_t *reading_b)
{
	return hashes_close(photo_a, page_a, photo_b, page_b) && recam_image_dup_readings_agree(reading_a, reading_b);
}

struct mine {
	recam_phash photo[RECAM_ENTRY_MAX_IMAGES], page[RECAM_ENTRY_MAX_IMAGES];
	const json_t *reading[RECAM_ENTRY_MAX_IMAGES];
	int n;
};

struct candidate {
	char entry_id[RECAM_ID_LEN + 1];
	int64_t position;
	int mine;     /* which photo of this entry it is close to */
	double score; /* the nearer of the two hashes, as a share of its threshold: ≤ 1 */
};

/* The MAX_CANDIDATES closest photos of other entries, closest first: a
 * chain's receipts share a layout, so many may be close in a big campaign;
 * a photo of the same receipt is among the closest. */
struct scan {
	const struct mine *m;
	struct candidate c[MAX_CANDIDATES];
	int n;
};

static void keep(struct scan *s, const struct candidate *c)
{
	int at = s->n;
	while (at > 0 && s->c[at - 1].score > c->score)
		at--;
	if (at == MAX_CANDIDATES)
		return;
	int last = s->n < MAX_CANDIDATES ? s->n : MAX_CANDIDATES - 1;
	memmove(&s->c[at + 1], &s->c[at], sizeof(s->c[0]) * (size_t)(last - at));
	s->c[at] = *c;
	if (s->n < MAX_CANDIDATES)
		s->n++;
}

static int scan_row(void *ctx, const recam_dbrow *row)
{
	struct scan *s = ctx;
	size_t np, ng;
	const void *bp = recam_dbrow_blob(row, 2, &np), *bg = recam_dbrow_blob(row, 3, &ng);
	recam_phash photo, page;
	if (!from_bytes(bp, np, &photo) || !from_bytes(bg, ng, &page))
		return 0;
	struct candidate c = {.score = 2};
	for (int i = 0; i < s->m->n; i++) {
		double a = (double)recam_phash_distance(&s->m->photo[i], &photo) / RECAM_PHASH_PHOTO_MAX;
		double b = (double)recam_phash_distance(&s->m->page[i], &page) / RECAM_PHASH_PAGE_MAX;
		double score = a < b ? a : b;
		if (score <= 1 && score < c.score) {
			c.score = score;
			c.mine = i;
		}
	}
	if (c.score > 1 || recam_dbrow_copy_text(row, 0, c.entry_id, sizeof(c.entry_id)) != 0)
		return 0;
	c.position = recam_dbrow_int(row, 1);
	keep(s, &c);
	return 0;
}

static int read_json(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const char *t = recam_dbrow_text(row, 0, &n);
	json_error_t e;
	*(json_t **)ctx = t ? json_loadb(t, n, 0, &e) : NULL;
	return 0;
}

int recam_image_dup_find(recam_db *db, const char *campaign_id, const char *entry_id, const json_t *receipts,
			 bool *dup)
{
	*dup = false;
	struct mine m = {.n = 0};
	size_t i;
	json_t *r;
	json_array_foreach((json_t *)receipts, i, r) {
		if (m.n == RECAM_ENTRY_MAX_IMAGES)
			break;
		if (recam_image_dup_hashes(r, &m.photo[m.n], &m.page[m.n]))
			m.reading[m.n++] = r;
	}
	if (m.n == 0)
		return 0;
	/* Two photos of one receipt in one entry (a summed entry counts it twice). */
	for (int a = 0; a < m.n; a++)
		for (int b = a + 1; b < m.n; b++)
			if (recam_image_dup_same(&m.photo[a], &m.page[a], m.reading[a], &m.photo[b], &m.page[b],
						 m.reading[b])) {
				*dup = true;
				return 0;
			}
	/* Every photo of the campaign, live or not: a join to the entries per
	 * row costs 30 times the scan; their status is looked up for the close
	 * ones only. */
	struct scan s = {.m = &m, .n = 0};
	int rc = recam_db_query(db,
				"SELECT entry_id, position, photo, page FROM entry_image_phash"
				" WHERE campaign_id = ? AND entry_id <> ?",
				RECAM_DB_ARGS(DBV_TEXT(campaign_id), DBV_TEXT(entry_id)), scan_row, &s);
	if (rc < 0)
		return rc;
	for (int k = 0; k < s.n && !*dup; k++) {
		json_t *theirs = NULL;
		rc = recam_db_query_one(db,
					"SELECT ei.receipt FROM entry_images ei JOIN entries e ON e.id = ei.entry_id"
					" WHERE ei.entry_id = ? AND ei.position = ? AND e.status IN ('accepted', 'review')",
					RECAM_DB_ARGS(DBV_TEXT(s.c[k].entry_id), DBV_INT(s.c[k].position)), read_json,
					&theirs);
		if (rc != 0 && rc != RECAM_ENOTFOUND)
			return rc;
		*dup = theirs && recam_image_dup_readings_agree(m.reading[s.c[k].mine], theirs);
		json_decref(theirs);
	}
	return 0;
}
