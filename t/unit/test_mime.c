/*
 * test_mime - parser/scan + parser/mime + parser/attachment on small
 * messages written here: IMAP-style part paths, message/rfc822 walked,
 * base64 and quoted-printable decoded (size and SHA-256 of known content),
 * RFC 2231 and RFC 2047 file names to UTF-8, every limit (mime_depth,
 * mime_parts, decoded_bytes, message_bytes, findings) turned into a
 * finding, the attachment findings (executable, disk image, double
 * extension, RTLO, script), broken structure as mime.malformed, and hostile
 * or empty input that must scan without a crash.
 *
 * Tests marked Regression guard bugs found and fixed in the engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gmime/gmime.h>
#include <jansson.h>

#include "../../parser/report_json.h"
#include "../../parser/scan.h"
#include "../../parser/utf8.h"
#include "../../policy/policy.h"
#include "testutil.h"

/* ---- a growing text buffer for building messages ---- */

struct buf {
	char *ptr;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->ptr = realloc(b->ptr, b->cap);
		assert_non_null(b->ptr);
	}
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	buf_add(b, s, (size_t)n);
	free(s);
}

/* base64, wrapped at 76 columns, as a MIME body */
static void buf_base64(struct buf *b, const uint8_t *data, size_t len)
{
	gchar *enc = g_base64_encode(data, len);
	size_t n = strlen(enc);

	for (size_t i = 0; i < n; i += 76) {
		buf_add(b, enc + i, n - i < 76 ? n - i : 76);
		buf_add(b, "\n", 1);
	}
	g_free(enc);
}

/* ---- scanning ---- */

static struct scan_limits default_limits(void)
{
	struct scan_limits l = SCAN_LIMITS_DEFAULT;
	return l;
}

/* The report must always serialise in full: every finding and part. */
static void check_json(const struct report *r)
{
	json_t *obj = json_object();
	char *text;

	assert_int_equal(report_to_json(r, obj), 0);
	assert_int_equal(json_array_size(json_object_get(obj, "findings")),
			 r->nfindings);
	assert_int_equal(json_array_size(json_object_get(obj, "parts")),
			 r->nparts);
	text = json_dumps(obj, JSON_COMPACT);
	assert_non_null(text);
	assert_true(utf8_valid(text, strlen(text)));
	free(text);
	json_decref(obj);
}

/* Scans len bytes copied to a heap block of that exact size. */
static void scan_bytes_with(const void *msg, size_t len,
			    struct scan_limits limits, struct report *r)
{
	struct scan_options opts = {.limits = limits};
	uint8_t *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, msg, len);
	assert_int_equal(scan_message(span_make(copy, len), &opts, r), 0);
	free(copy);
	check_json(r);
}

static void scan_with(const char *msg, struct scan_limits limits,
		      struct report *r)
{
	scan_bytes_with(msg, strlen(msg), limits, r);
}

static void scan_text(const char *msg, struct report *r)
{
	scan_with(msg, default_limits(), r);
}

static const struct part_info *find_part(const struct report *r,
					 const char *path)
{
	for (size_t i = 0; i < r->nparts; i++)
		if (r->parts[i].path.n == 1 &&
		    strcmp(r->parts[i].path.elem[0], path) == 0)
			return &r->parts[i];
	return NULL;
}

static const struct part_info *need_part(const struct report *r,
					 const char *path)
{
	const struct part_info *p = find_part(r, path);

	if (!p) {
		for (size_t i = 0; i < r->nparts; i++)
			fprintf(
			    stderr, "  part %s %s\n",
			    r->parts[i].path.n ? r->parts[i].path.elem[0] : "-",
			    r->parts[i].declared ? r->parts[i].declared : "?");
		fail_msg("no part %s", path);
	}
	return p;
}

static const struct finding *find_finding(const struct report *r,
					  const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}

static void dump_findings(const struct report *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		fprintf(stderr, "  finding %s [%s] %s\n", r->findings[i].id,
			r->findings[i].part.n ? r->findings[i].part.elem[0]
					      : "",
			r->findings[i].detail);
}

static void expect_finding(const struct report *r, const char *id)
{
	if (!report_has_finding(r, id)) {
		dump_findings(r);
		fail_msg("no %s finding", id);
	}
}

static void expect_no_finding(const struct report *r, const char *id)
{
	if (report_has_finding(r, id)) {
		dump_findings(r);
		fail_msg("unexpected %s finding", id);
	}
}

/* Scans a two-part message whose second part has the given headers and a
 * short base64 body ("hello\n"). */
static void scan_attachment(const char *headers, struct report *r)
{
	struct buf b = {0};

	buf_printf(&b,
		   "From: a@example.com\n"
		   "Subject: attachment\n"
		   "MIME-Version: 1.0\n"
		   "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
		   "--b\nContent-Type: text/plain\n\nsee attached\n"
		   "--b\n%s\nContent-Transfer-Encoding: base64\n\n"
		   "aGVsbG8K\n--b--\n",
		   headers);
	scan_text(b.ptr, r);
	free(b.ptr);
}

