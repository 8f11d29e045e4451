/* review.h — the review queue: entries the judge left to a person, a
 * reviewer's corrections of what was read (kept beside the reader's own
 * reading, never over it), and the decision. Approval re-runs the
 * campaign's rules on the corrected reading and, for an instant-win
 * campaign, the lottery with its stock reservation, in the caller's
 * transaction; rejection names one of the tenant's reason templates.
 *
 * No claims: any reviewer may open any entry. A correction or decision
 * names the entry's version the reviewer loaded and bumps it, inside a
 * write transaction, so of two reviewers deciding one entry the second is
 * refused (RECAM_ECONFLICT, 409) and nothing is decided twice. */
#ifndef RECAM_REVIEW_H
#define RECAM_REVIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/str.h"
#include "store/db.h"

#define RECAM_REVIEW_NOTE_MAX 1000 /* characters */

/* Pending entries of the campaign. */
int recam_review_count(recam_db *db, const char *campaign_id, int64_t *count);

/* The pending entry of the campaign that follows `from` (an entry id of
 * the campaign, pending or not; NULL: the oldest) in oldest-first order,
 * or precedes it when backwards. *position is its 1-based place in the
 * queue. RECAM_ENOTFOUND when there is none. */
int recam_review_next(recam_db *db, const char *campaign_id, const char *from, bool backwards,
		      char id[RECAM_ID_LEN + 1], int64_t *position);

/* The tenant's campaigns for the staff screens: id, slug, title, status,
 * instant-win mode, the names of the target products and, with counts, the
 * entries pending review. */
int recam_review_campaigns(recam_db *db, bool counts, json_t **out);

/* The entry as staff see it: status, reason, version, the judgement
 * (summary, units, instant win), the review (by whom, template, note), and
 * per photo each correctable field as read, as corrected and in effect.
 * RECAM_ENOTFOUND when the tenant has no such entry. */
int recam_review_entry_json(recam_db *db, const char *entry_id, recam_lang lang, json_t **out);

/* Checks a corrections document {"receipts": [{"position": 0, "store": ...,
 * "date": "YYYY-MM-DD", "time": "HH:MM", "total": 1234, "phone": ...,
 * "registration_number": "T...", "items": [{name, quantity, amount}]}]}
 * (null for a field: back to the reading). Adds one message per faulty
 * field to fields, keyed "receipts.N.field"; true when there was none. */
bool recam_review_check_corrections(const json_t *corrections, recam_lang lang, json_t *fields);

typedef struct recam_review_decision {
	const char *actor;	   /* users.id */
	int64_t version;	   /* the entry's version the reviewer loaded */
	const json_t *corrections; /* NULL or checked by recam_review_check_corrections */
	bool approve;
	const char *template_code; /* a rejection's reason (an active template) */
	const char *note;	   /* may be NULL */
} recam_review_decision;

/* Both run inside the caller's write transaction and return RECAM_ENOTFOUND
 * (no such entry, or a photo position it does not have), RECAM_ECONFLICT
 * when the entry is no longer pending or its version moved on. */
int recam_review_correct(recam_db *db, const char *entry_id, const recam_review_decision *d);
/* Applies d's corrections, then approves or rejects. An approval that the
 * rules refuse on the corrected reading changes nothing: RECAM_ECONFLICT
 * with *refused set to the rules' reason. A rejection whose template does
 * not exist: RECAM_EINVAL. *result (may be NULL): the shopper's result. */
int recam_review_decide(recam_db *db, const char *entry_id, const recam_review_decision *d, const char **refused,
			json_t **result);

/* Rejection templates, in their order; inactive ones too when all. */
int recam_review_templates(recam_db *db, bool all, json_t **out);
/* Creates (version 0) or updates (the version loaded) a template from
 * {label_ja, label_en, message_ja, message_en, position, active}.
 * RECAM_EINVAL with *fields, RECAM_ECONFLICT when stale or already there. */
int recam_review_template_save(recam_db *db, const char *code, const json_t *in, int64_t version, recam_lang lang,
			       json_t **fields);

#endif
