/*
 * office - the Office document analyzer; see office.h.
 */
#include "office.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "cfb.h"
#include "dispatch.h"
#include "office_crypt.h"
#include "office_crypt_biff.h"
#include "ole10.h"
#include "ooxml.h"
#include "ppt.h"
#include "rtf.h"
#include "url_judge.h"
#include "vba.h"
#include "vbaclass.h"
#include "xlm.h"

/* distinct keywords reported per class and part: more add nothing */
#define OFFICE_MAX_PER_KIND 16
#define OFFICE_MAX_KEYWORDS (OFFICE_MAX_PER_KIND * VBACLASS_COUNT)
/* embedded object storages taken out of one compound file */
#define OFFICE_MAX_OBJECTS 64

/* What the classification of one part has reported already. */
struct office_seen {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
	const char *module;
	struct {
		enum vbaclass_kind kind;
		char keyword[64];
	} hits[OFFICE_MAX_KEYWORDS];
	size_t nhits;
};

int office_status_finding(struct scan_ctx *ctx, const struct part_ctx *part,
			  int status, const char *where)
{
	if (status == CFB_E_NOMEM)
		return -1;
	if (status == CFB_E_BUDGET)
		return scan_finding(ctx, "scan.limit", part->path,
				    "decoded bytes over %zu in %s",
				    ctx->limits->decoded_bytes, where);
	return scan_finding(ctx, "scan.error", part->path, "malformed %s",
			    where);
}

int office_child(struct scan_ctx *ctx, const struct part_ctx *part,
		 const char *name, struct span content)
{
	if (dispatch_child(ctx, part, name, content, 0))
		return scan_finding(ctx, "scan.limit", part->path,
				    "nesting depth over %u at %s",
				    ctx->limits->nesting_depth, name);
	return 0;
}

static int office_hit(void *arg, enum vbaclass_kind kind, struct span keyword)
{
	struct office_seen *s = arg;
	size_t n = keyword.len < 63 ? keyword.len : 63, same_kind = 0;

	for (size_t i = 0; i < s->nhits; i++) {
		if (s->hits[i].kind != kind)
			continue;
		if (strlen(s->hits[i].keyword) == n &&
		    memcmp(s->hits[i].keyword, keyword.ptr, n) == 0)
			return 0;
		same_kind++;
	}
	if (same_kind >= OFFICE_MAX_PER_KIND || s->nhits >= OFFICE_MAX_KEYWORDS)
		return 0;
	s->hits[s->nhits].kind = kind;
	memcpy(s->hits[s->nhits].keyword, keyword.ptr, n);
	s->hits[s->nhits].keyword[n] = '\0';
	s->nhits++;
	return scan_finding(s->ctx, vbaclass_finding(kind), s->part->path,
			    "%.*s in %s", (int)n, (const char *)keyword.ptr,
			    s->module);
}

static int office_url(void *arg, struct span url)
{
	struct office_seen *s = arg;

	return url_found(s->ctx, s->part->path, url);
}

static int office_project(struct scan_ctx *ctx, const struct part_ctx *part,
			  struct cfb *c, uint32_t vba, struct office_seen *seen)
{
	struct vbaclass_sink sink = {seen, office_hit, office_url};
	struct vba_project p;
	int rc = vba_project_read(c, vba, &p);

	if (rc < 0) {
		char where[160];
		snprintf(where, sizeof(where), "VBA project %s",
			 p.storage ? p.storage : "VBA");
		rc = office_status_finding(ctx, part, rc, where);
		vba_project_free(&p);
		return rc;
	}
	rc = scan_finding(ctx, "office.vba.present", part->path,
			  "%s: %zu modules", p.storage, p.nmodules);
	for (size_t i = 0; i < p.nmodules && rc >= 0; i++) {
		const struct vba_module *m = &p.modules[i];
		if (!m->source) {
			char where[160];
			snprintf(where, sizeof(where), "VBA module %s",
				 m->name);
			rc |=
			    office_status_finding(ctx, part, m->status, where);
			continue;
		}
		seen->module = m->name;
		rc |= vbaclass_scan(span_make(m->source, m->source_len), &sink);
	}
	vba_project_free(&p);
	return rc;
}

static int office_vba(struct scan_ctx *ctx, const struct part_ctx *part,
		      struct cfb *c, const uint8_t *inside)
{
	struct office_seen *seen;
	uint32_t *ids;
	size_t n;
	int rc = 0;

	if (vba_find_projects(c, &ids, &n) < 0)
		return -1;
	seen = calloc(1, sizeof(*seen));
	if (!seen) {
		free(ids);
		return -1;
	}
	seen->ctx = ctx;
	seen->part = part;
	for (size_t i = 0; i < n && rc >= 0; i++)
		if (!inside[ids[i]])
			rc |= office_project(ctx, part, c, ids[i], seen);
	free(seen);
	free(ids);
	return rc;
}

