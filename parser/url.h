/*
 * url - one URL as found in a message, parsed and normalized with
 * libcurl's URL API (curl_url), its host converted with libidn2.
 *
 * Reads: http, https, ftp and ftps URLs, and scheme-less hosts (a "www."
 * host in text, a bare IPv4 address in macro code), which are taken as
 * http. Refuses every other scheme (mailto:, javascript:, cid:, data:...),
 * URLs without a host and URLs over URL_MAX_BYTES. Tabs and line breaks
 * inside a URL are dropped (as browsers do), surrounding white space is
 * trimmed. Numeric IPv4 forms (decimal, hex, octal, shortened) come out
 * dotted, as curl reads them.
 *
 * The normalized form: lower-case scheme and host, the host in A-labels
 * (xn--), no fragment; the path and query as curl gives them.
 */
#ifndef KENSA_URL_H
#define KENSA_URL_H

#include "span.h"

#define URL_MAX_BYTES 8192

struct url {
	char *normalized;
	char *scheme;	    /* lower case */
	char *host;	    /* lower case, A-labels; IPv6 in brackets */
	char *host_unicode; /* U-labels when the host is an IDN, else NULL */
	char *path;	    /* as curl gives it, percent-encoded */
	int has_userinfo;   /* user name or password before the host */
	unsigned port;	    /* the port given, 0 when none */
	int ip;		    /* 4 or 6 when the host is an address */
};

/* 0 and *out filled, 1 when found is not a URL kensa judges, -1 when
 * memory ran out. A plain URL (http or https, a lower-case ASCII host
 * name, no user, port or fragment, a path and query curl keeps as they
 * are) is read without curl, to the same result. */
int url_parse(struct span found, struct url *out);

/* url_parse with every URL read by curl: for the differential tests. */
int url_parse_curl(struct span found, struct url *out);
void url_free(struct url *u);

/* The host of a URL as url_parse normalized it (u->host), copied into
 * host (len bytes); 0, or 1 when there is none or it is too long. No
 * parse: for URLs a report already holds. */
int url_normalized_host(const char *normalized, char *host, size_t len);

/* The absolute URL of ref (as found in a document) against base (an
 * absolute URL), in *out (malloc'ed); 0, 1 when it has none, -1. */
int url_resolve(const char *base, struct span ref, char **out);

/* Whether a URL with this scheme and port uses the scheme's usual port. */
int url_port_is_default(const char *scheme, unsigned port);

/* The registrable domain of a host (libpsl), the host itself when it has
 * none; points into host or the list. */
const char *url_org_domain(const char *host);

#endif