static void expect_attachment_name(const char *headers, const char *want)
{
	struct report r;
	const struct part_info *p;

	scan_attachment(headers, &r);
	p = need_part(&r, "2");
	if (!p->filename)
		fail_msg("no file name decoded from: %s", headers);
	assert_string_equal(p->filename, want);
	report_free(&r);
}

/* ---- structure ---- */

static void test_multipart_paths(void **state)
{
	static const char msg[] =
	    "From: Alice <alice@example.com>\n"
	    "To: bob@example.com\n"
	    "Subject: =?UTF-8?B?5qSc5p+7?= report\n"
	    "Message-ID: <paths-1@example.com>\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"outer\"\n"
	    "\n"
	    "preamble\n"
	    "--outer\n"
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "\n"
	    "first\n"
	    "--outer\n"
	    "Content-Type: multipart/alternative; boundary=\"inner\"\n"
	    "\n"
	    "--inner\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "plain\n"
	    "--inner\n"
	    "Content-Type: text/html\n"
	    "\n"
	    "<p>html</p>\n"
	    "--inner--\n"
	    "--outer\n"
	    "Content-Type: Application/PDF; name=\"a.pdf\"\n"
	    "Content-Disposition: attachment; filename=\"report.pdf\"\n"
	    "Content-Transfer-Encoding: base64\n"
	    "\n"
	    "JVBERi0xLjcKJeLjz9MK\n"
	    "--outer--\n"
	    "epilogue\n";
	struct report r;
	const struct part_info *p;

	scan_text(msg, &r);
	assert_int_equal(r.nparts, 4);
	assert_string_equal(need_part(&r, "1")->declared, "text/plain");
	assert_null(need_part(&r, "1")->filename);
	assert_string_equal(need_part(&r, "2.1")->declared, "text/plain");
	assert_string_equal(need_part(&r, "2.2")->declared, "text/html");
	assert_string_equal(need_part(&r, "2.2")->type, "text/html");
	p = need_part(&r, "3");
	assert_string_equal(p->declared, "application/pdf");
	assert_string_equal(p->type, "application/pdf");
	/* Content-Disposition's filename wins over Content-Type's name */
	assert_string_equal(p->filename, "report.pdf");
	assert_int_equal(p->size, 15);
	assert_null(find_part(&r, "2")); /* containers are not leaves */

	assert_string_equal(r.message_id, "<paths-1@example.com>");
	assert_string_equal(r.subject, "\xe6\xa4\x9c\xe6\x9f\xbb report");
	assert_non_null(r.from);
	assert_non_null(strstr(r.from, "alice@example.com"));
	expect_no_finding(&r, "mime.malformed");
	assert_int_equal(r.nfindings, 0);
	report_free(&r);
}

static void test_single_part_is_1(void **state)
{
	struct report r;

	scan_text("Subject: plain\n\njust text\n", &r);
	assert_int_equal(r.nparts, 1);
	assert_string_equal(need_part(&r, "1")->declared, "text/plain");
	assert_int_equal(need_part(&r, "1")->size, 10);
	assert_int_equal(r.nfindings, 0);
	report_free(&r);
}

static const char rfc822_msg[] =
    "From: a@example.com\n"
    "Subject: fwd\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"out\"\n"
    "\n"
    "--out\n"
    "Content-Type: text/plain\n"
    "\n"
    "forwarding\n"
    "--out\n"
    "Content-Type: message/rfc822; name=\"original.eml\"\n"
    "Content-Disposition: attachment; filename=\"original.eml\"\n"
    "\n"
    "From: b@example.org\n"
    "Subject: inner\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"in\"\n"
    "\n"
    "--in\n"
    "Content-Type: text/plain\n"
    "\n"
    "inner text\n"
    "--in\n"
    "Content-Type: application/octet-stream\n"
    "Content-Disposition: attachment; filename=\"setup.exe\"\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\n"
    "--in--\n"
    "\n"
    "--out\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "Subject: single\n"
    "\n"
    "single body\n"
    "--out--\n";

static void test_rfc822_walked(void **state)
{
	struct report r;
	const struct part_info *exe;
	const struct finding *f;

	scan_text(rfc822_msg, &r);
	assert_string_equal(need_part(&r, "1")->declared, "text/plain");
	assert_string_equal(need_part(&r, "2")->declared, "message/rfc822");
	assert_string_equal(need_part(&r, "2.1")->declared, "text/plain");
	assert_int_equal(need_part(&r, "2.1")->size, 10);
	exe = need_part(&r, "2.2");
	assert_string_equal(exe->filename, "setup.exe");
	assert_string_equal(exe->type, "application/x-dosexec");
	/* an attached message with a single-part body: its body is 3.1 */
	assert_string_equal(need_part(&r, "3")->declared, "message/rfc822");
	assert_int_equal(need_part(&r, "3.1")->size, 11);
	f = find_finding(&r, "attachment.executable");
	assert_non_null(f);
	assert_int_equal(f->part.n, 1);
	assert_string_equal(f->part.elem[0], "2.2");
	assert_int_equal(r.nparts, 6);
	report_free(&r);
}

