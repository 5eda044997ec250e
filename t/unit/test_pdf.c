/*
 * test_pdf - parser/pdf_lex, pdf_stream and pdf: the tokenizer (names
 * with #xx escapes, literal strings with nested parens and escapes, hex
 * strings, numbers, comments), the filters (Flate, ASCIIHex, ASCII85, the
 * budget and the cap), and the analyzer on PDFs built here: JavaScript
 * directly and by reference under /OpenAction, hidden in a Flate object
 * stream, Launch, URIs, an embedded file scanned as a child part,
 * encryption, and the nesting and object limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "../../parser/pdf.h"
#include "../../parser/pdf_lex.h"
#include "../../parser/pdf_stream.h"

struct t_scan {
	struct scan_limits limits;
	struct report report;
	struct scan_ctx ctx;
	struct part_path path;
	struct part_ctx part;
};

static void t_init(struct t_scan *t, const void *data, size_t len)
{
	static const struct scan_limits defaults = SCAN_LIMITS_DEFAULT;

	memset(t, 0, sizeof(*t));
	t->limits = defaults;
	report_init(&t->report, t->limits.findings);
	t->ctx.limits = &t->limits;
	t->ctx.report = &t->report;
	t->ctx.budget_left = t->limits.decoded_bytes;
	assert_int_equal(path_push(&t->path, "2", 1), 0);
	t->part.path = &t->path;
	t->part.type = FT_PDF;
	t->part.content = span_make(data, len);
}

static void t_free(struct t_scan *t)
{
	report_free(&t->report);
	path_clear(&t->path);
}

/* The detail of the first finding id, or NULL. */
static const char *finding(const struct t_scan *t, const char *id)
{
	for (size_t i = 0; i < t->report.nfindings; i++)
		if (strcmp(t->report.findings[i].id, id) == 0)
			return t->report.findings[i].detail;
	return NULL;
}

static void analyze(struct t_scan *t, const char *pdf)
{
	t_init(t, pdf, strlen(pdf));
	assert_int_equal(pdf_analyze(&t->ctx, &t->part), 0);
}

static void test_lex_tokens(void **state)
{
	const char *src = "%comment\n/J#61va#53cript (a(b)c\\)\\101\\n) "
			  "<48 65 6c6c6f> -12 3.5 << >> [ ] obj /#";
	struct pdf_lex lx;
	struct pdf_token t;
	char name[PDF_NAME_MAX];
	unsigned char str[64];
	size_t n;

	(void)state;
	pdf_lex_init(&lx, span_str(src), 0);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_NAME);
	pdf_lex_name(&lx, &t, name);
	assert_string_equal(name, "JavaScript");
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_STRING);
	n = pdf_lex_string(&lx, &t, str, sizeof(str));
	assert_int_equal(n, 8);
	assert_memory_equal(str, "a(b)c)A\n", 8);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_HEXSTRING);
	n = pdf_lex_string(&lx, &t, str, sizeof(str));
	assert_int_equal(n, 5);
	assert_memory_equal(str, "Hello", 5);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_INT);
	assert_int_equal(t.num, -12);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_REAL);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_DICT_OPEN);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_DICT_CLOSE);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_ARRAY_OPEN);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_ARRAY_CLOSE);
	pdf_lex_next(&lx, &t);
	assert_true(pdf_lex_is(&lx, &t, "obj"));
	pdf_lex_next(&lx, &t); /* a lone '#' at the end stays as it is */
	assert_int_equal(t.type, PDF_T_NAME);
	pdf_lex_name(&lx, &t, name);
	assert_string_equal(name, "#");
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_EOF);
}

static void test_lex_unterminated(void **state)
{
	const char *src = "(never (closed";
	struct pdf_lex lx;
	struct pdf_token t;

	(void)state;
	pdf_lex_init(&lx, span_str(src), 0);
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_STRING);
	assert_int_equal(t.start + t.len, strlen(src));
	pdf_lex_next(&lx, &t);
	assert_int_equal(t.type, PDF_T_EOF);
}

