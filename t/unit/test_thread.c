/*
 * test_thread - parser/thread_subject, parser/thread_quote and the
 * sender check of parser/thread: reply and forward prefixes in many
 * languages, stacked, counted, full-width, with list tags, and what must
 * not count as one; the base subject the ledger hashes; quoted header
 * blocks and attribution lines in every listed language, '>'-quoted, in
 * HTML; the participants (names, addresses, names alone); the bounds;
 * and whether a sender is in a quoted thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../parser/thread.h"
#include "../../parser/thread_quote.h"
#include "../../parser/thread_subject.h"

static void expect_subject(const char *subject, enum thread_subject_kind kind,
			   unsigned replies, unsigned forwards,
			   const char *base)
{
	struct thread_subject s;

	assert_int_equal(thread_subject_parse(span_str(subject), &s), 0);
	if (s.kind != kind || s.replies != replies || s.forwards != forwards ||
	    strcmp(s.base, base) != 0)
		fail_msg("'%s': kind %d replies %u forwards %u base '%s', "
			 "expected %d %u %u '%s'",
			 subject, s.kind, s.replies, s.forwards, s.base, kind,
			 replies, forwards, base);
	thread_subject_free(&s);
}

static void test_subject_prefixes(void **state)
{
	(void)state;
	expect_subject("Re: Lunch", THREAD_SUBJECT_REPLY, 1, 0, "lunch");
	expect_subject("RE: Fwd: Lunch", THREAD_SUBJECT_REPLY, 1, 1, "lunch");
	expect_subject("Fwd: Re: Lunch", THREAD_SUBJECT_FORWARD, 1, 1, "lunch");
	expect_subject("AW: WG: Angebot", THREAD_SUBJECT_REPLY, 1, 1,
		       "angebot");
	expect_subject("SV: Offert", THREAD_SUBJECT_REPLY, 1, 0, "offert");
	expect_subject("VS: Tarjous", THREAD_SUBJECT_REPLY, 1, 0, "tarjous");
	expect_subject("Antw: Offerte", THREAD_SUBJECT_REPLY, 1, 0, "offerte");
	expect_subject("RV: Factura", THREAD_SUBJECT_FORWARD, 0, 1, "factura");
	expect_subject("TR : RE : Facture", THREAD_SUBJECT_FORWARD, 1, 1,
		       "facture");
	expect_subject("R: Fattura", THREAD_SUBJECT_REPLY, 1, 0, "fattura");
	expect_subject("Odp: Faktura", THREAD_SUBJECT_REPLY, 1, 0, "faktura");
	expect_subject("Ref: Pedido", THREAD_SUBJECT_REPLY, 1, 0, "pedido");
	expect_subject("返信: お見積りの件", THREAD_SUBJECT_REPLY, 1, 0,
		       "お見積りの件");
	expect_subject("転送：お見積りの件", THREAD_SUBJECT_FORWARD, 0, 1,
		       "お見積りの件");
	/* full-width letters, colon and space, NFKC */
	expect_subject("ＲＥ：　お見積りの件", THREAD_SUBJECT_REPLY, 1, 0,
		       "お見積りの件");
	expect_subject("Re[2]: Lunch", THREAD_SUBJECT_REPLY, 1, 0, "lunch");
	expect_subject("Re(3): Re^2: Lunch", THREAD_SUBJECT_REPLY, 2, 0,
		       "lunch");
	expect_subject("[ml:00123] Re: Lunch", THREAD_SUBJECT_REPLY, 1, 0,
		       "lunch");
	expect_subject("  RE:RE:   Hello   World  ", THREAD_SUBJECT_REPLY, 2, 0,
		       "hello world");
	/* not prefixes */
	expect_subject("Reply to all", THREAD_SUBJECT_NEW, 0, 0,
		       "reply to all");
	expect_subject("Rechnung: Mai", THREAD_SUBJECT_NEW, 0, 0,
		       "rechnung: mai");
	expect_subject("Re-order: parts", THREAD_SUBJECT_NEW, 0, 0,
		       "re-order: parts");
	expect_subject("[SUSPICIOUS] invoice", THREAD_SUBJECT_NEW, 0, 0,
		       "[suspicious] invoice");
	expect_subject("", THREAD_SUBJECT_NEW, 0, 0, "");
}

