/*
 * pdf_stream - decodes the data of a PDF stream through its filters
 * (ISO 32000-1 7.4): FlateDecode (zlib), ASCIIHexDecode, ASCII85Decode,
 * at most PDF_MAX_FILTERS of them; any other filter (LZW, image codecs,
 * Crypt) is refused as unsupported. Predictors (DecodeParms) are not
 * applied: the streams kensa reads (object streams, embedded files) do not
 * use them in practice. Every byte a filter produces is taken from the
 * message's expanded-bytes budget (scan_budget_take) and the output of
 * one stream is at most cap bytes; a broken Flate stream yields what was
 * inflated before the damage, as readers do.
 */
#ifndef KENSA_PDF_STREAM_H
#define KENSA_PDF_STREAM_H

#include <stdint.h>

#include "pdf_lex.h"
#include "scan_ctx.h"

#define PDF_MAX_FILTERS 4

enum pdf_dec {
	PDF_DEC_OK,
	PDF_DEC_CUT,	     /* cap or budget reached: output is a prefix */
	PDF_DEC_DAMAGED,     /* a filter failed: output is what came before */
	PDF_DEC_UNSUPPORTED, /* a filter kensa does not decode: no output */
	PDF_DEC_NOMEM,
};

struct pdf_filters {
	unsigned n;
	char name[PDF_MAX_FILTERS][PDF_NAME_MAX];
	int too_many;
};

/*
 * Decodes raw through f into a malloc'd *out (free() it; NULL when
 * nothing came out) of *outlen bytes; returns how it went.
 */
enum pdf_dec pdf_stream_decode(struct scan_ctx *ctx, struct span raw,
			       const struct pdf_filters *f, size_t cap,
			       uint8_t **out, size_t *outlen);

#endif
