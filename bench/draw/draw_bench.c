/* draw_bench.c — driver for bench/draw/run.sh. One phase per process, so
 * the peak RSS printed belongs to that phase alone:
 *
 *   draw_bench gen  FILE N PARTICIPANTS   write a canonical eligible list
 *   draw_bench hash FILE                  reference: read + SHA-256, streamed
 *   draw_bench draw FILE K A RECORD       parse, commit, draw, verify, write record
 *
 * Output is one "key value" line per figure for run.sh: wall seconds
 * (NAME_s), CPU seconds of this process (NAME_cpu_s) and peak RSS in KiB.
 * CPU time is printed because the bench machines are shared: under load,
 * wall time includes waiting for a core. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign/draw.h"
#include "core/str.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A point in time, wall and CPU. */
typedef struct mark {
	double wall, cpu;
} mark;

static mark mark_now(void) { return (mark){now_s(), cpu_s()}; }

static void report(const char *name, mark from, mark to)
{
	printf("%s_s %.3f\n%s_cpu_s %.3f\n", name, to.wall - from.wall, name, to.cpu - from.cpu);
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int die(const char *what)
{
	fprintf(stderr, "draw_bench: %s\n", what);
	return 1;
}

static int parse_count(const char *s, int64_t max, int64_t *out)
{
	return recam_parse_i64(recam_str_c(s), 0, max, out);
}

/* A recam-style id (26 lower-case base32 characters) from a tag and a
 * number, deterministic so every run drafts the same list. */
static void make_id(char out[27], const char *tag, uint64_t i)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char msg[16], h[32];
	size_t tl = strlen(tag);
	memcpy(msg, tag, tl < 8 ? tl : 8);
	for (int k = 0; k < 8; k++)
		msg[8 + k] = (unsigned char)(i >> (8 * k));
	crypto_hash_sha256(h, msg, sizeof(msg));
	for (int k = 0; k < 26; k++) {
		size_t bit = (size_t)k * 5;
		unsigned v = ((unsigned)h[bit / 8] << 8 | h[bit / 8 + 1]) >> (11 - bit % 8);
		out[k] = b32[v & 31];
	}
	out[26] = '\0';
}

static int gen(const char *path, int64_t n, int64_t parts)
{
	char(*ids)[27] = malloc((size_t)n * sizeof(*ids));
	char(*pids)[27] = malloc((size_t)parts * sizeof(*pids));
	recam_draw_entry *e = malloc((size_t)n * sizeof(*e));
	if (ids == NULL || pids == NULL || e == NULL)
		return die("out of memory");
	for (int64_t p = 0; p < parts; p++)
		make_id(pids[p], "part", (uint64_t)p);
	for (int64_t i = 0; i < n; i++) {
		make_id(ids[i], "entry", (uint64_t)i);
		/* Receipts per entry: mostly one, a few heavy buyers. */
		uint64_t w = (uint64_t)(ids[i][0] - 'a') % 8 < 5 ? 1 : 1 + (uint64_t)(ids[i][1] % 5);
		e[i] = (recam_draw_entry){ids[i], pids[(uint64_t)i * 2654435761u % (uint64_t)parts], w};
	}
	double t0 = now_s();
	if (recam_draw_canonicalize(e, (size_t)n, NULL) != 0)
		return die("generated list is not valid");
	double t_sort = now_s() - t0;
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return die(strerror(errno));
	for (int64_t i = 0; i < n; i++)
		fprintf(f, "%s\t%s\t%llu\n", e[i].entry_id, e[i].participant_id, (unsigned long long)e[i].weight);
	if (fclose(f) != 0)
		return die("write failed");
	printf("canonicalize_s %.3f\n", t_sort);
	free(e);
	free(pids);
	free(ids);
	return 0;
}