/*
 * Regression (was a bug in parser/mime.c, walk_message_part): the part entry of
 * an attached message (message/rfc822) has no filename although the message
 * names it (Content-Disposition filename / Content-Type name); the report,
 * `kensa scan --json` and name-based findings never see that name.
 */
static void test_rfc822_part_keeps_filename(void **state)
{
	struct report r;
	const struct part_info *p;
	int named;

	scan_text(rfc822_msg, &r);
	p = need_part(&r, "2");
	named = p->filename && strcmp(p->filename, "original.eml") == 0;
	report_free(&r);
	if (!named)
		fail_msg("part 2 (message/rfc822) lost its name original.eml");
}

/*
 * Regression (was a bug in parser/mime.c, walk / scan_leaf): a message/rfc822
 * part sent with Content-Transfer-Encoding: base64 is treated as an opaque
 * leaf; its decoded bytes are never parsed as a message, so the executable
 * inside is not seen and the default policy accepts the mail. Mail clients
 * (Thunderbird, Outlook) decode such parts and show the attachment.
 * Expected: the decoded message is walked like any attached message.
 */
static void test_rfc822_base64_is_walked(void **state)
{
	static const char inner[] =
	    "From: b@example.org\n"
	    "Subject: inner\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"in\"\n"
	    "\n"
	    "--in\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "see attached\n"
	    "--in\n"
	    "Content-Type: application/octet-stream; name=\"invoice.exe\"\n"
	    "Content-Transfer-Encoding: base64\n"
	    "\n"
	    "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\n"
	    "--in--\n";
	struct buf b = {0};
	struct report r;
	int seen;

	buf_printf(&b, "From: a@example.com\n"
		       "Subject: fwd\n"
		       "MIME-Version: 1.0\n"
		       "Content-Type: multipart/mixed; boundary=\"out\"\n\n"
		       "--out\nContent-Type: text/plain\n\nforwarding\n"
		       "--out\n"
		       "Content-Type: message/rfc822; name=\"fwd.eml\"\n"
		       "Content-Transfer-Encoding: base64\n\n");
	buf_base64(&b, (const uint8_t *)inner, sizeof(inner) - 1);
	buf_printf(&b, "--out--\n");
	scan_text(b.ptr, &r);
	seen = report_has_finding(&r, "attachment.executable");
	free(b.ptr);
	report_free(&r);
	if (!seen)
		fail_msg("executable inside a base64 message/rfc822 not seen");
}

/* ---- transfer encodings ---- */

static void test_base64_and_qp_decoded(void **state)
{
	static const char msg[] =
	    "From: a@example.com\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\n"
	    "\n"
	    "--b\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n"
	    "\n"
	    "caf=C3=A9 =3D 100% s=\n"
	    "ure\n"
	    "--b\n"
	    "Content-Type: application/octet-stream; name=\"hello.txt\"\n"
	    "Content-Transfer-Encoding: BASE64\n"
	    "\n"
	    "aGVsbG8g\n"
	    "d29ybGQK\n"
	    "--b\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "hello\n"
	    "--b--\n";
	struct report r;
	const struct part_info *p;

	scan_text(msg, &r);
	p = need_part(&r, "1");
	assert_int_equal(p->size, 17); /* "café = 100% sure" */
	assert_string_equal(p->sha256, "02cc037d4fd0ba91e566dbcd58fe1832"
				       "5c7b92481ca2ee2cd506d72e8310b70d");
	p = need_part(&r, "2");
	assert_int_equal(p->size, 12); /* "hello world\n" */
	assert_string_equal(p->sha256, "a948904f2f0f479b8f8197694b30184b"
				       "0d2ed1c1cd2a1ec0fb85d299a192a447");
	assert_string_equal(p->type, "text/plain");
	/* the line break before a boundary belongs to the boundary */
	p = need_part(&r, "3");
	assert_int_equal(p->size, 5);
	assert_string_equal(p->sha256, "2cf24dba5fb0a30e26e83b2ac5b9e29e"
				       "1b161e5c1fa7425e73043362938b9824");
	report_free(&r);
}

static void test_detected_type_not_declared(void **state)
{
	struct report r;
	const struct part_info *p;

	/* text declared as an image: type is what the bytes say */
	scan_attachment("Content-Type: image/jpeg; name=\"photo.jpg\"", &r);
	p = need_part(&r, "2");
	assert_string_equal(p->declared, "image/jpeg");
	assert_string_equal(p->type, "text/plain"); /* "hello\n" */
	report_free(&r);
}

/* ---- file names ---- */

