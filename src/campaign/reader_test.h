/* reader_test.h — "test the reader": staff send sample receipt photos for a
 * campaign and see what the reader read (fields with confidences, lines
 * with their boxes, the target products matched) and how the campaign's
 * rules judge it. It is no entry: no participant, no duplicate or cap check,
 * no stock and no lottery. The photos are read by the same sandboxed reader
 * processes as entries, in a job (never on an HTTP thread), and deleted once
 * read; the result is kept for a day so the screen can fetch it. */
#ifndef RECAM_READER_TEST_H
#define RECAM_READER_TEST_H

#include <jansson.h>
#include <stdbool.h>

#include "campaign/entry.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/str.h"
#include "store/store.h"

struct recam_reader_pool;

#define RECAM_READER_TEST_MAX_IMAGES 10
#define RECAM_READER_TEST_KEEP_SECONDS 86400

/* Registers the "reader.test" job with the reader pool the server forked. */
int recam_reader_test_jobs_init(const recam_key *master, struct recam_reader_pool *pool);
/* Whether this process reads receipts (reader_workers > 0). */
bool recam_reader_test_available(void);

/* Inside the caller's transaction: records a test of the photos (blob ids
 * already stored) and prunes tests older than a day. The caller queues the
 * job after commit with recam_reader_test_enqueue. */
int recam_reader_test_create(recam_db *db, const char *tenant_dir, const char *campaign_id, const char *user_id,
			     const struct recam_entry_image *photos, int n, int64_t now, char id[RECAM_ID_LEN + 1]);
/* Queues the job; when that fails the test is marked failed. */
int recam_reader_test_enqueue(recam_store *s, recam_db *db, const char *tenant_id, const char *id);
/* {id, status, created_at, result?}: RECAM_ENOTFOUND unless the test
 * belongs to campaign_id. */
int recam_reader_test_view(recam_db *db, const char *campaign_id, const char *id, recam_lang lang, json_t **out);
/* Reads and judges one test (what the job runs). */
int recam_reader_test_run(recam_store *s, const char *tenant_id, const char *id);

#endif
