/*
 * xlm - Excel 4.0 macros in BIFF workbook streams; see xlm.h.
 */
#include "xlm.h"

#include <strings.h>

#include "utf8.h"

enum {
	XLM_REC_EOF = 0x000A,
	XLM_REC_NAME = 0x0018,
	XLM_REC_FILEPASS = 0x002F,
	XLM_REC_BOUNDSHEET = 0x0085,
	XLM_REC_BOF = 0x0809,
};

/* A sheet or defined name as printable text: Latin-1 or UTF-16LE. */
static void xlm_name(struct span chars, int wide, char *out, size_t outlen)
{
	size_t o = 0, step = wide ? 2 : 1;

	for (size_t i = 0; i + step <= chars.len && o + 4 < outlen; i += step) {
		unsigned c =
		    wide ? chars.ptr[i] | chars.ptr[i + 1] << 8 : chars.ptr[i];
		if (c < 0x20 || (c >= 0xD800 && c < 0xE000))
			c = 0xFFFD;
		o += utf8_encode(c, out + o);
	}
	out[o] = '\0';
}

/* The string at data+at: [flags byte in BIFF8] then cch characters. */
static void xlm_string(struct span data, size_t at, size_t cch, int biff8,
		       char *out, size_t outlen)
{
	int wide = 0;

	out[0] = '\0';
	if (biff8) {
		if (at >= data.len)
			return;
		wide = data.ptr[at++] & 1;
	}
	if (at > data.len)
		return;
	if (cch * (wide ? 2 : 1) > data.len - at)
		cch = (data.len - at) / (wide ? 2 : 1);
	xlm_name(span_make(data.ptr + at, cch * (wide ? 2 : 1)), wide, out,
		 outlen);
}

static int xlm_boundsheet(struct scan_ctx *ctx, const struct part_ctx *part,
			  struct span data, int biff8)
{
	static const char *const states[] = {"visible", "hidden", "very hidden",
					     "hidden"};
	char name[256];
	int rc = 0;

	if (data.len < 7)
		return 0;
	xlm_string(data, 7, data.ptr[6], biff8, name, sizeof(name));
	if (data.ptr[5] != 1)
		return 0;
	rc |= scan_finding(ctx, "office.xlm.present", part->path,
			   "macro sheet %s", name);
	if (data.ptr[4] & 3)
		rc |= scan_finding(ctx, "office.xlm.hidden", part->path,
				   "macro sheet %s (%s)", name,
				   states[data.ptr[4] & 3]);
	return rc;
}

static int xlm_defined_name(struct scan_ctx *ctx, const struct part_ctx *part,
			    struct span data, int biff8)
{
	char name[256];

	if (data.len < 15)
		return 0;
	if ((data.ptr[0] | data.ptr[1] << 8) & 0x0020) {
		size_t at = biff8 ? 15 : 14;
		if (at >= data.len)
			return 0;
		if (data.ptr[at] == 0x01)
			return scan_finding(ctx, "office.xlm.autoexec",
					    part->path, "Auto_Open");
		if (data.ptr[at] == 0x02)
			return scan_finding(ctx, "office.xlm.autoexec",
					    part->path, "Auto_Close");
		return 0;
	}
	xlm_string(data, 14, data.ptr[3], biff8, name, sizeof(name));
	if (strncasecmp(name, "Auto_Open", 9) == 0 ||
	    strncasecmp(name, "Auto_Close", 10) == 0)
		return scan_finding(ctx, "office.xlm.autoexec", part->path,
				    "%s", name);
	return 0;
}

int xlm_scan_biff(struct scan_ctx *ctx, const struct part_ctx *part,
		  struct span stream)
{
	size_t pos = 0;
	int biff8 = 1, rc = 0;

	if (stream.len < 8 ||
	    (stream.ptr[0] | stream.ptr[1] << 8) != XLM_REC_BOF)
		return 0;
	biff8 = (stream.ptr[4] | stream.ptr[5] << 8) == 0x0600;
	while (stream.len - pos >= 4) {
		unsigned type = stream.ptr[pos] | stream.ptr[pos + 1] << 8;
		size_t len = stream.ptr[pos + 2] | stream.ptr[pos + 3] << 8;
		struct span data;
		if (len > stream.len - pos - 4)
			break;
		data = span_make(stream.ptr + pos + 4, len);
		pos += 4 + len;
		if (type == XLM_REC_EOF)
			break;
		if (type == XLM_REC_FILEPASS)
			return rc |
			       scan_finding(ctx, "office.encrypted", part->path,
					    "workbook FILEPASS");
		if (type == XLM_REC_BOUNDSHEET)
			rc |= xlm_boundsheet(ctx, part, data, biff8);
		else if (type == XLM_REC_NAME)
			rc |= xlm_defined_name(ctx, part, data, biff8);
	}
	return rc;
}
