/* test_jobs.c — the durable job queue: a job runs once, failures are
 * retried with back-off and end failed, an expired lease is claimed again,
 * and workers share the queue without running a job twice. Time moves
 * through the clock offset, never by sleeping. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "account/tenant.h"
#include "core/error.h"
#include "core/log.h"
#include "store/jobs.h"
#include "unit_helpers.h"

static char dir[64];
static recam_store *store;
static recam_config cfg;

/* 2030-01-01T00:00:00Z: a whole second, so "now + n" is exact. */
#define T0 1893456000000LL

static void at(int64_t seconds) { ut_clock_set(T0 + seconds * 1000); }

/* The clock at a unix second. Checks that something is not due yet look a
 * few seconds early, so a stalled, loaded machine cannot make them flaky. */
static void at_unix(int64_t unix_s) { ut_clock_set(unix_s * 1000); }
#define MARGIN 3

static int times_row(void *ctx, const recam_dbrow *row)
{
	int64_t *t = ctx;
	t[0] = recam_dbrow_int(row, 0);
	t[1] = recam_dbrow_is_null(row, 1) ? -1 : recam_dbrow_int(row, 1);
	return 0;
}

/* run_after and locked_until (-1 when NULL) of a job, in unix seconds. */
static void job_times(const char *id, int64_t *run_after, int64_t *locked_until)
{
	recam_db *db;
	cr_assert_eq(recam_store_control(store, &db), 0);
	int64_t t[2] = {0, 0};
	cr_assert_eq(recam_db_query_one(db, "SELECT run_after, locked_until FROM jobs WHERE id = ?",
					RECAM_DB_ARGS(DBV_TEXT(id)), times_row, t),
		     0);
	recam_db_release(db);
	if (run_after)
		*run_after = t[0];
	if (locked_until)
		*locked_until = t[1];
}

static void setup(void)
{
	recam_log_set_level((enum recam_log_level)(RECAM_LOG_ERROR + 1));
	cr_assert_eq(recam_crypto_init(), 0);
	ut_mkdtemp(dir);
	ut_config(&cfg, dir);
	cr_assert_eq(recam_store_open(&cfg, &store), 0);
	at(0);
}

static void teardown(void)
{
	recam_store_close(store);
	ut_clock_reset();
	ut_rmtree(dir);
}

TestSuite(jobs, .init = setup, .fini = teardown);

static atomic_int calls;
static char seen_tenant[64];
static json_int_t seen_n;
static bool crash_now;

static int ok_handler(recam_store *s, const char *tenant_id, json_t *payload, char *why, size_t whylen)
{
	(void)s;
	(void)why;
	(void)whylen;
	if (crash_now)
		_exit(3); /* a worker dying in the middle of the job */
	atomic_fetch_add(&calls, 1);
	snprintf(seen_tenant, sizeof(seen_tenant), "%s", tenant_id ? tenant_id : "(null)");
	seen_n = json_integer_value(json_object_get(payload, "n"));
	return 0;
}

static int failing_handler(recam_store *s, const char *tenant_id, json_t *payload, char *why, size_t whylen)
{
	(void)s;
	(void)tenant_id;
	(void)payload;
	atomic_fetch_add(&calls, 1);
	snprintf(why, whylen, "mail server said no");
	return RECAM_EBUSY;
}

static void enqueue(const char *kind, int n, int64_t delay, char id[RECAM_ID_LEN + 1])
{
	json_t *p = json_pack("{s:i}", "n", n);
	cr_assert_eq(recam_jobs_enqueue(store, NULL, kind, p, delay, id), 0);
	json_decref(p);
}

static bool run_one(void)
{
	bool ran = true;
	cr_assert_eq(recam_jobs_run_one(store, &ran), 0);
	return ran;
}

static void expect_state(const char *id, const char *state, int attempts)
{
	char st[16];
	int a = -1;
	cr_assert_eq(recam_jobs_state(store, id, st, &a), 0);
	cr_assert_str_eq(st, state);
	cr_assert_eq(a, attempts, "attempts %d, expected %d", a, attempts);
}

Test(jobs, a_job_runs_once_with_its_payload)
{
	cr_assert_eq(recam_jobs_register("test.ok", ok_handler), 0);
	char id[RECAM_ID_LEN + 1];
	enqueue("test.ok", 42, 0, id);
	cr_assert_eq(strlen(id), RECAM_ID_LEN);
	int64_t q = -1;
	cr_assert_eq(recam_jobs_queued(store, &q), 0);
	cr_assert_eq(q, 1);
	expect_state(id, "queued", 0);
	cr_assert(run_one());
	cr_assert_eq(atomic_load(&calls), 1);
	cr_assert_eq(seen_n, 42);
	cr_assert_str_eq(seen_tenant, "(null)");
	expect_state(id, "done", 1);
	cr_assert_not(run_one(), "a done job ran again");
	at(86400);
	cr_assert_not(run_one());
	cr_assert_eq(atomic_load(&calls), 1);
	cr_assert_eq(recam_jobs_queued(store, &q), 0);
	cr_assert_eq(q, 0);
}

