#include "mime.h"

#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"

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
	ctx->warned |= bit;
	scan_finding(ctx, "mime.malformed", NULL, "%s at byte %lld",
			     name, (long long)offset);
}

static int section_path(struct part_path *out, const struct part_path *parent,
			int index)
{
	char buf[128];
	const char *prefix = parent->n ? parent->elem[0] : "";

	snprintf(buf, sizeof(buf), "%s%s%d", prefix, *prefix ? "." : "",
		 index);
	return path_push(out, buf, strlen(buf));
}

/* Reads the decoded content of a part within the budget. */
static GByteArray *decode_part(struct scan_ctx *ctx, GMimePart *part,
			       int *truncated)
{
	GMimeDataWrapper *wrapper = g_mime_part_get_content(part);
	GByteArray *out = g_byte_array_new();
	GMimeStream *raw, *filtered;
	GMimeFilter *decoder;
	char *buf;

	*truncated = 0;
	if (!wrapper)
		return out;
	raw = g_mime_data_wrapper_get_stream(wrapper);
	if (!raw)
		return out;
	g_mime_stream_reset(raw);
	filtered = g_mime_stream_filter_new(raw);
	decoder = g_mime_filter_basic_new(
	    g_mime_data_wrapper_get_encoding(wrapper), FALSE);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), decoder);
	g_object_unref(decoder);
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

static void sha256_hex(const guint8 *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
}

static char *declared_type(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *mime = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	char *out = mime ? g_ascii_strdown(mime, -1) : g_strdup("text/plain");

	g_free(mime);
	return out;
}

static void scan_leaf(struct scan_ctx *ctx, GMimePart *part,
		      const struct part_path *path)
{
	struct part_info info;
	struct part_ctx pc;
	int truncated;
	GByteArray *content = decode_part(ctx, part, &truncated);
	char *declared = declared_type(GMIME_OBJECT(part));
	const char *filename = g_mime_part_get_filename(part);

	memset(&info, 0, sizeof(info));
	memset(&pc, 0, sizeof(pc));
	pc.path = path;
	pc.filename = filename;
	pc.declared = declared;
	pc.content = span_make(content->data, content->len);
	pc.type = filetype_detect(pc.content);
	pc.truncated = truncated;

	info.path = *path;
	info.type = (char *)filetype_mime(pc.type);
	info.declared = declared;
	info.filename = (char *)filename;
	info.size = content->len;
	sha256_hex(content->data, content->len, info.sha256);
	report_add_part(ctx->report, &info);

	if (truncated)
		scan_finding(ctx, "mime.limit", path,
			     "decoded bytes over %zu", ctx->limits->decoded_bytes);
	dispatch_part(ctx, &pc);
	g_free(declared);
	g_byte_array_unref(content);
}

static int walk(struct scan_ctx *ctx, GMimeObject *obj,
		const struct part_path *path, unsigned depth);

static int walk_message_part(struct scan_ctx *ctx, GMimeMessagePart *mp,
			     const struct part_path *path, unsigned depth)
{
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	GMimeObject *body = inner ? g_mime_message_get_mime_part(inner) : NULL;
	struct part_info info;
	struct part_path child = {0};
	int rc;

	memset(&info, 0, sizeof(info));
	info.path = *path;
	info.type = "message/rfc822";
	info.declared = "message/rfc822";
	sha256_hex((const guint8 *)"", 0, info.sha256);
	report_add_part(ctx->report, &info);
	if (!body)
		return 0;
	if (GMIME_IS_MULTIPART(body))
		return walk(ctx, body, path, depth + 1);
	if (section_path(&child, path, 1) < 0)
		return -1;
	rc = walk(ctx, body, &child, depth + 1);
	path_clear(&child);
	return rc;
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
		scan_leaf(ctx, GMIME_PART(obj), path);
	return 0;
}

static void record_headers(struct scan_ctx *ctx, GMimeMessage *message)
{
	struct report *r = ctx->report;
	const char *id = g_mime_message_get_message_id(message);
	const char *subject = g_mime_message_get_subject(message);
	InternetAddressList *from = g_mime_message_get_from(message);
	char *from_text = from ? internet_address_list_to_string(from, NULL,
								 FALSE)
			       : NULL;

	if (id) {
		char *bracketed = g_strdup_printf("<%s>", id);
		r->message_id = report_strdup(bracketed, strlen(bracketed));
		g_free(bracketed);
	}
	if (subject)
		r->subject = report_strdup(subject, strlen(subject));
	if (from_text && *from_text)
		r->from = report_strdup(from_text, strlen(from_text));
	g_free(from_text);
}

int mime_scan(struct scan_ctx *ctx, struct span msg)
{
	GByteArray view = {.data = (guint8 *)msg.ptr, .len = (guint)msg.len};
	GMimeParserOptions *opts = g_mime_parser_options_new();
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *message;
	struct part_path top = {0};
	GMimeObject *body;
	int rc = 0;

	g_mime_parser_options_set_rfc2047_compliance_mode(
	    opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(
	    opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_fallback_charsets(opts,
						    (const char **)fallback_charsets);
	g_mime_parser_options_set_warning_callback(opts, on_parser_warning,
						   ctx);
	stream = g_mime_stream_mem_new_with_byte_array(&view);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	message = g_mime_parser_construct_message(parser, opts);
	if (!message) {
		scan_finding(ctx, "mime.malformed", NULL, "no message headers");
		goto out;
	}
	record_headers(ctx, message);
	body = g_mime_message_get_mime_part(message);
	if (body && GMIME_IS_MULTIPART(body)) {
		rc = walk(ctx, body, &top, 0);
	} else if (body) {
		struct part_path first = {0};
		if (path_push(&first, "1", 1) == 0)
			rc = walk(ctx, body, &first, 0);
		path_clear(&first);
	}
	g_object_unref(message);
out:
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(opts);
	return rc < 0 ? -1 : 0;
}
