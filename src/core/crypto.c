/* crypto.c — master key, tenant key wrapping, sealed values, blob streams. */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"

#define CRYPTO_VERSION 1
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES

_Static_assert(NONCE_BYTES == 24 && TAG_BYTES == 16, "sizes in crypto.h");

int recam_crypto_init(void) { return sodium_init() < 0 ? RECAM_ECRYPTO : 0; }

static int key_from_hex(const char *hex, size_t hexlen, recam_key *out)
{
	size_t bin_len = 0;
	const char *end = NULL;
	if (sodium_hex2bin(out->k, sizeof(out->k), hex, hexlen, " \n\r\t", &bin_len, &end) != 0 ||
	    bin_len != RECAM_KEY_BYTES)
		return RECAM_EINVAL;
	for (; end && end < hex + hexlen; end++)
		if (*end != '\n' && *end != '\r' && *end != ' ' && *end != '\t')
			return RECAM_EINVAL;
	return 0;
}

static int master_key_create(const char *path, recam_key *out, char *err, size_t errlen)
{
	recam_key_generate(out);
	char hex[RECAM_KEY_BYTES * 2 + 2];
	sodium_bin2hex(hex, sizeof(hex), out->k, sizeof(out->k));
	size_t n = strlen(hex);
	hex[n++] = '\n';
	/* O_EXCL: two processes starting at once must not each write a key. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create master key file %s: %s", path, strerror(errno));
		return RECAM_EIO;
	}
	int rc = (write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0) ? 0 : RECAM_EIO;
	close(fd);
	sodium_memzero(hex, sizeof(hex));
	if (rc != 0) {
		unlink(path);
		snprintf(err, errlen, "cannot write master key file %s", path);
	}
	return rc;
}

int recam_master_key_load(const char *hex, const char *path, recam_key *out, char *err, size_t errlen)
{
	if (hex && hex[0]) {
		if (key_from_hex(hex, strlen(hex), out) != 0) {
			snprintf(err, errlen, "master_key: must be 64 hex digits");
			return RECAM_EINVAL;
		}
		return 0;
	}
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT) {
			snprintf(err, errlen, "master_key_file: cannot read %s: %s", path, strerror(errno));
			return RECAM_EIO;
		}
		return master_key_create(path, out, err, errlen);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "master_key_file: %s is not a regular file", path);
		return RECAM_EINVAL;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "master_key_file: %s is readable by others (mode %03o); chmod 600 it",
			 path, (unsigned)(st.st_mode & 0777));
		return RECAM_EFORBIDDEN;
	}
	recam_buf b;
	recam_buf_init(&b, 4096);
	int rc = recam_fs_read(path, &b);
	if (rc == 0)
		rc = key_from_hex(b.data ? b.data : "", b.len, out);
	if (b.data)
		sodium_memzero(b.data, b.len);
	recam_buf_free(&b);
	if (rc != 0)
		snprintf(err, errlen, "master_key_file: %s does not hold a 64-hex-digit key", path);
	return rc;
}

void recam_key_generate(recam_key *out) { crypto_aead_xchacha20poly1305_ietf_keygen(out->k); }

void recam_key_wipe(recam_key *k) { sodium_memzero(k->k, sizeof(k->k)); }

/* version || nonce || ciphertext+tag, with the version also in the AD. */
static int aead_seal(const recam_key *key, const char *ad, const void *plain, size_t len, unsigned char *out)
{
	out[0] = CRYPTO_VERSION;
	randombytes_buf(out + 1, NONCE_BYTES);
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + NONCE_BYTES, &clen, plain, len,
						   (const unsigned char *)ad, ad ? strlen(ad) : 0, NULL,
						   out + 1, key->k);
	return 0;
}

static int aead_open(const recam_key *key, const char *ad, const unsigned char *in, size_t len, unsigned char *out)
{
	if (len < RECAM_SEAL_OVERHEAD || in[0] != CRYPTO_VERSION)
		return RECAM_ECRYPTO;
	unsigned long long plen;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &plen, NULL, in + 1 + NONCE_BYTES, len - 1 - NONCE_BYTES,
						       (const unsigned char *)ad, ad ? strlen(ad) : 0, in + 1,
						       key->k) != 0)
		return RECAM_ECRYPTO;
	return 0;
}

int recam_key_wrap(const recam_key *master, const char *tenant_id, const recam_key *tenant_key,
		   unsigned char out[RECAM_WRAPPED_KEY_BYTES])
{
	char ad[96];
	snprintf(ad, sizeof(ad), "recam-tenant-key:%s", tenant_id);
	return aead_seal(master, ad, tenant_key->k, RECAM_KEY_BYTES, out);
}

int recam_key_unwrap(const recam_key *master, const char *tenant_id, const unsigned char *wrapped, size_t len,
		     recam_key *out)
{
	if (len != RECAM_WRAPPED_KEY_BYTES)
		return RECAM_ECRYPTO;
	char ad[96];
	snprintf(ad, sizeof(ad), "recam-tenant-key:%s", tenant_id);
	return aead_open(master, ad, wrapped, len, out->k);
}

