#include "pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dispatch.h"
#include "member.h"
#include "pdf_lex.h"
#include "pdf_stream.h"
#include "url_judge.h"
#include "utf8.h"

#define PDF_STR_MAX   1024 /* bytes of a string kept (URIs, file names) */
#define PDF_NAME_KEEP 256  /* bytes of a file name kept, as UTF-8 */
#define PDF_MAX_REFS  256  /* auto-run references and JavaScript objects */
#define PDF_TICK      1024 /* values parsed between clock checks */

enum val_kind {
	V_OTHER,
	V_NAME,
	V_STRING,
	V_INT,
	V_REF,
	V_DICT,
	V_ARRAY,
	V_CLOSE, /* >> or ] where a value was expected */
	V_STOP,	 /* endobj, stream, obj...: the object ended early */
	V_EOF,
};

struct val {
	enum val_kind kind;
	long long num;
	char name[PDF_NAME_MAX];
	unsigned char str[PDF_STR_MAX];
	size_t slen;
	struct pdf_filters names; /* the first names of an array */
};

/* What a dictionary says that the analyzer cares about. */
struct dict {
	char type[PDF_NAME_MAX];
	char s[PDF_NAME_MAX];
	int js, doc_js;
	int has_length;
	long long length, n, first;
	struct pdf_filters filters;
	long long f_ref, uf_ref, ef_ref;
	char fname[PDF_NAME_KEEP]; /* /UF, else /F, as UTF-8 */
	int fname_uf;
	char target[PDF_NAME_KEEP]; /* of a Launch: /F or /Win /F */
};

struct embedded {
	long long obj;
	struct span raw;
	struct pdf_filters filters;
};

struct filespec {
	long long ref;
	char name[PDF_NAME_KEEP];
};

struct pdf_doc {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
	struct span s;
	struct timespec start;
	unsigned long ticks;
	unsigned objects;
	int stop; /* a limit was reached */
	int depth_hit, encrypted, in_objstm;
	int objstm_cut;		    /* reported once */
	size_t expanded, ratio_cap; /* stream bytes decoded, allowed */
	int bomb;
	unsigned js, js_auto, launch, nembedded;
	char launch_target[PDF_NAME_KEEP];
	long long auto_refs[PDF_MAX_REFS];
	unsigned nauto;
	long long js_objs[PDF_MAX_REFS];
	unsigned njs_objs;
	struct embedded emb[PDF_MAX_EMBEDDED];
	unsigned nemb;
	struct filespec specs[PDF_MAX_EMBEDDED];
	unsigned nspecs;
	char *uris[PDF_MAX_URIS];
	unsigned nuris;
};

static int parse_value(struct pdf_doc *d, struct pdf_lex *lx, unsigned depth,
		       int in_auto, long long obj, struct val *v,
		       struct dict *di);

static double ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Counts one value parsed; 1 when the time limit stops the parse. */
static int tick_now(struct pdf_doc *d, int now)
{
	if (d->stop)
		return 1;
	if ((now || ++d->ticks % PDF_TICK == 0) &&
	    ms_since(&d->start) > (double)d->ctx->limits->pdf_ms) {
		scan_finding(d->ctx, "scan.limit", d->part->path,
			     "PDF parse time over %u ms",
			     d->ctx->limits->pdf_ms);
		d->stop = 1;
	}
	return d->stop;
}

static int tick(struct pdf_doc *d)
{
	return tick_now(d, 0);
}

/*
 * Decodes a stream within limits.archive_member_bytes and what is left of
 * the PDF's expansion allowance (limits.archive_ratio times its size,
 * never under MEMBER_RATIO_FLOOR: archive.bomb past it, once); checks the
 * clock first.
 */
static enum pdf_dec pdf_decode(struct pdf_doc *d, struct span raw,
			       const struct pdf_filters *f, uint8_t **out,
			       size_t *len)
{
	size_t cap = d->ctx->limits->archive_member_bytes;
	enum pdf_dec rc;

	*out = NULL;
	*len = 0;
	if (tick_now(d, 1))
		return PDF_DEC_CUT;
	if (d->expanded >= d->ratio_cap) {
		if (!d->bomb)
			scan_finding(d->ctx, "archive.bomb", d->part->path,
				     "PDF streams expand over %zu bytes",
				     d->ratio_cap);
		d->bomb = 1;
		return PDF_DEC_CUT;
	}
	if (cap > d->ratio_cap - d->expanded)
		cap = d->ratio_cap - d->expanded;
	rc = pdf_stream_decode(d->ctx, raw, f, cap, out, len);
	d->expanded += *len;
	return rc;
}

