/* test_config.c — the configuration table: defaults, the file format, the
 * RECAM_* environment, messages that name the setting, redaction. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/error.h"
#include "unit_helpers.h"

static char dir[64];

static void setup(void)
{
	ut_clear_recam_env();
	ut_mkdtemp(dir);
}

static void teardown(void) { ut_rmtree(dir); }

TestSuite(config, .init = setup, .fini = teardown);

/* Writes text to dir/recam.conf and loads it. */
static int load_text(recam_config *cfg, const char *text, char *err, size_t errlen)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/recam.conf", dir);
	ut_write_file(path, text, strlen(text));
	err[0] = '\0';
	return recam_config_load(cfg, path, err, errlen);
}

Test(config, defaults_are_valid_and_safe)
{
	recam_config c;
	char err[256] = "";
	cr_assert_eq(recam_config_load(&c, NULL, err, sizeof(err)), 0, "%s", err);
	/* Out of the box: loopback only, no test hooks, no secret baked in. */
	cr_assert_str_eq(c.listen_host, "127.0.0.1");
	cr_assert_eq(c.listen_port, 8080);
	cr_assert_eq(c.test_hooks, false);
	cr_assert_str_eq(c.master_key, "");
	cr_assert_str_eq(c.ops_token, "");
	/* Access logs are kept the 365 days the check sheet asks for. */
	cr_assert_eq(c.access_log_retention_days, 365);
	/* Every request limit is set. */
	cr_assert_gt(c.max_header_bytes, 0);
	cr_assert_gt(c.max_body_bytes, 0);
	cr_assert_gt(c.max_upload_bytes, 0);
	cr_assert_gt(c.max_json_depth, 0);
	cr_assert_gt(c.connection_timeout, 0);
}

