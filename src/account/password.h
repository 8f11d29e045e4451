/* password.h — staff passwords: Argon2id hashes (libsodium, interactive
 * limits) behind a process-wide cap on concurrent hashes, and the policy
 * checked whenever a password is set. */
#ifndef RECAM_PASSWORD_H
#define RECAM_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* crypto_pwhash_STRBYTES */
#define RECAM_PWHASH_MAX 128
/* Longer passwords are refused: hashing cost should not be the client's choice. */
#define RECAM_PASSWORD_MAX_BYTES 256
#define RECAM_PASSWORD_MIN_FLOOR 8
#define RECAM_PASSWORD_MIN_DEFAULT 12
/* At most this many hashes run at once (64 MiB each); DESIGN pitfall 8. */
#define RECAM_PWHASH_CONCURRENCY 2

typedef struct recam_pw_policy {
	int min_length; /* code points, >= RECAM_PASSWORD_MIN_FLOOR */
	bool require_upper, require_lower, require_digit, require_symbol;
} recam_pw_policy;

enum recam_pw_fault {
	RECAM_PW_OK = 0,
	RECAM_PW_TOO_SHORT,
	RECAM_PW_TOO_LONG,
	RECAM_PW_INVALID,	/* not UTF-8 text, or control characters */
	RECAM_PW_BLOCKLISTED,	/* common, breached or a trivial pattern */
	RECAM_PW_CONTAINS_EMAIL,
	RECAM_PW_CONTAINS_TENANT,
	RECAM_PW_NEEDS_UPPER,
	RECAM_PW_NEEDS_LOWER,
	RECAM_PW_NEEDS_DIGIT,
	RECAM_PW_NEEDS_SYMBOL,
};

void recam_pw_policy_default(recam_pw_policy *p);
/* email and tenant_slug may be NULL. The blocklist always applies. */
enum recam_pw_fault recam_password_check(const recam_pw_policy *p, const char *password, const char *email,
					 const char *tenant_slug);
/* A message for the person setting the password, in their language. */
const char *recam_password_fault_message(enum recam_pw_fault f, recam_lang lang, int min_length, char *buf,
					  size_t n);
const char *recam_password_fault_code(enum recam_pw_fault f);
/* True when the password (case-insensitively, with trailing digits and
 * symbols removed too) is on the built-in blocklist. */
bool recam_password_blocklisted(const char *password);

/* Hashes into out (NUL-terminated). RECAM_EBUSY when no hashing slot frees
 * up within a few seconds, RECAM_ENOMEM when libsodium cannot allocate. */
int recam_password_hash(const char *password, char out[RECAM_PWHASH_MAX]);
/* 0 when the password matches, RECAM_EUNAUTH when not; *rehash is set when
 * the stored hash uses other parameters than the current ones. A NULL hash
 * verifies against a dummy so an unknown user costs the same time. */
int recam_password_verify(const char *hash, const char *password, bool *rehash);

#endif