static void add_ref(long long *set, unsigned *n, long long ref)
{
	for (unsigned i = 0; i < *n; i++)
		if (set[i] == ref)
			return;
	if (*n < PDF_MAX_REFS)
		set[(*n)++] = ref;
}

static int has_ref(const long long *set, unsigned n, long long ref)
{
	for (unsigned i = 0; i < n; i++)
		if (set[i] == ref)
			return 1;
	return 0;
}

/* A PDF text string (UTF-16BE with its BOM, UTF-8 with its BOM, else
 * PDFDocEncoding read as Latin-1) as NUL-terminated UTF-8. */
static void text_string(const unsigned char *s, size_t len, char *out,
			size_t cap)
{
	size_t o = 0;

	if (len >= 2 && s[0] == 0xfe && s[1] == 0xff) {
		utf8_from_utf16(s + 2, len - 2, 1, out, cap);
		return;
	}
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		for (size_t i = 3; i < len && o + 1 < cap && s[i]; i++)
			out[o++] = (char)s[i];
	} else {
		for (size_t i = 0; i < len && s[i]; i++)
			utf8_append(out, cap, &o, s[i]);
	}
	out[o] = '\0';
}

static void add_uri(struct pdf_doc *d, const struct val *v)
{
	char *u;

	if (d->nuris >= PDF_MAX_URIS || !v->slen)
		return;
	u = malloc(v->slen + 1);
	if (!u)
		return;
	memcpy(u, v->str, v->slen);
	u[v->slen] = '\0';
	d->uris[d->nuris++] = u;
}

/* A key and its value, taken into the dictionary's summary. */
static void dict_key(struct pdf_doc *d, struct dict *di, const char *key,
		     const struct val *v, const struct dict *child)
{
	if (strcmp(key, "Type") == 0 && v->kind == V_NAME) {
		memcpy(di->type, v->name, sizeof(di->type));
	} else if (strcmp(key, "S") == 0 && v->kind == V_NAME) {
		memcpy(di->s, v->name, sizeof(di->s));
	} else if (strcmp(key, "JS") == 0) {
		di->js = 1;
	} else if (strcmp(key, "JavaScript") == 0) {
		di->doc_js = 1; /* the /Names tree: runs when opened */
	} else if (strcmp(key, "Length") == 0 && v->kind == V_INT) {
		di->has_length = 1;
		di->length = v->num;
	} else if (strcmp(key, "Filter") == 0 && v->kind == V_NAME) {
		di->filters.n = 1;
		memcpy(di->filters.name[0], v->name, PDF_NAME_MAX);
	} else if (strcmp(key, "Filter") == 0 && v->kind == V_ARRAY) {
		di->filters = v->names;
	} else if (strcmp(key, "N") == 0 && v->kind == V_INT) {
		di->n = v->num;
	} else if (strcmp(key, "First") == 0 && v->kind == V_INT) {
		di->first = v->num;
	} else if (strcmp(key, "F") == 0 || strcmp(key, "UF") == 0) {
		int uf = key[0] == 'U';
		if (v->kind == V_REF) {
			*(uf ? &di->uf_ref : &di->f_ref) = v->num;
		} else if (v->kind == V_STRING && (uf || !di->fname_uf)) {
			text_string(v->str, v->slen, di->fname,
				    sizeof(di->fname));
			di->fname_uf = uf;
			if (!di->target[0])
				memcpy(di->target, di->fname,
				       sizeof(di->target));
		} else if (v->kind == V_DICT && child->fname[0]) {
			memcpy(di->target, child->fname, sizeof(di->target));
		}
	} else if (strcmp(key, "EF") == 0 && v->kind == V_DICT) {
		di->ef_ref = child->f_ref > 0 ? child->f_ref : child->uf_ref;
	} else if (strcmp(key, "Win") == 0 && v->kind == V_DICT &&
		   child->fname[0]) {
		memcpy(di->target, child->fname, sizeof(di->target));
	} else if (strcmp(key, "URI") == 0 && v->kind == V_STRING) {
		add_uri(d, v);
	} else if (strcmp(key, "Encrypt") == 0) {
		d->encrypted = 1;
	}
}

