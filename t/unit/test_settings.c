/*
 * test_settings - policy/settings: the defaults, conf/kensa.yaml (which
 * shows every default), settings_load on small YAML files written to a
 * temporary directory, and settings_set overrides: sizes (K, M, G),
 * durations (s, m, h), octal modes, on_poison and on_error values, ranges,
 * unknown and duplicate keys, each error with file:line:col.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../parser/passwords.h"
#include "../../policy/settings.h"

static char tmpdir[] = "/tmp/kensa-test-settings-XXXXXX";

static char *write_file(const char *name, const char *text)
{
	char *path;
	FILE *f;

	assert_true(asprintf(&path, "%s/%s", tmpdir, name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	return path;
}

static void load_ok(struct settings *s, const char *text)
{
	char *path = write_file("ok.yaml", text), *err = NULL;

	settings_defaults(s);
	if (settings_load(s, path, &err) < 0)
		fail_msg("settings did not load: %s\n%s", err, text);
	assert_null(err);
	unlink(path);
	free(path);
}

static void expect_load_error(const char *text, int line, int col,
			      const char *word1, const char *word2)
{
	char *path = write_file("bad.yaml", text), *err = NULL, *prefix;
	char got[1024];
	const char *wrong = NULL;
	struct settings s;
	int rc;

	settings_defaults(&s);
	rc = settings_load(&s, path, &err);
	settings_free(&s);
	unlink(path);
	if (rc == 0) {
		free(path);
		fail_msg("settings loaded but should not:\n%s", text);
	}
	assert_non_null(err);
	snprintf(got, sizeof(got), "%s", err);
	free(err);
	assert_true(asprintf(&prefix, "%s:%d:%d: ", path, line, col) > 0);
	free(path);
	if (strncmp(got, prefix, strlen(prefix)) != 0)
		wrong = "the position";
	else if (word1 && !strstr(got, word1))
		wrong = word1;
	else if (word2 && !strstr(got, word2))
		wrong = word2;
	if (wrong) {
		char want[256];
		snprintf(want, sizeof(want), "%s", prefix);
		free(prefix);
		fail_msg("error '%s' does not say %s (expected prefix '%s')",
			 got, wrong, want);
	}
	free(prefix);
}

static void set_ok(struct settings *s, const char *assignment)
{
	char *err = NULL;

	if (settings_set(s, assignment, &err) < 0)
		fail_msg("-o %s refused: %s", assignment, err);
	assert_null(err);
}

static void expect_set_error(const char *assignment, const char *word)
{
	struct settings s;
	char *err = NULL, got[1024];
	int rc;

	settings_defaults(&s);
	rc = settings_set(&s, assignment, &err);
	settings_free(&s);
	if (rc == 0)
		fail_msg("-o %s accepted", assignment);
	assert_non_null(err);
	snprintf(got, sizeof(got), "%s", err);
	free(err);
	if (word && !strstr(got, word))
		fail_msg("-o %s: error '%s' does not say '%s'", assignment, got,
			 word);
}

static void assert_defaults(const struct settings *s, int skip_policy)
{
	const struct scan_limits limits = SCAN_LIMITS_DEFAULT;

	assert_string_equal(s->socket,
			    "unix:/var/spool/postfix/kensa/kensa.sock");
	assert_int_equal(s->socket_mode, 0660);
	assert_string_equal(s->socket_group, "postfix");
	assert_string_equal(s->user, "kensa");
	assert_string_equal(s->group, "kensa");
	assert_string_equal(s->pidfile, "/run/kensa/kensa-milter.pid");
	assert_string_equal(s->spool_dir, "/var/spool/kensa");
	assert_int_equal(s->spool_memory_limit, 4 << 20);
	assert_string_equal(s->state_dir, "/var/lib/kensa");
	if (!skip_policy)
		assert_non_null(strstr(s->policy, "/kensa/policy.yaml"));
	assert_int_equal(s->on_error, ON_ERROR_TEMPFAIL);
	assert_int_equal(s->scan_workers, 0);
	assert_int_equal(s->scan_timeout, 20);
	assert_int_equal(s->on_poison, VERDICT_QUARANTINE);
	assert_int_equal(s->poison_crashes, 3);
	assert_int_equal(s->drain_timeout, 30);
	assert_string_equal(s->header_verdict, "X-Kensa-Verdict");
	assert_string_equal(s->header_score, "X-Kensa-Score");
	assert_string_equal(s->header_rules, "X-Kensa-Rules");
	assert_int_equal(s->log_syslog, 1);
	assert_int_equal(s->log_stderr, 0);
	assert_string_equal(s->log_facility, "mail");
	assert_int_equal(s->log_debug, 0);
	assert_int_equal(s->worker_memory, (size_t)1 << 30);
	assert_int_equal(s->test_hooks, 0);
	assert_string_equal(s->passwords_common, PASSWORDS_COMMON_DEFAULT);
	assert_int_equal(s->limits.mime_depth, limits.mime_depth);
	assert_int_equal(s->limits.mime_parts, limits.mime_parts);
	assert_int_equal(s->limits.message_bytes, limits.message_bytes);
	assert_int_equal(s->limits.decoded_bytes, limits.decoded_bytes);
	assert_int_equal(s->limits.findings, limits.findings);
	assert_int_equal(s->limits.archive_entries, limits.archive_entries);
	assert_int_equal(s->limits.archive_ratio, limits.archive_ratio);
	assert_int_equal(s->limits.archive_member_bytes,
			 limits.archive_member_bytes);
	assert_int_equal(s->limits.archive_head_bytes,
			 limits.archive_head_bytes);
	assert_int_equal(s->limits.password_tokens, limits.password_tokens);
	assert_int_equal(s->limits.password_tries, limits.password_tries);
	assert_int_equal(s->limits.password_ms, limits.password_ms);
}

static void test_defaults(void **state)
{
	struct settings s;

	settings_defaults(&s);
	assert_defaults(&s, 0);
	settings_free(&s);
	assert_null(s.socket);
	settings_free(&s); /* twice is harmless */
}

