/* jobs.h — the durable job queue (in the control database) and the worker
 * threads that run it. Blocking work — reading receipts, mail, webhooks —
 * goes here, off the request path. A job is claimed with a lease; a worker
 * that dies leaves it to be claimed again when the lease runs out. Failed
 * attempts are retried with exponential back-off up to max_attempts. */
#ifndef RECAM_JOBS_H
#define RECAM_JOBS_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/str.h"
#include "store/store.h"

/* Runs one job. Returns 0 when done, an error to retry later (message in why). */
typedef int (*recam_job_fn)(recam_store *s, const char *tenant_id, json_t *payload, char *why, size_t whylen);

/* Registers a handler for a kind (at start-up, before workers run). */
int recam_jobs_register(const char *kind, recam_job_fn fn);

int recam_jobs_enqueue(recam_store *s, const char *tenant_id, const char *kind, json_t *payload,
		       int64_t delay_seconds, char id[RECAM_ID_LEN + 1]);
/* Claims and runs at most one ready job; *ran tells whether one ran. */
int recam_jobs_run_one(recam_store *s, bool *ran);
int recam_jobs_queued(recam_store *s, int64_t *n);
/* state of a job: "queued", "running", "done", "failed"; attempts made. */
int recam_jobs_state(recam_store *s, const char *id, char state[16], int *attempts);

typedef struct recam_workers recam_workers;
/* Starts n threads polling the queue; *running counts the live ones. */
int recam_workers_start(recam_store *s, int n, _Atomic int *running, recam_workers **out);
void recam_workers_stop(recam_workers *w);

#endif
