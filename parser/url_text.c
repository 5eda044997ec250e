/*
 * url_text - URLs in plain text; see url_text.h.
 */
#include "url_text.h"

#include <strings.h>

static int url_text_ascii_stop(uint8_t c)
{
	return c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == '"' ||
	       c == '\'' || c == '`' || c == '{' || c == '}' || c == '|' ||
	       c == '\\' || c == '^';
}

/* The code point at s[i] and its length in bytes (1 for invalid bytes). */
static unsigned url_text_cp(struct span s, size_t i, size_t *len)
{
	uint8_t c = s.ptr[i];
	size_t more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	unsigned cp = more ? c & (0x3Fu >> more) : c;

	*len = 1;
	if (i + more >= s.len)
		return 0xFFFD;
	for (size_t k = 1; k <= more; k++) {
		if ((s.ptr[i + k] & 0xC0) != 0x80)
			return 0xFFFD;
		cp = (cp << 6) | (s.ptr[i + k] & 0x3F);
	}
	*len = more + 1;
	return cp;
}

/* Unicode white space and punctuation that ends a host written in it. */
static int url_text_wide_stop(unsigned cp)
{
	return cp == 0xFFFD || (cp >= 0x80 && cp <= 0xBF) ||
	       (cp >= 0x2000 && cp <= 0x206F) ||
	       (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFF01 && cp <= 0xFF0F) ||
	       (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

static int url_text_alpha(uint8_t c)
{
	c |= 0x20;
	return c >= 'a' && c <= 'z';
}

static int url_text_alnum(uint8_t c)
{
	return url_text_alpha(c) || (c >= '0' && c <= '9');
}

/* Whether the ASCII host host[0..n) ends in a dot and a letter TLD. */
static int url_text_has_tld(const uint8_t *host, size_t n)
{
	size_t letters = 0;

	while (n && url_text_alpha(host[n - 1])) {
		n--;
		letters++;
	}
	return letters >= 2 && n && host[n - 1] == '.';
}

/* The end of a URL whose host starts at host. */
static size_t url_text_end(struct span t, size_t host)
{
	size_t i = host, cplen;
	int in_host = 1, wide_host = 0;

	while (i < t.len) {
		uint8_t c = t.ptr[i];
		if (c < 0x80) {
			if (url_text_ascii_stop(c))
				break;
			if (c == '/' || c == '?' || c == '#')
				in_host = 0;
			i++;
			continue;
		}
		if (!in_host || url_text_wide_stop(url_text_cp(t, i, &cplen)))
			break;
		if (!wide_host && url_text_has_tld(t.ptr + host, i - host))
			break;
		wide_host = 1;
		i += cplen;
	}
	return i;
}

/* end without trailing punctuation and unbalanced closing brackets */
static size_t url_text_trim(struct span t, size_t start, size_t end)
{
	while (end > start) {
		uint8_t c = t.ptr[end - 1];
		int open = 0, close = 0;
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
		    c == '?' || c == '*') {
			end--;
			continue;
		}
		if (c != ')' && c != ']')
			break;
		for (size_t k = start; k < end; k++) {
			open += t.ptr[k] == (c == ')' ? '(' : '[');
			close += t.ptr[k] == c;
		}
		if (close <= open)
			break;
		end--;
	}
	return end;
}

/* The start of the scheme before "://" at colon, or colon when none. */
static size_t url_text_scheme(struct span t, size_t colon)
{
	static const char *const schemes[] = {"https", "http", "ftps", "ftp"};

	for (size_t k = 0; k < 4; k++) {
		size_t n = strlen(schemes[k]);
		if (colon >= n && strncasecmp((const char *)t.ptr + colon - n,
					      schemes[k], n) == 0)
			return colon - n;
	}
	return colon;
}

static int url_text_www_start(struct span t, size_t i)
{
	uint8_t p = i ? t.ptr[i - 1] : ' ';

	return i + 4 < t.len &&
	       strncasecmp((const char *)t.ptr + i, "www.", 4) == 0 &&
	       !url_text_alnum(p) && p != '.' && p != '-' && p != '_' &&
	       p != '/' && p != '@' && url_text_alnum(t.ptr[i + 4]);
}

int url_text_scan(struct span t, url_sink_fn sink, void *arg)
{
	size_t i = 0;

	while (i < t.len) {
		size_t start, host, end;
		int rc;
		if (t.ptr[i] == ':' && i + 3 < t.len && t.ptr[i + 1] == '/' &&
		    t.ptr[i + 2] == '/' &&
		    (start = url_text_scheme(t, i)) < i) {
			host = i + 3;
		} else if ((t.ptr[i] | 0x20) == 'w' &&
			   url_text_www_start(t, i)) {
			start = host = i;
		} else {
			i++;
			continue;
		}
		end = url_text_trim(t, host, url_text_end(t, host));
		if (end == host) {
			i = host;
			continue;
		}
		rc = sink(arg, span_make(t.ptr + start, end - start));
		if (rc != 0)
			return rc < 0 ? rc : 0;
		i = end;
	}
	return 0;
}