/* conf/kensa.yaml shows the defaults: loading it changes none but the
 * policy path (an absolute /etc path rather than SYSCONFDIR). */
static void test_conf_kensa_yaml(void **state)
{
	char path[1024], *err = NULL;
	struct settings s;

	snprintf(path, sizeof(path), "%s/conf/kensa.yaml", SRCDIR);
	settings_defaults(&s);
	if (settings_load(&s, path, &err) < 0)
		fail_msg("conf/kensa.yaml: %s", err);
	assert_null(err);
	assert_defaults(&s, 1);
	assert_string_equal(s.policy, "/etc/kensa/policy.yaml");
	settings_free(&s);
}

static void test_load_values(void **state)
{
	struct settings s;

	load_ok(&s, "# comment only\n"
		    "socket: inet:8895@127.0.0.1\n"
		    "socket_mode: 0640\n"
		    "scan_timeout: 2m\n"
		    "drain_timeout: 45s\n"
		    "on_poison: tempfail\n"
		    "on_error: accept\n"
		    "spool_memory_limit: 512K\n"
		    "headers:\n"
		    "  verdict: X-Scan-Verdict\n"
		    "log: {stderr: yes, debug: on, syslog: false}\n"
		    "limits:\n"
		    "  mime_depth: 7\n"
		    "  decoded_bytes: 64M\n"
		    "  worker_memory: 2G\n"
		    "  archive_member_bytes: 8M\n"
		    "  password_tries: 50\n"
		    "passwords:\n"
		    "  common: \"x1 y2\"\n");
	assert_int_equal(s.limits.archive_member_bytes, (size_t)8 << 20);
	assert_int_equal(s.limits.password_tries, 50);
	assert_string_equal(s.passwords_common, "x1 y2");
	assert_string_equal(s.socket, "inet:8895@127.0.0.1");
	assert_int_equal(s.socket_mode, 0640);
	assert_int_equal(s.scan_timeout, 120);
	assert_int_equal(s.drain_timeout, 45);
	assert_int_equal(s.on_poison, VERDICT_COUNT);
	assert_int_equal(s.on_error, ON_ERROR_ACCEPT);
	assert_int_equal(s.spool_memory_limit, 512 << 10);
	assert_string_equal(s.header_verdict, "X-Scan-Verdict");
	assert_string_equal(s.header_score, "X-Kensa-Score"); /* untouched */
	assert_int_equal(s.log_stderr, 1);
	assert_int_equal(s.log_debug, 1);
	assert_int_equal(s.log_syslog, 0);
	assert_int_equal(s.limits.mime_depth, 7);
	assert_int_equal(s.limits.decoded_bytes, (size_t)64 << 20);
	assert_int_equal(s.worker_memory, (size_t)2 << 30);
	assert_int_equal(s.limits.mime_parts, 500); /* untouched */
	settings_free(&s);

	/* an empty file keeps every default */
	load_ok(&s, "");
	assert_defaults(&s, 0);
	settings_free(&s);
	load_ok(&s, "# nothing but comments\n");
	assert_defaults(&s, 0);
	settings_free(&s);
}

