/*
 * test_report - parser/report, parser/report_json and parser/report_wire:
 * adding findings, parts and URLs; the path helpers and their bound; UTF-8
 * repair of everything that comes from a message; the findings limit; the
 * JSON shape; the workers' binary form read back the same
 * (report_to_wire, report_from_wire), and report_from_wire refusing every
 * truncation, bytes left over and fields of the wrong shape.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/report.h"
#include "../../parser/report_json.h"
#include "../../parser/report_wire.h"
#include "../../parser/utf8.h"

#define FFFD "\xef\xbf\xbd"
#define SHA_EMPTY                                                              \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static struct part_path make_path(int n, ...)
{
	struct part_path p = {0};
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *e = va_arg(ap, const char *);
		assert_int_equal(path_push(&p, e, strlen(e)), 0);
	}
	va_end(ap);
	return p;
}

static void add_part(struct report *r, struct part_path *path, const char *type,
		     const char *declared, const char *filename, size_t size)
{
	struct part_info info;

	memset(&info, 0, sizeof(info));
	info.path = *path;
	info.type = (char *)type;
	info.declared = (char *)declared;
	info.filename = (char *)filename;
	info.size = size;
	memcpy(info.sha256, SHA_EMPTY, 65);
	assert_int_equal(report_add_part(r, &info), 0);
}

static void test_path_helpers(void **state)
{
	struct part_path p = {0}, q = {0};
	char elem[8];

	assert_int_equal(path_push(&p, "2", 1), 0);
	/* names may contain '/', and the length is what counts */
	assert_int_equal(path_push(&p, "dir/invoice.zipXX", 15), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.elem[1], "dir/invoice.zip");
	assert_int_equal(path_set(&q, &p), 0);
	assert_int_equal(q.n, 2);
	assert_string_equal(q.elem[0], "2");
	assert_ptr_not_equal(q.elem[1], p.elem[1]); /* a copy */
	path_clear(&p);
	assert_int_equal(p.n, 0);
	assert_string_equal(q.elem[1], "dir/invoice.zip");
	path_clear(&q);

	/* PATH_MAX_ELEMS elements, not one more */
	for (int i = 0; i < PATH_MAX_ELEMS; i++) {
		snprintf(elem, sizeof(elem), "%d", i);
		assert_int_equal(path_push(&p, elem, strlen(elem)), 0);
	}
	assert_int_equal(path_push(&p, "x", 1), -E2BIG);
	assert_int_equal(p.n, PATH_MAX_ELEMS);
	path_clear(&p);

	/* invalid UTF-8 in a name is repaired */
	assert_int_equal(path_push(&p, "r\xe9sum\xe9.doc", 10), 0);
	assert_string_equal(p.elem[0], "r" FFFD "sum" FFFD ".doc");
	path_clear(&p);

	assert_int_equal(path_set(&q, NULL), 0);
	assert_int_equal(q.n, 0);
}

static void test_findings(void **state)
{
	struct report r;
	struct part_path p = make_path(3, "2", "invoice.zip", "invoice.docm");

	report_init(&r, 0);
	assert_int_equal(report_add_finding(&r, "office.vba.autoexec", &p,
					    "Document_Open", 13),
			 0);
	assert_int_equal(
	    report_add_finding(&r, "mime.malformed", NULL, NULL, 0), 0);
	/* detail_len bounds the detail, it need not be NUL-terminated */
	assert_int_equal(
	    report_add_finding(&r, "url.ip_host", NULL,
			       "https://198.51.100.7/a.docTRAILING", 26),
	    0);
	assert_int_equal(r.nfindings, 3);
	assert_string_equal(r.findings[0].id, "office.vba.autoexec");
	assert_int_equal(r.findings[0].part.n, 3);
	assert_string_equal(r.findings[0].part.elem[2], "invoice.docm");
	assert_string_equal(r.findings[0].detail, "Document_Open");
	assert_int_equal(r.findings[1].part.n, 0);
	assert_string_equal(r.findings[1].detail, "");
	assert_string_equal(r.findings[2].detail, "https://198.51.100.7/a.doc");
	assert_true(report_has_finding(&r, "mime.malformed"));
	assert_false(report_has_finding(&r, "mime"));
	assert_false(report_has_finding(&r, "office.vba.present"));
	assert_int_equal(r.dropped_findings, 0);
	path_clear(&p);
	report_free(&r);
	assert_int_equal(r.nfindings, 0);
	assert_null(r.findings);
}

