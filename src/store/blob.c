/* blob.c — encrypted, durable, streamed blob files. */
#include "blob.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fsutil.h"

struct recam_blob_writer {
	int fd;
	char tenant_dir[1024];
	char dir[1100];
	char tmp[1200];
	recam_stream *stream;
	crypto_hash_sha256_state sha;
	recam_buf out; /* ciphertext waiting to be written */
	size_t written, max_bytes;
};

static bool valid_blob_id(const char *id)
{
	if (strlen(id) != RECAM_ID_LEN)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')))
			return false;
	return true;
}

static int blob_path(const char *tenant_dir, const char *id, char *dir, size_t dn, char *path, size_t pn)
{
	if (!valid_blob_id(id))
		return RECAM_ENOTFOUND;
	int w1 = snprintf(dir, dn, "%s/blobs/%.2s", tenant_dir, id);
	int w2 = snprintf(path, pn, "%s/%s", dir, id);
	return (w1 < 0 || (size_t)w1 >= dn || w2 < 0 || (size_t)w2 >= pn) ? RECAM_ETOOBIG : 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return RECAM_EIO;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush_out(recam_blob_writer *w)
{
	int rc = write_all(w->fd, w->out.data, w->out.len);
	recam_buf_reset(&w->out);
	return rc;
}

int recam_blob_writer_open(const char *tenant_dir, const recam_key *key, size_t max_bytes, recam_blob_writer **out)
{
	recam_blob_writer *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return RECAM_ENOMEM;
	w->fd = -1;
	w->max_bytes = max_bytes;
	recam_buf_init(&w->out, 4 * RECAM_STREAM_CHUNK);
	crypto_hash_sha256_init(&w->sha);
	int rc = RECAM_ETOOBIG;
	char rnd[RECAM_ID_LEN + 1];
	recam_random_id(rnd);
	if (recam_strlcpy(w->tenant_dir, tenant_dir, sizeof(w->tenant_dir)) != 0 ||
	    snprintf(w->dir, sizeof(w->dir), "%s/blobs/tmp", tenant_dir) >= (int)sizeof(w->dir) ||
	    snprintf(w->tmp, sizeof(w->tmp), "%s/%s", w->dir, rnd) >= (int)sizeof(w->tmp))
		goto fail;
	if ((rc = recam_fs_mkdirs(w->dir, 0700)) != 0)
		goto fail;
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (w->fd < 0) {
		rc = RECAM_EIO;
		goto fail;
	}
	unsigned char header[64];
	size_t hlen;
	if ((rc = recam_stream_encrypt_begin(key, &w->stream, header, &hlen)) != 0)
		goto fail;
	if ((rc = write_all(w->fd, (const char *)header, hlen)) != 0)
		goto fail;
	*out = w;
	return 0;
fail:
	recam_blob_abort(w);
	return rc;
}

int recam_blob_write(recam_blob_writer *w, const void *data, size_t len)
{
	if (len > w->max_bytes - w->written)
		return RECAM_ETOOBIG;
	crypto_hash_sha256_update(&w->sha, data, len);
	w->written += len;
	/* Feed in slices so the ciphertext buffer stays bounded. */
	const char *p = data;
	while (len > 0) {
		size_t n = len < RECAM_STREAM_CHUNK ? len : RECAM_STREAM_CHUNK;
		int rc = recam_stream_encrypt(w->stream, p, n, 0, &w->out);
		if (rc == 0)
			rc = flush_out(w);
		if (rc != 0)
			return rc;
		p += n;
		len -= n;
	}
	return 0;
}

size_t recam_blob_written(const recam_blob_writer *w) { return w->written; }

int recam_blob_commit(recam_blob_writer *w, char id[RECAM_ID_LEN + 1], char *sha256_hex)
{
	int rc = recam_stream_encrypt(w->stream, NULL, 0, 1, &w->out);
	if (rc == 0)
		rc = flush_out(w);
	if (rc == 0 && fsync(w->fd) != 0)
		rc = RECAM_EIO;
	if (rc == 0 && close(w->fd) != 0)
		rc = RECAM_EIO;
	w->fd = -1;
	if (rc != 0)
		goto fail;
	char dir[1200], path[1300];
	recam_random_id(id);
	if ((rc = blob_path(w->tenant_dir, id, dir, sizeof(dir), path, sizeof(path))) != 0)
		goto fail;
	if ((rc = recam_fs_mkdirs(dir, 0700)) != 0)
		goto fail;
	if (rename(w->tmp, path) != 0) {
		rc = RECAM_EIO;
		goto fail;
	}
	w->tmp[0] = '\0';
	if ((rc = recam_fs_fsync_dir(dir)) != 0)
		goto fail;
	if (sha256_hex) {
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256_final(&w->sha, h);
		sodium_bin2hex(sha256_hex, 65, h, sizeof(h));
	}
	recam_blob_abort(w);
	return 0;
fail:
	recam_blob_abort(w);
	return rc;
}

void recam_blob_abort(recam_blob_writer *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp[0])
		unlink(w->tmp);
	recam_stream_free(w->stream);
	recam_buf_free(&w->out);
	free(w);
}

int recam_blob_put(const char *tenant_dir, const recam_key *key, const void *data, size_t len,
		   char id[RECAM_ID_LEN + 1])
{
	recam_blob_writer *w;
	int rc = recam_blob_writer_open(tenant_dir, key, len, &w);
	if (rc != 0)
		return rc;
	if ((rc = recam_blob_write(w, data, len)) != 0) {
		recam_blob_abort(w);
		return rc;
	}
	return recam_blob_commit(w, id, NULL);
}

int recam_blob_get(const char *tenant_dir, const recam_key *key, const char *id, recam_buf *out)
{
	char dir[1200], path[1300];
	int rc = blob_path(tenant_dir, id, dir, sizeof(dir), path, sizeof(path));
	if (rc != 0)
		return rc;
	recam_buf ct;
	/* Ciphertext overhead is 17 bytes per 64 KiB chunk plus the header. */
	recam_buf_init(&ct, out->max + out->max / 1024 + 4096);
	rc = recam_fs_read(path, &ct);
	if (rc == 0)
		rc = recam_stream_decrypt_all(key, ct.data, ct.len, out);
	recam_buf_free(&ct);
	return rc;
}

int recam_blob_delete(const char *tenant_dir, const char *id)
{
	char dir[1200], path[1300];
	int rc = blob_path(tenant_dir, id, dir, sizeof(dir), path, sizeof(path));
	if (rc != 0)
		return rc;
	if (unlink(path) != 0)
		return errno == ENOENT ? RECAM_ENOTFOUND : RECAM_EIO;
	return recam_fs_fsync_dir(dir);
}
