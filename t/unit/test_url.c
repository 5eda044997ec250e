/*
 * test_url - parser/url*: URLs of text and HTML bodies, their
 * normalization and judging, through the extractors alone and through
 * whole messages (scan_message: transfer encoding, charset, entities);
 * url.listed and url.shortener through a policy's lists.
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

#include "../../parser/scan.h"
#include "../../parser/url.h"
#include "../../parser/url_html.h"
#include "../../parser/url_judge.h"
#include "../../parser/url_text.h"
#include "../../policy/policy.h"
#include "testutil.h"

#define MAX_FOUND 32

struct found {
	char *url[MAX_FOUND];
	char *text[MAX_FOUND]; /* anchors: their text */
	size_t n, nanchors;
	char *anchor[MAX_FOUND];
};

static int collect(void *arg, struct span url)
{
	struct found *f = arg;

	assert_true(f->n < MAX_FOUND);
	f->url[f->n++] = strndup((const char *)url.ptr, url.len);
	return 0;
}

static int collect_anchor(void *arg, struct span href, struct span text)
{
	struct found *f = arg;

	assert_true(f->nanchors < MAX_FOUND);
	f->anchor[f->nanchors] = strndup((const char *)href.ptr, href.len);
	f->text[f->nanchors++] = strndup((const char *)text.ptr, text.len);
	return 0;
}

static void found_free(struct found *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->url[i]);
	for (size_t i = 0; i < f->nanchors; i++) {
		free(f->anchor[i]);
		free(f->text[i]);
	}
	memset(f, 0, sizeof(*f));
}

/* text gives exactly the URLs of want (NULL-terminated), in order */
static void expect_text(const char *text, const char *const *want)
{
	struct found f = {0};
	size_t n = 0;

	assert_int_equal(url_text_scan(span_str(text), collect, &f), 0);
	for (; want[n]; n++) {
		if (n >= f.n)
			fail_msg("'%s': no URL %zu, expected '%s'", text, n,
				 want[n]);
		if (strcmp(f.url[n], want[n]) != 0)
			fail_msg("'%s': URL %zu is '%s', expected '%s'", text,
				 n, f.url[n], want[n]);
	}
	if (f.n != n)
		fail_msg("'%s': %zu URLs, expected %zu", text, f.n, n);
	found_free(&f);
}

static void test_text_ascii(void **state)
{
	(void)state;
	expect_text("see http://example.com/a?b=1. Thanks",
		    (const char *[]){"http://example.com/a?b=1", NULL});
	expect_text("(https://example.com/x_(y)) and (www.example.org)",
		    (const char *[]){"https://example.com/x_(y)",
				     "www.example.org", NULL});
	expect_text("URL:HTTPS://Example.com/A, ftp://files.example/f.zip!",
		    (const char *[]){"HTTPS://Example.com/A",
				     "ftp://files.example/f.zip", NULL});
	expect_text("<http://example.com/path>\"http://q.example/\"",
		    (const char *[]){"http://example.com/path",
				     "http://q.example/", NULL});
	/* no URL: a mail address, a bare domain, a scheme without host */
	expect_text("mail me@www.example.com or example.com, http:// x",
		    (const char *[]){NULL});
}

static void test_text_japanese(void **state)
{
	(void)state;
	/* glued to Japanese text, full-width brackets and punctuation */
	expect_text("\xe8\xa9\xb3\xe7\xb4\xb0\xe3\x81\xaf"
		    "http://198.51.100.7/invoice.docm"
		    "\xe3\x82\x92\xe3\x81\x94\xe8\xa6\xa7\xe3\x81\x8f"
		    "\xe3\x81\xa0\xe3\x81\x95\xe3\x81\x84\xe3\x80\x82",
		    (const char *[]){"http://198.51.100.7/invoice.docm", NULL});
	expect_text("\xef\xbc\x88https://example.co.jp/a\xef\xbc\x89"
		    "\xe3\x80\x8cwww.example.jp\xe3\x80\x8d"
		    "\xe3\x80\x81https://example.net\xe3\x80\x82",
		    (const char *[]){"https://example.co.jp/a",
				     "www.example.jp", "https://example.net",
				     NULL});
	/* an ASCII host stops at Japanese text; a Unicode host runs on */
	expect_text("https://example.com\xe3\x81\xa7\xe3\x81\x99",
		    (const char *[]){"https://example.com", NULL});
	expect_text(
	    "http://\xe4\xbe\x8b\xe3\x81\x88.jp/x\xe3\x80\x82",
	    (const char *[]){"http://\xe4\xbe\x8b\xe3\x81\x88.jp/x", NULL});
	expect_text("http://\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80."
		    "\xd1\x80\xd1\x84/ ok",
		    (const char *[]){"http://\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc"
				     "\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84/",
				     NULL});
}

