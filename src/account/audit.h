/* audit.h — the tenant's append-only, hash-chained audit log.
 * Each record's hash is SHA-256 over its canonical form and the previous
 * record's hash, so altering or removing a record breaks every hash after
 * it; the newest seq and hash are also kept in tenant_settings
 * ('audit.head') so cutting records off the end is noticed too. */
#ifndef RECAM_AUDIT_H
#define RECAM_AUDIT_H

#include <stdint.h>

#include "store/db.h"

#define RECAM_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct recam_audit_rec {
	int64_t seq;
	int64_t at_ms;
	const char *actor, *action, *object_type, *object_id, *outcome, *client, *rid;
} recam_audit_rec;

/* Appends one record inside the caller's open transaction (so the action
 * and its record commit or roll back together). NULL strings are stored
 * as empty. */
int recam_audit_append(recam_db *db, const char *actor, const char *action, const char *object_type,
		       const char *object_id, const char *outcome, const char *client, const char *rid);
/* The same in a transaction of its own. */
int recam_audit_record(recam_db *db, const char *actor, const char *action, const char *object_type,
		       const char *object_id, const char *outcome, const char *client, const char *rid);
/* 0 when the chain is whole; RECAM_ECRYPTO with *first_bad_seq set to the
 * first record that does not check (for a cut-off end: the first missing
 * seq); another error when the database cannot be read. *count gets the
 * number of records checked (may be NULL). */
int recam_audit_verify(recam_db *db, int64_t *first_bad_seq, int64_t *count);
/* SHA-256 hex of the canonical record and prev_hash (64 hex digits). */
void recam_audit_hash(const recam_audit_rec *r, const char *prev_hash, char out[65]);

#endif
