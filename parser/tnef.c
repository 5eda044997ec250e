#include "tnef.h"

#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "dispatch.h"
#include "member.h"
#include "utf8.h"

#define TNEF_SIGNATURE 0x223e9f78u
#define LVL_ATTACHMENT 2
#define ATT_RENDDATA   0x9002 /* starts an attachment */
#define ATT_TITLE      0x8010
#define ATT_DATA       0x800f
#define ATT_MAPI       0x9005 /* attAttachment: its MAPI properties */

#define PR_ATTACH_DATA_OBJ	0x3701
#define PR_ATTACH_FILENAME	0x3704
#define PR_ATTACH_LONG_FILENAME 0x3707

#define PT_OBJECT  0x000d
#define PT_STRING8 0x001e
#define PT_UNICODE 0x001f
#define PT_BINARY  0x0102
#define MV_FLAG	   0x1000

enum name_rank { RANK_NONE, RANK_TITLE, RANK_SHORT, RANK_LONG };

struct walk {
	struct tnef_attachment a;
	enum name_rank rank;
	int open;
	int count;
	int stop;
	int (*fn)(void *arg, const struct tnef_attachment *a);
	void *arg;
};

/* Whether n bytes are there at off of len. */
static int have(size_t off, size_t n, size_t len)
{
	return off <= len && len - off >= n;
}

/* A name from 8-bit (kept as it is; the report repairs it) or UTF-16LE
 * bytes, up to the first NUL. */
static void set_name(struct walk *w, struct span v, int utf16,
		     enum name_rank rank)
{
	char *out = w->a.name;
	size_t cap = sizeof(w->a.name), o = 0;

	if (rank <= w->rank)
		return;
	if (utf16) {
		utf8_from_utf16(v.ptr, v.len, 0, out, cap);
	} else {
		for (size_t i = 0; i < v.len && v.ptr[i] && o + 1 < cap; i++)
			out[o++] = (char)v.ptr[i];
		out[o] = '\0';
	}
	if (out[0])
		w->rank = rank;
}

static void flush(struct walk *w)
{
	if (w->open && !w->stop) {
		w->count++;
		if (w->fn(w->arg, &w->a))
			w->stop = 1;
	}
	memset(&w->a, 0, sizeof(w->a));
	w->rank = RANK_NONE;
	w->open = 0;
}

static size_t fixed_size(unsigned type)
{
	switch (type) {
	case 0x0002: /* I2 */
	case 0x0003: /* I4 */
	case 0x0004: /* R4 */
	case 0x000a: /* ERROR */
	case 0x000b: /* BOOLEAN */ return 4;
	case 0x0005: /* R8 */
	case 0x0006: /* CURRENCY */
	case 0x0007: /* APPTIME */
	case 0x0014: /* I8 */
	case 0x0040: /* SYSTIME */ return 8;
	case 0x0048: /* CLSID */ return 16;
	default: return 0;
	}
}

/* One property value of a variable type, taken when it is one we use. */
static void take_value(struct walk *w, unsigned id, unsigned type,
		       struct span v, int cut)
{
	if (id == PR_ATTACH_LONG_FILENAME || id == PR_ATTACH_FILENAME) {
		if (type == PT_STRING8 || type == PT_UNICODE)
			set_name(w, v, type == PT_UNICODE,
				 id == PR_ATTACH_LONG_FILENAME ? RANK_LONG
							       : RANK_SHORT);
	} else if (id == PR_ATTACH_DATA_OBJ && !w->a.has_data) {
		if (type == PT_OBJECT) { /* an IID, then the object */
			if (v.len < 16)
				return;
			v = span_make(v.ptr + 16, v.len - 16);
		}
		w->a.data = v;
		w->a.has_data = 1;
		w->a.truncated = cut;
	}
}