/* The host policy_judge reads from a report's URL is the parser's. */
static void test_normalized_host(void **state)
{
	static const char *const urls[] = {
	    "https://bank.example@evil.example:8443/a",
	    "http://[2001:db8::1]:8080/x",
	    "http://0x7f.1/",
	    "HTTP://Ｅｘａｍｐｌｅ.com",
	    "https://xn--80ak6aa92e.com/?q=a@b",
	    "http://u:p@h.example#frag"};
	char host[256];

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct url u;
		assert_int_equal(url_parse(span_str(urls[i]), &u), 0);
		assert_int_equal(
		    url_normalized_host(u.normalized, host, sizeof(host)), 0);
		assert_string_equal(host, u.host);
		url_free(&u);
	}
	assert_int_equal(url_normalized_host("no-scheme", host, sizeof(host)),
			 1);
	assert_int_equal(url_normalized_host("http://", host, sizeof(host)), 1);
	assert_int_equal(url_normalized_host("http://abc", host, 3), 1);
}

static void test_normalize(void **state)
{
	struct url u;

	(void)state;
	assert_int_equal(
	    url_parse(span_str(" HTTP://WWW.Example.COM:80/a b#frag\n"), &u),
	    0);
	assert_string_equal(u.normalized, "http://www.example.com:80/a%20b");
	assert_string_equal(u.host, "www.example.com");
	assert_true(url_port_is_default(u.scheme, u.port));
	url_free(&u);
	assert_int_equal(url_parse(span_str("www.example.org/x"), &u), 0);
	assert_string_equal(u.normalized, "http://www.example.org/x");
	url_free(&u);
	assert_int_equal(url_parse(span_str("http://\xd0\xbf\xd1\x80\xd0\xb8"
					    "\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80"
					    "\xd1\x84/"),
				   &u),
			 0);
	assert_string_equal(u.host, "xn--e1afmkfd.xn--p1ai");
	assert_non_null(u.host_unicode);
	url_free(&u);
	/* numeric IPv4 forms come out dotted */
	assert_int_equal(url_parse(span_str("http://0300.0250.1.1/"), &u), 0);
	assert_string_equal(u.host, "192.168.1.1");
	assert_int_equal(u.ip, 4);
	url_free(&u);
	/* hosts that become numbers once decoded or mapped: fuzz finds */
	assert_int_equal(url_parse(span_str("http://1%34/"), &u), 0);
	assert_string_equal(u.host, "0.0.0.14");
	url_free(&u);
	assert_int_equal(url_parse(span_str("https://\xef\xbc\x93/"), &u), 0);
	assert_string_equal(u.normalized, "https://0.0.0.3/");
	assert_int_equal(u.ip, 4);
	url_free(&u);
	assert_int_equal(url_parse(span_str("http://1%98/"), &u), 1);
	assert_int_equal(url_parse(span_str("http://[2001:db8::1]:81/"), &u),
			 0);
	assert_int_equal(u.ip, 6);
	assert_int_equal(u.port, 81);
	url_free(&u);
	/* schemes kensa does not judge */
	assert_int_equal(url_parse(span_str("mailto:a@example.com"), &u), 1);
	assert_int_equal(url_parse(span_str("javascript:alert(1)"), &u), 1);
	assert_int_equal(url_parse(span_str("file://host/share/x"), &u), 1);
	assert_int_equal(url_parse(span_str("relative/path"), &u), 1);
}

/* Plain URLs are read without curl: the same answer as curl's, at the
 * edges of what counts as plain too. */
