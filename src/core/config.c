/* config.c — the configuration table and its loaders. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "log.h"
#include "str.h"

enum cfg_type { CFG_STRING, CFG_PATH, CFG_SECRET, CFG_INT, CFG_SIZE, CFG_SECONDS, CFG_BOOL };

typedef int (*cfg_check)(recam_config *cfg, const char *value, char *why, size_t whylen);

struct cfg_entry {
	const char *name;
	enum cfg_type type;
	size_t offset;
	size_t size;	 /* for strings: the field's capacity */
	const char *def; /* default, as text */
	int64_t min, max;
	const char *doc;
	cfg_check check;
};

static int check_listen(recam_config *cfg, const char *v, char *why, size_t n);
static int check_log_level(recam_config *cfg, const char *v, char *why, size_t n);
static int check_backend(recam_config *cfg, const char *v, char *why, size_t n);

#define STR(f) offsetof(recam_config, f), sizeof(((recam_config *)0)->f)
#define NUM(f) offsetof(recam_config, f), 0

static const struct cfg_entry cfg_table[] = {
	{"listen", CFG_STRING, STR(listen), "127.0.0.1:8080", 0, 0,
	 "Address and port to listen on, as host:port ([::1]:8080 for IPv6).", check_listen},
	{"data_dir", CFG_PATH, STR(data_dir), "./var", 0, 0,
	 "Directory holding every database, blob, key and log: a fresh directory is a fresh install.", NULL},
	{"web_dir", CFG_PATH, STR(web_dir), "./web", 0, 0, "Directory of the static front-end served under /static/.",
	 NULL},
	{"master_key_file", CFG_PATH, STR(master_key_file), "", 0, 0,
	 "File holding the master key that wraps every tenant key; empty means data_dir/master.key, created 0600 "
	 "on first run.",
	 NULL},
	{"master_key", CFG_SECRET, STR(master_key), "", 0, 0,
	 "The master key itself as 64 hex digits, instead of master_key_file (for secret managers).", NULL},
	{"ops_token", CFG_SECRET, STR(ops_token), "", 0, 0,
	 "Bearer token for the operator API under /ops/api/; empty disables that API.", NULL},
	{"tls_cert_file", CFG_PATH, STR(tls_cert_file), "", 0, 0,
	 "PEM certificate (chain); with tls_key_file, recam serves HTTPS only and sends HSTS.", NULL},
	{"tls_key_file", CFG_PATH, STR(tls_key_file), "", 0, 0, "PEM private key for tls_cert_file.", NULL},
	{"tenant_base_domain", CFG_STRING, STR(tenant_base_domain), "", 0, 0,
	 "When set, a request to {slug}.{tenant_base_domain} reaches that tenant without the /t/{slug} prefix.",
	 NULL},
	{"store_backend", CFG_STRING, STR(store_backend), "sqlite", 0, 0,
	 "Store implementation: sqlite (one control database and one database per tenant).", check_backend},
	{"log_level", CFG_STRING, STR(log_level), "info", 0, 0, "Least severe level logged: debug, info, warn or error.",
	 check_log_level},
	{"threads", CFG_INT, NUM(threads), "2", 1, 256, "HTTP worker threads.", NULL},
	{"workers", CFG_INT, NUM(workers), "2", 0, 64, "Background job worker threads in recam serve.", NULL},
	{"reader_workers", CFG_INT, NUM(reader_workers), "2", 0, 32,
	 "Receipt-reader processes (one warm OCR engine each); 0 leaves entries queued.", NULL},
	{"reader_timeout", CFG_SECONDS, NUM(reader_timeout), "30s", 1, 600,
	 "Longest a reader process may spend on one photo before it is killed.", NULL},
	{"reader_memory", CFG_SIZE, NUM(reader_memory), "1536MiB", 268435456, 17179869184,
	 "Address-space limit of each reader process.", NULL},
	{"max_connections", CFG_INT, NUM(max_connections), "1024", 1, 65536,
	 "Concurrent connections accepted; more are refused.", NULL},
	{"connection_timeout", CFG_SECONDS, NUM(connection_timeout), "30s", 1, 3600,
	 "An idle or stalled connection is closed after this long.", NULL},
	{"max_header_bytes", CFG_SIZE, NUM(max_header_bytes), "16KiB", 2048, 1048576,
	 "Request line plus headers; larger gets 431.", NULL},
	{"max_body_bytes", CFG_SIZE, NUM(max_body_bytes), "1MiB", 1024, 67108864,
	 "Largest JSON or form body; larger gets 413.", NULL},
	{"max_upload_bytes", CFG_SIZE, NUM(max_upload_bytes), "40MiB", 1024, 1073741824,
	 "Largest upload (receipt photos) on routes that stream to the blob store.", NULL},
	{"max_json_depth", CFG_INT, NUM(max_json_depth), "32", 2, 512, "Deepest nesting accepted in a JSON body.",
	 NULL},
	{"shutdown_grace", CFG_SECONDS, NUM(shutdown_grace), "15s", 0, 600,
	 "On SIGTERM, how long requests in flight may take to finish.", NULL},
	{"access_log_retention_days", CFG_INT, NUM(access_log_retention_days), "365", 1, 3650,
	 "Days of daily access-log files kept; older ones are deleted by recam.", NULL},
	{"db_busy_timeout_ms", CFG_INT, NUM(db_busy_timeout_ms), "5000", 0, 600000,
	 "How long a database call waits for a lock before failing.", NULL},
	{"db_pool_size", CFG_INT, NUM(db_pool_size), "8", 1, 256, "Open connections kept per database.", NULL},
	{"test_hooks", CFG_BOOL, NUM(test_hooks), "false", 0, 0,
	 "Enables test-only routes (moving the clock, a slow request); never in production.", NULL},
};

