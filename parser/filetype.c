/*
 * filetype - identification of a part by its leading bytes (magic numbers).
 * Bounded: never reads past the span; text/HTML sniffing looks at 4 KiB.
 */
#include "filetype.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "utf8.h"

static const struct {
	const char *name;
	const char *mime;
} filetype_table[FT_COUNT] = {
    [FT_EMPTY] = {"empty", "application/x-empty"},
    [FT_TEXT] = {"text", "text/plain"},
    [FT_BINARY] = {"binary", "application/octet-stream"},
    [FT_PE] = {"pe", "application/x-dosexec"},
    [FT_ELF] = {"elf", "application/x-executable"},
    [FT_ZIP] = {"zip", "application/zip"},
    [FT_OOXML] = {"ooxml", "application/vnd.openxmlformats-officedocument"},
    [FT_CFB] = {"cfb", "application/x-ole-storage"},
    [FT_PDF] = {"pdf", "application/pdf"},
    [FT_RTF] = {"rtf", "text/rtf"},
    [FT_ISO] = {"iso", "application/x-iso9660-image"},
    [FT_UDF] = {"udf", "application/x-udf-image"},
    [FT_VHD] = {"vhd", "application/x-vhd"},
    [FT_LNK] = {"lnk", "application/x-ms-shortcut"},
    [FT_ONENOTE] = {"onenote", "application/onenote"},
    [FT_HTML] = {"html", "text/html"},
    [FT_PNG] = {"png", "image/png"},
    [FT_JPEG] = {"jpeg", "image/jpeg"},
    [FT_GIF] = {"gif", "image/gif"},
    [FT_GZIP] = {"gzip", "application/gzip"},
    [FT_RAR] = {"rar", "application/vnd.rar"},
    [FT_7Z] = {"7z", "application/x-7z-compressed"},
    [FT_CAB] = {"cab", "application/vnd.ms-cab-compressed"},
    [FT_BZIP2] = {"bzip2", "application/x-bzip2"},
    [FT_XZ] = {"xz", "application/x-xz"},
    [FT_TAR] = {"tar", "application/x-tar"},
    [FT_LHA] = {"lha", "application/x-lzh-compressed"},
    [FT_TNEF] = {"tnef", "application/ms-tnef"},
    [FT_FAT] = {"fat", "application/x-fat-image"},
};

const char *filetype_mime(enum filetype t)
{
	return t < FT_COUNT ? filetype_table[t].mime
			    : "application/octet-stream";
}

const char *filetype_name(enum filetype t)
{
	return t < FT_COUNT ? filetype_table[t].name : "binary";
}

/* An MZ header with room for e_lfanew: PE or plain DOS, both run. */
static int is_pe(struct span s)
{
	return span_starts_with(s, "MZ", 2) && s.len >= 0x40;
}

/*
 * OOXML: the first member, or one in the archive's own central directory,
 * is [Content_Types].xml.
 * Bounded: the end record is looked for in the last 64 KiB + 22 bytes,
 * at most ZIP_SNIFF_ENTRIES directory entries are read, all within s.
 */
#define ZIP_SNIFF_ENTRIES 4096
static int is_ooxml(struct span s)
{
	static const char ct[] = "[Content_Types].xml";
	size_t low = s.len > 65557 ? s.len - 65557 : 0, eocd, off;
	uint32_t count;

	/* Office writes it first; a cut archive has no directory at all */
	if (span_has_at(s, 0, "PK\x03\x04", 4) && s.len >= 30 &&
	    bytes_le16(s.ptr + 26) == sizeof(ct) - 1 &&
	    span_has_at(s, 30, ct, sizeof(ct) - 1))
		return 1;
	if (s.len < 22)
		return 0;
	for (eocd = s.len - 22;; eocd--) {
		if (span_has_at(s, eocd, "PK\x05\x06", 4))
			break;
		if (eocd == low)
			return 0;
	}
	count = bytes_le16(s.ptr + eocd + 10);
	off = bytes_le32(s.ptr + eocd + 16);
	for (uint32_t i = 0; i < count && i < ZIP_SNIFF_ENTRIES; i++) {
		size_t name_len, next;
		if (off > s.len || s.len - off < 46 ||
		    !span_has_at(s, off, "PK\x01\x02", 4))
			return 0;
		name_len = bytes_le16(s.ptr + off + 28);
		next = off + 46 + name_len + bytes_le16(s.ptr + off + 30) +
		       bytes_le16(s.ptr + off + 32);
		if (name_len == sizeof(ct) - 1 &&
		    span_has_at(s, off + 46, ct, name_len))
			return 1;
		off = next;
	}
	return 0;
}