static void test_plain_like_curl(void **state)
{
	static const char *const urls[] = {
	    "https://news30.example.com/a/904553",
	    "http://www.example.org/p/file.pdf?id=42&lang=en",
	    "www.example.com/index.html",
	    "https://a.example/it's(1)*!$,;=:~_-.",
	    "https://a.example/p%41th?q=%7e",
	    "https://a.example/x?y=/./z",
	    "https://Example.COM/A",
	    "https://xn--bcher-kva.example/x",
	    "http://1.2.3.4/x",
	    "http://0x7f.1/x",
	    "http://example.0x1/x",
	    "https://a.example/./b/../c",
	    "https://a.example/.well-known/x",
	    "https://user:pw@a.example/x",
	    "https://a.example:8443/x",
	    "https://a.example/x#frag",
	    "https://a.example",
	    "https://a.example?q",
	    "https://a.example/x?",
	    "https://a.example/x y",
	    "https://a.example/%zz",
	    "https://a..example/x",
	    "https://-a.example/x",
	    "https://a.example./x",
	    "https://a_b.example/x",
	    "ftp://a.example/x",
	};
	struct url plain, curl;

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		int rc = url_parse(span_str(urls[i]), &plain);
		assert_int_equal(url_parse_curl(span_str(urls[i]), &curl), rc);
		if (rc != 0)
			continue;
		assert_string_equal(plain.normalized, curl.normalized);
		assert_string_equal(plain.scheme, curl.scheme);
		assert_string_equal(plain.host, curl.host);
		assert_string_equal(plain.path, curl.path);
		assert_int_equal(plain.port, curl.port);
		assert_int_equal(plain.ip, curl.ip);
		assert_int_equal(plain.has_userinfo, curl.has_userinfo);
		assert_true((plain.host_unicode == NULL) ==
			    (curl.host_unicode == NULL));
		url_free(&plain);
		url_free(&curl);
	}
}

/* A found URL shorter than "www." is read within its bytes (fuzz find:
 * url_clean compared four bytes of a one-byte span). */
static void test_short_span(void **state)
{
	struct url u;
	char *w = malloc(1);

	(void)state;
	assert_non_null(w);
	w[0] = 'w';
	assert_int_equal(url_parse(span_make(w, 1), &u), 1);
	free(w);
}

static void test_mixed_script(void **state)
{
	(void)state;
	/* Cyrillic a among Latin letters */
	assert_true(url_mixed_script("\xd0\xb0pple.com"));
	assert_false(url_mixed_script("apple.com"));
	/* whole labels of one script each */
	assert_false(url_mixed_script("\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0"
				      "\xb5\xd1\x80.com"));
	/* Latin with kana and Han: Japanese names */
	assert_false(url_mixed_script("abc\xe3\x83\x86\xe3\x82\xb9\xe3\x83"
				      "\x88\xe4\xbe\x8b.jp"));
	/* Greek with Cyrillic */
	assert_true(url_mixed_script("\xce\xb1\xd0\xb1.example"));
}

static void expect_html(const char *html, const char *const *want,
			const char *const *anchors)
{
	struct found f = {0};
	struct url_html_sink sink = {&f, collect, collect_anchor};
	size_t n;

	assert_int_equal(url_html_scan(span_str(html), &sink), 0);
	for (n = 0; want[n]; n++) {
		if (n >= f.n)
			fail_msg("no URL %zu, expected '%s'", n, want[n]);
		if (strcmp(f.url[n], want[n]) != 0)
			fail_msg("URL %zu is '%s', expected '%s'", n, f.url[n],
				 want[n]);
	}
	if (f.n != n)
		fail_msg("%zu URLs, expected %zu", f.n, n);
	for (n = 0; anchors && anchors[n]; n += 2) {
		assert_true(n / 2 < f.nanchors);
		assert_string_equal(f.anchor[n / 2], anchors[n]);
		assert_string_equal(f.text[n / 2], anchors[n + 1]);
	}
	found_free(&f);
}