Test(config, file_with_comments_blank_lines_quotes_and_crlf)
{
	recam_config c;
	char err[256];
	const char *text = "# a comment line\n"
			   "\n"
			   "   # an indented comment\n"
			   "listen = \"0.0.0.0:9090\"\n"
			   "threads=4\r\n"
			   "\tmax_body_bytes   =   2MiB   \n"
			   "connection_timeout = \"2m\"\n"
			   "data_dir = \"/srv/recam data\"\n"
			   "test_hooks = yes\n"
			   "ops_token = \"a#b\"\n"
			   "log_level = warn";
	cr_assert_eq(load_text(&c, text, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(c.listen_host, "0.0.0.0");
	cr_assert_eq(c.listen_port, 9090);
	cr_assert_eq(c.threads, 4);
	cr_assert_eq(c.max_body_bytes, 2 * 1024 * 1024);
	cr_assert_eq(c.connection_timeout, 120);
	cr_assert_str_eq(c.data_dir, "/srv/recam data");
	cr_assert(c.test_hooks);
	cr_assert_str_eq(c.ops_token, "a#b", "a '#' inside a quoted value is data");
	cr_assert_str_eq(c.log_level, "warn");
	/* Untouched settings keep their defaults. */
	recam_config d;
	cr_assert_eq(recam_config_load(&d, NULL, err, sizeof(err)), 0);
	cr_assert_eq(c.workers, d.workers);
	cr_assert_eq(c.max_upload_bytes, d.max_upload_bytes);
}

Test(config, ipv6_listen_in_brackets)
{
	recam_config c;
	char err[256];
	cr_assert_eq(load_text(&c, "listen = [::1]:8443\n", err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(c.listen_host, "::1");
	cr_assert_eq(c.listen_port, 8443);
}

static void expect_fail(const char *text, const char *must_contain)
{
	recam_config c;
	char err[512];
	int rc = load_text(&c, text, err, sizeof(err));
	cr_assert_lt(rc, 0, "'%s' was accepted", text);
	cr_assert_not_null(strstr(err, must_contain), "message for '%s' does not name '%s': %s", text, must_contain,
			   err);
}

Test(config, unknown_setting_is_refused_with_its_name_and_line)
{
	expect_fail("threads = 2\nlisten_port = 80\n", "listen_port");
	expect_fail("threads = 2\nlisten_port = 80\n", ":2:");
}

Test(config, out_of_range_numbers_name_the_setting)
{
	expect_fail("threads = 0\n", "threads");
	expect_fail("threads = 257\n", "threads");
	expect_fail("workers = -1\n", "workers");
	expect_fail("max_json_depth = 100000000000000000000\n", "max_json_depth");
	expect_fail("max_header_bytes = 1k\n", "max_header_bytes");
	expect_fail("max_upload_bytes = 2G\n", "max_upload_bytes");
	expect_fail("shutdown_grace = 11m\n", "shutdown_grace");
	expect_fail("access_log_retention_days = 0\n", "access_log_retention_days");
}

Test(config, malformed_numbers_sizes_and_durations_name_the_setting)
{
	expect_fail("threads = four\n", "threads");
	expect_fail("threads = 4 # four\n", "threads");
	expect_fail("max_body_bytes = 10X\n", "max_body_bytes");
	expect_fail("max_body_bytes = 1.5M\n", "max_body_bytes");
	expect_fail("max_body_bytes = \n", "max_body_bytes");
	expect_fail("connection_timeout = 5y\n", "connection_timeout");
	expect_fail("connection_timeout = 100ms\n", "connection_timeout");
	expect_fail("test_hooks = maybe\n", "test_hooks");
}

Test(config, bad_listen_values_name_the_setting)
{
	expect_fail("listen = localhost\n", "listen");
	expect_fail("listen = :8080\n", "listen");
	expect_fail("listen = 127.0.0.1:http\n", "listen");
	expect_fail("listen = 127.0.0.1:70000\n", "listen");
	expect_fail("listen = 127.0.0.1:\n", "listen");
	expect_fail("listen = [::1:8080\n", "listen");
}

Test(config, bad_log_level_and_backend_name_the_setting)
{
	expect_fail("log_level = verbose\n", "log_level");
	expect_fail("log_level = \n", "log_level");
	expect_fail("store_backend = mysql\n", "store_backend");
}

Test(config, a_line_without_equals_is_refused_with_its_line_number)
{
	expect_fail("threads = 2\n\nthreads 4\n", ":3:");
}

Test(config, a_value_too_long_for_its_setting_is_refused)
{
	char text[600];
	char big[300];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(text, sizeof(text), "tenant_base_domain = %s\n", big);
	expect_fail(text, "tenant_base_domain");
}

Test(config, a_missing_file_is_an_error_naming_the_file)
{
	recam_config c;
	char err[256] = "";
	char path[128];
	snprintf(path, sizeof(path), "%s/nope.conf", dir);
	cr_assert_lt(recam_config_load(&c, path, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "nope.conf"), "%s", err);
}

Test(config, a_nul_byte_does_not_hide_the_rest_of_the_file)
{
	/* Whatever follows a NUL byte must not be skipped silently: either the
	 * file is refused or every line is read. */
	recam_config c;
	char err[256] = "";
	char path[128];
	snprintf(path, sizeof(path), "%s/nul.conf", dir);
	const char text[] = "threads = 3\0junk\nthreads = 0\n";
	ut_write_file(path, text, sizeof(text) - 1);
	cr_assert_lt(recam_config_load(&c, path, err, sizeof(err)), 0, "threads = 0 after a NUL byte was ignored");
}

Test(config, environment_overrides_the_file)
{
	recam_config c;
	char err[256];
	setenv("RECAM_THREADS", "8", 1);
	setenv("RECAM_LISTEN", "127.0.0.1:0", 1);
	setenv("RECAM_MAX_UPLOAD_BYTES", "5M", 1);
	cr_assert_eq(load_text(&c, "threads = 4\nworkers = 3\nlisten = 0.0.0.0:1\n", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(c.threads, 8);
	cr_assert_eq(c.workers, 3);
	cr_assert_eq(c.listen_port, 0);
	cr_assert_str_eq(c.listen_host, "127.0.0.1");
	cr_assert_eq(c.max_upload_bytes, 5 * 1024 * 1024);
	unsetenv("RECAM_THREADS");
	unsetenv("RECAM_LISTEN");
	unsetenv("RECAM_MAX_UPLOAD_BYTES");
}

Test(config, an_invalid_environment_value_names_setting_and_variable)
{
	recam_config c;
	char err[256] = "";
	setenv("RECAM_DB_POOL_SIZE", "0", 1);
	cr_assert_lt(recam_config_load(&c, NULL, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "db_pool_size"), "%s", err);
	cr_assert_not_null(strstr(err, "RECAM_DB_POOL_SIZE"), "%s", err);
	unsetenv("RECAM_DB_POOL_SIZE");
}

Test(config, set_by_name_validates_like_the_file)
{
	recam_config c;
	char err[256];
	cr_assert_eq(recam_config_load(&c, NULL, err, sizeof(err)), 0);
	cr_assert_eq(recam_config_set(&c, "max_json_depth", "64", err, sizeof(err)), 0);
	cr_assert_eq(c.max_json_depth, 64);
	err[0] = '\0';
	cr_assert_lt(recam_config_set(&c, "max_json_depth", "1", err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "max_json_depth"), "%s", err);
	cr_assert_eq(c.max_json_depth, 64, "a refused value must not be stored");
	err[0] = '\0';
	cr_assert_lt(recam_config_set(&c, "no_such_thing", "1", err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "no_such_thing"), "%s", err);
	cr_assert_lt(recam_config_set(&c, "listen", "nope", err, sizeof(err)), 0);
	cr_assert_str_eq(c.listen, "127.0.0.1:8080", "a refused listen must not be stored");
}

Test(config, tls_certificate_without_key_is_refused)
{
	expect_fail("tls_cert_file = /etc/recam/cert.pem\n", "tls_key_file");
	expect_fail("tls_key_file = /etc/recam/key.pem\n", "tls_cert_file");
	recam_config c;
	char err[256];
	cr_assert_eq(load_text(&c, "tls_cert_file = /c.pem\ntls_key_file = /k.pem\n", err, sizeof(err)), 0, "%s", err);
	setenv("RECAM_TLS_KEY_FILE", "", 1);
	cr_assert_lt(load_text(&c, "tls_cert_file = /c.pem\ntls_key_file = /k.pem\n", err, sizeof(err)), 0,
		     "clearing the key through the environment leaves a certificate alone");
	unsetenv("RECAM_TLS_KEY_FILE");
}

Test(config, print_redacts_secrets)
{
	recam_config c;
	char err[256];
	const char *hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	cr_assert_eq(recam_config_load(&c, NULL, err, sizeof(err)), 0);
	cr_assert_eq(recam_config_set(&c, "master_key", hex, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(recam_config_set(&c, "ops_token", "very-secret-ops-token", err, sizeof(err)), 0, "%s", err);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	recam_config_print(&c, f);
	fclose(f);
	cr_assert_null(strstr(text, hex), "master key printed");
	cr_assert_null(strstr(text, "00112233"), "part of the master key printed");
	cr_assert_null(strstr(text, "very-secret"), "ops token printed");
	cr_assert_not_null(strstr(text, "master_key = \"(redacted)\""), "%s", text);
	cr_assert_not_null(strstr(text, "ops_token = \"(redacted)\""), "%s", text);
	cr_assert_not_null(strstr(text, "threads = \"2\""), "%s", text);
	free(text);
}

Test(config, printed_configuration_loads_back_to_the_same_values)
{
	recam_config a, b;
	char err[256];
	cr_assert_eq(load_text(&a, "threads = 7\nmax_body_bytes = 3M\nshutdown_grace = 1m\nlisten = [::]:81\n", err,
			       sizeof(err)),
		     0, "%s", err);
	char path[128];
	snprintf(path, sizeof(path), "%s/printed.conf", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	recam_config_print(&a, f);
	fclose(f);
	cr_assert_eq(recam_config_load(&b, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0, "printing and loading changed a value");
}

Test(config, the_sample_file_uncommented_gives_the_defaults)
{
	/* recam.conf.sample lists every setting with its default, commented
	 * out: taking the comment marks away must load and change nothing. */
	size_t len = 0;
	char *sample = ut_read_file("recam.conf.sample", &len);
	cr_assert_not_null(sample, "recam.conf.sample not found (run the tests from the repository root)");
	char *text = malloc(len + 1);
	size_t o = 0;
	int settings = 0;
	for (char *line = sample; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		/* "# name = value" lines are settings; the rest are prose. */
		size_t k = 2;
		while (k < n && ((line[k] >= 'a' && line[k] <= 'z') || line[k] == '_'))
			k++;
		if (n > 2 && line[0] == '#' && line[1] == ' ' && k > 2 && n - k >= 3 && memcmp(line + k, " = ", 3) == 0) {
			memcpy(text + o, line + 2, n - 2);
			o += n - 2;
			text[o++] = '\n';
			settings++;
		}
		line = nl ? nl + 1 : NULL;
	}
	text[o] = '\0';
	cr_assert_geq(settings, 20, "only %d settings found in the sample", settings);
	recam_config from_sample, defaults;
	char err[256];
	cr_assert_eq(load_text(&from_sample, text, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(recam_config_load(&defaults, NULL, err, sizeof(err)), 0);
	cr_assert_eq(memcmp(&from_sample, &defaults, sizeof(defaults)), 0, "the sample differs from the defaults");
	free(text);
	free(sample);
}

Test(config, paths_are_joined_under_data_dir)
{
	recam_config c;
	char err[256], out[RECAM_PATH_MAX];
	cr_assert_eq(load_text(&c, "data_dir = /srv/recam/\n", err, sizeof(err)), 0);
	cr_assert_eq(recam_config_path(&c, "master.key", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/srv/recam/master.key");
	char small[8];
	cr_assert_eq(recam_config_path(&c, "master.key", small, sizeof(small)), RECAM_ETOOBIG);
}
