#include "pdf_stream.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pdf_lex.h"

#define PDF_INFLATE_CHUNK 65536

struct outbuf {
	struct scan_ctx *ctx;
	uint8_t *p;
	size_t len, cap, max;
	int cut;
};

/* Room for want more bytes, from the budget; how many were granted. */
static size_t out_reserve(struct outbuf *o, size_t want)
{
	size_t granted;

	if (o->len >= o->max) {
		o->cut = 1;
		return 0;
	}
	if (want > o->max - o->len)
		want = o->max - o->len;
	granted = scan_budget_take(o->ctx, want);
	if (granted < want)
		o->cut = 1;
	if (!granted)
		return 0;
	if (o->len + granted > o->cap) {
		size_t ncap = o->cap ? o->cap : 4096;
		uint8_t *np;
		while (ncap < o->len + granted)
			ncap =
			    ncap > SIZE_MAX / 2 ? o->len + granted : ncap * 2;
		np = realloc(o->p, ncap);
		if (!np)
			return 0;
		o->p = np;
		o->cap = ncap;
	}
	return granted;
}

static enum pdf_dec flate(struct outbuf *o, struct span in)
{
	z_stream z;
	enum pdf_dec rc = PDF_DEC_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return PDF_DEC_NOMEM;
	z.next_in = (Bytef *)in.ptr;
	z.avail_in = in.len > UINT32_MAX ? UINT32_MAX : (uInt)in.len;
	for (;;) {
		size_t room = out_reserve(o, PDF_INFLATE_CHUNK);
		int zr;
		if (!room) {
			rc = o->cut ? PDF_DEC_CUT : PDF_DEC_NOMEM;
			break;
		}
		z.next_out = o->p + o->len;
		z.avail_out = (uInt)room;
		zr = inflate(&z, Z_NO_FLUSH);
		o->len += room - z.avail_out;
		/* unused budget goes back */
		o->ctx->budget_left += z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_BUF_ERROR && z.avail_in == 0)
			break; /* truncated stream: keep what came out */
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			rc = PDF_DEC_DAMAGED;
			break;
		}
		if (z.avail_in == 0 && z.avail_out != 0)
			break;
	}
	if (rc == PDF_DEC_OK && o->cut)
		rc = PDF_DEC_CUT;
	inflateEnd(&z);
	return rc;
}

static enum pdf_dec ahx(struct outbuf *o, struct span in)
{
	size_t room = out_reserve(o, in.len / 2 + 1);
	size_t end = o->len + room;
	int hi = -1;

	for (size_t i = 0; i < in.len && o->len < end; i++) {
		int v;
		if (in.ptr[i] == '>')
			break;
		if ((v = pdf_hexval(in.ptr[i])) < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			o->p[o->len++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0 && o->len < end)
		o->p[o->len++] = (uint8_t)(hi << 4);
	o->ctx->budget_left += end - o->len;
	return o->cut ? PDF_DEC_CUT : PDF_DEC_OK;
}

static enum pdf_dec a85(struct outbuf *o, struct span in)
{
	size_t room = out_reserve(o, in.len * 4 + 4);
	size_t end = o->len + room;
	uint32_t acc = 0;
	int n = 0;
	size_t i = 0;

	if (in.len >= 2 && in.ptr[0] == '<' && in.ptr[1] == '~')
		i = 2;
	for (; i < in.len; i++) {
		uint8_t c = in.ptr[i];
		if (c == '~')
			break;
		if (c == 'z' && n == 0) {
			for (int k = 0; k < 4 && o->len < end; k++)
				o->p[o->len++] = 0;
			continue;
		}
		if (c < '!' || c > 'u')
			continue;
		acc = acc * 85 + (uint32_t)(c - '!');
		if (++n == 5) {
			for (int k = 3; k >= 0 && o->len < end; k--)
				o->p[o->len++] = (uint8_t)(acc >> (8 * k));
			acc = 0;
			n = 0;
		}
	}
	if (n > 1) {
		int got = n - 1;
		for (; n < 5; n++)
			acc = acc * 85 + 84;
		for (int k = 3; k >= 4 - got && o->len < end; k--)
			o->p[o->len++] = (uint8_t)(acc >> (8 * k));
	}
	o->ctx->budget_left += end - o->len;
	return o->cut ? PDF_DEC_CUT : PDF_DEC_OK;
}

static int is_filter(const char *name, const char *full, const char *abbr)
{
	return strcmp(name, full) == 0 || strcmp(name, abbr) == 0;
}

enum pdf_dec pdf_stream_decode(struct scan_ctx *ctx, struct span raw,
			       const struct pdf_filters *f, size_t cap,
			       uint8_t **out, size_t *outlen)
{
	struct span in = raw;
	uint8_t *prev = NULL;
	enum pdf_dec rc = PDF_DEC_OK;

	*out = NULL;
	*outlen = 0;
	if (f->too_many)
		return PDF_DEC_UNSUPPORTED;
	for (unsigned i = 0; i < f->n; i++) {
		const char *n = f->name[i];
		if (!is_filter(n, "FlateDecode", "Fl") &&
		    !is_filter(n, "ASCIIHexDecode", "AHx") &&
		    !is_filter(n, "ASCII85Decode", "A85"))
			return PDF_DEC_UNSUPPORTED;
	}
	for (unsigned i = 0; i < f->n; i++) {
		struct outbuf o = {ctx, NULL, 0, 0, cap, 0};
		const char *n = f->name[i];
		enum pdf_dec r;
		if (is_filter(n, "FlateDecode", "Fl"))
			r = flate(&o, in);
		else if (is_filter(n, "ASCIIHexDecode", "AHx"))
			r = ahx(&o, in);
		else
			r = a85(&o, in);
		free(prev);
		prev = o.p;
		in = span_make(o.p, o.len);
		if (r == PDF_DEC_NOMEM) {
			free(prev);
			return r;
		}
		if (r != PDF_DEC_OK)
			rc = r;
	}
	if (!f->n) {
		size_t granted =
		    scan_budget_take(ctx, raw.len < cap ? raw.len : cap);
		prev = malloc(granted ? granted : 1);
		if (!prev)
			return PDF_DEC_NOMEM;
		memcpy(prev, raw.ptr, granted);
		in = span_make(prev, granted);
		if (granted < raw.len)
			rc = PDF_DEC_CUT;
	}
	*out = prev;
	*outlen = in.len;
	return rc;
}
