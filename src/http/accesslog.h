/* accesslog.h — one JSON line per request in data_dir/logs/access-YYYY-MM-DD.log
 * (UTC day). A new file starts with each day; files older than the retention
 * are deleted by recam itself. */
#ifndef RECAM_ACCESSLOG_H
#define RECAM_ACCESSLOG_H

#include <stdint.h>

typedef struct recam_accesslog recam_accesslog;

struct recam_access_entry {
	const char *tenant; /* slug or "" */
	const char *method;
	const char *path;
	int status;
	uint64_t bytes;
	double duration_ms;
	const char *client;
	const char *rid;
};

int recam_accesslog_open(const char *dir, int retention_days, recam_accesslog **out);
void recam_accesslog_write(recam_accesslog *l, const struct recam_access_entry *e);
/* Deletes files older than the retention, relative to now (the clock). */
int recam_accesslog_prune(recam_accesslog *l);
void recam_accesslog_close(recam_accesslog *l);

#endif
