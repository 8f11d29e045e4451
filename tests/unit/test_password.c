/* test_password.c — the password policy, its blocklist, and Argon2id
 * hashing with verification, re-hash detection and the dummy hash. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "account/password.h"
#include "core/crypto.h"

static void setup(void) { cr_assert_eq(recam_crypto_init(), 0); }

TestSuite(password, .init = setup);

Test(password, default_policy_is_twelve_and_floor_is_eight)
{
	recam_pw_policy p;
	recam_pw_policy_default(&p);
	cr_assert_eq(p.min_length, 12);
	cr_assert_eq(recam_password_check(&p, "Brisk-Otter-7", NULL, NULL), RECAM_PW_OK);
	cr_assert_eq(recam_password_check(&p, "Brisk-Otter", NULL, NULL), RECAM_PW_TOO_SHORT);
	p.min_length = 4; /* below the floor: the floor wins */
	cr_assert_eq(recam_password_check(&p, "Bri-Ot7", NULL, NULL), RECAM_PW_TOO_SHORT);
	cr_assert_eq(recam_password_check(&p, "Bri-Ot7x", NULL, NULL), RECAM_PW_OK);
}

Test(password, length_counts_characters_not_bytes)
{
	recam_pw_policy p;
	recam_pw_policy_default(&p);
	/* 12 kana are 36 bytes but 12 characters. */
	cr_assert_eq(recam_password_check(&p, "あおいそらとしろいくもだ", NULL, NULL), RECAM_PW_OK);
	cr_assert_eq(recam_password_check(&p, "あおいそらとしろいくも", NULL, NULL), RECAM_PW_TOO_SHORT);
	cr_assert_eq(recam_password_check(&p, "bad\x01control-chars", NULL, NULL), RECAM_PW_INVALID);
	cr_assert_eq(recam_password_check(&p, "\xff\xfe invalid utf8 x", NULL, NULL), RECAM_PW_INVALID);
	char longpw[RECAM_PASSWORD_MAX_BYTES + 2];
	memset(longpw, 'k', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	cr_assert_eq(recam_password_check(&p, longpw, NULL, NULL), RECAM_PW_TOO_LONG);
}

Test(password, blocklist_cannot_be_avoided_by_case_or_suffix)
{
	const char *bad[] = {"password", "PASSWORD", "Password123!", "12345678", "123456789012", "qwertyuiop",
			     "QwertyUiop!!", "iloveyou", "iloveyou2024", "sakura", "Sakura2024!", "2024sakura",
			     "arigatou", "Arigatou123", "konnichiwa", "sakurasakura", "aaaaaaaaaaaa", "abababababab",
			     "abcdefghijkl", "987654321098", "1q2w3e4r5t6y", "asdfghjkl;", "doraemon1234", "yamada!!!!",
			     "qwertyuiopas1!"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(recam_password_blocklisted(bad[i]), "'%s' not blocklisted", bad[i]);
	const char *good[] = {"Brisk-Otter-7", "correct horse battery staple", "Kettle-Orbit-Maple", "7f3#kq9!Lm2x",
			      "sakura-Lantern-Kite"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert_not(recam_password_blocklisted(good[i]), "'%s' blocklisted", good[i]);
	/* Even with the weakest policy the list applies. */
	recam_pw_policy p = {.min_length = 8};
	cr_assert_eq(recam_password_check(&p, "Password123!", NULL, NULL), RECAM_PW_BLOCKLISTED);
}

Test(password, email_local_part_and_tenant_slug_are_refused)
{
	recam_pw_policy p;
	recam_pw_policy_default(&p);
	cr_assert_eq(recam_password_check(&p, "xTaro.Yamada-99x", "taro.yamada@example.jp", "acme"),
		     RECAM_PW_CONTAINS_EMAIL);
	cr_assert_eq(recam_password_check(&p, "big-ACME-Kettle-9", "taro.yamada@example.jp", "acme"),
		     RECAM_PW_CONTAINS_TENANT);
	cr_assert_eq(recam_password_check(&p, "big-Otter-Kettle-9", "taro.yamada@example.jp", "acme"), RECAM_PW_OK);
	/* Two-letter local parts would refuse too much: they are not checked. */
	cr_assert_eq(recam_password_check(&p, "jo-Otter-Kettle-9", "jo@example.jp", NULL), RECAM_PW_OK);
}

Test(password, character_classes_when_required)
{
	recam_pw_policy p;
	recam_pw_policy_default(&p);
	p.require_upper = p.require_lower = p.require_digit = p.require_symbol = true;
	cr_assert_eq(recam_password_check(&p, "otter-kettle-9", NULL, NULL), RECAM_PW_NEEDS_UPPER);
	cr_assert_eq(recam_password_check(&p, "OTTER-KETTLE-9", NULL, NULL), RECAM_PW_NEEDS_LOWER);
	cr_assert_eq(recam_password_check(&p, "Otter-Kettle-x", NULL, NULL), RECAM_PW_NEEDS_DIGIT);
	cr_assert_eq(recam_password_check(&p, "OtterKettle99x", NULL, NULL), RECAM_PW_NEEDS_SYMBOL);
	cr_assert_eq(recam_password_check(&p, "Otter-Kettle-9", NULL, NULL), RECAM_PW_OK);
}

Test(password, messages_in_both_languages)
{
	char buf[160];
	cr_assert_str_eq(recam_password_fault_message(RECAM_PW_TOO_SHORT, RECAM_LANG_EN, 14, buf, sizeof(buf)),
			 "Use at least 14 characters.");
	cr_assert_str_eq(recam_password_fault_message(RECAM_PW_TOO_SHORT, RECAM_LANG_JA, 14, buf, sizeof(buf)),
			 "14文字以上にしてください。");
	cr_assert_str_eq(recam_password_fault_code(RECAM_PW_BLOCKLISTED), "blocklisted");
}

Test(password, hash_verify_and_rehash)
{
	char h[RECAM_PWHASH_MAX];
	cr_assert_eq(recam_password_hash("Brisk-Otter-7", h), 0);
	cr_assert(strncmp(h, "$argon2id$", 10) == 0, "%s", h);
	bool rehash = true;
	cr_assert_eq(recam_password_verify(h, "Brisk-Otter-7", &rehash), 0);
	cr_assert_not(rehash);
	cr_assert_eq(recam_password_verify(h, "Brisk-Otter-8", &rehash), RECAM_EUNAUTH);
	/* An unknown user: checked against the dummy, always refused. */
	cr_assert_eq(recam_password_verify(NULL, "Brisk-Otter-7", NULL), RECAM_EUNAUTH);
	cr_assert_eq(recam_password_verify("", "", NULL), RECAM_EUNAUTH);
	/* A hash made with weaker parameters verifies and asks to be re-hashed. */
	char weak[RECAM_PWHASH_MAX];
	cr_assert_eq(crypto_pwhash_str(weak, "Brisk-Otter-7", 13, crypto_pwhash_OPSLIMIT_MIN, 8192), 0);
	cr_assert_eq(recam_password_verify(weak, "Brisk-Otter-7", &rehash), 0);
	cr_assert(rehash);
}

#include <pthread.h>

static void *hash_one(void *arg)
{
	char h[RECAM_PWHASH_MAX];
	*(int *)arg = recam_password_hash("Brisk-Otter-7", h);
	return NULL;
}

Test(password, concurrent_hashes_all_finish_under_the_cap)
{
	/* More callers than slots: they queue for a slot instead of all
	 * allocating 64 MiB at once, and every one completes. */
	enum { N = 6 };
	pthread_t t[N];
	int rc[N];
	for (int i = 0; i < N; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, hash_one, &rc[i]), 0);
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(rc[i], 0);
	}
}
