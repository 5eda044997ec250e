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
	int outbound;	   /* direction_outbound() said so */
};

#endif
