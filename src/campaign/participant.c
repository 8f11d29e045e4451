/* participant.c — participants and their cookie. */
#include "participant.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"

bool recam_email_normalize(const char *in, char out[RECAM_EMAIL_MAX + 1])
{
	recam_str s = recam_str_trim(recam_str_c(in));
	if (s.n < 3 || s.n > RECAM_EMAIL_MAX)
		return false;
	size_t at = 0, ats = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' || c == ',' || c == ';')
			return false;
		if (c == '@') {
			at = i;
			ats++;
		}
		out[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	out[s.n] = '\0';
	if (ats != 1 || at == 0 || at == s.n - 1)
		return false;
	const char *domain = out + at + 1;
	const char *dot = strrchr(domain, '.');
	/* A dotted domain whose labels are not empty. */
	if (dot == NULL || dot == domain || dot[1] == '\0' || strstr(domain, "..") || domain[0] == '.')
		return false;
	return recam_utf8_text(out, s.n, false) > 0;
}

static int read_id(void *ctx, const recam_dbrow *row) { return recam_dbrow_copy_text(row, 0, ctx, RECAM_ID_LEN + 1); }

int recam_participant_upsert(recam_db *db, const recam_key *tenant_key, const char *email, char id[RECAM_ID_LEN + 1])
{
	char hash[65];
	recam_keyed_hash_hex(tenant_key, "emailidx", email, strlen(email), hash);
	int rc = recam_db_query_one(db, "SELECT id FROM participants WHERE email_hash = ?", RECAM_DB_ARGS(DBV_TEXT(hash)),
				    read_id, id);
	if (rc != RECAM_ENOTFOUND)
		return rc;
	recam_random_id(id);
	char ad[64];
	snprintf(ad, sizeof(ad), "participants.email:%s", id);
	recam_buf sealed;
	recam_buf_init(&sealed, 1024);
	rc = recam_seal(tenant_key, ad, email, strlen(email), &sealed);
	char now[32];
	recam_clock_format_rfc3339(recam_clock_now(), now, sizeof(now));
	if (rc == 0)
		rc = recam_db_exec(db,
				   "INSERT INTO participants(id, email_hash, email_sealed, created_at) VALUES (?, ?, ?, ?)"
				   " ON CONFLICT(email_hash) DO NOTHING",
				   RECAM_DB_ARGS(DBV_TEXT(id), DBV_TEXT(hash), DBV_BLOB(sealed.data, sealed.len),
						 DBV_TEXT(now)));
	recam_buf_free(&sealed);
	if (rc != 0)
		return rc;
	/* Two first entries of one address at once: the other insert won. */
	return recam_db_query_one(db, "SELECT id FROM participants WHERE email_hash = ?", RECAM_DB_ARGS(DBV_TEXT(hash)),
				  read_id, id);
}

void recam_participant_cookie(const recam_key *tenant_key, const char *id, char out[RECAM_PARTICIPANT_COOKIE_MAX])
{
	char sig[65];
	recam_keyed_hash_hex(tenant_key, "cookiesg", id, strlen(id), sig);
	snprintf(out, RECAM_PARTICIPANT_COOKIE_MAX, "%s.%s", id, sig);
}

bool recam_participant_from_cookie(const recam_key *tenant_key, const char *cookie, char id[RECAM_ID_LEN + 1])
{
	if (cookie == NULL)
		return false;
	const char *dot = strchr(cookie, '.');
	if (dot == NULL || dot - cookie != RECAM_ID_LEN || strlen(dot + 1) != 64)
		return false;
	memcpy(id, cookie, RECAM_ID_LEN);
	id[RECAM_ID_LEN] = '\0';
	char want[65];
	recam_keyed_hash_hex(tenant_key, "cookiesg", id, RECAM_ID_LEN, want);
	return sodium_memcmp(want, dot + 1, 64) == 0;
}
