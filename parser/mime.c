#include "mime.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "dispatch.h"
#include "mime_text.h"
#include "thread.h"
#include "url_judge.h"

#define MIME_READ_CHUNK 65536

static const char *const fallback_charsets[] = {
    "UTF-8", "iso-2022-jp", "cp932", "euc-jp", "windows-1252", NULL,
};

static const char *warning_name(GMimeParserWarning w)
{
	switch (w) {
	case GMIME_WARN_MALFORMED_MULTIPART: return "multipart without parts";
	case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated message";
	case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
	case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name";
	case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting header";
	case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting parameter";
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		return "multipart without boundary";
	case GMIME_CRIT_NESTING_OVERFLOW: return "nesting overflow";
	case GMIME_WARN_PART_WITHOUT_CONTENT: return "part without content";
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		return "part without headers or content";
	case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid content type";
	default: return NULL; /* cosmetic: duplicated headers, 8-bit, ... */
	}
}

static void on_parser_warning(gint64 offset, GMimeParserWarning code,
			      const gchar *item, gpointer data)
{
	struct scan_ctx *ctx = data;
	const char *name = warning_name(code);
	unsigned long long bit = 1ULL << ((unsigned)code & 63);

	if (!name || (ctx->warned & bit))
		return;
	/* an attached message that starts with its mbox "From " line */
	if (code == GMIME_CRIT_INVALID_HEADER_NAME && item &&
	    strncmp(item, "From ", 5) == 0)
		return;
	ctx->warned |= bit;
	scan_finding(ctx, "mime.malformed", NULL, "%s at byte %lld", name,
		     (long long)offset);
}

static int section_path(struct part_path *out, const struct part_path *parent,
			int index)
{
	const char *prefix = parent->n ? parent->elem[0] : "";
	char *section =
	    g_strdup_printf("%s%s%d", prefix, *prefix ? "." : "", index);
	int rc = path_push(out, section, strlen(section));

	g_free(section);
	return rc;
}

GMimeStream *mime_decoded_stream(GMimePart *part)
{
	GMimeDataWrapper *wrapper = g_mime_part_get_content(part);
	GMimeStream *raw, *filtered;
	GMimeFilter *decoder;

	if (!wrapper)
		return NULL;
	raw = g_mime_data_wrapper_get_stream(wrapper);
	if (!raw)
		return NULL;
	g_mime_stream_reset(raw);
	filtered = g_mime_stream_filter_new(raw);
	decoder = g_mime_filter_basic_new(
	    g_mime_data_wrapper_get_encoding(wrapper), FALSE);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), decoder);
	g_object_unref(decoder);
	return filtered;
}

/* Reads the decoded content of a part within the budget. */
static GByteArray *decode_part(struct scan_ctx *ctx, GMimePart *part,
			       int *truncated)
{
	GByteArray *out = g_byte_array_new();
	GMimeStream *filtered = mime_decoded_stream(part);
	char *buf;

	*truncated = 0;
	if (!filtered)
		return out;
	buf = g_malloc(MIME_READ_CHUNK);
	for (;;) {
		ssize_t n = g_mime_stream_read(filtered, buf, MIME_READ_CHUNK);
		size_t granted;
		if (n <= 0)
			break;
		granted = scan_budget_take(ctx, (size_t)n);
		g_byte_array_append(out, (guint8 *)buf, granted);
		if (granted < (size_t)n) {
			*truncated = 1;
			break;
		}
	}
	g_free(buf);
	g_object_unref(filtered);
	return out;
}

static char *declared_type(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *mime = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	char *out = mime ? g_ascii_strdown(mime, -1) : g_strdup("text/plain");

	g_free(mime);
	return out;
}

static int walk_encoded_message(struct scan_ctx *ctx, struct span bytes,
				const struct part_path *path, unsigned depth);

static int is_message_type(const char *declared)
{
	return strcmp(declared, "message/rfc822") == 0 ||
	       strcmp(declared, "message/global") == 0;
}

/* The URLs of a text/plain or text/html part (url_judge.h), its charset
 * converted to UTF-8. */
