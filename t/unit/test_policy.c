/*
 * test_policy - policy/policy_load, policy/decide, policy/cond and
 * policy/reply_text: rules matching finding globs through finding, all,
 * any and not; scores through the thresholds; the strongest of rule action
 * and threshold; monitor mode; reject texts sanitised; every load error
 * carrying "name:line:col:" and saying what was expected; and the shipped
 * conf/policy.yaml deciding sensibly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../policy/policy.h"
#include "../../policy/reply_text.h"

static struct policy *load_ok(const char *text)
{
	struct policy *p = NULL;
	char *err = NULL;

	if (policy_load_string("test.yaml", text, strlen(text), &p, &err) < 0)
		fail_msg("policy did not load: %s", err ? err : "(no error)");
	assert_non_null(p);
	assert_null(err);
	return p;
}

/* Loading must fail with exactly "test.yaml:LINE:COL: ..." and the
 * message must contain each of the given words. */
static void expect_error(const char *text, int line, int col, const char *word1,
			 const char *word2)
{
	struct policy *p = (struct policy *)1;
	char *err = NULL, prefix[64], got[1024];
	const char *wrong = NULL;

	if (policy_load_string("test.yaml", text, strlen(text), &p, &err) ==
	    0) {
		policy_free(p);
		fail_msg("policy loaded but should not:\n%s", text);
	}
	assert_null(p);
	assert_non_null(err);
	snprintf(got, sizeof(got), "%s", err);
	free(err);
	snprintf(prefix, sizeof(prefix), "test.yaml:%d:%d: ", line, col);
	if (strncmp(got, prefix, strlen(prefix)) != 0)
		wrong = prefix;
	else if (word1 && !strstr(got, word1))
		wrong = word1;
	else if (word2 && !strstr(got, word2))
		wrong = word2;
	if (wrong)
		fail_msg("error '%s' does not say '%s'", got, wrong);
}

/* A report holding the given finding ids (NULL-terminated). */
static void report_with(struct report *r, const char *const *ids)
{
	report_init(r, 0);
	for (; ids && *ids; ids++)
		assert_int_equal(report_add_finding(r, *ids, NULL, "d", 1), 0);
}

static enum verdict decide_ids(const struct policy *p, const char *const *ids,
			       struct decision *d)
{
	struct report r;
	int rc;

	report_with(&r, ids);
	rc = policy_decide(p, &r, NULL, d);
	report_free(&r);
	assert_int_equal(rc, 0);
	return d->verdict;
}

#define IDS(...) ((const char *const[]){__VA_ARGS__, NULL})

static enum verdict verdict_of(const struct policy *p, const char *const *ids)
{
	struct decision d;
	enum verdict v = decide_ids(p, ids, &d);

	decision_free(&d);
	return v;
}

static void expect_verdict(const struct policy *p, const char *const *ids,
			   enum verdict want)
{
	enum verdict got = verdict_of(p, ids);

	if (got != want)
		fail_msg("%s...: verdict %s, expected %s", ids[0] ? ids[0] : "",
			 verdict_name(got), verdict_name(want));
}

static const char sample_policy[] =
    "version: 1\n"
    "thresholds:\n"
    "  tag: 5\n"
    "  quarantine: 15\n"
    "  reject: 50\n"
    "rules:\n"
    "  - name: vba\n"
    "    when: {finding: \"office.vba.*\"}\n"
    "    score: 5\n"
    "  - name: suspicious\n"
    "    when: {finding: [office.vba.write, office.vba.execute]}\n"
    "    score: 10\n"
    "  - name: exe\n"
    "    when: {finding: attachment.executable}\n"
    "    action: reject\n"
    "    text: \"No programs, caf\\u00e9 \\u2603 here\"\n"
    "  - name: combo\n"
    "    when:\n"
    "      all:\n"
    "        - finding: office.vba.autoexec\n"
    "        - any:\n"
    "            - finding: url.ip_host\n"
    "            - finding: url.punycode\n"
    "        - not: {finding: thread.reply_verified}\n"
    "    action: quarantine\n"
    "  - name: tagme\n"
    "    when: {finding: mime.malformed}\n"
    "    action: tag\n"
    "  - name: big\n"
    "    when: {finding: \"archive.*\"}\n"
    "    score: 60\n";

