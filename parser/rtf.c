/*
 * rtf - \objdata objects of RTF documents; see rtf.h.
 */
#include "rtf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "cfb.h"
#include "office.h"
#include "ole10.h"
#include "url.h"
#include "url_judge.h"

#define RTF_OLE1_EMBEDDED 2
#define RTF_CLASS_MAX	  64

static int rtf_hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int rtf_alpha(uint8_t c)
{
	c |= 0x20;
	return c >= 'a' && c <= 'z';
}

/* A control word at text[*i] ('\\' already taken): its name and param. */
static void rtf_control(struct span text, size_t *i, struct span *word,
			long *param, int *has_param)
{
	size_t at = *i, start = at;
	long v = 0;
	int neg = 0, digits = 0;

	while (at < text.len && rtf_alpha(text.ptr[at]) && at - start < 32)
		at++;
	*word = span_make(text.ptr + start, at - start);
	if (at < text.len && text.ptr[at] == '-') {
		neg = 1;
		at++;
	}
	while (at < text.len && text.ptr[at] >= '0' && text.ptr[at] <= '9') {
		if (v < 100000000)
			v = v * 10 + (text.ptr[at] - '0');
		at++;
		digits++;
	}
	if (!digits && neg)
		at--;
	if (at < text.len && text.ptr[at] == ' ')
		at++;
	*param = neg ? -v : v;
	*has_param = digits > 0;
	*i = at;
}

int rtf_objdata_decode(struct span text, uint8_t *out, size_t *outlen,
		       size_t *consumed)
{
	size_t i = 0, o = 0;
	int depth = 1, nibble = -1;

	while (i < text.len && depth > 0) {
		uint8_t c = text.ptr[i++];
		int h = rtf_hex(c);
		if (h >= 0) {
			if (nibble < 0) {
				nibble = h;
			} else {
				out[o++] = (uint8_t)(nibble << 4 | h);
				nibble = -1;
			}
		} else if (c == '{') {
			depth++;
		} else if (c == '}') {
			depth--;
		} else if (c == '\\' && i < text.len) {
			struct span word;
			long param;
			int has_param;
			if (text.ptr[i] == '\'') {
				nibble = -1;
				i = text.len - i < 3 ? text.len : i + 3;
				continue;
			}
			if (!rtf_alpha(text.ptr[i])) {
				i++;
				continue;
			}
			rtf_control(text, &i, &word, &param, &has_param);
			if (word.len == 3 && memcmp(word.ptr, "bin", 3) == 0 &&
			    has_param && param > 0) {
				size_t n = (size_t)param;
				if (n > text.len - i)
					n = text.len - i;
				memcpy(out + o, text.ptr + i, n);
				o += n;
				i += n;
				nibble = -1;
			}
		}
	}
	*outlen = o;
	*consumed = i;
	return 0;
}

/* A LengthPrefixedAnsiString at *at: its characters (without the NUL). */
static int rtf_ansi_string(struct span obj, size_t *at, struct span *str)
{
	if (ole10_sized(obj, at, str) < 0)
		return -1;
	if (str->len > 0 && str->ptr[str->len - 1] == 0)
		str->len--;
	return 0;
}

static int rtf_payload(struct scan_ctx *ctx, const struct part_ctx *part,
		       struct span cls, struct span native, unsigned n)
{
	char name[128];
	struct span fname, file;

	if (cls.len == 7 && memcmp(cls.ptr, "Package", 7) == 0 &&
	    ole10_package(native, &fname, &file) == 0 && fname.len > 0) {
		snprintf(name, sizeof(name), "%.*s", (int)fname.len,
			 (const char *)fname.ptr);
		return office_child(ctx, part, name, file);
	}
	snprintf(name, sizeof(name), "objdata %u", n);
	return office_child(ctx, part, name, native);
}

/* One decoded \objdata: the OLE1 header, the finding, the payload. */
static int rtf_object(struct scan_ctx *ctx, const struct part_ctx *part,
		      struct span obj, unsigned n)
{
	struct span cls, topic, item, native;
	size_t at = 8;
	uint32_t format;
	int rc;

	if (obj.len < 8 || rtf_ansi_string(obj, &at, &cls) < 0) {
		rc = scan_finding(ctx, "office.rtf.object", part->path,
				  "unknown class");
		return rc |
		       (cfb_is_cfb(obj)
			    ? rtf_payload(ctx, part, span_make("", 0), obj, n)
			    : 0);
	}
	format = bytes_le32(obj.ptr + 4);
	rc = scan_finding(
	    ctx, "office.rtf.object", part->path, "%.*s",
	    (int)(cls.len < RTF_CLASS_MAX ? cls.len : RTF_CLASS_MAX),
	    (const char *)cls.ptr);
	if (rc < 0 || format != RTF_OLE1_EMBEDDED ||
	    rtf_ansi_string(obj, &at, &topic) < 0 ||
	    rtf_ansi_string(obj, &at, &item) < 0 || obj.len - at < 4)
		return rc;
	native = span_make(obj.ptr + at + 4, obj.len - at - 4);
	if (bytes_le32(obj.ptr + at) < native.len)
		native.len = bytes_le32(obj.ptr + at);
	return rc | rtf_payload(ctx, part, cls, native, n);
}

/*
 * The targets of HYPERLINK fields (\fldinst{HYPERLINK "url"}) go to the
 * URL judge (url_judge.h). Read as Word writes them: the word, spaces,
 * a quoted target; a target split by control words or escapes is missed.
 */
static int rtf_hyperlinks(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct span t = part->content;
	size_t pos = 0;
	int rc = 0;

	while (rc >= 0 && pos < t.len) {
		const uint8_t *hit =
		    memmem(t.ptr + pos, t.len - pos, "HYPERLINK", 9);
		size_t start, end;
		if (!hit)
			break;
		pos = (size_t)(hit - t.ptr) + 9;
		while (pos < t.len && t.ptr[pos] == ' ')
			pos++;
		if (pos >= t.len || t.ptr[pos] != '"')
			continue;
		start = ++pos;
		for (end = start; end < t.len && end - start < URL_MAX_BYTES &&
				  t.ptr[end] != '"' && t.ptr[end] != '}' &&
				  t.ptr[end] != '\\';
		     end++)
			;
		if (end < t.len && t.ptr[end] == '"')
			rc = url_found(ctx, part->path,
				       span_make(t.ptr + start, end - start));
		pos = end;
	}
	return rc;
}

int rtf_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct span text = part->content;
	const uint8_t *hit;
	size_t pos = 0;
	unsigned n = 0;
	int rc = 0;

	uint8_t *buf = NULL;

	while (rc >= 0 &&
	       (hit = memmem(text.ptr + pos, text.len - pos, "\\objdata", 8))) {
		size_t len, used;
		pos = (size_t)(hit - text.ptr) + 8;
		if (pos < text.len && rtf_alpha(text.ptr[pos]))
			continue;
		if (!buf && !(buf = malloc(text.len + 1)))
			return -1;
		rtf_objdata_decode(span_make(text.ptr + pos, text.len - pos),
				   buf, &len, &used);
		pos += used;
		if (ctx->budget_left < len) {
			rc = office_status_finding(ctx, part, CFB_E_BUDGET,
						   "RTF object");
			break;
		}
		scan_budget_take(ctx, len);
		rc |= rtf_object(ctx, part, span_make(buf, len), ++n);
	}
	free(buf);
	return rc < 0 ? rc : rtf_hyperlinks(ctx, part);
}
