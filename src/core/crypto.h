/* crypto.h — encryption at rest (libsodium).
 * A master key (from a 0600 key file or the master_key setting) wraps one
 * random data key per tenant; the tenant key encrypts that tenant's blobs and
 * personal-data columns. Destroying a tenant key makes its data unreadable in
 * every copy and backup (crypto-shredding). */
#ifndef RECAM_CRYPTO_H
#define RECAM_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define RECAM_KEY_BYTES 32
/* Wrapped tenant key: version byte, 24-byte nonce, 32-byte key, 16-byte tag. */
#define RECAM_WRAPPED_KEY_BYTES (1 + 24 + RECAM_KEY_BYTES + 16)
/* Sealed value overhead: version byte, nonce, tag. */
#define RECAM_SEAL_OVERHEAD (1 + 24 + 16)

typedef struct recam_key {
	unsigned char k[RECAM_KEY_BYTES];
} recam_key;

int recam_crypto_init(void);

/* Reads the master key from hex (64 digits) or, when hex is empty, from path,
 * creating that file with mode 0600 if it does not exist. A key file readable
 * by group or others is refused. */
int recam_master_key_load(const char *hex, const char *path, recam_key *out, char *err, size_t errlen);

void recam_key_generate(recam_key *out);
void recam_key_wipe(recam_key *k);

/* Wraps a tenant key under the master key, bound to the tenant id. */
int recam_key_wrap(const recam_key *master, const char *tenant_id, const recam_key *tenant_key,
		   unsigned char out[RECAM_WRAPPED_KEY_BYTES]);
int recam_key_unwrap(const recam_key *master, const char *tenant_id, const unsigned char *wrapped, size_t len,
		     recam_key *out);

/* Seals a small value (a personal-data column). ad binds it to its place
 * (for example "users.email:<id>") so a value copied elsewhere fails to open. */
int recam_seal(const recam_key *key, const char *ad, const void *plain, size_t len, recam_buf *out);
int recam_open(const recam_key *key, const char *ad, const void *sealed, size_t len, recam_buf *out);

/* A keyed hash (BLAKE2b-256 under a subkey of key for purpose, 8 chars) as
 * 64 hex digits: finds a sealed value by equality without storing it in
 * clear (an email address), or signs a cookie. */
void recam_keyed_hash_hex(const recam_key *key, const char purpose[9], const void *data, size_t len, char out[65]);

/* Streaming encryption of a blob in chunks (secretstream); the output is
 * header, then chunks of up to RECAM_STREAM_CHUNK bytes each plus a tag. */
#define RECAM_STREAM_CHUNK 65536
typedef struct recam_stream recam_stream;
int recam_stream_encrypt_begin(const recam_key *key, recam_stream **out, unsigned char *header, size_t *hlen);
/* Encrypts pending data in whole chunks; last=1 flushes and finishes. Output goes to out. */
int recam_stream_encrypt(recam_stream *s, const void *data, size_t len, int last, recam_buf *out);
int recam_stream_decrypt_all(const recam_key *key, const void *ct, size_t len, recam_buf *out);
void recam_stream_free(recam_stream *s);

#endif