static void test_subject_bounds_and_base(void **state)
{
	char many[400] = "", *a = NULL, *b = NULL;
	struct thread_subject s;
	/* raw ISO-2022-JP: "RE: 見積" */
	const char raw[] = "RE: \x1b$B8+@Q\x1b(B";

	(void)state;
	for (int i = 0; i < 40; i++)
		strcat(many, "Re: ");
	strcat(many, "x");
	assert_int_equal(thread_subject_parse(span_str(many), &s), 0);
	assert_int_equal(s.replies, THREAD_SUBJECT_PREFIXES);
	assert_string_equal(s.base, "re: re: re: re: re: re: re: re: x");
	thread_subject_free(&s);

	assert_int_equal(thread_subject_base("RE: お見積りの件", &a), 0);
	assert_int_equal(thread_subject_base("お見積りの件", &b), 0);
	assert_string_equal(a, b);
	free(a);
	free(b);

	expect_subject(raw, THREAD_SUBJECT_REPLY, 1, 0, "見積");
	/* invalid UTF-8 is repaired, not refused */
	assert_int_equal(thread_subject_parse(span_str("Re: \xff\xfe"), &s), 0);
	assert_int_equal(s.kind, THREAD_SUBJECT_REPLY);
	thread_subject_free(&s);
}

static struct thread_quote quote_of(const char *text, int html)
{
	struct thread_quote q;

	thread_quote_init(&q);
	assert_int_equal(html ? thread_quote_scan_html(&q, span_str(text))
			      : thread_quote_scan_text(&q, span_str(text)),
			 0);
	return q;
}

/* q has a participant with this address (and this name, unless NULL) */
static int has_addr(const struct thread_quote *q, const char *addr,
		    const char *name)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->p[i].addr && !strcmp(q->p[i].addr, addr))
			return !name ||
			       (q->p[i].name && !strcmp(q->p[i].name, name));
	return 0;
}

static int has_name_only(const struct thread_quote *q, const char *name)
{
	for (size_t i = 0; i < q->n; i++)
		if (!q->p[i].addr && q->p[i].name &&
		    !strcmp(q->p[i].name, name))
			return 1;
	return 0;
}

