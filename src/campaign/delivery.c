/* delivery.c — delivery details of winners. */
#include "delivery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/participant.h"
#include "core/str.h"

#include <sodium.h>

static const char *const prefectures[] = {
	"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
	"埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
	"岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
	"鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
	"佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県", NULL};

struct vctx {
	json_t *fields;
	recam_lang lang;
};

static void bad(struct vctx *v, const char *field, const char *ja, const char *en)
{
	if (json_object_get(v->fields, field) == NULL)
		json_object_set_new(v->fields, field, json_string(v->lang == RECAM_LANG_EN ? en : ja));
}

static const char *get(json_t *form, const char *key)
{
	const char *s = json_string_value(json_object_get(form, key));
	return s ? s : "";
}

/* Decodes one UTF-8 code point (the text was validated before). */
static const char *next_cp(const char *p, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t len = u[0] < 0x80 ? 1 : (u[0] >> 5) == 6 ? 2 : (u[0] >> 4) == 14 ? 3 : 4;
	uint32_t c = len == 1 ? u[0] : u[0] & (0xffu >> (len + 1));
	for (size_t i = 1; i < len; i++)
		c = (c << 6) | (u[i] & 0x3f);
	*cp = c;
	return p + len;
}

/* Furigana: hiragana or katakana (with ー and ・), spaces between names. */
static bool kana_only(const char *s)
{
	uint32_t cp;
	for (const char *p = s; *p;) {
		p = next_cp(p, &cp);
		if (!((cp >= 0x3041 && cp <= 0x309f) || (cp >= 0x30a0 && cp <= 0x30ff) || cp == ' ' || cp == 0x3000))
			return false;
	}
	return true;
}

static void text_field(struct vctx *v, json_t *form, const char *key, long min, long max)
{
	const char *s = get(form, key);
	long n = recam_utf8_text(s, strlen(s), false);
	if (n < min || n > max) {
		char ja[96], en[96];
		snprintf(ja, sizeof(ja), min > 0 ? "%ld文字以内で入力してください。" : "%ld文字以内にしてください。", max);
		snprintf(en, sizeof(en), "Up to %ld characters%s.", max, min > 0 ? ", required" : "");
		bad(v, key, ja, en);
	}
}

/* Keeps ASCII digits; false when anything but digits, hyphens and spaces. */
static bool digits_of(const char *s, char *out, size_t n, size_t *len)
{
	size_t o = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (o + 1 >= n)
				return false;
			out[o++] = *s;
		} else if (*s != '-' && *s != ' ') {
			return false;
		}
	}
	out[o] = '\0';
	*len = o;
	return true;
}

int recam_delivery_validate(json_t *form, recam_lang lang, json_t **fields)
{
	struct vctx v = {json_object(), lang};
	if (!json_is_object(form)) {
		bad(&v, "form", "入力内容を確認してください。", "Check the form.");
		goto done;
	}
	text_field(&v, form, "name", 1, 50);
	text_field(&v, form, "furigana", 1, 50);
	if (!json_object_get(v.fields, "furigana") && !kana_only(get(form, "furigana")))
		bad(&v, "furigana", "ふりがなは、ひらがなかカタカナで入力してください。", "Furigana must be kana.");
	char digits[32];
	size_t n;
	if (!digits_of(get(form, "postal_code"), digits, sizeof(digits), &n) || n != 7) {
		bad(&v, "postal_code", "郵便番号は7桁の数字で入力してください（例: 123-4567）。",
		    "A postal code has 7 digits (123-4567).");
	} else {
		char pc[9];
		snprintf(pc, sizeof(pc), "%.3s-%.4s", digits, digits + 3);
		json_object_set_new(form, "postal_code", json_string(pc));
	}
	const char *pref = get(form, "prefecture");
	bool known = false;
	for (const char *const *p = prefectures; *p && !known; p++)
		known = strcmp(*p, pref) == 0;
	if (!known)
		bad(&v, "prefecture", "都道府県を選んでください。", "Choose a prefecture.");
	text_field(&v, form, "address1", 1, 100);
	text_field(&v, form, "address2", 0, 100);
	if (!digits_of(get(form, "phone"), digits, sizeof(digits), &n) || n < 10 || n > 11 || digits[0] != '0')
		bad(&v, "phone", "電話番号は0から始まる10桁か11桁の数字で入力してください。",
		    "A phone number has 10 or 11 digits and starts with 0.");
	char email[RECAM_EMAIL_MAX + 1];
	if (!recam_email_normalize(get(form, "email"), email))
		bad(&v, "email", "メールアドレスを正しく入力してください。", "Enter a valid email address.");
	else
		json_object_set_new(form, "email", json_string(email));
	/* Only the known fields are kept: nothing else is stored. */
	static const char *const keys[] = {"name", "furigana", "postal_code", "prefecture", "address1", "address2",
					   "phone", "email"};
	const char *k;
	json_t *val;
	void *tmp;
	json_object_foreach_safe(form, tmp, k, val) {
		bool keep = false;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			keep = keep || strcmp(k, keys[i]) == 0;
		if (!keep)
			json_object_del(form, k);
	}
done:;
	int rc = json_object_size(v.fields) ? RECAM_EINVAL : 0;
	if (rc != 0 && fields)
		*fields = v.fields;
	else
		json_decref(v.fields);
	return rc;
}