static int scan_text_urls(struct scan_ctx *ctx, GMimePart *part,
			  const char *declared, struct span bytes,
			  const struct part_path *path)
{
	int html = strcmp(declared, "text/html") == 0;
	size_t len;
	char *text;
	int rc;

	if (!html && strcmp(declared, "text/plain") != 0)
		return 0;
	/* a copy of bytes the budget has paid for, at most 3 times their
	 * size (U+FFFD for each invalid byte): not charged again */
	text = mime_text_utf8(GMIME_OBJECT(part), bytes, &len);
	if (!text)
		return -1;
	rc = url_scan_text(ctx, path, span_make(text, len), html);
	free(text);
	return rc;
}

static int scan_leaf(struct scan_ctx *ctx, GMimePart *part,
		     const struct part_path *path, unsigned depth)
{
	int truncated, rc = 0;
	GByteArray *content = decode_part(ctx, part, &truncated);
	char *declared = declared_type(GMIME_OBJECT(part));
	struct span bytes = span_make(content->data, content->len);

	if (truncated)
		scan_finding(ctx, "mime.limit", path, "decoded bytes over %zu",
			     ctx->limits->decoded_bytes);
	dispatch_content(ctx, path, g_mime_part_get_filename(part), declared,
			 bytes, truncated);
	if (scan_text_urls(ctx, part, declared, bytes, path) < 0)
		scan_finding(ctx, "scan.error", path, "url analyzer failed");
	/* a message/rfc822 part with a transfer encoding is a leaf to
	 * GMime: its decoded bytes are a message, walked like any other */
	if (is_message_type(declared))
		rc = walk_encoded_message(ctx, bytes, path, depth + 1);
	g_free(declared);
	g_byte_array_unref(content);
	return rc;
}

static int walk(struct scan_ctx *ctx, GMimeObject *obj,
		const struct part_path *path, unsigned depth);

/* The name an attached message is given, decoded, or NULL. */
static const char *message_part_name(GMimeObject *obj)
{
	const char *name =
	    g_mime_object_get_content_disposition_parameter(obj, "filename");

	return name ? name
		    : g_mime_object_get_content_type_parameter(obj, "name");
}

/* Walks the body of an attached message below the section path. */
static int walk_body(struct scan_ctx *ctx, GMimeObject *body,
		     const struct part_path *path, unsigned depth)
{
	struct part_path child = {0};
	int rc;

	if (!body)
		return 0;
	if (GMIME_IS_MULTIPART(body))
		return walk(ctx, body, path, depth);
	if (section_path(&child, path, 1) < 0)
		return -1;
	rc = walk(ctx, body, &child, depth);
	path_clear(&child);
	return rc;
}

static int walk_message_part(struct scan_ctx *ctx, GMimeMessagePart *mp,
			     const struct part_path *path, unsigned depth)
{
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	struct part_info info;

	memset(&info, 0, sizeof(info));
	info.path = *path;
	info.type = "message/rfc822";
	info.declared = "message/rfc822";
	info.filename = (char *)message_part_name(GMIME_OBJECT(mp));
	digest_sha256_hex(span_make("", 0), info.sha256);
	report_add_part(ctx->report, &info);
	if (!inner)
		return 0;
	return walk_body(ctx, g_mime_message_get_mime_part(inner), path,
			 depth + 1);
}

static int walk_multipart(struct scan_ctx *ctx, GMimeMultipart *mp,
			  const struct part_path *path, unsigned depth)
{
	int count = g_mime_multipart_get_count(mp);

	for (int i = 0; i < count; i++) {
		struct part_path child = {0};
		int rc;
		if (section_path(&child, path, i + 1) < 0)
			return -1;
		rc = walk(ctx, g_mime_multipart_get_part(mp, i), &child,
			  depth + 1);
		path_clear(&child);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Returns 1 when a limit stopped the walk, 0 when done, -1 on error. */
static int walk(struct scan_ctx *ctx, GMimeObject *obj,
		const struct part_path *path, unsigned depth)
{
	if (depth > ctx->limits->mime_depth) {
		scan_finding(ctx, "mime.limit", path, "depth over %u",
			     ctx->limits->mime_depth);
		return 1;
	}
	if (++ctx->nparts > ctx->limits->mime_parts) {
		scan_finding(ctx, "mime.limit", path, "parts over %u",
			     ctx->limits->mime_parts);
		return 1;
	}
	if (GMIME_IS_MULTIPART(obj))
		return walk_multipart(ctx, GMIME_MULTIPART(obj), path, depth);
	if (GMIME_IS_MESSAGE_PART(obj))
		return walk_message_part(ctx, GMIME_MESSAGE_PART(obj), path,
					 depth);
	if (GMIME_IS_PART(obj))
		return scan_leaf(ctx, GMIME_PART(obj), path, depth);
	return 0;
}

static void record_from_addr(struct report *r, InternetAddressList *from)
{
	InternetAddress *a;
	const char *addr;

	if (!from || internet_address_list_length(from) < 1)
		return;
	a = internet_address_list_get_address(from, 0);
	if (!INTERNET_ADDRESS_IS_MAILBOX(a))
		return;
	addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
	if (addr && *addr)
		r->from_addr = report_strdup(addr, strlen(addr));
}

static void record_header_fields(struct report *r, GMimeObject *obj)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = list ? g_mime_header_list_get_count(list) : 0;

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		const char *name = g_mime_header_get_name(h);
		const char *value = g_mime_header_get_value(h);
		if (name && report_add_header(r, name, value ? value : "") < 0)
			return;
	}
}

