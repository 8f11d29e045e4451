/* blob.h — the encrypted blob store for receipt images: one directory per
 * tenant (data_dir/tenants/{id}/blobs/xx/{blob id}), random ids, each blob
 * encrypted with the tenant's key as it is written, then fsynced, renamed
 * into place and its directory fsynced, so a blob exists whole or not at all.
 * An upload is streamed through a writer, never held whole in memory. */
#ifndef RECAM_BLOB_H
#define RECAM_BLOB_H

#include <stddef.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/str.h"

typedef struct recam_blob_writer recam_blob_writer;

/* tenant_dir from recam_store_tenant_dir(); max_bytes caps the plaintext. */
int recam_blob_writer_open(const char *tenant_dir, const recam_key *key, size_t max_bytes, recam_blob_writer **out);
int recam_blob_write(recam_blob_writer *w, const void *data, size_t len);
/* Makes the blob durable; id receives its random id; sha256_hex (65 bytes,
 * may be NULL) the SHA-256 of the plaintext. Frees the writer. */
int recam_blob_commit(recam_blob_writer *w, char id[RECAM_ID_LEN + 1], char *sha256_hex);
/* Discards a blob being written. Frees the writer. */
void recam_blob_abort(recam_blob_writer *w);
size_t recam_blob_written(const recam_blob_writer *w);

/* Whole-blob helpers. */
int recam_blob_put(const char *tenant_dir, const recam_key *key, const void *data, size_t len,
		   char id[RECAM_ID_LEN + 1]);
int recam_blob_get(const char *tenant_dir, const recam_key *key, const char *id, recam_buf *out);
int recam_blob_delete(const char *tenant_dir, const char *id);

#endif