static void test_load_errors(void **state)
{
	expect_load_error("socket: /tmp/x\nbogus: 1\n", 2, 1, "unknown key",
			  "bogus");
	expect_load_error("limits:\n  mime_depth: 5\n  colour: red\n", 3, 3,
			  "unknown key", "limits.colour");
	expect_load_error("spool_memory_limit: 12Q\n", 1, 21, "size",
			  "spool_memory_limit");
	expect_load_error("scan_timeout: 20x\n", 1, 15, "duration",
			  "scan_timeout");
	expect_load_error("socket_mode: \"0999\"\n", 1, 14, "octal", NULL);
	expect_load_error("on_poison: explode\n", 1, 12, "quarantine",
			  "tempfail");
	expect_load_error("on_error: retry\n", 1, 11, "tempfail", "accept");
	expect_load_error("scan_workers: 2\nscan_workers: 3\n", 2, 1,
			  "duplicate key", "scan_workers");
	expect_load_error("limits:\n  mime_depth: [1, 2]\n", 2, 15,
			  "whole number", "limits.mime_depth");
	expect_load_error("limits:\n  mime_depth: 0\n", 2, 15, "whole number",
			  NULL);
	expect_load_error("log:\n  debug: maybe\n", 2, 10, "true or false",
			  NULL);
	expect_load_error("- a\n- b\n", 1, 1, "mapping", NULL);
	expect_load_error("socket: unix:/x\nsocket_group: {a: b}\n", 2, 16,
			  "unknown key", "socket_group.a");
	expect_load_error("limits:\n  findings: 5\n", 2, 13, NULL, NULL);
}

static void test_load_syntax_and_missing(void **state)
{
	char *path = write_file("syntax.yaml", "socket: [unclosed\n");
	char *err = NULL;
	struct settings s;

	settings_defaults(&s);
	assert_int_equal(settings_load(&s, path, &err), -1);
	assert_non_null(err);
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	assert_int_equal(err[strlen(path)], ':');
	free(err);
	unlink(path);
	free(path);

	assert_int_equal(settings_load(&s, "/nonexistent/kensa.yaml", &err),
			 -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "/nonexistent/kensa.yaml:"));
	free(err);
	settings_free(&s);
}

