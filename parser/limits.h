/*
 * limits - the bounds every parser obeys, named and configurable
 * (kensa.yaml `limits:`), with safe defaults.
 *
 * decoded_bytes is the one expanded-bytes budget per message that every
 * decoder draws on (base64/QP, compound-file streams, OOXML members and
 * OVBA, archive members now; zlib, RTF hex, PDF object streams and embedded
 * files).
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

	/* archives (parser/zip.c) and their passwords (parser/passwords.c) */
	unsigned archive_entries;	/* members read per message */
	unsigned archive_ratio;		/* expanded bytes per archive byte */
	size_t archive_member_bytes;	/* bytes of one member held */
	size_t archive_head_bytes;	/* read of a member over a limit */
	unsigned password_tokens;	/* candidates of each kind */
	unsigned password_tries;	/* passwords tried per message */
	unsigned password_ms;		/* time spent trying them */
	unsigned office_password_tries; /* per encrypted Office document */

	unsigned urls; /* distinct URLs recorded and judged per message */

	/* PDF (parser/pdf.c) */
	unsigned pdf_objects; /* objects parsed per PDF */
	unsigned pdf_ms;      /* milliseconds of parsing per PDF */
};

#define SCAN_LIMITS_DEFAULT                                                    \
	{                                                                      \
		.mime_depth = 20, .mime_parts = 500,                           \
		.message_bytes = (size_t)200 << 20,                            \
		.decoded_bytes = (size_t)256 << 20, .findings = 1000,          \
		.nesting_depth = 5, SCAN_LIMITS_ARCHIVE_DEFAULT                \
	}
#define SCAN_LIMITS_ARCHIVE_DEFAULT                                            \
	.archive_entries = 1000, .archive_ratio = 100,                         \
	.archive_member_bytes = (size_t)64 << 20,                              \
	.archive_head_bytes = (size_t)4 << 20, .password_tokens = 100,         \
	.password_tries = 1000, .password_ms = 2000,                           \
	.office_password_tries = 20, .urls = 1000, .pdf_objects = 100000,      \
	.pdf_ms = 2000,

#endif