static void test_globs_and_scores(void **state)
{
	struct policy *p = load_ok(sample_policy);
	struct decision d;

	assert_int_equal(p->nrules, 6);
	assert_int_equal(p->monitor, 0);

	assert_int_equal(decide_ids(p, NULL, &d), VERDICT_ACCEPT);
	assert_int_equal(d.score, 0);
	assert_int_equal(d.nrules, 0);
	decision_free(&d);

	/* one glob match: score 5 reaches tag */
	assert_int_equal(decide_ids(p, IDS("office.vba.present"), &d),
			 VERDICT_TAG);
	assert_int_equal(d.score, 5);
	assert_int_equal(d.nrules, 1);
	assert_string_equal(d.rules[0], "vba");
	decision_free(&d);

	/* scores add up: 5 + 10 reaches quarantine; names in policy order */
	assert_int_equal(
	    decide_ids(p, IDS("office.vba.execute", "office.vba.present"), &d),
	    VERDICT_QUARANTINE);
	assert_int_equal(d.score, 15);
	assert_int_equal(d.nrules, 2);
	assert_string_equal(d.rules[0], "vba");
	assert_string_equal(d.rules[1], "suspicious");
	decision_free(&d);

	/* a rule counts once however many findings match it */
	assert_int_equal(
	    decide_ids(p,
		       IDS("office.vba.present", "office.vba.present",
			   "office.vba.suspicious"),
		       &d),
	    VERDICT_TAG);
	assert_int_equal(d.score, 5);
	decision_free(&d);

	/* the glob does not reach another family, nor a prefix */
	expect_verdict(p, IDS("office.xlm.present"), VERDICT_ACCEPT);
	expect_verdict(p, IDS("office.vba"), VERDICT_ACCEPT);
	expect_verdict(p, IDS("xoffice.vba.present"), VERDICT_ACCEPT);
	policy_free(p);
}

static void test_all_any_not(void **state)
{
	struct policy *p = load_ok(sample_policy);
	struct decision d;

	/* all(autoexec, any(ip_host, punycode), not(reply_verified)) */
	assert_int_equal(
	    decide_ids(p, IDS("office.vba.autoexec", "url.ip_host"), &d),
	    VERDICT_QUARANTINE);
	assert_int_equal(d.nrules, 2);
	assert_string_equal(d.rules[1], "combo");
	decision_free(&d);
	expect_verdict(p, IDS("office.vba.autoexec", "url.punycode"),
		       VERDICT_QUARANTINE);
	/* not: */
	expect_verdict(
	    p,
	    IDS("office.vba.autoexec", "url.ip_host", "thread.reply_verified"),
	    VERDICT_TAG);
	/* any: neither */
	expect_verdict(p, IDS("office.vba.autoexec", "url.shortener"),
		       VERDICT_TAG);
	/* all: the first missing */
	expect_verdict(p, IDS("url.ip_host"), VERDICT_ACCEPT);
	policy_free(p);
}

static void test_strongest_wins(void **state)
{
	struct policy *p = load_ok(sample_policy);
	struct decision d;

	/* rule action tag, score 60 over the reject threshold: reject */
	assert_int_equal(
	    decide_ids(p, IDS("mime.malformed", "archive.encrypted"), &d),
	    VERDICT_REJECT);
	assert_int_equal(d.score, 60);
	decision_free(&d);
	/* rule action tag with no score: tag */
	expect_verdict(p, IDS("mime.malformed"), VERDICT_TAG);
	/* rule action reject, score below every threshold: reject */
	assert_int_equal(decide_ids(p, IDS("attachment.executable"), &d),
			 VERDICT_REJECT);
	assert_int_equal(d.score, 0);
	decision_free(&d);
	/* an action reject is not lowered by a later, weaker rule */
	expect_verdict(p, IDS("attachment.executable", "mime.malformed"),
		       VERDICT_REJECT);
	policy_free(p);
}

