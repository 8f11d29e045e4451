/* judge.c — rules applied to reader output. */
#include "judge.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "receipt/match.h"
#include "receipt/normalize.h"

struct reason_text {
	const char *code;
	const char *ja;
	const char *en;
};

static const struct reason_text reasons[] = {
	{"unreadable", "レシートを読み取れませんでした。明るい場所で、レシート全体がはっきり写るように撮り直してください。",
	 "We could not read the receipt. Please photograph the whole receipt again in good light."},
	{"purchase_before_period", "購入日がキャンペーンの対象期間より前です。",
	 "The purchase date is before the campaign's purchase period."},
	{"purchase_after_period", "購入日がキャンペーンの対象期間より後です。",
	 "The purchase date is after the campaign's purchase period."},
	{"no_target_product", "対象商品が見つかりませんでした。対象商品の行が写っているか確認してください。",
	 "No target product was found. Check that the product lines are in the photo."},
	{"below_min_quantity", "対象商品の購入数が応募条件に足りません。",
	 "Not enough target products were bought for this campaign."},
	{"below_min_amount", "購入金額が応募条件に足りません。", "The amount spent is below the campaign's minimum."},
	{"store_not_allowed", "対象店舗以外のレシートです。", "This receipt is not from a participating store."},
	{"receipt_already_used", "このレシートはすでに応募に使われています。", "This receipt has already been used."},
	{"image_already_used", "同じ写真がすでに応募に使われています。", "This photo has already been used."},
	{"daily_cap_reached", "本日の応募回数の上限に達しました。明日またご応募ください。",
	 "You have reached today's entry limit. Please try again tomorrow."},
	{"total_cap_reached", "このキャンペーンへの応募回数の上限に達しました。",
	 "You have reached the entry limit of this campaign."},
	{"low_confidence", "読み取り結果を確認するため、事務局で確認します。結果が出るまでお待ちください。",
	 "We will check this receipt by hand. Please wait for the result."},
	{"campaign_not_open", "このキャンペーンは現在応募を受け付けていません。",
	 "This campaign is not accepting entries right now."},
	{"invalid_email", "メールアドレスを正しく入力してください。", "Please enter a valid email address."},
	{"terms_not_accepted", "応募規約と個人情報の取扱いに同意してください。",
	 "Please agree to the terms and to how your personal data is used."},
	{"no_receipt", "レシートの写真を選んでください。", "Please choose a photo of your receipt."},
	{"too_many_receipts", "レシートの枚数が多すぎます。", "Too many receipts for one entry."},
	{"too_few_receipts", "このキャンペーンでは、もっと多くのレシートが必要です。",
	 "This campaign needs more receipts in one entry."},
	{"malformed_upload", "送信に失敗しました。もう一度お試しください。", "The upload was garbled. Please try again."},
	{"not_a_receipt_image", "画像として読み込めないファイルです。JPEG・PNG・HEICの写真を送ってください。",
	 "This file is not a photo we can read. Please send a JPEG, PNG or HEIC photo."},
	{"duplicate_image", "同じレシートを写した写真がすでに応募に使われています。",
	 "A photo of this receipt has already been used."},
	{"purchase_date_in_future", "購入日が今日より後の日付として読み取られたため、事務局で確認します。結果が出るまでお待ちください。",
	 "The purchase date was read as a day after today, so we will check this receipt by hand. Please wait for the result."},
};

/* Short labels for staff screens (dashboard, review queue, entries). */
static const struct reason_text labels[] = {
	{"unreadable", "読み取り不可", "Unreadable"},
	{"purchase_before_period", "購入日が対象期間より前", "Purchased before the period"},
	{"purchase_after_period", "購入日が対象期間より後", "Purchased after the period"},
	{"purchase_date_in_future", "購入日が未来の日付", "Purchase date in the future"},
	{"no_target_product", "対象商品なし", "No target product"},
	{"below_min_quantity", "購入数が不足", "Too few products"},
	{"below_min_amount", "購入金額が不足", "Amount too low"},
	{"store_not_allowed", "対象外の店舗", "Store not participating"},
	{"receipt_already_used", "使用済みのレシート", "Receipt already used"},
	{"image_already_used", "使用済みの写真（同一ファイル）", "Photo already used (same file)"},
	{"duplicate_image", "使用済みの写真（同じレシート）", "Photo already used (same receipt)"},
	{"daily_cap_reached", "1日の応募上限", "Daily entry limit"},
	{"total_cap_reached", "応募回数の上限", "Entry limit"},
	{"low_confidence", "読み取りの確信度が低い", "Low reading confidence"},
	{"campaign_not_open", "受付期間外", "Campaign not open"},
	{"not_a_receipt_image", "画像ではないファイル", "Not an image"},
	{"too_many_receipts", "レシート枚数が多すぎる", "Too many receipts"},
	{"too_few_receipts", "レシート枚数が足りない", "Too few receipts"},
};

const char *recam_reason_label(const char *reason, recam_lang lang)
{
	for (size_t i = 0; reason && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].code, reason) == 0)
			return lang == RECAM_LANG_EN ? labels[i].en : labels[i].ja;
	return reason ? reason : "";
}