static void record_headers(struct scan_ctx *ctx, GMimeMessage *message)
{
	struct report *r = ctx->report;
	const char *id = g_mime_message_get_message_id(message);
	const char *subject = g_mime_message_get_subject(message);
	InternetAddressList *from = g_mime_message_get_from(message);
	char *from_text =
	    from ? internet_address_list_to_string(from, NULL, FALSE) : NULL;

	if (id) {
		char *bracketed = g_strdup_printf("<%s>", id);
		r->message_id = report_strdup(bracketed, strlen(bracketed));
		g_free(bracketed);
	}
	if (subject)
		r->subject = report_strdup(subject, strlen(subject));
	if (from_text && *from_text)
		r->from = report_strdup(from_text, strlen(from_text));
	record_from_addr(r, from);
	record_header_fields(r, GMIME_OBJECT(message));
	g_free(from_text);
}

static GMimeParserOptions *parser_options(struct scan_ctx *ctx)
{
	GMimeParserOptions *opts = g_mime_parser_options_new();

	g_mime_parser_options_set_rfc2047_compliance_mode(
	    opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(
	    opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_fallback_charsets(
	    opts, (const char **)fallback_charsets);
	g_mime_parser_options_set_warning_callback(opts, on_parser_warning,
						   ctx);
	return opts;
}

/*
 * Parses bytes as a message and hands it to visit; the bytes are borrowed
 * (a GByteArray view, never copied) and must outlive the parse.
 */
static int parse_message(struct scan_ctx *ctx, struct span bytes,
			 int (*visit)(struct scan_ctx *, GMimeMessage *,
				      const struct part_path *, unsigned),
			 const struct part_path *path, unsigned depth)
{
	GByteArray view = {.data = (guint8 *)bytes.ptr,
			   .len = (guint)bytes.len};
	GMimeParserOptions *opts = parser_options(ctx);
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(&view);
	GMimeParser *parser;
	GMimeMessage *message;
	int rc = 0;

	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	message = g_mime_parser_construct_message(parser, opts);
	if (message) {
		rc = visit(ctx, message, path, depth);
		g_object_unref(message);
	} else {
		scan_finding(ctx, "mime.malformed", path, "no message headers");
	}
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(opts);
	return rc;
}

static int visit_attached(struct scan_ctx *ctx, GMimeMessage *message,
			  const struct part_path *path, unsigned depth)
{
	return walk_body(ctx, g_mime_message_get_mime_part(message), path,
			 depth);
}

static int walk_encoded_message(struct scan_ctx *ctx, struct span bytes,
				const struct part_path *path, unsigned depth)
{
	if (depth > ctx->limits->mime_depth) {
		scan_finding(ctx, "mime.limit", path, "depth over %u",
			     ctx->limits->mime_depth);
		return 1;
	}
	return parse_message(ctx, bytes, visit_attached, path, depth);
}

static int visit_top(struct scan_ctx *ctx, GMimeMessage *message,
		     const struct part_path *path, unsigned depth)
{
	int rc;

	record_headers(ctx, message);
	ctx->password_texts = message; /* read if a protected part needs it */
	rc = walk_body(ctx, g_mime_message_get_mime_part(message), path, depth);
	ctx->password_texts = NULL;
	if (rc >= 0 && thread_scan(ctx, message) < 0)
		rc = -1;
	return rc;
}

int mime_scan(struct scan_ctx *ctx, struct span msg)
{
	struct part_path top = {0};

	return parse_message(ctx, msg, visit_top, &top, 0) < 0 ? -1 : 0;
}
