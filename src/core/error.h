/* error.h — the one error convention of recam.
 * Every function that can fail returns 0 on success or a negative recam_err.
 * recam_err_http() and recam_err_code() are the only places that map an
 * error to HTTP and to the public snake_case code. */
#ifndef RECAM_ERROR_H
#define RECAM_ERROR_H

typedef enum recam_err {
	RECAM_OK = 0,
	RECAM_ENOMEM = -1,
	RECAM_EINVAL = -2,        /* invalid input: 400 */
	RECAM_ENOTFOUND = -3,     /* 404, also for another tenant's object */
	RECAM_ECONFLICT = -4,     /* 409 */
	RECAM_ETOOBIG = -5,       /* 413 */
	RECAM_EMEDIA = -6,        /* 415 unsupported media type */
	RECAM_EFORBIDDEN = -7,    /* 403 */
	RECAM_EUNAUTH = -8,       /* 401 */
	RECAM_EBUSY = -9,         /* 503, try again later */
	RECAM_ELIMIT = -10,       /* 429 */
	RECAM_EIO = -11,          /* file system failure: 500 */
	RECAM_EDB = -12,          /* database failure: 500 */
	RECAM_ECRYPTO = -13,      /* authentication of ciphertext failed / key error */
	RECAM_ETIMEOUT = -14,
	RECAM_EINTERNAL = -15,
	RECAM_EMETHOD = -16,      /* 405 */
	RECAM_EHEADERS = -17,     /* 431 */
	RECAM_ESHUTDOWN = -18,    /* 503 while shutting down */
	RECAM_EJSON = -19,        /* malformed JSON: 400 */
	RECAM_EDEPTH = -20,       /* JSON nested too deep: 400 */
	RECAM_ERANGE = -21,       /* number out of bounds */
	RECAM_ERR_MIN_ = -22
} recam_err;

typedef enum recam_lang { RECAM_LANG_JA = 0, RECAM_LANG_EN = 1 } recam_lang;

const char *recam_err_code(int err);
int recam_err_http(int err);
/* A message for a person, in their language. Never contains internals. */
const char *recam_err_message(int err, recam_lang lang);
/* Picks ja or en from an Accept-Language header value (may be NULL). */
recam_lang recam_lang_from_header(const char *accept_language);

#endif
