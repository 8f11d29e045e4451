/* The reader worker pool: hostile input fails cleanly in the worker, an
 * image over the time limit kills the worker, which is replaced, and the
 * pool keeps serving. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "receipt/reader.h"

static recam_reader_pool *pool;

static void setup(void)
{
	recam_reader_limits lim;
	recam_reader_limits_default(&lim);
	lim.timeout_ms = 400;
	/* workers execute the recam binary (`recam reader-worker`), not this one */
	const char *bin = getenv("RECAM_BIN");
	snprintf(lim.worker_exe, sizeof(lim.worker_exe), "%s", bin ? bin : "build/asan/recam");
	cr_assert_eq(recam_reader_pool_new(1, &lim, &pool), 0);
}

static void teardown(void) { recam_reader_pool_free(pool); }

TestSuite(receipt_pool, .init = setup, .fini = teardown, .timeout = 60);

/* Noise is slow to recognize: enough to overrun a short limit. */
static unsigned char *noise_png(size_t *n)
{
	PIX *p = pixCreate(1600, 1600, 8);
	unsigned s = 12345;
	for (int y = 0; y < 1600; y++)
		for (int x = 0; x < 1600; x++) {
			s = s * 1103515245u + 12345u;
			pixSetPixel(p, x, y, (s >> 16) & 1 ? 0 : 255);
		}
	l_uint8 *data = NULL;
	size_t size = 0;
	cr_assert_eq(pixWriteMemPng(&data, &size, p, 0), 0);
	pixDestroy(&p);
	*n = size;
	return data;
}

Test(receipt_pool, hostile_input_is_a_clean_error)
{
	char *json = NULL;
	const char *junk = "this is not an image at all";
	cr_assert_eq(recam_reader_read(pool, junk, strlen(junk), &json, NULL), RECAM_EMEDIA);
	cr_assert_null(json);
	cr_assert_eq(recam_reader_read(pool, "", 0, &json, NULL), RECAM_EMEDIA);
}

Test(receipt_pool, overrun_worker_is_replaced)
{
	size_t n;
	unsigned char *png = noise_png(&n);
	char *json = NULL;
	int rc = recam_reader_read(pool, png, n, &json, NULL);
	free(png);
	cr_assert_eq(rc, RECAM_ETIMEOUT, "got %d", rc);
	/* the replacement serves the next request */
	const char *junk = "GIF89a....";
	cr_assert_eq(recam_reader_read(pool, junk, strlen(junk), &json, NULL), RECAM_EMEDIA);
}

/* A step that never looks at the clock is ended by the worker's CPU limit
 * (SIGXCPU): that is the image running over its time too, not an internal
 * error, and the replacement serves the next request. */
Test(receipt_pool, cpu_limit_is_a_timeout)
{
	char *json = NULL;
	int rc = recam_reader_read(pool, "RECAM-TEST-SPIN", 15, &json, NULL);
	cr_assert_eq(rc, RECAM_ETIMEOUT, "got %d", rc);
	cr_assert_null(json);
	const char *junk = "GIF89a....";
	cr_assert_eq(recam_reader_read(pool, junk, strlen(junk), &json, NULL), RECAM_EMEDIA);
}

/* The worker is the recam binary executed afresh (nothing of this process's
 * memory), with OMP_THREAD_LIMIT=1 even when this process lacks it. */
static int read_proc(pid_t pid, const char *what, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (int)n;
}

static pid_t find_worker(void)
{
	char buf[4096];
	for (int tries = 0; tries < 500; tries++) {
		DIR *d = opendir("/proc");
		cr_assert_not_null(d);
		struct dirent *de;
		pid_t found = 0;
		while ((de = readdir(d)) != NULL && found == 0) {
			pid_t pid = (pid_t)atoi(de->d_name);
			int ppid = 0;
			if (pid <= 0 || read_proc(pid, "stat", buf, sizeof(buf)) <= 0)
				continue;
			const char *rp = strrchr(buf, ')');
			if (rp && sscanf(rp, ") %*c %d", &ppid) == 1 && ppid == getpid()) {
				int n = read_proc(pid, "cmdline", buf, sizeof(buf));
				/* "recam\0reader-worker\0" once it has executed */
				if (n > 6 && strcmp(buf + strlen(buf) + 1, RECAM_READER_WORKER_CMD) == 0)
					found = pid;
			}
		}
		closedir(d);
		if (found)
			return found;
		usleep(10000);
	}
	return 0;
}