static void test_set_values(void **state)
{
	struct settings s;

	settings_defaults(&s);
	set_ok(&s, "limits.mime_depth=10");
	assert_int_equal(s.limits.mime_depth, 10);
	set_ok(&s, "scan_timeout=20s");
	assert_int_equal(s.scan_timeout, 20);
	set_ok(&s, "scan_timeout=2m");
	assert_int_equal(s.scan_timeout, 120);
	set_ok(&s, "scan_timeout=1h");
	assert_int_equal(s.scan_timeout, 3600);
	set_ok(&s, "scan_timeout=7");
	assert_int_equal(s.scan_timeout, 7);
	set_ok(&s, "spool_memory_limit=8M");
	assert_int_equal(s.spool_memory_limit, 8 << 20);
	set_ok(&s, "spool_memory_limit=512kb");
	assert_int_equal(s.spool_memory_limit, 512 << 10);
	set_ok(&s, "spool_memory_limit=1G");
	assert_int_equal(s.spool_memory_limit, 1 << 30);
	set_ok(&s, "spool_memory_limit=1000");
	assert_int_equal(s.spool_memory_limit, 1000);
	set_ok(&s, "socket_mode=0640");
	assert_int_equal(s.socket_mode, 0640);
	set_ok(&s, "socket_mode=600");
	assert_int_equal(s.socket_mode, 0600);
	set_ok(&s, "on_poison=tempfail");
	assert_int_equal(s.on_poison, VERDICT_COUNT);
	set_ok(&s, "on_poison=reject");
	assert_int_equal(s.on_poison, VERDICT_REJECT);
	set_ok(&s, "on_poison=accept");
	assert_int_equal(s.on_poison, VERDICT_ACCEPT);
	set_ok(&s, "on_error=accept");
	assert_int_equal(s.on_error, ON_ERROR_ACCEPT);
	set_ok(&s, "log.debug=yes");
	assert_int_equal(s.log_debug, 1);
	set_ok(&s, "log.debug=Off");
	assert_int_equal(s.log_debug, 0);
	set_ok(&s, "headers.verdict=X-Scan");
	assert_string_equal(s.header_verdict, "X-Scan");
	set_ok(&s, "socket=inet:8895@[::1]");
	assert_string_equal(s.socket, "inet:8895@[::1]");
	set_ok(&s, "user=");
	assert_string_equal(s.user, "");
	set_ok(&s, "limits.message_bytes=2G");
	assert_int_equal(s.limits.message_bytes, (size_t)2 << 30);
	set_ok(&s, "limits.findings=10");
	assert_int_equal(s.limits.findings, 10);
	set_ok(&s, "scan_workers=0");
	assert_int_equal(s.scan_workers, 0);
	settings_free(&s);
}

static void test_set_errors(void **state)
{
	expect_set_error("spool_memory_limit=12Q", "size");
	expect_set_error("spool_memory_limit=1.5M", "size");
	expect_set_error("spool_memory_limit=-1", "size");
	expect_set_error("spool_memory_limit=2G", "size"); /* over 1G */
	expect_set_error("scan_timeout=20x", "duration");
	expect_set_error("scan_timeout=2h", "duration"); /* over 3600 s */
	expect_set_error("scan_timeout=0", "duration");
	expect_set_error("scan_timeout=", "duration");
	expect_set_error("socket_mode=0999", "octal");
	expect_set_error("socket_mode=1777", "octal");
	expect_set_error("socket_mode=", "octal");
	expect_set_error("socket_mode=rw", "octal");
	expect_set_error("on_poison=explode", "tempfail");
	expect_set_error("on_poison=", "quarantine");
	expect_set_error("on_error=retry", "accept");
	expect_set_error("limits.mime_depth=0", "number");
	expect_set_error("limits.mime_depth=101", "number");
	expect_set_error("limits.mime_depth=abc", "number");
	expect_set_error("limits.mime_depth=-1", "number");
	expect_set_error("limits.mime_depth=10x", "number");
	expect_set_error("limits.message_bytes=512", "size");
	expect_set_error("scan_workers=99999999999999999999999", "number");
	expect_set_error("log.debug=2", "true or false");
	expect_set_error("bogus=1", "unknown key");
	expect_set_error("limits.bogus=1", "limits.bogus");
	expect_set_error("limits=1", "unknown key");
	expect_set_error("noequals", "KEY=VALUE");
	expect_set_error("", "KEY=VALUE");
}

/*
 * Regression (was a bug in policy/settings.c, parse_seconds): the unit
 * multiplication is not checked for overflow (parse_size checks, parse_seconds
 * does not), so an absurd duration wraps around into the allowed range:
 * scan_timeout=1147797409030816545h is accepted as 16 seconds and
 * drain_timeout=3381903080180084463m as 4 seconds. Expected: refused.
 */
static void test_set_duration_overflow(void **state)
{
	expect_set_error("scan_timeout=1147797409030816545h", "duration");
	expect_set_error("drain_timeout=3381903080180084463m", "duration");
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_conf_kensa_yaml),
	    cmocka_unit_test(test_load_values),
	    cmocka_unit_test(test_load_errors),
	    cmocka_unit_test(test_load_syntax_and_missing),
	    cmocka_unit_test(test_set_values),
	    cmocka_unit_test(test_set_errors),
	    cmocka_unit_test(test_set_duration_overflow),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
