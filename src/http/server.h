/* server.h — recam serve: libmicrohttpd with recam's limits, the gate in
 * front of every handler, security headers on every response, access log
 * and metrics, graceful shutdown. */
#ifndef RECAM_SERVER_H
#define RECAM_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>

#include "core/config.h"
#include "core/crypto.h"
#include "http/accesslog.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/store.h"

struct MHD_Daemon;

typedef struct recam_server {
	const recam_config *cfg;
	recam_store *store;
	recam_key master;
	const recam_route *routes;
	size_t nroutes;
	struct MHD_Daemon *daemon;
	recam_metrics *metrics;
	recam_accesslog *access;
	bool tls;
	char web_root[4096]; /* realpath of web_dir */
	_Atomic int in_flight;
	_Atomic bool shutting_down;
	_Atomic int workers_running;
	int workers_expected;
} recam_server;

/* Starts listening; returns once the daemon runs. */
int recam_server_start(recam_server *srv);
/* Stops taking new requests (503), waits up to grace seconds for the ones in
 * flight, then stops the daemon. */
void recam_server_shutdown(recam_server *srv, int64_t grace_seconds);
/* The port listened on (useful with port 0). */
int recam_server_port(const recam_server *srv);

#endif
