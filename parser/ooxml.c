/*
 * ooxml - OOXML packages through libzip (large deflated members inflated
 * by libdeflate); see ooxml.h for what is read, what is refused and the
 * limits.
 */
#include "ooxml.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "cfb.h"
#include "office.h"
#include "url_judge.h"
#include "xlsb.h"
#include "zip.h"
#include "entity.h"
#include "utf8.h"

#define OOXML_MAX_MACRO_SHEETS 256
#define OOXML_READ_STEP	       ((size_t)64 << 10)
/* deflated members from this size on are inflated by libdeflate */
#define OOXML_FAST_MIN ((size_t)64 << 10)

struct ooxml_doc {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
	zip_t *zip;
	int xlm_reported;
};

static int ooxml_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* One attribute at *at: name and quoted value; 0 when none is left. */
static int ooxml_attr(struct span tag, size_t *at, struct span *name,
		      struct span *value)
{
	size_t i = *at, start;
	uint8_t quote;

	while (i < tag.len && ooxml_space(tag.ptr[i]))
		i++;
	start = i;
	while (i < tag.len && tag.ptr[i] != '=' && !ooxml_space(tag.ptr[i]) &&
	       tag.ptr[i] != '/' && tag.ptr[i] != '>')
		i++;
	if (i == start)
		return 0;
	*name = span_make(tag.ptr + start, i - start);
	while (i < tag.len && ooxml_space(tag.ptr[i]))
		i++;
	if (i >= tag.len || tag.ptr[i] != '=')
		return 0;
	i++;
	while (i < tag.len && ooxml_space(tag.ptr[i]))
		i++;
	if (i >= tag.len || (tag.ptr[i] != '"' && tag.ptr[i] != '\''))
		return 0;
	quote = tag.ptr[i++];
	start = i;
	while (i < tag.len && tag.ptr[i] != quote)
		i++;
	if (i >= tag.len)
		return 0;
	*value = span_make(tag.ptr + start, i - start);
	*at = i + 1;
	return 1;
}

static int ooxml_name_is(struct span name, const char *want)
{
	size_t n = strlen(want);

	return name.len == n && memcmp(name.ptr, want, n) == 0;
}

static const uint8_t *ooxml_find(struct span hay, size_t from, const char *s)
{
	size_t n = strlen(s);

	if (from > hay.len)
		return NULL;
	return memmem(hay.ptr + from, hay.len - from, s, n);
}

/* Calls fn with the attributes of every <elem ...> start tag. */
static int ooxml_tags_each(struct span xml, const char *elem,
			   int (*fn)(void *arg, struct span tag), void *arg)
{
	size_t pos = 0, n = strlen(elem);
	int rc = 0;

	for (;;) {
		const uint8_t *hit = ooxml_find(xml, pos, elem), *end;
		if (!hit)
			break;
		pos = (size_t)(hit - xml.ptr) + n;
		if (pos >= xml.len || !ooxml_space(xml.ptr[pos]))
			continue;
		end = memchr(xml.ptr + pos, '>', xml.len - pos);
		if (!end)
			break;
		rc = fn(arg, span_make(xml.ptr + pos,
				       (size_t)(end - xml.ptr) - pos));
		if (rc < 0)
			return rc;
		pos = (size_t)(end - xml.ptr) + 1;
	}
	return rc;
}

/* The value of attribute name in a start tag, or 0. */
static int ooxml_attr_get(struct span tag, const char *name, struct span *v)
{
	struct span attr, value;
	size_t at = 0;

	while (ooxml_attr(tag, &at, &attr, &value))
		if (ooxml_name_is(attr, name)) {
			*v = value;
			return 1;
		}
	return 0;
}

struct ooxml_rels_cb {
	int (*fn)(void *arg, const struct ooxml_rel *rel);
	void *arg;
};

static int ooxml_rel_tag(void *arg, struct span tag)
{
	struct ooxml_rels_cb *cb = arg;
	struct ooxml_rel rel;

	memset(&rel, 0, sizeof(rel));
	ooxml_attr_get(tag, "Type", &rel.type);
	ooxml_attr_get(tag, "TargetMode", &rel.mode);
	ooxml_attr_get(tag, "Id", &rel.id);
	if (!ooxml_attr_get(tag, "Target", &rel.target))
		return 0;
	return cb->fn(cb->arg, &rel);
}

int ooxml_rels_each(struct span xml,
		    int (*fn)(void *arg, const struct ooxml_rel *rel),
		    void *arg)
{
	struct ooxml_rels_cb cb = {fn, arg};

	return ooxml_tags_each(xml, "<Relationship", ooxml_rel_tag, &cb);
}

