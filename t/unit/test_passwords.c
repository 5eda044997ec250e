/*
 * test_passwords - parser/passwords: the password candidates a message
 * gives. Labels in every listed language, with ASCII and full-width
 * colons, spaces and brackets; the password on the next line; the order
 * of the tiers (labelled, other tokens, common); where each came from;
 * HTML; and the bounds (tokens per tier, token length, text length).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/passwords.h"

static const struct passwords_candidate *first(const struct passwords *p)
{
	const struct passwords_candidate *c = passwords_get(p, 0);

	assert_non_null(c);
	return c;
}

/* text gives want as its first candidate, found after a label */
static void expect_first(const char *text, const char *want, const char *origin)
{
	struct passwords p;
	const struct passwords_candidate *c;

	passwords_init(&p, 100);
	assert_int_equal(passwords_add_text(&p, "body", span_str(text)), 0);
	if (passwords_count(&p) == 0)
		fail_msg("'%s': no candidate, expected '%s'", text, want);
	c = first(&p);
	if (strcmp(c->text, want) != 0)
		fail_msg("'%s': first candidate '%s', expected '%s'", text,
			 c->text, want);
	if (origin && strcmp(c->origin, origin) != 0)
		fail_msg("'%s': origin '%s', expected '%s'", text, c->origin,
			 origin);
	assert_int_equal(p.n[PASSWORDS_LABELLED] > 0, 1);
	passwords_free(&p);
}

/* text gives want somewhere among its labelled candidates */
static void expect_labelled(const char *text, const char *want)
{
	struct passwords p;

	passwords_init(&p, 100);
	assert_int_equal(passwords_add_text(&p, "body", span_str(text)), 0);
	for (size_t i = 0; i < p.n[PASSWORDS_LABELLED]; i++)
		if (strcmp(p.tier[PASSWORDS_LABELLED][i].text, want) == 0) {
			passwords_free(&p);
			return;
		}
	fail_msg("'%s': '%s' not among the labelled candidates", text, want);
}

/* text gives no candidate after a label */
static void expect_no_labelled(const char *text)
{
	struct passwords p;

	passwords_init(&p, 100);
	assert_int_equal(passwords_add_text(&p, "body", span_str(text)), 0);
	if (p.n[PASSWORDS_LABELLED] != 0)
		fail_msg("'%s': labelled candidate '%s'", text,
			 p.tier[PASSWORDS_LABELLED][0].text);
	passwords_free(&p);
}

static void test_japanese_labels(void **state)
{
	(void)state;
	expect_first("パスワード：abc123", "abc123",
		     "body line 1, after パスワード");
	expect_first("パスワード:abc123", "abc123", NULL);
	expect_first("パスワード : abc123", "abc123", NULL);
	expect_first("パスワード　abc123", "abc123", NULL);
	expect_first("パスワード：　abc123", "abc123", NULL);
	expect_first("【パスワード】abc123", "abc123", NULL);
	expect_first("【パスワード】：abc123", "abc123", NULL);
	expect_first("パスワード【abc123】", "abc123", NULL);
	expect_first("パスワード「abc123」", "abc123", NULL);
	expect_first("パスワードは「abc123」です。", "abc123", NULL);
	expect_first("パスワード『abc 123』", "abc 123", NULL);
	expect_first("パス：abc123", "abc123", "body line 1, after パス");
	expect_first("暗証番号：4711", "4711", NULL);
	expect_first("解凍：abc123", "abc123", NULL);
	expect_labelled("解凍パスワード：abc123", "abc123");
	expect_labelled("パスワードはabc123です", "abc123");
	expect_labelled("パスワード：abc123。", "abc123");
	expect_labelled("パスワード：ａｂｃ１２３", "abc123");
	expect_labelled("ＰＷ：abc123", "abc123");
	expect_labelled("ＰＡＳＳＷＯＲＤ　：　abc123", "abc123");
}