static void test_outlook_blocks(void **state)
{
	struct thread_quote q;

	(void)state;
	q = quote_of("Hi\n\n-----Original Message-----\n"
		     "From: John Smith [mailto:John.Smith@Partner.example]\n"
		     "Sent: Tuesday, March 9, 2021 7:26 PM\n"
		     "To: Mary Jones <mary@example.com>; Accounts\n"
		     "Cc: 'bob@example.com'\n"
		     "Subject: Invoice\n\nbody\n",
		     0);
	assert_int_equal(q.blocks, 1);
	assert_int_equal(q.recipient_blocks, 1);
	assert_true(has_addr(&q, "john.smith@partner.example", "John Smith"));
	assert_true(has_addr(&q, "mary@example.com", "Mary Jones"));
	assert_true(has_addr(&q, "bob@example.com", NULL));
	assert_true(has_name_only(&q, "Accounts"));
	assert_int_equal(thread_quote_addresses(&q), 3);
	thread_quote_free(&q);

	/* Japanese, full-width colons, '>'-quoted, a wrapped To line */
	q = quote_of("> 差出人： 鈴木 花子 <suzuki@example.co.jp>\r\n"
		     "> 送信日時： 2021年3月9日 19:26\r\n"
		     "> 宛先： 山田 太郎 <yamada@partner.co.jp>; 佐藤\r\n"
		     ">  <sato@partner.co.jp>\r\n"
		     "> 件名： お見積りの件\r\n",
		     0);
	assert_int_equal(q.blocks, 1);
	assert_true(has_addr(&q, "suzuki@example.co.jp", "鈴木 花子"));
	assert_true(has_addr(&q, "yamada@partner.co.jp", "山田 太郎"));
	assert_true(has_addr(&q, "sato@partner.co.jp", NULL));
	thread_quote_free(&q);

	/* German, French (space before the colon), Spanish, Italian,
	 * Portuguese, Dutch */
	q = quote_of("Von: Anna <anna@beispiel.de>\nGesendet: Dienstag\n"
		     "An: Peter <p@firma.de>\nBetreff: Angebot\n\n"
		     "De : Claire <claire@exemple.fr>\nEnvoyé : mardi\n"
		     "À : luc@societe.fr\nObjet : Facture\n\n"
		     "De: Ana <ana@ejemplo.es>\nEnviado el: martes\n"
		     "Para: juan@empresa.es\nAsunto: Factura\n\n"
		     "Da: Gianni <g@esempio.it>\nInviato: martedì\n"
		     "A: m@azienda.it\nOggetto: Fattura\n\n"
		     "De: Joana <j@exemplo.pt>\nEnviada em: terça-feira\n"
		     "Para: p@empresa.pt\nAssunto: Fatura\n\n"
		     "Van: Jan <jan@voorbeeld.nl>\nVerzonden: dinsdag\n"
		     "Aan: piet@bedrijf.nl\nOnderwerp: Factuur\n",
		     0);
	assert_int_equal(q.blocks, 6);
	assert_int_equal(q.recipient_blocks, 6);
	assert_true(has_addr(&q, "p@firma.de", "Peter"));
	assert_true(has_addr(&q, "luc@societe.fr", NULL));
	assert_true(has_addr(&q, "juan@empresa.es", NULL));
	assert_true(has_addr(&q, "m@azienda.it", NULL));
	assert_true(has_addr(&q, "p@empresa.pt", NULL));
	assert_true(has_addr(&q, "piet@bedrijf.nl", NULL));
	thread_quote_free(&q);

	/* names only; "Last, First" stays one name */
	q = quote_of("From: Yamada, Taro\nSent: Tuesday\nTo: Suzuki Hanako\n"
		     "Subject: x\n",
		     0);
	assert_int_equal(q.blocks, 1);
	assert_int_equal(thread_quote_addresses(&q), 0);
	assert_true(has_name_only(&q, "Yamada, Taro"));
	assert_true(has_name_only(&q, "Suzuki Hanako"));
	thread_quote_free(&q);

	/* several addresses separated by commas */
	q = quote_of("From: a@x.example\nDate: today\n"
		     "To: B <b@y.example>, C <c@z.example>\n",
		     0);
	assert_true(has_addr(&q, "b@y.example", "B"));
	assert_true(has_addr(&q, "c@z.example", "C"));
	thread_quote_free(&q);
}

static void test_not_blocks(void **state)
{
	struct thread_quote q;

	(void)state;
	/* a From line alone, in prose, is no block */
	q = quote_of("From: the editors\n\nwelcome to our news\n\nthanks\n"
		     "bye\nx\ny\nz\nw\nv\nu\nSubject: spring sale\n",
		     0);
	assert_int_equal(q.blocks, 0);
	assert_int_equal(q.n, 0);
	thread_quote_free(&q);
	/* but right after a separator it is */
	q = quote_of("________________________________\nFrom: a@x.example\n",
		     0);
	assert_int_equal(q.blocks, 1);
	assert_int_equal(q.recipient_blocks, 0);
	assert_true(has_addr(&q, "a@x.example", NULL));
	thread_quote_free(&q);
	/* not addresses */
	q = quote_of("From: x@y\nSent: a\nTo: @example.com, u@.example, "
		     "v@example., w@-\n",
		     0);
	assert_int_equal(q.blocks, 1);
	assert_int_equal(thread_quote_addresses(&q), 0);
	assert_int_equal(q.n, 0);
	thread_quote_free(&q);
}

