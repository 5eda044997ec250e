/*
 * test_corpus - the engine over every file in TESTDATA/mail (real mail
 * from other projects, see TESTDATA/README.md). Files in mbox format are
 * split with cli/mbox. For every message: scan rc 0, the report's JSON is
 * well formed and complete, and the report survives the workers' form. Then,
 * per set: japanese     subjects and attachment names decode to the right text
 *                (expected strings worked out with Python's email package);
 *   attachments  names: RFC 2231, RFC 2047, unquoted, raw 8-bit;
 *   mime         IMAP part paths of real-world structures;
 *   malformed    mime.malformed exactly where the structure is broken.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <gmime/gmime.h>
#include <jansson.h>

#include "../../cli/mbox.h"
#include "../../parser/report_json.h"
#include "../../parser/report_wire.h"
#include "../../parser/scan.h"
#include "../../parser/utf8.h"
#include "testutil.h"

/* The JSON of a report: well formed and complete; and the report read
 * back the same from the form the workers send the daemon. */
static void check_json(const char *name, const struct report *r)
{
	json_t *obj = json_object();
	struct report again;
	unsigned char *buf;
	char *text;
	size_t len;

	assert_int_equal(report_to_json(r, obj), 0);
	if (json_array_size(json_object_get(obj, "findings")) != r->nfindings ||
	    json_array_size(json_object_get(obj, "parts")) != r->nparts ||
	    json_array_size(json_object_get(obj, "urls")) != r->nurls)
		fail_msg("%s: JSON lost findings, parts or urls", name);
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!text)
		fail_msg("%s: json_dumps failed", name);
	assert_true(utf8_valid(text, strlen(text)));
	free(text);
	assert_int_equal(report_to_wire(r, &buf, &len), 0);
	if (report_from_wire(buf, len, &again, 0) < 0)
		fail_msg("%s: report_from_wire refused our own report", name);
	free(buf);
	assert_int_equal(again.nfindings, r->nfindings);
	assert_int_equal(again.nparts, r->nparts);
	assert_int_equal(again.nurls, r->nurls);
	report_free(&again);
}

static void scan_one(const char *name, struct span msg, struct report *r)
{
	struct scan_options opts = {.limits = SCAN_LIMITS_DEFAULT};

	if (scan_message(msg, &opts, r) != 0)
		fail_msg("%s: scan_message failed", name);
	check_json(name, r);
}

/* Scans every message of a file; returns how many. */
static size_t scan_file(const char *path)
{
	size_t len, n = 0, off = 0;
	uint8_t *buf = test_read_file(path, &len);
	struct span file = span_make(buf, len), msg;
	struct report r;

	if (!mbox_is_mbox(file)) {
		scan_one(path, file, &r);
		report_free(&r);
		free(buf);
		return 1;
	}
	while (mbox_next(file, &off, &msg) == 0) {
		scan_one(path, msg, &r);
		report_free(&r);
		n++;
	}
	free(buf);
	return n;
}

static size_t scan_tree(const char *dir, size_t *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t messages = 0;

	if (!d)
		fail_msg("cannot open directory %s", dir);
	while ((e = readdir(d)) != NULL) {
		char *path;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		assert_true(asprintf(&path, "%s/%s", dir, e->d_name) > 0);
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			messages += scan_tree(path, files);
		} else if (S_ISREG(st.st_mode)) {
			messages += scan_file(path);
			(*files)++;
		}
		free(path);
	}
	closedir(d);
	return messages;
}

static void test_every_message_scans(void **state)
{
	size_t files = 0, messages = scan_tree(TESTDATA "/mail", &files);

	/* the corpus is there: 5 sets, 71 files as of writing */
	assert_true(files >= 70);
	assert_true(messages >= files);
}

/* ---- one message of the corpus ---- */

/* Scans the (only) message of TESTDATA/mail/rel into r. */
static void scan_corpus(const char *rel, struct report *r)
{
	char path[1024];
	size_t len, off = 0;
	uint8_t *buf;
	struct span file, msg;

	snprintf(path, sizeof(path), "%s/mail/%s", TESTDATA, rel);
	buf = test_read_file(path, &len);
	file = span_make(buf, len);
	if (mbox_is_mbox(file)) {
		assert_int_equal(mbox_next(file, &off, &msg), 0);
		assert_int_equal(off, len); /* one message per file */
	} else {
		msg = file;
	}
	scan_one(rel, msg, r);
	free(buf);
}