int recam_seal(const recam_key *key, const char *ad, const void *plain, size_t len, recam_buf *out)
{
	recam_buf_reset(out);
	if (len > SIZE_MAX - RECAM_SEAL_OVERHEAD)
		return RECAM_ETOOBIG;
	/* Reserve by appending zeros, then overwrite in place. */
	int rc = 0;
	static const unsigned char zero[256];
	for (size_t left = len + RECAM_SEAL_OVERHEAD; left > 0 && rc == 0;) {
		size_t n = left < sizeof(zero) ? left : sizeof(zero);
		rc = recam_buf_append(out, zero, n);
		left -= n;
	}
	if (rc != 0)
		return rc;
	return aead_seal(key, ad, plain, len, (unsigned char *)out->data);
}

int recam_open(const recam_key *key, const char *ad, const void *sealed, size_t len, recam_buf *out)
{
	recam_buf_reset(out);
	if (len < RECAM_SEAL_OVERHEAD)
		return RECAM_ECRYPTO;
	size_t plen = len - RECAM_SEAL_OVERHEAD;
	unsigned char *tmp = malloc(plen ? plen : 1);
	if (tmp == NULL)
		return RECAM_ENOMEM;
	int rc = aead_open(key, ad, sealed, len, tmp);
	if (rc == 0)
		rc = recam_buf_append(out, tmp, plen);
	sodium_memzero(tmp, plen);
	free(tmp);
	return rc;
}

void recam_keyed_hash_hex(const recam_key *key, const char purpose[9], const void *data, size_t len, char out[65])
{
	unsigned char sub[crypto_generichash_KEYBYTES], h[32];
	crypto_kdf_derive_from_key(sub, sizeof(sub), 1, purpose, key->k);
	crypto_generichash(h, sizeof(h), data, len, sub, sizeof(sub));
	sodium_bin2hex(out, 65, h, sizeof(h));
	sodium_memzero(sub, sizeof(sub));
}

struct recam_stream {
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char pending[RECAM_STREAM_CHUNK];
	size_t npending;
};

int recam_stream_encrypt_begin(const recam_key *key, recam_stream **out, unsigned char *header, size_t *hlen)
{
	recam_stream *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return RECAM_ENOMEM;
	header[0] = CRYPTO_VERSION;
	crypto_secretstream_xchacha20poly1305_init_push(&s->st, header + 1, key->k);
	*hlen = 1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
	*out = s;
	return 0;
}

static int stream_push(recam_stream *s, const unsigned char *p, size_t n, unsigned char tag, recam_buf *out)
{
	unsigned char c[RECAM_STREAM_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES];
	unsigned long long clen;
	crypto_secretstream_xchacha20poly1305_push(&s->st, c, &clen, p, n, NULL, 0, tag);
	return recam_buf_append(out, c, (size_t)clen);
}

int recam_stream_encrypt(recam_stream *s, const void *data, size_t len, int last, recam_buf *out)
{
	const unsigned char *p = data;
	int rc = 0;
	while (len > 0) {
		size_t take = RECAM_STREAM_CHUNK - s->npending;
		if (take > len)
			take = len;
		memcpy(s->pending + s->npending, p, take);
		s->npending += take;
		p += take;
		len -= take;
		/* A full chunk is pushed only when more data follows, so the final
		 * chunk always carries the FINAL tag (truncation is detected). */
		if (s->npending == RECAM_STREAM_CHUNK && (len > 0 || !last)) {
			if ((rc = stream_push(s, s->pending, s->npending, 0, out)) != 0)
				return rc;
			s->npending = 0;
		}
	}
	if (last) {
		rc = stream_push(s, s->pending, s->npending, crypto_secretstream_xchacha20poly1305_TAG_FINAL, out);
		s->npending = 0;
	}
	return rc;
}

int recam_stream_decrypt_all(const recam_key *key, const void *ct, size_t len, recam_buf *out)
{
	const unsigned char *p = ct;
	const size_t hbytes = 1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
	const size_t abytes = crypto_secretstream_xchacha20poly1305_ABYTES;
	if (len < hbytes || p[0] != CRYPTO_VERSION)
		return RECAM_ECRYPTO;
	crypto_secretstream_xchacha20poly1305_state st;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, p + 1, key->k) != 0)
		return RECAM_ECRYPTO;
	p += hbytes;
	len -= hbytes;
	recam_buf_reset(out);
	unsigned char *m = malloc(RECAM_STREAM_CHUNK);
	if (m == NULL)
		return RECAM_ENOMEM;
	int rc = RECAM_ECRYPTO;
	while (len >= abytes) {
		size_t clen = len < RECAM_STREAM_CHUNK + abytes ? len : RECAM_STREAM_CHUNK + abytes;
		unsigned long long mlen;
		unsigned char tag;
		if (crypto_secretstream_xchacha20poly1305_pull(&st, m, &mlen, &tag, p, clen, NULL, 0) != 0)
			break;
		if ((rc = recam_buf_append(out, m, (size_t)mlen)) != 0)
			break;
		p += clen;
		len -= clen;
		rc = RECAM_ECRYPTO;
		if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
			rc = len == 0 ? 0 : RECAM_ECRYPTO; /* nothing may follow the final chunk */
			break;
		}
	}
	sodium_memzero(m, RECAM_STREAM_CHUNK);
	free(m);
	if (rc != 0)
		recam_buf_reset(out);
	return rc;
}

void recam_stream_free(recam_stream *s)
{
	if (s) {
		sodium_memzero(s, sizeof(*s));
		free(s);
	}
}