static void expect_attribution(const char *line, const char *addr)
{
	struct thread_quote q = quote_of(line, 0);

	if (q.attributions != 1)
		fail_msg("'%s': %u attributions", line, q.attributions);
	if (addr && !has_addr(&q, addr, NULL))
		fail_msg("'%s': no %s", line, addr);
	if (!addr && (q.n != 1 || q.p[0].addr))
		fail_msg("'%s': expected one name", line);
	thread_quote_free(&q);
}

static void test_attributions(void **state)
{
	struct thread_quote q;

	(void)state;
	expect_attribution("On Tue, Mar 9, 2021 at 7:26 PM Alice "
			   "<alice@example.com> wrote:\n",
			   "alice@example.com");
	/* Gmail wraps it */
	expect_attribution("On Tue, Mar 9, 2021 at 7:26 PM Alice <\n"
			   "alice@example.com> wrote:\n",
			   "alice@example.com");
	expect_attribution("> On 09/03/2021 19:26, Alice wrote:\n", NULL);
	expect_attribution("2021/03/09 19:26 に 山田 太郎 さんは書きました:\n",
			   NULL);
	expect_attribution("山田 太郎 <yamada@partner.co.jp> さんは書きました"
			   "：\n",
			   "yamada@partner.co.jp");
	expect_attribution("2021年3月9日(火) 19:26 山田 太郎 "
			   "<yamada@partner.co.jp>:\n",
			   "yamada@partner.co.jp");
	expect_attribution("2021年3月9日(火) 19:26 山田 太郎 "
			   "<yamada@partner.co.jp>：\n",
			   "yamada@partner.co.jp");
	expect_attribution("Am Di., 9. März 2021 um 19:26 Uhr schrieb Anna "
			   "<anna@beispiel.de>:\n",
			   "anna@beispiel.de");
	expect_attribution("Le mar. 9 mars 2021 à 19:26, Claire "
			   "<claire@exemple.fr> a\xc2\xa0écrit\xc2\xa0:\n",
			   "claire@exemple.fr");
	expect_attribution("Le 09/03/2021 à 19:26, Claire a écrit :\n", NULL);
	expect_attribution("El mar, 9 mar 2021 a las 19:26, Ana "
			   "(<ana@ejemplo.es>) escribió:\n",
			   "ana@ejemplo.es");
	expect_attribution("Il giorno mar 9 mar 2021 alle ore 19:26 Gianni "
			   "<g@esempio.it> ha scritto:\n",
			   "g@esempio.it");
	expect_attribution("Em ter., 9 de mar. de 2021 às 19:26, Joana "
			   "<j@exemplo.pt> escreveu:\n",
			   "j@exemplo.pt");
	expect_attribution("Op di 9 mrt. 2021 om 19:26 schreef Jan "
			   "<jan@voorbeeld.nl>:\n",
			   "jan@voorbeeld.nl");
	/* not attributions */
	q = quote_of("On the other hand, it works.\nAm I right?\n"
		     "Le chat est là.\nwrote: nothing\n",
		     0);
	assert_int_equal(q.attributions, 0);
	assert_int_equal(q.n, 0);
	thread_quote_free(&q);
}

static void test_html(void **state)
{
	struct thread_quote q;

	(void)state;
	q = quote_of("<html><head><style>b{From: x@style.example}</style>"
		     "</head><body><p>Hi</p>\n<div><p><b>From:</b> Mary "
		     "&lt;mary@example.com&gt;\n<br><b>Sent:</b> Tuesday<br>"
		     "<b>To:</b> John &lt;john&#64;partner.example&gt;<br>"
		     "<b>Subject:</b> Invoice</p></div><script>From: "
		     "x@script.example</script></body></html>",
		     1);
	assert_int_equal(q.blocks, 1);
	assert_int_equal(q.recipient_blocks, 1);
	assert_true(has_addr(&q, "mary@example.com", "Mary"));
	assert_true(has_addr(&q, "john@partner.example", "John"));
	assert_int_equal(thread_quote_addresses(&q), 2);
	thread_quote_free(&q);
}

