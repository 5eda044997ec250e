/*
 * ovba - MS-OVBA decompression (section 2.4.1); see ovba.h for what is
 * refused and the budget.
 */
#include "ovba.h"

#include <stdlib.h>
#include <string.h>

#define OVBA_CHUNK 4096
#define OVBA_SLACK 8 /* room for a copy token's last eight-byte move */

/* Bits of a copy token's offset: ceil(log2(decompressed so far)), >= 4. */
static unsigned ovba_offset_bits(size_t done)
{
	unsigned bits;

	if (done <= 16)
		return 4;
	bits = 32 - (unsigned)__builtin_clz((unsigned)(done - 1));
	return bits;
}

/* One compressed chunk's data into chunk[] (OVBA_CHUNK bytes and
 * OVBA_SLACK more); *n bytes produced. */
static int ovba_chunk(struct span data, uint8_t *chunk, size_t *n)
{
	size_t pos = 0, out = 0;

	while (pos < data.len) {
		uint8_t flags = data.ptr[pos++];
		for (int bit = 0; bit < 8 && pos < data.len; bit++) {
			if (!(flags & (1u << bit))) {
				if (out >= OVBA_CHUNK)
					return OVBA_E_FORMAT;
				chunk[out++] = data.ptr[pos++];
				continue;
			}
			if (data.len - pos < 2)
				return OVBA_E_FORMAT;
			unsigned token = data.ptr[pos] | data.ptr[pos + 1] << 8;
			pos += 2;
			unsigned bits = ovba_offset_bits(out);
			size_t length = (token & (0xFFFFu >> bits)) + 3;
			size_t offset = (token >> (16 - bits)) + 1;
			if (offset > out || length > OVBA_CHUNK - out)
				return OVBA_E_FORMAT;
			if (offset >= 8) {
				/* eight at a time: each eight were written
				 * before they are read; up to 7 bytes past
				 * out + length land in the slack */
				for (size_t i = 0; i < length; i += 8)
					memcpy(chunk + out + i,
					       chunk + out - offset + i, 8);
				out += length;
			} else {
				for (size_t i = 0; i < length; i++, out++)
					chunk[out] = chunk[out - offset];
			}
		}
	}
	*n = out;
	return OVBA_OK;
}

static int ovba_append(struct scan_ctx *ctx, uint8_t **buf, size_t *len,
		       size_t *cap, const uint8_t *bytes, size_t n)
{
	if (ctx->budget_left < n)
		return OVBA_E_BUDGET;
	scan_budget_take(ctx, n);
	if (*len + n + 1 > *cap) {
		size_t ncap = *cap ? *cap * 2 : 2 * OVBA_CHUNK;
		uint8_t *p;
		while (ncap < *len + n + 1)
			ncap *= 2;
		p = realloc(*buf, ncap);
		if (!p)
			return OVBA_E_NOMEM;
		*buf = p;
		*cap = ncap;
	}
	memcpy(*buf + *len, bytes, n);
	*len += n;
	(*buf)[*len] = '\0';
	return OVBA_OK;
}

int ovba_decompress(struct scan_ctx *ctx, struct span in, uint8_t **out,
		    size_t *outlen)
{
	uint8_t chunk[OVBA_CHUNK + OVBA_SLACK];
	uint8_t *buf = NULL;
	size_t pos = 1, len = 0, cap = 0;
	int rc = OVBA_OK;

	*out = NULL;
	*outlen = 0;
	if (in.len < 1 || in.ptr[0] != 0x01)
		return OVBA_E_FORMAT;
	while (rc == OVBA_OK && in.len - pos >= 2) {
		unsigned header = in.ptr[pos] | in.ptr[pos + 1] << 8;
		size_t size = (header & 0x0FFF) + 3, n = 0;
		struct span data;
		if ((header >> 12 & 7) != 3) {
			rc = OVBA_E_FORMAT;
			break;
		}
		if (size > in.len - pos)
			size = in.len - pos;
		data = span_make(in.ptr + pos + 2, size - 2);
		pos += size;
		if (header & 0x8000) {
			rc = ovba_chunk(data, chunk, &n);
		} else {
			n = data.len < OVBA_CHUNK ? data.len : OVBA_CHUNK;
			memcpy(chunk, data.ptr, n);
		}
		if (rc == OVBA_OK)
			rc = ovba_append(ctx, &buf, &len, &cap, chunk, n);
	}
	if (rc == OVBA_OK && !buf)
		rc = ovba_append(ctx, &buf, &len, &cap, chunk, 0);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = len;
	return OVBA_OK;
}
