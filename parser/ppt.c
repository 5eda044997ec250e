/*
 * ppt - ExOleObjStg records of PowerPoint 97-2003; see ppt.h.
 */
#include "ppt.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "cfb.h"
#include "office.h"

#define PPT_REC_EXOLEOBJSTG 0x1011
#define PPT_INFLATE_STEP    ((size_t)64 << 10)

static uint32_t ppt_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Inflates in, at most max bytes, growing the buffer within the budget. */
static int ppt_inflate(struct scan_ctx *ctx, struct span in, size_t max,
		       uint8_t **out, size_t *outlen)
{
	z_stream zs = {0};
	uint8_t *buf = NULL;
	size_t cap = 0;
	int zrc = Z_OK, rc = CFB_OK;

	if (inflateInit(&zs) != Z_OK)
		return CFB_E_NOMEM;
	zs.next_in = (Bytef *)in.ptr;
	zs.avail_in = (uInt)(in.len < UINT32_MAX ? in.len : UINT32_MAX);
	while (zrc == Z_OK && zs.total_out < max) {
		size_t grow = max - zs.total_out < PPT_INFLATE_STEP
				  ? max - zs.total_out
				  : PPT_INFLATE_STEP;
		uint8_t *p;
		if (ctx->budget_left < grow) {
			rc = CFB_E_BUDGET;
			break;
		}
		scan_budget_take(ctx, grow);
		p = realloc(buf, cap + grow);
		if (!p) {
			rc = CFB_E_NOMEM;
			break;
		}
		buf = p;
		cap += grow;
		zs.next_out = buf + zs.total_out;
		zs.avail_out = (uInt)(cap - zs.total_out);
		zrc = inflate(&zs, Z_NO_FLUSH);
	}
	if (rc == CFB_OK && zrc != Z_OK && zrc != Z_STREAM_END &&
	    zrc != Z_BUF_ERROR)
		rc = CFB_E_FORMAT;
	*outlen = zs.total_out;
	inflateEnd(&zs);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	return CFB_OK;
}

static int ppt_storage(struct scan_ctx *ctx, const struct part_ctx *part,
		       struct span data, unsigned instance, unsigned n)
{
	char name[32];
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	snprintf(name, sizeof(name), "ExOleObjStg %u", n);
	if (instance != 1)
		return cfb_is_cfb(data) ? office_child(ctx, part, name, data)
					: 0;
	if (data.len < 4)
		return 0;
	rc = ppt_inflate(ctx, span_make(data.ptr + 4, data.len - 4),
			 ppt_le32(data.ptr), &buf, &len);
	if (rc < 0)
		return office_status_finding(ctx, part, rc, name);
	if (cfb_is_cfb(span_make(buf, len)))
		rc = office_child(ctx, part, name, span_make(buf, len));
	free(buf);
	return rc;
}

int ppt_scan(struct scan_ctx *ctx, const struct part_ctx *part,
	     struct span stream)
{
	size_t pos = 0;
	unsigned n = 0;
	int rc = 0;

	while (stream.len - pos >= 8 && rc >= 0) {
		const uint8_t *h = stream.ptr + pos;
		unsigned ver_inst = h[0] | h[1] << 8, type = h[2] | h[3] << 8;
		size_t len = ppt_le32(h + 4);
		if ((ver_inst & 0xF) == 0xF) {
			pos += 8;
			continue;
		}
		if (len > stream.len - pos - 8)
			break;
		if (type == PPT_REC_EXOLEOBJSTG)
			rc |= ppt_storage(ctx, part, span_make(h + 8, len),
					  ver_inst >> 4, ++n);
		pos += 8 + len;
	}
	return rc;
}
