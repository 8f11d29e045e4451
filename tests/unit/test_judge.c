/* test_judge.c — the rules applied to what the reader read: each verdict and
 * reason a shopper can get, and that doubt sends an entry to a person
 * rather than deciding it. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "campaign/judge.h"

static const char campaign_json[] =
	"{\"slug\":\"c1\",\"title\":\"t\",\"terms\":\"terms\",\"data_purpose\":\"p\",\"status\":\"published\","
	"\"entry_period\":{\"start\":\"2026-01-01T00:00:00+09:00\",\"end\":\"2027-01-01T00:00:00+09:00\"},"
	"\"purchase_period\":{\"first\":\"2026-11-01\",\"last\":\"2026-11-30\"},"
	"\"rules\":{\"target_products\":[{\"name\":\"ポテトチップス うすしお\",\"aliases\":[\"ﾎﾟﾃﾄﾁｯﾌﾟｽ ｳｽｼｵ\"]}],"
	"\"min_quantity\":2,\"yen_per_unit\":100,\"review_threshold\":0.8},"
	"\"prizes\":[{\"code\":\"A\",\"name\":\"QUO\",\"stock\":1,\"probability_ppm\":1000}],"
	"\"instant_win\":\"probability\"}";

struct fixture {
	json_t *def;
	recam_rules rules;
};

static void load(struct fixture *f, const char *json)
{
	json_error_t e;
	f->def = json_loads(json, 0, &e);
	cr_assert_not_null(f->def, "%s", e.text);
	json_t *fields = NULL;
	int rc = recam_campaign_parse(f->def, RECAM_LANG_EN, &f->rules, &fields);
	cr_assert_eq(rc, 0, "%s", fields ? json_dumps(fields, 0) : "");
}

static void unload(struct fixture *f)
{
	for (int i = 0; i < f->rules.nproducts; i++)
		free((void *)f->rules.products[i].aliases);
	json_decref(f->def);
}

/* A reader result: date, total and items with their confidences. */
static json_t *receipt(const char *date, double dconf, long total, const char *items)
{
	json_error_t e;
	json_t *it = json_loads(items, 0, &e);
	cr_assert_not_null(it, "%s", e.text);
	return json_pack("{s:{s:s, s:f}, s:{s:i, s:f}, s:{s:o, s:f}, s:{s:s, s:f}, s:{s:s, s:f}, s:{s:s, s:f}}",
			 "date", "value", date, "confidence", dconf, "total", "value", (int)total, "confidence", 0.95,
			 "items", "value", it, "confidence", 0.9, "phone", "value", "03-1234-5678", "confidence", 0.9,
			 "time", "value", "12:34", "confidence", 0.9, "store", "value", "テストマート", "confidence", 0.9);
}

#define ITEM(name, q, amount, conf)                                                                                    \
	"{\"name\":\"" name "\",\"quantity\":" #q ",\"amount\":" #amount ",\"confidence\":" #conf "}"

static enum recam_verdict judge1(struct fixture *f, json_t *r, recam_judgement *j)
{
	json_t *arr = json_pack("[o]", r);
	cr_assert_eq(recam_judge(&f->rules, arr, j), 0);
	json_decref(arr);
	return j->verdict;
}

Test(judge, accepted_with_units_from_the_target_amount)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *r = receipt("2026-11-20", 0.95, 1200,
			    "[" ITEM("ポテトチップス うすしお", 2, 316, 0.95) "," ITEM("牛乳", 1, 200, 0.95) "]");
	cr_assert_eq(judge1(&f, r, &j), RECAM_ACCEPTED, "%s", j.reason ? j.reason : "");
	cr_assert_eq(j.target_quantity, 2);
	cr_assert_eq(j.target_amount, 316);
	cr_assert_eq(j.units, 3, "316 yen at 100 yen per unit");
	cr_assert_eq(json_array_size(json_object_get(j.summary, "products")), 1);
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, half_width_alias_counts)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *r = receipt("2026-11-20", 0.95, 500, "[" ITEM("ﾎﾟﾃﾄﾁｯﾌﾟｽ ｳｽｼｵ", 2, 316, 0.95) "]");
	cr_assert_eq(judge1(&f, r, &j), RECAM_ACCEPTED);
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, near_miss_product_is_not_a_target)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *r = receipt("2026-11-20", 0.95, 500, "[" ITEM("ポテトチップス のりしお", 2, 316, 0.95) "]");
	cr_assert_eq(judge1(&f, r, &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "no_target_product");
	cr_assert_eq(j.units, 0);
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, too_few_products)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *r = receipt("2026-11-20", 0.95, 500, "[" ITEM("ポテトチップス うすしお", 1, 158, 0.95) "]");
	cr_assert_eq(judge1(&f, r, &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "below_min_quantity");
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, purchase_outside_the_period_read_with_confidence_is_rejected)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *r = receipt("2026-10-31", 0.95, 500, "[" ITEM("ポテトチップス うすしお", 2, 316, 0.95) "]");
	cr_assert_eq(judge1(&f, r, &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "purchase_before_period");
	recam_judgement_free(&j);
	r = receipt("2026-12-01", 0.95, 500, "[" ITEM("ポテトチップス うすしお", 2, 316, 0.95) "]");
	cr_assert_eq(judge1(&f, r, &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "purchase_after_period");
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, doubtful_date_goes_to_review_not_rejection)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	/* Read as October with low confidence: a person checks it. */
	json_t *r = receipt("2026-10-31", 0.5, 500, "[" ITEM("ポテトチップス うすしお", 2, 316, 0.95) "]");
	cr_assert_eq(judge1(&f, r, &j), RECAM_REVIEW);
	cr_assert_str_eq(j.reason, "low_confidence");
	recam_judgement_free(&j);
	unload(&f);
}

