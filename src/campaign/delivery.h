/* delivery.h — a winner's delivery details: validated for Japanese formats
 * (furigana, postal code, prefecture, phone) and sealed with the tenant key
 * before they touch the database. */
#ifndef RECAM_DELIVERY_H
#define RECAM_DELIVERY_H

#include <jansson.h>

#include "core/crypto.h"
#include "core/error.h"
#include "store/db.h"

/* Checks and normalizes the form in place (postal code as NNN-NNNN, phone
 * digits with hyphens kept, email lower-cased). On RECAM_EINVAL *fields
 * holds one message per faulty field in lang. */
int recam_delivery_validate(json_t *form, recam_lang lang, json_t **fields);

/* Records the details for a win of this participant: RECAM_ENOTFOUND when
 * the win is not theirs, RECAM_ECONFLICT when the claim deadline passed or
 * the win was forfeited. */
int recam_delivery_save(recam_db *db, const recam_key *tenant_key, const char *campaign_id, const char *win_id,
			const char *participant_id, json_t *form, int64_t now);
/* The decrypted details of a win, or RECAM_ENOTFOUND when none were sent. */
int recam_delivery_load(recam_db *db, const recam_key *tenant_key, const char *win_id, json_t **out);
/* The same from the sealed column as read (lists and exports read it in
 * their own query): RECAM_ECRYPTO when it does not open. */
int recam_delivery_open(const recam_key *tenant_key, const char *win_id, const void *sealed, size_t len,
			json_t **out);

#endif