static const struct part_info *
need_part(const char *rel, const struct report *r, const char *path)
{
	for (size_t i = 0; i < r->nparts; i++)
		if (r->parts[i].path.n == 1 &&
		    strcmp(r->parts[i].path.elem[0], path) == 0)
			return &r->parts[i];
	fail_msg("%s: no part %s", rel, path);
	return NULL;
}

static void expect_subject(const char *rel, const char *want)
{
	struct report r;

	scan_corpus(rel, &r);
	if (!r.subject)
		fail_msg("%s: no subject", rel);
	if (strcmp(r.subject, want) != 0)
		fail_msg("%s: subject '%s', expected '%s'", rel, r.subject,
			 want);
	report_free(&r);
}

static void expect_filename(const char *rel, const char *path, const char *want)
{
	struct report r;
	const struct part_info *p;

	scan_corpus(rel, &r);
	p = need_part(rel, &r, path);
	if (!p->filename)
		fail_msg("%s: part %s has no file name", rel, path);
	if (strcmp(p->filename, want) != 0)
		fail_msg("%s: part %s named '%s', expected '%s'", rel, path,
			 p->filename, want);
	report_free(&r);
}

/* ---- japanese ---- */

#define MAMIMUMEMO "まみむめも"
#define KAKIKUKEKO "かきくけこ"

static void test_japanese_subjects(void **state)
{
	/* RFC 2047 B in UTF-8 */
	expect_subject("japanese/japanese.eml", MAMIMUMEMO);
	expect_subject("japanese/japanese_iso_2022.eml", MAMIMUMEMO);
	/* four folded encoded words */
	expect_subject(
	    "japanese/japanese_attachment_long_name.eml",
	    MAMIMUMEMO MAMIMUMEMO MAMIMUMEMO MAMIMUMEMO MAMIMUMEMO MAMIMUMEMO
		MAMIMUMEMO MAMIMUMEMO MAMIMUMEMO MAMIMUMEMO);
	/* ISO-2022-JP split over two encoded words, mixed with ASCII */
	expect_subject("japanese/mimekit-japanese.eml",
		       "日本語メールテスト (testing Japanese emails)");
	expect_subject("japanese/japanese_shift_jis.eml", "test");
	expect_subject("japanese/japanese_attachment.eml", "testing");
}

static void test_japanese_filenames(void **state)
{
	struct report r;

	/* RFC 2047 inside a quoted parameter */
	expect_filename("japanese/japanese_attachment.eml", "2", "てすと.txt");
	/* RFC 2231 continuations (filename*0*, filename*1*) in
	 * Content-Disposition, three folded RFC 2047 words in name= */
	expect_filename("japanese/japanese_attachment_long_name.eml", "1",
			KAKIKUKEKO KAKIKUKEKO KAKIKUKEKO KAKIKUKEKO KAKIKUKEKO
			".txt");

	/* Shift_JIS 8-bit body: text, not binary */
	scan_corpus("japanese/japanese_shift_jis.eml", &r);
	assert_int_equal(r.nparts, 1);
	assert_string_equal(need_part("sjis", &r, "1")->type, "text/plain");
	report_free(&r);
}

/* ---- attachments ---- */

