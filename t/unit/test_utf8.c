/*
 * test_utf8 - parser/utf8: utf8_valid and utf8_repair on valid text and on
 * every kind of bad sequence (stray continuation, overlong, surrogate,
 * out of range, truncated, NUL). Repaired output must always be valid,
 * keep the good bytes as they were and stay within 3 * len + 1 bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/utf8.h"

#define FFFD "\xef\xbf\xbd"

/* Repairs exactly len bytes copied to a heap block of that size, so an
 * over-read shows under valgrind or ASan. */
static char *repair_exact(const char *bytes, size_t len)
{
	char *copy = malloc(len ? len : 1);
	char *out;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	out = utf8_repair(copy, len);
	free(copy);
	assert_non_null(out);
	assert_true(strlen(out) <= len * 3);
	assert_true(utf8_valid(out, strlen(out)));
	return out;
}

static int valid_exact(const char *bytes, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int v;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	v = utf8_valid(copy, len);
	free(copy);
	return v;
}

static void expect_repair(const char *in, size_t len, const char *want)
{
	char *out = repair_exact(in, len);

	assert_string_equal(out, want);
	free(out);
}

static void test_ascii_and_multibyte_unchanged(void **state)
{
	static const char *const good[] = {
	    "plain ascii, with punctuation ~!@#$%^&*()",
	    "caf\xc3\xa9",		/* 2 bytes */
	    "\xe6\xa4\x9c\xe6\x9f\xbb", /* 検査, 3 bytes */
	    "\xf0\x9f\x8e\x89 party",	/* U+1F389, 4 bytes */
	    "\xef\xbf\xbd",		/* U+FFFD itself */
	    "\xed\x9f\xbf",		/* U+D7FF, below surrogates */
	    "\xee\x80\x80",		/* U+E000, above surrogates */
	    "\xf4\x8f\xbf\xbf",		/* U+10FFFF, the last one */
	    "\xe2\x80\xae",		/* U+202E RTLO is valid text */
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(valid_exact(good[i], strlen(good[i])));
		expect_repair(good[i], strlen(good[i]), good[i]);
	}
}

static void test_empty(void **state)
{
	char *out = utf8_repair("", 0);

	assert_non_null(out);
	assert_string_equal(out, "");
	free(out);
	assert_true(utf8_valid("", 0));
}

static void test_stray_bytes(void **state)
{
	assert_false(valid_exact("a\xff"
				 "b",
				 3));
	expect_repair("a\xff"
		      "b",
		      3, "a" FFFD "b");
	assert_false(valid_exact("\x80", 1));
	expect_repair("\x80", 1, FFFD);
	expect_repair("x\xbf\xbfy", 4, "x" FFFD FFFD "y");
	/* Latin-1 é is not UTF-8 */
	assert_false(valid_exact("caf\xe9", 4));
	expect_repair("caf\xe9", 4, "caf" FFFD);
	assert_false(valid_exact("\xfe", 1));
	assert_false(valid_exact("\xf5\x80\x80\x80", 4));
}

static void test_overlong(void **state)
{
	/* overlong '/' and NUL forms must never come out as '/' or NUL */
	static const char *const overlong[] = {
	    "\xc0\xaf",		"\xc1\xbf", "\xe0\x80\xaf",
	    "\xf0\x80\x80\xaf", "\xc0\x80", "\xe0\x9f\xbf",
	};

	for (size_t i = 0; i < sizeof(overlong) / sizeof(overlong[0]); i++) {
		size_t len = strlen(overlong[i]);
		char *out;

		assert_false(valid_exact(overlong[i], len));
		out = repair_exact(overlong[i], len);
		assert_null(strchr(out, '/'));
		assert_non_null(strstr(out, FFFD));
		assert_null(memmem(out, strlen(out), overlong[i], len));
		free(out);
	}
	expect_repair("\xc0\xaf", 2, FFFD FFFD);
}

static void test_surrogates_and_range(void **state)
{
	static const char *const bad[] = {
	    "\xed\xa0\x80",	/* U+D800 */
	    "\xed\xbf\xbf",	/* U+DFFF */
	    "\xf4\x90\x80\x80", /* U+110000 */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i]);
		char *out;

		assert_false(valid_exact(bad[i], len));
		out = repair_exact(bad[i], len);
		assert_null(memmem(out, strlen(out), bad[i], len));
		assert_non_null(strstr(out, FFFD));
		free(out);
	}
}