static void test_other_labels(void **state)
{
	(void)state;
	expect_first("Password: sa", "sa", "body line 1, after Password");
	expect_first("PASSWORD:sa", "sa", NULL);
	expect_first("passwd = sa", "sa", NULL);
	expect_first("Pass: sa", "sa", NULL);
	expect_first("PW: sa", "sa", NULL);
	expect_first("pwd: sa", "sa", NULL);
	expect_first("Code: 8812", "8812", NULL);
	expect_first("Kennwort: geheim", "geheim", NULL);
	expect_first("Das Kennwort ist: geheim", "geheim", NULL);
	expect_first("mot de passe : secret", "secret", NULL);
	expect_first("Contraseña: secreto", "secreto", NULL);
	expect_first("La contraseña es: secreto", "secreto", NULL);
	expect_first("senha: segredo", "segredo", NULL);
	expect_first("The password is \"q w e\"", "q w e", NULL);
	expect_first("password: 'k3y'", "k3y", NULL);
	expect_first("password: “k3y”", "k3y", NULL);
	expect_labelled("Password: abc123.", "abc123");
	expect_labelled("Password: abc123.", "abc123.");
	/* a label inside a word is none */
	expect_no_labelled("bypass: x1 compass: y2");
}

static void test_next_line(void **state)
{
	(void)state;
	expect_first("パスワード：\nabc123\n", "abc123",
		     "body line 2, after パスワード");
	expect_first("Password:\r\n\r\n  abc123\r\n", "abc123",
		     "body line 3, after Password");
	/* two blank lines at most */
	expect_no_labelled("Password:\n\n\n\nlater\n");
}

static void test_order_and_origin(void **state)
{
	struct passwords p;
	const struct passwords_candidate *c;
	size_t n;

	(void)state;
	passwords_init(&p, 100);
	assert_int_equal(
	    passwords_add_text(&p, "subject", span_str("Invoice 4471 pw: s1")),
	    0);
	assert_int_equal(passwords_add_text(&p, "body",
					    span_str("Hello,\nfiles attached.\n"
						     "\n"
						     "パスワード：b2\n")),
			 0);
	assert_int_equal(passwords_add_common(&p, "infected  1234\tb2"), 0);
	/* labelled first, in the order met */
	c = passwords_get(&p, 0);
	assert_string_equal(c->text, "s1");
	assert_string_equal(c->origin, "subject, after pw");
	c = passwords_get(&p, 1);
	assert_string_equal(c->text, "b2");
	assert_string_equal(c->origin, "body line 4, after パスワード");
	/* then the other tokens, then the common ones, no duplicates */
	n = passwords_count(&p);
	assert_int_equal(n, p.n[0] + p.n[1] + p.n[2]);
	c = passwords_get(&p, p.n[0]);
	assert_string_equal(c->text, "Invoice");
	assert_string_equal(c->origin, "subject");
	for (size_t i = p.n[0]; i < p.n[0] + p.n[1]; i++) {
		c = passwords_get(&p, i);
		if (strcmp(c->text, "files") == 0)
			assert_string_equal(c->origin, "body line 2");
		assert_string_not_equal(c->text, "b2");
	}
	assert_int_equal(p.n[PASSWORDS_COMMON], 2);
	assert_string_equal(passwords_get(&p, n - 2)->text, "infected");
	assert_string_equal(passwords_get(&p, n - 1)->text, "1234");
	assert_string_equal(passwords_get(&p, n - 1)->origin,
			    "common passwords");
	assert_null(passwords_get(&p, n));
	passwords_free(&p);
}

static void test_other_tokens(void **state)
{
	struct passwords p;

	(void)state;
	passwords_init(&p, 100);
	assert_int_equal(
	    passwords_add_text(
		&p, "body",
		span_str("(use x7Kq!) to open \"it\". 日本語 a "
			 "0123456789012345678901234567890123456789")),
	    0);
	assert_int_equal(p.n[PASSWORDS_LABELLED], 0);
	/* punctuation trimmed, one-byte, non-ASCII and over-long dropped */
	assert_int_equal(p.n[PASSWORDS_TOKEN], 5);
	assert_string_equal(p.tier[PASSWORDS_TOKEN][0].text, "use");
	assert_string_equal(p.tier[PASSWORDS_TOKEN][1].text, "x7Kq");
	assert_string_equal(p.tier[PASSWORDS_TOKEN][2].text, "to");
	assert_string_equal(p.tier[PASSWORDS_TOKEN][3].text, "open");
	assert_string_equal(p.tier[PASSWORDS_TOKEN][4].text, "it");
	passwords_free(&p);
}