static void test_attachment_names(void **state)
{
	struct report r;
	const struct part_info *p;

	expect_filename("attachments/attachment_content_disposition.eml", "2",
			"api.rb");
	/* raw UTF-8 in an unquoted parameter */
	expect_filename("attachments/attachment_nonascii_filename.eml", "2",
			"ciële.txt");
	/* RFC 2231 in Content-Disposition, RFC 2047 in Content-Type */
	expect_filename("attachments/attachment_with_quoted_filename.eml", "1",
			"Eelanalüüsi päring.jpg");
	expect_subject("attachments/attachment_with_quoted_filename.eml",
		       "Eelanalüüsi päring");
	/* an unquoted encoded word, as some mailers write it (mbox file) */
	expect_filename("attachments/attachment_with_base64_encoded_name.eml",
			"2", "This is a test.pdf");
	/* unquoted name with spaces: the whole name, as mail clients show */
	expect_filename("attachments/attachment_with_unquoted_name.eml", "2",
			"This is a test.txt");
	expect_filename("attachments/attachment_only_email.eml", "1",
			"blah.gz");
	expect_filename("attachments/attachment_pdf.eml", "2", "broken.pdf");
	expect_subject("attachments/attachment_pdf_non_ascii_lf.eml",
		       "Another PDF with 🎉 Unicode chars in it 🍿");

	/* RFC 2231 in ISO-2022-JP with a byte (0x8a) that charset does not
	 * have: the name is still valid UTF-8 and keeps what was readable */
	scan_corpus("attachments/attachment_with_encoded_name.eml", &r);
	p = need_part("encoded_name", &r, "2");
	assert_non_null(p->filename);
	assert_true(utf8_valid(p->filename, strlen(p->filename)));
	assert_int_equal(strncmp(p->filename, "01 Quien Te Dij", 15), 0);
	assert_non_null(strstr(p->filename, "at. Pitbull.mp3"));
	report_free(&r);

	/* no name at all: none invented (Content-Location is not a name) */
	scan_corpus("attachments/attachment_content_location.eml", &r);
	assert_null(need_part("content_location", &r, "2")->filename);
	report_free(&r);
}

static void test_attachment_rfc822(void **state)
{
	struct report r;
	const struct part_info *p;

	scan_corpus("attachments/attachment_message_rfc822.eml", &r);
	assert_string_equal(need_part("rfc822", &r, "2")->declared,
			    "message/rfc822");
	assert_string_equal(need_part("rfc822", &r, "2.1")->declared,
			    "text/plain");
	p = need_part("rfc822", &r, "2.2");
	assert_string_equal(p->filename, "broken.pdf");
	assert_string_equal(p->type, "application/pdf");
	report_free(&r);

	scan_corpus("attachments/attachment_message_rfc822_inline_image.eml",
		    &r);
	assert_string_equal(need_part("inline", &r, "1.1.1")->declared,
			    "text/html");
	assert_string_equal(need_part("inline", &r, "1.2")->filename,
			    "img.png");
	assert_string_equal(need_part("inline", &r, "1.2")->type, "image/png");
	assert_string_equal(need_part("inline", &r, "2")->declared,
			    "message/rfc822");
	report_free(&r);
}

/* ---- mime: part paths of real-world structures ---- */

struct leaf {
	const char *path;
	const char *declared;
	const char *filename;
};

static void expect_structure(const char *rel, const struct leaf *want, size_t n)
{
	struct report r;

	scan_corpus(rel, &r);
	if (r.nparts != n) {
		for (size_t i = 0; i < r.nparts; i++)
			fprintf(stderr, "  %s %s\n", r.parts[i].path.elem[0],
				r.parts[i].declared);
		fail_msg("%s: %zu parts, expected %zu", rel, r.nparts, n);
	}
	for (size_t i = 0; i < n; i++) {
		const struct part_info *p = &r.parts[i];
		assert_int_equal(p->path.n, 1);
		if (strcmp(p->path.elem[0], want[i].path) != 0 ||
		    strcmp(p->declared, want[i].declared) != 0)
			fail_msg("%s: part %zu is %s %s, expected %s %s", rel,
				 i, p->path.elem[0], p->declared, want[i].path,
				 want[i].declared);
		if (want[i].filename)
			assert_string_equal(p->filename, want[i].filename);
		else
			assert_null(p->filename);
	}
	report_free(&r);
}

#define STRUCTURE(rel, ...)                                                    \
	do {                                                                   \
		static const struct leaf want[] = {__VA_ARGS__};               \
		expect_structure(rel, want, sizeof(want) / sizeof(want[0]));   \
	} while (0)