#define CFG_COUNT (sizeof(cfg_table) / sizeof(cfg_table[0]))

static const char *type_name(enum cfg_type t)
{
	switch (t) {
	case CFG_STRING: return "string";
	case CFG_PATH: return "path";
	case CFG_SECRET: return "secret";
	case CFG_INT: return "integer";
	case CFG_SIZE: return "size";
	case CFG_SECONDS: return "duration";
	case CFG_BOOL: return "boolean";
	}
	return "?";
}

static const struct cfg_entry *cfg_find(const char *name, size_t n)
{
	for (size_t i = 0; i < CFG_COUNT; i++)
		if (strlen(cfg_table[i].name) == n && strncmp(cfg_table[i].name, name, n) == 0)
			return &cfg_table[i];
	return NULL;
}

static int check_listen(recam_config *cfg, const char *v, char *why, size_t n)
{
	const char *colon = strrchr(v, ':');
	if (colon == NULL || colon == v) {
		snprintf(why, n, "expected host:port, got '%s'", v);
		return RECAM_EINVAL;
	}
	int64_t port;
	if (recam_parse_i64(recam_str_c(colon + 1), 0, 65535, &port) != 0) {
		snprintf(why, n, "port must be a number from 0 to 65535, got '%s'", colon + 1);
		return RECAM_EINVAL;
	}
	const char *host = v;
	size_t hlen = (size_t)(colon - v);
	if (host[0] == '[') { /* [::1]:8080 */
		if (hlen < 3 || host[hlen - 1] != ']') {
			snprintf(why, n, "IPv6 address must be in brackets, got '%s'", v);
			return RECAM_EINVAL;
		}
		host++;
		hlen -= 2;
	}
	if (hlen >= sizeof(cfg->listen_host)) {
		snprintf(why, n, "host is too long");
		return RECAM_EINVAL;
	}
	memcpy(cfg->listen_host, host, hlen);
	cfg->listen_host[hlen] = '\0';
	cfg->listen_port = (uint16_t)port;
	return 0;
}

static int check_log_level(recam_config *cfg, const char *v, char *why, size_t n)
{
	(void)cfg;
	if (recam_log_level_parse(v) < 0) {
		snprintf(why, n, "must be debug, info, warn or error, got '%s'", v);
		return RECAM_EINVAL;
	}
	return 0;
}

static int check_backend(recam_config *cfg, const char *v, char *why, size_t n)
{
	(void)cfg;
	if (strcmp(v, "sqlite") != 0) {
		snprintf(why, n, "only 'sqlite' is implemented, got '%s'", v);
		return RECAM_EINVAL;
	}
	return 0;
}

