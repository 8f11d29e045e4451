/* api_entry.c — the shopper's API: a campaign, sending an entry (photos are
 * streamed from the multipart body into the encrypted blob store as they
 * arrive), and the entry's result. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_upload.h"
#include "campaign/entry.h"
#include "campaign/judge.h"
#include "campaign/participant.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/multipart.h"
#include "http/server.h"
#include "store/jobs.h"

#define COOKIE "recam_p"
#define COOKIE_TLS "__Host-recam_p"

/* The entry's form: its photos (api_upload.c) and its two fields. */
struct upload {
	api_upload up; /* first: the state api_upload_body makes */
	char email[RECAM_EMAIL_MAX + 1];
	bool email_given, agreed;
};

static int on_field(api_upload *up, const char *name, const char *value)
{
	struct upload *u = (struct upload *)up;
	if (strcmp(name, "email") == 0) {
		u->email_given = true;
		if (!recam_email_normalize(value, u->email))
			u->email[0] = '\0';
	} else if (strcmp(name, "agree") == 0) {
		u->agreed = strcmp(value, "true") == 0 || strcmp(value, "1") == 0 || strcmp(value, "on") == 0;
	}
	return 0;
}

static const struct api_upload_opts entry_upload = {
	.max_photos = RECAM_ENTRY_MAX_IMAGES,
	.max_files = RECAM_ENTRY_MAX_IMAGES,
	.max_parts = RECAM_ENTRY_MAX_IMAGES + 8,
	.size = sizeof(struct upload),
	.on_field = on_field,
};

int api_entry_body(recam_req *req, const char *data, size_t len)
{
	return api_upload_body(req, data, len, &entry_upload);
}

static int refuse(recam_req *req, int status, const char *reason)
{
	return recam_resp_error_code(req, status, reason, recam_reason_message(reason, req->lang), NULL);
}

static void set_cookie(recam_req *req, const recam_key *key, const char *participant_id)
{
	char value[RECAM_PARTICIPANT_COOKIE_MAX];
	recam_participant_cookie(key, participant_id, value);
	bool tls = req->srv->tls;
	/* First-party, not readable by scripts; __Host- under TLS pins it to
	 * this host and path "/". */
	const char *c = recam_arena_printf(req->arena, "%s=%s; Path=/; Max-Age=15552000; HttpOnly; SameSite=Lax%s",
					   tls ? COOKIE_TLS : COOKIE, value, tls ? "; Secure" : "");
	if (c)
		recam_resp_header(req, MHD_HTTP_HEADER_SET_COOKIE, c);
}

static bool cookie_participant(recam_req *req, const recam_key *key, char id[RECAM_ID_LEN + 1])
{
	const char *v = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, req->srv->tls ? COOKIE_TLS : COOKIE);
	return recam_participant_from_cookie(key, v, id);
}

/* Loads the campaign named in the URL; drafts do not exist for shoppers. */
static int load_campaign(recam_req *req, recam_db *db, recam_campaign *c)
{
	int rc = recam_campaign_load(db, recam_req_param(req, "campaign"), c);
	if (rc == 0 && strcmp(c->status, "draft") == 0) {
		recam_campaign_free(c);
		rc = RECAM_ENOTFOUND;
	}
	return rc;
}

int api_campaign_get(recam_req *req)
{
	recam_db *db;
	int rc = recam_store_tenant(req->srv->store, req->tenant->id, &db);
	if (rc != 0)
		return rc;
	recam_campaign c;
	rc = load_campaign(req, db, &c);
	recam_db_release(db);
	if (rc != 0)
		return rc;
	json_t *pub = recam_campaign_public(&c, recam_clock_now());
	recam_campaign_free(&c);
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "campaign", pub));
}

static int collect_public(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const char *slug = recam_dbrow_text(row, 0, &n);
	const char *title = recam_dbrow_text(row, 1, &n);
	char end[32];
	recam_clock_format_rfc3339(recam_dbrow_int(row, 2), end, sizeof(end));
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "slug", slug, "title", title, "entry_end", end));
	return 0;
}

int api_campaign_list(recam_req *req)
{
	recam_db *db;
	int rc = recam_store_tenant(req->srv->store, req->tenant->id, &db);
	if (rc != 0)
		return rc;
	json_t *list = json_array();
	int64_t now = recam_clock_now();
	rc = recam_db_query(db,
			    "SELECT slug, title, entry_end FROM campaigns WHERE status = 'published'"
			    " AND entry_start <= ? AND entry_end > ? ORDER BY entry_end",
			    RECAM_DB_ARGS(DBV_INT(now), DBV_INT(now)), collect_public, list);
	recam_db_release(db);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "campaigns", list));
}