Test(jobs, an_empty_queue_runs_nothing)
{
	cr_assert_not(run_one());
	char st[16];
	int a;
	cr_assert_eq(recam_jobs_state(store, "nosuchjob", st, &a), RECAM_ENOTFOUND);
}

Test(jobs, a_tenant_job_gets_its_tenant_id)
{
	recam_key master;
	recam_key_generate(&master);
	recam_tenant t;
	cr_assert_eq(recam_tenant_create(store, &master, "shop", "Shop", &t), 0);
	cr_assert_eq(recam_jobs_register("test.ok", ok_handler), 0);
	json_t *p = json_pack("{s:i}", "n", 7);
	char id[RECAM_ID_LEN + 1];
	cr_assert_eq(recam_jobs_enqueue(store, t.id, "test.ok", p, 0, id), 0);
	json_decref(p);
	cr_assert(run_one());
	cr_assert_str_eq(seen_tenant, t.id);
}

Test(jobs, a_delayed_job_waits_for_its_time)
{
	cr_assert_eq(recam_jobs_register("test.ok", ok_handler), 0);
	char id[RECAM_ID_LEN + 1];
	int64_t before = recam_clock_now();
	enqueue("test.ok", 1, 60, id);
	int64_t after = recam_clock_now(), due;
	job_times(id, &due, NULL);
	cr_assert(due >= before + 60 && due <= after + 60, "due %lld, enqueued in [%lld, %lld]", (long long)due,
		  (long long)before, (long long)after);
	cr_assert_not(run_one());
	at_unix(due - MARGIN);
	cr_assert_not(run_one());
	at_unix(due);
	cr_assert(run_one());
	expect_state(id, "done", 1);
}

Test(jobs, jobs_run_oldest_first)
{
	cr_assert_eq(recam_jobs_register("test.ok", ok_handler), 0);
	char a[RECAM_ID_LEN + 1], b[RECAM_ID_LEN + 1];
	enqueue("test.ok", 1, 5, a);
	enqueue("test.ok", 2, 0, b);
	at(10);
	cr_assert(run_one());
	cr_assert_eq(seen_n, 2, "the job due first runs first");
	cr_assert(run_one());
	cr_assert_eq(seen_n, 1);
}

Test(jobs, a_failing_job_is_retried_with_back_off_then_fails)
{
	cr_assert_eq(recam_jobs_register("test.fail", failing_handler), 0);
	char id[RECAM_ID_LEN + 1];
	enqueue("test.fail", 0, 0, id);
	/* Attempt 1 fails: the next is due 10 s after the failure. */
	int64_t before = recam_clock_now();
	cr_assert(run_one());
	int64_t after = recam_clock_now(), due;
	expect_state(id, "queued", 1);
	job_times(id, &due, NULL);
	cr_assert(due >= before + 10 && due <= after + 10, "first back-off is not 10 s");
	cr_assert_not(run_one(), "retried without back-off");
	at_unix(due - MARGIN);
	cr_assert_not(run_one(), "retried before the back-off ran out");
	/* Attempt 2 fails: the wait grows to 40 s. */
	at_unix(due);
	before = recam_clock_now();
	cr_assert(run_one());
	after = recam_clock_now();
	expect_state(id, "queued", 2);
	job_times(id, &due, NULL);
	cr_assert(due >= before + 40 && due <= after + 40, "second back-off is not 40 s");
	at_unix(due - MARGIN);
	cr_assert_not(run_one(), "the back-off did not grow");
	at_unix(due);
	cr_assert(run_one());
	/* max_attempts (3) reached: failed for good. */
	expect_state(id, "failed", 3);
	at(86400);
	cr_assert_not(run_one(), "a failed job ran again");
	cr_assert_eq(atomic_load(&calls), 3);
	int64_t q = -1;
	cr_assert_eq(recam_jobs_queued(store, &q), 0);
	cr_assert_eq(q, 0);
}

Test(jobs, a_job_without_a_handler_is_not_lost)
{
	char id[RECAM_ID_LEN + 1];
	enqueue("test.nobody", 0, 0, id);
	/* Another process may run this kind: this one hands it back untouched. */
	cr_assert_not(run_one(), "a job with no handler here counted as run");
	expect_state(id, "queued", 0);
	/* Once a process that knows the kind comes along, it runs. */
	cr_assert_eq(recam_jobs_register("test.nobody", ok_handler), 0);
	at(3600);
	cr_assert(run_one());
	expect_state(id, "done", 1);
	cr_assert_eq(atomic_load(&calls), 1);
}

/* Runs one job in a child process whose handler dies half-way, as a worker
 * killed by the OOM killer or a crash in a decoder would. */
