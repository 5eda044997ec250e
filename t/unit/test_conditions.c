/*
 * test_conditions - the condition kinds of policy/cond.c on a report and
 * an envelope built here: envelope (sender, domains, recipients any/all,
 * client CIDR, HELO, authenticated, direction), content (subject and header
 * regexes, attachment names, types, size, finding details), lists from files
 * and inline, allow exceptions and their precedence, monitor rules, and a regex
 * hitting its limit turning into scan.limit (policy_judge).
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

#include "../../policy/policy.h"

static char tmpdir[] = "/tmp/kensa-cond.XXXXXX";

static struct policy *load(const char *text)
{
	struct policy *p = NULL;
	char *err = NULL, path[256];

	snprintf(path, sizeof(path), "%s/policy.yaml", tmpdir);
	if (policy_load_string(path, text, strlen(text), &p, &err) < 0)
		fail_msg("policy did not load: %s", err ? err : "?");
	return p;
}

static char *load_error(const char *text)
{
	struct policy *p = NULL;
	char *err = NULL, path[256];

	snprintf(path, sizeof(path), "%s/policy.yaml", tmpdir);
	if (policy_load_string(path, text, strlen(text), &p, &err) == 0) {
		policy_free(p);
		fail_msg("policy loaded but should not:\n%s", text);
	}
	return err;
}

static char *rcpts[] = {"alice@corp.example", "bob@partner.example"};

static void sample(struct report *r, struct envelope *e)
{
	struct part_info part;
	struct part_path path = {1, {"2"}};

	report_init(r, 0);
	r->subject = strdup("RE: Invoice 4711 overdue");
	r->from_addr = strdup("billing@payroll.example");
	r->size = 5000;
	report_add_header(r, "X-Mailer", "Evil Mailer 2.0");
	report_add_header(r, "Subject", "RE: Invoice 4711 overdue");
	report_add_header(r, "Authentication-Results",
			  "mx.corp.example; dkim=pass (good) "
			  "header.d=payroll.example header.s=s1; spf=pass "
			  "smtp.mailfrom=billing@payroll.example; dmarc=pass "
			  "(p=reject dis=none) header.from=payroll.example");
	/* written by the sender: another authserv-id, not trusted */
	report_add_header(r, "Authentication-Results",
			  "evil.example; dkim=pass header.d=evil.example");
	report_add_finding(r, "office.vba.suspicious", NULL,
			   "powershell -enc in Module1", 26);
	memset(&part, 0, sizeof(part));
	part.path = path;
	part.type = "application/zip";
	part.filename = "Invoice_4711.ZIP";
	memset(part.sha256, 'a', 64);
	report_add_part(r, &part);
	memset(e, 0, sizeof(*e));
	e->sender = "billing@mail.payroll.co.uk";
	e->rcpts = rcpts;
	e->nrcpts = 2;
	e->client_addr = "198.51.100.7";
	e->helo = "mail.payroll.example";
	e->auth = "";
}

/* Does the one rule "r" of a policy with this `when:` match the sample? */
static int fires(const char *when, int with_env)
{
	char text[2048];
	struct policy *p;
	struct report r;
	struct envelope e;
	struct decision d;
	int hit;

	snprintf(text, sizeof(text),
		 "version: 1\ntrusted_authserv_ids: [mx.corp.example]\n"
		 "lists:\n"
		 "  partners: {type: domain, items: [payroll.example]}\n"
		 "  nets: {type: cidr, file: nets.txt}\n"
		 "rules:\n  - name: r\n    when: %s\n    score: 1\n",
		 when);
	p = load(text);
	sample(&r, &e);
	assert_int_equal(policy_judge(p, &r, with_env ? &e : NULL, &d), 0);
	hit = d.nrules == 1;
	decision_free(&d);
	report_free(&r);
	policy_free(p);
	return hit;
}

static void test_envelope(void **state)
{
	assert_true(fires("{sender: '*@mail.payroll.co.uk'}", 1));
	assert_false(fires("{sender: '*@mail.payroll.co.uk'}", 0)); /* no env */
	assert_false(fires("{sender_domain: payroll.co.uk}", 1));
	/* the registrable domain under a two-label public suffix */
	assert_true(fires("{sender_org_domain: payroll.co.uk}", 1));
	assert_true(fires("{recipient: 'BOB@*'}", 1));
	assert_false(fires("{all_recipients: '*@corp.example'}", 1));
	assert_true(fires("{all_recipient_domains: '*.example'}", 1));
	assert_true(fires("{recipient_domain: partner.example}", 1));
	assert_true(fires("{client: 198.51.100.0/24}", 1));
	assert_false(fires("{client: 2001:db8::/32}", 1));
	assert_true(fires("{client: {list: nets}}", 1));
	assert_true(fires("{helo: '*.payroll.example'}", 1));
	assert_true(fires("{authenticated: false}", 1));
	assert_false(fires("{authenticated: true}", 1));
	/* the sample's envelope is inbound, and so is mail without one */
	assert_true(fires("{direction: inbound}", 1));
	assert_false(fires("{direction: outbound}", 1));
	assert_true(fires("{direction: inbound}", 0));
}