/* A dictionary closed: what it is. */
static void dict_done(struct pdf_doc *d, const struct dict *di, int in_auto,
		      long long obj)
{
	if (di->js || strcmp(di->s, "JavaScript") == 0) {
		d->js++;
		if (in_auto)
			d->js_auto++;
		else if (obj > 0)
			add_ref(d->js_objs, &d->njs_objs, obj);
	}
	if (di->doc_js) {
		d->js++;
		d->js_auto++;
	}
	if (strcmp(di->s, "Launch") == 0) {
		d->launch++;
		if (!d->launch_target[0] && di->target[0])
			memcpy(d->launch_target, di->target,
			       sizeof(d->launch_target));
	}
	if (di->ef_ref > 0 && d->nspecs < PDF_MAX_EMBEDDED) {
		struct filespec *fs = &d->specs[d->nspecs++];
		fs->ref = di->ef_ref;
		memcpy(fs->name, di->fname, sizeof(fs->name));
	}
}

static void parse_dict(struct pdf_doc *d, struct pdf_lex *lx, unsigned depth,
		       int in_auto, long long obj, struct dict *di)
{
	struct val *v = malloc(sizeof(*v));
	struct dict *child = malloc(sizeof(*child));
	struct pdf_token t;
	char key[PDF_NAME_MAX];

	if (!v || !child) {
		d->stop = 1;
		goto out;
	}
	while (!tick(d)) {
		size_t at = lx->pos;
		int auto_child;
		pdf_lex_next(lx, &t);
		if (t.type == PDF_T_DICT_CLOSE || t.type == PDF_T_EOF)
			break;
		if (t.type != PDF_T_NAME) {
			/* not a key: read it as a value and drop it */
			pdf_lex_init(lx, lx->s, at);
			parse_value(d, lx, depth, in_auto, obj, v, child);
			if (v->kind == V_STOP || v->kind == V_EOF ||
			    v->kind == V_CLOSE)
				break;
			continue;
		}
		pdf_lex_name(lx, &t, key);
		auto_child = in_auto || strcmp(key, "OpenAction") == 0 ||
			     strcmp(key, "AA") == 0;
		parse_value(d, lx, depth, auto_child, obj, v, child);
		if (v->kind == V_STOP || v->kind == V_EOF)
			break;
		if (v->kind == V_CLOSE)
			break; /* << /Key >> */
		dict_key(d, di, key, v, child);
	}
	dict_done(d, di, in_auto, obj);
out:
	free(v);
	free(child);
}

static void parse_array(struct pdf_doc *d, struct pdf_lex *lx, unsigned depth,
			int in_auto, long long obj, struct val *out)
{
	struct val *v = malloc(sizeof(*v));
	struct dict *child = malloc(sizeof(*child));

	if (!v || !child) {
		d->stop = 1;
		goto out;
	}
	while (!tick(d)) {
		parse_value(d, lx, depth, in_auto, obj, v, child);
		if (v->kind == V_CLOSE || v->kind == V_STOP || v->kind == V_EOF)
			break;
		if (v->kind == V_NAME) {
			if (out->names.n < PDF_MAX_FILTERS)
				memcpy(out->names.name[out->names.n++], v->name,
				       PDF_NAME_MAX);
			else
				out->names.too_many = 1;
		}
	}
out:
	free(v);
	free(child);
}

/* Skips a container nested too deep, counting its brackets. */
static void skip_container(struct pdf_doc *d, struct pdf_lex *lx)
{
	struct pdf_token t;
	size_t level = 1;

	d->depth_hit = 1;
	while (level) {
		pdf_lex_next(lx, &t);
		if (t.type == PDF_T_EOF)
			return;
		if (t.type == PDF_T_DICT_OPEN || t.type == PDF_T_ARRAY_OPEN)
			level++;
		else if (t.type == PDF_T_DICT_CLOSE ||
			 t.type == PDF_T_ARRAY_CLOSE)
			level--;
	}
}

static int parse_value(struct pdf_doc *d, struct pdf_lex *lx, unsigned depth,
		       int in_auto, long long obj, struct val *v,
		       struct dict *di)
{
	struct pdf_token t;
	size_t at;