static void test_monitor_mode(void **state)
{
	static const char text[] =
	    "version: 1\n"
	    "mode: monitor\n"
	    "rules:\n"
	    "  - name: exe\n"
	    "    when: {finding: attachment.executable}\n"
	    "    action: reject\n";
	struct policy *p = load_ok(text);
	struct decision d;

	assert_int_equal(p->monitor, 1);
	/* the verdict is still computed, and flagged as monitor */
	assert_int_equal(decide_ids(p, IDS("attachment.executable"), &d),
			 VERDICT_REJECT);
	assert_int_equal(d.monitor, 1);
	decision_free(&d);
	policy_free(p);

	p = load_ok("version: 1\nmode: enforce\nrules: []\n");
	assert_int_equal(decide_ids(p, NULL, &d), VERDICT_ACCEPT);
	assert_int_equal(d.monitor, 0);
	decision_free(&d);
	policy_free(p);
}

static void assert_printable_ascii(const char *s, size_t max)
{
	size_t n = strlen(s);

	assert_true(n > 0 && n <= max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			fail_msg("byte 0x%02x at %zu in reply text '%s'",
				 (unsigned char)s[i], i, s);
}

static void test_reject_text(void **state)
{
	struct policy *p = load_ok(sample_policy);
	struct decision d;
	struct buf {
		char text[2048];
	} *b = malloc(sizeof(*b));
	int off;

	/* the rule's text, non-ASCII replaced by '?' */
	decide_ids(p, IDS("attachment.executable"), &d);
	assert_non_null(d.reject_text);
	assert_printable_ascii(d.reject_text, REPLY_TEXT_MAX);
	assert_int_equal(strncmp(d.reject_text, "No programs, caf?", 17), 0);
	assert_non_null(strstr(d.reject_text, "? here"));
	decision_free(&d);
	/* a reject by score: the default text */
	decide_ids(p, IDS("archive.bomb"), &d);
	assert_string_equal(d.reject_text,
			    "Message rejected by content policy");
	decision_free(&d);
	policy_free(p);

	/* the policy's own text, with control characters and a long tail */
	assert_non_null(b);
	off =
	    snprintf(b->text, sizeof(b->text),
		     "version: 1\n"
		     "reject_text: \"Refused:\\tsee\\r\\nhttps://x/  \\u00fc");
	for (int i = 0; i < 600; i++)
		b->text[off++] = 'z';
	snprintf(b->text + off, sizeof(b->text) - (size_t)off,
		 "\"\nthresholds: {reject: 1}\n"
		 "rules:\n"
		 "  - name: s\n"
		 "    when: {finding: a.b}\n"
		 "    score: 1\n");
	p = load_ok(b->text);
	decide_ids(p, IDS("a.b"), &d);
	assert_int_equal(d.verdict, VERDICT_REJECT);
	assert_printable_ascii(d.reject_text, REPLY_TEXT_MAX);
	assert_int_equal(strlen(d.reject_text), REPLY_TEXT_MAX);
	assert_int_equal(
	    strncmp(d.reject_text, "Refused: see https://x/ ?", 25), 0);
	decision_free(&d);
	policy_free(p);
	free(b);
}

static void test_reply_text_sanitize(void **state)
{
	char *s = reply_text_sanitize("  a\tb\r\n\x01 c \xe2\x98\x83 100%  ");

	assert_non_null(s);
	assert_printable_ascii(s, REPLY_TEXT_MAX);
	assert_int_equal(strncmp(s, "a b ? c ", 8), 0);
	assert_non_null(strstr(s, "100%")); /* the milter doubles '%' */
	assert_int_not_equal(s[strlen(s) - 1], ' ');
	free(s);
	s = reply_text_sanitize("");
	assert_string_equal(s, "");
	free(s);
}

static void test_digest(void **state)
{
	struct policy *a = load_ok("version: 1\nrules: []\n");
	struct policy *b = load_ok("version: 1\nrules: []\n");
	struct policy *c = load_ok("version: 1\nrules: []\n# changed\n");

	assert_int_equal(strncmp(a->digest, "sha256:", 7), 0);
	assert_int_equal(strlen(a->digest), 7 + 64);
	assert_int_equal(strspn(a->digest + 7, "0123456789abcdef"), 64);
	assert_string_equal(a->digest, b->digest);
	assert_string_not_equal(a->digest, c->digest);
	policy_free(a);
	policy_free(b);
	policy_free(c);
}

static void test_errors(void **state)
{
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x}\n"
		     "    score: 1\n"
		     "    colour: red\n",
		     6, 5, "unknown key", "colour");
	expect_error("version: 1\nbogus: 2\nrules: []\n", 2, 1, "unknown key",
		     "bogus");
	expect_error("version: 1\nrules: []\nrules: []\n", 3, 1,
		     "duplicate key", "rules");
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x}\n"
		     "    score: 1\n"
		     "  - name: a\n"
		     "    when: {finding: y}\n"
		     "    score: 2\n",
		     6, 11, "duplicate rule name", "'a'");
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x}\n"
		     "    action: delete\n",
		     5, 13, "expected", "quarantine");
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x}\n"
		     "    action: accept\n",
		     5, 13, "expected", "reject");
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    score: 3\n",
		     3, 5, "when", "'a'");
	expect_error("version: 1\n"
		     "thresholds:\n"
		     "  tag: 20\n"
		     "  quarantine: 10\n"
		     "rules: []\n",
		     3, 3, "tag", "quarantine");
	expect_error("version: 1\n"
		     "thresholds:\n"
		     "  quarantine: 30\n"
		     "  reject: 20\n"
		     "rules: []\n",
		     3, 3, "quarantine", "reject");
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x}\n"
		     "    action: quarantine\n"
		     "    text: \"go away\"\n",
		     6, 11, "text", "reject");
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {sendr: x}\n"
		     "    score: 1\n",
		     4, 12, "unknown condition", "sendr");
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x, any: [{finding: y}]}\n"
		     "    score: 1\n",
		     4, 11, "expected a condition", NULL);
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x}\n",
		     3, 5, "score", "action");
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x}\n"
		     "    score: lots\n",
		     5, 12, "number", "lots");
	expect_error("rules: []\n", 1, 1, "version", NULL);
	expect_error("version: 2\nrules: []\n", 1, 10, "number", NULL);
	expect_error("version: 1\n", 1, 1, "rules", NULL);
	expect_error("version: 1\nmode: loud\nrules: []\n", 2, 7, "enforce",
		     "monitor");
	expect_error("version: 1\nreject_text: \"   \"\nrules: []\n", 2, 14,
		     "non-empty", NULL);
	expect_error("version: 1\nthresholds: {tag: 0}\nrules: []\n", 2, 19,
		     "number", NULL);
	expect_error("version: 1\nrules: {a: b}\n", 2, 8, "list", NULL);
}