/* A reading cut short at the time limit (ocr_cut_short) did not see the
 * rest of the page: a product or an amount it did not find goes to a
 * person; what it did read with confidence still decides. */
Test(judge, reading_cut_short_does_not_reject_for_what_it_missed)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *r = receipt("2026-11-20", 0.95, 500, "[" ITEM("牛乳", 1, 200, 0.95) "]");
	json_object_set_new(r, "ocr_cut_short", json_true());
	cr_assert_eq(judge1(&f, r, &j), RECAM_REVIEW);
	cr_assert_str_eq(j.reason, "low_confidence");
	recam_judgement_free(&j);
	r = receipt("2026-11-20", 0.95, 500, "[" ITEM("ポテトチップス うすしお", 1, 158, 0.95) "]");
	json_object_set_new(r, "ocr_cut_short", json_true());
	cr_assert_eq(judge1(&f, r, &j), RECAM_REVIEW);
	recam_judgement_free(&j);
	r = receipt("2026-10-31", 0.95, 500, "[" ITEM("牛乳", 1, 200, 0.95) "]");
	json_object_set_new(r, "ocr_cut_short", json_true());
	cr_assert_eq(judge1(&f, r, &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "purchase_before_period");
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, doubtful_product_line_goes_to_review)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *r = receipt("2026-11-20", 0.95, 500, "[" ITEM("ポテトチップス うすしお", 2, 316, 0.4) "]");
	cr_assert_eq(judge1(&f, r, &j), RECAM_REVIEW);
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, nothing_read_is_unreadable_and_a_reader_error_is_not_an_image)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *empty = json_pack("{s:n, s:n, s:n}", "date", "total", "items");
	cr_assert_eq(judge1(&f, empty, &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "unreadable");
	recam_judgement_free(&j);
	json_t *err = json_pack("{s:{s:s}}", "error", "code", "unsupported_media_type");
	cr_assert_eq(judge1(&f, err, &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "not_a_receipt_image");
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, several_receipts_are_summed)
{
	struct fixture f;
	load(&f, campaign_json);
	recam_judgement j;
	json_t *arr = json_pack("[o, o]",
				receipt("2026-11-20", 0.95, 300, "[" ITEM("ポテトチップス うすしお", 1, 158, 0.95) "]"),
				receipt("2026-11-21", 0.95, 300, "[" ITEM("ポテトチップス うすしお", 1, 158, 0.95) "]"));
	cr_assert_eq(recam_judge(&f.rules, arr, &j), 0);
	cr_assert_eq(j.verdict, RECAM_ACCEPTED, "%s", j.reason ? j.reason : "");
	cr_assert_eq(j.target_quantity, 2);
	cr_assert_eq(j.total_amount, 600);
	json_decref(arr);
	recam_judgement_free(&j);
	unload(&f);
}

Test(judge, reasons_have_messages_in_both_languages)
{
	const char *codes[] = {"unreadable", "no_target_product", "receipt_already_used", "daily_cap_reached",
			       "campaign_not_open"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *ja = recam_reason_message(codes[i], RECAM_LANG_JA);
		const char *en = recam_reason_message(codes[i], RECAM_LANG_EN);
		cr_assert_neq(strcmp(ja, en), 0);
		cr_assert_neq(strcmp(ja, recam_reason_message("no-such-reason", RECAM_LANG_JA)), 0, "%s", codes[i]);
	}
}

Test(judge, fingerprint_needs_enough_to_tell_receipts_apart)
{
	json_t *r = receipt("2026-11-20", 0.95, 500, "[]");
	char *a = recam_receipt_fingerprint(r);
	cr_assert_not_null(a);
	json_object_set_new(json_object_get(r, "total"), "value", json_integer(501));
	char *b = recam_receipt_fingerprint(r);
	cr_assert_not_null(b);
	cr_assert_neq(strcmp(a, b), 0, "a different total is a different receipt");
	json_object_set_new(json_object_get(r, "phone"), "confidence", json_real(0.2));
	cr_assert_null(recam_receipt_fingerprint(r), "no trustworthy store: no fingerprint");
	free(a);
	free(b);
	json_decref(r);
}