	v->kind = V_OTHER;
	v->slen = 0;
	v->names.n = 0;
	v->names.too_many = 0;
	memset(di, 0, sizeof(*di));
	if (tick(d)) {
		v->kind = V_EOF;
		return 0;
	}
	at = lx->pos;
	pdf_lex_next(lx, &t);
	switch (t.type) {
	case PDF_T_EOF: v->kind = V_EOF; break;
	case PDF_T_DICT_OPEN:
	case PDF_T_ARRAY_OPEN:
		v->kind = t.type == PDF_T_DICT_OPEN ? V_DICT : V_ARRAY;
		if (depth >= PDF_MAX_DEPTH)
			skip_container(d, lx);
		else if (v->kind == V_DICT)
			parse_dict(d, lx, depth + 1, in_auto, obj, di);
		else
			parse_array(d, lx, depth + 1, in_auto, obj, v);
		break;
	case PDF_T_DICT_CLOSE:
	case PDF_T_ARRAY_CLOSE: v->kind = V_CLOSE; break;
	case PDF_T_NAME:
		v->kind = V_NAME;
		pdf_lex_name(lx, &t, v->name);
		break;
	case PDF_T_STRING:
	case PDF_T_HEXSTRING:
		v->kind = V_STRING;
		v->slen = pdf_lex_string(lx, &t, v->str, sizeof(v->str));
		break;
	case PDF_T_INT: {
		size_t after = lx->pos;
		struct pdf_token g, r;
		v->kind = V_INT;
		v->num = t.num;
		pdf_lex_next(lx, &g);
		if (g.type == PDF_T_INT) {
			pdf_lex_next(lx, &r);
			if (pdf_lex_is(lx, &r, "R")) {
				v->kind = V_REF;
				if (in_auto)
					add_ref(d->auto_refs, &d->nauto, t.num);
				break;
			}
		}
		pdf_lex_init(lx, lx->s, after);
		break;
	}
	case PDF_T_KEYWORD:
		if (pdf_lex_is(lx, &t, "endobj") ||
		    pdf_lex_is(lx, &t, "stream") ||
		    pdf_lex_is(lx, &t, "endstream") ||
		    pdf_lex_is(lx, &t, "obj") ||
		    pdf_lex_is(lx, &t, "trailer") ||
		    pdf_lex_is(lx, &t, "xref")) {
			/* the object ended early: the caller sees it again */
			pdf_lex_init(lx, lx->s, at);
			v->kind = V_STOP;
		}
		break;
	default: break;
	}
	return 0;
}

/* Counts one object; 1 when limits.pdf_objects stops the parse. */
static int count_object(struct pdf_doc *d)
{
	if (d->stop)
		return 1;
	if (++d->objects > d->ctx->limits->pdf_objects) {
		scan_finding(d->ctx, "scan.limit", d->part->path,
			     "PDF objects over %u",
			     d->ctx->limits->pdf_objects);
		d->stop = 1;
	}
	return d->stop;
}

/* An object stream: its N objects, parsed in order from /First. */
static void objstm(struct pdf_doc *d, const struct dict *di, struct span raw)
{
	struct scan_ctx *ctx = d->ctx;
	uint8_t *buf;
	size_t len;
	enum pdf_dec rc;
	struct pdf_lex lx;
	struct pdf_token t;
	long long *nums;
	size_t n, got = 0;
	struct val *v;
	struct dict *child;

	if (d->in_objstm || di->n <= 0 || di->first < 0)
		return;
	rc = pdf_decode(d, raw, &di->filters, &buf, &len);
	if (rc == PDF_DEC_CUT && !d->objstm_cut) {
		d->objstm_cut = 1;
		scan_finding(ctx, "scan.limit", d->part->path,
			     "PDF object stream cut at %zu bytes", len);
	}
	if (!buf)
		return;
	n = (size_t)di->n < ctx->limits->pdf_objects ? (size_t)di->n
						     : ctx->limits->pdf_objects;
	nums = malloc(n * sizeof(*nums) + 1);
	v = malloc(sizeof(*v));
	child = malloc(sizeof(*child));
	if (!nums || !v || !child)
		goto out;
	pdf_lex_init(&lx, span_make(buf, len), 0);
	while (got < n) {
		struct pdf_token off;
		pdf_lex_next(&lx, &t);
		pdf_lex_next(&lx, &off);
		if (t.type != PDF_T_INT || off.type != PDF_T_INT)
			break;
		nums[got++] = t.num;
	}
	if ((size_t)di->first > len)
		goto out;
	pdf_lex_init(&lx, span_make(buf, len), (size_t)di->first);
	d->in_objstm = 1;
	for (size_t i = 0; i < got && !count_object(d); i++) {
		parse_value(d, &lx, 0, 0, nums[i], v, child);
		if (v->kind == V_EOF)
			break;
		if (v->kind == V_STOP)
			pdf_lex_next(&lx, &t); /* stray keyword: skip it */
	}
	d->in_objstm = 0;
out:
	free(nums);
	free(v);
	free(child);
	free(buf);
}

