#include "authres.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define AUTHRES_MAX 4096

/* Copies s without RFC 5322 comments (nested at most 8 deep). */
static void strip_comments(const char *s, char *out, size_t len)
{
	size_t n = 0;
	int depth = 0;

	for (; *s && n + 1 < len; s++) {
		if (*s == '(' && depth < 8) {
			depth++;
			continue;
		}
		if (*s == ')' && depth > 0) {
			depth--;
			continue;
		}
		if (!depth)
			out[n++] = *s;
	}
	out[n] = '\0';
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int trusted_id(const char *id, char *const *trusted, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(id, trusted[i]) == 0)
			return 1;
	return 0;
}

/* The value of property key (e.g. "header.d") in a resinfo, or NULL. */
static const char *property(char *resinfo, const char *key, char *buf,
			    size_t len)
{
	size_t kl = strlen(key);

	for (char *p = resinfo; (p = strcasestr(p, key)) != NULL; p += kl) {
		size_t n = 0;
		if ((p != resinfo && !isspace((unsigned char)p[-1])) ||
		    p[kl] != '=')
			continue;
		p += kl + 1;
		while (p[n] && !isspace((unsigned char)p[n]) && n + 1 < len) {
			buf[n] = p[n];
			n++;
		}
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

static const char *domain_part(const char *v)
{
	const char *at = v ? strrchr(v, '@') : NULL;
	return at ? at + 1 : v;
}

static const char *resinfo_domain(char *resinfo, const char *method, char *buf,
				  size_t len)
{
	const char *v = NULL;

	if (strcasecmp(method, "dkim") == 0)
		v = property(resinfo, "header.d", buf, len)
			? buf
			: property(resinfo, "header.i", buf, len);
	else if (strcasecmp(method, "spf") == 0)
		v = property(resinfo, "smtp.mailfrom", buf, len)
			? buf
			: property(resinfo, "smtp.helo", buf, len);
	else if (strcasecmp(method, "dmarc") == 0)
		v = property(resinfo, "header.from", buf, len);
	return domain_part(v);
}

static int one_field(const char *value, char *const *trusted, size_t ntrusted,
		     int (*fn)(const char *, const char *, const char *,
			       void *),
		     void *arg)
{
	char text[AUTHRES_MAX], *save = NULL, *idsave = NULL, *part, *id;
	int first = 1, rc = 0;

	strip_comments(value, text, sizeof(text));
	for (part = strtok_r(text, ";", &save); part && !rc;
	     part = strtok_r(NULL, ";", &save)) {
		char *info = trim(part), *eq, *method, *result, *end;
		char dom[256];
		if (first) {
			first = 0;
			id = strtok_r(info, " \t", &idsave); /* id [version] */
			if (!id || !trusted_id(id, trusted, ntrusted))
				return 0;
			continue;
		}
		eq = strchr(info, '=');
		if (!eq)
			continue;
		*eq = '\0';
		method = trim(info);
		result = eq + 1;
		for (end = result; *end && !isspace((unsigned char)*end); end++)
			;
		if (*end)
			*end++ = '\0';
		rc = fn(method, result,
			resinfo_domain(end, method, dom, sizeof(dom)), arg);
	}
	return rc;
}

int authres_foreach(const struct report *r, char *const *trusted,
		    size_t ntrusted,
		    int (*fn)(const char *method, const char *result,
			      const char *domain, void *arg),
		    void *arg)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		int rc;
		if (strcasecmp(r->headers[i].name, "Authentication-Results"))
			continue;
		rc = one_field(r->headers[i].value, trusted, ntrusted, fn, arg);
		if (rc)
			return rc;
	}
	return 0;
}
