/*
 * ppt - ExOleObjStg records of PowerPoint 97-2003; see ppt.h.
 */
#include "ppt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "bytes.h"
#include "cfb.h"
#include "office.h"

#define PPT_REC_EXOLEOBJSTG  0x1011
#define PPT_REC_EXOLEOBJATOM 0x0FC3
#define PPT_REC_EXOLEEMBED   0x0FCC
#define PPT_REC_EXOLELINK    0x0FCE
#define PPT_REC_EXCONTROL    0x0FEE
#define PPT_REC_CSTRING	     0x0FBA
#define PPT_REC_PERSISTDIR   0x1772
#define PPT_INFLATE_STEP     ((size_t)64 << 10)
/* objects whose class is looked for; more are "unknown class" */
#define PPT_MAX_OBJECTS 64

/*
 * What the records tell of the embedded objects: each ExOleObjAtom's
 * persist id with the progIdAtom (CString, instance 2) of its container,
 * and, from the persist directory, the stream offset of the ExOleObjStg
 * that id names (later directories win, as later saves append theirs).
 */
struct ppt_objects {
	struct {
		uint32_t persist;
		size_t offset; /* of the ExOleObjStg record; SIZE_MAX: none */
		char progid[64];
	} obj[PPT_MAX_OBJECTS];
	size_t n;
};

/* A record header of the PowerPoint Document stream. */
struct ppt_rec {
	unsigned ver_inst, type;
	size_t pos, len; /* where the header is; the body's declared length */
	const uint8_t *body;
	int container; /* entered: the walk goes on with its first child */
};

/* The record at *pos, and *pos moved past it (past a container's header
 * only); 0 at the end or at a record that runs past the stream. */
static int ppt_next(struct span stream, size_t *pos, struct ppt_rec *r)
{
	const uint8_t *h = stream.ptr + *pos;

	if (stream.len - *pos < 8)
		return 0;
	r->ver_inst = bytes_le16(h);
	r->type = bytes_le16(h + 2);
	r->len = bytes_le32(h + 4);
	r->pos = *pos;
	r->body = h + 8;
	r->container = (r->ver_inst & 0xF) == 0xF;
	if (r->container) {
		*pos += 8;
		return 1;
	}
	if (r->len > stream.len - *pos - 8)
		return 0;
	*pos += 8 + r->len;
	return 1;
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

/* The progIdAtom's UTF-16 text, printable ASCII ('?' for the rest). */
static void ppt_progid(struct span s, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i + 1 < s.len && o + 1 < outlen; i += 2) {
		unsigned ch = s.ptr[i] | s.ptr[i + 1] << 8;
		if (ch == 0)
			break;
		out[o++] = ch >= 0x20 && ch < 0x7F ? (char)ch : '?';
	}
	out[o] = '\0';
}

/* One PersistDirectoryAtom: the offsets of the objects' persist ids
 * (entries of a first id, a count and that many offsets). */
static void ppt_persist_dir(struct span s, struct ppt_objects *objs)
{
	size_t at = 0;

	while (s.len - at >= 4) {
		uint32_t head = bytes_le32(s.ptr + at), id = head & 0xFFFFF;
		size_t count = head >> 20;
		at += 4;
		for (size_t i = 0; i < objs->n; i++) {
			size_t k = objs->obj[i].persist - (size_t)id;
			if (objs->obj[i].persist >= id && k < count &&
			    k < (s.len - at) / 4)
				objs->obj[i].offset =
				    bytes_le32(s.ptr + at + 4 * k);
		}
		at += count < (s.len - at) / 4 ? 4 * count : s.len - at;
	}
}

/*
 * The first walk: the objects' persist ids and progIds (inside an
 * ExOleEmbed, ExOleLink or ExControl container only), then where the
 * persist directories put them.
 */
static void ppt_find_objects(struct span stream, struct ppt_objects *objs)
{
	size_t pos = 0, container_end = 0;
	struct ppt_rec r;

	objs->n = 0;
	while (ppt_next(stream, &pos, &r)) {
		int inside = r.pos < container_end;
		if (r.container) {
			if ((r.type == PPT_REC_EXOLEEMBED ||
			     r.type == PPT_REC_EXOLELINK ||
			     r.type == PPT_REC_EXCONTROL) &&
			    r.len <= stream.len - r.pos - 8)
				container_end = r.pos + 8 + r.len;
			continue;
		}
		if (r.type == PPT_REC_EXOLEOBJATOM && inside && r.len >= 24 &&
		    objs->n < PPT_MAX_OBJECTS) {
			objs->obj[objs->n].persist = bytes_le32(r.body + 16);
			objs->obj[objs->n].offset = SIZE_MAX;
			objs->obj[objs->n].progid[0] = '\0';
			objs->n++;
		} else if (r.type == PPT_REC_CSTRING && r.ver_inst >> 4 == 2 &&
			   inside && objs->n &&
			   !objs->obj[objs->n - 1].progid[0])
			ppt_progid(span_make(r.body, r.len),
				   objs->obj[objs->n - 1].progid,
				   sizeof(objs->obj[0].progid));
		else if (r.type == PPT_REC_PERSISTDIR)
			ppt_persist_dir(span_make(r.body, r.len), objs);
	}
}

/* One storage that is a compound file: the object, then its part. */
static int ppt_object(struct scan_ctx *ctx, const struct part_ctx *part,
		      const char *name, struct span file, const char *progid)
{
	int rc;

	if (!cfb_is_cfb(file))
		return 0;
	rc = office_embedded_file(ctx, part, name, file, progid);
	return rc < 0 ? rc : office_child(ctx, part, name, file);
}

static int ppt_storage(struct scan_ctx *ctx, const struct part_ctx *part,
		       struct span data, unsigned instance, unsigned n,
		       const char *progid)
{
	char name[32];
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	snprintf(name, sizeof(name), "ExOleObjStg %u", n);
	if (instance != 1)
		return ppt_object(ctx, part, name, data, progid);
	if (data.len < 4)
		return 0;
	rc = ppt_inflate(ctx, span_make(data.ptr + 4, data.len - 4),
			 bytes_le32(data.ptr), &buf, &len);
	if (rc < 0)
		return office_status_finding(ctx, part, rc, name);
	rc = ppt_object(ctx, part, name, span_make(buf, len), progid);
	free(buf);
	return rc;
}

int ppt_scan(struct scan_ctx *ctx, const struct part_ctx *part,
	     struct span stream)
{
	struct ppt_objects *objs = malloc(sizeof(*objs));
	struct ppt_rec r;
	size_t pos = 0;
	unsigned n = 0;
	int rc = 0;

	if (!objs)
		return -1;
	ppt_find_objects(stream, objs);
	while (rc >= 0 && ppt_next(stream, &pos, &r)) {
		const char *progid = NULL;
		if (r.container || r.type != PPT_REC_EXOLEOBJSTG)
			continue;
		for (size_t i = 0; i < objs->n; i++)
			if (objs->obj[i].offset == r.pos)
				progid = objs->obj[i].progid;
		rc |= ppt_storage(ctx, part, span_make(r.body, r.len),
				  r.ver_inst >> 4, ++n, progid);
	}
	free(objs);
	return rc;
}
