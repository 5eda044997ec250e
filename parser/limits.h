/*
 * limits - the bounds every parser obeys, named and configurable
 * (kensa.yaml `limits:`), with safe defaults.
 *
 * decoded_bytes is the one expanded-bytes budget per message that every
 * decoder draws on (base64/QP, compound-file streams, OOXML members and
 * OVBA now; zip, zlib, RTF hex, PDF streams later).
 */
#ifndef KENSA_LIMITS_H
#define KENSA_LIMITS_H

#include <stddef.h>

struct scan_limits {
	unsigned mime_depth;	/* nesting of multiparts and message/rfc822 */
	unsigned mime_parts;	/* leaf and container parts per message */
	size_t message_bytes;	/* raw message size that is parsed at all */
	size_t decoded_bytes;	/* shared expanded-bytes budget per message */
	unsigned findings;	/* findings kept per message */
	unsigned nesting_depth; /* containers opened inside each other */
};

#define SCAN_LIMITS_DEFAULT                                                    \
	{                                                                      \
		.mime_depth = 20, .mime_parts = 500,                           \
		.message_bytes = (size_t)200 << 20,                            \
		.decoded_bytes = (size_t)256 << 20, .findings = 1000,          \
		.nesting_depth = 5,                                            \
	}

#endif
