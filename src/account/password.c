/* password.c — Argon2id hashing with a cap on concurrent hashes, and the
 * password policy with its built-in blocklist. */
#include "password.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "account/password_blocklist.h"
#include "core/log.h"
#include "core/str.h"

/* Each hash takes 64 MiB for ~0.1 s: without a cap, a burst of logins
 * could ask for gigabytes at once (DESIGN pitfall 8). A request that waits
 * longer than this for a slot gets 503 and Retry-After instead. */
#define PWHASH_WAIT_SECONDS 10

static sem_t pw_slots;
static char dummy_hash[RECAM_PWHASH_MAX];
static pthread_once_t pw_once = PTHREAD_ONCE_INIT;

static void pw_init(void)
{
	sem_init(&pw_slots, 0, RECAM_PWHASH_CONCURRENCY);
	/* A real hash of a random password: verifying against it costs what
	 * verifying a real user's password costs, so the answer time does not
	 * tell whether an email address has an account. */
	unsigned char rnd[32];
	char pw[65];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(pw, sizeof(pw), rnd, sizeof(rnd));
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
}

static int slot_take(void)
{
	pthread_once(&pw_once, pw_init);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += PWHASH_WAIT_SECONDS;
	while (sem_timedwait(&pw_slots, &ts) != 0) {
		if (errno == EINTR)
			continue;
		recam_warn("no password hashing slot free for %ds", PWHASH_WAIT_SECONDS);
		return RECAM_EBUSY;
	}
	return 0;
}

static void slot_give(void) { sem_post(&pw_slots); }

int recam_password_hash(const char *password, char out[RECAM_PWHASH_MAX])
{
	int rc = slot_take();
	if (rc != 0)
		return rc;
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		rc = RECAM_ENOMEM;
	slot_give();
	return rc;
}

int recam_password_verify(const char *hash, const char *password, bool *rehash)
{
	if (rehash)
		*rehash = false;
	int rc = slot_take();
	if (rc != 0)
		return rc;
	bool dummy = hash == NULL || hash[0] == '\0';
	const char *h = dummy ? dummy_hash : hash;
	int ok = h[0] != '\0' && crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
	slot_give();
	if (dummy || !ok)
		return RECAM_EUNAUTH;
	if (rehash)
		*rehash = crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
							 crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
	return 0;
}

void recam_pw_policy_default(recam_pw_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->min_length = RECAM_PASSWORD_MIN_DEFAULT;
}

