/*
 * fuzz_thread_quote - libFuzzer target for parser/thread_quote and
 * parser/thread_subject: the first byte chooses how the rest is read
 * (plain text, HTML, a Subject); the quote's bounds must hold, every
 * participant must have a name or an address, addresses must be lower
 * case with one '@', and the sender check must answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/thread.h"
#include "../../parser/thread_quote.h"
#include "../../parser/thread_subject.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_quote(const struct thread_quote *q)
{
	if (q->n > THREAD_QUOTE_PARTICIPANTS ||
	    q->blocks + q->attributions > THREAD_QUOTE_BLOCKS ||
	    q->recipient_blocks > q->blocks)
		abort();
	for (size_t i = 0; i < q->n; i++) {
		const struct thread_participant *p = &q->p[i];
		if (!p->name && !p->addr)
			abort();
		if (p->name &&
		    (!*p->name || strlen(p->name) > THREAD_QUOTE_NAME_BYTES))
			abort();
		if (p->addr) {
			const char *at = strchr(p->addr, '@');
			if (!at || strchr(at + 1, '@') ||
			    strlen(p->addr) > THREAD_QUOTE_ADDR_BYTES)
				abort();
			for (const char *c = p->addr; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span text;
	struct thread_quote q;
	struct thread_subject s;
	char *domains = NULL;

	if (size == 0)
		return 0;
	text = span_make(data + 1, size - 1);
	if ((data[0] & 3) == 2) {
		if (thread_subject_parse(text, &s) < 0)
			abort();
		if (!s.base ||
		    s.replies + s.forwards > THREAD_SUBJECT_PREFIXES ||
		    (s.kind == THREAD_SUBJECT_NEW) !=
			(s.replies + s.forwards == 0))
			abort();
		thread_subject_free(&s);
		return 0;
	}
	thread_quote_init(&q);
	if (((data[0] & 1) ? thread_quote_scan_html(&q, text)
			   : thread_quote_scan_text(&q, text)) < 0)
		abort();
	check_quote(&q);
	if (thread_sender_in_quote(&q, "sender@example.com", "Sender Name",
				   &domains) == 0 &&
	    !domains)
		abort();
	free(domains);
	thread_quote_free(&q);
	return 0;
}
