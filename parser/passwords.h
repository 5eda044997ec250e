/*
 * passwords - the passwords a message gives for its own protected
 * attachments, as candidates in the order they are worth trying:
 *   1. the tokens after a label (password, passwd, pass, pw, pwd, code,
 *      Kennwort, mot de passe, contraseña, senha, パスワード, パス,
 *      暗証番号, 解凍), past ASCII or full-width colons, spaces and
 *      brackets 「」【】『』"" '' (or the next line when the label ends one);
 *   2. the other short ASCII tokens of the texts, in order;
 *   3. a configured list of common passwords.
 * Each candidate says where it came from ("body line 5, after パスワード").
 * A labelled candidate that is not ASCII is followed by its CP932 bytes
 * (marked legacy): Japanese Windows zip tools encrypt with those.
 * Reads UTF-8 text (HTML with its tags crudely stripped); refuses nothing,
 * but reads at most PASSWORDS_TEXT_BYTES of each text, keeps tokens of at
 * most PASSWORDS_TOKEN_BYTES, and at most max_tokens candidates in each of
 * tiers 1 and 2 (limits.password_tokens). Duplicates are dropped.
 */
#ifndef KENSA_PASSWORDS_H
#define KENSA_PASSWORDS_H

#include <stddef.h>

#include "span.h"

#define PASSWORDS_TEXT_BYTES  (256u << 10)
#define PASSWORDS_TOKEN_BYTES 64
#define PASSWORDS_COMMON_DEFAULT                                               \
	"infected malware virus password 1234 12345 123456 0000 1111 "         \
	"abc123 pass test VelvetSweatshop"

enum passwords_tier {
	PASSWORDS_LABELLED,
	PASSWORDS_TOKEN,
	PASSWORDS_COMMON,
	PASSWORDS_TIERS
};

struct passwords_candidate {
	char *text; /* NUL-terminated, no NUL inside */
	size_t len;
	char *origin; /* where it came from, UTF-8 */
	int legacy;   /* text is CP932 bytes, not UTF-8 (ZIP only) */
};

struct passwords {
	struct passwords_candidate *tier[PASSWORDS_TIERS];
	size_t n[PASSWORDS_TIERS], cap[PASSWORDS_TIERS];
	unsigned max_tokens;
};

void passwords_init(struct passwords *p, unsigned max_tokens);
void passwords_free(struct passwords *p);
/* where names the text: "subject", "body", "html body". */
int passwords_add_text(struct passwords *p, const char *where,
		       struct span text);
int passwords_add_html(struct passwords *p, const char *where,
		       struct span html);
/* Whitespace-separated passwords, tier 3. */
int passwords_add_common(struct passwords *p, const char *list);
size_t passwords_count(const struct passwords *p);
/* The i-th candidate in trial order, or NULL past the end. */
const struct passwords_candidate *passwords_get(const struct passwords *p,
						size_t i);

#endif
