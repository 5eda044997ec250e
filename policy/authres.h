/*
 * authres - Authentication-Results header fields (RFC 8601) as the MTA
 * recorded them: only fields whose authserv-id is one of the policy's
 * trusted_authserv_ids count (a sender can write the header too). Each
 * resinfo "method=result" is read with the domain it is about: dkim
 * header.d (or header.i), spf smtp.mailfrom (or smtp.helo), dmarc
 * header.from. Comments are skipped; bounded by the field's length.
 */
#ifndef KENSA_AUTHRES_H
#define KENSA_AUTHRES_H

#include <stddef.h>

#include "../parser/report.h"

/* Calls fn(method, result, domain) for each trusted resinfo; stops when
 * fn returns non-zero and returns that. */
int authres_foreach(const struct report *r, char *const *trusted,
		    size_t ntrusted,
		    int (*fn)(const char *method, const char *result,
			      const char *domain, void *arg),
		    void *arg);

#endif
