/*
 * envelope - what the MTA told us about a message besides its bytes:
 * SMTP envelope, client and macros. Filled by the milter, or left empty by
 * `kensa scan`; conditions on it are added by the policy.
 */
#ifndef KENSA_ENVELOPE_H
#define KENSA_ENVELOPE_H

#include <stddef.h>

struct envelope {
	char *queue_id;
	char *sender;
	char **rcpts;
	size_t nrcpts;
	char *client_addr;
	char *client_name;
	char *helo;
	char *auth;
	char *daemon_name; /* Postfix's {daemon_name} */
	/* 1 outbound, 0 inbound (direction.h); -1 not known yet: a stored
	 * envelope that does not say, classified when it is scanned */
	int outbound;
};

#endif