static void test_mime_structures(void **state)
{
	STRUCTURE("mime/thirdparty-006.eml", {"1.1.1", "text/html", NULL},
		  {"1.1.2", "text/plain", NULL},
		  {"1.2", "signature/plain", NULL});
	STRUCTURE("mime/thirdparty-007.eml", {"1", "message/rfc822", NULL},
		  {"1.1", "text/plain", NULL}, {"2", "message/rfc822", NULL},
		  {"2.1", "text/plain", NULL}, {"3", "message/rfc822", NULL},
		  {"3.1", "text/plain", NULL},
		  {"3.2", "application/octet-stream", "test.txt"});
	STRUCTURE("mime/thirdparty-008.eml", {"1", "text/x-myown", NULL},
		  {"2", "message/rfc822", NULL}, {"2.1", "text/html", NULL},
		  {"2.2.1.1", "text/plain", NULL},
		  {"2.2.1.2", "text/plain", NULL},
		  {"2.2.2", "text/plain", NULL}, {"3", "text/plain", NULL});
	/* a boundary folded inside its quotes: "foo bar" */
	STRUCTURE("mime/thirdparty-012.eml", {"1", "text/x-myown", NULL},
		  {"2", "message/rfc822", NULL}, {"2.1", "text/html", NULL},
		  {"2.2", "text/plain", NULL});
	STRUCTURE("mime/thirdparty-013.eml", {"1.1", "text/plain", NULL},
		  {"1.2", "text/html", NULL}, {"2", "image/jpeg", NULL},
		  {"3", "audio/mp3", NULL}, {"4", "video/avi", NULL});
	STRUCTURE("mime/thirdparty-019.eml", {"1.1", "text/plain", NULL},
		  {"1.2.1", "text/html", NULL},
		  {"1.2.2", "image/png", "kigaaldcbanejcbi.png"},
		  {"2", "image/png", "attach2.png"});
	expect_subject("mime/thirdparty-010.eml", "こんにちは");
}

/*
 * The mime set is real mail: mime.malformed only where the structure is
 * broken. thirdparty-005 ends with "invalid--1--" (no close delimiter);
 * thirdparty-015's three attached messages are cut after their headers
 * (multipart/alternative without a body, unfolded header lines).
 */
static void test_mime_malformed_only_when_broken(void **state)
{
	char rel[64];
	struct report r;

	for (int i = 0; i < 20; i++) {
		int broken = i == 5 || i == 15;
		snprintf(rel, sizeof(rel), "mime/thirdparty-%03d.eml", i);
		scan_corpus(rel, &r);
		if (report_has_finding(&r, "mime.malformed") != broken)
			fail_msg("%s: mime.malformed %s", rel,
				 broken ? "missing" : "on well-formed mail");
		report_free(&r);
	}
}

/* ---- malformed ----
 *
 * Structurally broken, so mime.malformed is expected:
 *   000 parts with no header/body separation; consecutive delimiters
 *       (empty parts with neither headers nor body)
 *   001 inner multipart ended by the outer boundary before any part;
 *       no close delimiter
 *   002 multipart whose body holds no delimiter at all
 *   003 inner multipart reuses the outer boundary; nothing closed
 *   004 no line is a delimiter of the declared boundary ("--ab" for "a")
 *   006 inner and outer multiparts never closed (truncated)
 *   007 the inner multipart's headers run into its first delimiter
 *       (no blank line): the delimiter is read as a header line
 *   008 inner multipart closed only by the outer boundary; outer never
 *       closed
 *   009, 011 same shape as 008 with two inner parts
 *   012 as 011 with message/rfc822 parts
 *   013 nested multiparts reusing boundary "1"; nothing closed
 *   014 no close delimiter
 *   016 boundaries of 80+ characters (RFC 2046 allows 70) that prefix
 *       each other; nothing closed
 *   017 Content-Type "multipart/mixed" without ';' before boundary=:
 *       a multipart without a boundary
 *   019 scrambled header block: invalid header names, conflicting
 *       Content-Type, a delimiter of the wrong case, truncated parts
 *   020, 021 a part with two Content-Type headers (multipart/alternative
 *       and text/plain) whose alternative is never closed
 *   022 a message/rfc822 part that is not a message (its first line is
 *       no header and no blank line ends the headers)
 *
 * Not broken, so no mime.malformed:
 *   005 boundaries "a--" and "a----" look alike but are used correctly:
 *       "--a------" closes the inner multipart, the text/html after it is
 *       that multipart's epilogue, and "--a----" closes the outer one
 *   010 message/rfc822 inside message/rfc822 with minimal headers: valid
 *   015 multipart/signed whose signature is garbage: a content problem,
 *       the MIME structure is sound
 *   018 single text/plain part with odd quoted-printable and mixed line
 *       ends: a content problem, not a structural one
 */
