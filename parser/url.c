/*
 * url - parse and normalize one URL; see url.h.
 */
#include "url.h"

#include <ctype.h>
#include <curl/curl.h>
#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "utf8.h"

#define URL_FLAGS (CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE)

static const char *const url_schemes[] = {"http", "https", "ftp", "ftps", NULL};

/* found without surrounding white space and inner tabs and line breaks,
 * with "http://" in front when it has no scheme; NULL when refused. */
static char *url_clean(struct span found, int *refused)
{
	const uint8_t *p = found.ptr, *e = found.ptr + found.len;
	size_t n = 0, scheme = 0;
	char *out;

	*refused = 1;
	while (p < e && (isspace(*p) || *p < 0x20))
		p++;
	while (e > p && (isspace(e[-1]) || e[-1] < 0x20))
		e--;
	if (p == e || (size_t)(e - p) > URL_MAX_BYTES)
		return NULL;
	while (p + scheme < e && (isalnum(p[scheme]) || p[scheme] == '+' ||
				  p[scheme] == '-' || p[scheme] == '.'))
		scheme++;
	if (scheme && p + scheme < e && p[scheme] == ':' && isalpha(p[0]) &&
	    !(scheme >= 4 && strncasecmp((const char *)p, "www.", 4) == 0)) {
		size_t i;
		for (i = 0; url_schemes[i]; i++)
			if (strlen(url_schemes[i]) == scheme &&
			    strncasecmp((const char *)p, url_schemes[i],
					scheme) == 0)
				break;
		if (!url_schemes[i] || e - p < (long)scheme + 3 ||
		    memcmp(p + scheme, "://", 3) != 0)
			return NULL;
		scheme = 0;
	} else if ((e - p >= 4 &&
		    strncasecmp((const char *)p, "www.", 4) == 0) ||
		   isdigit(p[0])) {
		scheme = 7;
	} else {
		return NULL;
	}
	*refused = 0;
	out = malloc((size_t)(e - p) + scheme + 1);
	if (!out)
		return NULL;
	if (scheme) {
		memcpy(out, "http://", 7);
		n = 7;
	}
	for (; p < e; p++)
		if (*p != '\t' && *p != '\r' && *p != '\n')
			out[n++] = (char)*p;
	out[n] = '\0';
	return out;
}

static int url_is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static int url_is_ipv4(const char *h)
{
	int dots = 0;

	for (; *h; h++) {
		if (*h == '.')
			dots++;
		else if (!isdigit((unsigned char)*h))
			return 0;
	}
	return dots == 3;
}

/* The host in A-labels (u->host) and, for an IDN, in U-labels; 0, 1 when
 * it is no host name (raw is freed), -1. */
