/* test_crypto.c — the master key file, tenant key wrapping, sealed values
 * and blob streams: what decrypts, and that everything else fails. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"
#include "core/error.h"
#include "unit_helpers.h"

static char dir[64];

static void setup(void)
{
	cr_assert_eq(recam_crypto_init(), 0);
	ut_mkdtemp(dir);
}

static void teardown(void) { ut_rmtree(dir); }

TestSuite(crypto, .init = setup, .fini = teardown);

static const char *HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

Test(crypto, master_key_from_64_hex_digits)
{
	recam_key k;
	char err[256];
	cr_assert_eq(recam_master_key_load(HEX, "/nonexistent/never-read", &k, err, sizeof(err)), 0, "%s", err);
	for (int i = 0; i < RECAM_KEY_BYTES; i++)
		cr_assert_eq(k.k[i], i);
}

Test(crypto, master_key_hex_of_wrong_length_or_alphabet_is_refused)
{
	const char *bad[] = {"00", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
			     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00",
			     "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
			     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fxyz"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		recam_key k;
		char err[256] = "";
		cr_assert_eq(recam_master_key_load(bad[i], "/nonexistent", &k, err, sizeof(err)), RECAM_EINVAL, "%s",
			     bad[i]);
		cr_assert_not_null(strstr(err, "master_key"), "%s", err);
	}
}

Test(crypto, master_key_file_is_created_0600_once_and_read_back)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/master.key", dir);
	recam_key a, b;
	char err[256];
	cr_assert_eq(recam_master_key_load("", path, &a, err, sizeof(err)), 0, "%s", err);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(recam_master_key_load(NULL, path, &b, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(memcmp(a.k, b.k, sizeof(a.k)), 0, "the second start read a different key");
	static const unsigned char zero[RECAM_KEY_BYTES];
	cr_assert_neq(memcmp(a.k, zero, sizeof(zero)), 0);
}

Test(crypto, master_key_file_readable_by_others_is_refused)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/master.key", dir);
	ut_write_file(path, HEX, strlen(HEX));
	chmod(path, 0644);
	recam_key k;
	char err[256] = "";
	cr_assert_eq(recam_master_key_load("", path, &k, err, sizeof(err)), RECAM_EFORBIDDEN);
	cr_assert_not_null(strstr(err, "chmod 600"), "%s", err);
	chmod(path, 0640);
	cr_assert_eq(recam_master_key_load("", path, &k, err, sizeof(err)), RECAM_EFORBIDDEN);
	chmod(path, 0600);
	cr_assert_eq(recam_master_key_load("", path, &k, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(k.k[31], 31);
}

Test(crypto, master_key_file_with_garbage_or_a_symlink_is_refused)
{
	char path[128], link[128];
	snprintf(path, sizeof(path), "%s/master.key", dir);
	snprintf(link, sizeof(link), "%s/link.key", dir);
	ut_write_file(path, "not a key\n", 10);
	chmod(path, 0600);
	recam_key k;
	char err[256] = "";
	cr_assert_lt(recam_master_key_load("", path, &k, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "master_key_file"), "%s", err);
	ut_write_file(path, HEX, strlen(HEX));
	chmod(path, 0600);
	cr_assert_eq(symlink(path, link), 0);
	cr_assert_lt(recam_master_key_load("", link, &k, err, sizeof(err)), 0, "a symlinked key file was followed");
	cr_assert_lt(recam_master_key_load("", dir, &k, err, sizeof(err)), 0, "a directory was read as a key");
}

Test(crypto, wrapped_tenant_key_unwraps_only_with_master_and_tenant_id)
{
	recam_key master, other, tk, out;
	recam_key_generate(&master);
	recam_key_generate(&other);
	recam_key_generate(&tk);
	unsigned char w[RECAM_WRAPPED_KEY_BYTES];
	cr_assert_eq(recam_key_wrap(&master, "tenantaaaaaaaaaaaaaaaaaaaa", &tk, w), 0);
	cr_assert_eq(recam_key_unwrap(&master, "tenantaaaaaaaaaaaaaaaaaaaa", w, sizeof(w), &out), 0);
	cr_assert_eq(memcmp(out.k, tk.k, sizeof(tk.k)), 0);
	cr_assert_eq(recam_key_unwrap(&other, "tenantaaaaaaaaaaaaaaaaaaaa", w, sizeof(w), &out), RECAM_ECRYPTO);
	cr_assert_eq(recam_key_unwrap(&master, "tenantbbbbbbbbbbbbbbbbbbbb", w, sizeof(w), &out), RECAM_ECRYPTO);
	cr_assert_eq(recam_key_unwrap(&master, "tenantaaaaaaaaaaaaaaaaaaaa", w, sizeof(w) - 1, &out), RECAM_ECRYPTO);
	/* The key in the wrapped form is not the key itself. */
	cr_assert_null(memmem(w, sizeof(w), tk.k, sizeof(tk.k)));
}

