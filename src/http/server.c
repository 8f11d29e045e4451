/* server.c — libmicrohttpd glue: request life cycle, limits, TLS, shutdown.
 *
 * A request goes: URI callback (arena, request id, start time) → first call
 * of the access handler (gate: tenant, route, access, declared limits; no
 * response yet, see DESIGN pitfall 1) → body calls (streamed into the
 * request's capped buffer) → last call (handler, response) → completion
 * (metrics, access log, free). */
#include "server.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/fsutil.h"
#include "core/log.h"
#include "http/gate.h"
#include "http/request.h"
#include "http/response.h"

#define REQ_ARENA_MAX (4u * 1024 * 1024)

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)uri;
	recam_server *srv = cls;
	recam_arena *a = recam_arena_new(REQ_ARENA_MAX);
	recam_req *req = a ? recam_arena_alloc(a, sizeof(*req)) : NULL;
	if (req == NULL) {
		recam_arena_free(a);
		return NULL;
	}
	memset(req, 0, sizeof(*req));
	req->srv = srv;
	req->conn = conn;
	req->arena = a;
	req->start_ns = recam_clock_mono_ns();
	req->route_index = -1;
	char id[RECAM_ID_LEN + 1];
	recam_random_id(id);
	snprintf(req->rid, sizeof(req->rid), "%.16s", id);
	recam_buf_init(&req->body, 0);
	recam_buf_init(&req->resp, 64u * 1024 * 1024);
	return req;
}

/* Sum of the request line and header bytes, as the client sent them. */
struct header_size {
	size_t total;
};

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct header_size *h = cls;
	h->total += strlen(key) + 4 + (value ? strlen(value) : 0);
	return MHD_YES;
}

static void request_begin(recam_req *req, const char *url, const char *method)
{
	recam_server *srv = req->srv;
	req->method = recam_arena_strndup(req->arena, method, strlen(method));
	req->url = recam_arena_strndup(req->arena, url, strlen(url));
	req->lang = recam_lang_from_header(recam_req_header(req, "Accept-Language"));
	if (req->method == NULL || req->url == NULL) {
		req->early_err = RECAM_ENOMEM;
		return;
	}
	if (atomic_load(&srv->shutting_down)) {
		req->early_err = RECAM_ESHUTDOWN;
		return;
	}
	req->admitted = true;
	atomic_fetch_add(&srv->in_flight, 1);

	struct header_size hs = {strlen(method) + strlen(url) + 12};
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, add_header_size, &hs);
	if (hs.total > srv->cfg->max_header_bytes) {
		req->early_err = RECAM_EHEADERS;
		return;
	}
	int rc = recam_gate(req);
	if (rc != 0) {
		req->early_err = rc;
		return;
	}
	/* The declared body limit, checked against Content-Length before any
	 * byte is read, and again as bytes arrive (chunked bodies). */
	size_t max_body = req->route->max_body == RECAM_BODY_JSON     ? srv->cfg->max_body_bytes
			  : req->route->max_body == RECAM_BODY_UPLOAD ? srv->cfg->max_upload_bytes
								      : req->route->max_body;
	recam_buf_init(&req->body, max_body);
	const char *cl = recam_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	int64_t len = 0;
	if (cl && recam_parse_i64(recam_str_c(cl), 0, INT64_MAX, &len) == 0 && (uint64_t)len > max_body)
		req->early_err = RECAM_ETOOBIG;
}

static bool request_has_body(recam_req *req)
{
	const char *cl = recam_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return (cl && strcmp(cl, "0") != 0) || recam_req_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

static void send_error(recam_req *req)
{
	recam_resp_error(req, req->early_err, NULL, NULL);
	recam_response_send(req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)cls;
	(void)version;
	recam_req *req = *con_cls;
	if (req == NULL) /* out of memory in on_uri */
		return MHD_NO;
	recam_log_set_request_id(req->rid);
	if (req->method == NULL && req->early_err == 0) {
		req->conn = conn;
		request_begin(req, url, method);
		/* A refused request that carries a body is answered at once, without
		 * reading the body; libmicrohttpd then closes the connection. One
		 * without a body is answered on the next call, keeping keep-alive. */
		if (req->early_err != 0 && request_has_body(req))
			send_error(req);
		recam_log_set_request_id(NULL);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (req->early_err == 0) {
			req->body_bytes += n;
			int rc = req->body_bytes > req->body.max       ? RECAM_ETOOBIG
				 : req->route->on_body			? req->route->on_body(req, upload_data, n)
									: recam_buf_append(&req->body, upload_data, n);
			if (rc != 0) {
				req->early_err = rc;
				send_error(req);
			}
		} else if (!req->queued) {
			/* libmicrohttpd accepts no response in the middle of a body:
			 * discard it up to a bound, then drop the connection. */
			req->discarded += n;
			if (req->discarded > req->srv->cfg->max_body_bytes) {
				recam_log_set_request_id(NULL);
				return MHD_NO;
			}
		}
		recam_log_set_request_id(NULL);
		return MHD_YES;
	}
	if (!req->queued) {
		if (req->early_err != 0) {
			recam_resp_error(req, req->early_err, NULL, NULL);
		} else {
			int rc = req->route->handler(req);
			if (rc != 0 && req->status == 0)
				recam_resp_error(req, rc, NULL, NULL);
		}
		if (req->status == 0)
			recam_resp_error(req, RECAM_EINTERNAL, NULL, NULL);
		recam_response_send(req);
	}
	recam_log_set_request_id(NULL);
	return req->queued ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	recam_server *srv = cls;
	recam_req *req = *con_cls;
	if (req == NULL)
		return;
	*con_cls = NULL;
	double secs = (double)(recam_clock_mono_ns() - req->start_ns) / 1e9;
	/* status 0: libmicrohttpd answered (malformed request) or the client left. */
	int status = req->queued ? req->status : 0;
	if (req->method) {
		recam_metrics_observe(srv->metrics, req->route_index, req->method, status, secs);
		const char *client = recam_req_client(req);
		struct recam_access_entry e = {
			.tenant = req->tenant ? req->tenant->slug : "",
			.method = req->method,
			.path = req->url,
			.status = status,
			.bytes = req->resp_bytes,
			.duration_ms = secs * 1000.0,
			.client = client,
			.rid = req->rid,
		};
		recam_accesslog_write(srv->access, &e);
	}
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && req->queued)
		recam_debug("request %s ended early (%d)", req->rid, (int)toe);
	if (req->cleanup)
		req->cleanup(req);
	if (req->admitted)
		atomic_fetch_sub(&srv->in_flight, 1);
	if (req->file_resp)
		MHD_destroy_response(req->file_resp);
	recam_buf_free(&req->body);
	recam_buf_free(&req->resp);
	recam_arena_free(req->arena);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	recam_debug("libmicrohttpd: %s", msg);
}