static void test_filename_rfc2231(void **state)
{
	/* charset, language, percent-encoding and continuations */
	expect_attachment_name(
	    "Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment;\n"
	    " filename*0*=utf-8''%E8%AB%8B%E6%B1%82;\n"
	    " filename*1*=%E6%9B%B8.pdf",
	    "\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8.pdf"); /* 請求書.pdf */
	expect_attachment_name("Content-Type: application/octet-stream\n"
			       "Content-Disposition: attachment;"
			       " filename*=iso-8859-1'de'R%E9sum%E9.txt",
			       "R\xc3\xa9sum\xc3\xa9.txt");
	/* plain continuations without charset */
	expect_attachment_name("Content-Type: application/octet-stream\n"
			       "Content-Disposition: attachment;\n"
			       " filename*0=\"quarterly \";\n"
			       " filename*1=\"report.xlsx\"",
			       "quarterly report.xlsx");
	/* the RFC 2231 name in Content-Type works too */
	expect_attachment_name(
	    "Content-Type: application/octet-stream;"
	    " name*=UTF-8''%D1%81%D1%87%D0%B5%D1%82.pdf",
	    "\xd1\x81\xd1\x87\xd0\xb5\xd1\x82.pdf"); /* счет.pdf */
}

static void test_filename_rfc2047(void **state)
{
	expect_attachment_name("Content-Type: application/octet-stream;"
			       " name=\"=?UTF-8?B?0YHRh9C10YIucGRm?=\"",
			       "\xd1\x81\xd1\x87\xd0\xb5\xd1\x82.pdf");
	expect_attachment_name("Content-Type: application/octet-stream\n"
			       "Content-Disposition: attachment;"
			       " filename=\"=?ISO-8859-1?Q?f=FCr_Sie.txt?=\"",
			       "f\xc3\xbcr Sie.txt");
	/* Japanese legacy charsets */
	expect_attachment_name("Content-Type: application/octet-stream\n"
			       "Content-Disposition: attachment;"
			       " filename=\"=?Shift_JIS?B?kL+LgY+RLnBkZg==?=\"",
			       "\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8.pdf");
	expect_attachment_name(
	    "Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment;"
	    " filename=\"=?ISO-2022-JP?B?GyRCQEE1YT1xGyhCLnBkZg==?=\"",
	    "\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8.pdf");
	/* split over two encoded words */
	expect_attachment_name(
	    "Content-Type: application/octet-stream;\n"
	    " name=\"=?UTF-8?B?0YHRh9C1?= =?UTF-8?B?0YIucGRm?=\"",
	    "\xd1\x81\xd1\x87\xd0\xb5\xd1\x82.pdf");
}

static void test_filename_raw_8bit(void **state)
{
	struct report r;
	const struct part_info *p;

	expect_attachment_name("Content-Type: application/octet-stream;"
			       " name=\"r\xc3\xa9sum\xc3\xa9.txt\"",
			       "r\xc3\xa9sum\xc3\xa9.txt");
	/* Latin-1 bytes: whatever the guess, the name comes out valid UTF-8 */
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"r\xe9sum\xe9.txt\"",
			&r);
	p = need_part(&r, "2");
	assert_non_null(p->filename);
	assert_true(utf8_valid(p->filename, strlen(p->filename)));
	assert_int_equal(strncmp(p->filename, "r", 1), 0);
	assert_non_null(strstr(p->filename, ".txt"));
	report_free(&r);
}

/* ---- attachment findings ---- */

static void scan_blob(const char *headers, const uint8_t *data, size_t len,
		      struct report *r)
{
	struct buf b = {0};

	buf_printf(&b,
		   "From: a@example.com\n"
		   "MIME-Version: 1.0\n"
		   "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
		   "--b\nContent-Type: text/plain\n\nhi\n"
		   "--b\n%s\nContent-Transfer-Encoding: base64\n\n",
		   headers);
	buf_base64(&b, data, len);
	buf_printf(&b, "--b--\n");
	scan_text(b.ptr, r);
	free(b.ptr);
}

static void test_executable(void **state)
{
	uint8_t pe[256] = {'M', 'Z', 0x90, 0, 3};
	struct report r;
	const struct finding *f;

	/* by its bytes, whatever it is called */
	scan_blob("Content-Type: application/pdf; name=\"statement.pdf\"", pe,
		  sizeof(pe), &r);
	f = find_finding(&r, "attachment.executable");
	if (!f) {
		dump_findings(&r);
		fail_msg("PE not reported");
	}
	assert_int_equal(f->part.n, 1);
	assert_string_equal(f->part.elem[0], "2");
	assert_string_equal(need_part(&r, "2")->type, "application/x-dosexec");
	report_free(&r);

	/* and not for a text called .exe */
	scan_attachment("Content-Type: text/plain; name=\"notes.exe\"", &r);
	expect_no_finding(&r, "attachment.executable");
	report_free(&r);
}