/*
 * The root stream named name, read whole: 0 and *buf (caller frees),
 * 1 when there is none or it could not be read (reported; *rc says
 * how the report went).
 */
static int office_root_stream(struct scan_ctx *ctx, const struct part_ctx *part,
			      struct cfb *c, const char *name, uint8_t **buf,
			      size_t *len, int *rc)
{
	uint32_t id;
	int status;

	*rc = 0;
	if (cfb_child(c, 0, name, &id) != 0)
		return 1;
	if ((status = cfb_read(c, id, buf, len)) < 0) {
		*rc = office_status_finding(ctx, part, status, name);
		return 1;
	}
	return 0;
}

/* Word's FIB: fEncrypted (bit 8 of the flags at offset 10). */
static int office_word_encrypted(struct scan_ctx *ctx,
				 const struct part_ctx *part, struct cfb *c)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (office_root_stream(ctx, part, c, "WordDocument", &buf, &len, &rc))
		return rc;
	if (len >= 12 && (buf[10] | buf[11] << 8) & 0x0100)
		rc = scan_finding(ctx, "office.encrypted", part->path,
				  "WordDocument fEncrypted");
	free(buf);
	return rc;
}

static int office_encrypted(struct scan_ctx *ctx, const struct part_ctx *part,
			    struct cfb *c)
{
	uint32_t id;

	if (cfb_child(c, 0, "EncryptionInfo", &id) == 0 &&
	    cfb_child(c, 0, "EncryptedPackage", &id) == 0)
		return office_crypt_open(ctx, part, c);
	return office_word_encrypted(ctx, part, c);
}

static int office_workbook(struct scan_ctx *ctx, const struct part_ctx *part,
			   struct cfb *c)
{
	uint8_t *buf;
	size_t len;
	uint32_t id;
	int rc;

	uint8_t *plain;

	if (office_root_stream(
		ctx, part, c,
		cfb_child(c, 0, "Workbook", &id) == 0 ? "Workbook" : "Book",
		&buf, &len, &rc))
		return rc;
	rc = office_crypt_biff_open(ctx, part, span_make(buf, len), &plain);
	if (rc == OFFICE_CRYPT_BIFF_OPENED)
		rc = xlm_scan_biff(ctx, part, span_make(plain, len));
	else if (rc == OFFICE_CRYPT_BIFF_PLAIN)
		rc = xlm_scan_biff(ctx, part, span_make(buf, len));
	else if (rc == OFFICE_CRYPT_BIFF_LOCKED)
		rc = 0;
	free(plain);
	free(buf);
	return rc;
}

static int office_powerpoint(struct scan_ctx *ctx, const struct part_ctx *part,
			     struct cfb *c)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (office_root_stream(ctx, part, c, "PowerPoint Document", &buf, &len,
			       &rc))
		return rc;
	rc = ppt_scan(ctx, part, span_make(buf, len));
	free(buf);
	return rc;
}

/* A Package's stream: the finding, then its file as a part. */
static int office_package(struct scan_ctx *ctx, const struct part_ctx *part,
			  struct cfb *c, uint32_t id)
{
	struct span name, file;
	char fname[128];
	uint8_t *buf;
	size_t len;
	int rc;

	if ((rc = cfb_read(c, id, &buf, &len)) < 0)
		return office_status_finding(ctx, part, rc, "Ole10Native");
	if (ole10_native_stream(span_make(buf, len), &name, &file) < 0 ||
	    name.len == 0) {
		free(buf);
		return scan_finding(ctx, "office.ole_object", part->path,
				    "Package");
	}
	snprintf(fname, sizeof(fname), "%.*s", (int)name.len,
		 (const char *)name.ptr);
	rc = scan_finding(ctx, "office.ole_object", part->path, "Package: %s",
			  fname);
	if (rc >= 0)
		rc = office_child(ctx, part, fname, file);
	free(buf);
	return rc;
}

/* Embedded packages and equations, anywhere but in embedded objects. */
static int office_objects(struct scan_ctx *ctx, const struct part_ctx *part,
			  struct cfb *c, const uint8_t *inside)
{
	int rc = 0;

	for (uint32_t i = 0; i < c->ndir && rc >= 0; i++) {
		const struct cfb_entry *e = &c->dir[i];
		if (e->type != CFB_STREAM || e->parent == CFB_NONE || inside[i])
			continue;
		if (strcmp(e->name, "\001Ole10Native") == 0)
			rc |= office_package(ctx, part, c, i);
		else if (strcmp(e->name, "Equation Native") == 0)
			rc |= scan_finding(ctx, "office.ole_object", part->path,
					   "Equation.3");
	}
	return rc;
}