static void run_one_and_crash(void)
{
	recam_store_close(store);
	store = NULL;
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		recam_store *s;
		if (recam_store_open(&cfg, &s) != 0)
			_exit(10);
		crash_now = true;
		bool ran;
		recam_jobs_run_one(s, &ran);
		_exit(11); /* the handler should have died first */
	}
	int status = 0;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 3, "the child did not die in the handler (%d)", WEXITSTATUS(status));
	cr_assert_eq(recam_store_open(&cfg, &store), 0);
}

Test(jobs, a_job_whose_lease_expired_is_claimed_again)
{
	cr_assert_eq(recam_jobs_register("test.ok", ok_handler), 0);
	char id[RECAM_ID_LEN + 1];
	enqueue("test.ok", 5, 0, id);
	int64_t before = recam_clock_now();
	run_one_and_crash();
	int64_t after = recam_clock_now(), lease_end;
	expect_state(id, "running", 1);
	job_times(id, NULL, &lease_end);
	cr_assert(lease_end >= before + 300 && lease_end <= after + 300, "the lease is not 300 s");
	/* The lease still holds: nobody else takes the job. */
	at_unix(lease_end - MARGIN);
	cr_assert_not(run_one(), "a leased job was taken by a second worker");
	at_unix(lease_end + 1);
	cr_assert(run_one(), "the job of a dead worker was never claimed again");
	cr_assert_eq(atomic_load(&calls), 1);
	expect_state(id, "done", 2);
}

Test(jobs, a_job_that_kills_every_worker_ends_failed)
{
	/* A poison job (an image that crashes the reader, say) must not be
	 * claimed forever: each lost lease is an attempt too. */
	cr_assert_eq(recam_jobs_register("test.ok", ok_handler), 0);
	char id[RECAM_ID_LEN + 1];
	enqueue("test.ok", 5, 0, id);
	for (int i = 1; i <= 3; i++) {
		run_one_and_crash();
		expect_state(id, "running", i);
		int64_t lease_end;
		job_times(id, NULL, &lease_end);
		at_unix(lease_end + 1);
	}
	cr_assert_not(run_one(), "a job that used up its attempts ran again");
	expect_state(id, "failed", 3);
	cr_assert_eq(atomic_load(&calls), 0);
}

struct racer {
	pthread_barrier_t *start;
	int ran;
	int rc;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	pthread_barrier_wait(r->start);
	bool ran = false;
	r->rc = recam_jobs_run_one(store, &ran);
	r->ran = ran;
	return NULL;
}

Test(jobs, two_workers_never_run_the_same_job)
{
	cr_assert_eq(recam_jobs_register("test.ok", ok_handler), 0);
	char id[RECAM_ID_LEN + 1];
	enqueue("test.ok", 1, 0, id);
	pthread_barrier_t b;
	pthread_barrier_init(&b, NULL, 4);
	pthread_t th[4];
	struct racer r[4];
	for (int i = 0; i < 4; i++) {
		r[i] = (struct racer){&b, 0, 0};
		pthread_create(&th[i], NULL, race, &r[i]);
	}
	int ran = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(r[i].rc, 0);
		ran += r[i].ran;
	}
	pthread_barrier_destroy(&b);
	cr_assert_eq(ran, 1);
	cr_assert_eq(atomic_load(&calls), 1);
	expect_state(id, "done", 1);
}

Test(jobs, worker_threads_drain_the_queue)
{
	ut_clock_reset(); /* workers poll with the real clock */
	cr_assert_eq(recam_jobs_register("test.ok", ok_handler), 0);
	char ids[6][RECAM_ID_LEN + 1];
	for (int i = 0; i < 6; i++)
		enqueue("test.ok", i, 0, ids[i]);
	_Atomic int running = 0;
	recam_workers *w;
	cr_assert_eq(recam_workers_start(store, 2, &running, &w), 0);
	int64_t q = 1;
	for (int i = 0; i < 3000 && (q > 0 || atomic_load(&calls) < 6 || atomic_load(&running) < 2); i++) {
		usleep(10000);
		cr_assert_eq(recam_jobs_queued(store, &q), 0);
	}
	cr_assert_eq(atomic_load(&running), 2, "both workers run");
	recam_workers_stop(w);
	cr_assert_eq(atomic_load(&running), 0);
	cr_assert_eq(atomic_load(&calls), 6);
	for (int i = 0; i < 6; i++)
		expect_state(ids[i], "done", 1);
}

Test(jobs, registering_a_kind_again_replaces_its_handler)
{
	cr_assert_eq(recam_jobs_register("test.x", failing_handler), 0);
	cr_assert_eq(recam_jobs_register("test.x", ok_handler), 0);
	char id[RECAM_ID_LEN + 1];
	enqueue("test.x", 3, 0, id);
	cr_assert(run_one());
	expect_state(id, "done", 1);
	char longname[100];
	memset(longname, 'k', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(recam_jobs_register(longname, ok_handler), RECAM_ETOOBIG);
}
