#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p, or 0 if it is not valid. */
static size_t utf8_seq_len(const uint8_t *p, size_t left)
{
	uint8_t c = p[0];

	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return left >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (left < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;
		if (c == 0xed && p[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (left < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* How many leading bytes of p form valid UTF-8 without NUL; runs of
 * ASCII are taken eight bytes at a time. */
static size_t utf8_valid_prefix(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint64_t w;
		size_t n;
		if (len - i >= 8) {
			memcpy(&w, p + i, 8);
			/* no byte >= 0x80 and no NUL byte */
			if (!(w & 0x8080808080808080ULL) &&
			    !((w - 0x0101010101010101ULL) & ~w &
			      0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		n = utf8_seq_len(p + i, len - i);
		if (n == 0)
			break;
		i += n;
	}
	return i;
}

int utf8_valid(const void *bytes, size_t len)
{
	return utf8_valid_prefix(bytes, len) == len;
}

char *utf8_repair(const void *bytes, size_t len)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const uint8_t *p = bytes;
	char *out, *o;
	size_t i = 0;

	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	i = utf8_valid_prefix(p, len);
	if (i == len) { /* the usual case: nothing to mend */
		out = malloc(len + 1);
		if (out) {
			if (len)
				memcpy(out, p, len);
			out[len] = '\0';
		}
		return out;
	}
	out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	if (i)
		memcpy(out, p, i);
	o = out + i;
	while (i < len) {
		size_t n = utf8_seq_len(p + i, len - i);
		if (n == 0) {
			memcpy(o, replacement, 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(o, p + i, n);
		o += n;
		i += n;
	}
	*o = '\0';
	return out;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

void utf8_append(char *out, size_t cap, size_t *o, uint32_t cp)
{
	char b[4];
	size_t k = utf8_encode(cp, b);

	if (*o + k < cap) {
		memcpy(out + *o, b, k);
		*o += k;
	}
}

static uint32_t utf16_unit(const uint8_t *p, int big_endian)
{
	return big_endian ? (uint32_t)p[0] << 8 | p[1]
			  : (uint32_t)p[1] << 8 | p[0];
}

void utf8_from_utf16(const uint8_t *p, size_t len, int big_endian, char *out,
		     size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i + 1 < len; i += 2) {
		uint32_t cp = utf16_unit(p + i, big_endian);
		if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < len) {
			uint32_t lo = utf16_unit(p + i + 2, big_endian);
			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				i += 2;
			}
		}
		if (cp == 0)
			break;
		utf8_append(out, cap, &o, cp);
	}
	out[o] = '\0';
}
