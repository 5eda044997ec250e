/*
 * entity - one XML or HTML character reference decoded to UTF-8: "&amp;",
 * "&#12354;", "&#x3042;". The named ones are XML's five, and for HTML also
 * "&nbsp;" (as a space), matched without case; a numeric one takes at most
 * 7 decimal or 6 hex digits and its ';'; a code point that is NUL, a
 * surrogate or past U+10FFFF becomes U+FFFD. What it writes (at most 4
 * bytes) is never longer than the reference it replaces.
 */
#ifndef KENSA_ENTITY_H
#define KENSA_ENTITY_H

#include <stddef.h>

/* The reference at s[0] == '&' (n bytes there) into out: the bytes
 * written, *used the bytes of s it took; 0 when there is none. */
size_t entity_decode(const char *s, size_t n, int html, char *out,
		     size_t *used);

#endif
