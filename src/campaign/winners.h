/* winners.h — a campaign's wins after they were won: the list staff work
 * from, personal data masked for those who may not see it, shipping
 * (carrier, tracking number, day shipped), forfeits — a draw win's place
 * goes to the next published alternate in order, an instant win's prize
 * goes back to stock — and the re-draw of wins left unclaimed past their
 * claim deadline. Changes run inside the caller's transaction, so the
 * caller's audit record commits with them. */
#ifndef RECAM_WINNERS_H
#define RECAM_WINNERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "campaign/campaign.h"
#include "store/db.h"

#define RECAM_CARRIER_MAX 40  /* characters */
#define RECAM_TRACKING_MAX 40 /* ASCII after normalization */
#define RECAM_WIN_REF_MAX 128 /* entry ids (the draw's alphabet) */

typedef struct recam_win {
	char id[RECAM_ID_LEN + 1];
	char kind[8];	    /* instant, draw */
	char prize_code[64];
	char status[16];    /* won, claimed, shipped, forfeited */
	char entry_id[RECAM_WIN_REF_MAX + 1];
	char participant_id[RECAM_WIN_REF_MAX + 1];
	int64_t created_at, claim_deadline, forfeited_at, updated_at; /* unix seconds; 0 when none */
	char forfeit_reason[16];
	char replaces[RECAM_ID_LEN + 1]; /* the forfeited win an alternate's win replaces */
	int64_t alternate_rank;		  /* 1-based place among the draw's alternates; 0 */
	char carrier[4 * RECAM_CARRIER_MAX + 1];
	char tracking[RECAM_TRACKING_MAX + 1];
	char shipped_on[11];
	int64_t version;
	const void *delivery; /* sealed details, NULL when not sent; valid in the callback only */
	size_t delivery_len;
} recam_win;

typedef int (*recam_win_fn)(void *ctx, const recam_win *w);

typedef struct recam_winners_filter {
	const char *status; /* NULL or "" for any */
	const char *kind;
	int64_t after_created; /* keyset cursor: rows after (created_at, id) */
	const char *after_id;  /* "" to start */
	int64_t limit;	       /* 0: no limit */
} recam_winners_filter;

/* Wins of the campaign in (created_at, id) order. */
int recam_winners_list(recam_db *db, const char *campaign_id, const recam_winners_filter *f, recam_win_fn fn,
		       void *ctx);
/* One win of the campaign by its id, or by the id of the entry that won
 * it: RECAM_ENOTFOUND otherwise (another campaign's or tenant's id too).
 * out->delivery is NULL; out->delivery_len tells whether details were sent. */
int recam_winners_find(recam_db *db, const char *campaign_id, const char *id, recam_win *out);
/* Counts by status: {"won": n, "claimed": n, "shipped": n, "forfeited": n}. */
json_t *recam_winners_counts(recam_db *db, const char *campaign_id);

/* A copy of delivery details for someone who may not read them: 山田 **,
 * 〒100-****, ***-****-1234, y***@example.com; prefecture kept. */
json_t *recam_winners_mask(const json_t *delivery);

/* Checks and normalizes: a tracking number (full-width digits and letters
 * folded, hyphen look-alikes to '-', spaces dropped; 4..40 of A-Z 0-9 -),
 * a carrier (1..40 characters of one line), a day shipped (YYYY-MM-DD, from
 * 2000-01-01 to tomorrow in Asia/Tokyo). */
bool recam_winners_tracking_normalize(const char *in, char out[RECAM_TRACKING_MAX + 1]);
bool recam_winners_carrier_valid(const char *s);
bool recam_winners_day_valid(const char *s, int64_t now);

typedef struct recam_shipping {
	bool shipped;	     /* false: back to pending (details cleared) */
	const char *carrier; /* validated by the caller */
	const char *tracking;
	const char *shipped_on;
} recam_shipping;

/* Sets a win's shipping. RECAM_ECONFLICT with *why = "stale" (the version
 * differs from expected_version, when that is not 0), "not_claimed" (no
 * delivery details yet) or "forfeited". */
int recam_winners_ship(recam_db *db, const char *campaign_id, const char *win_id, const recam_shipping *s,
		       int64_t expected_version, int64_t now, const char **why);

typedef struct recam_forfeit {
	char win_id[RECAM_ID_LEN + 1];
	char kind[8];
	char prize_code[64];
	bool stock_returned;		     /* instant: the prize went back to stock */
	char promoted_win[RECAM_ID_LEN + 1]; /* draw: the alternate's new win; "" when none was left */
	char promoted_entry[RECAM_WIN_REF_MAX + 1];
	int64_t promoted_rank;
	size_t skipped; /* alternates passed over: they won meanwhile, or their entry no longer counts */
} recam_forfeit;

/* Staff reasons; "unclaimed" is the re-draw's own. */
bool recam_winners_reason_valid(const char *reason);

/* Forfeits a won or claimed win (RECAM_ECONFLICT with *why "shipped" or
 * "forfeited" otherwise) and gives its place on: the next alternate in
 * published order for a draw win, the stock for an instant win. */
int recam_winners_forfeit(recam_db *db, const recam_campaign *c, const char *win_id, const char *reason, int64_t now,
			  recam_forfeit *out, const char **why);
/* Every win still without delivery details past its claim deadline is
 * forfeited as "unclaimed", each calling fn (may be NULL). *count: how many. */
int recam_winners_redraw(recam_db *db, const recam_campaign *c, int64_t now,
			 int (*fn)(void *ctx, const recam_forfeit *f), void *ctx, size_t *count);

#endif