static void test_disk_image(void **state)
{
	size_t len = 0x8800;
	uint8_t *iso = calloc(1, len);
	struct report r;

	assert_non_null(iso);
	/* by name */
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"x.img\"",
			&r);
	expect_finding(&r, "attachment.disk_image");
	report_free(&r);
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"Invoice.ISO\"",
			&r);
	expect_finding(&r, "attachment.disk_image");
	report_free(&r);
	/* by bytes: an ISO 9660 image sent as a .zip */
	memcpy(iso + 0x8000,
	       "\x01"
	       "CD001\x01",
	       7);
	scan_blob("Content-Type: application/zip; name=\"photos.zip\"", iso,
		  len, &r);
	expect_finding(&r, "attachment.disk_image");
	assert_string_equal(need_part(&r, "2")->type,
			    "application/x-iso9660-image");
	report_free(&r);
	free(iso);
	/* a word ending in "img" is not an image */
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"ximg\"",
			&r);
	expect_no_finding(&r, "attachment.disk_image");
	report_free(&r);
}

static void test_double_extension(void **state)
{
	struct report r;

	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"invoice.pdf.exe\"",
			&r);
	expect_finding(&r, "attachment.double_extension");
	report_free(&r);
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"Scan_2024.DOCX.js\"",
			&r);
	expect_finding(&r, "attachment.double_extension");
	expect_finding(&r, "attachment.script");
	report_free(&r);
	/* ordinary dotted names are not double extensions */
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"backup.tar.gz\"",
			&r);
	expect_no_finding(&r, "attachment.double_extension");
	report_free(&r);
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"v1.2.pdf\"",
			&r);
	expect_no_finding(&r, "attachment.double_extension");
	report_free(&r);
}

static void test_rtlo(void **state)
{
	struct report r;
	const struct finding *f;

	/* "invoice<U+202E>fdp.js" shows as "invoicesj.pdf" */
	scan_attachment("Content-Type: application/octet-stream\n"
			"Content-Disposition: attachment;"
			" filename*=utf-8''invoice%E2%80%AEfdp.js",
			&r);
	f = find_finding(&r, "attachment.rtlo");
	assert_non_null(f);
	assert_string_equal(f->part.elem[0], "2");
	expect_finding(&r, "attachment.script");
	report_free(&r);
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"=?UTF-8?B?aW52b2ljZeKArmZkcC5qcw==?=\"",
			&r);
	expect_finding(&r, "attachment.rtlo");
	report_free(&r);
	scan_attachment("Content-Type: application/octet-stream;"
			" name=\"invoice.txt\"",
			&r);
	expect_no_finding(&r, "attachment.rtlo");
	assert_int_equal(r.nfindings, 0);
	report_free(&r);
}

static void test_script(void **state)
{
	static const char *const names[] = {"run.js", "a.JSE", "b.vbs",
					    "c.hta",  "d.ps1", "e.bat",
					    "f.cmd",  "g.wsf"};
	struct report r;
	char hdr[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(hdr, sizeof(hdr),
			 "Content-Type: application/octet-stream; name=\"%s\"",
			 names[i]);
		scan_attachment(hdr, &r);
		expect_finding(&r, "attachment.script");
		report_free(&r);
	}
	scan_attachment("Content-Type: text/plain; name=\"json.txt\"", &r);
	expect_no_finding(&r, "attachment.script");
	report_free(&r);
}

/*
 * Regression (was a bug in parser/attachment.c, extension/name_findings): a
 * name with trailing dots or spaces ("run.js.", "run.js ") gets no
 * attachment.script, but Windows strips trailing dots and spaces when the
 * file is saved, so it runs as run.js.
 */
static int name_gets_finding(const char *headers, const char *id)
{
	struct report r;
	int found;

	scan_attachment(headers, &r);
	found = report_has_finding(&r, id);
	report_free(&r);
	return found;
}

static void test_script_name_trailing_dot(void **state)
{
	int dot = name_gets_finding("Content-Type: application/octet-stream;"
				    " name=\"run.js.\"",
				    "attachment.script");
	int space = name_gets_finding("Content-Type: application/octet-stream;"
				      " name=\"run.js \"",
				      "attachment.script");

	if (!dot || !space)
		fail_msg("no attachment.script for%s%s",
			 dot ? "" : " \"run.js.\"",
			 space ? "" : " \"run.js \"");
}

/* ---- malformed structure ---- */

static void test_multipart_without_boundary(void **state)
{
	static const char msg[] = "From: a@example.com\n"
				  "MIME-Version: 1.0\n"
				  "Content-Type: multipart/mixed\n"
				  "\n"
				  "--x\n"
				  "Content-Type: text/plain\n"
				  "\n"
				  "hidden\n"
				  "--x--\n";
	struct report r;

	scan_text(msg, &r);
	expect_finding(&r, "mime.malformed");
	report_free(&r);
}

static void test_well_formed_not_malformed(void **state)
{
	struct report r;

	scan_text(rfc822_msg, &r);
	expect_no_finding(&r, "mime.malformed");
	report_free(&r);
}

/* ---- limits ---- */

