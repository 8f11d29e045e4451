/* security.c — loading, validating and saving a tenant's security settings. */
#include "security.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"

void recam_security_default(recam_security *s)
{
	memset(s, 0, sizeof(*s));
	recam_pw_policy_default(&s->pw);
	s->idle_timeout_minutes = RECAM_IDLE_MIN_DEFAULT;
	s->absolute_lifetime_hours = RECAM_ABSOLUTE_H_DEFAULT;
}

struct loaded {
	char value[1024];
	int64_t version;
};

static int read_row(void *ctx, const recam_dbrow *row)
{
	struct loaded *l = ctx;
	l->version = recam_dbrow_int(row, 1);
	return recam_dbrow_copy_text(row, 0, l->value, sizeof(l->value));
}

static int get_int(json_t *o, const char *k, int lo, int hi, int *out)
{
	json_t *v = json_object_get(o, k);
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return RECAM_EINVAL;
	*out = (int)json_integer_value(v);
	return 0;
}

static int get_bool(json_t *o, const char *k, bool *out)
{
	json_t *v = json_object_get(o, k);
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return RECAM_EINVAL;
	*out = json_is_true(v);
	return 0;
}

int recam_security_from_json(json_t *in, const recam_security *base, recam_security *out, json_t *fields,
			     recam_lang lang)
{
	bool en = lang == RECAM_LANG_EN;
	char msg[160];
	*out = *base;
	if (get_int(in, "password_min_length", RECAM_PASSWORD_MIN_FLOOR, RECAM_PASSWORD_MIN_HIGH,
		    &out->pw.min_length) != 0) {
		snprintf(msg, sizeof(msg), en ? "A whole number from %d to %d." : "%d〜%dの整数にしてください。",
			 RECAM_PASSWORD_MIN_FLOOR, RECAM_PASSWORD_MIN_HIGH);
		json_object_set_new(fields, "password_min_length", json_string(msg));
	}
	if (get_int(in, "idle_timeout_minutes", RECAM_IDLE_MIN_LOW, RECAM_IDLE_MIN_HIGH,
		    &out->idle_timeout_minutes) != 0) {
		snprintf(msg, sizeof(msg), en ? "A whole number of minutes from %d to %d." : "%d〜%d分の整数にしてください。",
			 RECAM_IDLE_MIN_LOW, RECAM_IDLE_MIN_HIGH);
		json_object_set_new(fields, "idle_timeout_minutes", json_string(msg));
	}
	if (get_int(in, "absolute_lifetime_hours", RECAM_ABSOLUTE_H_LOW, RECAM_ABSOLUTE_H_HIGH,
		    &out->absolute_lifetime_hours) != 0) {
		snprintf(msg, sizeof(msg), en ? "A whole number of hours from %d to %d." : "%d〜%d時間の整数にしてください。",
			 RECAM_ABSOLUTE_H_LOW, RECAM_ABSOLUTE_H_HIGH);
		json_object_set_new(fields, "absolute_lifetime_hours", json_string(msg));
	}
	static const char *const flags[] = {"password_require_upper", "password_require_lower", "password_require_digit",
					    "password_require_symbol"};
	bool *dst[] = {&out->pw.require_upper, &out->pw.require_lower, &out->pw.require_digit, &out->pw.require_symbol};
	for (int i = 0; i < 4; i++)
		if (get_bool(in, flags[i], dst[i]) != 0)
			json_object_set_new(fields, flags[i], json_string(en ? "true or false." : "true か false にしてください。"));
	return json_object_size(fields) > 0 ? RECAM_EINVAL : 0;
}

int recam_security_load(recam_db *db, recam_security *out)
{
	recam_security_default(out);
	struct loaded l = {"", 0};
	int rc = recam_db_query_one(db, "SELECT value, version FROM tenant_settings WHERE key = 'security'",
				    RECAM_DB_NOARGS, read_row, &l);
	if (rc == RECAM_ENOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	json_t *in = json_loads(l.value, 0, NULL);
	json_t *fields = json_object();
	recam_security def = *out;
	rc = in ? recam_security_from_json(in, &def, out, fields, RECAM_LANG_EN) : RECAM_EINVAL;
	json_decref(in);
	json_decref(fields);
	if (rc != 0) {
		/* Stored by this code, so only a hand edit gets here: the defaults are safe. */
		recam_warn("tenant security settings unreadable; using the defaults");
		recam_security_default(out);
	}
	out->version = l.version;
	return 0;
}

json_t *recam_security_json(const recam_security *s)
{
	return json_pack("{s:i, s:b, s:b, s:b, s:b, s:i, s:i, s:I}", "password_min_length", s->pw.min_length,
			 "password_require_upper", s->pw.require_upper, "password_require_lower", s->pw.require_lower,
			 "password_require_digit", s->pw.require_digit, "password_require_symbol", s->pw.require_symbol,
			 "idle_timeout_minutes", s->idle_timeout_minutes, "absolute_lifetime_hours",
			 s->absolute_lifetime_hours, "version", (json_int_t)s->version);
}

int recam_security_save(recam_db *db, recam_security *s, int64_t expected_version)
{
	json_t *j = recam_security_json(s);
	if (j == NULL)
		return RECAM_ENOMEM;
	json_object_del(j, "version");
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (text == NULL)
		return RECAM_ENOMEM;
	char at[40];
	recam_clock_format_rfc3339(recam_clock_now(), at, sizeof(at));
	int64_t changes = 0;
	int rc;
	if (expected_version == 0) {
		/* The first save: a concurrent first save makes this a conflict. */
		rc = recam_db_exec_changes(db,
					   "INSERT INTO tenant_settings (key, value, version, updated_at) "
					   "VALUES ('security', ?, 1, ?) ON CONFLICT(key) DO NOTHING",
					   RECAM_DB_ARGS(DBV_TEXT(text), DBV_TEXT(at)), &changes);
	} else {
		rc = recam_db_exec_changes(db,
					   "UPDATE tenant_settings SET value = ?, version = version + 1, updated_at = ? "
					   "WHERE key = 'security' AND version = ?",
					   RECAM_DB_ARGS(DBV_TEXT(text), DBV_TEXT(at), DBV_INT(expected_version)), &changes);
	}
	free(text);
	if (rc != 0)
		return rc;
	if (changes != 1)
		return RECAM_ECONFLICT;
	s->version = expected_version + 1;
	return 0;
}