static int cfg_apply(recam_config *cfg, const struct cfg_entry *e, const char *value, char *why, size_t whylen)
{
	char *base = (char *)cfg + e->offset;
	recam_str s = recam_str_c(value);
	int rc = 0;
	switch (e->type) {
	case CFG_STRING:
	case CFG_PATH:
	case CFG_SECRET:
		if (strlen(value) >= e->size) {
			snprintf(why, whylen, "longer than %zu bytes", e->size - 1);
			return RECAM_ETOOBIG;
		}
		if (e->check && (rc = e->check(cfg, value, why, whylen)) != 0)
			return rc;
		memcpy(base, value, strlen(value) + 1);
		return 0;
	case CFG_INT: {
		int64_t v;
		rc = recam_parse_i64(recam_str_trim(s), e->min, e->max, (int64_t *)&v);
		if (rc == 0)
			*(int64_t *)base = v;
		break;
	}
	case CFG_SECONDS: {
		int64_t v;
		rc = recam_parse_seconds(s, e->min, e->max, &v);
		if (rc == 0)
			*(int64_t *)base = v;
		break;
	}
	case CFG_SIZE: {
		uint64_t v;
		rc = recam_parse_size(s, (uint64_t)e->min, (uint64_t)e->max, &v);
		if (rc == 0)
			*(uint64_t *)base = v;
		break;
	}
	case CFG_BOOL:
		rc = recam_parse_bool(s, (bool *)base);
		if (rc != 0)
			snprintf(why, whylen, "must be true or false, got '%s'", value);
		return rc;
	}
	if (rc == RECAM_ERANGE)
		snprintf(why, whylen, "'%s' is outside %lld..%lld", value, (long long)e->min, (long long)e->max);
	else if (rc != 0)
		snprintf(why, whylen, "'%s' is not a valid %s", value, type_name(e->type));
	return rc;
}

int recam_config_set(recam_config *cfg, const char *name, const char *value, char *err, size_t errlen)
{
	const struct cfg_entry *e = cfg_find(name, strlen(name));
	if (e == NULL) {
		snprintf(err, errlen, "unknown setting '%s'", name);
		return RECAM_EINVAL;
	}
	char why[256] = "";
	int rc = cfg_apply(cfg, e, value, why, sizeof(why));
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", name, why);
	return rc;
}

static int load_file(recam_config *cfg, const char *path, char *err, size_t errlen)
{
	recam_buf b;
	recam_buf_init(&b, 1024 * 1024);
	int rc = recam_fs_read(path, &b);
	if (rc != 0) {
		snprintf(err, errlen, "cannot read config file %s", path);
		recam_buf_free(&b);
		return rc;
	}
	/* Lines are C strings below: a NUL would silently hide what follows. */
	if (b.len > 0 && memchr(b.data, '\0', b.len) != NULL) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		recam_buf_free(&b);
		return RECAM_EINVAL;
	}
	char *line = b.data;
	int lineno = 0;
	while (line && *line) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		recam_str l = recam_str_trim(recam_str_c(line));
		if (l.n == 0 || l.p[0] == '#') {
			line = next;
			continue;
		}
		const char *eq = memchr(l.p, '=', l.n);
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected 'name = value'", path, lineno);
			rc = RECAM_EINVAL;
			break;
		}
		recam_str name = recam_str_trim((recam_str){l.p, (size_t)(eq - l.p)});
		recam_str val = recam_str_trim((recam_str){eq + 1, l.n - (size_t)(eq - l.p) - 1});
		if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"') {
			val.p++;
			val.n -= 2;
		}
		const struct cfg_entry *e = cfg_find(name.p, name.n);
		if (e == NULL) {
			snprintf(err, errlen, "%s:%d: unknown setting '%.*s'", path, lineno, (int)name.n, name.p);
			rc = RECAM_EINVAL;
			break;
		}
		char value[RECAM_PATH_MAX + 1];
		if (val.n >= sizeof(value)) {
			snprintf(err, errlen, "%s:%d: %s: value too long", path, lineno, e->name);
			rc = RECAM_ETOOBIG;
			break;
		}
		memcpy(value, val.p, val.n);
		value[val.n] = '\0';
		char why[256] = "";
		if ((rc = cfg_apply(cfg, e, value, why, sizeof(why))) != 0) {
			snprintf(err, errlen, "%s:%d: %s: %s", path, lineno, e->name, why);
			break;
		}
		line = next;
	}
	recam_buf_free(&b);
	return rc;
}

static void env_name(const char *name, char *out, size_t n)
{
	size_t o = 0;
	for (const char *p = "RECAM_"; *p && o + 1 < n; p++)
		out[o++] = *p;
	for (const char *p = name; *p && o + 1 < n; p++)
		out[o++] = (char)toupper((unsigned char)*p);
	out[o] = '\0';
}

