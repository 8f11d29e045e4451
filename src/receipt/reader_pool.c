/* reader_pool.c — reader worker processes. Each worker is a fresh
 * execution of the recam binary (`recam reader-worker`, its socket on fd 3),
 * started with posix_spawn, so it holds nothing of the server's memory — no
 * master key, tenant keys, sessions or database pages for a hostile image to
 * reach. It reads its limits from the socket, loads its Tesseract engine
 * once and then serves requests:
 *   request:  u64 length, image bytes
 *   response: i32 status (0 or recam_err), u64 length, JSON text
 * A worker runs with RLIMIT_AS (memory), a per-image RLIMIT_CPU (raised
 * before each image by the CPU it has used so far), no core files, no new
 * privileges, OMP_THREAD_LIMIT=1, and dies with its
 * parent. The parent also enforces a wall-clock deadline; a worker that dies
 * or overruns is killed, reaped and replaced, and that image fails with a
 * clean error. Not retried: a hostile image would only kill a second worker.
 * Once its engine is loaded it enters a seccomp filter (sandbox.c): no file,
 * socket, exec, ptrace or signal to another process from then on. */
#include <errno.h>
#include <tesseract/capi.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "receipt/reader.h"

extern char **environ;

#define MAX_WORKERS 64
#define MAX_JSON (16u << 20)

typedef struct worker {
	pid_t pid;
	int fd;
	int busy;
	int ready; /* its engine is loaded: it sent the ready byte */
} worker;

/* Loading an engine takes 0.15–0.35 s, far more under sanitizers or load;
 * it does not count against an image's time limit. */
#define STARTUP_MS 60000

/* What the parent sends a new worker first. */
typedef struct worker_hello {
	uint32_t magic, size; /* WORKER_MAGIC, sizeof(worker_hello): the same build */
	int32_t parent;	      /* to notice a parent that died before PDEATHSIG was set */
	recam_reader_limits lim;
} worker_hello;
#define WORKER_MAGIC 0x52435731u /* "RCW1" */
#define WORKER_FD 3

struct recam_reader_pool {
	recam_reader_limits lim;
	char **envp; /* the environment workers start with (built once, before any worker starts) */
	int n;
	worker w[MAX_WORKERS];
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return RECAM_EIO;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Reads exactly n bytes; deadline_ms < 0 waits forever. */
static int read_all(int fd, void *p, size_t n, double deadline_ms)
{
	char *c = p;
	while (n > 0) {
		if (deadline_ms >= 0) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			double now = (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
			int left = (int)(deadline_ms - now);
			if (left <= 0)
				return RECAM_ETIMEOUT;
			struct pollfd pfd = {.fd = fd, .events = POLLIN};
			int pr = poll(&pfd, 1, left);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr == 0)
				return RECAM_ETIMEOUT;
			if (pr < 0)
				return RECAM_EIO;
		}
		ssize_t k = read(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return RECAM_EIO;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static void set_limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = {soft, hard};
	setrlimit(res, &rl);
}

/* CPU seconds this process has used, rounded up. */
static rlim_t cpu_used(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
}

/* Tesseract opens its debug_file (/dev/null, a global setting) on its first
 * message; a model that does not exist gives one. Done before the sandbox,
 * after which no file can be opened and messages would go to stderr. */
static void open_tesseract_debug_file(void)
{
	TessBaseAPI *t = TessBaseAPICreate();
	if (t == NULL)
		return;
	TessBaseAPISetVariable(t, "debug_file", "/dev/null");
	(void)TessBaseAPIInit3(t, NULL, "recam-no-such-model");
	TessBaseAPIDelete(t);
}

_Noreturn static void worker_main(int fd, const recam_reader_limits *lim)
{
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
#if !defined(__SANITIZE_ADDRESS__) && !defined(RECAM_TEST_BUILD)
	/* ASan reserves terabytes of address space: no RLIMIT_AS in test builds */
	set_limit(RLIMIT_AS, (rlim_t)lim->max_mem_mb << 20, (rlim_t)lim->max_mem_mb << 20);
#endif
	set_limit(RLIMIT_CORE, 0, 0);
	recam_image_quiet();
	recam_reader *r = NULL;
	if (recam_reader_new(lim, &r) != 0)
		_exit(3);
	/* What would open a file later, done now: jansson seeds its hash from
	 * /dev/urandom on the first object; Tesseract its debug file. */
	json_object_seed(0);
	open_tesseract_debug_file();
	if (recam_reader_sandbox_enter() != 0) {
		recam_error("reader worker: cannot enter the seccomp sandbox");
		_exit(3);
	}
	char ready = 'R';
	if (write_all(fd, &ready, 1) != 0)
		_exit(3);
	rlim_t per_image = (rlim_t)(lim->timeout_ms / 1000 + 2);
	for (;;) {
		uint64_t len;
		if (read_all(fd, &len, sizeof(len), -1) != 0)
			break;
		if (len > lim->image.max_bytes + 1)
			break; /* the parent never sends this: protocol error */
		unsigned char *buf = malloc(len ? len : 1);
		if (buf == NULL || read_all(fd, buf, len, -1) != 0)
			break;
		set_limit(RLIMIT_CPU, cpu_used() + per_image, RLIM_INFINITY);
#ifdef RECAM_TEST_BUILD
		/* tests: a step that never looks at its clock, ended only by the
		 * CPU limit (tests/unit/test_receipt_pool.c) */
		if (len == 15 && memcmp(buf, "RECAM-TEST-SPIN", 15) == 0) {
			set_limit(RLIMIT_CPU, cpu_used() + 1, RLIM_INFINITY); /* well before the parent's deadline */
			for (volatile unsigned long k = 0;; k++)
				;
		}
#endif
		json_t *o = NULL;
		int32_t status = recam_reader_process(r, buf, len, &o);
		free(buf);
		char *text = NULL;
		if (status == 0) {
			/* the worker's high-water mark: engine + this image */
			struct rusage ru;
			getrusage(RUSAGE_SELF, &ru);
			json_object_set_new(o, "worker", json_pack("{s:i,s:i}", "pid", (int)getpid(), "peak_rss_kb",
								   (int)ru.ru_maxrss));
			text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4));
			json_decref(o);
			if (text == NULL || strlen(text) > MAX_JSON)
				status = RECAM_ENOMEM;
		}
		uint64_t tl = status == 0 ? strlen(text) : 0;
		if (write_all(fd, &status, sizeof(status)) != 0 || write_all(fd, &tl, sizeof(tl)) != 0 ||
		    (tl && write_all(fd, text, tl) != 0)) {
			free(text);
			break;
		}
		free(text);
	}
	recam_reader_free(r);
	_exit(0);
}

