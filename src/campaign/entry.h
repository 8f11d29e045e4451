/* entry.h — a shopper's entry: created durable with its photos when the
 * upload ends, judged by a job (reader → rules → duplicates and caps →
 * instant win), and shown back to the shopper. */
#ifndef RECAM_ENTRY_H
#define RECAM_ENTRY_H

#include <jansson.h>
#include <stdbool.h>

#include "campaign/campaign.h"
#include "core/crypto.h"
#include "store/store.h"

struct recam_reader_pool;

#define RECAM_ENTRY_MAX_IMAGES 10

struct recam_entry_image {
	char blob_id[RECAM_ID_LEN + 1];
	char sha256[65];
};

/* Records the entry and its images in one transaction, status "queued".
 * With an idempotency key already used by this participant in this
 * campaign, *existing is set and id names the first entry instead.
 * RECAM_ELIMIT with *reason set when a cap is already reached. */
int recam_entry_create(recam_db *db, const recam_campaign *c, const char *participant_id, const char *idem_key,
		       const struct recam_entry_image *images, int nimages, int64_t now, char id[RECAM_ID_LEN + 1],
		       bool *existing, const char **reason);

/* The entry as its shopper sees it (status, reason and message, what was
 * read, the instant-win result). RECAM_ENOTFOUND when it is not theirs. */
int recam_entry_view(recam_db *db, const char *campaign_id, const char *entry_id, const char *participant_id,
		     recam_lang lang, json_t **out);

/* Sets what the "entry.judge" job needs and registers it. The reader pool
 * must have been forked before any thread started. */
int recam_entry_jobs_init(const recam_key *master, struct recam_reader_pool *pool);
/* Queues a judgement for every entry of the tenant left unjudged without a
 * pending job (a crash between commit and enqueue): no entry is lost. */
int recam_entry_requeue(recam_store *s, const char *tenant_id, int *requeued);
/* Judges one entry now (what the job runs). */
int recam_entry_judge(recam_store *s, const char *tenant_id, const char *entry_id);

/* For the review queue, inside the caller's transaction: claims each
 * receipt's fingerprint for the entry (*used when another entry of the
 * campaign holds one), and runs the instant win with its stock reservation
 * exactly as the judging job does (*result: {"won": ...} or NULL when the
 * campaign has no instant win). */
int recam_entry_claim_receipts(recam_db *db, const char *campaign_id, const char *entry_id, const json_t *receipts,
			       bool *used);
int recam_entry_instant_win(recam_db *db, const recam_campaign *c, const char *entry_id, const char *participant_id,
			    int64_t now, json_t **result);

#endif