struct win_row {
	char participant[RECAM_ID_LEN + 1];
	char status[16];
	int64_t deadline;
};

static int read_win(void *ctx, const recam_dbrow *row)
{
	struct win_row *w = ctx;
	w->deadline = recam_dbrow_int(row, 2);
	int rc = recam_dbrow_copy_text(row, 0, w->participant, sizeof(w->participant));
	return rc == 0 ? recam_dbrow_copy_text(row, 1, w->status, sizeof(w->status)) : rc;
}

int recam_delivery_save(recam_db *db, const recam_key *tenant_key, const char *campaign_id, const char *win_id,
			const char *participant_id, json_t *form, int64_t now)
{
	struct win_row w;
	int rc = recam_db_query_one(db,
				    "SELECT participant_id, status, coalesce(claim_deadline, 0) FROM wins"
				    " WHERE id = ? AND campaign_id = ?",
				    RECAM_DB_ARGS(DBV_TEXT(win_id), DBV_TEXT(campaign_id)), read_win, &w);
	if (rc != 0)
		return rc;
	if (strcmp(w.participant, participant_id) != 0)
		return RECAM_ENOTFOUND;
	if ((w.deadline && now > w.deadline) || (strcmp(w.status, "won") != 0 && strcmp(w.status, "claimed") != 0))
		return RECAM_ECONFLICT;
	char *text = json_dumps(form, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		return RECAM_ENOMEM;
	char ad[64];
	snprintf(ad, sizeof(ad), "wins.delivery:%s", win_id);
	recam_buf sealed;
	recam_buf_init(&sealed, 64 * 1024);
	rc = recam_seal(tenant_key, ad, text, strlen(text), &sealed);
	free(text);
	if (rc == 0)
		rc = recam_db_exec(db, "UPDATE wins SET delivery = ?, status = 'claimed' WHERE id = ?",
				   RECAM_DB_ARGS(DBV_BLOB(sealed.data, sealed.len), DBV_TEXT(win_id)));
	recam_buf_free(&sealed);
	return rc;
}


static int read_sealed(void *ctx, const recam_dbrow *row)
{
	size_t n;
	const void *b = recam_dbrow_blob(row, 0, &n);
	if (b == NULL)
		return RECAM_ENOTFOUND;
	return recam_buf_append(ctx, b, n);
}

int recam_delivery_open(const recam_key *tenant_key, const char *win_id, const void *sealed, size_t len,
			json_t **out)
{
	recam_buf plain;
	recam_buf_init(&plain, 64 * 1024);
	char ad[64];
	snprintf(ad, sizeof(ad), "wins.delivery:%s", win_id);
	int rc = recam_open(tenant_key, ad, sealed, len, &plain);
	json_error_t e;
	if (rc == 0 && (*out = json_loadb(plain.data, plain.len, 0, &e)) == NULL)
		rc = RECAM_ECRYPTO;
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	recam_buf_free(&plain);
	return rc;
}

int recam_delivery_load(recam_db *db, const recam_key *tenant_key, const char *win_id, json_t **out)
{
	recam_buf sealed;
	recam_buf_init(&sealed, 64 * 1024);
	int rc = recam_db_query_one(db, "SELECT delivery FROM wins WHERE id = ?", RECAM_DB_ARGS(DBV_TEXT(win_id)),
				    read_sealed, &sealed);
	if (rc == 0)
		rc = recam_delivery_open(tenant_key, win_id, sealed.data, sealed.len, out);
	recam_buf_free(&sealed);
	return rc;
}
