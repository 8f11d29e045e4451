/* test_judge_future.c — a purchase date after the judging moment (its day in
 * Asia/Tokyo) is a misread or a forgery: the entry goes to a person with
 * that reason, never accepted, whatever the purchase period says; other
 * grounds to refuse still refuse. recam_judge (no moment known) does not
 * apply the rule. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>

#include "campaign/campaign.h"
#include "campaign/judge.h"
#include "core/clock.h"

static const char campaign_json[] =
	"{\"slug\":\"c1\",\"title\":\"t\",\"terms\":\"terms\",\"data_purpose\":\"p\",\"status\":\"published\","
	"\"entry_period\":{\"start\":\"2026-01-01T00:00:00+09:00\",\"end\":\"2028-01-01T00:00:00+09:00\"},"
	"\"purchase_period\":{\"first\":\"2026-11-01\",\"last\":\"2026-12-31\"},"
	"\"rules\":{\"target_products\":[{\"name\":\"ポテトチップス うすしお\"}],\"review_threshold\":0.8},"
	"\"prizes\":[{\"code\":\"A\",\"name\":\"QUO\",\"stock\":1,\"probability_ppm\":1000}],"
	"\"instant_win\":\"probability\"}";

static json_t *def;
static recam_rules rules;

static void setup(void)
{
	json_error_t e;
	def = json_loads(campaign_json, 0, &e);
	cr_assert_not_null(def, "%s", e.text);
	cr_assert_eq(recam_campaign_parse(def, RECAM_LANG_EN, &rules, NULL), 0);
}

static void teardown(void)
{
	for (int i = 0; i < rules.nproducts; i++)
		free((void *)rules.products[i].aliases);
	json_decref(def);
}

/* One photo read with confidence: date, total, the target product or not. */
static json_t *receipts(const char *date, bool target)
{
	return json_pack("[{s:{s:s, s:f}, s:{s:i, s:f}, s:{s:[{s:s, s:i, s:i, s:f}], s:f}}]", "date", "value", date,
			 "confidence", 0.95, "total", "value", 500, "confidence", 0.95, "items", "value", "name",
			 target ? "ポテトチップス うすしお" : "牛乳", "quantity", 1, "amount", 158, "confidence", 0.95,
			 "confidence", 0.95);
}

static enum recam_verdict judge_at(const char *date, bool target, const char *now_rfc3339, recam_judgement *j)
{
	int64_t now;
	cr_assert_eq(recam_clock_parse_rfc3339(now_rfc3339, &now), 0);
	json_t *r = receipts(date, target);
	cr_assert_eq(recam_judge_at(&rules, r, now, j), 0);
	json_decref(r);
	return j->verdict;
}

TestSuite(judge_future, .init = setup, .fini = teardown);

Test(judge_future, tomorrow_in_tokyo_goes_to_review_with_its_reason)
{
	recam_judgement j;
	cr_assert_eq(judge_at("2026-11-21", true, "2026-11-20T23:30:00+09:00", &j), RECAM_REVIEW);
	cr_assert_str_eq(j.reason, "purchase_date_in_future");
	cr_assert_eq(j.units, 0);
	recam_judgement_free(&j);
}

Test(judge_future, the_day_is_tokyos_not_utcs)
{
	recam_judgement j;
	/* 15:30 UTC on the 20th is 00:30 on the 21st in Tokyo: a receipt of the
	 * 21st is today's, not the future's. */
	cr_assert_eq(judge_at("2026-11-21", true, "2026-11-20T15:30:00Z", &j), RECAM_ACCEPTED, "%s",
		     j.reason ? j.reason : "");
	recam_judgement_free(&j);
	/* 14:30 UTC is 23:30 on the 20th in Tokyo: the 21st is tomorrow. */
	cr_assert_eq(judge_at("2026-11-21", true, "2026-11-20T14:30:00Z", &j), RECAM_REVIEW);
	cr_assert_str_eq(j.reason, "purchase_date_in_future");
	recam_judgement_free(&j);
}

Test(judge_future, today_and_the_past_are_accepted)
{
	recam_judgement j;
	cr_assert_eq(judge_at("2026-11-20", true, "2026-11-20T09:00:00+09:00", &j), RECAM_ACCEPTED);
	recam_judgement_free(&j);
	cr_assert_eq(judge_at("2026-11-02", true, "2026-11-20T09:00:00+09:00", &j), RECAM_ACCEPTED);
	recam_judgement_free(&j);
}

Test(judge_future, a_future_date_after_the_period_is_reviewed_not_refused)
{
	/* 2028 on a receipt read today is a misread year far more often than a
	 * purchase after the period: a person looks. */
	recam_judgement j;
	cr_assert_eq(judge_at("2028-01-05", true, "2026-11-20T09:00:00+09:00", &j), RECAM_REVIEW);
	cr_assert_str_eq(j.reason, "purchase_date_in_future");
	recam_judgement_free(&j);
	/* Once that day has passed, the period rule applies again. */
	cr_assert_eq(judge_at("2027-01-05", true, "2027-02-01T09:00:00+09:00", &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "purchase_after_period");
	recam_judgement_free(&j);
}

Test(judge_future, another_ground_to_refuse_still_refuses)
{
	recam_judgement j;
	cr_assert_eq(judge_at("2026-12-01", false, "2026-11-20T09:00:00+09:00", &j), RECAM_REJECTED);
	cr_assert_str_eq(j.reason, "no_target_product");
	recam_judgement_free(&j);
}

Test(judge_future, without_a_moment_the_rule_is_not_applied)
{
	recam_judgement j;
	json_t *r = receipts("2026-12-01", true);
	cr_assert_eq(recam_judge(&rules, r, &j), 0);
	cr_assert_eq(j.verdict, RECAM_ACCEPTED);
	recam_judgement_free(&j);
	json_decref(r);
	cr_assert_str_eq(recam_reason_label("purchase_date_in_future", RECAM_LANG_JA), "購入日が未来の日付");
	cr_assert_str_neq(recam_reason_message("purchase_date_in_future", RECAM_LANG_JA),
			  recam_reason_message("no_such_reason", RECAM_LANG_JA));
	cr_assert_str_eq(recam_reason_label("some_template", RECAM_LANG_EN), "some_template");
}
