/* reader.h — the whole reader: untrusted image bytes → receipt JSON.
 *
 * recam_reader_pool_* runs decoding and recognition in forked worker
 * processes, each with a warm engine and resource limits, so a hostile image
 * can at worst kill one worker (which is restarted; that image fails). The
 * HTTP server and `recam read` use the same pool. recam_reader_process is
 * the in-process pipeline that a worker runs. */
#ifndef RECAM_RECEIPT_READER_H
#define RECAM_RECEIPT_READER_H

#include <jansson.h>
#include <stddef.h>

#include "receipt/image.h"

typedef struct recam_reader_limits {
	recam_image_limits image;
	int timeout_ms;		/* per image, decoding to JSON; the worker is killed past it */
	/* Second readings are tried only while the image has had at most this
	 * much work done, counted in line heights of text given to the
	 * recognizer (recam_ocr_work; a page of noise would re-read every
	 * line): the uncropped page (uncropped_work, after the first reading)
	 * and doubtful lines and blocks (reread_work). Work, not time, so that a slower or
	 * busier machine reads the same. The CPU bounds behind them are a
	 * safety net for a machine far slower than this one; tests that check
	 * what is read raise both, as they raise timeout_ms. */
	int uncropped_work, reread_work;
	int uncropped_cpu_ms, reread_cpu_ms;
	size_t max_mem_mb;	/* RLIMIT_AS of a worker */
	char langs[32];		/* "MAIN/ALT" tesseract models: "Japanese/jpn" (ALT re-reads doubtful lines), "jpn" */
	unsigned prep_steps;	/* recam_prep_step bits */
	char worker_exe[256];	/* the program a worker executes: "/proc/self/exe" (a recam binary) */
} recam_reader_limits;

void recam_reader_limits_default(recam_reader_limits *lim);

/* ---- in-process pipeline (runs inside a worker) ---- */
typedef struct recam_reader recam_reader;
int recam_reader_new(const recam_reader_limits *lim, recam_reader **out);
void recam_reader_free(recam_reader *r);
/* 0 with *out the receipt JSON, or a negative recam_err (no *out). */
int recam_reader_process(recam_reader *r, const unsigned char *bytes, size_t len, json_t **out);

/* ---- worker pool ---- */
typedef struct recam_reader_pool recam_reader_pool;
/* Starts n workers (n ≥ 1): each is lim->worker_exe executed afresh as
 * `recam reader-worker` (nothing of the parent's memory: keys, sessions,
 * database pages), with OMP_THREAD_LIMIT=1 in its environment. */
int recam_reader_pool_new(int n, const recam_reader_limits *lim, recam_reader_pool **out);
void recam_reader_pool_free(recam_reader_pool *p);
/* Thread-safe. On success *json_out is a malloc'd JSON object text (one line)
 * for the receipt. On failure a negative recam_err: RECAM_EMEDIA,
 * RECAM_ETOOBIG, RECAM_ETIMEOUT, RECAM_EINTERNAL (the worker died). */
int recam_reader_read(recam_reader_pool *p, const void *bytes, size_t len, char **json_out, size_t *json_len);

/* The worker side: `recam reader-worker` (main.c) with its socket on fd 3.
 * Reads its limits from the socket, loads its engine, serves images until
 * the socket closes. Never returns. */
#define RECAM_READER_WORKER_CMD "reader-worker"
_Noreturn void recam_reader_worker_run(void);
/* Enters the worker's seccomp filter (sandbox.c): from then on only memory,
 * the clock, threads, reading/writing open fds and exit work; opening files,
 * sockets, exec, ptrace and signals to others fail with EPERM. Irreversible. */
int recam_reader_sandbox_enter(void);

/* {"error":{"code":"...","message":"..."}} for a reader error. */
json_t *recam_reader_error_json(int err);

#endif