static void lower_ascii(const char *s, char *out, size_t n)
{
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		out[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	out[i] = '\0';
}

static bool on_list(const char *s)
{
	for (size_t i = 0; i < sizeof(pw_blocklist) / sizeof(pw_blocklist[0]); i++)
		if (strcmp(s, pw_blocklist[i]) == 0)
			return true;
	return false;
}

/* Keyboard and alphabet walks, forwards and backwards, wrapping: a password
 * that is one stretch of any of them ("123456789012", "qwertyuiopas",
 * "1q2w3e4r5t6y") took no choosing. */
static const char *const walks[] = {
	"12345678901234567890", "09876543210987654321", "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba",
	"qwertyuiopasdfghjklzxcvbnm", "mnbvcxzlkjhgfdsapoiuytrewq", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
	"qazwsxedcrfvtgbyhnujmikolp", "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0", "zaq12wsxcde34rfvbgt56yhn",
};

static bool is_walk(const char *s)
{
	if (strlen(s) < 4)
		return false;
	for (size_t i = 0; i < sizeof(walks) / sizeof(walks[0]); i++)
		if (strstr(walks[i], s) != NULL)
			return true;
	return false;
}

/* A word repeated ("sakurasakura"), or one with a suffix of digits or
 * symbols ("password2024!"), is as weak as the word. */
static bool weak_form_of_listed(char *s)
{
	if (on_list(s))
		return true;
	size_t n = strlen(s);
	while (n > 0 && !((s[n - 1] >= 'a' && s[n - 1] <= 'z') || (unsigned char)s[n - 1] >= 0x80))
		s[--n] = '\0';
	if (n > 0 && (on_list(s) || is_walk(s)))
		return true;
	/* A leading run of digits ("2024sakura") too. */
	size_t k = 0;
	while (k < n && s[k] >= '0' && s[k] <= '9')
		k++;
	if (k > 0 && k < n && on_list(s + k))
		return true;
	for (size_t unit = 1; unit <= n / 2; unit++) {
		if (n % unit != 0)
			continue;
		bool rep = true;
		for (size_t i = unit; i < n && rep; i++)
			rep = s[i] == s[i - unit];
		if (rep) {
			char w[RECAM_PASSWORD_MAX_BYTES + 1];
			memcpy(w, s, unit);
			w[unit] = '\0';
			/* A short unit repeated ("abab...", "1212...") is a pattern in itself. */
			if (unit <= 3 || on_list(w))
				return true;
		}
	}
	return false;
}

bool recam_password_blocklisted(const char *password)
{
	char low[RECAM_PASSWORD_MAX_BYTES + 1];
	if (strlen(password) > RECAM_PASSWORD_MAX_BYTES)
		return false;
	lower_ascii(password, low, sizeof(low));
	if (is_walk(low))
		return true;
	/* Fewer than 4 different characters ("aaaa1111aaaa"): no real choice made. */
	int distinct = 0;
	bool seen[256] = {false};
	for (const unsigned char *p = (const unsigned char *)low; *p; p++)
		if (!seen[*p]) {
			seen[*p] = true;
			distinct++;
		}
	if (distinct < 4)
		return true;
	return weak_form_of_listed(low);
}

/* Does the lower-cased password contain word (at least 3 bytes)? */
static bool contains_word(const char *low_pw, const char *word, size_t wn)
{
	if (wn < 3 || wn > RECAM_PASSWORD_MAX_BYTES)
		return false;
	char w[RECAM_PASSWORD_MAX_BYTES + 1];
	memcpy(w, word, wn);
	w[wn] = '\0';
	char lw[RECAM_PASSWORD_MAX_BYTES + 1];
	lower_ascii(w, lw, sizeof(lw));
	return strstr(low_pw, lw) != NULL;
}

enum recam_pw_fault recam_password_check(const recam_pw_policy *p, const char *pw, const char *email,
					 const char *slug)
{
	size_t bytes = strlen(pw);
	if (bytes > RECAM_PASSWORD_MAX_BYTES)
		return RECAM_PW_TOO_LONG;
	long cps = recam_utf8_text(pw, bytes, false);
	if (cps < 0)
		return RECAM_PW_INVALID;
	int min = p->min_length < RECAM_PASSWORD_MIN_FLOOR ? RECAM_PASSWORD_MIN_FLOOR : p->min_length;
	if (cps < min)
		return RECAM_PW_TOO_SHORT;
	if (recam_password_blocklisted(pw))
		return RECAM_PW_BLOCKLISTED;
	char low[RECAM_PASSWORD_MAX_BYTES + 1];
	lower_ascii(pw, low, sizeof(low));
	if (email) {
		const char *at = strchr(email, '@');
		if (contains_word(low, email, at ? (size_t)(at - email) : strlen(email)))
			return RECAM_PW_CONTAINS_EMAIL;
	}
	if (slug && contains_word(low, slug, strlen(slug)))
		return RECAM_PW_CONTAINS_TENANT;
	bool up = false, lo = false, dg = false, sy = false;
	for (const unsigned char *c = (const unsigned char *)pw; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			up = true;
		else if (*c >= 'a' && *c <= 'z')
			lo = true;
		else if (*c >= '0' && *c <= '9')
			dg = true;
		else
			sy = true; /* punctuation, spaces and any non-ASCII character */
	}
	if (p->require_upper && !up)
		return RECAM_PW_NEEDS_UPPER;
	if (p->require_lower && !lo)
		return RECAM_PW_NEEDS_LOWER;
	if (p->require_digit && !dg)
		return RECAM_PW_NEEDS_DIGIT;
	if (p->require_symbol && !sy)
		return RECAM_PW_NEEDS_SYMBOL;
	return RECAM_PW_OK;
}

const char *recam_password_fault_code(enum recam_pw_fault f)
{
	static const char *const codes[] = {"ok", "too_short", "too_long", "invalid", "blocklisted", "contains_email",
					    "contains_tenant", "needs_upper", "needs_lower", "needs_digit",
					    "needs_symbol"};
	return (unsigned)f < sizeof(codes) / sizeof(codes[0]) ? codes[f] : "invalid";
}

const char *recam_password_fault_message(enum recam_pw_fault f, recam_lang lang, int min_length, char *buf,
					  size_t n)
{
	bool en = lang == RECAM_LANG_EN;
	switch (f) {
	case RECAM_PW_OK:
		return "";
	case RECAM_PW_TOO_SHORT:
		snprintf(buf, n, en ? "Use at least %d characters." : "%d文字以上にしてください。",
			 min_length < RECAM_PASSWORD_MIN_FLOOR ? RECAM_PASSWORD_MIN_FLOOR : min_length);
		return buf;
	case RECAM_PW_TOO_LONG:
		snprintf(buf, n, en ? "Use at most %d bytes." : "%dバイト以内にしてください。", RECAM_PASSWORD_MAX_BYTES);
		return buf;
	case RECAM_PW_INVALID:
		return en ? "Use printable characters only." : "使用できない文字が含まれています。";
	case RECAM_PW_BLOCKLISTED:
		return en ? "This password is too common or easy to guess. Choose another."
			  : "よく使われている、または推測されやすいパスワードです。別のものにしてください。";
	case RECAM_PW_CONTAINS_EMAIL:
		return en ? "Do not use your email address in the password."
			  : "メールアドレスの一部をパスワードに含めないでください。";
	case RECAM_PW_CONTAINS_TENANT:
		return en ? "Do not use the organisation's ID in the password."
			  : "組織IDをパスワードに含めないでください。";
	case RECAM_PW_NEEDS_UPPER:
		return en ? "Include an upper-case letter." : "英大文字を含めてください。";
	case RECAM_PW_NEEDS_LOWER:
		return en ? "Include a lower-case letter." : "英小文字を含めてください。";
	case RECAM_PW_NEEDS_DIGIT:
		return en ? "Include a digit." : "数字を含めてください。";
	case RECAM_PW_NEEDS_SYMBOL:
		return en ? "Include a symbol." : "記号を含めてください。";
	}
	return "";
}