static int url_host(struct url *u, char *raw)
{
	char *ascii = NULL, *uni = NULL;
	int rc;

	if (url_is_ascii(raw)) {
		address_lower(raw);
		u->host = raw;
		if (!strstr(raw, "xn--"))
			return 0;
		if (idn2_to_unicode_8z8z(raw, &uni, 0) == IDN2_OK)
			u->host_unicode = uni;
		return 0;
	}
	rc = idn2_to_ascii_8z(raw, &ascii,
			      IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK)
		rc = idn2_to_ascii_8z(raw, &ascii,
				      IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
	if (rc == IDN2_MALLOC) {
		free(raw);
		return -1;
	}
	if (rc != IDN2_OK && !utf8_valid(raw, strlen(raw))) {
		/* bytes no browser would send (a percent-encoded 0x98) */
		free(raw);
		return 1;
	}
	if (rc != IDN2_OK) {
		/* not a valid IDN: judged as written */
		u->host = raw;
		u->host_unicode = strdup(raw);
		return u->host_unicode ? 0 : -1;
	}
	free(raw);
	address_lower(ascii);
	u->host = ascii;
	if (idn2_to_unicode_8z8z(ascii, &uni, 0) == IDN2_OK)
		u->host_unicode = uni;
	return 0;
}

static int url_fill(struct url *u, CURLU *h, const char *text,
		    int *host_changed)
{
	char *host = NULL, *user = NULL, *pass = NULL, *port = NULL, *raw;
	int rc;

	if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host ||
	    !*host) {
		curl_free(host);
		return 1;
	}
	raw = strdup(host);
	rc = raw ? url_host(u, raw) : -1;
	if (rc != 0) {
		curl_free(host);
		return rc;
	}
	*host_changed = strcmp(host, u->host) != 0;
	curl_free(host);
	if (strchr(text, '@')) {
		if (curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK &&
		    user)
			u->has_userinfo = 1;
		if (curl_url_get(h, CURLUPART_PASSWORD, &pass, 0) ==
			CURLUE_OK &&
		    pass)
			u->has_userinfo = 1;
		curl_free(user);
		curl_free(pass);
	}
	/* a port needs a ':' after the scheme's */
	if (strchr(strchr(text, ':') + 1, ':') &&
	    curl_url_get(h, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
		u->port = (unsigned)strtoul(port, NULL, 10);
	curl_free(port);
	u->ip = u->host[0] == '[' ? 6 : url_is_ipv4(u->host) ? 4 : 0;
	return 0;
}

static char *url_get(CURLU *h, CURLUPart what)
{
	char *s = NULL, *copy;

	if (curl_url_get(h, what, &s, 0) != CURLUE_OK || !s)
		return NULL;
	copy = strdup(s);
	curl_free(s);
	return copy;
}

/* The scheme and path of the normalized URL, "scheme://authority/path?q"
 * as curl writes it (no '/' in its authority, which curl encodes). */
static int url_split(struct url *u)
{
	const char *n = u->normalized, *sep = strstr(n, "://");
	const char *path = sep ? strchr(sep + 3, '/') : NULL;

	if (!sep)
		return 1;
	u->scheme = strndup(n, (size_t)(sep - n));
	u->path = path ? strndup(path, strcspn(path, "?#")) : strdup("/");
	if (!u->scheme || !u->path)
		return -1;
	address_lower(u->scheme);
	return 0;
}

/* Path and query bytes curl writes as they are. */
static int url_plain_byte(unsigned char c)
{
	return isalnum(c) || (c && strchr("-._~!$&'()*+,;=:/?", c));
}

/* text (cleaned) when it is a URL curl would write unchanged: "http" or
 * "https", a lower-case host name of letters, digits, dots and hyphens
 * whose last label begins with a letter (so no IPv4 form), no "xn--",
 * no user, no port, then a path and query of plain bytes and valid
 * percent escapes without dot segments, no empty query at the end (curl
 * drops its '?'), and no fragment. Then *out is filled from text without
 * curl (text is kept as the normalized form): 0, -1 when memory ran out;
 * 1 when text is not plain. */
static int url_parse_plain(char *text, struct url *out)
{
	const char *host, *p, *label;
	size_t scheme = strncmp(text, "https://", 8) == 0  ? 5
			: strncmp(text, "http://", 7) == 0 ? 4
							   : 0;

	if (!scheme)
		return 1;
	host = text + scheme + 3;
	for (p = label = host; *p != '/'; p++) {
		if (*p == '.') {
			if (p == label)
				return 1;
			label = p + 1;
		} else if (!islower((unsigned char)*p) &&
			   !isdigit((unsigned char)*p) && *p != '-') {
			return 1;
		}
	}
	if (p == label || !islower((unsigned char)*label) ||
	    memmem(host, (size_t)(p - host), "xn--", 4) ||
	    text[strlen(text) - 1] == '?')
		return 1;
	for (const char *q = p; *q; q++) {
		if (*q == '%' ? !isxdigit((unsigned char)q[1]) ||
				    !isxdigit((unsigned char)q[2])
			      : !url_plain_byte((unsigned char)*q))
			return 1;
		if (*q == '/' && q[1] == '.' &&
		    !memchr(p, '?', (size_t)(q - p)))
			return 1;
	}
	out->normalized = text;
	out->scheme = strndup(text, scheme);
	out->host = strndup(host, (size_t)(p - host));
	out->path = strndup(p, strcspn(p, "?"));
	return out->scheme && out->host && out->path ? 0 : -1;
}

static int url_parse_once(struct span found, struct url *out, int *again,
			  int plain_shortcut)
{
	int refused, rc, host_changed = 0;
	char *text = url_clean(found, &refused);
	CURLU *h;

	memset(out, 0, sizeof(*out));
	*again = 0;
	if (!text)
		return refused ? 1 : -1;
	if (plain_shortcut && (rc = url_parse_plain(text, out)) != 1) {
		if (rc != 0)
			url_free(out);
		return rc;
	}
	h = curl_url();
	if (!h) {
		free(text);
		return -1;
	}
	rc = curl_url_set(h, CURLUPART_URL, text, URL_FLAGS) == CURLUE_OK
		 ? url_fill(out, h, text, &host_changed)
		 : 1;
	/* a host percent-encoded or mapped by IDNA reads differently the
	 * second time ("1%34" and full-width "３４" are "14", then
	 * 0.0.0.14): the normalized form is read once more */
	*again = rc == 0 && (host_changed || strchr(text, '%') != NULL);
	if (rc == 0 &&
	    ((host_changed &&
	      curl_url_set(h, CURLUPART_HOST, out->host, 0) != CURLUE_OK) ||
	     (strchr(text, '#') &&
	      curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK)))
		rc = 1;
	free(text);
	if (rc == 0) {
		out->normalized = url_get(h, CURLUPART_URL);
		rc = out->normalized ? url_split(out) : -1;
	}
	curl_url_cleanup(h);
	if (rc != 0)
		url_free(out);
	return rc;
}

static int url_parse_with(struct span found, struct url *out,
			  int plain_shortcut)
{
	struct url first;
	int again, rc = url_parse_once(found, out, &again, plain_shortcut);

	if (rc != 0 || !again)
		return rc;
	first = *out;
	rc = url_parse_once(span_str(first.normalized), out, &again,
			    plain_shortcut);
	url_free(&first);
	return rc;
}

int url_parse(struct span found, struct url *out)
{
	return url_parse_with(found, out, 1);
}

int url_parse_curl(struct span found, struct url *out)
{
	return url_parse_with(found, out, 0);
}

void url_free(struct url *u)
{
	free(u->normalized);
	free(u->scheme);
	free(u->host);
	idn2_free(u->host_unicode);
	free(u->path);
	memset(u, 0, sizeof(*u));
}

int url_normalized_host(const char *normalized, char *host, size_t len)
{
	const char *start = strstr(normalized, "://"), *end, *at, *colon;
	size_t n;

	if (!start)
		return 1;
	start += 3;
	end = start + strcspn(start, "/?#");
	at = memchr(start, '@', (size_t)(end - start));
	while (at) { /* the last '@' before the path ends the userinfo */
		start = at + 1;
		at = memchr(start, '@', (size_t)(end - start));
	}
	if (*start == '[') {
		colon = memchr(start, ']', (size_t)(end - start));
		end = colon ? colon + 1 : end;
	} else if ((colon = memchr(start, ':', (size_t)(end - start)))) {
		end = colon;
	}
	n = (size_t)(end - start);
	if (n == 0 || n >= len)
		return 1;
	memcpy(host, start, n);
	host[n] = '\0';
	return 0;
}

int url_resolve(const char *base, struct span ref, char **out)
{
	CURLU *h = curl_url();
	char *text, *s = NULL;
	int rc = 1;

	*out = NULL;
	if (!h || ref.len > URL_MAX_BYTES)
		goto done;
	text = strndup((const char *)ref.ptr, ref.len);
	if (!text) {
		rc = -1;
		goto done;
	}
	if (curl_url_set(h, CURLUPART_URL, base, URL_FLAGS) == CURLUE_OK &&
	    curl_url_set(h, CURLUPART_URL, text, URL_FLAGS) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_URL, &s, 0) == CURLUE_OK && s) {
		*out = strdup(s);
		rc = *out ? 0 : -1;
	}
	curl_free(s);
	free(text);
done:
	curl_url_cleanup(h);
	return h ? rc : -1;
}

int url_port_is_default(const char *scheme, unsigned port)
{
	if (!port)
		return 1;
	if (!strcmp(scheme, "http"))
		return port == 80;
	if (!strcmp(scheme, "https"))
		return port == 443;
	if (!strcmp(scheme, "ftp"))
		return port == 21;
	if (!strcmp(scheme, "ftps"))
		return port == 990;
	return 0;
}

const char *url_org_domain(const char *host)
{
	return address_org_domain(host);
}