static void test_html(void **state)
{
	(void)state;
	expect_html(
	    "<html><head><base href='https://base.example/d/'>"
	    "<meta http-equiv=Refresh content=\"0; URL='http://r.example/'\">"
	    "</head><body><a href=\"rel.html\">Go <b>on</b></a>"
	    "<img src=//cdn.example/i.png><form action=/post>"
	    "<button formaction=\"https://f.example/\">x</button></form>"
	    "<map><area href=\"http://area.example/\"></map>"
	    "<a href=\"http&#58;//ent.example/?a=1&amp;b=2\">ent</a>"
	    "<a href=\"mailto:x@example.com\">mail</a><a href=#top>top</a>"
	    "<object data=\"http://obj.example/o.swf\"></object>",
	    (const char *[]){
		"https://base.example/d/", "http://r.example/",
		"https://base.example/d/rel.html", "https://cdn.example/i.png",
		"https://base.example/post", "https://f.example/",
		"http://area.example/", "http://ent.example/?a=1&b=2",
		"mailto:x@example.com", "http://obj.example/o.swf", NULL},
	    (const char *[]){"https://base.example/d/rel.html", "Go on",
			     "http://ent.example/?a=1&b=2", "ent", NULL});
	/* no base: relative references are dropped; unclosed anchors end */
	expect_html("<a href=x.html>a<a href='http://b.example/'>b",
		    (const char *[]){"http://b.example/", NULL},
		    (const char *[]){"http://b.example/", "b", NULL});
	/* nothing at all: no URL, no error */
	expect_html("", (const char *[]){NULL}, NULL);
	/* no attribute a URL is read from: not parsed, no URL */
	expect_html("<p>Thanks, see you <b>Monday</b>.</p>",
		    (const char *[]){NULL}, NULL);
	/* attribute names in any case still get the parse */
	expect_html("<A HREF='http://upper.example/'>u</A>"
		    "<IMG SRC='http://img.example/i.png'>",
		    (const char *[]){"http://upper.example/",
				     "http://img.example/i.png", NULL},
		    NULL);
	expect_html(
	    "<META HTTP-EQUIV=REFRESH CONTENT='0; URL=http://m.example/'>",
	    (const char *[]){"http://m.example/", NULL}, NULL);
	expect_html("<BODY BACKGROUND='http://bg.example/b.gif'>"
		    "<OBJECT DATA='http://o.example/x'></OBJECT>",
		    (const char *[]){"http://bg.example/b.gif",
				     "http://o.example/x", NULL},
		    NULL);
	/* a declared encoding is ignored: the text is UTF-8 already */
	expect_html("<meta charset=shift_jis><a href='http://\xe4\xbe\x8b.jp/'>"
		    "\xe4\xbe\x8b</a>",
		    (const char *[]){"http://\xe4\xbe\x8b.jp/", NULL}, NULL);
}

static struct scan_options options(void)
{
	struct scan_options o;

	memset(&o, 0, sizeof(o));
	o.limits = (struct scan_limits)SCAN_LIMITS_DEFAULT;
	return o;
}

static void scan(const char *msg, struct report *r, unsigned max_urls)
{
	struct scan_options o = options();

	if (max_urls)
		o.limits.urls = max_urls;
	assert_int_equal(scan_message(span_str(msg), &o, r), 0);
}

static int has(const struct report *r, const char *id, const char *detail)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].id, id) &&
		    (!detail || !strcmp(r->findings[i].detail, detail)))
			return 1;
	return 0;
}

static size_t count(const struct report *r, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nfindings; i++)
		n += strncmp(r->findings[i].id, prefix, strlen(prefix)) == 0;
	return n;
}

#define HEAD                                                                   \
	"From: a@example.com\r\nTo: b@example.org\r\nSubject: t\r\n"           \
	"MIME-Version: 1.0\r\n"

static void test_findings_text(void **state)
{
	struct report r;

	(void)state;
	scan(HEAD
	     "Content-Type: text/plain; charset=utf-8\r\n\r\n"
	     "a http://198.51.100.7/invoice.docm\r\n"
	     "b http://3232235777/x c http://0xC0A80102/y\r\n"
	     "d http://[2001:db8::1]/ e https://bank.example@evil.example/\r\n"
	     "f https://example.com:8443/ g https://xn--pple-43d.com/\r\n"
	     "h http://example.com:80/ i https://example.com/report.pdf\r\n"
	     "j http://198.51.100.7/invoice.docm (again)\r\n",
	     &r, 0);
	assert_true(has(&r, "url.ip_host", "http://198.51.100.7/invoice.docm"));
	assert_true(
	    has(&r, "url.download", "http://198.51.100.7/invoice.docm"));
	assert_true(has(&r, "url.ip_host", "http://3232235777/x"));
	assert_true(has(&r, "url.ip_host", "http://0xC0A80102/y"));
	assert_true(has(&r, "url.ip_host", "http://[2001:db8::1]/"));
	assert_true(
	    has(&r, "url.userinfo", "https://bank.example@evil.example/"));
	assert_true(
	    has(&r, "url.nonstandard_port", "https://example.com:8443/"));
	assert_true(has(&r, "url.punycode", "https://xn--pple-43d.com/"));
	assert_true(has(&r, "url.mixed_script", "https://xn--pple-43d.com/"));
	/* 4 IPs, 1 download, 1 userinfo, 1 port, punycode + mixed */
	assert_int_equal(count(&r, "url."), 9);
	assert_int_equal(r.nurls, 9);
	assert_string_equal(r.urls[1].url, "http://192.168.1.1/x");
	assert_string_equal(r.urls[0].part.elem[0], "1");
	report_free(&r);
}

