#include "unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "cabinet.h"
#include "member.h"
#include "utf8.h"

#define UNPACK_READ_CHUNK 65536

struct unpack_walk {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
	struct archive *a;
	struct member_limits limits;
	const char *format; /* the detected type's name */
	unsigned members, locked;
};

/* The formats and filters of one detected type, and nothing else. */
static int unpack_enable(struct archive *a, enum filetype t)
{
	switch (t) {
	case FT_7Z: return archive_read_support_format_7zip(a);
	case FT_RAR:
		return archive_read_support_format_rar(a) ||
		       archive_read_support_format_rar5(a);
	case FT_CAB: return archive_read_support_format_cab(a);
	case FT_TAR: return archive_read_support_format_tar(a);
	case FT_LHA: return archive_read_support_format_lha(a);
	case FT_ISO:
	case FT_UDF: return archive_read_support_format_iso9660(a);
	case FT_GZIP:
		return archive_read_support_filter_gzip(a) ||
		       archive_read_support_format_raw(a);
	case FT_BZIP2:
		return archive_read_support_filter_bzip2(a) ||
		       archive_read_support_format_raw(a);
	case FT_XZ:
		return archive_read_support_filter_xz(a) ||
		       archive_read_support_format_raw(a);
	default: return ARCHIVE_FATAL;
	}
}

/*
 * A member's name as UTF-8. A compressed single file (libarchive's raw
 * format calls it "data") is named after the part, less its suffix.
 */
static char *unpack_member_name(struct unpack_walk *w, struct archive_entry *e)
{
	const char *name = archive_entry_pathname_utf8(e);
	const char *outer = w->part->filename;

	if (archive_format(w->a) == ARCHIVE_FORMAT_RAW && outer) {
		const char *dot = strrchr(outer, '.');
		size_t len =
		    dot && dot != outer ? (size_t)(dot - outer) : strlen(outer);
		return utf8_repair(outer, len);
	}
	if (!name)
		name = archive_entry_pathname(e);
	if (!name)
		name = "";
	return utf8_repair(name, strlen(name));
}

/* 0: read to its end; 1: cut by a limit; -1: libarchive failed. */
static int unpack_read(struct unpack_walk *w, GByteArray *data, size_t cap,
		       enum member_cut *cut)
{
	char *buf = g_malloc(UNPACK_READ_CHUNK);
	int rc = 0;

	*cut = MEMBER_CUT_NONE;
	for (;;) {
		enum member_cut why;
		size_t room = member_room(&w->limits, data->len, cap, &why);
		size_t want =
		    room < UNPACK_READ_CHUNK ? room : UNPACK_READ_CHUNK;
		la_ssize_t n;
		char probe;

		if (want == 0) {
			n = archive_read_data(w->a, &probe, 1);
			if (n > 0) {
				*cut = why;
				rc = 1;
			} else if (n < 0) {
				rc = -1;
			}
			break;
		}
		n = archive_read_data(w->a, buf, want);
		if (n < 0) {
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		member_took(&w->limits, (size_t)n);
		g_byte_array_append(data, (guint8 *)buf, (guint)n);
	}
	g_free(buf);
	return rc;
}

static void unpack_member(struct unpack_walk *w, struct archive_entry *e)
{
	char *name = unpack_member_name(w, e);
	GByteArray *data;
	enum member_cut cut;
	size_t cap;
	int reported, rc;

	if (!name)
		return;
	cap = member_cap(&w->limits, name, archive_entry_size_is_set(e),
			 (uint64_t)archive_entry_size(e),
			 (uint64_t)w->part->content.len, &reported);
	data = g_byte_array_new();
	rc = unpack_read(w, data, cap, &cut);
	if (rc < 0)
		scan_finding(w->ctx, "archive.unsupported", w->part->path,
			     "%s: cannot read: %s", name,
			     archive_error_string(w->a)
				 ? archive_error_string(w->a)
				 : "error");
	member_report_cut(&w->limits, name, cut, reported);
	if (rc >= 0 || data->len > 0)
		dispatch_child(w->ctx, w->part, name,
			       span_make(data->data, data->len), rc != 0);
	g_byte_array_unref(data);
	free(name);
}

static void unpack_report_encrypted(struct unpack_walk *w)
{
	if (!w->locked && archive_read_has_encrypted_entries(w->a) <= 0)
		return;
	if (!w->locked) {
		/* 7z with encrypted headers: not even the names are readable */
		scan_finding(w->ctx, "archive.encrypted", w->part->path,
			     "encrypted headers, %s", w->format);
		scan_finding(w->ctx, "archive.password_unknown", w->part->path,
			     "members not listed, no decryption for %s",
			     w->format);
		return;
	}
	scan_finding(w->ctx, "archive.encrypted", w->part->path,
		     "%u of %u members, %s", w->locked, w->members, w->format);
	scan_finding(w->ctx, "archive.password_unknown", w->part->path,
		     "%u encrypted members not opened, no decryption for %s",
		     w->locked, w->format);
}

static void unpack_entries(struct unpack_walk *w)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(w->a, &e)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		/* raw needs a real filter, or it would hand back the input */
		if (archive_format(w->a) == ARCHIVE_FORMAT_RAW &&
		    archive_filter_count(w->a) < 2) {
			scan_finding(w->ctx, "archive.unsupported",
				     w->part->path, "%s: not compressed data",
				     w->format);
			return;
		}
		w->members++;
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (member_next(&w->limits, w->members))
			return;
		if (archive_entry_is_encrypted(e)) {
			w->locked++;
			continue;
		}
		unpack_member(w, e);
	}
	if (r != ARCHIVE_EOF)
		scan_finding(w->ctx, "archive.unsupported", w->part->path,
			     "%s: %s", w->format,
			     archive_error_string(w->a)
				 ? archive_error_string(w->a)
				 : "cannot read");
}

int unpack_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct unpack_walk w = {.ctx = ctx, .part = part};
	const char *why;

	if (ctx->nesting >= ctx->limits->nesting_depth) {
		scan_finding(ctx, "archive.depth_exceeded", part->path,
			     "nesting over %u", ctx->limits->nesting_depth);
		return 0;
	}
	w.format = filetype_name(part->type);
	if (part->type == FT_CAB && !cabinet_check(part->content, &why)) {
		scan_finding(ctx, "archive.unsupported", part->path,
			     "cab: malformed: %s", why);
		return 0;
	}
	w.a = archive_read_new();
	if (!w.a)
		return -1;
	member_limits_init(&w.limits, ctx, part);
	if (unpack_enable(w.a, part->type) != ARCHIVE_OK ||
	    archive_read_open_memory(w.a, part->content.ptr,
				     part->content.len) != ARCHIVE_OK) {
		scan_finding(
		    ctx, "archive.unsupported", part->path, "%s: %s", w.format,
		    archive_error_string(w.a) ? archive_error_string(w.a)
					      : "cannot open");
	} else {
		/* libarchive asks the format: only once one was opened */
		unpack_entries(&w);
		unpack_report_encrypted(&w);
	}
	archive_read_free(w.a);
	return 0;
}