_Noreturn void recam_reader_worker_run(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	worker_hello hello;
	if (read_all(WORKER_FD, &hello, sizeof(hello), -1) != 0 || hello.magic != WORKER_MAGIC ||
	    hello.size != sizeof(hello) || getppid() != hello.parent)
		_exit(3);
	hello.lim.langs[sizeof(hello.lim.langs) - 1] = '\0';
	worker_main(WORKER_FD, &hello.lim);
}

/* environ with OMP_THREAD_LIMIT=1 (DESIGN pitfall 2: libgomp reads it once,
 * when loaded) whatever the parent's says. */
static char **worker_environ(void)
{
	static const char omp[] = "OMP_THREAD_LIMIT=";
	size_t n = 0;
	while (environ && environ[n])
		n++;
	char **e = calloc(n + 2, sizeof(*e));
	if (e == NULL)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], omp, sizeof(omp) - 1) != 0 && (e[k++] = strdup(environ[i])) == NULL)
			goto fail;
	if ((e[k] = strdup("OMP_THREAD_LIMIT=1")) != NULL)
		return e;
fail:
	for (size_t i = 0; e[i]; i++)
		free(e[i]);
	free(e);
	return NULL;
}

static int spawn(recam_reader_pool *p, int i)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return RECAM_EIO;
	/* posix_spawn: safe from the threaded server, and a program that cannot
	 * be executed is an error here, every time, not a child that dies at a
	 * moment of its own. The worker keeps stdin, stderr and its own socket
	 * (fd 3; a dup2 onto itself clears close-on-exec): not its siblings'
	 * sockets, nor the server's listening sockets and database files. Its
	 * stdout goes to stderr so a library's chatter can never mix into
	 * `recam read` output. */
	char *argv[] = {"recam", RECAM_READER_WORKER_CMD, NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid = -1;
	int err = posix_spawn_file_actions_init(&fa);
	if (err == 0) {
		err = posix_spawn_file_actions_adddup2(&fa, sv[1], WORKER_FD);
		if (err == 0)
			err = posix_spawn_file_actions_adddup2(&fa, 2, 1);
		if (err == 0)
			err = posix_spawn_file_actions_addclosefrom_np(&fa, WORKER_FD + 1);
		if (err == 0)
			err = posix_spawn(&pid, p->lim.worker_exe, &fa, NULL, argv, p->envp);
		posix_spawn_file_actions_destroy(&fa);
	}
	close(sv[1]);
	if (err != 0) {
		recam_error("cannot start a reader worker (%s): %s", p->lim.worker_exe, strerror(err));
		close(sv[0]);
		return RECAM_EIO;
	}
	p->w[i].pid = pid;
	p->w[i].fd = sv[0];
	p->w[i].busy = 0;
	p->w[i].ready = 0;
	/* A worker that has died already is found so by its first read, like
	 * one that dies later: the write's failure is not this call's. */
	worker_hello hello = {.magic = WORKER_MAGIC, .size = sizeof(hello), .parent = (int32_t)getpid(), .lim = p->lim};
	(void)write_all(sv[0], &hello, sizeof(hello));
	return 0;
}

/* Ends the worker: closes its socket, which ends its loop, reaps it within
 * wait_ms if it exits by itself, else kills it. Returns true when it died
 * of its CPU limit (SIGXCPU): the image it was reading ran over its time. */