static void test_invalid_utf8_repaired(void **state)
{
	struct report r;
	struct part_path p = make_path(1, "2");
	json_t *obj = json_object();
	char *text;

	report_init(&r, 0);
	assert_int_equal(report_add_finding(&r, "attachment.rtlo", &p,
					    "bad\xff\xfe"
					    "name\0x",
					    11),
			 0);
	add_part(&r, &p, "text/plain",
		 "text/pl\xc0\xaf"
		 "ain",
		 "r\xe9sum\xe9.txt", 6);
	assert_int_equal(
	    report_add_url(&r, NULL, "http://ex\xe4mple.test/", 20), 0);
	assert_string_equal(r.findings[0].detail,
			    "bad" FFFD FFFD "name" FFFD "x");
	assert_string_equal(r.parts[0].filename, "r" FFFD "sum" FFFD ".txt");
	assert_true(
	    utf8_valid(r.parts[0].declared, strlen(r.parts[0].declared)));
	assert_string_equal(r.urls[0].url, "http://ex" FFFD "mple.test/");

	/* so nothing is lost on the way to JSON */
	assert_int_equal(report_to_json(&r, obj), 0);
	assert_int_equal(json_array_size(json_object_get(obj, "findings")), 1);
	assert_int_equal(json_array_size(json_object_get(obj, "parts")), 1);
	assert_int_equal(json_array_size(json_object_get(obj, "urls")), 1);
	text = json_dumps(obj, JSON_COMPACT);
	assert_non_null(text);
	assert_true(utf8_valid(text, strlen(text)));
	free(text);
	json_decref(obj);
	path_clear(&p);
	report_free(&r);
}

static void test_max_findings(void **state)
{
	struct report r;

	report_init(&r, 3);
	for (int i = 0; i < 5; i++)
		assert_int_equal(
		    report_add_finding(&r, "url.listed", NULL, "u", 1), 0);
	/* the last slot says the list was cut: scan.limit, fail closed */
	assert_int_equal(r.nfindings, 3);
	assert_string_equal(r.findings[1].id, "url.listed");
	assert_string_equal(r.findings[2].id, "scan.limit");
	assert_string_equal(r.findings[2].detail, "findings limit reached");
	assert_int_equal(r.dropped_findings, 3);
	report_free(&r);

	report_init(&r, 0); /* 0: no limit */
	for (int i = 0; i < 50; i++)
		assert_int_equal(
		    report_add_finding(&r, "url.listed", NULL, "u", 1), 0);
	assert_int_equal(r.nfindings, 50);
	assert_int_equal(r.dropped_findings, 0);
	report_free(&r);
}

static void build_sample(struct report *r)
{
	struct part_path p2 = make_path(1, "2");
	struct part_path deep =
	    make_path(3, "2", "a/b.zip", "\xe8\xab\x8b\xe6\xb1\x82.docm");
	struct part_path p1 = make_path(1, "1");

	report_init(r, 0);
	assert_int_equal(report_add_finding(r, "office.vba.autoexec", &deep,
					    "Document_Open", 13),
			 0);
	assert_int_equal(report_add_finding(r, "mime.malformed", NULL,
					    "truncated message", 17),
			 0);
	assert_int_equal(report_add_finding(r, "archive.decrypted", &p2,
					    "password from body line 3", 25),
			 0);
	add_part(r, &p1, "text/plain", "text/plain", NULL, 12);
	add_part(r, &p2, "application/zip", "application/x-zip-compressed",
		 "a/b.zip", 1234);
	add_part(r, &deep, "application/vnd.openxmlformats-officedocument",
		 NULL, "\xe8\xab\x8b\xe6\xb1\x82.docm", 99);
	memcpy(
	    r->parts[1].sha256,
	    "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447",
	    65);
	assert_int_equal(
	    report_add_url(r, &p2, "https://198.51.100.7/a.doc", 26), 0);
	assert_int_equal(
	    report_add_url(r, NULL, "http://xn--80ak6aa92e.com/", 26), 0);
	r->message_id = strdup("<x@y>");
	r->subject = strdup("\xe3\x81\xbe\xe3\x81\xbf");
	r->elapsed_ms = 1.5;
	path_clear(&p1);
	path_clear(&p2);
	path_clear(&deep);
}

static void assert_paths_equal(const struct part_path *a,
			       const struct part_path *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		assert_string_equal(a->elem[i], b->elem[i]);
}

