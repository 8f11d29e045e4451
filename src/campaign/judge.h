/* judge.h — a campaign's rules applied to what the reader read: accepted,
 * rejected with a reason a shopper understands, or sent to a person for
 * review when the reader is not sure enough. Pure: no database, no clock;
 * duplicates and caps, which need the database, are the entry's business. */
#ifndef RECAM_JUDGE_H
#define RECAM_JUDGE_H

#include <jansson.h>

#include "campaign/campaign.h"

enum recam_verdict { RECAM_ACCEPTED, RECAM_REJECTED, RECAM_REVIEW };

typedef struct recam_judgement {
	enum recam_verdict verdict;
	const char *reason;	/* snake_case; NULL when accepted */
	int64_t units;		/* 口数 earned when accepted */
	int64_t target_quantity;
	int64_t target_amount;
	int64_t total_amount;
	double confidence;	/* the weakest reading the verdict rests on */
	json_t *summary;	/* what the shopper is shown: store, date, products found, amounts */
} recam_judgement;

/* receipts: one reader JSON object per photo (or {"error":...}). now: the
 * judging moment (unix seconds); a purchase date after its Tokyo day sends
 * the entry to review (purchase_date_in_future). recam_judge skips that
 * check (now unknown). */
int recam_judge_at(const recam_rules *rules, const json_t *receipts, int64_t now, recam_judgement *out);
int recam_judge(const recam_rules *rules, const json_t *receipts, recam_judgement *out);
void recam_judgement_free(recam_judgement *j);

/* A shopper's explanation of a reason, with what to do about it. */
const char *recam_reason_message(const char *reason, recam_lang lang);
/* A short label of a reason for staff screens; the code itself when unknown. */
const char *recam_reason_label(const char *reason, recam_lang lang);
/* A receipt's identity for "already used": store phone or registration
 * number, date, time, total and receipt number. NULL when too little was
 * read with confidence to tell receipts apart. Caller frees. */
char *recam_receipt_fingerprint(const json_t *receipt);

#endif
