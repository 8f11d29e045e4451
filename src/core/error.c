/* error.c — maps recam_err to HTTP status, public code and a message. */
#include "error.h"

#include <stddef.h>
#include <strings.h>

struct err_info {
	int status;
	const char *code;
	const char *ja;
	const char *en;
};

static const struct err_info err_table[] = {
	[0] = {200, "ok", "成功しました。", "OK."},
	[-RECAM_ENOMEM] = {503, "out_of_memory", "サーバーが混み合っています。しばらくしてからもう一度お試しください。",
			  "The server is busy. Please try again shortly."},
	[-RECAM_EINVAL] = {400, "invalid_input", "入力内容に誤りがあります。", "The input is not valid."},
	[-RECAM_ENOTFOUND] = {404, "not_found", "お探しのページまたはデータが見つかりません。",
			      "The page or item was not found."},
	[-RECAM_ECONFLICT] = {409, "conflict", "他の操作と競合しました。画面を更新してからもう一度お試しください。",
			      "This conflicts with another change. Reload and try again."},
	[-RECAM_ETOOBIG] = {413, "too_large", "送信されたデータが大きすぎます。", "The request is too large."},
	[-RECAM_EMEDIA] = {415, "unsupported_media_type", "この形式のデータには対応していません。",
			   "This content type is not supported."},
	[-RECAM_EFORBIDDEN] = {403, "forbidden", "この操作を行う権限がありません。",
			       "You are not allowed to do this."},
	[-RECAM_EUNAUTH] = {401, "unauthenticated", "ログインしていないか、ログインの有効期限が切れました。もう一度ログインしてください。",
			    "You are not logged in, or your session has expired. Please log in again."},
	[-RECAM_EBUSY] = {503, "unavailable", "ただいま混み合っています。しばらくしてからもう一度お試しください。",
			  "The service is busy. Please try again shortly."},
	[-RECAM_ELIMIT] = {429, "rate_limited", "操作が多すぎます。しばらく待ってからもう一度お試しください。",
			   "Too many requests. Please wait and try again."},
	[-RECAM_EIO] = {500, "storage_error", "保存中にエラーが発生しました。時間をおいてお試しください。",
			"A storage error occurred. Please try again later."},
	[-RECAM_EDB] = {500, "database_error", "データベースでエラーが発生しました。時間をおいてお試しください。",
			"A database error occurred. Please try again later."},
	[-RECAM_ECRYPTO] = {500, "crypto_error", "データを読み出せませんでした。", "The data could not be read."},
	[-RECAM_ETIMEOUT] = {504, "timeout", "処理が時間内に終わりませんでした。", "The operation timed out."},
	[-RECAM_EINTERNAL] = {500, "internal_error", "システムエラーが発生しました。", "An internal error occurred."},
	[-RECAM_EMETHOD] = {405, "method_not_allowed", "この操作はこのURLでは使えません。",
			    "This method is not allowed here."},
	[-RECAM_EHEADERS] = {431, "headers_too_large", "リクエストヘッダーが大きすぎます。",
			     "The request headers are too large."},
	[-RECAM_ESHUTDOWN] = {503, "shutting_down", "メンテナンスのため一時的に利用できません。しばらくしてからもう一度お試しください。",
			      "The server is restarting. Please try again shortly."},
	[-RECAM_EJSON] = {400, "invalid_json", "送信されたJSONの形式が正しくありません。", "The JSON body is malformed."},
	[-RECAM_EDEPTH] = {400, "json_too_deep", "送信されたJSONの入れ子が深すぎます。", "The JSON body is nested too deeply."},
	[-RECAM_ERANGE] = {400, "out_of_range", "値が許される範囲を外れています。", "A value is out of range."},
};

static const struct err_info *err_lookup(int err)
{
	if (err > 0 || err <= RECAM_ERR_MIN_ || err_table[-err].code == NULL)
		err = RECAM_EINTERNAL;
	return &err_table[-err];
}

const char *recam_err_code(int err) { return err_lookup(err)->code; }
int recam_err_http(int err) { return err_lookup(err)->status; }

const char *recam_err_message(int err, recam_lang lang)
{
	const struct err_info *e = err_lookup(err);
	return lang == RECAM_LANG_EN ? e->en : e->ja;
}

recam_lang recam_lang_from_header(const char *h)
{
	/* Japanese is the first language: English only when it is asked for
	 * before any Japanese preference. A full q-value parse buys nothing
	 * with two languages. */
	if (h == NULL)
		return RECAM_LANG_JA;
	for (const char *p = h; *p != '\0'; p++) {
		if (p != h && p[-1] != ',' && p[-1] != ' ')
			continue;
		if (strncasecmp(p, "ja", 2) == 0)
			return RECAM_LANG_JA;
		if (strncasecmp(p, "en", 2) == 0)
			return RECAM_LANG_EN;
	}
	return RECAM_LANG_JA;
}