const char *recam_reason_message(const char *reason, recam_lang lang)
{
	for (size_t i = 0; reason && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(reasons[i].code, reason) == 0)
			return lang == RECAM_LANG_EN ? reasons[i].en : reasons[i].ja;
	return lang == RECAM_LANG_EN ? "The entry could not be accepted." : "応募を受け付けられませんでした。";
}

/* A field's value and confidence; false when the reader found nothing. */
static bool field(const json_t *receipt, const char *name, json_t **value, double *conf)
{
	json_t *f = json_object_get(receipt, name);
	json_t *v = json_object_get(f, "value");
	if (v == NULL || json_is_null(v))
		return false;
	*value = v;
	*conf = json_number_value(json_object_get(f, "confidence"));
	return true;
}

static void digits_only(const char *s, char *out, size_t n)
{
	size_t o = 0;
	for (; s && *s && o + 1 < n; s++)
		if (*s >= '0' && *s <= '9')
			out[o++] = *s;
	out[o] = '\0';
}

static bool store_allowed(const recam_rules *r, const json_t *receipt, double *conf)
{
	json_t *phone = NULL, *name = NULL;
	double pc = 0, nc = 0;
	bool has_phone = field(receipt, "phone", &phone, &pc), has_name = field(receipt, "store", &name, &nc);
	char pd[32];
	digits_only(has_phone ? json_string_value(phone) : NULL, pd, sizeof(pd));
	for (int i = 0; i < r->nstores; i++) {
		const struct recam_store_rule *s = &r->stores[i];
		char sd[32];
		digits_only(s->phone, sd, sizeof(sd));
		if (has_phone && sd[0] && strcmp(sd, pd) == 0) {
			*conf = pc;
			return true;
		}
		if (has_name && s->name && recam_match_similarity(s->name, json_string_value(name)) >= RECAM_MATCH_THRESHOLD) {
			*conf = nc;
			return true;
		}
	}
	*conf = has_phone ? pc : has_name ? nc : 0;
	return false;
}

static double min2(double a, double b) { return a < b ? a : b; }

int recam_judge(const recam_rules *r, const json_t *receipts, recam_judgement *out)
{
	return recam_judge_at(r, receipts, 0, out);
}

