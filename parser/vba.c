/*
 * vba - VBA projects of a compound file; see vba.h for what is read, what
 * is refused and the limits.
 */
#include "vba.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "ovba.h"
#include "utf8.h"

enum {
	VBA_REC_CODEPAGE = 0x0003,
	VBA_REC_VERSION = 0x0009,
	VBA_REC_END = 0x0010,
	VBA_REC_MODULENAME = 0x0019,
	VBA_REC_STREAMNAME = 0x001A,
	VBA_REC_TERMINATOR = 0x002B,
	VBA_REC_OFFSET = 0x0031,
	VBA_REC_STREAMNAME_UTF16 = 0x0032,
	VBA_REC_MODULENAME_UTF16 = 0x0047,
};

static int vba_dir_add(struct vba_dir *d)
{
	if (d->nmodules == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 8;
		struct vba_dir_module *m =
		    realloc(d->modules, ncap * sizeof(*m));
		if (!m)
			return VBA_E_NOMEM;
		d->modules = m;
		d->cap = ncap;
	}
	memset(&d->modules[d->nmodules++], 0, sizeof(*d->modules));
	return VBA_OK;
}

static void vba_dir_record(struct vba_dir_module *m, unsigned id,
			   struct span data)
{
	switch (id) {
	case VBA_REC_MODULENAME: m->name = data; break;
	case VBA_REC_MODULENAME_UTF16: m->name_utf16 = data; break;
	case VBA_REC_STREAMNAME: m->stream = data; break;
	case VBA_REC_STREAMNAME_UTF16: m->stream_utf16 = data; break;
	case VBA_REC_OFFSET:
		if (data.len >= 4)
			m->offset = bytes_le32(data.ptr);
		break;
	default: break;
	}
}

int vba_dir_parse(struct span dir, struct vba_dir *out)
{
	struct vba_dir_module *cur = NULL;
	size_t pos = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->codepage = 1252;
	while (dir.len - pos >= 6) {
		unsigned id = dir.ptr[pos] | dir.ptr[pos + 1] << 8;
		size_t size = bytes_le32(dir.ptr + pos + 2);
		struct span data;
		if (id == VBA_REC_VERSION)
			size = 6;
		if (size > dir.len - pos - 6)
			return VBA_E_FORMAT;
		data = span_make(dir.ptr + pos + 6, size);
		pos += 6 + size;
		if (id == VBA_REC_END)
			break;
		if (id == VBA_REC_CODEPAGE && size >= 2 && !cur)
			out->codepage = data.ptr[0] | data.ptr[1] << 8;
		if (id == VBA_REC_MODULENAME) {
			if ((rc = vba_dir_add(out)) < 0)
				return rc;
			cur = &out->modules[out->nmodules - 1];
		}
		if (cur)
			vba_dir_record(cur, id, data);
		if (id == VBA_REC_TERMINATOR)
			cur = NULL;
	}
	return VBA_OK;
}

void vba_dir_free(struct vba_dir *d)
{
	free(d->modules);
	memset(d, 0, sizeof(*d));
}

static const char *vba_charset(unsigned cp, char *buf, size_t len)
{
	switch (cp) {
	case 65001: return "UTF-8";
	case 1200: return "UTF-16LE";
	case 1201: return "UTF-16BE";
	case 10000: return "MACINTOSH";
	case 20127: return "ASCII";
	case 28591: return "ISO-8859-1";
	default: snprintf(buf, len, "CP%u", cp); return buf;
	}
}

char *vba_to_utf8(struct span bytes, unsigned cp, size_t *outlen)
{
	char name[16];
	gsize written = 0;
	gchar *conv;
	char *out;

	if (utf8_valid(bytes.ptr, bytes.len) && cp != 1200 && cp != 1201) {
		out = utf8_repair(bytes.ptr, bytes.len);
		if (out && outlen)
			*outlen = strlen(out);
		return out;
	}
	conv = g_convert_with_fallback(
	    (const gchar *)bytes.ptr, (gssize)bytes.len, "UTF-8",
	    vba_charset(cp, name, sizeof(name)), "?", NULL, &written, NULL);
	out = conv ? utf8_repair(conv, written)
		   : utf8_repair(bytes.ptr, bytes.len);
	g_free(conv);
	if (out && outlen)
		*outlen = strlen(out);
	return out;
}