static void test_filters(void **state)
{
	struct t_scan t;
	struct pdf_filters f = {0};
	uint8_t z[256], *out;
	uLongf zlen = sizeof(z);
	size_t len;
	const char *plain = "hello hello hello hello hello";

	(void)state;
	t_init(&t, "", 0);
	assert_int_equal(
	    compress(z, &zlen, (const Bytef *)plain, strlen(plain)), Z_OK);
	f.n = 1;
	strcpy(f.name[0], "FlateDecode");
	assert_int_equal(pdf_stream_decode(&t.ctx, span_make(z, zlen), &f,
					   1 << 20, &out, &len),
			 PDF_DEC_OK);
	assert_int_equal(len, strlen(plain));
	assert_memory_equal(out, plain, len);
	free(out);
	assert_int_equal(t.ctx.budget_left,
			 t.limits.decoded_bytes - strlen(plain));

	/* the cap cuts the output short */
	assert_int_equal(
	    pdf_stream_decode(&t.ctx, span_make(z, zlen), &f, 5, &out, &len),
	    PDF_DEC_CUT);
	assert_int_equal(len, 5);
	free(out);

	/* so does the budget */
	t.ctx.budget_left = 3;
	assert_int_equal(pdf_stream_decode(&t.ctx, span_make(z, zlen), &f,
					   1 << 20, &out, &len),
			 PDF_DEC_CUT);
	assert_int_equal(len, 3);
	assert_int_equal(t.ctx.budget_left, 0);
	free(out);
	t.ctx.budget_left = 1 << 20;

	/* damaged Flate: what came before the damage */
	z[zlen / 2] ^= 0xff;
	pdf_stream_decode(&t.ctx, span_make(z, zlen), &f, 1 << 20, &out, &len);
	assert_true(len <= strlen(plain));
	free(out);

	strcpy(f.name[0], "AHx");
	assert_int_equal(pdf_stream_decode(&t.ctx, span_str("41 42 4>"), &f,
					   100, &out, &len),
			 PDF_DEC_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(out, "AB@", 3);
	free(out);

	strcpy(f.name[0], "ASCII85Decode");
	assert_int_equal(pdf_stream_decode(&t.ctx, span_str("<~87cURDZ~>"), &f,
					   100, &out, &len),
			 PDF_DEC_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "Hello", 5);
	free(out);

	strcpy(f.name[0], "LZWDecode");
	assert_int_equal(
	    pdf_stream_decode(&t.ctx, span_str("x"), &f, 100, &out, &len),
	    PDF_DEC_UNSUPPORTED);
	assert_null(out);
	t_free(&t);
}

static void test_openaction_by_reference(void **state)
{
	struct t_scan t;
	const char *d;

	(void)state;
	analyze(&t, "%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 5 0 R >> "
		    "endobj\n5 0 obj << /S /JavaScript /JS 6 0 R >> endobj\n");
	d = finding(&t, "pdf.javascript");
	assert_non_null(d);
	assert_non_null(strstr(d, "runs when the document is opened"));
	assert_null(finding(&t, "pdf.launch"));
	t_free(&t);

	/* JavaScript nobody opens: found, but not said to run on open */
	analyze(&t, "%PDF-1.4\n5 0 obj << /S /JavaScript /JS (x) >> endobj\n");
	d = finding(&t, "pdf.javascript");
	assert_non_null(d);
	assert_null(strstr(d, "opened"));
	t_free(&t);
}

static void test_objstm(void **state)
{
	const char *inner = "1 0 4 45 << /Type /Catalog /OpenAction 4 0 R >>\n"
			    "<< /S /J#61vaScript /JS (x) >>";
	uint8_t z[512];
	uLongf zlen = sizeof(z);
	char pdf[1024];
	int n;
	struct t_scan t;

	(void)state;
	assert_int_equal(
	    compress(z, &zlen, (const Bytef *)inner, strlen(inner)), Z_OK);
	n = snprintf(pdf, sizeof(pdf),
		     "%%PDF-1.5\n9 0 obj << /Type /ObjStm /N 2 /First 9 "
		     "/Filter /FlateDecode /Length %lu >>\nstream\n",
		     (unsigned long)zlen);
	memcpy(pdf + n, z, zlen);
	memcpy(pdf + n + zlen, "\nendstream\nendobj\n", 18);
	t_init(&t, pdf, (size_t)n + zlen + 18);
	assert_int_equal(pdf_analyze(&t.ctx, &t.part), 0);
	assert_non_null(finding(&t, "pdf.javascript"));
	assert_non_null(strstr(finding(&t, "pdf.javascript"), "opened"));
	assert_true(t.ctx.budget_left < t.limits.decoded_bytes);
	t_free(&t);
}

static void test_launch_uri_encrypt(void **state)
{
	struct t_scan t;

	(void)state;
	analyze(&t, "%PDF-1.4\n1 0 obj << /A << /S /Launch /F (calc.exe) >> "
		    "/B << /S /URI /URI (http://a.example/\\(x\\)) >> >> "
		    "endobj\n");
	assert_string_equal(finding(&t, "pdf.launch"), "launches calc.exe");
	assert_int_equal(t.report.nurls, 1);
	assert_string_equal(t.report.urls[0].url, "http://a.example/(x)");
	assert_null(finding(&t, "pdf.encrypted"));
	t_free(&t);

	/* encrypted: strings are ciphertext, no URL from them */
	analyze(&t, "%PDF-1.4\n1 0 obj << /S /URI /URI (zz) >> endobj\n"
		    "trailer << /Encrypt 2 0 R >>\n");
	assert_non_null(finding(&t, "pdf.encrypted"));
	assert_int_equal(t.report.nurls, 0);
	t_free(&t);
}

static void test_embedded(void **state)
{
	struct t_scan t;

	(void)state;
	analyze(&t, "%PDF-1.4\n6 0 obj << /Type /Filespec /F (a.txt) /UF "
		    "<FEFF0062002E006500780065> /EF << /F 7 0 R >> >> endobj\n"
		    "7 0 obj << /Type /EmbeddedFile /Length 5 >>\nstream\n"
		    "MZ\x90"
		    "ab\nendstream\nendobj\n");
	assert_string_equal(finding(&t, "pdf.embedded_file"), "b.exe");
	/* the child part, under the PDF's path */
	assert_int_equal(t.report.nparts, 1);
	assert_int_equal(t.report.parts[0].path.n, 2);
	assert_string_equal(t.report.parts[0].path.elem[1], "b.exe");
	assert_int_equal(t.report.parts[0].size, 5);
	t_free(&t);
}

static void test_limits(void **state)
{
	struct t_scan t;
	size_t n = 100000;
	char *deep = malloc(n * 2 + 32);
	char *many = malloc(400 * 40);
	size_t len = 0;

	(void)state;
	assert_non_null(deep);
	assert_non_null(many);
	memcpy(deep, "%PDF-1.4\n1 0 obj ", 17);
	for (size_t i = 0; i < n; i++)
		memcpy(deep + 17 + 2 * i, "[ ", 2);
	t_init(&t, deep, 17 + 2 * n);
	assert_int_equal(pdf_analyze(&t.ctx, &t.part), 0);
	assert_non_null(finding(&t, "scan.limit"));
	assert_non_null(strstr(finding(&t, "scan.limit"), "nesting"));
	t_free(&t);

	for (int i = 0; i < 400; i++)
		len +=
		    (size_t)sprintf(many + len, "%d 0 obj << >> endobj\n", i);
	t_init(&t, many, len);
	t.limits.pdf_objects = 100;
	assert_int_equal(pdf_analyze(&t.ctx, &t.part), 0);
	assert_string_equal(finding(&t, "scan.limit"), "PDF objects over 100");
	t_free(&t);
	free(deep);
	free(many);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lex_tokens),
	    cmocka_unit_test(test_lex_unterminated),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_openaction_by_reference),
	    cmocka_unit_test(test_objstm),
	    cmocka_unit_test(test_launch_uri_encrypt),
	    cmocka_unit_test(test_embedded),
	    cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