/* depth nested multiparts around one text leaf */
static char *nested_message(unsigned depth)
{
	struct buf b = {0};

	buf_printf(&b, "From: a@example.com\nMIME-Version: 1.0\n");
	for (unsigned i = 0; i < depth; i++)
		buf_printf(&b,
			   "Content-Type: multipart/mixed; boundary=\"n%u\"\n"
			   "\n--n%u\n",
			   i, i);
	buf_printf(&b, "Content-Type: text/plain\n\ndeep leaf\n");
	for (unsigned i = depth; i-- > 0;)
		buf_printf(&b, "--n%u--\n", i);
	return b.ptr;
}

/* depth message/rfc822 parts, each the whole body of the one before */
static char *nested_rfc822(unsigned depth)
{
	struct buf b = {0};

	buf_printf(&b, "From: a@example.com\n");
	for (unsigned i = 0; i < depth; i++)
		buf_printf(&b, "Content-Type: message/rfc822\n\n");
	buf_printf(&b, "Subject: innermost\n\nbody\n");
	return b.ptr;
}

static void test_limit_depth(void **state)
{
	struct scan_limits l = default_limits();
	char *msg = nested_message(3);
	struct report r;
	const struct finding *f;

	l.mime_depth = 3;
	scan_with(msg, l, &r);
	expect_no_finding(&r, "mime.limit");
	assert_int_equal(r.nparts, 1);
	assert_int_equal(r.parts[0].size, 9);
	report_free(&r);

	l.mime_depth = 2;
	scan_with(msg, l, &r);
	f = find_finding(&r, "mime.limit");
	assert_non_null(f);
	assert_non_null(strstr(f->detail, "depth"));
	assert_int_equal(r.nparts, 0);
	report_free(&r);
	free(msg);

	/* far deeper than the default limit */
	msg = nested_message(200);
	scan_text(msg, &r);
	expect_finding(&r, "mime.limit");
	report_free(&r);
	free(msg);

	/* attached messages count as nesting too */
	msg = nested_rfc822(1000);
	scan_text(msg, &r);
	expect_finding(&r, "mime.limit");
	assert_true(r.nparts <= 21);
	report_free(&r);
	free(msg);
}

/*
 * Regression (was a bug; parser/mime.c, section_path): the section number is
 * built in a 128-byte buffer and silently truncated. kensa.yaml allows
 * limits.mime_depth up to 100; at 70 nested multiparts the leaf's path
 * "1.1.(...).1" needs 139 bytes and comes out cut to 127, so findings and
 * parts point at a section that does not exist.
 */
static void test_deep_path_not_truncated(void **state)
{
	struct scan_limits l = default_limits();
	char *msg = nested_message(70);
	struct report r;
	size_t dots = 0, nparts;

	l.mime_depth = 100;
	scan_with(msg, l, &r);
	free(msg);
	nparts = r.nparts;
	if (nparts == 1)
		for (const char *c = r.parts[0].path.elem[0]; *c; c++)
			dots += *c == '.';
	report_free(&r);
	assert_int_equal(nparts, 1);
	if (dots != 69)
		fail_msg("leaf path has %zu components, expected 70", dots + 1);
}

static char *many_parts_message(unsigned n)
{
	struct buf b = {0};

	buf_printf(&b, "From: a@example.com\nMIME-Version: 1.0\n"
		       "Content-Type: multipart/mixed; boundary=\"p\"\n\n");
	for (unsigned i = 0; i < n; i++)
		buf_printf(&b, "--p\nContent-Type: text/plain\n\npart %u\n", i);
	buf_printf(&b, "--p--\n");
	return b.ptr;
}

static void test_limit_parts(void **state)
{
	struct scan_limits l = default_limits();
	char *msg = many_parts_message(10);
	struct report r;
	const struct finding *f;

	/* the multipart itself counts: 1 + 10 */
	l.mime_parts = 11;
	scan_with(msg, l, &r);
	expect_no_finding(&r, "mime.limit");
	assert_int_equal(r.nparts, 10);
	report_free(&r);

	l.mime_parts = 4;
	scan_with(msg, l, &r);
	f = find_finding(&r, "mime.limit");
	assert_non_null(f);
	assert_non_null(strstr(f->detail, "parts"));
	assert_int_equal(r.nparts, 3);
	report_free(&r);
	free(msg);
}

static void test_limit_decoded_bytes(void **state)
{
	uint8_t data[600];
	struct buf b = {0};
	struct scan_limits l = default_limits();
	struct report r;
	const struct finding *f;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)('a' + i % 26);
	buf_printf(&b, "From: a@example.com\nMIME-Version: 1.0\n"
		       "Content-Type: multipart/mixed; boundary=\"d\"\n\n"
		       "--d\nContent-Type: text/plain\n"
		       "Content-Transfer-Encoding: base64\n\n");
	buf_base64(&b, data, sizeof(data));
	buf_printf(&b, "--d\nContent-Type: text/plain\n"
		       "Content-Transfer-Encoding: base64\n\n");
	buf_base64(&b, data, sizeof(data));
	buf_printf(&b, "--d--\n");

	l.decoded_bytes = 1200;
	scan_with(b.ptr, l, &r);
	expect_no_finding(&r, "mime.limit");
	assert_int_equal(need_part(&r, "2")->size, 600);
	report_free(&r);

	/* one budget for the whole message, not one per part */
	l.decoded_bytes = 1000;
	scan_with(b.ptr, l, &r);
	assert_int_equal(need_part(&r, "1")->size, 600);
	assert_true(need_part(&r, "2")->size <= 400);
	f = find_finding(&r, "mime.limit");
	assert_non_null(f);
	assert_int_equal(f->part.n, 1);
	assert_string_equal(f->part.elem[0], "2");
	assert_non_null(strstr(f->detail, "decoded"));
	report_free(&r);
	free(b.ptr);
}

