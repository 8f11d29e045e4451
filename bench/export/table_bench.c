/* table_bench.c — recam_table_* alone (no database, no HTTP): N rows of 14
 * cells shaped like the entries export (ids, a Japanese campaign and store
 * name, dates, amounts, an email address) written as csv, csv-sjis or xlsx
 * into DIR; prints seconds, bytes, rows and the process's peak RSS, so the
 * file writer's own cost and memory are seen apart from the query's.
 *
 *   table_bench csv|csv-sjis|xlsx ROWS DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "http/table_out.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	enum recam_table_format f;
	long rows = argc == 4 ? strtol(argv[2], NULL, 10) : 0;
	if (argc != 4 || !recam_table_format_parse(argv[1], &f) || rows < 1) {
		fprintf(stderr, "usage: table_bench csv|csv-sjis|xlsx ROWS DIR\n");
		return 2;
	}
	static const char *const cols[] = {"応募ID", "キャンペーン", "状態", "理由", "応募日時", "購入日", "店舗",
					   "合計金額", "対象商品", "口数", "応募者ID", "メールアドレス", "審査者ID",
					   "審査日時"};
	static const char *const stores[] = {"ローソン 渋谷駅前店", "セブン-イレブン 新宿三丁目店", "ファミリーマート 梅田店",
					     "イオン 幕張新都心店", "ｲﾄｰﾖｰｶﾄﾞｰ 大井町店"};
	recam_table_out *t;
	double t0 = now_s();
	int rc = recam_table_open(f, argv[3], cols, 14, &t);
	for (long i = 0; rc == 0 && i < rows; i++) {
		char id[32], pid[32], when[32], day[16], total[16], units[8], email[48];
		snprintf(id, sizeof(id), "%026lx", 0x9e3779b97f4a7c15ul * (unsigned long)i);
		snprintf(pid, sizeof(pid), "p%025ld", i % 200000);
		snprintf(when, sizeof(when), "2026-%02ld-%02ld %02ld:%02ld:%02ld", 1 + i % 12, 1 + i % 28, i % 24, i % 60,
			 (i * 7) % 60);
		snprintf(day, sizeof(day), "2026-%02ld-%02ld", 1 + i % 12, 1 + (i + 3) % 28);
		snprintf(total, sizeof(total), "%ld", 198 + (i * 37) % 5000);
		snprintf(units, sizeof(units), "%ld", 1 + i % 3);
		snprintf(email, sizeof(email), "shopper%07ld@example.jp", i % 200000);
		const char *cells[14] = {id, "ポテトチップス うすしお 冬のレシートキャンペーン", "受付", NULL, when, day,
					 stores[i % 5], total, "ポテトチップス うすしお×1", units, pid, email, NULL, NULL};
		rc = recam_table_row(t, cells);
	}
	int fd = -1;
	uint64_t size = 0;
	if (rc == 0)
		rc = recam_table_close(t, &fd, &size);
	else
		recam_table_abort(t);
	double secs = now_s() - t0;
	if (fd >= 0)
		close(fd);
	if (rc != 0) {
		fprintf(stderr, "table_bench: %s\n", recam_err_code(rc));
		return 1;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("format=%s rows=%ld seconds=%.2f bytes=%llu peak_rss_kib=%ld\n", argv[1], rows, secs,
	       (unsigned long long)size, ru.ru_maxrss);
	return 0;
}