static void assert_opt_string_equal(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void test_round_trip(void **state)
{
	struct report a, b;
	unsigned char *buf;
	size_t len;

	build_sample(&a);
	assert_int_equal(report_add_header(&a, "Subject", "x"), 0);
	assert_int_equal(report_to_wire(&a, &buf, &len), 0);
	assert_int_equal(report_from_wire(buf, len, &b, 0), 0);
	free(buf);

	assert_int_equal(b.nfindings, a.nfindings);
	for (size_t i = 0; i < a.nfindings; i++) {
		assert_string_equal(b.findings[i].id, a.findings[i].id);
		assert_string_equal(b.findings[i].detail, a.findings[i].detail);
		assert_paths_equal(&b.findings[i].part, &a.findings[i].part);
	}
	assert_int_equal(b.nparts, a.nparts);
	for (size_t i = 0; i < a.nparts; i++) {
		assert_paths_equal(&b.parts[i].path, &a.parts[i].path);
		assert_string_equal(b.parts[i].type, a.parts[i].type);
		assert_opt_string_equal(b.parts[i].declared,
					a.parts[i].declared);
		assert_opt_string_equal(b.parts[i].filename,
					a.parts[i].filename);
		assert_int_equal(b.parts[i].size, a.parts[i].size);
		assert_string_equal(b.parts[i].sha256, a.parts[i].sha256);
	}
	assert_null(b.parts[0].filename);
	assert_null(b.parts[2].declared);
	assert_int_equal(b.nurls, a.nurls);
	for (size_t i = 0; i < a.nurls; i++) {
		assert_string_equal(b.urls[i].url, a.urls[i].url);
		assert_paths_equal(&b.urls[i].part, &a.urls[i].part);
	}
	/* the URL index is rebuilt */
	assert_true(report_has_url(&b, "https://198.51.100.7/a.doc", 26));
	assert_int_equal(b.nheaders, 1);
	assert_string_equal(b.headers[0].value, "x");
	assert_string_equal(b.message_id, "<x@y>");
	assert_string_equal(b.subject, a.subject);
	assert_null(b.from);
	assert_true(b.elapsed_ms > 1.49 && b.elapsed_ms < 1.51);
	report_free(&a);
	report_free(&b);
}

static void test_json_shape(void **state)
{
	struct report a;
	json_t *obj = json_object(), *f, *p;

	build_sample(&a);
	assert_int_equal(report_to_json(&a, obj), 0);
	f = json_array_get(json_object_get(obj, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "id")),
			    "office.vba.autoexec");
	assert_true(json_is_array(json_object_get(f, "part")));
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(f, "part"), 1)),
	    "a/b.zip");
	p = json_array_get(json_object_get(obj, "parts"), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "size")), 1234);
	assert_string_equal(json_string_value(json_object_get(p, "filename")),
			    "a/b.zip");
	p = json_array_get(json_object_get(obj, "parts"), 0);
	assert_true(json_is_null(json_object_get(p, "filename")));
	assert_true(json_is_null(json_object_get(obj, "from")));
	json_decref(obj);
	report_free(&a);
}

/* A hand-made wire report: strings, numbers and raw bytes appended. */
struct wbuf {
	unsigned char b[1024];
	size_t n;
};

