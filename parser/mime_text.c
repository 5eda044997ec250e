#include "mime_text.h"

#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "utf8.h"

/* A filter from the part's charset to UTF-8, or NULL to take the bytes. */
static GMimeFilter *charset_filter(GMimeObject *obj)
{
	const char *cs =
	    g_mime_object_get_content_type_parameter(obj, "charset");

	if (!cs || !g_ascii_strcasecmp(cs, "utf-8") ||
	    !g_ascii_strcasecmp(cs, "us-ascii"))
		return NULL;
	return g_mime_filter_charset_new(cs, "UTF-8");
}

/* Up to max decoded, converted bytes of a text part. */
static GByteArray *read_text(GMimePart *part, size_t max)
{
	GMimeStream *filtered = mime_decoded_stream(part);
	GByteArray *out = g_byte_array_new();
	GMimeFilter *filter;
	char buf[8192];

	if (!filtered)
		return out;
	filter = charset_filter(GMIME_OBJECT(part));
	if (filter) {
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), filter);
		g_object_unref(filter);
	}
	while (out->len < max) {
		size_t want =
		    max - out->len < sizeof(buf) ? max - out->len : sizeof(buf);
		ssize_t n = g_mime_stream_read(filtered, buf, want);
		if (n <= 0)
			break;
		g_byte_array_append(out, (guint8 *)buf, (guint)n);
	}
	g_object_unref(filtered);
	return out;
}

struct mime_text_each {
	const struct scan_limits *limits;
	size_t part_max, total_max;
	mime_text_fn fn;
	void *arg;
	unsigned parts;
	size_t bytes; /* text read so far */
	int rc;
};

static void visit_part(GMimeObject *parent, GMimeObject *obj, gpointer data)
{
	struct mime_text_each *w = data;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	size_t max = w->part_max;
	GByteArray *text;
	char *repaired = NULL;
	struct span s;
	int html;

	(void)parent;
	if (w->rc != 0 || ++w->parts > w->limits->mime_parts ||
	    w->bytes >= w->total_max || !GMIME_IS_PART(obj) || !ct ||
	    !g_mime_content_type_is_type(ct, "text", "*"))
		return;
	html = g_mime_content_type_is_type(ct, "text", "html");
	if (!html && !g_mime_content_type_is_type(ct, "text", "plain"))
		return;
	if (w->total_max - w->bytes < max)
		max = w->total_max - w->bytes;
	text = read_text(GMIME_PART(obj), max);
	w->bytes += text->len;
	s = span_make(text->data, text->len);
	if (!utf8_valid(s.ptr, s.len)) {
		repaired = utf8_repair(s.ptr, s.len);
		s = span_str(repaired);
	}
	w->rc = w->fn(w->arg, s, html);
	free(repaired);
	g_byte_array_unref(text);
}

int mime_text_foreach(GMimeMessage *message, const struct scan_limits *limits,
		      size_t part_max, size_t total_max, mime_text_fn fn,
		      void *arg, size_t *bytes_read)
{
	struct mime_text_each w = {.limits = limits,
				   .part_max = part_max,
				   .total_max = total_max,
				   .fn = fn,
				   .arg = arg};

	g_mime_message_foreach(message, visit_part, &w);
	if (bytes_read)
		*bytes_read = w.bytes;
	return w.rc;
}

static int add_password_text(void *arg, struct span text, int html)
{
	struct passwords *p = arg;

	return html ? passwords_add_html(p, "html body", text)
		    : passwords_add_text(p, "body", text);
}

int mime_text_passwords(struct scan_ctx *ctx)
{
	GMimeMessage *message = ctx->password_texts;
	const char *subject;
	int rc = 0;

	if (!message)
		return 0;
	ctx->password_texts = NULL;
	subject = g_mime_message_get_subject(message);

	if (subject)
		rc = passwords_add_text(&ctx->passwords, "subject",
					span_str(subject));
	if (rc == 0)
		rc = mime_text_foreach(
		    message, ctx->limits, PASSWORDS_TEXT_BYTES, MIME_TEXT_BYTES,
		    add_password_text, &ctx->passwords, NULL);
	if (rc == 0)
		rc = passwords_add_common(&ctx->passwords,
					  ctx->common_passwords);
	return rc;
}

char *mime_text_utf8(GMimeObject *part, struct span decoded, size_t *len)
{
	GMimeFilter *filter = charset_filter(part);
	GByteArray *out;
	char *text;

	if (!filter) {
		text = utf8_repair(decoded.ptr, decoded.len);
	} else {
		size_t outlen, prespace;
		char *conv;
		out = g_byte_array_new();
		g_mime_filter_filter(filter, (char *)decoded.ptr, decoded.len,
				     0, &conv, &outlen, &prespace);
		g_byte_array_append(out, (guint8 *)conv, (guint)outlen);
		g_mime_filter_complete(filter, (char *)"", 0, 0, &conv, &outlen,
				       &prespace);
		g_byte_array_append(out, (guint8 *)conv, (guint)outlen);
		g_object_unref(filter);
		text = utf8_repair(out->data, out->len);
		g_byte_array_unref(out);
	}
	*len = text ? strlen(text) : 0;
	return text;
}