/*
 * Regression (was a bug; policy/ydoc.c, ydoc_check_keys): an unknown key is
 * reported as "unknown key 'colour'" without saying what was expected
 * there. Expected: the message lists the keys allowed at that place (for
 * a rule: name, description, when, score, action, text), as the other
 * errors say what they expected.
 */
static void test_unknown_key_says_expected(void **state)
{
	expect_error("version: 1\n"
		     "rules:\n"
		     "  - name: a\n"
		     "    when: {finding: x}\n"
		     "    score: 1\n"
		     "    acton: reject\n",
		     6, 5, "acton", "action");
	expect_error("version: 1\nthresholds: {tagg: 5}\nrules: []\n", 2, 14,
		     "tagg", "quarantine");
}

static void test_yaml_syntax_error(void **state)
{
	struct policy *p = NULL;
	char *err = NULL;
	static const char text[] = "version: 1\nrules: [\n  - {name: a\n";
	int line = 0, col = 0;

	assert_int_equal(
	    policy_load_string("test.yaml", text, strlen(text), &p, &err), -1);
	assert_null(p);
	assert_non_null(err);
	assert_int_equal(sscanf(err, "test.yaml:%d:%d: ", &line, &col), 2);
	assert_true(line >= 2 && col >= 1);
	free(err);
}