static int finish_entry(recam_req *req, struct upload *u, recam_db *db, recam_campaign *c)
{
	if (!recam_campaign_open(c, recam_clock_now()))
		return refuse(req, MHD_HTTP_CONFLICT, "campaign_not_open");
	if (u->email[0] == '\0')
		return refuse(req, MHD_HTTP_BAD_REQUEST, "invalid_email");
	if (!u->agreed)
		return refuse(req, MHD_HTTP_BAD_REQUEST, "terms_not_accepted");
	if (u->up.n == 0)
		return refuse(req, MHD_HTTP_BAD_REQUEST, "no_receipt");
	if (u->up.n > c->rules.receipts_max)
		return refuse(req, MHD_HTTP_BAD_REQUEST, "too_many_receipts");
	if (u->up.n < c->rules.receipts_min)
		return refuse(req, MHD_HTTP_BAD_REQUEST, "too_few_receipts");
	const char *idem = recam_req_header(req, "Idempotency-Key");
	if (idem && (strlen(idem) > 128 || recam_utf8_text(idem, strlen(idem), false) < 0))
		return refuse(req, MHD_HTTP_BAD_REQUEST, "malformed_upload");
	char pid[RECAM_ID_LEN + 1], eid[RECAM_ID_LEN + 1];
	int rc = recam_participant_upsert(db, &u->up.key, u->email, pid);
	if (rc != 0)
		return rc;
	bool existing;
	const char *reason;
	rc = recam_entry_create(db, c, pid, idem, u->up.img, u->up.n, recam_clock_now(), eid, &existing, &reason);
	if (rc == RECAM_ELIMIT)
		return refuse(req, MHD_HTTP_CONFLICT, reason);
	if (rc != 0)
		return rc;
	u->up.kept = !existing;
	if (!existing) {
		char job[RECAM_ID_LEN + 1];
		json_t *payload = json_pack("{s:s}", "entry", eid);
		rc = recam_jobs_enqueue(req->srv->store, req->tenant->id, "entry.judge", payload, 0, job);
		json_decref(payload);
		if (rc != 0)
			recam_error("entry %s recorded but not queued: %s", eid, recam_err_code(rc));
	}
	set_cookie(req, &u->up.key, pid);
	json_t *view;
	if ((rc = recam_entry_view(db, c->id, eid, pid, req->lang, &view)) != 0)
		return rc;
	return recam_resp_json(req, existing ? MHD_HTTP_OK : MHD_HTTP_ACCEPTED, json_pack("{s:o}", "entry", view));
}

int api_entry_create(recam_req *req)
{
	struct upload *u = req->state;
	if (u == NULL)
		return refuse(req, MHD_HTTP_BAD_REQUEST, "no_receipt");
	int rc = api_upload_end(&u->up);
	if (rc == RECAM_EMEDIA)
		return recam_resp_error(req, RECAM_EMEDIA, "multipart/form-data expected", NULL);
	if (u->up.too_many)
		return refuse(req, MHD_HTTP_BAD_REQUEST, "too_many_receipts");
	if (rc == RECAM_ETOOBIG)
		return rc;
	if (rc != 0) {
		recam_info("upload refused: %s",
			   recam_multipart_reason(u->up.mp) ? recam_multipart_reason(u->up.mp) : "?");
		return refuse(req, MHD_HTTP_BAD_REQUEST, "malformed_upload");
	}
	recam_db *db;
	rc = recam_store_tenant(req->srv->store, req->tenant->id, &db);
	if (rc != 0)
		return rc;
	recam_campaign c;
	rc = load_campaign(req, db, &c);
	if (rc == 0) {
		rc = finish_entry(req, u, db, &c);
		recam_campaign_free(&c);
	}
	recam_db_release(db);
	return rc;
}

int api_shopper(recam_req *req, recam_db **db, recam_campaign *c, char pid[RECAM_ID_LEN + 1])
{
	recam_key key;
	int rc = recam_tenant_key(&req->srv->master, req->tenant, &key);
	if (rc != 0)
		return rc;
	bool known = cookie_participant(req, &key, pid);
	recam_key_wipe(&key);
	if (!known)
		return RECAM_EUNAUTH;
	if ((rc = recam_store_tenant(req->srv->store, req->tenant->id, db)) != 0)
		return rc;
	if ((rc = load_campaign(req, *db, c)) != 0)
		recam_db_release(*db);
	return rc;
}

int api_entry_get(recam_req *req)
{
	recam_db *db;
	recam_campaign c;
	char pid[RECAM_ID_LEN + 1];
	int rc = api_shopper(req, &db, &c, pid);
	if (rc != 0) /* without the cookie, the same answer as a wrong id */
		return rc == RECAM_EUNAUTH ? RECAM_ENOTFOUND : rc;
	json_t *view;
	rc = recam_entry_view(db, c.id, recam_req_param(req, "entry"), pid, req->lang, &view);
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "entry", view));
}

struct mine_ctx {
	recam_db *db;
	const char *campaign_id;
	const char *pid;
	recam_lang lang;
	char ids[100][RECAM_ID_LEN + 1];
	int n;
};

static int collect_mine(void *ctx, const recam_dbrow *row)
{
	struct mine_ctx *m = ctx;
	return m->n < 100 ? recam_dbrow_copy_text(row, 0, m->ids[m->n++], RECAM_ID_LEN + 1) : 1;
}

int api_entry_mine(recam_req *req)
{
	recam_db *db;
	recam_campaign c;
	struct mine_ctx *m = recam_arena_alloc(req->arena, sizeof(*m));
	if (m == NULL)
		return RECAM_ENOMEM;
	char pid[RECAM_ID_LEN + 1];
	int rc = api_shopper(req, &db, &c, pid);
	if (rc == RECAM_EUNAUTH) /* never entered from this browser: no history */
		return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:[]}", "entries"));
	if (rc != 0)
		return rc;
	m->n = 0;
	rc = recam_db_query(db, "SELECT id FROM entries WHERE campaign_id = ? AND participant_id = ? ORDER BY created_at DESC",
			    RECAM_DB_ARGS(DBV_TEXT(c.id), DBV_TEXT(pid)), collect_mine, m);
	json_t *list = json_array();
	for (int i = 0; rc >= 0 && i < m->n; i++) {
		json_t *v;
		if (recam_entry_view(db, c.id, m->ids[i], pid, req->lang, &v) == 0)
			json_array_append_new(list, v);
	}
	recam_campaign_free(&c);
	recam_db_release(db);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "entries", list));
}
