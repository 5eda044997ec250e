/*
 * address - the parts of an e-mail address kensa compares: its domain and
 * the domain's registrable ("organizational") domain from the public
 * suffix list (libpsl's built-in copy of Debian's publicsuffix data, so it
 * works inside the worker sandbox without opening files).
 */
#ifndef KENSA_ADDRESS_H
#define KENSA_ADDRESS_H

#include <stddef.h>

/* The part after the last '@', or NULL. */
const char *address_domain(const char *address);

/* The registrable domain of domain (lower case expected), or domain itself
 * when the list knows none; NULL for NULL. Points into domain or into the
 * list's data: do not free. */
const char *address_org_domain(const char *domain);

/* Whether domain is parent (its first plen bytes; letters compared
 * without case) or a subdomain of it. */
int address_within(const char *domain, const char *parent, size_t plen);

/* s with its ASCII capitals made small, in place (domain names, schemes
 * and list entries compare without case; other bytes are kept); s, NULL
 * for NULL. */
char *address_lower(char *s);

/* A copy of s made small (address_lower); NULL for NULL or without
 * memory. */
char *address_lower_dup(const char *s);

#endif
