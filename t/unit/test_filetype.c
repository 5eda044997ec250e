/*
 * test_filetype - parser/filetype: filetype_detect on the real Office
 * samples in TESTDATA/office and on small byte strings built here, one per
 * magic number, with the near misses that must not match. Every buffer is
 * copied to a heap block of its exact size so an over-read is caught by
 * valgrind or ASan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/filetype.h"
#include "testutil.h"

static enum filetype detect_exact(const void *bytes, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum filetype t;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	t = filetype_detect(span_make(copy, len));
	free(copy);
	return t;
}

#define DETECT_LIT(lit) detect_exact(lit, sizeof(lit) - 1)

static void expect_file(const char *dir, const char *rel, enum filetype want)
{
	char path[1024];
	size_t len;
	uint8_t *buf;
	enum filetype got;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	buf = test_read_file(path, &len);
	got = filetype_detect(span_make(buf, len));
	free(buf);
	if (got != want)
		fail_msg("%s: detected %s, expected %s", rel,
			 filetype_name(got), filetype_name(want));
}

static void test_office_samples(void **state)
{
	expect_file(TESTDATA, "office/clean/sample.docx", FT_OOXML);
	expect_file(TESTDATA, "office/clean/sample.xlsx", FT_OOXML);
	expect_file(TESTDATA, "office/clean/simple.doc", FT_CFB);
	expect_file(TESTDATA, "office/clean/SampleSS.xls", FT_CFB);
	expect_file(TESTDATA, "office/clean/SimpleWithFormula.xls", FT_CFB);
	expect_file(TESTDATA, "office/macro/SimpleMacro.docm", FT_OOXML);
	expect_file(TESTDATA, "office/macro/SimpleMacro.xlsm", FT_OOXML);
	expect_file(TESTDATA, "office/macro/SimpleMacro.pptm", FT_OOXML);
	expect_file(TESTDATA, "office/macro/xlmmacro.xlsm", FT_OOXML);
	expect_file(TESTDATA, "office/macro/SimpleMacro.doc", FT_CFB);
	expect_file(TESTDATA, "office/macro/SimpleMacro.ppt", FT_CFB);
	expect_file(TESTDATA, "office/macro/libxlsxwriter-vbaProject.bin",
		    FT_CFB);
	/* VBA source dumps are plain text */
	expect_file(TESTDATA, "office/macro/SimpleMacro.document.vba", FT_TEXT);
}

static void test_pe_needs_header_room(void **state)
{
	uint8_t mz[64] = {'M', 'Z', 0x90, 0};

	assert_int_equal(detect_exact(mz, sizeof(mz)), FT_PE);
	/* "MZ" without room for e_lfanew is not taken for a program */
	assert_int_not_equal(detect_exact(mz, 63), FT_PE);
	assert_int_not_equal(DETECT_LIT("MZ"), FT_PE);
	assert_int_equal(DETECT_LIT("MZ is a text that starts like a program, "
				    "long enough to pass sixty-four bytes."),
			 FT_PE);
}

static void test_elf(void **state)
{
	uint8_t elf[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};

	assert_int_equal(detect_exact(elf, sizeof(elf)), FT_ELF);
	assert_int_not_equal(DETECT_LIT("\x7f"
					"EL"),
			     FT_ELF);
}

static void test_zip_and_ooxml(void **state)
{
	static const char zip[] = "PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0"
				  "\0\0\0\0\0\0\0\0\x05\0\0\0a.txt";
	static const char ooxml[] =
	    "PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\x13\0\0\0[Content_Types].xml";
	static const char empty_zip[] = "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0"
					"\0\0\0\0\0\0";

	assert_int_equal(detect_exact(zip, sizeof(zip) - 1), FT_ZIP);
	assert_int_equal(detect_exact(ooxml, sizeof(ooxml) - 1), FT_OOXML);
	assert_int_equal(detect_exact(empty_zip, sizeof(empty_zip) - 1),
			 FT_ZIP);
}