static int is_iso(struct span s)
{
	static const size_t offs[] = {0x8001, 0x8801, 0x9001};
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		if (span_has_at(s, offs[i], "CD001", 5))
			return 1;
	return 0;
}

static int is_udf(struct span s)
{
	for (size_t off = 0x8001; off <= 0x10001; off += 0x800)
		if (span_has_at(s, off, "BEA01", 5) ||
		    span_has_at(s, off, "NSR02", 5) ||
		    span_has_at(s, off, "NSR03", 5))
			return 1;
	return 0;
}

static int is_vhd(struct span s)
{
	if (span_starts_with(s, "conectix", 8) ||
	    span_starts_with(s, "vhdxfile", 8))
		return 1;
	return s.len >= 512 && span_has_at(s, s.len - 512, "conectix", 8);
}

int filetype_fat_boot(const uint8_t *b)
{
	uint32_t bps = bytes_le16(b + 11), spc = b[13];

	if (!((b[0] == 0xeb && b[2] == 0x90) || b[0] == 0xe9))
		return 0;
	if (bps != 512 && bps != 1024 && bps != 2048 && bps != 4096)
		return 0;
	if (spc == 0 || (spc & (spc - 1)) || bytes_le16(b + 14) == 0 ||
	    b[16] == 0 || b[16] > 4 || (b[21] != 0xf0 && b[21] < 0xf8))
		return 0;
	if (bytes_le16(b + 19) == 0 && bytes_le32(b + 32) == 0)
		return 0;
	if (bytes_le16(b + 22) == 0 && bytes_le32(b + 36) == 0)
		return 0;
	/* the signature, or a FAT16 or FAT32 type string */
	return (b[510] == 0x55 && b[511] == 0xaa) ||
	       memcmp(b + 54, "FAT", 3) == 0 || memcmp(b + 82, "FAT", 3) == 0;
}

static int fat_at(struct span s, uint64_t lba)
{
	uint64_t at = lba * 512;

	return lba != 0 && lba < s.len / 512 && s.len - at >= 512 &&
	       filetype_fat_boot(s.ptr + at);
}

/* A GPT behind a protective MBR: its first 128 entries, as s holds them. */
static int is_fat_gpt(struct span s)
{
	uint64_t table;

	if (!span_has_at(s, 512, "EFI PART", 8) || s.len < 1024)
		return 0;
	table = (uint64_t)bytes_le32(s.ptr + 512 + 72) |
		(uint64_t)bytes_le32(s.ptr + 512 + 76) << 32;
	if (bytes_le32(s.ptr + 512 + 84) != 128 || table >= s.len / 512)
		return 0;
	for (uint64_t i = 0; i < 128 && table * 512 + i * 128 + 128 <= s.len;
	     i++) {
		const uint8_t *e = s.ptr + table * 512 + i * 128;
		if (fat_at(s, (uint64_t)bytes_le32(e + 32) |
				  (uint64_t)bytes_le32(e + 36) << 32))
			return 1;
	}
	return 0;
}

/* A FAT volume, or a partitioned disk with one (MBR or GPT). */
static int is_fat(struct span s)
{
	if (s.len < 512)
		return 0;
	if (filetype_fat_boot(s.ptr))
		return 1;
	if (s.ptr[510] != 0x55 || s.ptr[511] != 0xaa)
		return 0;
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = s.ptr + 446 + 16 * i;
		if (p[4] == 0xee ? is_fat_gpt(s) : fat_at(s, bytes_le32(p + 8)))
			return 1;
	}
	return 0;
}

static int starts_with_ci(const uint8_t *p, size_t n, const char *word)
{
	size_t wl = strlen(word);
	return n >= wl && strncasecmp((const char *)p, word, wl) == 0;
}

static int is_html(struct span s)
{
	static const char *const tags[] = {
	    "<!doctype html", "<html", "<head",	 "<body", "<script", "<iframe",
	    "<meta",	      "<div",  "<table", "<a ",	  "<p>",     "<svg",
	};
	size_t n = s.len < 4096 ? s.len : 4096;
	size_t i = 0;

	if (span_starts_with(s, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n && isspace(s.ptr[i]))
		i++;
	if (starts_with_ci(s.ptr + i, n - i, "<!--"))
		return 1;
	for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++)
		if (starts_with_ci(s.ptr + i, n - i, tags[t]))
			return 1;
	return 0;
}

