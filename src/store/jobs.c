/* jobs.c — durable queue with leases, retries and worker threads. */
#include "jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"

#define JOB_LEASE_SECONDS 300
#define MAX_KINDS 32

static struct {
	char kind[48];
	recam_job_fn fn;
} kinds[MAX_KINDS];
static int nkinds;

int recam_jobs_register(const char *kind, recam_job_fn fn)
{
	for (int i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0) {
			kinds[i].fn = fn;
			return 0;
		}
	if (nkinds == MAX_KINDS || recam_strlcpy(kinds[nkinds].kind, kind, sizeof(kinds[nkinds].kind)) != 0)
		return RECAM_ETOOBIG;
	kinds[nkinds++].fn = fn;
	return 0;
}

static recam_job_fn find_kind(const char *kind)
{
	for (int i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].fn;
	return NULL;
}

int recam_jobs_enqueue(recam_store *s, const char *tenant_id, const char *kind, json_t *payload,
		       int64_t delay_seconds, char id[RECAM_ID_LEN + 1])
{
	char *text = json_dumps(payload, JSON_COMPACT);
	if (text == NULL)
		return RECAM_EINVAL;
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0) {
		free(text);
		return rc;
	}
	char now[32];
	recam_clock_format_rfc3339(recam_clock_now(), now, sizeof(now));
	recam_random_id(id);
	rc = recam_db_exec(db,
			   "INSERT INTO jobs(id, tenant_id, kind, payload, run_after, created_at, updated_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?)",
			   RECAM_DB_ARGS(DBV_TEXT(id), tenant_id ? DBV_TEXT(tenant_id) : DBV_NULL, DBV_TEXT(kind),
					 DBV_TEXT(text), DBV_INT(recam_clock_now() + delay_seconds), DBV_TEXT(now),
					 DBV_TEXT(now)));
	recam_db_release(db);
	free(text);
	return rc;
}

struct claimed {
	char id[RECAM_ID_LEN + 1];
	char tenant_id[RECAM_ID_LEN + 1];
	char kind[48];
	char *payload;
	int attempts, max_attempts;
};

static int read_claim(void *ctx, const recam_dbrow *row)
{
	struct claimed *c = ctx;
	size_t n;
	const char *p = recam_dbrow_text(row, 3, &n);
	c->payload = strndup(p ? p : "{}", n);
	c->attempts = (int)recam_dbrow_int(row, 4);
	c->max_attempts = (int)recam_dbrow_int(row, 5);
	int rc = recam_dbrow_copy_text(row, 0, c->id, sizeof(c->id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 1, c->tenant_id, sizeof(c->tenant_id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 2, c->kind, sizeof(c->kind));
	return c->payload ? rc : RECAM_ENOMEM;
}

/* One transaction picks the oldest ready job (or one whose lease ran out)
 * and leases it, so two workers never run the same job at once. */
static int claim(recam_db *db, struct claimed *c)
{
	int64_t now = recam_clock_now();
	char ts[32];
	recam_clock_format_rfc3339(now, ts, sizeof(ts));
	int rc = recam_db_begin(db);
	if (rc != 0)
		return rc;
	/* A lease that ran out on the last attempt means the job stopped its
	 * worker every time (a crash, the OOM killer): it fails rather than
	 * being claimed forever. */
	rc = recam_db_exec(db,
			   "UPDATE jobs SET state = 'failed', locked_until = NULL, updated_at = ?,"
			   " last_error = 'its worker stopped before it finished, on every attempt'"
			   " WHERE state = 'running' AND locked_until < ? AND attempts >= max_attempts",
			   RECAM_DB_ARGS(DBV_TEXT(ts), DBV_INT(now)));
	if (rc == 0)
		rc = recam_db_query_one(db,
					"SELECT id, coalesce(tenant_id, ''), kind, payload, attempts, max_attempts FROM jobs"
					" WHERE (state = 'queued' AND run_after <= ?) OR (state = 'running' AND locked_until < ?)"
					" ORDER BY run_after LIMIT 1",
					RECAM_DB_ARGS(DBV_INT(now), DBV_INT(now)), read_claim, c);
	if (rc == 0) {
		rc = recam_db_exec(db,
				   "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ?,"
				   " updated_at = ? WHERE id = ?",
				   RECAM_DB_ARGS(DBV_INT(now + JOB_LEASE_SECONDS), DBV_TEXT(ts), DBV_TEXT(c->id)));
		c->attempts++;
	}
	if (rc == 0 || rc == RECAM_ENOTFOUND) {
		/* Also with nothing to run: the jobs just failed above stay failed. */
		int crc = recam_db_commit(db);
		if (crc != 0)
			rc = crc;
	} else {
		recam_db_rollback(db);
	}
	return rc;
}

static int finish(recam_db *db, const struct claimed *c, int result, const char *why)
{
	int64_t now = recam_clock_now();
	char ts[32];
	recam_clock_format_rfc3339(now, ts, sizeof(ts));
	if (result == 0)
		return recam_db_exec(db, "UPDATE jobs SET state = 'done', locked_until = NULL, last_error = NULL,"
					 " updated_at = ? WHERE id = ?",
				     RECAM_DB_ARGS(DBV_TEXT(ts), DBV_TEXT(c->id)));
	bool final = c->attempts >= c->max_attempts;
	/* 10 s, 40 s, 160 s ... between attempts, at most an hour. */
	int64_t backoff = 10;
	for (int i = 1; i < c->attempts && backoff < 3600; i++)
		backoff *= 4;
	if (backoff > 3600)
		backoff = 3600;
	return recam_db_exec(db,
			     "UPDATE jobs SET state = ?, run_after = ?, locked_until = NULL, last_error = ?,"
			     " updated_at = ? WHERE id = ?",
			     RECAM_DB_ARGS(DBV_TEXT(final ? "failed" : "queued"), DBV_INT(now + backoff), DBV_TEXT(why),
					   DBV_TEXT(ts), DBV_TEXT(c->id)));
}

int recam_jobs_run_one(recam_store *s, bool *ran)
{
	*ran = false;
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0)
		return rc;
	struct claimed c = {0};
	rc = claim(db, &c);
	if (rc == RECAM_ENOTFOUND) {
		recam_db_release(db);
		return 0;
	}
	if (rc != 0) {
		recam_db_release(db);
		free(c.payload);
		return rc;
	}
	recam_job_fn fn = find_kind(c.kind);
	if (fn == NULL) {
		/* Another process (one with readers, say) runs this kind: give the
		 * lease back without spending an attempt. */
		rc = recam_db_exec(db, "UPDATE jobs SET state = 'queued', attempts = attempts - 1, locked_until = NULL,"
				       " run_after = ? WHERE id = ?",
				   RECAM_DB_ARGS(DBV_INT(recam_clock_now() + 30), DBV_TEXT(c.id)));
		recam_db_release(db);
		free(c.payload);
		return rc;
	}
	/* The connection is not held while the job runs: jobs may take seconds. */
	recam_db_release(db);
	*ran = true;
	char why[256] = "";
	int result;
	json_error_t je;
	json_t *payload = json_loads(c.payload, 0, &je);
	if (payload == NULL) {
		snprintf(why, sizeof(why), "payload is not JSON");
		result = RECAM_EJSON;
	} else {
		result = fn(s, c.tenant_id[0] ? c.tenant_id : NULL, payload, why, sizeof(why));
		if (result != 0 && why[0] == '\0')
			snprintf(why, sizeof(why), "%s", recam_err_code(result));
	}
	json_decref(payload);
	if (result != 0)
		recam_warn("job %s (%s) attempt %d failed: %s", c.id, c.kind, c.attempts, why);
	if ((rc = recam_store_control(s, &db)) == 0) {
		rc = finish(db, &c, result, why);
		recam_db_release(db);
	}
	free(c.payload);
	return rc;
}

static int count_row(void *ctx, const recam_dbrow *row)
{
	*(int64_t *)ctx = recam_dbrow_int(row, 0);
	return 0;
}

int recam_jobs_queued(recam_store *s, int64_t *n)
{
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0)
		return rc;
	*n = 0;
	rc = recam_db_query(db, "SELECT count(*) FROM jobs WHERE state = 'queued'", RECAM_DB_NOARGS, count_row, n);
	recam_db_release(db);
	return rc < 0 ? rc : 0;
}

