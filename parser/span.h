/*
 * span - a borrowed run of bytes: pointer and length, never NUL-terminated.
 * Untrusted bytes travel as spans; a span does not own its bytes.
 */
#ifndef KENSA_SPAN_H
#define KENSA_SPAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct span {
	const uint8_t *ptr;
	size_t len;
};

static inline struct span span_make(const void *ptr, size_t len)
{
	struct span s = {ptr, len};
	return s;
}

static inline struct span span_str(const char *str)
{
	return span_make(str, str ? strlen(str) : 0);
}

static inline int span_starts_with(struct span s, const void *prefix, size_t n)
{
	return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

static inline int span_has_at(struct span s, size_t off, const void *what,
			      size_t n)
{
	return off <= s.len && s.len - off >= n &&
	       memcmp(s.ptr + off, what, n) == 0;
}

/* The next word of a list of words separated by spaces or commas (as
 * kensa.yaml's lists are kept), as a span into the list; an empty span
 * after the last. *list moves past the word. */
static inline struct span span_next_word(const char **list)
{
	const char *w = *list + strspn(*list, " ,");
	size_t n = strcspn(w, " ,");

	*list = w + n;
	return span_make(w, n);
}

/* Where s holds word, ASCII letters compared without case, or NULL. */
const uint8_t *span_find_nocase(struct span s, const char *word);

#endif
