/* test_tenant.c — tenant slugs and names, creating and finding tenants,
 * and their wrapped data keys. */
#include <criterion/criterion.h>
#include <string.h>

#include "account/tenant.h"
#include "core/error.h"
#include "core/log.h"
#include "unit_helpers.h"

static char dir[64];
static recam_store *store;
static recam_key master;

static void setup(void)
{
	recam_log_set_level(RECAM_LOG_WARN);
	cr_assert_eq(recam_crypto_init(), 0);
	ut_mkdtemp(dir);
	recam_config cfg;
	ut_config(&cfg, dir);
	cr_assert_eq(recam_store_open(&cfg, &store), 0);
	recam_key_generate(&master);
}

static void teardown(void)
{
	recam_store_close(store);
	ut_clock_reset();
	ut_rmtree(dir);
}

TestSuite(tenant, .init = setup, .fini = teardown);

Test(tenant, valid_slugs)
{
	const char *ok[] = {"ab", "demo", "demo-shop", "a1", "7eleven", "abc-123-def",
			    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv"}; /* 48 */
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_assert(recam_tenant_slug_valid(ok[i]), "'%s' refused", ok[i]);
}

Test(tenant, invalid_slugs)
{
	const char *bad[] = {"",      "a",	"-ab",	  "ab-",     "Ab",	"a_b",	   "a.b",	"a b",
			     "ab\n",  "a/b",	"../x",	  "ａｂ",    "démo",	"ab\t",	   "admin",	"api",
			     "ops",   "static", "www",	  "t",	     "metrics", "healthz", "readyz",	"login",
			     "recam", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw" /* 49 */};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(recam_tenant_slug_valid(bad[i]), "'%s' accepted", bad[i]);
}

Test(tenant, valid_names)
{
	char two_hundred[200 * 3 + 1] = "";
	for (int i = 0; i < 200; i++)
		memcpy(two_hundred + 3 * i, "あ", 4);
	const char *ok[] = {"株式会社テスト", "ACME Inc.", "Café ☕", "寿司🍣", "ｶﾞｼﾞｪｯﾄ", "x", "a\xc2\xa0" "b",
			    two_hundred};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_assert(recam_tenant_name_valid(ok[i]), "'%s' refused", ok[i]);
}

Test(tenant, invalid_names)
{
	char too_long[201 * 3 + 1] = "";
	for (int i = 0; i < 201; i++)
		memcpy(too_long + 3 * i, "あ", 4);
	const char *bad[] = {
		"",
		"tab\there",
		"new\nline",
		"cr\rhere",
		"esc\x1b[31m",
		"del\x7f",
		"nel\xc2\x85here",	   /* U+0085 NEXT LINE, a C1 control */
		"csi\xc2\x9b" "31m",	   /* U+009B, C1 CSI */
		"\xc2\x80",		   /* U+0080 */
		"\xc0\xaf",		   /* overlong '/' */
		"\xc1\xbf",		   /* overlong */
		"\xe0\x80\xaf",		   /* overlong, 3 bytes */
		"\xf0\x80\x80\xaf",	   /* overlong, 4 bytes */
		"\xed\xa0\x80",		   /* UTF-16 surrogate */
		"\xed\xbf\xbf",		   /* UTF-16 surrogate */
		"\xf4\x90\x80\x80",	   /* above U+10FFFF */
		"\xf8\x88\x80\x80\x80",	   /* 5-byte form */
		"\xff",
		"\xfe",
		"\x80",			   /* lone continuation */
		"abc\xe3\x81",		   /* truncated あ */
		"\xe3\x81" "a",		   /* あ cut by ASCII */
		too_long,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(recam_tenant_name_valid(bad[i]), "case %zu accepted", i);
}

Test(tenant, create_then_find_by_slug_id_and_host)
{
	recam_tenant t;
	cr_assert_eq(recam_tenant_create(store, &master, "demo-shop", "デモ商店", &t), 0);
	cr_assert_eq(strlen(t.id), RECAM_ID_LEN);
	cr_assert_str_eq(t.slug, "demo-shop");
	cr_assert_str_eq(t.name, "デモ商店");
	cr_assert_str_eq(t.status, "active");
	cr_assert(recam_tenant_active(&t));
	cr_assert_eq(strlen(t.created_at), 20, "%s", t.created_at);
	cr_assert_eq(t.created_at[19], 'Z');

	recam_tenant f;
	cr_assert_eq(recam_tenant_by_slug(store, "demo-shop", &f), 0);
	cr_assert_str_eq(f.id, t.id);
	cr_assert_str_eq(f.name, "デモ商店");
	cr_assert_eq(memcmp(f.wrapped_key, t.wrapped_key, sizeof(t.wrapped_key)), 0);
	cr_assert_eq(recam_tenant_by_id(store, t.id, &f), 0);
	cr_assert_str_eq(f.slug, "demo-shop");
	cr_assert_eq(recam_tenant_by_host(store, "shop.example.jp", &f), RECAM_ENOTFOUND);
	cr_assert_eq(recam_tenant_set_host(store, t.id, "shop.example.jp"), 0);
	cr_assert_eq(recam_tenant_by_host(store, "shop.example.jp", &f), 0);
	cr_assert_str_eq(f.id, t.id);
	cr_assert_str_eq(f.host, "shop.example.jp");
	cr_assert_eq(recam_tenant_set_host(store, t.id, ""), 0);
	cr_assert_eq(recam_tenant_by_host(store, "shop.example.jp", &f), RECAM_ENOTFOUND);
	cr_assert_eq(recam_tenant_by_id(store, t.id, &f), 0);
	cr_assert_str_eq(f.host, "");
	/* Its own database exists and is migrated. */
	recam_db *db;
	cr_assert_eq(recam_store_tenant(store, t.id, &db), 0);
	recam_db_release(db);
}

Test(tenant, lookups_of_unknown_or_hostile_values_find_nothing)
{
	recam_tenant t, f;
	cr_assert_eq(recam_tenant_create(store, &master, "demo", "Demo", &t), 0);
	const char *probe[] = {"", "Demo", "demo ", "demo' OR '1'='1", "%", "_emo", "*"};
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		cr_assert_eq(recam_tenant_by_slug(store, probe[i], &f), RECAM_ENOTFOUND, "'%s'", probe[i]);
		cr_assert_eq(recam_tenant_by_id(store, probe[i], &f), RECAM_ENOTFOUND, "'%s'", probe[i]);
		cr_assert_eq(recam_tenant_by_host(store, probe[i], &f), RECAM_ENOTFOUND, "'%s'", probe[i]);
	}
	cr_assert_eq(recam_tenant_set_host(store, "nosuchtenant", "x.example"), RECAM_ENOTFOUND);
}

Test(tenant, a_taken_slug_is_a_conflict)
{
	recam_tenant a, b;
	cr_assert_eq(recam_tenant_create(store, &master, "shop", "Shop", &a), 0);
	cr_assert_eq(recam_tenant_create(store, &master, "shop", "Another shop", &b), RECAM_ECONFLICT);
	recam_tenant f;
	cr_assert_eq(recam_tenant_by_slug(store, "shop", &f), 0);
	cr_assert_str_eq(f.name, "Shop");
}

Test(tenant, a_host_belongs_to_one_tenant)
{
	recam_tenant a, b;
	cr_assert_eq(recam_tenant_create(store, &master, "aa", "A", &a), 0);
	cr_assert_eq(recam_tenant_create(store, &master, "bb", "B", &b), 0);
	cr_assert_eq(recam_tenant_set_host(store, a.id, "shop.example.jp"), 0);
	cr_assert_eq(recam_tenant_set_host(store, b.id, "shop.example.jp"), RECAM_ECONFLICT);
}

static int count_tenants(void *ctx, const recam_tenant *t)
{
	(void)t;
	(*(int *)ctx)++;
	return 0;
}

Test(tenant, invalid_slug_or_name_creates_nothing)
{
	recam_tenant t;
	cr_assert_eq(recam_tenant_create(store, &master, "admin", "Admin", &t), RECAM_EINVAL);
	cr_assert_eq(recam_tenant_create(store, &master, "Bad Slug", "x", &t), RECAM_EINVAL);
	cr_assert_eq(recam_tenant_create(store, &master, "fine", "bad\nname", &t), RECAM_EINVAL);
	cr_assert_eq(recam_tenant_create(store, &master, "fine", "\xff", &t), RECAM_EINVAL);
	int n = 0;
	cr_assert_eq(recam_tenant_list(store, count_tenants, &n), 0);
	cr_assert_eq(n, 0);
	char tenants[128];
	snprintf(tenants, sizeof(tenants), "%s/data/tenants", dir);
	cr_assert_eq(ut_count_entries(tenants), 0, "a refused tenant left a directory");
}

struct list_ctx {
	char slugs[8][RECAM_SLUG_MAX + 1];
	int n;
	int stop_after;
};

static int collect(void *ctx, const recam_tenant *t)
{
	struct list_ctx *c = ctx;
	recam_strlcpy(c->slugs[c->n++], t->slug, sizeof(c->slugs[0]));
	return c->n == c->stop_after ? 5 : 0;
}

Test(tenant, list_is_in_creation_order_and_stops_when_asked)
{
	/* Slugs in reverse alphabetical order, a second apart. */
	const char *slugs[] = {"zeta", "mid", "alpha"};
	ut_clock_set(1893456000000); /* 2030-01-01T00:00:00Z */
	for (int i = 0; i < 3; i++) {
		recam_tenant t;
		cr_assert_eq(recam_tenant_create(store, &master, slugs[i], "T", &t), 0);
		ut_clock_advance_s(1);
	}
	struct list_ctx c = {.stop_after = 0};
	cr_assert_eq(recam_tenant_list(store, collect, &c), 0);
	cr_assert_eq(c.n, 3);
	for (int i = 0; i < 3; i++)
		cr_assert_str_eq(c.slugs[i], slugs[i]);
	struct list_ctx d = {.stop_after = 2};
	cr_assert_eq(recam_tenant_list(store, collect, &d), 5, "the callback's value is returned");
	cr_assert_eq(d.n, 2);
}

Test(tenant, the_wrapped_key_unwraps_only_with_the_master_key_and_its_tenant)
{
	recam_tenant a, b;
	cr_assert_eq(recam_tenant_create(store, &master, "aa", "A", &a), 0);
	cr_assert_eq(recam_tenant_create(store, &master, "bb", "B", &b), 0);
	recam_key ka, kb, again;
	cr_assert_eq(recam_tenant_key(&master, &a, &ka), 0);
	cr_assert_eq(recam_tenant_key(&master, &b, &kb), 0);
	cr_assert_neq(memcmp(ka.k, kb.k, sizeof(ka.k)), 0, "two tenants share a key");
	/* Read back from the database it is still the same key. */
	recam_tenant f;
	cr_assert_eq(recam_tenant_by_id(store, a.id, &f), 0);
	cr_assert_eq(recam_tenant_key(&master, &f, &again), 0);
	cr_assert_eq(memcmp(ka.k, again.k, sizeof(ka.k)), 0);
	/* Another master key opens nothing. */
	recam_key other;
	recam_key_generate(&other);
	cr_assert_eq(recam_tenant_key(&other, &a, &again), RECAM_ECRYPTO);
	/* A's wrapped key moved onto B's row does not open as B's key. */
	recam_tenant swapped = b;
	memcpy(swapped.wrapped_key, a.wrapped_key, sizeof(a.wrapped_key));
	cr_assert_eq(recam_tenant_key(&master, &swapped, &again), RECAM_ECRYPTO);
}