static void test_direction_outbound(void **state)
{
	struct policy *p =
	    load("version: 1\nrules:\n  - name: out\n"
		 "    when: {direction: outbound}\n    score: 1\n");
	struct report r;
	struct envelope e;
	struct decision d;

	sample(&r, &e);
	e.outbound = 1;
	assert_int_equal(policy_judge(p, &r, &e, &d), 0);
	assert_int_equal(d.nrules, 1);
	decision_free(&d);
	report_free(&r);
	policy_free(p);
	{
		char *err = load_error("version: 1\nrules:\n  - name: x\n"
				       "    when: {direction: sideways}\n"
				       "    score: 1\n");
		assert_non_null(strstr(err, ":4:23: expected inbound or "
					    "outbound"));
		free(err);
	}
}

static void test_content(void **state)
{
	assert_true(fires("{subject: {regex: '^(RE|AW): .*\\d{4}'}}", 0));
	assert_false(fires("{subject: {regex: '^FW:'}}", 0));
	assert_true(
	    fires("{header: {name: x-mailer, match: {regex: 'Evil'}}}", 0));
	assert_false(fires("{header: {name: X-Other, match: '*'}}", 0));
	assert_true(fires("{from_domain: {list: partners}}", 0));
	assert_true(fires("{from: 'billing@*'}", 0));
	assert_true(fires("{from_org_domain: payroll.example}", 0));
	assert_true(fires("{attachment_name: '*.zip'}", 0)); /* any case */
	assert_true(fires("{type: application/zip}", 0));
	assert_true(fires("{size: {min: 1000, max: 10000}}", 0));
	assert_false(fires("{size: {max: 100}}", 0));
	assert_true(fires("{finding: {id: 'office.vba.*', detail: {regex: "
			  "'(?i)powershell'}}}",
			  0));
	assert_false(
	    fires("{finding: {id: 'office.vba.*', detail: '*cmd*'}}", 0));
	assert_true(
	    fires("{all: [{sender: '*'}, {not: {finding: 'x.*'}}]}", 1));
}

static void test_auth(void **state)
{
	assert_true(fires("{auth: {method: dmarc, result: pass}}", 0));
	assert_true(fires("{auth: {method: dmarc, result: pass, domain: "
			  "{list: partners}}}",
			  0));
	assert_true(fires("{auth: {method: spf, result: pass, domain: "
			  "payroll.example}}",
			  0));
	assert_true(fires("{auth: {method: DKIM, result: PASS, domain: "
			  "payroll.example}}",
			  0));
	assert_false(fires("{auth: {method: dmarc, result: fail}}", 0));
	/* the sender's own header does not count */
	assert_false(fires("{auth: {method: dkim, result: pass, domain: "
			   "evil.example}}",
			   0));
}

static void test_load_errors(void **state)
{
	char *err;

	err = load_error("version: 1\nrules:\n  - name: r\n"
			 "    when: {subject: {regex: '(unclosed'}}\n"
			 "    score: 1\n");
	assert_non_null(strstr(err, "policy.yaml:4:29: regular expression"));
	free(err);
	err = load_error("version: 1\nrules:\n  - name: r\n"
			 "    when: {sender_domain: {list: nope}}\n"
			 "    score: 1\n");
	assert_non_null(strstr(err, "no list 'nope'"));
	free(err);
	err = load_error("version: 1\nrules:\n  - name: r\n"
			 "    when: {auth: {method: dmarc, result: pass}}\n"
			 "    score: 1\n");
	assert_non_null(strstr(err, "trusted_authserv_ids"));
	free(err);
	err = load_error("version: 1\nrules:\n  - name: r\n"
			 "    when: {client: 300.1.2.3/8}\n    score: 1\n");
	assert_non_null(strstr(err, "expected an IPv4 or IPv6 network"));
	free(err);
	err = load_error("version: 1\nlists:\n  l: {type: domain, file: "
			 "missing.txt}\nrules: []\n");
	assert_non_null(strstr(err, "cannot read"));
	free(err);
	err = load_error("version: 1\nrules:\n  - name: r\n"
			 "    when: {finding: x}\n    score: 1\n"
			 "    headers: {X-Bad: \"two\\nlines\"}\n");
	assert_non_null(strstr(err, "printable ASCII"));
	free(err);
}

