/*
 * span - the search that does not fit in span.h's inline helpers.
 */
#include "span.h"

#include <ctype.h>
#include <strings.h>

/* Candidates are found with memchr on the word's first byte in either
 * case, then compared whole. */
const uint8_t *span_find_nocase(struct span s, const char *word)
{
	size_t n = strlen(word);
	const uint8_t *p = s.ptr, *last;
	int lo = tolower((unsigned char)word[0]);
	int up = toupper((unsigned char)word[0]);

	if (n == 0 || s.len < n)
		return NULL;
	last = s.ptr + (s.len - n); /* the last place word can start */
	while (p <= last) {
		const uint8_t *a = memchr(p, lo, (size_t)(last - p) + 1);
		size_t before = (size_t)((a ? a : last + 1) - p);
		const uint8_t *b = up != lo ? memchr(p, up, before) : NULL;
		const uint8_t *c = b ? b : a;
		if (!c)
			return NULL;
		if (strncasecmp((const char *)c, word, n) == 0)
			return c;
		p = c + 1;
	}
	return NULL;
}
