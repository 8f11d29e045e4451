/* test_blob.c — the encrypted blob store: round trips at chunk edges, no
 * plaintext on disk, tampering and wrong keys detected, the size cap,
 * aborted writes leave nothing, ids random and path-safe. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "store/blob.h"
#include "unit_helpers.h"

static char dir[64];
static char tdir[128], tdir_b[128];
static recam_key key, key_b;

static void setup(void)
{
	cr_assert_eq(recam_crypto_init(), 0);
	ut_mkdtemp(dir);
	snprintf(tdir, sizeof(tdir), "%s/tenants/aaaa", dir);
	snprintf(tdir_b, sizeof(tdir_b), "%s/tenants/bbbb", dir);
	cr_assert_eq(recam_fs_mkdirs(tdir, 0700), 0);
	cr_assert_eq(recam_fs_mkdirs(tdir_b, 0700), 0);
	recam_key_generate(&key);
	recam_key_generate(&key_b);
}

static void teardown(void) { ut_rmtree(dir); }

TestSuite(blob, .init = setup, .fini = teardown);

/* Recognisable plaintext: a marker every 64 bytes, the rest varying. */
static unsigned char *make_data(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + (i >> 9));
	for (size_t i = 0; i + 16 <= n; i += 64)
		memcpy(p + i, "RECEIPT-PLAINTXT", 16);
	return p;
}

static void blob_file(const char *tenant_dir, const char *id, char *out, size_t n)
{
	snprintf(out, n, "%s/blobs/%.2s/%s", tenant_dir, id, id);
}

static void round_trip(size_t n)
{
	unsigned char *data = make_data(n);
	char id[RECAM_ID_LEN + 1];
	cr_assert_eq(recam_blob_put(tdir, &key, data, n, id), 0, "size %zu", n);
	recam_buf out;
	recam_buf_init(&out, 2u << 20);
	cr_assert_eq(recam_blob_get(tdir, &key, id, &out), 0, "size %zu", n);
	cr_assert_eq(out.len, n);
	if (n)
		cr_assert_eq(memcmp(out.data, data, n), 0, "size %zu differs", n);
	/* On disk: encrypted, private, and without the plaintext. */
	char path[256];
	blob_file(tdir, id, path, sizeof(path));
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_gt((size_t)st.st_size, n);
	size_t flen;
	char *file = ut_read_file(path, &flen);
	cr_assert_null(memmem(file, flen, "RECEIPT-PLAINTXT", 16), "plaintext on disk (size %zu)", n);
	if (n >= 16)
		cr_assert_null(memmem(file, flen, data + 20, 16), "plaintext on disk (size %zu)", n);
	free(file);
	recam_buf_free(&out);
	free(data);
}

Test(blob, round_trip_at_chunk_edges)
{
	const size_t sizes[] = {0, 1, 65535, 65536, 65537, 1u << 20};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		round_trip(sizes[i]);
}

Test(blob, streamed_writes_in_odd_pieces_and_the_plaintext_hash)
{
	const size_t n = (1u << 20) + 3;
	unsigned char *data = make_data(n);
	recam_blob_writer *w;
	cr_assert_eq(recam_blob_writer_open(tdir, &key, n, &w), 0);
	const size_t pieces[] = {1, 4095, 65536, 3, 70000, 131072};
	size_t off = 0;
	for (size_t i = 0; off < n; i++) {
		size_t k = pieces[i % 6];
		if (k > n - off)
			k = n - off;
		cr_assert_eq(recam_blob_write(w, data + off, k), 0);
		off += k;
		cr_assert_eq(recam_blob_written(w), off);
	}
	char id[RECAM_ID_LEN + 1], sha[65];
	cr_assert_eq(recam_blob_commit(w, id, sha), 0);
	unsigned char h[crypto_hash_sha256_BYTES];
	char want[65];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(want, sizeof(want), h, sizeof(h));
	cr_assert_str_eq(sha, want);
	recam_buf out;
	recam_buf_init(&out, 2u << 20);
	cr_assert_eq(recam_blob_get(tdir, &key, id, &out), 0);
	cr_assert_eq(out.len, n);
	cr_assert_eq(memcmp(out.data, data, n), 0);
	recam_buf_free(&out);
	free(data);
}

/* Stores a blob of n bytes and returns its file's path. */
static void put_blob(size_t n, char id[RECAM_ID_LEN + 1], char *path, size_t pn)
{
	unsigned char *data = make_data(n);
	cr_assert_eq(recam_blob_put(tdir, &key, data, n, id), 0);
	blob_file(tdir, id, path, pn);
	free(data);
}

