/*
 * fuzz_passwords - libFuzzer target for parser/passwords: the first byte
 * chooses how the rest is read (plain text, HTML, the Subject, a common
 * list); every candidate must be NUL-free, of its stated length, at most
 * PASSWORDS_TOKEN_BYTES long, with an origin, and the tiers bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/passwords.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct passwords p;
	struct span text;
	char *common;
	int rc;

	if (size == 0)
		return 0;
	text = span_make(data + 1, size - 1);
	passwords_init(&p, 50);
	switch (data[0] & 3) {
	case 0: rc = passwords_add_text(&p, "body", text); break;
	case 1: rc = passwords_add_html(&p, "html body", text); break;
	case 2: rc = passwords_add_text(&p, "subject", text); break;
	default:
		common = strndup((const char *)text.ptr, text.len);
		if (!common)
			return 0;
		rc = passwords_add_common(&p, common);
		free(common);
		break;
	}
	if (rc < 0)
		abort();
	if (p.n[PASSWORDS_LABELLED] > 50 || p.n[PASSWORDS_TOKEN] > 50)
		abort();
	for (size_t i = 0; i < passwords_count(&p); i++) {
		const struct passwords_candidate *c = passwords_get(&p, i);
		if (!c || c->len == 0 || c->len > PASSWORDS_TOKEN_BYTES ||
		    strlen(c->text) != c->len || !c->origin)
			abort();
	}
	if (passwords_get(&p, passwords_count(&p)))
		abort();
	passwords_free(&p);
	return 0;
}
