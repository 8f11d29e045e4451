/* campaign.h — a campaign: its definition in recam's JSON format (the same
 * document `recam campaign import|export` reads and writes), validated
 * into typed rules the judge uses, and stored in the tenant's database. */
#ifndef RECAM_CAMPAIGN_H
#define RECAM_CAMPAIGN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/str.h"
#include "store/db.h"

#define RECAM_CAMPAIGN_MAX_PRODUCTS 200
#define RECAM_CAMPAIGN_MAX_PRIZES 20
#define RECAM_CAMPAIGN_MAX_STORES 200

struct recam_product_rule {
	const char *name;
	const char *const *aliases; /* receipt spellings */
	int naliases;
	const char *jan;	    /* may be NULL */
	int64_t unit_price;	    /* 0 when not given */
};

struct recam_store_rule {
	const char *name;  /* may be NULL */
	const char *phone; /* digits only, may be NULL */
};

struct recam_prize_rule {
	const char *code;
	const char *name;
	int64_t value;
	int64_t stock;
	int64_t units_cost;      /* 口数 one chance costs */
	int64_t probability_ppm; /* instant win, probability mode */
};

enum recam_amount_basis { RECAM_AMOUNT_TARGET, RECAM_AMOUNT_TOTAL };
enum recam_instant_mode { RECAM_INSTANT_NONE, RECAM_INSTANT_PROBABILITY, RECAM_INSTANT_FIXED };
enum recam_draw_mode { RECAM_DRAW_NONE, RECAM_DRAW_UNIFORM, RECAM_DRAW_WEIGHTED };

/* The typed view of a definition; strings point into the JSON document,
 * which must outlive it. */
typedef struct recam_rules {
	int64_t entry_start, entry_end;	      /* unix seconds, [start, end) */
	int64_t purchase_first, purchase_last; /* Tokyo day numbers, inclusive */
	struct recam_product_rule products[RECAM_CAMPAIGN_MAX_PRODUCTS];
	int nproducts;
	struct recam_store_rule stores[RECAM_CAMPAIGN_MAX_STORES];
	int nstores;
	struct recam_prize_rule prizes[RECAM_CAMPAIGN_MAX_PRIZES];
	int nprizes;
	int64_t min_quantity;
	int64_t min_amount;
	enum recam_amount_basis amount_basis;
	int64_t receipts_min, receipts_max;
	int64_t yen_per_unit;	/* 口数: one per this many yen of the basis; 0 = one per entry */
	int64_t cap_per_day;	/* entries per participant per campaign day; 0 = none */
	int64_t cap_total;	/* entries per participant; 0 = none */
	bool one_win;
	double review_threshold; /* below this reader confidence: review */
	enum recam_instant_mode instant;
	enum recam_draw_mode draw;
	int64_t claim_days;	 /* days a winner has to send delivery details */
} recam_rules;

/* Validates a definition. On RECAM_EINVAL, *fields (if not NULL) holds one
 * message per faulty field, keyed by its JSON path, in lang. */
int recam_campaign_parse(json_t *def, recam_lang lang, recam_rules *rules, json_t **fields);
/* Frees what recam_campaign_parse allocated in rules. */
void recam_rules_free(recam_rules *rules);

typedef struct recam_campaign {
	char id[RECAM_ID_LEN + 1];
	char slug[64];
	char status[16];
	int64_t version;
	json_t *def; /* owned */
	recam_rules rules;
} recam_campaign;

/* Creates or replaces (by slug) the campaign; expected_version 0 skips the
 * stale-save check. Prize stock is the definition's stock less what was won. */
int recam_campaign_save(recam_db *db, json_t *def, int64_t expected_version, char id[RECAM_ID_LEN + 1]);
/* A definition ready to store: its parsed rules, its text and the columns
 * taken from it (status "draft" when it names none; now in RFC 3339). */
typedef struct recam_campaign_row {
	recam_rules rules;
	char *text;
	const char *slug, *title, *status; /* point into the definition */
	char now[32];
} recam_campaign_row;
int recam_campaign_row_init(json_t *def, recam_campaign_row *row);
void recam_campaign_row_free(recam_campaign_row *row);
/* Inserts row as the new campaign id. */
int recam_campaign_row_insert(recam_db *db, const char *id, const recam_campaign_row *row);
/* Inserts or updates the prize courses of rules (stock less what was won);
 * courses no longer in rules are left to the caller. */
int recam_campaign_save_prizes(recam_db *db, const char *campaign_id, const recam_rules *r);
int recam_campaign_load(recam_db *db, const char *slug, recam_campaign *out);
int recam_campaign_load_by_id(recam_db *db, const char *id, recam_campaign *out);
void recam_campaign_free(recam_campaign *c);
/* The name of prize course code, or code itself when the definition has no such course. */
const char *recam_campaign_prize_name(const recam_campaign *c, const char *code);
/* What a shopper's page shows: no internal fields, prizes without stock counts. */
json_t *recam_campaign_public(const recam_campaign *c, int64_t now);
/* Open for entries now: published and inside the entry period. */
bool recam_campaign_open(const recam_campaign *c, int64_t now);

#endif