/*
 * Regression (was a bug in parser/filetype.c, is_ooxml): a plain ZIP archive
 * that holds a .docx stored without compression is classed FT_OOXML, because
 * the string "[Content_Types].xml" is searched anywhere in the whole file (the
 * inner document's local header) instead of among the archive's own entry
 * names, and past the 64 KiB the header promises. Fixture:
 * t/data/zip-holding-docx.zip (notes.txt + report.docx, stored).
 */
static void test_zip_holding_stored_docx_is_zip(void **state)
{
	expect_file(SRCDIR, "t/data/zip-holding-docx.zip", FT_ZIP);
}

static void test_cfb(void **state)
{
	uint8_t cfb[512] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};

	assert_int_equal(detect_exact(cfb, sizeof(cfb)), FT_CFB);
	assert_int_equal(detect_exact(cfb, 8), FT_CFB);
	assert_int_not_equal(detect_exact(cfb, 7), FT_CFB);
}

static void test_pdf_rtf(void **state)
{
	assert_int_equal(DETECT_LIT("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), FT_PDF);
	/* readers accept a header after leading junk (within 1 KiB) */
	assert_int_equal(DETECT_LIT("junk before\n%PDF-1.4\n"), FT_PDF);
	assert_int_equal(DETECT_LIT("{\\rtf1\\ansi\\deff0 hello}"), FT_RTF);
	/* Word opens "{\rt" files as RTF too */
	assert_int_equal(DETECT_LIT("{\\rtx}"), FT_RTF);
	assert_int_not_equal(DETECT_LIT("{rtf}"), FT_RTF);
}

static void test_iso_udf(void **state)
{
	size_t len = 0x9000;
	uint8_t *img = calloc(1, len);

	assert_non_null(img);
	memcpy(img + 0x8000,
	       "\x01"
	       "CD001\x01",
	       7);
	assert_int_equal(detect_exact(img, len), FT_ISO);
	/* the descriptor cut by the end of the buffer */
	assert_int_not_equal(detect_exact(img, 0x8004), FT_ISO);
	memset(img + 0x8000, 0, 7);
	memcpy(img + 0x8800,
	       "\x01"
	       "CD001\x01",
	       7);
	assert_int_equal(detect_exact(img, len), FT_ISO);
	memset(img + 0x8800, 0, 7);
	assert_int_equal(detect_exact(img, len), FT_BINARY);

	memcpy(img + 0x8000, "\0BEA01\x01", 7);
	memcpy(img + 0x8800, "\0NSR02\x01", 7);
	assert_int_equal(detect_exact(img, len), FT_UDF);
	memset(img + 0x8000, 0, 7);
	assert_int_equal(detect_exact(img, len), FT_UDF); /* NSR02 alone */
	free(img);
}

static void test_vhd(void **state)
{
	size_t len = 4096;
	uint8_t *disk = calloc(1, len);

	assert_non_null(disk);
	/* fixed VHD: the footer is the last 512 bytes */
	memcpy(disk + len - 512, "conectix", 8);
	assert_int_equal(detect_exact(disk, len), FT_VHD);
	/* dynamic VHD: a copy of the footer at the start */
	memset(disk + len - 512, 0, 8);
	memcpy(disk, "conectix", 8);
	assert_int_equal(detect_exact(disk, len), FT_VHD);
	memcpy(disk, "vhdxfile", 8);
	assert_int_equal(detect_exact(disk, len), FT_VHD);
	memcpy(disk, "conectiX", 8);
	assert_int_not_equal(detect_exact(disk, len), FT_VHD);
	free(disk);
}

static void test_lnk_onenote(void **state)
{
	uint8_t lnk[76] = {0x4c, 0, 0,	  0, 0x01, 0x14, 0x02, 0, 0, 0,
			   0,	 0, 0xc0, 0, 0,	   0,	 0,    0, 0, 0x46};
	uint8_t one[64] = {0xe4, 0x52, 0x5c, 0x7b, 0x8c, 0xd8, 0xa7, 0x4d,
			   0xae, 0xb1, 0x53, 0x78, 0xd0, 0x29, 0x96, 0xd3};

	assert_int_equal(detect_exact(lnk, sizeof(lnk)), FT_LNK);
	lnk[4] = 0x02;
	assert_int_not_equal(detect_exact(lnk, sizeof(lnk)), FT_LNK);
	assert_int_equal(detect_exact(one, sizeof(one)), FT_ONENOTE);
	one[15] = 0;
	assert_int_not_equal(detect_exact(one, sizeof(one)), FT_ONENOTE);
}

static void test_html_sniff(void **state)
{
	assert_int_equal(DETECT_LIT("<!DOCTYPE html><html></html>"), FT_HTML);
	assert_int_equal(DETECT_LIT("<!doctype HTML>"), FT_HTML);
	assert_int_equal(DETECT_LIT("\r\n  \t<HTML><body>x</body>"), FT_HTML);
	assert_int_equal(DETECT_LIT("\xef\xbb\xbf<html>"), FT_HTML);
	assert_int_equal(DETECT_LIT("<!-- saved from url -->\n<p>"), FT_HTML);
	assert_int_equal(DETECT_LIT("<script>atob('x')</script>"), FT_HTML);
	assert_int_equal(DETECT_LIT("<svg onload=alert(1)>"), FT_HTML);
	/* a tag further into the text does not make it HTML */
	assert_int_equal(DETECT_LIT("Dear customer, see <html> below\n"),
			 FT_TEXT);
	assert_int_equal(DETECT_LIT("<htm"), FT_TEXT);
}

static void test_images_and_archives(void **state)
{
	assert_int_equal(DETECT_LIT("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), FT_PNG);
	assert_int_not_equal(DETECT_LIT("\x89PNG\r\n\x1a"), FT_PNG);
	assert_int_equal(DETECT_LIT("\xff\xd8\xff\xe0\0\x10JFIF"), FT_JPEG);
	assert_int_equal(DETECT_LIT("GIF87a\x01\0\x01\0"), FT_GIF);
	assert_int_equal(DETECT_LIT("GIF89a\x01\0\x01\0"), FT_GIF);
	assert_int_not_equal(DETECT_LIT("GIF88a\x01\0\x01\0"), FT_GIF);
	assert_int_equal(DETECT_LIT("\x1f\x8b\x08\0\0\0\0\0"), FT_GZIP);
	assert_int_equal(DETECT_LIT("Rar!\x1a\x07\0\xcf"), FT_RAR);
	assert_int_equal(DETECT_LIT("Rar!\x1a\x07\x01\0"), FT_RAR); /* RAR5 */
	assert_int_equal(DETECT_LIT("7z\xbc\xaf\x27\x1c\0\x04"), FT_7Z);
	assert_int_equal(DETECT_LIT("MSCF\0\0\0\0\x10\0\0\0"), FT_CAB);
	assert_int_not_equal(DETECT_LIT("MSCF\x01\0\0\0\x10\0\0\0"), FT_CAB);
	assert_int_equal(DETECT_LIT("BZh91AY&SY"), FT_BZIP2);
	assert_int_not_equal(DETECT_LIT("BZh01AY&SY"), FT_BZIP2);
	assert_int_equal(DETECT_LIT("\xfd"
				    "7zXZ\0\0\x04"),
			 FT_XZ);
	assert_int_equal(DETECT_LIT("\0\0-lh5-\0\0"), FT_LHA);
	assert_int_not_equal(DETECT_LIT("\0\0-lh5x\0\0"), FT_LHA);
}

/* tar: "ustar" at 257, after the first member's name and fields */
static void test_tar(void **state)
{
	uint8_t tar[512] = "invoice.exe";

	memcpy(tar + 257,
	       "ustar\0"
	       "00",
	       8);
	assert_int_equal(filetype_detect(span_make(tar, sizeof(tar))), FT_TAR);
	assert_int_not_equal(filetype_detect(span_make(tar, 261)), FT_TAR);
	assert_string_equal(filetype_name(FT_TAR), "tar");
	assert_string_equal(filetype_mime(FT_XZ), "application/x-xz");
}

static void test_text_binary_empty(void **state)
{
	static const uint8_t sjis[] = {0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9,
				       0x82, 0xbf, 0x82, 0xcd, '\r', '\n'};
	static const uint8_t utf16[] = {'h', 0, 'i', 0, '\n', 0};
	uint8_t controls[100];

	assert_int_equal(detect_exact("", 0), FT_EMPTY);
	assert_int_equal(DETECT_LIT("hello world\r\n\tindented\f\n"), FT_TEXT);
	assert_int_equal(DETECT_LIT("\xe6\xa4\x9c\xe6\x9f\xbb\n"), FT_TEXT);
	assert_int_equal(detect_exact(sjis, sizeof(sjis)), FT_TEXT);
	assert_int_equal(DETECT_LIT("\x1b$B$9$_$^$;$s\x1b(B\n"), FT_TEXT);
	assert_int_equal(detect_exact(utf16, sizeof(utf16)), FT_BINARY);
	assert_int_equal(DETECT_LIT("a\0b"), FT_BINARY);
	memset(controls, 0x01, sizeof(controls));
	memcpy(controls, "text", 4);
	assert_int_equal(detect_exact(controls, sizeof(controls)), FT_BINARY);
	assert_int_equal(DETECT_LIT("x"), FT_TEXT);
}

/* Text is judged on its first 4096 bytes, eight at a time where none is
 * below 0x20: a NUL or a control anywhere in them counts, one after them
 * does not; one control in ten bytes is still text, more is not. */
static void test_text_window(void **state)
{
	static uint8_t buf[5000];

	(void)state;
	for (size_t at = 4088; at < 4100; at++) {
		memset(buf, 'a', sizeof(buf));
		buf[at] = 0;
		assert_int_equal(detect_exact(buf, sizeof(buf)),
				 at < 4096 ? FT_BINARY : FT_TEXT);
	}
	memset(buf, 'a', sizeof(buf));
	for (size_t i = 0; i < 409; i++)
		buf[i * 10 + 3] = 0x01;
	assert_int_equal(detect_exact(buf, sizeof(buf)), FT_TEXT);
	buf[4095] = 0x02;
	assert_int_equal(detect_exact(buf, sizeof(buf)), FT_BINARY);
	/* the bytes after the last eight */
	memset(buf, 'a', 13);
	buf[12] = 0x03;
	assert_int_equal(detect_exact(buf, 13), FT_TEXT);
	buf[9] = 0x04;
	assert_int_equal(detect_exact(buf, 13), FT_BINARY);
	buf[9] = buf[12] = 0;
	assert_int_equal(detect_exact(buf, 13), FT_BINARY);
}

static void test_names_and_mime(void **state)
{
	for (int t = 0; t < FT_COUNT; t++) {
		const char *name = filetype_name((enum filetype)t);
		const char *mime = filetype_mime((enum filetype)t);
		assert_non_null(name);
		assert_non_null(mime);
		assert_non_null(strchr(mime, '/'));
		for (int u = 0; u < t; u++)
			assert_string_not_equal(
			    name, filetype_name((enum filetype)u));
	}
	assert_string_equal(filetype_name(FT_PE), "pe");
	assert_string_equal(filetype_mime(FT_PDF), "application/pdf");
	assert_string_equal(filetype_mime(FT_HTML), "text/html");
	assert_string_equal(filetype_name(FT_COUNT), "binary");
	assert_string_equal(filetype_mime((enum filetype)1000),
			    "application/octet-stream");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_office_samples),
	    cmocka_unit_test(test_pe_needs_header_room),
	    cmocka_unit_test(test_elf),
	    cmocka_unit_test(test_zip_and_ooxml),
	    cmocka_unit_test(test_zip_holding_stored_docx_is_zip),
	    cmocka_unit_test(test_cfb),
	    cmocka_unit_test(test_pdf_rtf),
	    cmocka_unit_test(test_iso_udf),
	    cmocka_unit_test(test_vhd),
	    cmocka_unit_test(test_lnk_onenote),
	    cmocka_unit_test(test_html_sniff),
	    cmocka_unit_test(test_images_and_archives),
	    cmocka_unit_test(test_tar),
	    cmocka_unit_test(test_text_binary_empty),
	    cmocka_unit_test(test_text_window),
	    cmocka_unit_test(test_names_and_mime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