static void expect_crypto_error(const char *tenant_dir, const recam_key *k, const char *id, const char *what)
{
	recam_buf out;
	recam_buf_init(&out, 2u << 20);
	cr_assert_eq(recam_blob_get(tenant_dir, k, id, &out), RECAM_ECRYPTO, "%s was not detected", what);
	cr_assert_eq(out.len, 0, "%s: plaintext handed out", what);
	recam_buf_free(&out);
}

Test(blob, a_flipped_byte_anywhere_is_detected)
{
	char id[RECAM_ID_LEN + 1], path[256];
	put_blob(65537, id, path, sizeof(path));
	size_t len;
	char *orig = ut_read_file(path, &len);
	/* Version, stream header, first chunk, its tag, the final chunk, the last byte. */
	const size_t at[] = {0, 1, 24, 30, 1000, 25 + 65536 + 10, 25 + 65536 + 16, 25 + 65536 + 17, len - 1};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		orig[at[i]] ^= 0x01;
		ut_write_file(path, orig, len);
		char what[64];
		snprintf(what, sizeof(what), "a flipped byte at %zu", at[i]);
		expect_crypto_error(tdir, &key, id, what);
		orig[at[i]] ^= 0x01;
	}
	ut_write_file(path, orig, len);
	recam_buf out;
	recam_buf_init(&out, 2u << 20);
	cr_assert_eq(recam_blob_get(tdir, &key, id, &out), 0, "the restored file no longer reads");
	recam_buf_free(&out);
	free(orig);
}

Test(blob, a_truncated_or_extended_file_is_detected)
{
	char id[RECAM_ID_LEN + 1], path[256];
	put_blob(2 * 65536 + 5, id, path, sizeof(path));
	size_t len;
	char *orig = ut_read_file(path, &len);
	const size_t h = 25, c = 65536 + 17;
	/* Cut inside the last chunk, at each chunk boundary, to the header, to nothing. */
	const size_t cut[] = {len - 1, h + 2 * c, h + c, h, 1, 0};
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		ut_write_file(path, orig, cut[i]);
		char what[64];
		snprintf(what, sizeof(what), "truncation to %zu bytes", cut[i]);
		expect_crypto_error(tdir, &key, id, what);
	}
	char *longer = malloc(len + 1);
	memcpy(longer, orig, len);
	longer[len] = 'x';
	ut_write_file(path, longer, len + 1);
	expect_crypto_error(tdir, &key, id, "a byte appended");
	free(longer);
	free(orig);
}

Test(blob, the_wrong_key_or_another_tenants_key_fails)
{
	char id[RECAM_ID_LEN + 1], path[256];
	put_blob(1000, id, path, sizeof(path));
	recam_key wrong;
	recam_key_generate(&wrong);
	expect_crypto_error(tdir, &wrong, id, "a wrong key");
	/* Tenant A's file placed in tenant B's store, read with B's key. */
	char dst_dir[256], dst[256];
	snprintf(dst_dir, sizeof(dst_dir), "%s/blobs/%.2s", tdir_b, id);
	cr_assert_eq(recam_fs_mkdirs(dst_dir, 0700), 0);
	blob_file(tdir_b, id, dst, sizeof(dst));
	size_t len;
	char *file = ut_read_file(path, &len);
	ut_write_file(dst, file, len);
	free(file);
	expect_crypto_error(tdir_b, &key_b, id, "a swapped tenant key");
}

Test(blob, max_bytes_caps_the_plaintext)
{
	recam_blob_writer *w;
	cr_assert_eq(recam_blob_writer_open(tdir, &key, 100, &w), 0);
	cr_assert_eq(recam_blob_write(w, "0123456789", 10), 0);
	char big[91];
	memset(big, 'b', sizeof(big));
	cr_assert_eq(recam_blob_write(w, big, 91), RECAM_ETOOBIG);
	cr_assert_eq(recam_blob_written(w), 10, "a refused write was counted");
	cr_assert_eq(recam_blob_write(w, big, 90), 0);
	cr_assert_eq(recam_blob_write(w, "x", 1), RECAM_ETOOBIG);
	cr_assert_eq(recam_blob_write(w, big, SIZE_MAX), RECAM_ETOOBIG);
	recam_blob_abort(w);
	/* Exactly the cap is fine. */
	cr_assert_eq(recam_blob_writer_open(tdir, &key, 100, &w), 0);
	cr_assert_eq(recam_blob_write(w, big, 90), 0);
	cr_assert_eq(recam_blob_write(w, "0123456789", 10), 0);
	char id[RECAM_ID_LEN + 1];
	cr_assert_eq(recam_blob_commit(w, id, NULL), 0);
}

