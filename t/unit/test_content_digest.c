/*
 * test_content_digest - parser/content_digest: the digest leaves out
 * Received and X-Kensa-Released fields (any case, with their continuation
 * lines) and nothing else, and is the same whether the message comes
 * whole or in pieces of any size (as the daemon's spool feeds it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/content_digest.h"

static void digest(const char *m, char hex[65])
{
	assert_int_equal(content_digest(span_str(m), hex), 0);
}

static void test_trace_fields_ignored(void **state)
{
	char a[65], b[65], c[65];

	digest("From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n", a);
	digest("Received: from x\r\n\tby y; Mon, 1 Jan 2024\r\n"
	       "From: a@example.org\r\nreceived: from z\r\n"
	       "X-KENSA-RELEASED: 20260101T000000Z-0123456789ab; hmac=00\r\n"
	       "Subject: hi\r\n\r\nbody\r\n",
	       b);
	assert_string_equal(a, b);
	/* anything else counts: a header, the body, a continuation */
	digest("From: a@example.org\r\nSubject: hi\r\n\r\nbody!\r\n", c);
	assert_string_not_equal(a, c);
	digest("From: a@example.org\r\nSubject: hi\r\n there\r\n\r\nbody\r\n", c);
	assert_string_not_equal(a, c);
	digest("From: a@example.org\r\nReceived-SPF: pass\r\nSubject: hi\r\n\r\n"
	       "body\r\n",
	       c);
	assert_string_not_equal(a, c);
	/* a Received: line in the body is body */
	digest("From: a@example.org\r\nSubject: hi\r\n\r\nReceived: x\r\n", c);
	assert_string_not_equal(a, c);
}

static void test_pieces(void **state)
{
	static const char m[] =
	    "Received: from a very long host name that goes on and on\r\n"
	    "\tby another.example with ESMTP id 12345; Mon, 1 Jan 2024\r\n"
	    "X-A-Very-Long-Header-Name-Indeed-Longer-Than-32: value value\r\n"
	    "Subject: pieces\r\n\r\nline one\r\nline two\r\n";
	char whole[65], part[65];

	digest(m, whole);
	for (size_t step = 1; step <= sizeof(m); step += 3) {
		struct content_digest cd;
		assert_int_equal(content_digest_init(&cd), 0);
		for (size_t off = 0; off < sizeof(m) - 1; off += step) {
			size_t n = sizeof(m) - 1 - off < step ? sizeof(m) - 1 - off
							     : step;
			assert_int_equal(content_digest_update(&cd, m + off, n),
					 0);
		}
		assert_int_equal(content_digest_final(&cd, part), 0);
		assert_string_equal(whole, part);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trace_fields_ignored),
	    cmocka_unit_test(test_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
