/* metrics.h — request counters and latency histograms by route, written
 * out in the Prometheus text exposition format (Debian has no C client). */
#ifndef RECAM_METRICS_H
#define RECAM_METRICS_H

#include <stdint.h>

#include "core/buf.h"
#include "http/router.h"

typedef struct recam_metrics recam_metrics;

/* One series per route of the table, plus "other" for unmatched paths. */
recam_metrics *recam_metrics_new(const recam_route *routes, size_t nroutes);
void recam_metrics_free(recam_metrics *m);
/* route_index -1 for requests that matched no route. */
void recam_metrics_observe(recam_metrics *m, int route_index, const char *method, int status, double seconds);

struct recam_metrics_gauges {
	int in_flight;
	uint64_t db_errors;
	int64_t queue_depth; /* -1 when it could not be read */
	int workers_running;
	double start_time;
};
int recam_metrics_render(recam_metrics *m, const struct recam_metrics_gauges *g, recam_buf *out);

#endif