static void test_findings_html_qp(void **state)
{
	struct report r;

	(void)state;
	/* QP soft break inside an href, entity-encoded href, <base>,
	 * ISO-2022-JP text around the links */
	scan(HEAD
	     "Content-Type: text/html; charset=iso-2022-jp\r\n"
	     "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	     "<html><head><base href=3D\"https://portal.example.co.jp/"
	     "docs/\"></head>\r\n<body>\x1b$B$3$s$K$A$O\x1b(B"
	     "<a href=3D\"https://login.evil.example/very/long/path/wi=\r\n"
	     "th/a/soft/break/invoice.zip\">https://www.mybank.co.jp/</a>\r\n"
	     "<a href=3D\"https://www.example.com/a\">www.example.com</a>\r\n"
	     "<a href=3D\"https://mail.example.com/\">example.com</a>\r\n"
	     "<a href=3D\"https&#x3a;//ent.example/&amp;x\">"
	     "ent.example</a>\r\n"
	     "<a href=3D\"report.xlsm?x\">Report</a>\r\n"
	     "<a href=3D\"https://evil.example/\">paypal.com/login</a>\r\n"
	     "<a href=3D\"https://evil.example/\">version 1.2</a>\r\n"
	     "</body></html>\r\n",
	     &r, 0);
	assert_true(has(&r, "url.download",
			"https://login.evil.example/very/long/path/with/a/"
			"soft/break/invoice.zip"));
	assert_true(has(&r, "url.text_mismatch",
			"https://login.evil.example/very/long/path/with/a/"
			"soft/break/invoice.zip shown as "
			"https://www.mybank.co.jp/"));
	assert_true(has(&r, "url.text_mismatch",
			"https://evil.example/ shown as paypal.com/login"));
	/* matching text, subdomain, entity-decoded href: nothing */
	assert_int_equal(count(&r, "url.text_mismatch"), 2);
	assert_true(report_has_url(&r, "https://ent.example/&x", 22));
	/* relative to <base>; the path, not the query, ends in .xlsm */
	assert_true(report_has_url(
	    &r, "https://portal.example.co.jp/docs/report.xlsm?x", 47));
	assert_true(has(&r, "url.download",
			"https://portal.example.co.jp/docs/report.xlsm?x"));
	assert_int_equal(count(&r, "url.download"), 2);
	report_free(&r);
}

static void test_rtf_hyperlink(void **state)
{
	struct report r;

	(void)state;
	/* base64 of {\rtf1{\field{\*\fldinst{HYPERLINK
	 * "http://198.51.100.7/a.hta"}}{\fldrslt{click}}}} */
	scan(HEAD "Content-Type: application/rtf; name=a.rtf\r\n"
		  "Content-Transfer-Encoding: base64\r\n\r\n"
		  "e1xydGYxe1xmaWVsZHtcKlxmbGRpbnN0e0hZUEVSTElOSyAiaHR0cDovLzE5"
		  "OC41MS4xMDAuNy9hLmh0YSJ9fXtcZmxkcnNsdHtjbGlja319fX0=\r\n",
	     &r, 0);
	assert_int_equal(r.nurls, 1);
	assert_string_equal(r.urls[0].url, "http://198.51.100.7/a.hta");
	assert_true(has(&r, "url.ip_host", "http://198.51.100.7/a.hta"));
	assert_true(has(&r, "url.download", "http://198.51.100.7/a.hta"));
	report_free(&r);
}

static void test_limit(void **state)
{
	struct report r;

	(void)state;
	scan(HEAD "Content-Type: text/plain\r\n\r\n"
		  "http://a.example/ http://b.example/ http://a.example/ "
		  "http://c.example/ http://d.example/ http://e.example/\r\n",
	     &r, 3);
	assert_int_equal(r.nurls, 3);
	assert_true(has(&r, "scan.limit", "urls over 3"));
	assert_int_equal(count(&r, "scan.limit"), 1);
	report_free(&r);
}