static char *vba_utf16_to_utf8(struct span s)
{
	return vba_to_utf8(span_make(s.ptr, s.len & ~(size_t)1), 1200, NULL);
}

static char *vba_name(struct span utf16, struct span mbcs, unsigned cp)
{
	if (utf16.len >= 2)
		return vba_utf16_to_utf8(utf16);
	return vba_to_utf8(mbcs, cp, NULL);
}

int vba_find_projects(const struct cfb *c, uint32_t **ids, size_t *n)
{
	uint32_t dir;

	*n = 0;
	*ids = malloc(((size_t)c->ndir + 1) * sizeof(**ids));
	if (!*ids)
		return VBA_E_NOMEM;
	for (uint32_t i = 0; i < c->ndir; i++) {
		const struct cfb_entry *e = &c->dir[i];
		if (e->type != CFB_STORAGE || strcasecmp(e->name, "VBA") != 0 ||
		    e->parent == CFB_NONE)
			continue;
		if (cfb_child(c, i, "dir", &dir) == 0 &&
		    c->dir[dir].type == CFB_STREAM)
			(*ids)[(*n)++] = i;
	}
	return VBA_OK;
}

/* "Macros/VBA": the names from below the root down to id. */
static char *vba_storage_path(const struct cfb *c, uint32_t id)
{
	uint32_t chain[PATH_MAX_ELEMS], n = 0;
	size_t len = 1;
	char *path;

	while (id != CFB_NONE && id != 0 && id < c->ndir &&
	       n < PATH_MAX_ELEMS) {
		chain[n++] = id;
		len += strlen(c->dir[id].name) + 1;
		id = c->dir[id].parent;
	}
	path = malloc(len);
	if (!path)
		return NULL;
	path[0] = '\0';
	while (n > 0) {
		strcat(path, c->dir[chain[--n]].name);
		if (n > 0)
			strcat(path, "/");
	}
	return path;
}

static int vba_status_of(int cfb_or_ovba)
{
	if (cfb_or_ovba == CFB_E_BUDGET)
		return VBA_E_BUDGET;
	if (cfb_or_ovba == CFB_E_NOMEM)
		return VBA_E_NOMEM;
	return VBA_E_FORMAT;
}

/*
 * The streams of a VBA storage sorted by name, so that finding each
 * module's stream costs a binary search, not a walk of the directory.
 */
struct vba_streams {
	const struct cfb *c;
	uint32_t *ids;
	size_t n;
};

static int vba_stream_cmp(const void *a, const void *b, void *arg)
{
	const struct cfb *c = arg;

	return strcasecmp(c->dir[*(const uint32_t *)a].name,
			  c->dir[*(const uint32_t *)b].name);
}

static int vba_streams_init(struct vba_streams *s, const struct cfb *c,
			    uint32_t vba)
{
	s->c = c;
	s->n = 0;
	s->ids = malloc(((size_t)c->ndir + 1) * sizeof(*s->ids));
	if (!s->ids)
		return VBA_E_NOMEM;
	for (uint32_t i = 0; i < c->ndir; i++)
		if (c->dir[i].parent == vba && c->dir[i].type == CFB_STREAM)
			s->ids[s->n++] = i;
	qsort_r(s->ids, s->n, sizeof(*s->ids), vba_stream_cmp, (void *)c);
	return VBA_OK;
}

static int vba_streams_find(const struct vba_streams *s, const char *name,
			    uint32_t *id)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcasecmp(name, s->c->dir[s->ids[mid]].name);
		if (cmp == 0) {
			*id = s->ids[mid];
			return 0;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 1;
}