static void test_condition_depth(void **state)
{
	char text[4096];
	int off = snprintf(text, sizeof(text),
			   "version: 1\nrules:\n  - name: deep\n    when: ");

	for (int i = 0; i < 20; i++)
		off +=
		    snprintf(text + off, sizeof(text) - (size_t)off, "{not: ");
	off += snprintf(text + off, sizeof(text) - (size_t)off, "{finding: x}");
	for (int i = 0; i < 20; i++)
		off += snprintf(text + off, sizeof(text) - (size_t)off, "}");
	snprintf(text + off, sizeof(text) - (size_t)off, "\n    score: 1\n");
	{
		struct policy *p = NULL;
		char *err = NULL;
		assert_int_equal(policy_load_string("test.yaml", text,
						    strlen(text), &p, &err),
				 -1);
		assert_non_null(strstr(err, "nested"));
		assert_int_equal(strncmp(err, "test.yaml:4:", 12), 0);
		free(err);
	}
}

static void test_policy_load_missing_file(void **state)
{
	struct policy *p = (struct policy *)1;
	char *err = NULL;

	assert_int_equal(
	    policy_load("/nonexistent/kensa/policy.yaml", &p, &err), -1);
	assert_null(p);
	assert_non_null(err);
	assert_non_null(strstr(err, "/nonexistent/kensa/policy.yaml:"));
	free(err);
}

static void test_verdict_names(void **state)
{
	enum verdict v;

	assert_string_equal(verdict_name(VERDICT_ACCEPT), "accept");
	assert_string_equal(verdict_name(VERDICT_TAG), "tag");
	assert_string_equal(verdict_name(VERDICT_QUARANTINE), "quarantine");
	assert_string_equal(verdict_name(VERDICT_REJECT), "reject");
	for (int i = 0; i < VERDICT_COUNT; i++) {
		assert_int_equal(
		    verdict_parse(verdict_name((enum verdict)i), &v), 0);
		assert_int_equal(v, i);
	}
	assert_int_equal(verdict_parse("Reject", &v), -1);
	assert_int_equal(verdict_parse("", &v), -1);
}

/* ---- the shipped policy ---- */

static struct policy *load_conf_policy(void)
{
	char path[1024], *err = NULL;
	struct policy *p = NULL;

	snprintf(path, sizeof(path), "%s/conf/policy.yaml", SRCDIR);
	if (policy_load(path, &p, &err) < 0)
		fail_msg("conf/policy.yaml: %s", err);
	assert_non_null(p);
	return p;
}

