/* participant.h — a shopper, known by an email address (sealed with the
 * tenant key, found through a keyed hash) and a signed first-party cookie. */
#ifndef RECAM_PARTICIPANT_H
#define RECAM_PARTICIPANT_H

#include <stdbool.h>

#include "core/crypto.h"
#include "core/str.h"
#include "store/db.h"

#define RECAM_EMAIL_MAX 254
#define RECAM_PARTICIPANT_COOKIE_MAX 128

/* Lower-cases and checks an address (one @, a dotted domain, no spaces or
 * control characters, ≤ 254 bytes). false when it is not an address. */
bool recam_email_normalize(const char *in, char out[RECAM_EMAIL_MAX + 1]);

/* The participant with this (normalized) email, created if new. */
int recam_participant_upsert(recam_db *db, const recam_key *tenant_key, const char *email,
			     char id[RECAM_ID_LEN + 1]);
/* Cookie value "id.signature" proving the browser belongs to participant id. */
void recam_participant_cookie(const recam_key *tenant_key, const char *id, char out[RECAM_PARTICIPANT_COOKIE_MAX]);
/* The participant id a cookie value proves, or false. */
bool recam_participant_from_cookie(const recam_key *tenant_key, const char *cookie, char id[RECAM_ID_LEN + 1]);

#endif
