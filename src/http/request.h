/* request.h — one HTTP request as the handlers see it: the route and its
 * parameters, the resolved tenant, the body, and the response being built.
 * Everything allocated for a request lives in its arena and goes with it. */
#ifndef RECAM_REQUEST_H
#define RECAM_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "account/tenant.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "http/router.h"

struct MHD_Connection;
struct MHD_Response;
struct recam_server;

#define RECAM_MAX_RESP_HEADERS 12

typedef struct recam_req {
	struct recam_server *srv;
	struct MHD_Connection *conn;
	recam_arena *arena;
	char rid[20];
	uint64_t start_ns;
	recam_lang lang;

	const char *method;
	const char *url;	/* full path as received (decoded) */
	recam_str path;		/* path within the route's scope */
	const recam_route *route;
	int route_index;	/* for metrics; -1 when no route matched */
	recam_params params;
	const recam_tenant *tenant; /* set by the gate for tenant routes */
	struct recam_session *staff; /* set by the gate for staff routes: session and user */
	bool pii;		/* staff may see personal data (false for viewers: mask it) */
	bool admitted;		/* counted as in flight */

	recam_buf body;
	int early_err;		/* decided before the handler ran */
	uint64_t discarded;	/* body bytes thrown away after early_err */
	uint64_t body_bytes;	/* received so far, streamed or buffered */
	void *state;		/* a streaming handler's own state */
	void (*cleanup)(struct recam_req *req); /* frees state, whatever the outcome */
	char allow[64];		/* for 405 */

	/* Response. */
	int status;
	const char *content_type;
	recam_buf resp;
	struct MHD_Response *file_resp; /* a prepared response (static files) */
	int nheaders;
	const char *hname[RECAM_MAX_RESP_HEADERS];
	const char *hvalue[RECAM_MAX_RESP_HEADERS];
	uint64_t resp_bytes;
	bool queued;
} recam_req;

/* Query-string argument or NULL. */
const char *recam_req_query(recam_req *req, const char *name);
/* Request header or NULL. */
const char *recam_req_header(recam_req *req, const char *name);
/* The client's address as text ("-" when unknown), in the arena. */
const char *recam_req_client(recam_req *req);
/* A route parameter as a NUL-terminated string in the arena. */
const char *recam_req_param(recam_req *req, const char *name);
/* Parses the body as JSON with the depth limit; on failure sets a 400
 * response naming the problem and returns the error. */
int recam_req_json(recam_req *req, json_t **out);

/* Responses. Each returns 0 so a handler can "return recam_resp_...". */
int recam_resp_header(recam_req *req, const char *name, const char *value);
/* Takes ownership of body (json_decref'd). */
int recam_resp_json(recam_req *req, int status, json_t *body);
/* {"error":{"code","message"[,"detail"][,"fields"]}} in the request's language. */
int recam_resp_error(recam_req *req, int err, const char *detail, json_t *fields);
/* An error with a domain-specific code and a message for a person. */
int recam_resp_error_code(recam_req *req, int status, const char *code, const char *message, json_t *fields);
int recam_resp_text(recam_req *req, int status, const char *content_type, const char *text, size_t len);

#endif