static void test_limit_message_bytes(void **state)
{
	static const char msg[] = "Subject: s\n\nbody\n";
	struct scan_limits l = default_limits();
	struct report r;
	const struct finding *f;

	l.message_bytes = sizeof(msg) - 1;
	scan_with(msg, l, &r);
	expect_no_finding(&r, "scan.limit");
	assert_int_equal(r.nparts, 1);
	report_free(&r);

	l.message_bytes = sizeof(msg) - 2;
	scan_with(msg, l, &r);
	f = find_finding(&r, "scan.limit");
	assert_non_null(f);
	assert_int_equal(r.nparts, 0);
	report_free(&r);
}

static void test_limit_findings_counted(void **state)
{
	struct scan_limits l = default_limits();
	struct buf b = {0};
	struct report r;

	buf_printf(&b, "From: a@example.com\nMIME-Version: 1.0\n"
		       "Content-Type: multipart/mixed; boundary=\"s\"\n\n");
	for (int i = 0; i < 20; i++)
		buf_printf(&b,
			   "--s\nContent-Type: text/plain;"
			   " name=\"s%d.vbs\"\n\nx\n",
			   i);
	buf_printf(&b, "--s--\n");
	l.findings = 10;
	scan_with(b.ptr, l, &r);
	assert_int_equal(r.nfindings, 10);
	assert_true(r.dropped_findings >= 10);
	report_free(&r);
	free(b.ptr);
}

/* header-only parts (each a parser warning) and then a program */
static char *flood_then_exe(unsigned flood)
{
	uint8_t pe[128] = {'M', 'Z'};
	struct buf b = {0};

	buf_printf(&b,
		   "From: a@example.com\nSubject: flood\nMIME-Version: 1.0\n"
		   "Content-Type: multipart/mixed; boundary=\"f\"\n\n");
	for (unsigned i = 0; i < flood; i++)
		buf_printf(&b, "--f\nContent-Type: text/plain\n");
	buf_printf(&b,
		   "--f\nContent-Type: application/octet-stream;"
		   " name=\"a.exe\"\nContent-Transfer-Encoding: base64\n\n");
	buf_base64(&b, pe, sizeof(pe));
	buf_printf(&b, "--f--\n");
	return b.ptr;
}

static enum verdict conf_policy_verdict(const struct report *r)
{
	char path[1024], *err = NULL;
	struct policy *pol;
	struct decision d;
	enum verdict v;

	snprintf(path, sizeof(path), "%s/conf/policy.yaml", SRCDIR);
	if (policy_load(path, &pol, &err) < 0)
		fail_msg("%s", err);
	assert_int_equal(policy_decide(pol, r, NULL, &d), 0);
	v = d.verdict;
	decision_free(&d);
	policy_free(pol);
	return v;
}

/* Scans msg and says what went wrong, or returns NULL if the scan failed
 * closed: at least a quarantine, and the executable seen or a limit
 * finding (scan.limit, mime.limit) saying that not everything was. */
static const char *flood_result(char *msg, struct scan_limits l, char *why,
				size_t size)
{
	struct report r;
	enum verdict v;
	int limit_seen, mime_limit_seen, exe_seen;
	size_t dropped;

	scan_with(msg, l, &r);
	v = conf_policy_verdict(&r);
	limit_seen = report_has_finding(&r, "scan.limit");
	mime_limit_seen = report_has_finding(&r, "mime.limit");
	exe_seen = report_has_finding(&r, "attachment.executable");
	dropped = r.dropped_findings;
	report_free(&r);
	free(msg);
	/* failed closed: the executable was still seen, or a limit says
	 * that something was not (and the policy quarantines either way) */
	if (v >= VERDICT_QUARANTINE &&
	    (exe_seen || limit_seen || mime_limit_seen))
		return NULL;
	snprintf(why, size,
		 "verdict %s, %zu findings dropped, scan.limit %s, "
		 "executable %s",
		 verdict_name(v), dropped, limit_seen ? "seen" : "missing",
		 exe_seen ? "seen" : "hidden");
	return why;
}

/*
 * Regression (was a bug in parser/report.c report_add_finding, parser/mime.c
 * on_parser_warning): once limits.findings is reached, later findings are
 * only counted in dropped_findings; no finding says so, and dropped_findings
 * is not in the JSON the workers send. A message that first produces
 * `findings` cheap warnings (e.g. header-only parts: one mime.malformed
 * each) hides everything after them: here attachment.executable (and even
 * the mime.limit for the parts limit) is dropped and the default policy
 * only tags the mail. Expected: hitting the findings limit is itself a
 * finding that survives (scan.limit, as DESIGN.md says every limit is), so
 * the policy fails closed.
 */