Test(receipt_pool_exec, worker_is_a_fresh_recam_with_single_thread_omp)
{
	unsetenv("OMP_THREAD_LIMIT");
	recam_reader_limits lim;
	recam_reader_limits_default(&lim);
	const char *bin = getenv("RECAM_BIN");
	snprintf(lim.worker_exe, sizeof(lim.worker_exe), "%s", bin ? bin : "build/asan/recam");
	recam_reader_pool *p = NULL;
	cr_assert_eq(recam_reader_pool_new(1, &lim, &p), 0);
	pid_t w = find_worker();
	cr_assert_gt(w, 0, "no child of ours runs `recam reader-worker`");
	static char env[1 << 16];
	int n = read_proc(w, "environ", env, sizeof(env));
	int omp = 0;
	for (int i = 0; i < n; i += (int)strlen(env + i) + 1)
		omp += strcmp(env + i, "OMP_THREAD_LIMIT=1") == 0;
	cr_assert_eq(omp, 1, "the worker's environment lacks OMP_THREAD_LIMIT=1");
	/* and it serves */
	char *json = NULL;
	cr_assert_eq(recam_reader_read(p, "nope", 4, &json, NULL), RECAM_EMEDIA);
	recam_reader_pool_free(p);
}

/* A worker program that cannot be executed fails the pool's start, every
 * time (posix_spawn reports it; no race with the child's exit). */
Test(receipt_pool_exec, missing_worker_program_fails_the_start)
{
	recam_reader_limits lim;
	recam_reader_limits_default(&lim);
	snprintf(lim.worker_exe, sizeof(lim.worker_exe), "/nonexistent/recam");
	for (int k = 0; k < 20; k++) {
		recam_reader_pool *p = NULL;
		cr_assert_eq(recam_reader_pool_new(1, &lim, &p), RECAM_EIO);
		cr_assert_null(p);
	}
}

/* A program that starts but dies at once (not a worker): each image fails
 * cleanly, and the worker is started again for the next one. */
Test(receipt_pool_exec, worker_that_dies_at_start_fails_the_image_cleanly)
{
	recam_reader_limits lim;
	recam_reader_limits_default(&lim);
	snprintf(lim.worker_exe, sizeof(lim.worker_exe), "/bin/false");
	recam_reader_pool *p = NULL;
	cr_assert_eq(recam_reader_pool_new(1, &lim, &p), 0);
	for (int k = 0; k < 3; k++) {
		char *json = NULL;
		cr_assert_eq(recam_reader_read(p, "nope", 4, &json, NULL), RECAM_EINTERNAL);
		cr_assert_null(json);
	}
	recam_reader_pool_free(p);
}

/* The sandbox a worker enters after loading its engine: what it needs works,
 * what an exploited decoder would want fails with EPERM. Checked in a child
 * (the filter cannot be left); each failure is its own exit code. */
static void *thread_fn(void *arg) { return arg; }

Test(receipt_sandbox, allows_work_and_refuses_files_sockets_exec_signals)
{
	int pfd[2];
	cr_assert_eq(pipe(pfd), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		pid_t parent = getppid();
		if (recam_reader_sandbox_enter() != 0)
			_exit(10);
		/* allowed: memory, threads, the clock, open fds, randomness */
		void *big = malloc(64u << 20);
		if (big == NULL)
			_exit(11);
		memset(big, 1, 64u << 20);
		free(big);
		pthread_t t;
		if (pthread_create(&t, NULL, thread_fn, NULL) != 0 || pthread_join(t, NULL) != 0)
			_exit(12);
		struct timespec ts;
		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 || write(pfd[1], "ok", 2) != 2)
			_exit(13);
		char rnd[8];
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			_exit(14);
		/* refused */
		errno = 0;
		if (open("/etc/hostname", O_RDONLY) != -1 || errno != EPERM)
			_exit(20);
		if (socket(AF_INET, SOCK_STREAM, 0) != -1 || errno != EPERM)
			_exit(21);
		if (socket(AF_UNIX, SOCK_STREAM, 0) != -1 || errno != EPERM)
			_exit(22);
		char *argv[] = {"/bin/true", NULL};
		if (execve("/bin/true", argv, argv + 1) != -1 || errno != EPERM)
			_exit(23);
		if (kill(parent, 0) != -1 || errno != EPERM)
			_exit(24);
		if (unlink("/tmp/recam-sandbox-never") != -1 || errno != EPERM)
			_exit(25);
		if (ptrace(PTRACE_ATTACH, parent, NULL, NULL) != -1 || errno != EPERM)
			_exit(26);
		_exit(0);
	}
	int st = 0;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "sandboxed child died: signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	cr_assert_eq(WEXITSTATUS(st), 0, "sandbox check %d failed", WEXITSTATUS(st));
	char buf[2];
	cr_assert_eq(read(pfd[0], buf, 2), 2);
	close(pfd[0]);
	close(pfd[1]);
}