static void test_html(void **state)
{
	struct passwords p;
	static const char html[] =
	    "<html><head><style>p{password:red}</style>"
	    "<script>var password = 'nope';</script></head><body>"
	    "<p>Hello</p><p>&#x30D1;&#12473;&#x30EF;&#x30FC;&#x30C9;&#xFF1A;"
	    "<b>abc&amp;1</b></p><div>pw&nbsp;:&nbsp;zz9</div></body></html>";

	(void)state;
	passwords_init(&p, 100);
	assert_int_equal(passwords_add_html(&p, "html body", span_str(html)),
			 0);
	assert_true(p.n[PASSWORDS_LABELLED] >= 2);
	assert_string_equal(p.tier[PASSWORDS_LABELLED][0].text, "abc&1");
	assert_string_equal(p.tier[PASSWORDS_LABELLED][0].origin,
			    "html body line 2, after パスワード");
	for (size_t i = 0; i < passwords_count(&p); i++) {
		assert_string_not_equal(passwords_get(&p, i)->text, "nope");
		assert_string_not_equal(passwords_get(&p, i)->text, "red}");
	}
	passwords_free(&p);
	/* broken markup: an open tag or entity at the very end */
	passwords_init(&p, 100);
	assert_int_equal(
	    passwords_add_html(&p, "html body", span_str("pw: x1 <b")), 0);
	assert_int_equal(
	    passwords_add_html(&p, "html body", span_str("pw: x2 &#12")), 0);
	assert_int_equal(
	    passwords_add_html(&p, "html body", span_str("<script>pw: x3")), 0);
	assert_int_equal(p.n[PASSWORDS_LABELLED], 2);
	passwords_free(&p);
}

static void test_bounds(void **state)
{
	struct passwords p;
	char *text, *long_token;
	size_t n = 0, len = 2 * PASSWORDS_TEXT_BYTES;

	(void)state;
	/* at most max_tokens per tier */
	text = malloc(len + 64);
	assert_non_null(text);
	for (unsigned i = 0; n < len; i++)
		n += (size_t)sprintf(text + n, "pw: t%u w%u\n", i, i);
	passwords_init(&p, 7);
	assert_int_equal(passwords_add_text(&p, "body", span_make(text, n)), 0);
	assert_int_equal(p.n[PASSWORDS_LABELLED], 7);
	assert_int_equal(p.n[PASSWORDS_TOKEN], 7);
	passwords_free(&p);
	/* 0: no candidates from the texts at all */
	passwords_init(&p, 0);
	assert_int_equal(passwords_add_text(&p, "body", span_str("pw: x")), 0);
	assert_int_equal(passwords_count(&p), 0);
	passwords_free(&p);
	/* only the first PASSWORDS_TEXT_BYTES are read */
	memset(text, ' ', len);
	memcpy(text + PASSWORDS_TEXT_BYTES + 10, "pw: late", 8);
	passwords_init(&p, 100);
	assert_int_equal(passwords_add_text(&p, "body", span_make(text, len)),
			 0);
	assert_int_equal(passwords_count(&p), 0);
	passwords_free(&p);
	free(text);
	/* a token longer than PASSWORDS_TOKEN_BYTES is no candidate */
	long_token = malloc(PASSWORDS_TOKEN_BYTES + 16);
	assert_non_null(long_token);
	memcpy(long_token, "pw: ", 4);
	memset(long_token + 4, 'k', PASSWORDS_TOKEN_BYTES + 1);
	long_token[PASSWORDS_TOKEN_BYTES + 5] = '\0';
	passwords_init(&p, 100);
	assert_int_equal(passwords_add_text(&p, "body", span_str(long_token)),
			 0);
	assert_int_equal(p.n[PASSWORDS_LABELLED], 0);
	passwords_free(&p);
	free(long_token);
	/* Regression (found by fuzz_scan): an empty text part's bytes are
	 * NULL; UBSan refused the line split's NULL + 0 */
	passwords_init(&p, 100);
	assert_int_equal(passwords_add_text(&p, "body", span_make(NULL, 0)), 0);
	assert_int_equal(
	    passwords_add_html(&p, "html body", span_make(NULL, 0)), 0);
	assert_int_equal(passwords_count(&p), 0);
	passwords_free(&p);
	/* NUL bytes never reach a candidate */
	passwords_init(&p, 100);
	assert_int_equal(
	    passwords_add_text(&p, "body", span_make("pw: a\0b", 7)), 0);
	for (size_t i = 0; i < passwords_count(&p); i++)
		assert_int_equal(strlen(passwords_get(&p, i)->text),
				 passwords_get(&p, i)->len);
	passwords_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_japanese_labels),
	    cmocka_unit_test(test_other_labels),
	    cmocka_unit_test(test_next_line),
	    cmocka_unit_test(test_order_and_origin),
	    cmocka_unit_test(test_other_tokens),
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