struct state_ctx {
	char *state;
	int *attempts;
};

static int state_row(void *ctx, const recam_dbrow *row)
{
	struct state_ctx *c = ctx;
	*c->attempts = (int)recam_dbrow_int(row, 1);
	return recam_dbrow_copy_text(row, 0, c->state, 16);
}

int recam_jobs_state(recam_store *s, const char *id, char state[16], int *attempts)
{
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0)
		return rc;
	struct state_ctx c = {state, attempts};
	rc = recam_db_query_one(db, "SELECT state, attempts FROM jobs WHERE id = ?", RECAM_DB_ARGS(DBV_TEXT(id)),
				state_row, &c);
	recam_db_release(db);
	return rc;
}

struct recam_workers {
	recam_store *store;
	_Atomic int *running;
	_Atomic bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
	pthread_t threads[];
};

static void *worker_main(void *arg)
{
	recam_workers *w = arg;
	atomic_fetch_add(w->running, 1);
	while (!atomic_load(&w->stop)) {
		bool ran = false;
		if (recam_jobs_run_one(w->store, &ran) != 0)
			ran = false;
		if (ran)
			continue;
		/* Idle: poll again in a moment, or at once when stopped. */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&w->mu);
		if (!atomic_load(&w->stop))
			pthread_cond_timedwait(&w->cv, &w->mu, &until);
		pthread_mutex_unlock(&w->mu);
	}
	atomic_fetch_sub(w->running, 1);
	return NULL;
}

int recam_workers_start(recam_store *s, int n, _Atomic int *running, recam_workers **out)
{
	recam_workers *w = calloc(1, sizeof(*w) + (size_t)n * sizeof(pthread_t));
	if (w == NULL)
		return RECAM_ENOMEM;
	w->store = s;
	w->running = running;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	for (; w->n < n; w->n++)
		if (pthread_create(&w->threads[w->n], NULL, worker_main, w) != 0) {
			recam_workers_stop(w);
			return RECAM_ENOMEM;
		}
	*out = w;
	return 0;
}

void recam_workers_stop(recam_workers *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	atomic_store(&w->stop, true);
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	for (int i = 0; i < w->n; i++)
		pthread_join(w->threads[i], NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
