/*
 * entity - XML and HTML character references; see entity.h.
 */
#include "entity.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* The value of a digit in base 10 or 16, or -1. */
static int digit(char c, int hex)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t entity_decode(const char *s, size_t n, int html, char *out, size_t *used)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {{"&amp;", '&'},  {"&lt;", '<'},	{"&gt;", '>'},
		     {"&quot;", '"'}, {"&apos;", '\''}, {"&nbsp;", ' '}};
	size_t nnamed = html ? 6 : 5, i, digits = 0;
	unsigned long cp = 0;
	int hex, d;

	for (size_t k = 0; k < nnamed; k++) {
		size_t len = strlen(named[k].name);
		if (n >= len && (html ? strncasecmp(s, named[k].name, len)
				      : strncmp(s, named[k].name, len)) == 0) {
			*used = len;
			out[0] = named[k].c;
			return 1;
		}
	}
	if (n < 4 || s[0] != '&' || s[1] != '#')
		return 0;
	hex = s[2] == 'x' || s[2] == 'X';
	for (i = 2 + (size_t)hex; i < n && digits < (hex ? 6u : 7u); i++) {
		if ((d = digit(s[i], hex)) < 0)
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)d;
		digits++;
	}
	if (!digits || i >= n || s[i] != ';')
		return 0;
	*used = i + 1;
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	return utf8_encode((uint32_t)cp, out);
}