static int hexval(char c)
{
	return (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
}

/* Percent-decoding of the path and query arguments, in place. An encoded
 * NUL stays "%00": decoded, it would cut the C string the handler sees
 * ("/t/demo%00/x" becoming "/t/demo"), so the path is refused instead. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	char *w = s;
	for (const char *r = s; *r; r++) {
		int hi, lo;
		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 && (hi | lo) != 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static int load_pem(const char *path, char **out)
{
	recam_buf b;
	recam_buf_init(&b, 1024 * 1024);
	int rc = recam_fs_read(path, &b);
	if (rc != 0) {
		recam_buf_free(&b);
		return rc;
	}
	*out = recam_buf_take(&b, NULL);
	return *out ? 0 : RECAM_EINVAL;
}

int recam_server_start(recam_server *srv)
{
	const recam_config *cfg = srv->cfg;
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST};
	struct addrinfo *ai = NULL;
	char port[8];
	snprintf(port, sizeof(port), "%u", cfg->listen_port);
	const char *host = strcmp(cfg->listen_host, "*") == 0 ? "0.0.0.0" : cfg->listen_host;
	if (strcmp(host, "localhost") == 0)
		host = "127.0.0.1";
	if (getaddrinfo(host, port, &hints, &ai) != 0 || ai == NULL) {
		recam_error("listen: '%s' is not a numeric address", cfg->listen_host);
		return RECAM_EINVAL;
	}
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	char *cert = NULL, *key = NULL;
	if (cfg->tls_cert_file[0]) {
		if (load_pem(cfg->tls_cert_file, &cert) != 0 || load_pem(cfg->tls_key_file, &key) != 0) {
			recam_error("tls_cert_file / tls_key_file: cannot read %s or %s", cfg->tls_cert_file,
				    cfg->tls_key_file);
			free(cert);
			free(key);
			freeaddrinfo(ai);
			return RECAM_EIO;
		}
		flags |= MHD_USE_TLS;
		srv->tls = true;
	}
	/* libmicrohttpd keeps the request line and headers in the connection's
	 * memory pool; the exact header limit is enforced in request_begin, the
	 * pool is a backstop with room for the response headers too. */
	size_t pool = (size_t)cfg->max_header_bytes + 16 * 1024;
	struct MHD_OptionItem tls_opts[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, key},
		{MHD_OPTION_END, 0, NULL},
	};
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->threads > 1 ? (unsigned)cfg->threads : 0u, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)cfg->max_connections, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_ARRAY, srv->tls ? tls_opts : &tls_opts[2], MHD_OPTION_END);
	freeaddrinfo(ai);
	/* libmicrohttpd copies the PEM data at start. */
	free(cert);
	free(key);
	if (srv->daemon == NULL) {
		recam_error("cannot listen on %s (in use, or not an address of this machine)", cfg->listen);
		return RECAM_EIO;
	}
	return 0;
}

void recam_server_shutdown(recam_server *srv, int64_t grace_seconds)
{
	if (srv->daemon == NULL)
		return;
	atomic_store(&srv->shutting_down, true);
	uint64_t deadline = recam_clock_mono_ns() + (uint64_t)grace_seconds * 1000000000u;
	int waiting = atomic_load(&srv->in_flight);
	if (waiting > 0)
		recam_info("shutting down: waiting for %d request(s) in flight", waiting);
	while (atomic_load(&srv->in_flight) > 0 && recam_clock_mono_ns() < deadline) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (atomic_load(&srv->in_flight) > 0)
		recam_warn("shutdown grace of %llds over; %d request(s) cut off", (long long)grace_seconds,
			   atomic_load(&srv->in_flight));
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
}

int recam_server_port(const recam_server *srv)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	return di ? (int)di->port : -1;
}