/* The data of a stream whose dictionary ended at lx->pos, just after the
 * "stream" keyword; leaves lx after "endstream". */
static struct span stream_data(struct pdf_lex *lx, const struct dict *di)
{
	struct span s = lx->s;
	size_t start = lx->pos, end;
	const uint8_t *hit;

	if (start < s.len && s.ptr[start] == '\r')
		start++;
	if (start < s.len && s.ptr[start] == '\n')
		start++;
	if (di->has_length && di->length >= 0 &&
	    (unsigned long long)di->length <= s.len - start) {
		size_t e = start + (size_t)di->length;
		while (e < s.len && (s.ptr[e] == '\r' || s.ptr[e] == '\n' ||
				     s.ptr[e] == ' '))
			e++;
		if (span_has_at(s, e, "endstream", 9)) {
			pdf_lex_init(lx, s, e + 9);
			return span_make(s.ptr + start, (size_t)di->length);
		}
	}
	hit = memmem(s.ptr + start, s.len - start, "endstream", 9);
	end = hit ? (size_t)(hit - s.ptr) : s.len;
	pdf_lex_init(lx, s, hit ? end + 9 : s.len);
	if (end > start && s.ptr[end - 1] == '\n')
		end--;
	if (end > start && s.ptr[end - 1] == '\r')
		end--;
	return span_make(s.ptr + start, end - start);
}

static void stream(struct pdf_doc *d, struct pdf_lex *lx, long long obj,
		   const struct dict *di)
{
	struct span raw = stream_data(lx, di);

	if (strcmp(di->type, "ObjStm") == 0) {
		objstm(d, di, raw);
	} else if (strcmp(di->type, "EmbeddedFile") == 0) {
		d->nembedded++;
		if (d->nemb < PDF_MAX_EMBEDDED) {
			struct embedded *e = &d->emb[d->nemb++];
			e->obj = obj;
			e->raw = raw;
			e->filters = di->filters;
		}
	}
}

/* Every object of s, front to back, and every dictionary between. */
static void parse_objects(struct pdf_doc *d, struct span s)
{
	struct pdf_lex lx;
	struct pdf_token t, p1 = {0}, p2 = {0};
	struct val *v = malloc(sizeof(*v));
	struct dict *di = malloc(sizeof(*di));

	if (!v || !di) {
		d->stop = 1;
		goto out;
	}
	pdf_lex_init(&lx, s, 0);
	while (!d->stop) {
		size_t at = lx.pos;
		long long obj = -1;
		pdf_lex_next(&lx, &t);
		if (t.type == PDF_T_EOF)
			break;
		if (pdf_lex_is(&lx, &t, "obj") && p1.type == PDF_T_INT &&
		    p2.type == PDF_T_INT) {
			obj = p2.num;
		} else if (t.type == PDF_T_DICT_OPEN) {
			pdf_lex_init(&lx, s, at); /* a dict outside an object */
		} else {
			p2 = p1;
			p1 = t;
			continue;
		}
		memset(&p1, 0, sizeof(p1));
		memset(&p2, 0, sizeof(p2));
		if (count_object(d))
			break;
		parse_value(d, &lx, 0, 0, obj, v, di);
		if (v->kind == V_DICT) {
			size_t after = lx.pos;
			pdf_lex_next(&lx, &t);
			if (pdf_lex_is(&lx, &t, "stream"))
				stream(d, &lx, obj, di);
			else
				pdf_lex_init(&lx, s, after);
		}
	}
out:
	free(v);
	free(di);
}