static void test_conf_policy(void **state)
{
	struct policy *p = load_conf_policy();
	struct decision d;

	assert_int_equal(p->monitor, 0);
	assert_true(p->nrules > 5);

	assert_int_equal(decide_ids(p, NULL, &d), VERDICT_ACCEPT);
	assert_int_equal(d.nrules, 0);
	decision_free(&d);

	assert_int_equal(decide_ids(p, IDS("attachment.executable"), &d),
			 VERDICT_REJECT);
	assert_printable_ascii(d.reject_text, REPLY_TEXT_MAX);
	assert_non_null(strstr(d.reject_text, "Executable"));
	decision_free(&d);

	expect_verdict(p, IDS("attachment.disk_image"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("mime.malformed"), VERDICT_TAG);
	expect_verdict(p, IDS("attachment.script"), VERDICT_REJECT);
	expect_verdict(p, IDS("attachment.lnk"), VERDICT_REJECT);
	expect_verdict(p, IDS("attachment.rtlo"), VERDICT_REJECT);
	expect_verdict(p, IDS("attachment.double_extension"), VERDICT_REJECT);
	expect_verdict(p, IDS("office.vba.present"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("office.xlm.present"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("office.vba.autoexec"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("office.vba.autoexec", "office.vba.execute"),
		       VERDICT_REJECT);
	expect_verdict(p, IDS("office.vba.autoexec", "office.vba.write"),
		       VERDICT_REJECT);
	expect_verdict(p, IDS("office.vba.autoexec", "office.vba.suspicious"),
		       VERDICT_REJECT);
	expect_verdict(p, IDS("office.xlm.autoexec"), VERDICT_REJECT);
	expect_verdict(p, IDS("office.xlm.hidden"), VERDICT_REJECT);
	expect_verdict(p, IDS("office.template.external"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("office.external_rel"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("office.rtf.object"), VERDICT_QUARANTINE);
	/* fail closed on what was not inspected */
	expect_verdict(p, IDS("mime.limit"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("scan.limit"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("scan.timeout"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("scan.error"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("scan.poison"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("archive.encrypted"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("archive.password_unknown"), VERDICT_QUARANTINE);
	expect_verdict(p, IDS("archive.oversized_member"), VERDICT_QUARANTINE);
	/* an archive opened with the message's password was inspected */
	expect_verdict(p, IDS("archive.encrypted", "archive.decrypted"),
		       VERDICT_TAG);
	expect_verdict(p,
		       IDS("archive.encrypted", "archive.decrypted",
			   "office.vba.autoexec"),
		       VERDICT_REJECT);
	expect_verdict(
	    p, IDS("archive.encrypted", "archive.decrypted", "attachment.lnk"),
	    VERDICT_REJECT);
	expect_verdict(p, IDS("office.encrypted"), VERDICT_QUARANTINE);
	/* anomalies add up: 5 + 5 + 5 reaches quarantine (15) */
	expect_verdict(
	    p, IDS("mime.malformed", "attachment.type_mismatch", "url.ip_host"),
	    VERDICT_QUARANTINE);
	/* thread findings alone tag; with a payload they quarantine */
	expect_verdict(p, IDS("thread.sender_not_in_thread"), VERDICT_TAG);
	expect_verdict(p,
		       IDS("thread.sender_not_in_thread", "thread.fake_reply",
			   "thread.display_name_address"),
		       VERDICT_TAG);
	expect_verdict(p, IDS("thread.fake_reply"), VERDICT_TAG);
	expect_verdict(p,
		       IDS("thread.sender_not_in_thread", "archive.encrypted",
			   "archive.decrypted"),
		       VERDICT_QUARANTINE);
	expect_verdict(p, IDS("thread.sender_not_in_thread", "url.download"),
		       VERDICT_QUARANTINE);
	expect_verdict(p,
		       IDS("thread.ledger_mismatch", "attachment.executable"),
		       VERDICT_REJECT);
	expect_verdict(
	    p,
	    IDS("thread.fake_reply", "archive.encrypted", "archive.decrypted"),
	    VERDICT_QUARANTINE);
	/* a verified reply is no finding to act on */
	expect_verdict(p, IDS("thread.reply_verified"), VERDICT_ACCEPT);
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_globs_and_scores),
	    cmocka_unit_test(test_all_any_not),
	    cmocka_unit_test(test_strongest_wins),
	    cmocka_unit_test(test_monitor_mode),
	    cmocka_unit_test(test_reject_text),
	    cmocka_unit_test(test_reply_text_sanitize),
	    cmocka_unit_test(test_digest),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_unknown_key_says_expected),
	    cmocka_unit_test(test_yaml_syntax_error),
	    cmocka_unit_test(test_condition_depth),
	    cmocka_unit_test(test_policy_load_missing_file),
	    cmocka_unit_test(test_verdict_names),
	    cmocka_unit_test(test_conf_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