/* Only bytes 1 to 127: UTF-8 as it is, in every code page VBA uses. */
static int vba_ascii(const uint8_t *p, size_t len)
{
	uint64_t high = 0;
	size_t i = 0;

	if (memchr(p, 0, len))
		return 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		high |= w;
	}
	for (; i < len; i++)
		high |= p[i];
	return !(high & 0x8080808080808080ull);
}

static void vba_module_source(struct cfb *c, const struct vba_streams *streams,
			      unsigned cp, struct vba_module *m,
			      uint32_t offset)
{
	uint8_t *raw = NULL, *text = NULL;
	size_t rawlen = 0, textlen = 0;
	uint32_t id;
	int rc;

	if (!m->stream || vba_streams_find(streams, m->stream, &id) != 0) {
		m->status = VBA_E_FORMAT;
		return;
	}
	rc = cfb_read(c, id, &raw, &rawlen);
	if (rc == CFB_OK && offset > rawlen)
		rc = CFB_E_FORMAT;
	if (rc == CFB_OK)
		rc = ovba_decompress(c->ctx,
				     span_make(raw + offset, rawlen - offset),
				     &text, &textlen);
	free(raw);
	if (rc < 0) {
		m->status = vba_status_of(rc);
		return;
	}
	m->packed_len = textlen;
	if (cp != 1200 && cp != 1201 &&
	    (vba_ascii(text, textlen) || utf8_valid(text, textlen))) {
		m->source = (char *)text;
		m->source_len = textlen;
		return;
	}
	m->source = vba_to_utf8(span_make(text, textlen), cp, &m->source_len);
	free(text);
	if (!m->source)
		m->status = VBA_E_NOMEM;
}

static int vba_modules(struct cfb *c, uint32_t vba, const struct vba_dir *d,
		       struct vba_project *p)
{
	struct vba_streams streams;
	int rc = VBA_OK;

	p->modules = calloc(d->nmodules + 1, sizeof(*p->modules));
	if (!p->modules || vba_streams_init(&streams, c, vba) < 0)
		return VBA_E_NOMEM;
	for (size_t i = 0; i < d->nmodules; i++) {
		const struct vba_dir_module *dm = &d->modules[i];
		struct vba_module *m = &p->modules[p->nmodules++];
		m->name = vba_name(dm->name_utf16, dm->name, d->codepage);
		m->stream = vba_name(dm->stream_utf16, dm->stream, d->codepage);
		if (!m->name || !m->stream) {
			rc = VBA_E_NOMEM;
			break;
		}
		vba_module_source(c, &streams, d->codepage, m, dm->offset);
		if (m->status == VBA_E_NOMEM) {
			rc = VBA_E_NOMEM;
			break;
		}
	}
	free(streams.ids);
	return rc;
}

int vba_project_read(struct cfb *c, uint32_t vba, struct vba_project *p)
{
	uint8_t *raw = NULL, *dirbuf = NULL;
	size_t rawlen, dirlen;
	struct vba_dir d;
	uint32_t id;
	int rc;

	memset(p, 0, sizeof(*p));
	p->storage = vba_storage_path(c, vba);
	if (!p->storage)
		return VBA_E_NOMEM;
	if (cfb_child(c, vba, "dir", &id) != 0)
		return VBA_E_FORMAT;
	if ((rc = cfb_read(c, id, &raw, &rawlen)) < 0)
		return vba_status_of(rc);
	rc = ovba_decompress(c->ctx, span_make(raw, rawlen), &dirbuf, &dirlen);
	free(raw);
	if (rc < 0)
		return vba_status_of(rc);
	rc = vba_dir_parse(span_make(dirbuf, dirlen), &d);
	if (rc == VBA_OK) {
		p->codepage = d.codepage;
		rc = vba_modules(c, vba, &d, p);
	}
	vba_dir_free(&d);
	free(dirbuf);
	return rc;
}

void vba_project_free(struct vba_project *p)
{
	for (size_t i = 0; i < p->nmodules; i++) {
		free(p->modules[i].name);
		free(p->modules[i].stream);
		free(p->modules[i].source);
	}
	free(p->modules);
	free(p->storage);
	memset(p, 0, sizeof(*p));
}