/*
 * The storage of an embedded OLE object: below the root's ObjectPool
 * (Word: ObjectPool/_1234) or an MBD storage at the root (Excel).
 */
static int office_is_object(const struct cfb *c, uint32_t i)
{
	const struct cfb_entry *e = &c->dir[i];
	uint32_t p = e->parent;

	if (e->type != CFB_STORAGE || p >= c->ndir)
		return 0;
	if (p == 0)
		return strncasecmp(e->name, "MBD", 3) == 0;
	return c->dir[p].parent == 0 &&
	       strcasecmp(c->dir[p].name, "ObjectPool") == 0;
}

/*
 * A LengthPrefixedAnsiString at *at of a CompObj stream, printable, as
 * text in out (cut to fit): 1 when there is one, 0 when not.
 */
static int office_compobj_string(struct span s, size_t *at, char *out,
				 size_t outlen)
{
	uint32_t n;

	out[0] = '\0';
	if (*at > s.len || s.len - *at < 4)
		return 0;
	n = (uint32_t)s.ptr[*at] | (uint32_t)s.ptr[*at + 1] << 8 |
	    (uint32_t)s.ptr[*at + 2] << 16 | (uint32_t)s.ptr[*at + 3] << 24;
	*at += 4;
	if (n > s.len - *at)
		return 0;
	for (uint32_t i = 0, o = 0; i < n; i++) {
		uint8_t ch = s.ptr[*at + i];
		if (ch == 0)
			break;
		if (o + 1 < outlen)
			out[o++] = ch >= 0x20 && ch < 0x7F ? (char)ch : '?';
		out[o] = '\0';
	}
	*at += n;
	return out[0] != '\0';
}

/*
 * The class of an embedded object from its \001CompObj stream (MS-OLEDS
 * 2.3.8): the ProgID (Excel.Sheet.8) when there is one, else the user
 * type (Microsoft Excel 97-2003 Worksheet); "" when neither.
 */
static void office_compobj_parse(struct span s, char *out, size_t outlen)
{
	char user[96];
	size_t at = 28;
	uint32_t marker;

	out[0] = '\0';
	if (!office_compobj_string(s, &at, user, sizeof(user)) && at <= 28)
		return;
	snprintf(out, outlen, "%s", user);
	if (at > s.len || s.len - at < 4)
		return;
	marker = bytes_le32(s.ptr + at);
	if (marker == 0xFFFFFFFFu || marker == 0xFFFFFFFEu)
		at += 8;
	else if (marker == 0)
		at += 4;
	else if (!office_compobj_string(s, &at, user, sizeof(user)))
		return;
	if (office_compobj_string(s, &at, user, sizeof(user)) &&
	    strlen(user) < 40)
		snprintf(out, outlen, "%s", user);
}

/* The class (office_compobj_parse) of the object whose storage is entry
 * storage, "" without a \001CompObj stream; -1 only without memory. */
static int office_compobj(struct cfb *c, uint32_t storage, char *out,
			  size_t outlen)
{
	uint32_t id;
	uint8_t *buf;
	size_t len;
	int rc;

	out[0] = '\0';
	if (cfb_child(c, storage, "\001CompObj", &id) != 0 ||
	    c->dir[id].type != CFB_STREAM)
		return 0;
	if ((rc = cfb_read(c, id, &buf, &len)) != CFB_OK)
		return rc == CFB_E_NOMEM ? -1 : 0;
	office_compobj_parse(span_make(buf, len), out, outlen);
	free(buf);
	return 0;
}

/* Whether the object whose storage is entry storage is a Package or an
 * equation: those give their finding on the object's own part
 * (office_objects), not as an object. */
static int office_object_reports_itself(struct cfb *c, uint32_t storage)
{
	uint32_t id;

	return cfb_child(c, storage, "\001Ole10Native", &id) == 0 ||
	       cfb_child(c, storage, "Equation Native", &id) == 0;
}

/* One embedded object: the finding (none for a Package or an equation,
 * which report themselves), then its storage as a part. */
static int office_object(struct scan_ctx *ctx, const struct part_ctx *part,
			 struct cfb *c, uint32_t id)
{
	char name[128], cls[96];
	uint8_t *buf;
	size_t len;
	int rc;