static bool kill_worker(worker *w, int wait_ms)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	bool cpu_limit = false;
	if (w->pid > 0) {
		int st = 0;
		pid_t r = 0;
		for (int k = 0; k < wait_ms / 5 && (r = waitpid(w->pid, &st, WNOHANG)) == 0; k++) {
			struct timespec ts = {0, 5 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (r == w->pid) {
			cpu_limit = WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU;
		} else {
			kill(w->pid, SIGKILL);
			waitpid(w->pid, NULL, 0);
		}
	}
	w->pid = -1;
	return cpu_limit;
}

int recam_reader_pool_new(int n, const recam_reader_limits *lim, recam_reader_pool **out)
{
	if (n < 1 || n > MAX_WORKERS)
		return RECAM_EINVAL;
	recam_reader_pool *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return RECAM_ENOMEM;
	p->lim = *lim;
	p->lim.worker_exe[sizeof(p->lim.worker_exe) - 1] = '\0';
	if ((p->envp = worker_environ()) == NULL) {
		free(p);
		return RECAM_ENOMEM;
	}
	p->n = n;
	for (int i = 0; i < MAX_WORKERS; i++)
		p->w[i].fd = p->w[i].pid = -1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (int i = 0; i < n; i++)
		if (spawn(p, i) != 0) {
			recam_reader_pool_free(p);
			return RECAM_EIO;
		}
	*out = p;
	return 0;
}

void recam_reader_pool_free(recam_reader_pool *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->n; i++)
		kill_worker(&p->w[i], 1000); /* closing the socket ends the worker's loop */
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	for (size_t i = 0; p->envp[i]; i++)
		free(p->envp[i]);
	free(p->envp);
	free(p);
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int recam_reader_read(recam_reader_pool *p, const void *bytes, size_t len, char **json_out, size_t *json_len)
{
	*json_out = NULL;
	if (len > p->lim.image.max_bytes)
		return RECAM_ETOOBIG;
	pthread_mutex_lock(&p->mu);
	int i;
	for (;;) {
		for (i = 0; i < p->n; i++)
			if (!p->w[i].busy)
				break;
		if (i < p->n)
			break;
		pthread_cond_wait(&p->cv, &p->mu);
	}
	p->w[i].busy = 1;
	int rc = 0;
	if (p->w[i].pid < 0)
		rc = spawn(p, i);
	p->w[i].busy = 1;
	pthread_mutex_unlock(&p->mu);
	if (rc != 0) {
		rc = RECAM_EINTERNAL; /* the worker program cannot be started (logged) */
		goto done;
	}
	worker *w = &p->w[i];
	uint64_t l64 = len;
	int32_t status = 0;
	uint64_t tl = 0;
	if (!w->ready) {
		char c = 0;
		rc = read_all(w->fd, &c, 1, mono_ms() + STARTUP_MS);
		if (rc == 0 && c != 'R')
			rc = RECAM_EIO;
		w->ready = rc == 0;
	}
	/* slack for the worker's own limits to act first */
	double deadline = mono_ms() + p->lim.timeout_ms + 2000;
	if (rc == 0)
		rc = write_all(w->fd, &l64, sizeof(l64));
	if (rc == 0)
		rc = write_all(w->fd, bytes, len);
	if (rc == 0)
		rc = read_all(w->fd, &status, sizeof(status), deadline);
	if (rc == 0)
		rc = read_all(w->fd, &tl, sizeof(tl), deadline);
	if (rc == 0 && tl > MAX_JSON)
		rc = RECAM_EIO;
	if (rc == 0 && status == 0) {
		char *t = malloc(tl + 1);
		if (t == NULL)
			rc = RECAM_ENOMEM;
		else if ((rc = read_all(w->fd, t, tl, deadline)) == 0) {
			t[tl] = '\0';
			*json_out = t;
			if (json_len)
				*json_len = tl;
		} else {
			free(t);
		}
	}
	if (rc != 0) {
		/* dead, stuck or out of step: replace it, fail this image */
		int pid = (int)w->pid;
		pthread_mutex_lock(&p->mu);
		/* a worker that closed its socket is dying: of its CPU limit, the
		 * image ran over its time (its own clock checks come only between
		 * steps, so a slow step meets the CPU limit first) */
		bool cpu_limit = kill_worker(w, rc == RECAM_EIO ? 1000 : 0);
		recam_warn("reader worker %d failed (%s); restarting", pid,
			   cpu_limit ? "cpu_limit" : rc == RECAM_EIO ? "exited" : recam_err_code(rc));
		int src = spawn(p, i);
		pthread_mutex_unlock(&p->mu);
		(void)src; /* a failed respawn is retried on next use */
		rc = rc == RECAM_ETIMEOUT || cpu_limit ? RECAM_ETIMEOUT : RECAM_EINTERNAL;
	} else if (status != 0) {
		rc = status < RECAM_ERR_MIN_ || status > 0 ? RECAM_EINTERNAL : status;
	}
done:
	pthread_mutex_lock(&p->mu);
	p->w[i].busy = 0;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return rc;
}