char *ooxml_unescape(struct span value, size_t *outlen)
{
	char *out = malloc(value.len * 4 + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < value.len;) {
		size_t used = 1, k = 0;
		if (value.ptr[i] == '&')
			k = entity_decode((const char *)value.ptr + i,
					  value.len - i, 0, out + o, &used);
		if (k == 0) { /* not a reference: the byte as it is */
			out[o] = (char)(value.ptr[i] ? value.ptr[i] : '?');
			k = used = 1;
		}
		o += k;
		i += used;
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

/* The last segment of a relationship type URI. */
static struct span ooxml_rel_kind(struct span type)
{
	size_t i = type.len;

	if (!type.ptr)
		return span_make("", 0);
	while (i > 0 && type.ptr[i - 1] != '/')
		i--;
	return span_make(type.ptr + i, type.len - i);
}

static int ooxml_rel(void *arg, const struct ooxml_rel *rel)
{
	struct ooxml_doc *d = arg;
	struct span kind = ooxml_rel_kind(rel->type);
	const char *id = NULL;
	size_t len;
	char *target;
	int rc = 0;

	if (!ooxml_name_is(rel->mode, "External"))
		return 0;
	if (ooxml_name_is(kind, "attachedTemplate"))
		id = "office.template.external";
	else if (ooxml_name_is(kind, "oleObject") ||
		 ooxml_name_is(kind, "frame") ||
		 ooxml_name_is(kind, "subDocument"))
		id = "office.external_rel";
	target = ooxml_unescape(rel->target, &len);
	if (!target)
		return -1;
	if (id)
		rc = scan_finding(d->ctx, id, d->part->path, "%s", target);
	if (rc >= 0 && strstr(target, "://"))
		rc = url_found(d->ctx, d->part->path, span_make(target, len));
	free(target);
	return rc;
}

/*
 * A large deflated member in one call (libdeflate inflates at about twice
 * zlib's speed): the compressed bytes taken raw from libzip, inflated to
 * exactly the declared size, the CRC-32 checked. 1 and the bytes (charged
 * to the budget) when all of that went right; 0 when anything did not
 * or the declared size cannot be true (deflate expands at most 1032 to
 * 1): the member is then read by ooxml_read's libzip walk, which says
 * what is wrong as before, and allocates as before.
 */
static int ooxml_read_fast(struct ooxml_doc *d, zip_uint64_t i,
			   const zip_stat_t *st, uint8_t **buf, size_t *len)
{
	const zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
				  ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
				  ZIP_STAT_ENCRYPTION_METHOD;
	struct libdeflate_decompressor *dec;
	uint8_t *in, *out;
	zip_file_t *f;
	size_t size, got = 0;
	int ok;

	if ((st->valid & need) != need || st->comp_method != ZIP_CM_DEFLATE ||
	    st->encryption_method != ZIP_EM_NONE ||
	    st->size > d->ctx->budget_left || st->size < OOXML_FAST_MIN ||
	    st->size >= SIZE_MAX || st->comp_size > st->size + 1024 ||
	    st->size / 1032 > st->comp_size)
		return 0;
	size = (size_t)st->size;
	if (!(f = zip_fopen_index(d->zip, i, ZIP_FL_COMPRESSED)))
		return 0;
	in = malloc((size_t)st->comp_size + 1);
	out = malloc(size + 1);
	dec = libdeflate_alloc_decompressor();
	if (!in || !out || !dec) {
		zip_fclose(f);
		free(in);
		free(out);
		libdeflate_free_decompressor(dec);
		return 0;
	}
	ok = zip_fread(f, in, st->comp_size) == (zip_int64_t)st->comp_size &&
	     libdeflate_deflate_decompress(dec, in, (size_t)st->comp_size, out,
					   size, &got) == LIBDEFLATE_SUCCESS &&
	     got == size && libdeflate_crc32(0, out, size) == st->crc;
	zip_fclose(f);
	libdeflate_free_decompressor(dec);
	free(in);
	if (!ok) {
		free(out);
		return 0;
	}
	scan_budget_take(d->ctx, size);
	out[size] = '\0';
	*buf = out;
	*len = size;
	return 1;
}

/*
 * Reads member i whole, never past its declared size. The buffer starts
 * at what the member's compressed bytes can really give (deflate expands
 * at most 1032 to 1) and grows only past that, so a size that lies costs
 * nothing and an honest one a single allocation; the bytes are charged
 * to the budget as they come; a declared size the budget cannot cover is
 * refused before anything is read.
 */
static int ooxml_read(struct ooxml_doc *d, zip_uint64_t i, const zip_stat_t *st,
		      uint8_t **buf, size_t *len)
{
	size_t done = 0, cap = 0, want, first = OOXML_READ_STEP;
	zip_file_t *f;
	zip_int64_t got = 1;
	int rc = CFB_OK;

	*buf = NULL;
	if (ooxml_read_fast(d, i, st, buf, len))
		return CFB_OK;
	if (!(st->valid & ZIP_STAT_SIZE) || st->size > d->ctx->budget_left)
		return CFB_E_BUDGET;
	want = (size_t)st->size;
	if (!(f = zip_fopen_index(d->zip, i, 0)))
		return CFB_E_FORMAT;
	if ((st->valid & ZIP_STAT_COMP_SIZE) &&
	    st->comp_size < (zip_uint64_t)(SIZE_MAX / 2048))
		first = (size_t)st->comp_size * 1032 + OOXML_READ_STEP;
	while (rc == CFB_OK && done < want && got > 0) {
		if (done == cap) {
			size_t ncap = cap ? cap * 2 : first;
			uint8_t *p;
			if (ncap > want)
				ncap = want;
			if (!(p = realloc(*buf, ncap + 1))) {
				rc = CFB_E_NOMEM;
				break;
			}
			*buf = p;
			cap = ncap;
		}
		got = zip_fread(f, *buf + done, cap - done);
		if (got > 0) {
			scan_budget_take(d->ctx, (size_t)got);
			done += (size_t)got;
		}
	}
	zip_fclose(f);
	if (rc == CFB_OK && done != want)
		rc = CFB_E_FORMAT;
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
		return rc;
	}
	if (!*buf && !(*buf = malloc(1)))
		return CFB_E_NOMEM;
	(*buf)[done] = '\0';
	*len = done;
	return CFB_OK;
}

/* Does member i start with the compound-file signature? */
static int ooxml_is_cfb(struct ooxml_doc *d, zip_uint64_t i)
{
	uint8_t head[8];
	zip_file_t *f = zip_fopen_index(d->zip, i, 0);
	zip_int64_t got;

	if (!f)
		return 0;
	got = zip_fread(f, head, sizeof(head));
	zip_fclose(f);
	return got == (zip_int64_t)sizeof(head) &&
	       cfb_is_cfb(span_make(head, sizeof(head)));
}

static int ooxml_xlm(struct ooxml_doc *d, const char *why)
{
	if (d->xlm_reported)
		return 0;
	d->xlm_reported = 1;
	return scan_finding(d->ctx, "office.xlm.present", d->part->path, "%s",
			    why);
}

static int ooxml_suffix(const char *name, const char *sfx)
{
	size_t n = strlen(name), m = strlen(sfx);

	return n >= m && strcasecmp(name + n - m, sfx) == 0;
}

/* The relationship ids of a workbook's macro sheets. */
struct ooxml_macro_ids {
	struct span ids[OOXML_MAX_MACRO_SHEETS];
	size_t n;
};

static int ooxml_macro_rel(void *arg, const struct ooxml_rel *rel)
{
	struct ooxml_macro_ids *m = arg;
	struct span kind = ooxml_rel_kind(rel->type);

	if ((ooxml_name_is(kind, "xlMacrosheet") ||
	     ooxml_name_is(kind, "xlIntlMacrosheet")) &&
	    rel->id.ptr && m->n < OOXML_MAX_MACRO_SHEETS)
		m->ids[m->n++] = rel->id;
	return 0;
}

struct ooxml_workbook {
	struct ooxml_doc *doc;
	struct ooxml_macro_ids macros;
};

static int ooxml_detail(struct ooxml_doc *d, const char *id, const char *fmt,
			struct span value, const char *extra)
{
	char *text = ooxml_unescape(value, NULL);
	int rc;

	if (!text)
		return -1;
	rc = scan_finding(d->ctx, id, d->part->path, fmt, text, extra);
	free(text);
	return rc;
}

static int ooxml_sheet(void *arg, struct span tag)
{
	struct ooxml_workbook *w = arg;
	struct span state, rid, name = span_make("", 0);

	if (!ooxml_attr_get(tag, "state", &state) ||
	    !ooxml_attr_get(tag, "r:id", &rid) ||
	    (!ooxml_name_is(state, "hidden") &&
	     !ooxml_name_is(state, "veryHidden")))
		return 0;
	ooxml_attr_get(tag, "name", &name);
	for (size_t i = 0; i < w->macros.n; i++)
		if (w->macros.ids[i].len == rid.len &&
		    memcmp(w->macros.ids[i].ptr, rid.ptr, rid.len) == 0)
			return ooxml_detail(w->doc, "office.xlm.hidden",
					    "macro sheet %s (%s)", name,
					    ooxml_name_is(state, "hidden")
						? "hidden"
						: "very hidden");
	return 0;
}

static int ooxml_autoexec_name(const char *text)
{
	return strncasecmp(text, "_xlnm.Auto_Open", 15) == 0 ||
	       strncasecmp(text, "_xlnm.Auto_Close", 16) == 0 ||
	       strncasecmp(text, "Auto_Open", 9) == 0 ||
	       strncasecmp(text, "Auto_Close", 10) == 0;
}

static int ooxml_defined_name(void *arg, struct span tag)
{
	struct ooxml_workbook *w = arg;
	struct span name;
	char *text;
	int rc = 0;

	if (!ooxml_attr_get(tag, "name", &name))
		return 0;
	text = ooxml_unescape(name, NULL);
	if (!text)
		return -1;
	if (ooxml_autoexec_name(text))
		rc = scan_finding(w->doc->ctx, "office.xlm.autoexec",
				  w->doc->part->path, "%s", text);
	free(text);
	return rc;
}

/* xl/workbook.bin: a BrtBundleSh, hidden, whose id is a macro sheet's. */
static int ooxml_xlsb_sheet(void *arg, const struct xlsb_sheet *sh)
{
	struct ooxml_workbook *w = arg;
	size_t n = strlen(sh->rid);

	if (sh->state != XLSB_HIDDEN && sh->state != XLSB_VERY_HIDDEN)
		return 0;
	for (size_t i = 0; i < w->macros.n; i++)
		if (w->macros.ids[i].len == n &&
		    memcmp(w->macros.ids[i].ptr, sh->rid, n) == 0)
			return scan_finding(
			    w->doc->ctx, "office.xlm.hidden",
			    w->doc->part->path, "macro sheet %s (%s)", sh->name,
			    sh->state == XLSB_HIDDEN ? "hidden"
						     : "very hidden");
	return 0;
}

/* xl/workbook.bin: a BrtName for Auto_Open or Auto_Close. */
static int ooxml_xlsb_name(void *arg, const struct xlsb_name *nm)
{
	struct ooxml_workbook *w = arg;

	if (!ooxml_autoexec_name(nm->name))
		return 0;
	return scan_finding(
	    w->doc->ctx, "office.xlm.autoexec", w->doc->part->path, "%s%s",
	    nm->builtin && strncasecmp(nm->name, "_xlnm.", 6) ? "_xlnm." : "",
	    nm->name);
}

static int ooxml_workbook_parts(struct ooxml_workbook *w, struct span wb,
				int binary)
{
	struct xlsb_sink sink = {w, ooxml_xlsb_sheet, ooxml_xlsb_name};
	int rc;

	if (!binary) {
		rc = ooxml_tags_each(wb, "<sheet", ooxml_sheet, w);
		if (rc >= 0)
			rc = ooxml_tags_each(wb, "<definedName",
					     ooxml_defined_name, w);
		return rc;
	}
	rc = xlsb_workbook_each(wb, &sink);
	if (rc == XLSB_E_FORMAT || rc == XLSB_E_LIMIT)
		return scan_finding(
		    w->doc->ctx,
		    rc == XLSB_E_LIMIT ? "scan.limit" : "scan.error",
		    w->doc->part->path, "%s in xl/workbook.bin",
		    rc == XLSB_E_LIMIT ? "more than 1000000 records"
				       : "a record past the end");
	return rc;
}

/*
 * xl/workbook.xml, or an .xlsb's xl/workbook.bin: macro sheets (by the
 * workbook's relationships), hidden ones and auto-run names.
 */
static int ooxml_workbook(struct ooxml_doc *d)
{
	struct ooxml_workbook w = {d, {{{0}}, 0}};
	int binary = 0;
	zip_int64_t wb = zip_name_locate(d->zip, "xl/workbook.xml", 0);
	const char *rels_name = "xl/_rels/workbook.xml.rels";
	const char *wb_name = "xl/workbook.xml";
	zip_int64_t rels;
	uint8_t *wbuf = NULL, *rbuf = NULL;
	size_t wlen, rlen;
	zip_stat_t st;
	int rc;

	if (wb < 0) {
		wb = zip_name_locate(d->zip, "xl/workbook.bin", 0);
		rels_name = "xl/_rels/workbook.bin.rels";
		wb_name = "xl/workbook.bin";
		binary = 1;
	}
	if (wb < 0)
		return 0;
	rels = zip_name_locate(d->zip, rels_name, 0);
	if (rels >= 0 &&
	    zip_stat_index(d->zip, (zip_uint64_t)rels, 0, &st) == 0) {
		if ((rc = ooxml_read(d, (zip_uint64_t)rels, &st, &rbuf,
				     &rlen)) < 0)
			return office_status_finding(d->ctx, d->part, rc,
						     rels_name);
		ooxml_rels_each(span_make(rbuf, rlen), ooxml_macro_rel,
				&w.macros);
		if (w.macros.n &&
		    (rc = ooxml_xlm(d, "xlMacrosheet relationship")) < 0) {
			free(rbuf);
			return rc;
		}
	}
	if (zip_stat_index(d->zip, (zip_uint64_t)wb, 0, &st) < 0) {
		free(rbuf);
		return 0;
	}
	if ((rc = ooxml_read(d, (zip_uint64_t)wb, &st, &wbuf, &wlen)) < 0) {
		free(rbuf);
		return office_status_finding(d->ctx, d->part, rc, wb_name);
	}
	rc = ooxml_workbook_parts(&w, span_make(wbuf, wlen), binary);
	free(wbuf);
	free(rbuf);
	return rc;
}

static int ooxml_member(struct ooxml_doc *d, zip_uint64_t i,
			const zip_stat_t *st)
{
	const char *name = st->name;
	int content_types = strcmp(name, "[Content_Types].xml") == 0;
	uint8_t *buf;
	size_t len;
	int rc = 0;

	if (strncasecmp(name, "xl/macrosheets/", 15) == 0 &&
	    !ooxml_suffix(name, ".rels"))
		rc = ooxml_xlm(d, name);
	if (content_types || ooxml_suffix(name, ".rels")) {
		if ((rc = ooxml_read(d, i, st, &buf, &len)) < 0)
			return office_status_finding(d->ctx, d->part, rc, name);
		if (content_types) {
			if (ooxml_find(span_make(buf, len), 0,
				       "ms-excel.macrosheet") ||
			    ooxml_find(span_make(buf, len), 0,
				       "ms-excel.intlmacrosheet"))
				rc = ooxml_xlm(d, "macrosheet content type");
		} else {
			rc = ooxml_rels_each(span_make(buf, len), ooxml_rel, d);
		}
		free(buf);
		return rc;
	}
	if (rc < 0 || (!strstr(name, "/embeddings/") && !ooxml_is_cfb(d, i)))
		return rc;
	if ((rc = ooxml_read(d, i, st, &buf, &len)) < 0)
		return office_status_finding(d->ctx, d->part, rc, name);
	/* an OLE object (oleObject1.bin): the finding, then its part */
	if (strstr(name, "/embeddings/") && cfb_is_cfb(span_make(buf, len)))
		rc = office_embedded_file(d->ctx, d->part, name,
					  span_make(buf, len), NULL);
	if (rc >= 0)
		rc = office_child(d->ctx, d->part, name, span_make(buf, len));
	free(buf);
	return rc;
}

int ooxml_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct ooxml_doc d = {ctx, part, NULL, 0};
	zip_error_t err;
	zip_int64_t n;
	int rc = 0;

	zip_error_init(&err);
	d.zip = zip_open_span(part->content, &err);
	if (!d.zip) {
		rc = zip_error_code_zip(&err) == ZIP_ER_MEMORY ? -1 : 0;
		zip_error_fini(&err);
		return rc < 0 ? rc
			      : office_status_finding(ctx, part, CFB_E_FORMAT,
						      "OOXML package");
	}
	zip_error_fini(&err);
	n = zip_get_num_entries(d.zip, 0);
	for (zip_int64_t i = 0; i < n && rc >= 0; i++) {
		zip_stat_t st;
		if (zip_stat_index(d.zip, (zip_uint64_t)i, 0, &st) < 0 ||
		    !(st.valid & ZIP_STAT_NAME) || !st.name)
			continue;
		rc |= ooxml_member(&d, (zip_uint64_t)i, &st);
	}
	if (rc >= 0)
		rc |= ooxml_workbook(&d);
	zip_discard(d.zip);
	return rc;
}
