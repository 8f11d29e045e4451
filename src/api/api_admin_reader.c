/* api_admin_reader.c — "test the reader" for staff: sample receipt photos
 * for a campaign (multipart, the same limits as a shopper's entry: 10 photos
 * of 20 MiB, the upload limit in all, content checked by the reader), read
 * by the sandboxed reader processes in a job and judged by the campaign's
 * rules without creating an entry or touching stock (campaign/reader_test.c).
 * POST answers 202 with the test's id; the screen polls GET for the result. */
#include <microhttpd.h>
#include <string.h>

#include "account/session.h"
#include "api/api.h"
#include "api/api_upload.h"
#include "campaign/reader_test.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/multipart.h"
#include "http/server.h"

_Static_assert(RECAM_READER_TEST_MAX_IMAGES <= API_UPLOAD_MAX_PHOTOS, "photos of a reader test");

/* One more file than allowed, so that the answer names the fault. */
static const struct api_upload_opts reader_upload = {
	.max_photos = RECAM_READER_TEST_MAX_IMAGES,
	.max_files = RECAM_READER_TEST_MAX_IMAGES + 1,
	.max_parts = RECAM_READER_TEST_MAX_IMAGES + 5,
	.size = sizeof(api_upload),
};

int api_admin_reader_body(recam_req *req, const char *data, size_t len)
{
	return api_upload_body(req, data, len, &reader_upload);
}

static int photo_error(recam_req *req, const char *code, const char *ja, const char *en)
{
	return recam_resp_error_code(req, MHD_HTTP_BAD_REQUEST, code, api_admin_msg(req, ja, en),
				     json_pack("{s:s}", "receipt", api_admin_msg(req, ja, en)));
}

int api_admin_reader_test(recam_req *req)
{
	api_upload *u = req->state;
	int err = u ? api_upload_end(u) : 0;
	if (err == RECAM_EMEDIA)
		return recam_resp_error(req, RECAM_EMEDIA, "multipart/form-data expected", NULL);
	if (u && u->too_many)
		return photo_error(req, "too_many_receipts", "写真は一度に10枚までです。", "At most 10 photos at a time.");
	if (err == RECAM_ETOOBIG)
		return err;
	if (err != 0) {
		recam_info("reader test upload refused: %s",
			   recam_multipart_reason(u->mp) ? recam_multipart_reason(u->mp) : "?");
		return photo_error(req, "malformed_upload", "送信に失敗しました。もう一度お試しください。",
				   "The upload was garbled. Please try again.");
	}
	if (u == NULL || u->n == 0)
		return photo_error(req, "no_receipt", "レシートの写真を選んでください。", "Choose a photo of a receipt.");
	if (!recam_reader_test_available()) {
		recam_resp_header(req, MHD_HTTP_HEADER_RETRY_AFTER, "60");
		return recam_resp_error_code(req, MHD_HTTP_SERVICE_UNAVAILABLE, "reader_unavailable",
					     api_admin_msg(req, "このサーバーではレシートの読み取り処理が動いていません（reader_workers が 0 です）。",
							   "This server runs no receipt readers (reader_workers is 0)."),
					     NULL);
	}
	const char *cid = recam_req_param(req, "id");
	recam_db *db = NULL;
	recam_campaign c = {.def = NULL};
	char id[RECAM_ID_LEN + 1] = "";
	int rc = api_admin_db(req, &db);
	/* Another tenant's campaign, or none: 404, nothing kept. */
	if (rc == 0)
		rc = recam_campaign_load_by_id(db, cid, &c);
	recam_campaign_free(&c);
	if (rc == 0 && (rc = recam_db_begin(db)) == 0) {
		rc = recam_reader_test_create(db, u->dir, cid, req->staff->user.id, u->img, u->n, recam_clock_now(), id);
		if (rc == 0)
			rc = api_admin_audit(req, db, "campaign.reader_test", "campaign", cid, "success", true);
		rc = rc == 0 ? recam_db_commit(db) : rc;
		if (rc != 0)
			recam_db_rollback(db);
	}
	if (rc == 0) {
		u->kept = true;
		recam_reader_test_enqueue(req->srv->store, db, req->tenant->id, id);
		json_t *view = NULL;
		if ((rc = recam_reader_test_view(db, cid, id, req->lang, &view)) == 0)
			rc = recam_resp_json(req, MHD_HTTP_ACCEPTED, json_pack("{s:o}", "test", view));
	}
	recam_db_release(db);
	return rc;
}

int api_admin_reader_result(recam_req *req)
{
	recam_db *db = NULL;
	int rc = api_admin_db(req, &db);
	if (rc != 0)
		return rc;
	json_t *view = NULL;
	rc = recam_reader_test_view(db, recam_req_param(req, "id"), recam_req_param(req, "test"), req->lang, &view);
	recam_db_release(db);
	if (rc != 0)
		return rc;
	return recam_resp_json(req, MHD_HTTP_OK, json_pack("{s:o}", "test", view));
}