static int hash_ref(const char *path)
{
	mark t0 = mark_now();
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return die(strerror(errno));
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	static unsigned char buf[1 << 16];
	ssize_t r;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		crypto_hash_sha256_update(&st, buf, (size_t)r);
	close(fd);
	if (r < 0)
		return die("read failed");
	unsigned char h[32];
	crypto_hash_sha256_final(&st, h);
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	report("hash", t0, mark_now());
	printf("hash_rss_kib %ld\nlist_sha256 %s\n", peak_rss_kib(), hex);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *p = malloc((size_t)sb.st_size + 1);
	size_t got = 0;
	while (p && got < (size_t)sb.st_size) {
		ssize_t r = read(fd, p + got, (size_t)sb.st_size - got);
		if (r <= 0) {
			free(p);
			p = NULL;
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return p;
}

static int draw(const char *path, int64_t k, int64_t a, const char *record_path)
{
	mark t0 = mark_now();
	size_t len;
	char *text = slurp(path, &len);
	if (text == NULL)
		return die("cannot read the list");
	mark t1 = mark_now();
	recam_draw_list l;
	size_t bad;
	if (recam_draw_list_parse(text, len, &l, &bad) != 0) {
		fprintf(stderr, "draw_bench: list line %zu is not canonical\n", bad);
		return 1;
	}
	free(text); /* the list keeps its own copy */
	mark t2 = mark_now();
	recam_draw_record rec;
	unsigned char seed[RECAM_DRAW_SEED_BYTES];
	if (recam_draw_commit(NULL, l.entries, l.n, (size_t)k, (size_t)a, true, &rec, seed) != 0)
		return die("commit failed");
	mark t3 = mark_now();
	recam_draw_result res;
	if (recam_draw_run(seed, l.entries, l.n, (size_t)k, (size_t)a, true, &res) != 0)
		return die("draw failed");
	mark t4 = mark_now();
	recam_draw_result_free(&res);
	mark t5 = mark_now();
	if (recam_draw_execute(&rec, seed, l.entries, l.n) != 0)
		return die("execute failed");
	mark t6 = mark_now();
	recam_draw_mismatch mm;
	if (recam_draw_verify(&rec, l.entries, l.n, &mm) != 0) {
		fprintf(stderr, "draw_bench: verification failed: %s\n", mm.message);
		return 1;
	}
	mark t7 = mark_now();
	json_t *j = recam_draw_record_to_json(&rec);
	if (j == NULL || json_dump_file(j, record_path, JSON_INDENT(1)) != 0)
		return die("cannot write the record");
	json_decref(j);
	report("read", t0, t1);
	report("parse", t1, t2);
	report("commit", t2, t3);
	report("run", t3, t4);
	report("execute", t5, t6);
	report("verify", t6, t7);
	report("total", t0, mark_now());
	printf("draw_rss_kib %ld\nentries %zu\nwinners %zu\nalternates %zu\n", peak_rss_kib(), l.n,
	       rec.n_winners, rec.n_alternates);
	recam_draw_record_free(&rec);
	recam_draw_list_free(&l);
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return die("sodium_init failed");
	int64_t x, y;
	if (argc == 5 && strcmp(argv[1], "gen") == 0) {
		if (parse_count(argv[3], (int64_t)RECAM_DRAW_ENTRIES_MAX, &x) != 0 ||
		    parse_count(argv[4], x, &y) != 0 || y < 1)
			return die("gen FILE N PARTICIPANTS (1 <= PARTICIPANTS <= N)");
		return gen(argv[2], x, y);
	}
	if (argc == 3 && strcmp(argv[1], "hash") == 0)
		return hash_ref(argv[2]);
	if (argc == 6 && strcmp(argv[1], "draw") == 0) {
		if (parse_count(argv[3], (int64_t)RECAM_DRAW_ENTRIES_MAX, &x) != 0 ||
		    parse_count(argv[4], (int64_t)RECAM_DRAW_ENTRIES_MAX, &y) != 0)
			return die("draw FILE K A RECORD");
		return draw(argv[2], x, y, argv[5]);
	}
	fprintf(stderr, "usage: draw_bench gen FILE N PARTICIPANTS | hash FILE | draw FILE K A RECORD\n");
	return 2;
}
