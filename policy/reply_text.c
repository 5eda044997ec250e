#include "reply_text.h"

#include <stdlib.h>
#include <string.h>

char *reply_text_sanitize(const char *text)
{
	size_t n = 0;
	char *out = malloc(REPLY_TEXT_MAX + 1);

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)text;
	     *p && n < REPLY_TEXT_MAX; p++) {
		unsigned char c = *p;
		if (c == '\t' || c == '\r' || c == '\n')
			c = ' ';
		if (c == ' ' && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}
