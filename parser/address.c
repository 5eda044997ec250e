#include "address.h"

#include <libpsl.h>
#include <string.h>
#include <strings.h>

const char *address_domain(const char *address)
{
	const char *at = address ? strrchr(address, '@') : NULL;
	return at ? at + 1 : NULL;
}

const char *address_org_domain(const char *domain)
{
	const char *org =
	    domain ? psl_registrable_domain(psl_builtin(), domain) : NULL;
	return org ? org : domain;
}

int address_within(const char *domain, const char *parent, size_t plen)
{
	size_t d = strlen(domain);

	return plen && d >= plen &&
	       strncasecmp(domain + d - plen, parent, plen) == 0 &&
	       (d == plen || domain[d - plen - 1] == '.');
}

char *address_lower(char *s)
{
	for (char *p = s; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

char *address_lower_dup(const char *s)
{
	return address_lower(s ? strdup(s) : NULL);
}