/* The MAPI properties of an attachment (MS-OXTNEF 2.1.3.4). */
static void mapi_props(struct walk *w, struct span s, int cut)
{
	const uint8_t *p = s.ptr;
	size_t len = s.len, off = 4;
	uint32_t count;

	if (!have(0, 4, len))
		return;
	count = bytes_le32(p);
	for (uint32_t i = 0; i < count; i++) {
		unsigned type, id, base;
		uint32_t nvalues = 1;
		if (!have(off, 4, len))
			return;
		type = bytes_le16(p + off);
		id = bytes_le16(p + off + 2);
		off += 4;
		if (id >= 0x8000) { /* named: GUID, kind, id or name */
			uint32_t kind;
			if (!have(off, 20, len))
				return;
			kind = bytes_le32(p + off + 16);
			off += 20;
			if (kind != 0) {
				uint32_t nlen;
				if (!have(off, 4, len))
					return;
				nlen = bytes_le32(p + off);
				off += 4;
				if (!have(off, nlen, len))
					return;
				off += ((size_t)nlen + 3) & ~(size_t)3;
			} else {
				off += 4;
			}
		}
		base = type & ~MV_FLAG;
		if (fixed_size(base)) {
			if (type & MV_FLAG) {
				if (!have(off, 4, len))
					return;
				nvalues = bytes_le32(p + off);
				off += 4;
			}
			if (nvalues >
			    (len - (off < len ? off : len)) / fixed_size(base))
				return;
			off += (size_t)nvalues * fixed_size(base);
			continue;
		}
		if (base != PT_STRING8 && base != PT_UNICODE &&
		    base != PT_BINARY && base != PT_OBJECT)
			return; /* unknown type: its size is unknown */
		if (!have(off, 4, len))
			return;
		nvalues = bytes_le32(p + off);
		off += 4;
		for (uint32_t k = 0; k < nvalues; k++) {
			uint32_t vlen;
			int vcut = 0;
			if (!have(off, 4, len))
				return;
			vlen = bytes_le32(p + off);
			off += 4;
			if (!have(off, vlen, len)) {
				vlen = (uint32_t)(len - off);
				vcut = 1;
			}
			if (!(type & MV_FLAG))
				take_value(w, id, base,
					   span_make(p + off, vlen),
					   vcut || (cut && off + vlen == len));
			if (vcut)
				return;
			off += ((size_t)vlen + 3) & ~(size_t)3;
		}
	}
}

static void attribute(struct walk *w, unsigned level, uint32_t attr,
		      struct span v, int cut)
{
	unsigned id = attr & 0xffff;

	if (level != LVL_ATTACHMENT)
		return;
	if (id == ATT_RENDDATA) {
		flush(w);
		w->open = 1;
		return;
	}
	w->open = 1; /* attributes before any RendData still count */
	if (id == ATT_TITLE) {
		set_name(w, v, 0, RANK_TITLE);
	} else if (id == ATT_DATA) {
		w->a.data = v;
		w->a.has_data = 1;
		w->a.truncated = cut;
	} else if (id == ATT_MAPI) {
		mapi_props(w, v, cut);
	}
}

int tnef_walk(struct span s,
	      int (*fn)(void *arg, const struct tnef_attachment *a), void *arg)
{
	struct walk w;
	size_t off = 6;

	if (!have(0, 6, s.len) || bytes_le32(s.ptr) != TNEF_SIGNATURE)
		return -1;
	memset(&w, 0, sizeof(w));
	w.fn = fn;
	w.arg = arg;
	while (!w.stop && have(off, 9, s.len)) {
		unsigned level = s.ptr[off];
		uint32_t attr = bytes_le32(s.ptr + off + 1);
		uint32_t alen = bytes_le32(s.ptr + off + 5);
		int cut = 0;
		off += 9;
		if (!have(off, alen, s.len)) {
			alen = (uint32_t)(s.len - off);
			cut = 1;
		}
		attribute(&w, level, attr, span_make(s.ptr + off, alen), cut);
		if (cut)
			break;
		off += (size_t)alen + 2; /* the checksum, not checked */
	}
	flush(&w);
	return w.count;
}

struct tnef_scan {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
	struct member_limits ml;
	unsigned n;
};

static int scan_one(void *arg, const struct tnef_attachment *a)
{
	struct tnef_scan *t = arg;
	struct scan_ctx *ctx = t->ctx;
	char fallback[32];
	const char *name = a->name;

	t->n++;
	if (!a->has_data)
		return 0;
	if (t->n > TNEF_MAX_ATTACHMENTS) {
		scan_finding(ctx, "scan.limit", t->part->path,
			     "TNEF attachments over %u", TNEF_MAX_ATTACHMENTS);
		return 1;
	}
	if (member_next(&t->ml, t->n))
		return 1;
	if (ctx->nesting >= ctx->limits->nesting_depth) {
		scan_finding(ctx, "archive.depth_exceeded", t->part->path,
			     "nesting over %u", ctx->limits->nesting_depth);
		return 1;
	}
	if (!name[0]) {
		snprintf(fallback, sizeof(fallback), "attachment%u", t->n);
		name = fallback;
	}
	dispatch_child(ctx, t->part, name, a->data, a->truncated);
	return 0;
}

int tnef_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct tnef_scan t = {ctx, part, {0}, 0};

	member_limits_init(&t.ml, ctx, part);
	tnef_walk(part->content, scan_one, &t);
	return 0;
}