int recam_judge_at(const recam_rules *r, const json_t *receipts, int64_t now, recam_judgement *out)
{
	memset(out, 0, sizeof(*out));
	out->confidence = 1.0;
	out->summary = json_object();
	json_t *found = json_array();
	json_object_set_new(out->summary, "products", found);
	recam_match_target targets[RECAM_CAMPAIGN_MAX_PRODUCTS];
	for (int i = 0; i < r->nproducts; i++)
		targets[i] = (recam_match_target){r->products[i].name, r->products[i].aliases,
						  (size_t)r->products[i].naliases, r->products[i].jan};
	const char *reject = NULL, *review = NULL;
	bool future = false;  /* a purchase date after the judging moment */
	bool partial = false; /* a reading cut short: the rest of the page unread */
	size_t idx;
	json_t *rc;
	json_array_foreach((json_t *)receipts, idx, rc) {
		if (json_object_get(rc, "error")) {
			reject = reject ? reject : "not_a_receipt_image";
			continue;
		}
		json_t *date = NULL, *total = NULL, *items = NULL, *store = NULL;
		double dc = 0, tc = 0, ic = 0, sc = 0;
		bool has_date = field(rc, "date", &date, &dc);
		bool has_total = field(rc, "total", &total, &tc);
		if (!has_total) /* a receipt without 合計 may still print 小計 = total */
			has_total = field(rc, "subtotal", &total, &tc);
		field(rc, "items", &items, &ic);
		if (idx == 0) {
			if (field(rc, "store", &store, &sc))
				json_object_set(out->summary, "store", store);
			if (has_date)
				json_object_set(out->summary, "date", date);
		}
		size_t nitems = json_is_array(items) ? json_array_size(items) : 0;
		if (!has_date && !has_total && nitems == 0) {
			reject = reject ? reject : "unreadable";
			continue;
		}
		partial = partial || json_is_true(json_object_get(rc, "ocr_cut_short"));
		/* Part of the receipt was read: a person can tell the rest. */
		if (!has_date)
			review = review ? review : "low_confidence";
		if (!has_total && r->min_amount > 0 && (r->amount_basis == RECAM_AMOUNT_TOTAL || r->nproducts == 0))
			review = review ? review : "low_confidence";
		if (has_total) {
			out->total_amount += json_integer_value(total);
			out->confidence = min2(out->confidence, tc);
		}
		int64_t day;
		if (has_date && recam_clock_parse_date(json_string_value(date), &day) == 0) {
			out->confidence = min2(out->confidence, dc);
			const char *why = day < r->purchase_first ? "purchase_before_period"
					  : day > r->purchase_last ? "purchase_after_period"
								   : NULL;
			/* After the judging moment (Tokyo): a misread or a forgery, not
			 * a purchase; a person decides, whatever the period says. */
			if (now > 0 && day > recam_clock_tokyo_day(now)) {
				future = true;
				review = review ? review : "purchase_date_in_future";
			} else if (why && dc >= r->review_threshold) /* a doubtful date is no ground to refuse */
				reject = reject ? reject : why;
			else if (why)
				review = review ? review : "low_confidence";
		}
		if (r->nstores > 0) {
			double stc;
			if (!store_allowed(r, rc, &stc)) {
				if (stc >= r->review_threshold)
					reject = reject ? reject : "store_not_allowed";
				else
					review = review ? review : "low_confidence";
			} else {
				out->confidence = min2(out->confidence, stc);
			}
		}
		if (r->nproducts > 0 && items && json_is_array(items)) {
			recam_match_hit *hits = NULL;
			size_t nhits = 0;
			if (recam_match_items(items, targets, (size_t)r->nproducts, &hits, &nhits) == 0) {
				for (size_t h = 0; h < nhits; h++) {
					json_t *it = json_array_get(items, (size_t)hits[h].item);
					int64_t q = json_integer_value(json_object_get(it, "quantity"));
					int64_t a = json_integer_value(json_object_get(it, "amount"));
					out->target_quantity += q > 0 ? q : 1;
					out->target_amount += a;
					out->confidence = min2(out->confidence, hits[h].score);
					json_array_append_new(found, json_pack("{s:s, s:I, s:I}", "name",
									       r->products[hits[h].target].name, "quantity",
									       (json_int_t)(q > 0 ? q : 1), "amount",
									       (json_int_t)a));
				}
			}
			free(hits);
		}
	}
	json_object_set_new(out->summary, "total", json_integer(out->total_amount));
	json_object_set_new(out->summary, "target_amount", json_integer(out->target_amount));
	size_t n = json_array_size(receipts);
	if (!reject && r->nproducts > 0 && out->target_quantity == 0)
		reject = "no_target_product";
	if (!reject && out->target_quantity < r->min_quantity)
		reject = "below_min_quantity";
	int64_t basis = r->amount_basis == RECAM_AMOUNT_TOTAL || r->nproducts == 0 ? out->total_amount : out->target_amount;
	if (!reject && basis < r->min_amount)
		reject = "below_min_amount";
	out->units = r->yen_per_unit > 0 ? basis / r->yen_per_unit : 1;
	if (!reject && out->units == 0)
		reject = "below_min_amount";
	/* What a reading cut short did not find may be on the part of the page
	 * it did not reach: a person looks. */
	if (partial && reject &&
	    (strcmp(reject, "no_target_product") == 0 || strcmp(reject, "below_min_quantity") == 0 ||
	     strcmp(reject, "below_min_amount") == 0)) {
		review = "low_confidence";
		reject = NULL;
	}
	/* A rejection read with doubt goes to a person instead: a shopper should
	 * not lose a chance to a misread digit. */
	if (reject && strcmp(reject, "not_a_receipt_image") != 0 && strcmp(reject, "unreadable") != 0 &&
	    out->confidence < r->review_threshold && n > 0) {
		review = "low_confidence";
		reject = NULL;
	}
	if (reject) {
		out->verdict = RECAM_REJECTED;
		out->reason = reject;
		out->units = 0;
	} else if (review || out->confidence < r->review_threshold) {
		out->verdict = RECAM_REVIEW;
		out->reason = future ? "purchase_date_in_future" : "low_confidence";
		out->units = 0;
	} else {
		out->verdict = RECAM_ACCEPTED;
	}
	return 0;
}

void recam_judgement_free(recam_judgement *j)
{
	json_decref(j->summary);
	j->summary = NULL;
}

char *recam_receipt_fingerprint(const json_t *receipt)
{
	json_t *v;
	double c;
	char who[64] = "", date[16] = "", time[8] = "", num[64] = "";
	int64_t total = 0;
	if (field(receipt, "registration_number", &v, &c) && c >= 0.5)
		snprintf(who, sizeof(who), "%s", json_string_value(v));
	else if (field(receipt, "phone", &v, &c) && c >= 0.5)
		digits_only(json_string_value(v), who, sizeof(who));
	if (field(receipt, "date", &v, &c) && c >= 0.5)
		snprintf(date, sizeof(date), "%s", json_string_value(v));
	if (field(receipt, "time", &v, &c) && c >= 0.5)
		snprintf(time, sizeof(time), "%s", json_string_value(v));
	if (field(receipt, "total", &v, &c) && c >= 0.5)
		total = json_integer_value(v);
	if (field(receipt, "receipt_number", &v, &c) && c >= 0.5)
		snprintf(num, sizeof(num), "%s", json_string_value(v));
	/* Store, date and total at least; time or receipt number make two
	 * receipts of the same shop and day tell apart. */
	if (who[0] == '\0' || date[0] == '\0' || total <= 0 || (time[0] == '\0' && num[0] == '\0'))
		return NULL;
	char line[256];
	snprintf(line, sizeof(line), "%s|%s|%s|%lld|%s", who, date, time, (long long)total, num);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)line, strlen(line));
	char *hex = malloc(65);
	if (hex)
		sodium_bin2hex(hex, 65, h, sizeof(h));
	return hex;
}
