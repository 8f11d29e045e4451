/* metrics.c — counters, histograms and the text exposition. */
#include "metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))
#define MAX_STATUS 12

struct status_count {
	char method[8];
	int status;
	uint64_t count;
};

struct series {
	char label[128]; /* the route pattern, tenant routes under /t/{tenant} */
	struct status_count by_status[MAX_STATUS];
	int nstatus;
	uint64_t other_count; /* statuses beyond MAX_STATUS distinct ones */
	uint64_t bucket[NBUCKETS];
	uint64_t count;
	double sum;
};

struct recam_metrics {
	pthread_mutex_t mu;
	size_t nroutes;
	size_t *route_series; /* routes sharing a pattern (GET and POST /x) share a series */
	size_t nseries;	      /* the last one is "other" */
	struct series s[];
};

recam_metrics *recam_metrics_new(const recam_route *routes, size_t nroutes)
{
	recam_metrics *m = calloc(1, sizeof(*m) + (nroutes + 1) * sizeof(struct series));
	if (m == NULL)
		return NULL;
	m->route_series = calloc(nroutes ? nroutes : 1, sizeof(*m->route_series));
	if (m->route_series == NULL) {
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->mu, NULL);
	m->nroutes = nroutes;
	/* One series per label: the text format allows each name and label
	 * set once (Prometheus keeps the first copy and drops the rest, so one
	 * route's latencies would silently vanish). */
	for (size_t i = 0; i < nroutes; i++) {
		struct series *s = &m->s[m->nseries];
		snprintf(s->label, sizeof(s->label), "%s%s", routes[i].scope == RECAM_SCOPE_TENANT ? "/t/{tenant}" : "",
			 routes[i].pattern);
		size_t j = 0;
		while (j < m->nseries && strcmp(m->s[j].label, s->label) != 0)
			j++;
		m->route_series[i] = j;
		if (j == m->nseries)
			m->nseries++;
	}
	snprintf(m->s[m->nseries].label, sizeof(m->s[m->nseries].label), "other");
	m->nseries++;
	return m;
}

void recam_metrics_free(recam_metrics *m)
{
	if (m) {
		pthread_mutex_destroy(&m->mu);
		free(m->route_series);
		free(m);
	}
}

void recam_metrics_observe(recam_metrics *m, int route_index, const char *method, int status, double seconds)
{
	size_t i = (route_index < 0 || (size_t)route_index >= m->nroutes) ? m->nseries - 1
									     : m->route_series[route_index];
	/* Unknown methods share one label so a client cannot grow the series. */
	static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
	const char *meth = "OTHER";
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		if (strcmp(method, known[k]) == 0)
			meth = known[k];
	pthread_mutex_lock(&m->mu);
	struct series *s = &m->s[i];
	int j = 0;
	while (j < s->nstatus && !(s->by_status[j].status == status && strcmp(s->by_status[j].method, meth) == 0))
		j++;
	if (j == s->nstatus && s->nstatus < MAX_STATUS) {
		s->by_status[j].status = status;
		snprintf(s->by_status[j].method, sizeof(s->by_status[j].method), "%s", meth);
		s->nstatus++;
	}
	if (j < s->nstatus)
		s->by_status[j].count++;
	else
		s->other_count++;
	for (size_t b = 0; b < NBUCKETS; b++)
		if (seconds <= buckets[b])
			s->bucket[b]++;
	s->count++;
	s->sum += seconds;
	pthread_mutex_unlock(&m->mu);
}

static long rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * sysconf(_SC_PAGESIZE);
}

int recam_metrics_render(recam_metrics *m, const struct recam_metrics_gauges *g, recam_buf *out)
{
	int rc = 0;
#define OUT(...)                                                                                                       \
	do {                                                                                                           \
		if (rc == 0)                                                                                           \
			rc = recam_buf_appendf(out, __VA_ARGS__);                                                     \
	} while (0)
	OUT("# HELP recam_http_requests_total HTTP requests answered, by route pattern, method and status.\n"
	    "# TYPE recam_http_requests_total counter\n");
	pthread_mutex_lock(&m->mu);
	for (size_t i = 0; i < m->nseries; i++) {
		const struct series *s = &m->s[i];
		for (int j = 0; j < s->nstatus; j++)
			OUT("recam_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n", s->label,
			    s->by_status[j].method, s->by_status[j].status, (unsigned long long)s->by_status[j].count);
		if (s->other_count)
			OUT("recam_http_requests_total{route=\"%s\",method=\"OTHER\",status=\"other\"} %llu\n", s->label,
			    (unsigned long long)s->other_count);
	}
	OUT("# HELP recam_http_request_duration_seconds Time from the first byte of a request to its response.\n"
	    "# TYPE recam_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < m->nseries; i++) {
		const struct series *s = &m->s[i];
		if (s->count == 0)
			continue;
		for (size_t b = 0; b < NBUCKETS; b++)
			OUT("recam_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", s->label,
			    buckets[b], (unsigned long long)s->bucket[b]);
		OUT("recam_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", s->label,
		    (unsigned long long)s->count);
		OUT("recam_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", s->label, s->sum);
		OUT("recam_http_request_duration_seconds_count{route=\"%s\"} %llu\n", s->label,
		    (unsigned long long)s->count);
	}
	pthread_mutex_unlock(&m->mu);
	OUT("# HELP recam_http_requests_in_flight Requests being handled now.\n"
	    "# TYPE recam_http_requests_in_flight gauge\n"
	    "recam_http_requests_in_flight %d\n",
	    g->in_flight);
	OUT("# HELP recam_db_errors_total Database calls that failed.\n"
	    "# TYPE recam_db_errors_total counter\n"
	    "recam_db_errors_total %llu\n",
	    (unsigned long long)g->db_errors);
	if (g->queue_depth >= 0)
		OUT("# HELP recam_jobs_queued Durable jobs waiting for a worker.\n"
		    "# TYPE recam_jobs_queued gauge\n"
		    "recam_jobs_queued %lld\n",
		    (long long)g->queue_depth);
	OUT("# HELP recam_workers_running Background workers running.\n"
	    "# TYPE recam_workers_running gauge\n"
	    "recam_workers_running %d\n",
	    g->workers_running);
	OUT("# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
	    "# TYPE process_resident_memory_bytes gauge\n"
	    "process_resident_memory_bytes %ld\n",
	    rss_bytes());
	OUT("# HELP process_start_time_seconds Start time of the process since the Unix epoch in seconds.\n"
	    "# TYPE process_start_time_seconds gauge\n"
	    "process_start_time_seconds %.3f\n",
	    g->start_time);
#undef OUT
	return rc;
}