int recam_config_load(recam_config *cfg, const char *path, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	char why[256];
	for (size_t i = 0; i < CFG_COUNT; i++) {
		if (cfg_apply(cfg, &cfg_table[i], cfg_table[i].def, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "built-in default of %s is invalid: %s", cfg_table[i].name, why);
			return RECAM_EINTERNAL;
		}
	}
	int rc;
	if (path && (rc = load_file(cfg, path, err, errlen)) != 0)
		return rc;
	for (size_t i = 0; i < CFG_COUNT; i++) {
		char env[96];
		env_name(cfg_table[i].name, env, sizeof(env));
		const char *v = getenv(env);
		if (v == NULL)
			continue;
		if ((rc = cfg_apply(cfg, &cfg_table[i], v, why, sizeof(why))) != 0) {
			snprintf(err, errlen, "%s (from %s): %s", cfg_table[i].name, env, why);
			return rc;
		}
	}
	if ((cfg->tls_cert_file[0] == '\0') != (cfg->tls_key_file[0] == '\0')) {
		snprintf(err, errlen, "tls_cert_file and tls_key_file: set both or neither");
		return RECAM_EINVAL;
	}
	return 0;
}

static void print_value(const recam_config *cfg, const struct cfg_entry *e, char *out, size_t n)
{
	const char *base = (const char *)cfg + e->offset;
	switch (e->type) {
	case CFG_STRING:
	case CFG_PATH:
		snprintf(out, n, "%s", base);
		break;
	case CFG_SECRET:
		snprintf(out, n, "%s", base[0] ? "(redacted)" : "");
		break;
	case CFG_INT:
		snprintf(out, n, "%lld", (long long)*(const int64_t *)base);
		break;
	case CFG_SECONDS:
		snprintf(out, n, "%llds", (long long)*(const int64_t *)base);
		break;
	case CFG_SIZE:
		snprintf(out, n, "%llu", (unsigned long long)*(const uint64_t *)base);
		break;
	case CFG_BOOL:
		snprintf(out, n, "%s", *(const bool *)base ? "true" : "false");
		break;
	}
}

void recam_config_print(const recam_config *cfg, FILE *out)
{
	for (size_t i = 0; i < CFG_COUNT; i++) {
		char v[RECAM_PATH_MAX + 16];
		print_value(cfg, &cfg_table[i], v, sizeof(v));
		/* A redacted secret is printed commented out, so that this output
		 * read back as a file never sets a secret to "(redacted)". */
		bool hidden = cfg_table[i].type == CFG_SECRET && v[0];
		fprintf(out, "%s%s = \"%s\"\n", hidden ? "# " : "", cfg_table[i].name, v);
	}
}

void recam_config_print_markdown(FILE *out)
{
	fprintf(out, "# Configuration reference\n\n"
		     "Generated by `recam config --markdown` from the table in `src/core/config.c`; "
		     "do not edit by hand (a test checks that it matches).\n\n"
		     "Each setting is read, in this order, from its built-in default, the file given with "
		     "`--config FILE` (or `RECAM_CONFIG`), and the environment variable `RECAM_` + its name in "
		     "capitals. An invalid value stops start-up with a message naming the setting. Sizes take "
		     "`k`, `M`, `G` (powers of 1024); durations take `s`, `m`, `h`, `d`.\n\n"
		     "| setting | environment | type | default | bounds | meaning |\n"
		     "|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < CFG_COUNT; i++) {
		const struct cfg_entry *e = &cfg_table[i];
		char env[96], bounds[64] = "";
		env_name(e->name, env, sizeof(env));
		if (e->type == CFG_INT || e->type == CFG_SIZE || e->type == CFG_SECONDS)
			snprintf(bounds, sizeof(bounds), "%lld..%lld", (long long)e->min, (long long)e->max);
		fprintf(out, "| `%s` | `%s` | %s | `%s` | %s | %s |\n", e->name, env, type_name(e->type),
			e->def[0] ? e->def : "(empty)", bounds, e->doc);
	}
}

void recam_config_print_sample(FILE *out)
{
	fprintf(out, "# recam configuration file (generated by `recam config --sample`).\n"
		     "# Every setting is shown with its built-in default, commented out; uncomment\n"
		     "# to change it. RECAM_<NAME> environment variables override this file.\n"
		     "# Use with: recam serve --config /etc/recam/recam.conf\n");
	for (size_t i = 0; i < CFG_COUNT; i++) {
		const struct cfg_entry *e = &cfg_table[i];
		fprintf(out, "\n# %s (%s", e->doc, type_name(e->type));
		if (e->type == CFG_INT || e->type == CFG_SIZE || e->type == CFG_SECONDS)
			fprintf(out, ", %lld..%lld", (long long)e->min, (long long)e->max);
		fprintf(out, ")\n# %s = \"%s\"\n", e->name, e->def);
	}
}

int recam_config_path(const recam_config *cfg, const char *rel, char *out, size_t n)
{
	return recam_fs_join(out, n, cfg->data_dir, rel);
}