static void test_listed(void **state)
{
	static const char policy[] =
	    "version: 1\n"
	    "lists:\n"
	    "  short: {type: domain, items: [bit.ly], finding: url.shortener}\n"
	    "  bad: {type: domain, items: [evil.example], finding: "
	    "url.listed}\n"
	    "  urls: {type: url, items: ['HTTP://Listed.example/a.doc']}\n"
	    "  senders: {type: domain, items: [ok.example]}\n"
	    "rules:\n"
	    "  - {name: l, when: {finding: url.listed}, action: quarantine}\n";
	struct policy *p;
	struct decision d;
	struct report r;
	char *err = NULL;

	(void)state;
	assert_int_equal(
	    policy_load_string("t.yaml", policy, strlen(policy), &p, &err), 0);
	scan(HEAD "Content-Type: text/plain\r\n\r\n"
		  "https://bit.ly/x http://www.evil.example/ "
		  "http://listed.example/a.doc#f http://ok.example/\r\n",
	     &r, 0);
	assert_int_equal(policy_judge(p, &r, NULL, &d), 0);
	assert_true(has(&r, "url.shortener", "https://bit.ly/x in short"));
	assert_true(has(&r, "url.listed", "http://www.evil.example/ in bad"));
	assert_true(
	    has(&r, "url.listed", "http://listed.example/a.doc in urls"));
	/* a domain list without finding: is for conditions only */
	assert_int_equal(count(&r, "url.listed"), 2);
	assert_int_equal(d.verdict, VERDICT_QUARANTINE);
	decision_free(&d);
	report_free(&r);
	policy_free(p);
}

static void test_urlhaus(void **state)
{
	static const char csv[] =
	    "################\n# URLhaus\n#\n"
	    "# id,dateadded,url,url_status,last_online,threat,tags,"
	    "urlhaus_link,reporter\n"
	    "\"3000001\",\"2026-11-25 10:00:00\",\"http://198.51.100.9/"
	    "bins/a.doc\",\"online\",\"2026-11-25 10:00:00\","
	    "\"malware_download\",\"emotet,doc\","
	    "\"https://urlhaus.abuse.ch/url/3000001/\",\"someone\"\n";
	char dir[] = "/tmp/test_url.XXXXXX", path[64], policy[256];
	struct policy *p;
	struct decision d;
	struct report r;
	char *err = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/haus.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(csv, f);
	fclose(f);
	snprintf(policy, sizeof(policy),
		 "version: 1\nlists:\n  haus: {type: url, format: urlhaus, "
		 "file: %s}\nrules: []\n",
		 path);
	assert_int_equal(
	    policy_load_string("t.yaml", policy, strlen(policy), &p, &err), 0);
	scan(HEAD "Content-Type: text/plain\r\n\r\n"
		  "http://198.51.100.9/bins/a.doc http://198.51.100.9/b\r\n",
	     &r, 0);
	assert_int_equal(policy_judge(p, &r, NULL, &d), 0);
	assert_true(
	    has(&r, "url.listed", "http://198.51.100.9/bins/a.doc in haus"));
	assert_int_equal(count(&r, "url.listed"), 1);
	decision_free(&d);
	report_free(&r);
	policy_free(p);
	/* a file that is not a URLhaus export refuses the policy */
	f = fopen(path, "w");
	fputs("http://x.example/\n", f);
	fclose(f);
	assert_int_equal(
	    policy_load_string("t.yaml", policy, strlen(policy), &p, &err), -1);
	assert_non_null(strstr(err, "not a URLhaus CSV line"));
	free(err);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_ascii),
	    cmocka_unit_test(test_text_japanese),
	    cmocka_unit_test(test_normalize),
	    cmocka_unit_test(test_plain_like_curl),
	    cmocka_unit_test(test_short_span),
	    cmocka_unit_test(test_normalized_host),
	    cmocka_unit_test(test_mixed_script),
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_findings_text),
	    cmocka_unit_test(test_findings_html_qp),
	    cmocka_unit_test(test_rtf_hyperlink),
	    cmocka_unit_test(test_limit),
	    cmocka_unit_test(test_listed),
	    cmocka_unit_test(test_urlhaus),
	};

	scan_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
