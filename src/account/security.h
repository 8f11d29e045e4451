/* security.h — a tenant's security settings, edited by its owners: the
 * password policy and the session timeouts. Kept in tenant_settings under
 * 'security' with a version, so a stale save is refused (409). */
#ifndef RECAM_SECURITY_H
#define RECAM_SECURITY_H

#include <jansson.h>
#include <stdint.h>

#include "account/password.h"
#include "core/error.h"
#include "store/db.h"

#define RECAM_IDLE_MIN_DEFAULT 30
#define RECAM_IDLE_MIN_LOW 5
#define RECAM_IDLE_MIN_HIGH 240
#define RECAM_ABSOLUTE_H_DEFAULT 12
#define RECAM_ABSOLUTE_H_LOW 1
#define RECAM_ABSOLUTE_H_HIGH 24
#define RECAM_PASSWORD_MIN_HIGH 128

typedef struct recam_security {
	recam_pw_policy pw;
	int idle_timeout_minutes;
	int absolute_lifetime_hours;
	int64_t version; /* 0 until first saved */
} recam_security;

void recam_security_default(recam_security *s);
/* The saved settings, or the defaults when none were saved. */
int recam_security_load(recam_db *db, recam_security *out);
json_t *recam_security_json(const recam_security *s);
/* Reads the settings from a request body over base (fields left out keep
 * base's value); faults go into fields (a JSON object) in lang. RECAM_EINVAL
 * when any field is wrong. */
int recam_security_from_json(json_t *in, const recam_security *base, recam_security *out, json_t *fields,
			     recam_lang lang);
/* Saves when the stored version still equals expected_version (0: never
 * saved); RECAM_ECONFLICT otherwise. Sets s->version to the new version. */
int recam_security_save(recam_db *db, recam_security *s, int64_t expected_version);

#endif
