/* log.h — structured log lines (logfmt) to stderr, each with the request id
 * of the thread's current request. Never log secrets or personal data. */
#ifndef RECAM_LOG_H
#define RECAM_LOG_H

enum recam_log_level { RECAM_LOG_DEBUG, RECAM_LOG_INFO, RECAM_LOG_WARN, RECAM_LOG_ERROR };

void recam_log_set_level(enum recam_log_level level);
/* -1 when the name is not a level. */
int recam_log_level_parse(const char *name);
/* The id printed as rid= on this thread's lines; NULL clears it. */
void recam_log_set_request_id(const char *rid);
const char *recam_log_request_id(void);

void recam_log_(enum recam_log_level level, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define recam_debug(...) recam_log_(RECAM_LOG_DEBUG, __func__, __VA_ARGS__)
#define recam_info(...) recam_log_(RECAM_LOG_INFO, __func__, __VA_ARGS__)
#define recam_warn(...) recam_log_(RECAM_LOG_WARN, __func__, __VA_ARGS__)
#define recam_error(...) recam_log_(RECAM_LOG_ERROR, __func__, __VA_ARGS__)

#endif
