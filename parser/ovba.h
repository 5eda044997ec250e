/*
 * ovba - the MS-OVBA compression used by VBA project streams (dir and
 * module source): a signature byte 0x01, then chunks of at most 4096
 * decompressed bytes, each compressed (flag bytes, literals and copy
 * tokens) or raw (4096 bytes as they are).
 *
 * Refuses a bad signature, a chunk header whose signature bits are not
 * 0b011, a copy token whose offset reaches before the start of its chunk
 * and a chunk that would decompress to more than 4096 bytes. A chunk cut
 * short by the end of the input ends the stream. Every chunk's output is
 * charged to the message's expanded-bytes budget (limits.decoded_bytes);
 * OVBA_E_BUDGET when it runs out.
 */
#ifndef KENSA_OVBA_H
#define KENSA_OVBA_H

#include <stdint.h>

#include "scan_ctx.h"
#include "span.h"

enum ovba_status {
	OVBA_OK = 0,
	OVBA_E_FORMAT = -1,
	OVBA_E_BUDGET = -2,
	OVBA_E_NOMEM = -3,
};

/* Decompresses in into *out (malloc'd, NUL after *outlen bytes). */
int ovba_decompress(struct scan_ctx *ctx, struct span in, uint8_t **out,
		    size_t *outlen);

#endif