Test(crypto, any_flipped_byte_of_a_wrapped_key_is_detected)
{
	recam_key master, tk, out;
	recam_key_generate(&master);
	recam_key_generate(&tk);
	unsigned char w[RECAM_WRAPPED_KEY_BYTES];
	cr_assert_eq(recam_key_wrap(&master, "t1", &tk, w), 0);
	for (size_t i = 0; i < sizeof(w); i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			w[i] ^= (unsigned char)(1u << bit);
			cr_assert_eq(recam_key_unwrap(&master, "t1", w, sizeof(w), &out), RECAM_ECRYPTO, "byte %zu bit %d",
				     i, bit);
			w[i] ^= (unsigned char)(1u << bit);
		}
	}
	cr_assert_eq(recam_key_unwrap(&master, "t1", w, sizeof(w), &out), 0);
}

Test(crypto, wrapping_twice_gives_different_bytes)
{
	recam_key master, tk;
	recam_key_generate(&master);
	recam_key_generate(&tk);
	unsigned char a[RECAM_WRAPPED_KEY_BYTES], b[RECAM_WRAPPED_KEY_BYTES];
	recam_key_wrap(&master, "t", &tk, a);
	recam_key_wrap(&master, "t", &tk, b);
	cr_assert_neq(memcmp(a, b, sizeof(a)), 0, "nonce reused");
}

Test(crypto, sealed_values_open_only_in_their_place)
{
	recam_key k, other;
	recam_key_generate(&k);
	recam_key_generate(&other);
	recam_buf sealed, plain;
	recam_buf_init(&sealed, 4096);
	recam_buf_init(&plain, 4096);
	const char *email = "hanako@example.jp";
	cr_assert_eq(recam_seal(&k, "users.email:u1", email, strlen(email), &sealed), 0);
	cr_assert_eq(sealed.len, strlen(email) + RECAM_SEAL_OVERHEAD);
	cr_assert_null(memmem(sealed.data, sealed.len, "hanako", 6), "plaintext visible");
	cr_assert_eq(recam_open(&k, "users.email:u1", sealed.data, sealed.len, &plain), 0);
	cr_assert_eq(plain.len, strlen(email));
	cr_assert_eq(memcmp(plain.data, email, plain.len), 0);
	/* Copied to another user's row, another column, or opened with another key. */
	cr_assert_eq(recam_open(&k, "users.email:u2", sealed.data, sealed.len, &plain), RECAM_ECRYPTO);
	cr_assert_eq(plain.len, 0, "failed open left plaintext behind");
	cr_assert_eq(recam_open(&k, "users.phone:u1", sealed.data, sealed.len, &plain), RECAM_ECRYPTO);
	cr_assert_eq(recam_open(&other, "users.email:u1", sealed.data, sealed.len, &plain), RECAM_ECRYPTO);
	cr_assert_eq(recam_open(&k, "users.email:u1", sealed.data, sealed.len - 1, &plain), RECAM_ECRYPTO);
	cr_assert_eq(recam_open(&k, "users.email:u1", sealed.data, 3, &plain), RECAM_ECRYPTO);
	for (size_t i = 0; i < sealed.len; i++) {
		sealed.data[i] ^= 0x20;
		cr_assert_eq(recam_open(&k, "users.email:u1", sealed.data, sealed.len, &plain), RECAM_ECRYPTO, "byte %zu",
			     i);
		sealed.data[i] ^= 0x20;
	}
	recam_buf_free(&sealed);
	recam_buf_free(&plain);
}

Test(crypto, sealing_an_empty_value_and_a_too_small_output)
{
	recam_key k;
	recam_key_generate(&k);
	recam_buf sealed, plain, tiny;
	recam_buf_init(&sealed, 4096);
	recam_buf_init(&plain, 4096);
	recam_buf_init(&tiny, 10);
	cr_assert_eq(recam_seal(&k, "x", "", 0, &sealed), 0);
	cr_assert_eq(sealed.len, RECAM_SEAL_OVERHEAD);
	cr_assert_eq(recam_open(&k, "x", sealed.data, sealed.len, &plain), 0);
	cr_assert_eq(plain.len, 0);
	cr_assert_eq(recam_seal(&k, "x", "abc", 3, &tiny), RECAM_ETOOBIG);
	recam_buf_free(&sealed);
	recam_buf_free(&plain);
	recam_buf_free(&tiny);
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 131u + seed) ^ (i >> 8));
}

/* Encrypts data in pieces of the given sizes (cycled). */
static void stream_encrypt(const recam_key *k, const unsigned char *data, size_t len, const size_t *pieces,
			   size_t npieces, recam_buf *ct)
{
	recam_stream *s;
	unsigned char header[64];
	size_t hlen;
	cr_assert_eq(recam_stream_encrypt_begin(k, &s, header, &hlen), 0);
	cr_assert_eq(recam_buf_append(ct, header, hlen), 0);
	size_t off = 0;
	for (size_t i = 0; off < len; i++) {
		size_t n = pieces[i % npieces];
		if (n > len - off)
			n = len - off;
		cr_assert_eq(recam_stream_encrypt(s, data + off, n, 0, ct), 0);
		off += n;
	}
	cr_assert_eq(recam_stream_encrypt(s, NULL, 0, 1, ct), 0);
	recam_stream_free(s);
}

