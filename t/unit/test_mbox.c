/*
 * test_mbox - cli/mbox: mbox_is_mbox, and mbox_next splitting only at
 * "From " lines that start the file or follow a blank line (LF or CRLF);
 * the separator line is not part of a message; a "From " inside a
 * paragraph, ">From " and "From:" never split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/mbox.h"

/* Splits text (copied to an exact heap block); returns the count and
 * copies up to max messages, NUL-terminated, into out[]. */
static size_t split(const char *text, char **out, size_t max)
{
	size_t len = strlen(text), off = 0, n = 0;
	uint8_t *copy = malloc(len ? len : 1);
	struct span file, msg;
	int rc;

	assert_non_null(copy);
	memcpy(copy, text, len);
	file = span_make(copy, len);
	while ((rc = mbox_next(file, &off, &msg)) == 0) {
		assert_true(msg.ptr >= copy && msg.ptr + msg.len <= copy + len);
		if (n < max) {
			out[n] = malloc(msg.len + 1);
			assert_non_null(out[n]);
			memcpy(out[n], msg.ptr, msg.len);
			out[n][msg.len] = '\0';
		}
		n++;
		assert_true(n < 1000);
	}
	assert_int_equal(rc, 1);
	assert_int_equal(off, len);
	free(copy);
	return n;
}

static void free_all(char **msgs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(msgs[i]);
}

static void test_is_mbox(void **state)
{
	assert_true(
	    mbox_is_mbox(span_str("From a@b Mon Jan  1 00:00:00 2024\n")));
	assert_false(mbox_is_mbox(span_str("From: a@b\n")));
	assert_false(mbox_is_mbox(span_str("Return-Path: <a@b>\n")));
	assert_false(mbox_is_mbox(span_str("from a@b\n")));
	assert_false(mbox_is_mbox(span_str("From")));
	assert_false(mbox_is_mbox(span_str("")));
	assert_false(mbox_is_mbox(span_str(" From a@b\n")));
}

static void test_three_messages(void **state)
{
	static const char box[] =
	    "From a@example.com Mon Jan  1 00:00:00 2024\n"
	    "Subject: one\n"
	    "\n"
	    "first body\n"
	    "\n"
	    "From b@example.com Mon Jan  1 00:00:01 2024\n"
	    "Subject: two\n"
	    "\n"
	    "second body\n"
	    "\n"
	    "From c@example.com Mon Jan  1 00:00:02 2024\n"
	    "Subject: three\n"
	    "\n"
	    "third body, no final newline";
	char *m[4];
	size_t n = split(box, m, 4);

	assert_int_equal(n, 3);
	assert_int_equal(strncmp(m[0], "Subject: one\n\nfirst body\n", 25), 0);
	assert_int_equal(strncmp(m[1], "Subject: two\n\nsecond body\n", 26), 0);
	assert_string_equal(m[2],
			    "Subject: three\n\nthird body, no final newline");
	for (size_t i = 0; i < n; i++) {
		assert_null(strstr(m[i], "From "));
		/* at most the blank separator line is left at the end */
		assert_null(strstr(m[i], "\n\n\n"));
	}
	free_all(m, n);
}

static void test_from_in_body_does_not_split(void **state)
{
	static const char box[] =
	    "From a@example.com Mon Jan  1 00:00:00 2024\n"
	    "Subject: one\n"
	    "\n"
	    "a paragraph\n"
	    "From here on, no split: no blank line before\n"
	    ">From quoted, no split\n"
	    "\n"
	    ">From quoted after a blank line, no split\n"
	    "\n"
	    "From: a header-like line, no split\n"
	    "\n"
	    "From b@example.com Mon Jan  1 00:00:01 2024\n"
	    "Subject: two\n"
	    "\n"
	    "second\n";
	char *m[3];
	size_t n = split(box, m, 3);

	assert_int_equal(n, 2);
	assert_non_null(strstr(m[0], "From here on, no split"));
	assert_non_null(strstr(m[0], ">From quoted after a blank line"));
	assert_non_null(strstr(m[0], "From: a header-like line"));
	assert_null(strstr(m[0], "Subject: two"));
	assert_int_equal(strncmp(m[1], "Subject: two\n", 13), 0);
	free_all(m, n);
}

static void test_crlf(void **state)
{
	static const char box[] =
	    "From a@example.com Mon Jan  1 00:00:00 2024\r\n"
	    "Subject: one\r\n"
	    "\r\n"
	    "body one\r\n"
	    "\r\n"
	    "From b@example.com Mon Jan  1 00:00:01 2024\r\n"
	    "Subject: two\r\n"
	    "\r\n"
	    "body two\r\n";
	char *m[3];
	size_t n = split(box, m, 3);

	assert_int_equal(n, 2);
	assert_int_equal(strncmp(m[0], "Subject: one\r\n", 14), 0);
	assert_null(strstr(m[0], "Subject: two"));
	assert_string_equal(m[1], "Subject: two\r\n\r\nbody two\r\n");
	free_all(m, n);
}

static void test_single_and_empty(void **state)
{
	char *m[2];
	size_t n;

	n = split("From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody\n", m,
		  2);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "Subject: x\n\nbody\n");
	free_all(m, n);

	/* a separator with nothing after it */
	n = split("From a@b Mon Jan  1 00:00:00 2024\n", m, 2);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "");
	free_all(m, n);

	/* a separator line without a newline */
	n = split("From a@b", m, 2);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "");
	free_all(m, n);

	/* nothing at all */
	assert_int_equal(split("", m, 2), 0);
}

static void test_consecutive_separators(void **state)
{
	static const char box[] = "From a@b Mon Jan  1 00:00:00 2024\n"
				  "\n"
				  "From c@d Mon Jan  1 00:00:01 2024\n"
				  "Subject: second\n"
				  "\n"
				  "x\n";
	char *m[3];
	size_t n = split(box, m, 3);

	assert_int_equal(n, 2);
	assert_string_equal(m[0], "\n");
	assert_string_equal(m[1], "Subject: second\n\nx\n");
	free_all(m, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_is_mbox),
	    cmocka_unit_test(test_three_messages),
	    cmocka_unit_test(test_from_in_body_does_not_split),
	    cmocka_unit_test(test_crlf),
	    cmocka_unit_test(test_single_and_empty),
	    cmocka_unit_test(test_consecutive_separators),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