static void test_truncated_sequences(void **state)
{
	/* a sequence cut by the end of the buffer: nothing read past it */
	assert_false(valid_exact("ok\xe6\xa4", 4));
	expect_repair("ok\xe6\xa4", 4, "ok" FFFD FFFD);
	assert_false(valid_exact("\xf0\x9f\x8e", 3));
	assert_false(valid_exact("\xc3", 1));
	expect_repair("\xc3", 1, FFFD);
	/* a lead byte followed by ASCII keeps the ASCII */
	expect_repair("\xe6"
		      "ab",
		      3, FFFD "ab");
}

static void test_nul(void **state)
{
	char *out;

	assert_false(valid_exact("a\0b", 3));
	out = repair_exact("a\0b", 3);
	assert_string_equal(out, "a" FFFD "b");
	assert_int_equal(strlen(out), 5);
	free(out);
}

static void test_output_bound(void **state)
{
	char in[256];
	char *out;

	memset(in, 0xff, sizeof(in));
	out = repair_exact(in, sizeof(in));
	assert_int_equal(strlen(out), sizeof(in) * 3);
	free(out);
}

/* Any byte string: the repair is valid, idempotent, and valid input is
 * returned unchanged. Deterministic pseudo-random inputs. */
/* The shared encoder, and UTF-16 names as PDF (BE) and TNEF (LE) give
 * them: pairs joined, a NUL unit ends the text, only whole characters
 * that fit are written. */
static void test_encode_and_utf16(void **state)
{
	static const uint8_t be[] = {0x00, 'A',	 0x30, 0xd1, 0xd8, 0x3d,
				     0xde, 0x00, 0x00, 0x00, 0x00, 'B'};
	static const uint8_t le[] = {'A',  0x00, 0xd1, 0x30, 0x3d, 0xd8,
				     0x00, 0xde, 0x00, 0x00, 'B',  0x00};
	char out[16], b[4];

	assert_int_equal(utf8_encode(0x41, b), 1);
	assert_int_equal(utf8_encode(0xe9, b), 2);
	assert_int_equal(utf8_encode(0x30d1, b), 3);
	assert_int_equal(utf8_encode(0x1f600, b), 4);
	assert_memory_equal(b, "\xf0\x9f\x98\x80", 4);
	utf8_from_utf16(be, sizeof(be), 1, out, sizeof(out));
	assert_string_equal(out, "A\xe3\x83\x91\xf0\x9f\x98\x80");
	utf8_from_utf16(le, sizeof(le), 0, out, sizeof(out));
	assert_string_equal(out, "A\xe3\x83\x91\xf0\x9f\x98\x80");
	utf8_from_utf16(be, sizeof(be), 1, out, 5); /* room for A and パ */
	assert_string_equal(out, "A\xe3\x83\x91");
	utf8_from_utf16(be + 4, 2, 1, out, sizeof(out)); /* lone surrogate */
	assert_string_equal(out, "\xed\xa0\xbd");
}

static void test_random_bytes(void **state)
{
	uint32_t seed = 0x6b656e73;

	for (int round = 0; round < 2000; round++) {
		char in[64];
		size_t len = (size_t)(round % 64);
		char *once, *twice;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* bias towards bytes >= 0x80 to hit multibyte paths */
			in[i] = (char)((seed >> 16) | ((round & 1) ? 0x80 : 0));
		}
		once = repair_exact(in, len);
		twice = repair_exact(once, strlen(once));
		assert_string_equal(once, twice);
		if (valid_exact(in, len))
			assert_memory_equal(once, in, len);
		free(once);
		free(twice);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii_and_multibyte_unchanged),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_stray_bytes),
	    cmocka_unit_test(test_overlong),
	    cmocka_unit_test(test_surrogates_and_range),
	    cmocka_unit_test(test_truncated_sequences),
	    cmocka_unit_test(test_nul),
	    cmocka_unit_test(test_output_bound),
	    cmocka_unit_test(test_encode_and_utf16),
	    cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