Test(crypto, stream_round_trip_whatever_the_write_pattern)
{
	recam_key k;
	recam_key_generate(&k);
	const size_t len = 3 * RECAM_STREAM_CHUNK + 12345;
	unsigned char *data = malloc(len);
	fill(data, len, 7);
	const size_t patterns[][3] = {{1, 1, 1}, {65535, 2, 7}, {65536, 65536, 65536}, {100000, 3, 65537}};
	for (size_t p = 0; p < 4; p++) {
		recam_buf ct, pt;
		recam_buf_init(&ct, 2 * len);
		recam_buf_init(&pt, 2 * len);
		size_t n = p == 0 ? 1 : 3;
		if (p == 0) {
			/* byte by byte only over the first part: keeps the test quick */
			stream_encrypt(&k, data, 70000, patterns[p], n, &ct);
			cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, ct.len, &pt), 0);
			cr_assert_eq(pt.len, 70000);
			cr_assert_eq(memcmp(pt.data, data, 70000), 0);
		} else {
			stream_encrypt(&k, data, len, patterns[p], n, &ct);
			cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, ct.len, &pt), 0, "pattern %zu", p);
			cr_assert_eq(pt.len, len);
			cr_assert_eq(memcmp(pt.data, data, len), 0);
			/* Chunking does not depend on how the data was handed over. */
			size_t chunks = len / RECAM_STREAM_CHUNK + 1;
			cr_assert_eq(ct.len, 1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES + len +
						     chunks * crypto_secretstream_xchacha20poly1305_ABYTES);
		}
		recam_buf_free(&ct);
		recam_buf_free(&pt);
	}
	free(data);
}

Test(crypto, stream_truncation_reordering_and_trailing_bytes_fail)
{
	recam_key k;
	recam_key_generate(&k);
	const size_t len = 2 * RECAM_STREAM_CHUNK + 10;
	unsigned char *data = malloc(len);
	fill(data, len, 3);
	recam_buf ct, pt;
	recam_buf_init(&ct, 2 * len);
	recam_buf_init(&pt, 2 * len);
	const size_t piece[] = {len};
	stream_encrypt(&k, data, len, piece, 1, &ct);
	const size_t h = 1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
	const size_t c = RECAM_STREAM_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES;
	/* Cut at a chunk boundary: every chunk left is authentic, but the
	 * final one is missing. */
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, h + c, &pt), RECAM_ECRYPTO);
	cr_assert_eq(pt.len, 0, "partial plaintext handed out");
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, h + 2 * c, &pt), RECAM_ECRYPTO);
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, h, &pt), RECAM_ECRYPTO);
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, ct.len - 1, &pt), RECAM_ECRYPTO);
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, 0, &pt), RECAM_ECRYPTO);
	/* Two whole chunks swapped. */
	recam_buf sw;
	recam_buf_init(&sw, 2 * len);
	recam_buf_append(&sw, ct.data, h);
	recam_buf_append(&sw, ct.data + h + c, c);
	recam_buf_append(&sw, ct.data + h, c);
	recam_buf_append(&sw, ct.data + h + 2 * c, ct.len - h - 2 * c);
	cr_assert_eq(recam_stream_decrypt_all(&k, sw.data, sw.len, &pt), RECAM_ECRYPTO);
	/* Bytes after the final chunk. */
	recam_buf_append(&ct, "x", 1);
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, ct.len, &pt), RECAM_ECRYPTO);
	recam_buf_free(&sw);
	recam_buf_free(&ct);
	recam_buf_free(&pt);
	free(data);
}

Test(crypto, empty_stream_round_trips_and_needs_its_final_tag)
{
	recam_key k;
	recam_key_generate(&k);
	recam_buf ct, pt;
	recam_buf_init(&ct, 1024);
	recam_buf_init(&pt, 1024);
	const size_t piece[] = {1};
	stream_encrypt(&k, NULL, 0, piece, 1, &ct);
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, ct.len, &pt), 0);
	cr_assert_eq(pt.len, 0);
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, ct.len - 1, &pt), RECAM_ECRYPTO);
	recam_key other;
	recam_key_generate(&other);
	cr_assert_eq(recam_stream_decrypt_all(&other, ct.data, ct.len, &pt), RECAM_ECRYPTO);
	ct.data[0] = 2; /* a version this code does not know */
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, ct.len, &pt), RECAM_ECRYPTO);
	recam_buf_free(&ct);
	recam_buf_free(&pt);
}

Test(crypto, decrypting_into_a_too_small_buffer_fails_cleanly)
{
	recam_key k;
	recam_key_generate(&k);
	unsigned char data[5000];
	fill(data, sizeof(data), 1);
	recam_buf ct, pt;
	recam_buf_init(&ct, 1 << 20);
	recam_buf_init(&pt, 100);
	const size_t piece[] = {sizeof(data)};
	stream_encrypt(&k, data, sizeof(data), piece, 1, &ct);
	cr_assert_eq(recam_stream_decrypt_all(&k, ct.data, ct.len, &pt), RECAM_ETOOBIG);
	cr_assert_eq(pt.len, 0);
	recam_buf_free(&ct);
	recam_buf_free(&pt);
}