static void test_malformed_set(void **state)
{
	static const int not_broken[] = {5, 10, 15, 18};
	char rel[64];
	struct report r;

	for (int i = 0; i <= 22; i++) {
		int broken = 1;
		for (size_t k = 0; k < sizeof(not_broken) / sizeof(int); k++)
			if (not_broken[k] == i)
				broken = 0;
		snprintf(rel, sizeof(rel), "malformed/malformed-%03d.eml", i);
		scan_corpus(rel, &r);
		if (report_has_finding(&r, "mime.malformed") != broken)
			fail_msg("%s: mime.malformed %s", rel,
				 broken ? "missing" : "on a sound structure");
		report_free(&r);
	}
}

/* The parts that are there are still found in broken mail. */
static void test_malformed_parts_still_walked(void **state)
{
	struct report r;

	/* 008: the html part after the unclosed inner multipart */
	scan_corpus("malformed/malformed-008.eml", &r);
	assert_string_equal(need_part("008", &r, "1.1")->declared,
			    "text/plain");
	assert_string_equal(need_part("008", &r, "2")->declared, "text/html");
	report_free(&r);
	/* 012: attached messages inside an unclosed multipart */
	scan_corpus("malformed/malformed-012.eml", &r);
	assert_int_equal(need_part("012", &r, "1.2.1")->size, 2);
	assert_int_equal(need_part("012", &r, "2.1")->size, 4);
	report_free(&r);
	/* 005: the epilogue is not a part */
	scan_corpus("malformed/malformed-005.eml", &r);
	assert_int_equal(r.nparts, 1);
	assert_int_equal(need_part("005", &r, "1.1")->size, 4);
	report_free(&r);
}

/* ---- spamassassin: what the bytes are ---- */

/* A part path {section, member} of the given detected type. */
static int has_member(const struct report *r, const char *section,
		      const char *member, const char *type)
{
	for (size_t i = 0; i < r->nparts; i++) {
		const struct part_info *p = &r->parts[i];
		if (p->path.n == 2 && strcmp(p->path.elem[0], section) == 0 &&
		    strcmp(p->path.elem[1], member) == 0 &&
		    strcmp(p->type, type) == 0)
			return 1;
	}
	return 0;
}

static void test_spamassassin_types(void **state)
{
	struct report r;

	scan_corpus("spamassassin/renamedmacro.eml", &r);
	assert_string_equal(need_part("renamed", &r, "2")->filename,
			    "renamed.jpg");
	assert_string_equal(need_part("renamed", &r, "2")->type,
			    "application/vnd.openxmlformats-officedocument");
	report_free(&r);
	scan_corpus("spamassassin/encrypted.eml", &r);
	assert_string_equal(need_part("encrypted", &r, "2")->type,
			    "application/x-ole-storage");
	report_free(&r);
	scan_corpus("spamassassin/zippwmacro.eml", &r);
	assert_string_equal(need_part("zippw", &r, "2")->type,
			    "application/zip");
	/* the body says "Password: sa": the workbook inside is scanned */
	assert_true(report_has_finding(&r, "archive.encrypted"));
	assert_true(report_has_finding(&r, "archive.decrypted"));
	assert_false(report_has_finding(&r, "archive.password_unknown"));
	assert_true(
	    has_member(&r, "2", "macro.xlsm",
		       "application/vnd.openxmlformats-officedocument"));
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_message_scans),
	    cmocka_unit_test(test_japanese_subjects),
	    cmocka_unit_test(test_japanese_filenames),
	    cmocka_unit_test(test_attachment_names),
	    cmocka_unit_test(test_attachment_rfc822),
	    cmocka_unit_test(test_mime_structures),
	    cmocka_unit_test(test_mime_malformed_only_when_broken),
	    cmocka_unit_test(test_malformed_set),
	    cmocka_unit_test(test_malformed_parts_still_walked),
	    cmocka_unit_test(test_spamassassin_types),
	};

	return cmocka_run_group_tests(tests, test_gmime_setup,
				      test_gmime_teardown);
}
