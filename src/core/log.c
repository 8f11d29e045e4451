/* log.c — logfmt lines: time, level, request id, function, message. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"

static enum recam_log_level log_level = RECAM_LOG_INFO;
static _Thread_local char log_rid[40];

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void recam_log_set_level(enum recam_log_level level) { log_level = level; }

int recam_log_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

void recam_log_set_request_id(const char *rid)
{
	if (rid == NULL) {
		log_rid[0] = '\0';
		return;
	}
	snprintf(log_rid, sizeof(log_rid), "%s", rid);
}

const char *recam_log_request_id(void) { return log_rid; }

void recam_log_(enum recam_log_level level, const char *func, const char *fmt, ...)
{
	if (level < log_level)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Quotes and newlines inside a message would break the line format. */
	for (char *p = msg; *p; p++)
		if (*p == '"' || *p == '\n' || *p == '\r')
			*p = '\'';
	char ts[32];
	recam_clock_format_rfc3339_ms(recam_clock_now_ms(), ts, sizeof(ts));
	/* One fprintf call per line: stdio locks the stream, so lines from
	 * several threads do not interleave. */
	if (log_rid[0])
		fprintf(stderr, "%s level=%s rid=%s func=%s msg=\"%s\"\n", ts, level_names[level], log_rid, func,
			msg);
	else
		fprintf(stderr, "%s level=%s func=%s msg=\"%s\"\n", ts, level_names[level], func, msg);
}