static void w_bytes(struct wbuf *w, const void *p, size_t n)
{
	assert_true(w->n + n <= sizeof(w->b));
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void w_u32(struct wbuf *w, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
			      (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	w_bytes(w, b, 4);
}

static void w_str(struct wbuf *w, const char *s, size_t n)
{
	w_u32(w, s ? (uint32_t)n : 0xffffffffu);
	if (s)
		w_bytes(w, s, n);
}

/* Magic, no message-id/subject/From, size 0, time 0. */
static void w_head(struct wbuf *w)
{
	w->n = 0;
	w_bytes(w, "KRW1", 4);
	for (int i = 0; i < 4; i++)
		w_str(w, NULL, 0);
	w_u32(w, 0), w_u32(w, 0), w_u32(w, 0), w_u32(w, 0);
}

static void w_finding(struct wbuf *w, const char *id, const char *detail,
		      size_t dlen)
{
	w_str(w, id, strlen(id));
	w_u32(w, 0);
	w_str(w, detail, dlen);
}

static void expect_refused(const struct wbuf *w, const char *why)
{
	struct report r;

	if (report_from_wire(w->b, w->n, &r, 0) != -1)
		fail_msg("report_from_wire accepted %s", why);
	assert_int_equal(r.nfindings, 0); /* nothing left behind */
}

static void test_from_wire_limits_and_nul(void **state)
{
	struct wbuf w;
	struct report r;

	w_head(&w);
	w_u32(&w, 3);
	w_finding(&w, "a.b", "x\0y", 3);
	w_finding(&w, "a.c", "", 0);
	w_finding(&w, "a.d", "", 0);
	w_u32(&w, 0), w_u32(&w, 0), w_u32(&w, 0);
	assert_int_equal(report_from_wire(w.b, w.n, &r, 2), 0);
	assert_int_equal(r.nfindings, 2);
	assert_string_equal(r.findings[1].id, "scan.limit");
	assert_int_equal(r.dropped_findings, 2);
	/* an embedded NUL neither truncates nor survives */
	assert_string_equal(r.findings[0].detail, "x" FFFD "y");
	assert_null(r.message_id);
	report_free(&r);
}

static void test_from_wire_refuses(void **state)
{
	struct report a, r;
	unsigned char *buf;
	size_t len;
	struct wbuf w;

	/* every truncation of a real report, and a byte too many */
	build_sample(&a);
	assert_int_equal(report_to_wire(&a, &buf, &len), 0);
	report_free(&a);
	assert_true(len < sizeof(w.b));
	for (size_t n = 0; n < len; n++) {
		if (report_from_wire(buf, n, &r, 0) != -1)
			fail_msg("a report cut at %zu of %zu bytes accepted", n,
				 len);
	}
	memcpy(w.b, buf, len);
	w.b[len] = 0;
	w.n = len + 1;
	expect_refused(&w, "a byte left over");
	w.n = len;
	w.b[0] = 'J';
	expect_refused(&w, "a wrong magic");
	free(buf);

	w_head(&w);
	w_u32(&w, 0x10000000); /* more findings than bytes could hold */
	expect_refused(&w, "a count larger than the buffer");

	w_head(&w);
	w_u32(&w, 1);
	w_finding(&w, "a\nb", "", 0);
	w_u32(&w, 0), w_u32(&w, 0), w_u32(&w, 0);
	expect_refused(&w, "a control character in a finding id");

	w_head(&w);
	w_u32(&w, 1);
	w_finding(&w, "", "", 0);
	w_u32(&w, 0), w_u32(&w, 0), w_u32(&w, 0);
	expect_refused(&w, "an empty finding id");

	w_head(&w);
	w_u32(&w, 1);
	w_str(&w, "a.b", 3);
	w_u32(&w, PATH_MAX_ELEMS + 1);
	for (int i = 0; i <= PATH_MAX_ELEMS; i++)
		w_str(&w, "1", 1);
	w_str(&w, "", 0);
	w_u32(&w, 0), w_u32(&w, 0), w_u32(&w, 0);
	expect_refused(&w, "a path of 17 elements");

	w_head(&w);
	w_u32(&w, 1);
	w_str(&w, "a.b", 3);
	w_u32(&w, 0);
	w_str(&w, NULL, 0);
	w_u32(&w, 0), w_u32(&w, 0), w_u32(&w, 0);
	expect_refused(&w, "a finding without detail");

	/* a part whose digest is not lower-case hex */
	w_head(&w);
	w_u32(&w, 0);
	w_u32(&w, 1);
	w_u32(&w, 1);
	w_str(&w, "1", 1);
	w_str(&w, "text/plain", 10);
	w_str(&w, NULL, 0), w_str(&w, NULL, 0);
	w_u32(&w, 3), w_u32(&w, 0);
	w_bytes(&w, SHA_EMPTY, 64);
	w_u32(&w, 0), w_u32(&w, 0);
	assert_int_equal(report_from_wire(w.b, w.n, &r, 0), 0); /* control */
	assert_int_equal(r.nparts, 1);
	assert_int_equal(r.parts[0].size, 3);
	report_free(&r);
	w.b[w.n - 8 - 64] = 'E';
	expect_refused(&w, "an upper-case digest");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_helpers),
	    cmocka_unit_test(test_findings),
	    cmocka_unit_test(test_invalid_utf8_repaired),
	    cmocka_unit_test(test_max_findings),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_json_shape),
	    cmocka_unit_test(test_from_wire_limits_and_nul),
	    cmocka_unit_test(test_from_wire_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