Test(blob, reading_into_a_smaller_buffer_is_too_big)
{
	char id[RECAM_ID_LEN + 1], path[256];
	put_blob(1u << 20, id, path, sizeof(path));
	recam_buf out;
	recam_buf_init(&out, 1000);
	cr_assert_eq(recam_blob_get(tdir, &key, id, &out), RECAM_ETOOBIG);
	cr_assert_eq(out.len, 0);
	recam_buf_free(&out);
}

static int count_files(const char *root)
{
	int n = 0;
	char cmd_dir[256];
	snprintf(cmd_dir, sizeof(cmd_dir), "%s/blobs", root);
	DIR *d = opendir(cmd_dir);
	if (d == NULL)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[512];
		snprintf(sub, sizeof(sub), "%s/%s", cmd_dir, e->d_name);
		int k = ut_count_entries(sub);
		n += k > 0 ? k : 0;
	}
	closedir(d);
	return n;
}

Test(blob, abort_leaves_no_temporary_file)
{
	recam_blob_writer *w;
	cr_assert_eq(recam_blob_writer_open(tdir, &key, 1u << 20, &w), 0);
	unsigned char *data = make_data(200000);
	cr_assert_eq(recam_blob_write(w, data, 200000), 0);
	cr_assert_eq(count_files(tdir), 1, "the temporary file should exist while writing");
	recam_blob_abort(w);
	cr_assert_eq(count_files(tdir), 0, "abort left a file behind");
	/* After a refused write too. */
	cr_assert_eq(recam_blob_writer_open(tdir, &key, 10, &w), 0);
	cr_assert_eq(recam_blob_write(w, data, 11), RECAM_ETOOBIG);
	recam_blob_abort(w);
	cr_assert_eq(count_files(tdir), 0);
	/* And a committed blob leaves only itself. */
	char id[RECAM_ID_LEN + 1];
	cr_assert_eq(recam_blob_put(tdir, &key, data, 5000, id), 0);
	cr_assert_eq(count_files(tdir), 1);
	char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s/blobs/tmp", tdir);
	cr_assert_eq(ut_count_entries(tmp), 0);
	free(data);
}

Test(blob, ids_are_random_and_path_safe)
{
	enum { N = 40 }; /* uniqueness at scale is in test_str.c */
	static char ids[N][RECAM_ID_LEN + 1];
	for (int i = 0; i < N; i++) {
		cr_assert_eq(recam_blob_put(tdir, &key, "x", 1, ids[i]), 0);
		cr_assert_eq(strlen(ids[i]), RECAM_ID_LEN);
		for (int k = 0; k < RECAM_ID_LEN; k++)
			cr_assert(strchr("0123456789abcdefghjkmnpqrstvwxyz", ids[i][k]) != NULL, "%s", ids[i]);
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(ids[i], ids[j]);
	}
	/* Ids that are not ours never become a path. */
	const char *bad[] = {"", "../../../../etc/passwd", "..", "abc", "ABCDEFGHJKMNPQRSTVWXYZ0123",
			     "aaaaaaaaaaaaaaaaaaaaaaaaa/", "aaaaaaaaaaaaaaaaaaaaaaaaaaa", "aa/aaaaaaaaaaaaaaaaaaaaaaa",
			     "aaaaaaaaaaaaaaaaaaaaaaaa.."};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		recam_buf out;
		recam_buf_init(&out, 1024);
		cr_assert_eq(recam_blob_get(tdir, &key, bad[i], &out), RECAM_ENOTFOUND, "'%s'", bad[i]);
		cr_assert_eq(recam_blob_delete(tdir, bad[i]), RECAM_ENOTFOUND, "'%s'", bad[i]);
		recam_buf_free(&out);
	}
}

Test(blob, delete_removes_the_blob)
{
	char id[RECAM_ID_LEN + 1], path[256];
	put_blob(10, id, path, sizeof(path));
	cr_assert_eq(recam_blob_delete(tdir, id), 0);
	cr_assert_eq(access(path, F_OK), -1);
	recam_buf out;
	recam_buf_init(&out, 1024);
	cr_assert_eq(recam_blob_get(tdir, &key, id, &out), RECAM_ENOTFOUND);
	cr_assert_eq(recam_blob_delete(tdir, id), RECAM_ENOTFOUND);
	recam_buf_free(&out);
}
