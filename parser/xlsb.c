/*
 * xlsb - BIFF12 records of xl/workbook.bin; see xlsb.h.
 */
#include "xlsb.h"
#include "bytes.h"
#include "utf8.h"

enum {
	XLSB_BRT_NAME = 39,
	XLSB_BRT_END_BOOK = 132,
	XLSB_BRT_BUNDLE_SH = 156,
};

int xlsb_record(struct span part, size_t *at, uint32_t *type, uint32_t *len)
{
	size_t p = *at;
	uint32_t v = 0;

	for (unsigned i = 0;; i++) {
		if (i == 2 || p >= part.len)
			return -1;
		v |= (uint32_t)(part.ptr[p] & 0x7F) << (7 * i);
		if (!(part.ptr[p++] & 0x80))
			break;
	}
	*type = v;
	v = 0;
	for (unsigned i = 0;; i++) {
		if (i == 4 || p >= part.len)
			return -1;
		v |= (uint32_t)(part.ptr[p] & 0x7F) << (7 * i);
		if (!(part.ptr[p++] & 0x80))
			break;
	}
	*len = v;
	*at = p;
	return 0;
}

/*
 * An XLWideString at rec+*at (a 32-bit count of UTF-16 units, then the
 * units) as UTF-8 in out, cut to fit; *at moves past it. 0xFFFFFFFF (a
 * null string) gives "". -1 when the count runs past the record.
 */
static int xlsb_string(struct span rec, size_t *at, char *out, size_t outlen)
{
	size_t o = 0, p = *at;
	uint32_t cch;

	out[0] = '\0';
	if (p > rec.len || rec.len - p < 4)
		return -1;
	cch = bytes_le32(rec.ptr + p);
	p += 4;
	if (cch == 0xFFFFFFFFu) {
		*at = p;
		return 0;
	}
	if (cch > (rec.len - p) / 2)
		return -1;
	for (uint32_t i = 0; i < cch; i++, p += 2) {
		unsigned c = rec.ptr[p] | rec.ptr[p + 1] << 8;
		if (o + 4 >= outlen)
			continue;
		if (c < 0x20 || (c >= 0xD800 && c < 0xE000))
			c = 0xFFFD;
		o += utf8_encode(c, out + o);
	}
	out[o] = '\0';
	*at = p;
	return 0;
}

/* BrtBundleSh: hsState, iTabID, strRelID, strName. */
static int xlsb_bundle_sh(struct span rec, const struct xlsb_sink *sink)
{
	struct xlsb_sheet s;
	size_t at = 8;

	if (rec.len < 8 || !sink->sheet)
		return 0;
	s.state = bytes_le32(rec.ptr);
	if (xlsb_string(rec, &at, s.rid, sizeof(s.rid)) < 0)
		return 0;
	if (xlsb_string(rec, &at, s.name, sizeof(s.name)) < 0)
		s.name[0] = '\0';
	return sink->sheet(sink->arg, &s);
}

/* BrtName: 32 bits of flags (fBuiltin is bit 5), chKey, itab, name... */
static int xlsb_name(struct span rec, const struct xlsb_sink *sink)
{
	struct xlsb_name n;
	size_t at = 9;

	if (rec.len < 9 || !sink->name)
		return 0;
	n.builtin = (rec.ptr[0] & 0x20) != 0;
	if (xlsb_string(rec, &at, n.name, sizeof(n.name)) < 0)
		return 0;
	return sink->name(sink->arg, &n);
}

int xlsb_workbook_each(struct span part, const struct xlsb_sink *sink)
{
	size_t at = 0;
	uint32_t type, len;
	int rc = 0;

	for (unsigned n = 0; at < part.len; n++) {
		struct span rec;
		if (n == XLSB_MAX_RECORDS)
			return XLSB_E_LIMIT;
		if (xlsb_record(part, &at, &type, &len) < 0)
			return 0;
		if (len > part.len - at)
			return XLSB_E_FORMAT;
		rec = span_make(part.ptr + at, len);
		at += len;
		if (type == XLSB_BRT_END_BOOK)
			break;
		if (type == XLSB_BRT_BUNDLE_SH)
			rc = xlsb_bundle_sh(rec, sink);
		else if (type == XLSB_BRT_NAME)
			rc = xlsb_name(rec, sink);
		if (rc < 0)
			return rc;
	}
	return 0;
}