static void test_findings_limit_fails_closed(void **state)
{
	struct scan_limits l = default_limits();
	char small[256], dflt[256];
	const char *a, *b;

	l.findings = 10;
	a = flood_result(flood_then_exe(12), l, small, sizeof(small));
	/* the same with the default limits: about 40 KB of mail */
	b = flood_result(flood_then_exe(1100), default_limits(), dflt,
			 sizeof(dflt));
	if (a || b)
		fail_msg("findings=10: %s; default limits: %s", a ? a : "ok",
			 b ? b : "ok");
}

/* ---- hostile and empty input ---- */

static void test_garbage_never_crashes(void **state)
{
	static const char *const samples[] = {
	    "",
	    "\n",
	    "\r\n\r\n",
	    "no colon here at all",
	    ":\n:\n\n",
	    "Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n----\n",
	    "Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x--\n",
	    "Content-Type: message/rfc822\n\n",
	    "Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\n",
	    "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
	    "!!!!====****\n",
	    "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printa"
	    "ble\n\n=\n=X=\n=0\n",
	    "Content-Type: text/plain; name*0*=utf-8''%; name*1*=%ZZ;"
	    " name*3=x\n\nx\n",
	    "Content-Type: text/plain; name==?utf-8?B?====?=\n\nx\n",
	    "Subject: =?x-unknown?Q?=FF=FE?= =?utf-8?B?/w==?=\n\n",
	    "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	    "Content-Type: multipart/mixed; boundary=a\n\n--a\n--a--\n",
	};
	static const uint8_t binary[] = {0,    0,   0,	 0xff, 0xfe, '\n', 0,
					 0x80, '-', '-', '\n', 0x1b, 0};
	struct report r;
	uint32_t seed = 12345;
	uint8_t noise[2048];

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		scan_text(samples[i], &r);
		report_free(&r);
	}
	scan_bytes_with(binary, sizeof(binary), default_limits(), &r);
	report_free(&r);
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof(noise); i++) {
			seed = seed * 1103515245u + 12345u;
			noise[i] = (uint8_t)(seed >> 16);
		}
		scan_bytes_with(noise, sizeof(noise) / (size_t)(round % 8 + 1),
				default_limits(), &r);
		report_free(&r);
	}
}

static void test_nul_and_8bit_headers(void **state)
{
	static const char msg[] =
	    "From: a@example.com\n"
	    "Subject: caf\xe9 \xff\xfe\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\n"
	    "\n"
	    "--b\n"
	    "Content-Type: application/octet-stream; name=\"a\0b.txt\"\n"
	    "\n"
	    "x\0y\n"
	    "--b--\n";
	struct report r;

	scan_bytes_with(msg, sizeof(msg) - 1, default_limits(), &r);
	if (r.subject)
		assert_true(utf8_valid(r.subject, strlen(r.subject)));
	for (size_t i = 0; i < r.nparts; i++)
		if (r.parts[i].filename)
			assert_true(utf8_valid(r.parts[i].filename,
					       strlen(r.parts[i].filename)));
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_multipart_paths),
	    cmocka_unit_test(test_single_part_is_1),
	    cmocka_unit_test(test_rfc822_walked),
	    cmocka_unit_test(test_rfc822_part_keeps_filename),
	    cmocka_unit_test(test_rfc822_base64_is_walked),
	    cmocka_unit_test(test_base64_and_qp_decoded),
	    cmocka_unit_test(test_detected_type_not_declared),
	    cmocka_unit_test(test_filename_rfc2231),
	    cmocka_unit_test(test_filename_rfc2047),
	    cmocka_unit_test(test_filename_raw_8bit),
	    cmocka_unit_test(test_executable),
	    cmocka_unit_test(test_disk_image),
	    cmocka_unit_test(test_double_extension),
	    cmocka_unit_test(test_rtlo),
	    cmocka_unit_test(test_script),
	    cmocka_unit_test(test_script_name_trailing_dot),
	    cmocka_unit_test(test_multipart_without_boundary),
	    cmocka_unit_test(test_well_formed_not_malformed),
	    cmocka_unit_test(test_limit_depth),
	    cmocka_unit_test(test_deep_path_not_truncated),
	    cmocka_unit_test(test_limit_parts),
	    cmocka_unit_test(test_limit_decoded_bytes),
	    cmocka_unit_test(test_limit_message_bytes),
	    cmocka_unit_test(test_limit_findings_counted),
	    cmocka_unit_test(test_findings_limit_fails_closed),
	    cmocka_unit_test(test_garbage_never_crashes),
	    cmocka_unit_test(test_nul_and_8bit_headers),
	};

	return cmocka_run_group_tests(tests, test_gmime_setup,
				      test_gmime_teardown);
}