	if (c->dir[id].parent == 0)
		snprintf(name, sizeof(name), "%s", c->dir[id].name);
	else
		snprintf(name, sizeof(name), "ObjectPool/%s", c->dir[id].name);
	if (!office_object_reports_itself(c, id)) {
		/* short of memory: no class */
		office_compobj(c, id, cls, sizeof(cls));
		rc =
		    scan_finding(ctx, "office.ole_object", part->path, "%s: %s",
				 name, cls[0] ? cls : "unknown class");
		if (rc < 0)
			return rc;
	}
	if ((rc = cfb_extract(c, id, &buf, &len)) < 0)
		return office_status_finding(ctx, part, rc, name);
	rc = office_child(ctx, part, name, span_make(buf, len));
	free(buf);
	return rc;
}

/*
 * An embedded object that is a compound file of its own (an OOXML
 * oleObject*.bin, a PowerPoint ExOleObjStg), named name in part:
 * office.ole_object on part with "name: class", the class from cls when
 * the container tells it, else from the object's \001CompObj, else
 * "unknown class". Packages and equations give their finding on the
 * object's own part (office_objects) and a bare VBA project is no object:
 * neither gives one here. The object itself is dispatched by the caller.
 */
int office_embedded_file(struct scan_ctx *ctx, const struct part_ctx *part,
			 const char *name, struct span file, const char *cls)
{
	char compobj[96];
	uint32_t id, vba;
	struct cfb c;
	int rc = cfb_open(&c, file, ctx);

	if (rc < 0)
		return rc == CFB_E_NOMEM ? -1 : 0;
	if (office_object_reports_itself(&c, 0) ||
	    (cfb_child(&c, 0, "PROJECT", &id) == 0 &&
	     cfb_child(&c, 0, "VBA", &vba) == 0 &&
	     c.dir[vba].type == CFB_STORAGE)) {
		cfb_close(&c);
		return 0;
	}
	if (!cls || !cls[0]) {
		if (office_compobj(&c, 0, compobj, sizeof(compobj)) < 0) {
			cfb_close(&c);
			return -1;
		}
		cls = compobj;
	}
	cfb_close(&c);
	return scan_finding(ctx, "office.ole_object", part->path, "%s: %s",
			    name, cls && cls[0] ? cls : "unknown class");
}

/*
 * Marks in inside every entry below an embedded object's storage (the
 * first OFFICE_MAX_OBJECTS of them), so that the compound file's own
 * walks leave them to the object's part, and lists those storages.
 */
static int office_find_objects(struct scan_ctx *ctx,
			       const struct part_ctx *part, struct cfb *c,
			       uint8_t *inside, uint32_t *objs, size_t *nobjs)
{
	uint8_t *sub = malloc(c->ndir ? c->ndir : 1);
	int rc = 0;

	*nobjs = 0;
	if (!sub)
		return -1;
	for (uint32_t i = 0; i < c->ndir && rc >= 0; i++) {
		if (!office_is_object(c, i) || inside[i])
			continue;
		if (*nobjs == OFFICE_MAX_OBJECTS) {
			rc = scan_finding(ctx, "scan.limit", part->path,
					  "embedded objects over %d",
					  OFFICE_MAX_OBJECTS);
			break;
		}
		if (cfb_subtree(c, i, sub) < 0) {
			rc = -1;
			break;
		}
		for (uint32_t j = 0; j < c->ndir; j++)
			inside[j] |= sub[j];
		objs[(*nobjs)++] = i;
	}
	free(sub);
	return rc;
}

static int office_cfb(struct scan_ctx *ctx, const struct part_ctx *part)
{
	uint32_t objs[OFFICE_MAX_OBJECTS];
	size_t nobjs = 0;
	uint8_t *inside;
	struct cfb c;
	int rc = cfb_open(&c, part->content, ctx);

	if (rc < 0)
		return office_status_finding(ctx, part, rc, "compound file");
	inside = calloc(c.ndir ? c.ndir : 1, 1);
	if (!inside) {
		cfb_close(&c);
		return -1;
	}
	rc = office_find_objects(ctx, part, &c, inside, objs, &nobjs);
	if (rc >= 0)
		rc |= office_encrypted(ctx, part, &c);
	if (rc >= 0)
		rc |= office_vba(ctx, part, &c, inside);
	if (rc >= 0)
		rc |= office_workbook(ctx, part, &c);
	if (rc >= 0)
		rc |= office_powerpoint(ctx, part, &c);
	if (rc >= 0)
		rc |= office_objects(ctx, part, &c, inside);
	for (size_t i = 0; i < nobjs && rc >= 0; i++)
		rc |= office_object(ctx, part, &c, objs[i]);
	free(inside);
	cfb_close(&c);
	return rc;
}

int office_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	if (part->type == FT_OOXML)
		return ooxml_analyze(ctx, part);
	if (part->type == FT_CFB)
		return office_cfb(ctx, part);
	if (part->type == FT_RTF)
		return rtf_analyze(ctx, part);
	return 0;
}