static void test_bounds(void **state)
{
	size_t cap = 2u << 20, o = 0;
	char *big = malloc(cap);
	struct thread_quote q;

	(void)state;
	assert_non_null(big);
	for (unsigned i = 0; o + 200 < cap; i++)
		o += (size_t)snprintf(big + o, cap - o,
				      "From: u%u@d%u.example\nSent: x\n"
				      "To: v%u@e%u.example\n\n",
				      i, i, i, i);
	big[o] = '\0';
	q = quote_of(big, 0);
	assert_true(q.blocks <= THREAD_QUOTE_BLOCKS);
	assert_true(q.n <= THREAD_QUOTE_PARTICIPANTS);
	assert_true(q.limited);
	thread_quote_free(&q);
	/* a long line is cut, never overrun */
	memset(big, 'a', 100000);
	memcpy(big, "From: ", 6);
	memcpy(big + 99000, "@x.example\nSent: y\n", 19);
	big[99019] = '\0';
	q = quote_of(big, 0);
	assert_int_equal(thread_quote_addresses(&q), 0);
	thread_quote_free(&q);
	free(big);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(thread_name_matches("山田 太郎", "山田太郎"));
	assert_true(thread_name_matches("山田太郎", "山田 太郎"));
	assert_true(thread_name_matches("Taro Yamada", "Yamada, Taro"));
	assert_true(thread_name_matches("ＹＡＭＡＤＡ Taro", "yamada taro"));
	assert_true(thread_name_matches(
	    "Alice Example", "On Tue, Mar 9, 2021 at 7:26 PM Alice Example"));
	assert_false(thread_name_matches("Alice", "Bob Jones"));
	assert_false(thread_name_matches("", "Bob Jones"));
	assert_false(thread_name_matches("鈴木 花子", "山田 太郎"));
	/* bytes that are no UTF-8 (a lead byte at the very end: GLib's
	 * normalizer would read past it) are mended, then compared */
	assert_true(thread_name_matches("Jos\xe9 Garc\xed"
					"a",
					"jos\xe9 garc\xed"
					"a"));
	assert_false(thread_name_matches("Jos\xe9", "Bob \xf4"));
}

static void test_sender_in_quote(void **state)
{
	struct thread_quote q;
	char *domains = NULL;

	(void)state;
	q = quote_of("From: A <a@partner.co.jp>\nSent: x\n"
		     "To: B <b@example.com>; Suzuki Hanako\n",
		     0);
	assert_int_equal(
	    thread_sender_in_quote(&q, "B@Example.COM", "B", &domains), 1);
	assert_null(domains);
	/* organizational domain */
	assert_int_equal(
	    thread_sender_in_quote(&q, "c@mail.partner.co.jp", "C", NULL), 1);
	/* the name alone of a participant */
	assert_int_equal(thread_sender_in_quote(&q, "hanako@free.example",
						"鈴木 花子", NULL),
			 0);
	assert_int_equal(thread_sender_in_quote(&q, "hanako@free.example",
						"Suzuki Hanako", NULL),
			 1);
	/* no display name: it could be the name alone */
	assert_int_equal(
	    thread_sender_in_quote(&q, "hanako@free.example", NULL, NULL), 1);
	assert_int_equal(
	    thread_sender_in_quote(&q, "x@evil.example", "A", &domains), 0);
	assert_non_null(domains);
	assert_string_equal(domains, "partner.co.jp, example.com");
	free(domains);
	thread_quote_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_subject_prefixes),
	    cmocka_unit_test(test_subject_bounds_and_base),
	    cmocka_unit_test(test_outlook_blocks),
	    cmocka_unit_test(test_not_blocks),
	    cmocka_unit_test(test_attributions),
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_sender_in_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
