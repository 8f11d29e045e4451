/* entry_search.h — what staff search entries by, kept in columns of
 * entries and a table of the target products found (entry_products), so no
 * query parses JSON per row; each entry's history (entry_events); and the
 * search, paged by keyset in newest-first order so that page 1000 is an
 * index seek like page 1. */
#ifndef RECAM_ENTRY_SEARCH_H
#define RECAM_ENTRY_SEARCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"
#include "store/db.h"

/* Fills entries.store, purchase_day, total, confidence_ppm and the entry's rows
 * of entry_products from a judgement's summary (recam_judgement.summary:
 * store, date, total, products). Runs inside the caller's transaction. */
int recam_entry_search_index(recam_db *db, const char *entry_id, const json_t *summary, double confidence);

/* Appends an event to the entry's history: kind is one of created, judged,
 * corrected, rejudged, reviewed; actor a user id, "system" or
 * "participant"; detail (may be NULL) is stored as JSON, not stolen. */
int recam_entry_event(recam_db *db, const char *entry_id, const char *actor, const char *kind, const json_t *detail);

/* The store as it is kept and searched: NFKC, spaces trimmed and runs of
 * spaces made one. *out is malloc'd (NULL for an empty name). */
int recam_entry_store_norm(const char *s, char **out);

#define RECAM_ENTRY_PAGE_MAX 200

typedef struct recam_entry_filter {
	const char *campaign_id;    /* NULL: every campaign */
	const char *status;	    /* NULL: any */
	int64_t from, to;	    /* created_at in [from, to), unix seconds; 0 and INT64_MAX for none */
	const char *store;	    /* as recam_entry_store_norm() made it; NULL: any */
	const char *product;	    /* the campaign's name of a target product; NULL: any */
	const char *participant_id; /* NULL: anyone */
	/* Keyset: rows strictly after (cursor_at, cursor_id) in newest-first
	 * order; cursor_id NULL starts from the newest. */
	int64_t cursor_at;
	const char *cursor_id;
	int64_t limit;	 /* 0: every row (exports) */
	bool with_email; /* adds RECAM_EC_EMAIL_SEALED (one query: no lookup per row) */
} recam_entry_filter;

/* Columns of a search row. */
enum recam_entry_col {
	RECAM_EC_ID,
	RECAM_EC_CAMPAIGN_ID,
	RECAM_EC_CAMPAIGN_SLUG,
	RECAM_EC_STATUS,
	RECAM_EC_REASON,
	RECAM_EC_CREATED_AT,
	RECAM_EC_STORE,
	RECAM_EC_PURCHASE_DAY,
	RECAM_EC_TOTAL,
	RECAM_EC_UNITS,
	RECAM_EC_PARTICIPANT,
	RECAM_EC_REVIEWED_BY,
	RECAM_EC_REVIEWED_AT,
	RECAM_EC_PRODUCTS,	 /* "name×quantity / ..." */
	RECAM_EC_EMAIL_SEALED, /* participants.email_sealed, with with_email */
};

/* Calls fn for each matching entry, newest first. */
int recam_entry_search(recam_db *db, const recam_entry_filter *f, recam_db_row_fn fn, void *ctx);

/* Cursor text "created_at.id" of a row, and back. */
void recam_entry_cursor_format(int64_t at, const char *id, char out[64]);
int recam_entry_cursor_parse(const char *s, int64_t *at, char id[RECAM_ID_LEN + 1]);

#endif
