/* fuzz_product_csv.c — libFuzzer target for the target-product CSV parser
 * (campaign/product_csv.c): any bytes, in Japanese and English. It must
 * never crash, leak or loop, and its promises must hold: on success a list
 * of at most 200 products that the campaign validator accepts as the
 * campaign's target_products; on refusal field errors only, keyed "csv" or
 * "csv[LINE].COLUMN". A broken promise aborts. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"
#include "campaign/product_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(json_t *list)
{
	if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > RECAM_CAMPAIGN_MAX_PRODUCTS)
		abort();
	/* the list must be a valid campaign's products */
	json_t *def = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:O}}", "slug", "fz", "title", "t",
				"terms", "t", "data_purpose", "p", "entry_period", "start", "2026-01-01T00:00:00Z", "end",
				"2027-01-01T00:00:00Z", "purchase_period", "first", "2026-01-01", "last", "2026-12-31",
				"rules", "target_products", list);
	json_t *fields = NULL;
	recam_rules r;
	if (def == NULL || recam_campaign_parse(def, RECAM_LANG_EN, &r, &fields) != 0)
		abort();
	for (int i = 0; i < r.nproducts; i++)
		free((void *)r.products[i].aliases);
	json_decref(def);
}

static void check_fields(json_t *fields)
{
	const char *key;
	json_t *v;
	if (!json_is_object(fields) || json_object_size(fields) == 0 ||
	    json_object_size(fields) > RECAM_PRODUCT_CSV_MAX_ERRORS + 1)
		abort();
	json_object_foreach(fields, key, v) {
		if (!json_is_string(v) || (strcmp(key, "csv") != 0 && strncmp(key, "csv[", 4) != 0))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int lang = 0; lang < 2; lang++) {
		json_t *out = NULL, *fields = NULL;
		int rc = recam_product_csv_parse((const char *)data, size, (recam_lang)lang, &out, &fields);
		if (rc == 0)
			check_ok(out);
		else if (rc == RECAM_EINVAL)
			check_fields(fields);
		else if (rc != RECAM_ENOMEM)
			abort();
		json_decref(out);
		json_decref(fields);
	}
	return 0;
}