/* Of the bytes below 0x20, those text has: tab, line breaks, form feed
 * and ESC (ISO-2022 shifts). */
static int text_control(uint8_t c)
{
	return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x1b;
}

static int is_text(struct span s)
{
	size_t n = s.len < 4096 ? s.len : 4096;
	size_t control = 0, i = 0;

	while (i < n) {
		uint64_t w;
		/* eight bytes at a time while none is below 0x20 */
		if (n - i >= 8) {
			memcpy(&w, s.ptr + i, 8);
			if (((w - 0x2020202020202020ULL) & ~w &
			     0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		for (size_t end = n - i >= 8 ? i + 8 : n; i < end; i++) {
			uint8_t c = s.ptr[i];
			if (c == 0)
				return 0;
			control += c < 0x20 && !text_control(c);
		}
	}
	/* 8-bit text in legacy charsets counts as text; binary has NULs. */
	return control * 10 <= n;
}

static const uint8_t onenote_guid[16] = {0xe4, 0x52, 0x5c, 0x7b, 0x8c, 0xd8,
					 0xa7, 0x4d, 0xae, 0xb1, 0x53, 0x78,
					 0xd0, 0x29, 0x96, 0xd3};
static const uint8_t lnk_header[8] = {0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0};
static const uint8_t cfb_magic[8] = {0xd0, 0xcf, 0x11, 0xe0,
				     0xa1, 0xb1, 0x1a, 0xe1};

enum filetype filetype_detect(struct span s)
{
	if (s.len == 0)
		return FT_EMPTY;
	if (is_pe(s))
		return FT_PE;
	if (span_starts_with(s,
			     "\x7f"
			     "ELF",
			     4))
		return FT_ELF;
	if (span_starts_with(s, "PK\x03\x04", 4) ||
	    span_starts_with(s, "PK\x05\x06", 4))
		return is_ooxml(s) ? FT_OOXML : FT_ZIP;
	if (span_starts_with(s, cfb_magic, sizeof(cfb_magic)))
		return FT_CFB;
	if (span_starts_with(s, lnk_header, sizeof(lnk_header)))
		return FT_LNK;
	if (span_starts_with(s, onenote_guid, sizeof(onenote_guid)))
		return FT_ONENOTE;
	if (span_starts_with(s, "%PDF-", 5))
		return FT_PDF;
	if (span_starts_with(s, "\x78\x9f\x3e\x22", 4))
		return FT_TNEF;
	if (span_starts_with(s, "{\\rt", 4))
		return FT_RTF;
	if (span_starts_with(s, "\x89PNG\r\n\x1a\n", 8))
		return FT_PNG;
	if (span_starts_with(s, "\xff\xd8\xff", 3))
		return FT_JPEG;
	if (span_starts_with(s, "GIF87a", 6) ||
	    span_starts_with(s, "GIF89a", 6))
		return FT_GIF;
	if (span_starts_with(s, "\x1f\x8b", 2))
		return FT_GZIP;
	if (span_starts_with(s, "Rar!\x1a\x07", 6))
		return FT_RAR;
	if (span_starts_with(s, "7z\xbc\xaf\x27\x1c", 6))
		return FT_7Z;
	if (span_starts_with(s, "MSCF\0\0\0\0", 8))
		return FT_CAB;
	if (span_starts_with(s, "BZh", 3) && s.len > 3 && s.ptr[3] >= '1' &&
	    s.ptr[3] <= '9')
		return FT_BZIP2;
	if (span_starts_with(s,
			     "\xfd"
			     "7zXZ\0",
			     6))
		return FT_XZ;
	if (span_has_at(s, 257, "ustar", 5))
		return FT_TAR;
	if (span_has_at(s, 2, "-lh", 3) && span_has_at(s, 6, "-", 1))
		return FT_LHA;
	if (is_iso(s))
		return FT_ISO;
	if (is_udf(s))
		return FT_UDF;
	if (is_vhd(s))
		return FT_VHD;
	if (is_fat(s))
		return FT_FAT;
	if (is_html(s))
		return FT_HTML;
	/* readers accept a PDF header anywhere in the first KiB */
	if (memmem(s.ptr, s.len < 1024 ? s.len : 1024, "%PDF-", 5))
		return FT_PDF;
	return is_text(s) ? FT_TEXT : FT_BINARY;
}