static const char *embedded_name(const struct pdf_doc *d, long long obj,
				 char *buf, size_t cap, unsigned i)
{
	for (unsigned k = 0; k < d->nspecs; k++)
		if (d->specs[k].ref == obj && d->specs[k].name[0] &&
		    !d->encrypted)
			return d->specs[k].name;
	snprintf(buf, cap, "embedded%u", i + 1);
	return buf;
}

static void scan_embedded(struct pdf_doc *d)
{
	struct scan_ctx *ctx = d->ctx;
	struct member_limits ml;
	char fallback[32];

	member_limits_init(&ml, ctx, d->part);
	for (unsigned i = 0; i < d->nemb; i++) {
		const struct embedded *e = &d->emb[i];
		const char *name =
		    embedded_name(d, e->obj, fallback, sizeof(fallback), i);
		uint8_t *buf;
		size_t len;
		enum pdf_dec rc;

		scan_finding(ctx, "pdf.embedded_file", d->part->path, "%s",
			     name);
		if (d->encrypted || d->stop)
			continue;
		if (ctx->nesting >= ctx->limits->nesting_depth) {
			scan_finding(ctx, "archive.depth_exceeded",
				     d->part->path, "nesting over %u",
				     ctx->limits->nesting_depth);
			continue;
		}
		if (member_next(&ml, d->nembedded))
			break;
		rc = pdf_decode(d, e->raw, &e->filters, &buf, &len);
		if (rc == PDF_DEC_UNSUPPORTED)
			scan_finding(ctx, "scan.limit", d->part->path,
				     "%s: PDF filter %s not decoded", name,
				     e->filters.n ? e->filters.name[0] : "");
		else if (rc == PDF_DEC_NOMEM)
			scan_finding(ctx, "scan.error", d->part->path,
				     "%s: out of memory", name);
		else if (rc == PDF_DEC_CUT)
			scan_finding(ctx, "scan.limit", d->part->path,
				     "%s: cut at %zu bytes", name, len);
		if (buf)
			dispatch_child(ctx, d->part, name, span_make(buf, len),
				       rc == PDF_DEC_CUT);
		free(buf);
	}
	if (d->nembedded > d->nemb)
		scan_finding(ctx, "pdf.embedded_file", d->part->path,
			     "%u more embedded files not read",
			     d->nembedded - d->nemb);
}

static void report_findings(struct pdf_doc *d)
{
	struct scan_ctx *ctx = d->ctx;
	const struct part_path *path = d->part->path;

	for (unsigned i = 0; i < d->njs_objs; i++)
		if (has_ref(d->auto_refs, d->nauto, d->js_objs[i]))
			d->js_auto++;
	if (d->depth_hit)
		scan_finding(ctx, "scan.limit", path, "PDF nesting over %u",
			     PDF_MAX_DEPTH);
	if (d->encrypted)
		scan_finding(ctx, "pdf.encrypted", path,
			     "encrypted: strings and streams not inspected");
	if (d->js)
		scan_finding(ctx, "pdf.javascript", path, "%u JavaScript %s%s",
			     d->js, d->js == 1 ? "action" : "actions",
			     d->js_auto ? ", runs when the document is opened"
					: "");
	if (d->launch && d->launch_target[0])
		scan_finding(ctx, "pdf.launch", path, "launches %s",
			     d->launch_target);
	else if (d->launch)
		scan_finding(ctx, "pdf.launch", path, "%u Launch %s", d->launch,
			     d->launch == 1 ? "action" : "actions");
	for (unsigned i = 0; i < d->nuris && !d->encrypted; i++)
		if (url_found(ctx, path, span_str(d->uris[i])) < 0)
			break;
}

int pdf_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct pdf_doc *d = calloc(1, sizeof(*d));

	if (!d)
		return -1;
	d->ctx = ctx;
	d->part = part;
	d->s = part->content;
	d->ratio_cap =
	    !ctx->limits->archive_ratio ||
		    part->content.len > SIZE_MAX / ctx->limits->archive_ratio
		? SIZE_MAX
		: part->content.len * ctx->limits->archive_ratio;
	if (d->ratio_cap < MEMBER_RATIO_FLOOR)
		d->ratio_cap = MEMBER_RATIO_FLOOR;
	clock_gettime(CLOCK_MONOTONIC, &d->start);
	parse_objects(d, part->content);
	report_findings(d);
	scan_embedded(d);
	for (unsigned i = 0; i < d->nuris; i++)
		free(d->uris[i]);
	free(d);
	return 0;
}