static const char allow_policy[] =
    "version: 1\n"
    "thresholds: {tag: 5, quarantine: 15}\n"
    "rules:\n"
    "  - {name: macro, when: {finding: 'office.vba.*'}, action: "
    "quarantine}\n"
    "  - {name: exe, when: {finding: attachment.executable}, action: "
    "reject}\n"
    "  - {name: new-rule, monitor: true, when: {subject: '*Invoice*'}, "
    "score: 50}\n"
    "  - {name: tagged, when: {finding: '*'}, score: 5,\n"
    "     headers: {X-Kensa-Note: checked}, subject_prefix: '[CHECK]'}\n"
    "allow:\n"
    "  - name: payroll-macros\n"
    "    rules: [macro]\n"
    "    when: {all: [{from_domain: payroll.example},\n"
    "                 {sender_org_domain: payroll.co.uk}]}\n";

static void test_allow_and_monitor(void **state)
{
	struct policy *p = load(allow_policy);
	struct report r;
	struct envelope e;
	struct decision d;

	sample(&r, &e);
	assert_int_equal(policy_judge(p, &r, &e, &d), 0);
	/* the macro rule is allowed for the partner: only "tagged" counts */
	assert_int_equal(d.verdict, VERDICT_TAG);
	assert_int_equal(d.nrules, 1);
	assert_string_equal(d.rules[0], "tagged");
	assert_int_equal(d.nallowed, 1);
	assert_string_equal(d.allowed_rules[0], "macro");
	assert_string_equal(d.allowed_by[0], "payroll-macros");
	/* monitor rule: seen, not counted (its 50 points would reject) */
	assert_int_equal(d.nmonitor_rules, 1);
	assert_string_equal(d.monitor_rules[0], "new-rule");
	assert_int_equal(d.score, 5);
	assert_string_equal(d.subject_prefix, "[CHECK]");
	assert_int_equal(d.acting[0]->nheaders, 1);
	decision_free(&d);
	/* an executable is not covered by the exception */
	report_add_finding(&r, "attachment.executable", NULL, "pe", 2);
	assert_int_equal(policy_judge(p, &r, &e, &d), 0);
	assert_int_equal(d.verdict, VERDICT_REJECT);
	decision_free(&d);
	/* another sender: no exception, the macro quarantines */
	e.sender = "someone@else.example";
	report_free(&r);
	sample(&r, &e);
	e.sender = "someone@else.example";
	assert_int_equal(policy_judge(p, &r, &e, &d), 0);
	assert_int_equal(d.verdict, VERDICT_QUARANTINE);
	assert_int_equal(d.nallowed, 0);
	decision_free(&d);
	report_free(&r);
	policy_free(p);
}

static void test_regex_limit_is_scan_limit(void **state)
{
	static const char text[] =
	    "version: 1\n"
	    "rules:\n"
	    "  - {name: slow, when: {subject: {regex: '^(a+)+$'}}, score: 1}\n"
	    "  - {name: not-inspected, when: {finding: scan.limit}, action: "
	    "quarantine}\n";
	struct policy *p = load(text);
	struct report r;
	struct decision d;
	char subject[64];

	report_init(&r, 0);
	memset(subject, 'a', 40);
	strcpy(subject + 40, "!");
	r.subject = strdup(subject);
	assert_int_equal(policy_judge(p, &r, NULL, &d), 0);
	assert_true(report_has_finding(&r, "scan.limit"));
	assert_int_equal(d.verdict, VERDICT_QUARANTINE);
	decision_free(&d);
	report_free(&r);
	policy_free(p);
}

static void test_hash_listed(void **state)
{
	static const char text[] =
	    "version: 1\n"
	    "lists:\n"
	    "  bad: {type: sha256, items: "
	    "[AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA]"
	    "}\n"
	    "rules:\n"
	    "  - {name: listed, when: {finding: attachment.hash_listed}, "
	    "action: reject}\n";
	struct policy *p = load(text);
	struct report r;
	struct envelope e;
	struct decision d;

	sample(&r, &e); /* part 2's sha256 is 64 'a' */
	assert_int_equal(policy_judge(p, &r, NULL, &d), 0);
	assert_int_equal(d.verdict, VERDICT_REJECT);
	assert_true(report_has_finding(&r, "attachment.hash_listed"));
	assert_string_equal(r.findings[r.nfindings - 1].detail, "bad");
	assert_string_equal(r.findings[r.nfindings - 1].part.elem[0], "2");
	decision_free(&d);
	report_free(&r);
	policy_free(p);
}

static int setup(void **state)
{
	char path[256];
	FILE *f;

	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/nets.txt", tmpdir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("# networks\n10.0.0.0/8\n198.51.100.0/24   # relay\n\n", f);
	return fclose(f);
}

static int teardown(void **state)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/nets.txt", tmpdir);
	unlink(path);
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_envelope),
	    cmocka_unit_test(test_direction_outbound),
	    cmocka_unit_test(test_content),
	    cmocka_unit_test(test_auth),
	    cmocka_unit_test(test_load_errors),
	    cmocka_unit_test(test_allow_and_monitor),
	    cmocka_unit_test(test_regex_limit_is_scan_limit),
	    cmocka_unit_test(test_hash_listed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
