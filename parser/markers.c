#include "markers.h"

#include <stdio.h>
#include <string.h>

#define MARKERS_CFB_ENTRY_CLSID 0x50

static const uint8_t cfb_magic[8] = {0xd0, 0xcf, 0x11, 0xe0,
				     0xa1, 0xb1, 0x1a, 0xe1};
/* {000C1084-0000-0000-C000-000000000046}, {000C1086-...}: MSI, MSP */
static const uint8_t msi_clsid[16] = {0x84, 0x10, 0x0c, 0x00, 0x00, 0x00,
				      0x00, 0x00, 0xc0, 0x00, 0x00, 0x00,
				      0x00, 0x00, 0x00, 0x46};
static const uint8_t msp_clsid[16] = {0x86, 0x10, 0x0c, 0x00, 0x00, 0x00,
				      0x00, 0x00, 0xc0, 0x00, 0x00, 0x00,
				      0x00, 0x00, 0x00, 0x46};

static struct span markers_head(struct span s)
{
	if (s.len > MARKERS_SCAN_BYTES)
		s.len = MARKERS_SCAN_BYTES;
	return s;
}

static int has(struct span s, const char *word)
{
	return memmem(s.ptr, s.len, word, strlen(word)) != NULL;
}

int markers_chm(struct span s)
{
	return span_starts_with(s, "ITSF", 4) && s.len >= 0x38;
}

const char *markers_installer(struct span s)
{
	size_t shift, dir, entry;

	if (!span_starts_with(s, cfb_magic, sizeof(cfb_magic)) || s.len < 0x34)
		return NULL;
	shift = (size_t)s.ptr[0x1e] | (size_t)s.ptr[0x1f] << 8;
	if (shift != 9 && shift != 12)
		return NULL;
	dir = (size_t)s.ptr[0x30] | (size_t)s.ptr[0x31] << 8 |
	      (size_t)s.ptr[0x32] << 16 | (size_t)s.ptr[0x33] << 24;
	if (dir >= (SIZE_MAX >> shift) - 1)
		return NULL;
	entry = (dir + 1) << shift;
	if (span_has_at(s, entry + MARKERS_CFB_ENTRY_CLSID, msi_clsid, 16))
		return "msi";
	if (span_has_at(s, entry + MARKERS_CFB_ENTRY_CLSID, msp_clsid, 16))
		return "msp";
	return NULL;
}

int markers_xll(struct span s)
{
	size_t pe;

	if (!span_starts_with(s, "MZ", 2) || s.len < 0x40)
		return 0;
	pe = (size_t)s.ptr[0x3c] | (size_t)s.ptr[0x3d] << 8 |
	     (size_t)s.ptr[0x3e] << 16 | (size_t)s.ptr[0x3f] << 24;
	/* a DLL (COFF characteristics IMAGE_FILE_DLL) naming xlAutoOpen */
	return span_has_at(s, pe, "PE\0\0", 4) && pe + 24 <= s.len &&
	       (s.ptr[pe + 23] & 0x20) &&
	       memmem(s.ptr, s.len, "xlAutoOpen\0", 11) != NULL;
}

const char *markers_script(struct span s)
{
	const uint8_t *job;

	s = markers_head(s);
	if (span_find_nocase(s, "<hta:application"))
		return "<hta:application";
	if (has(s, "#@~^"))
		return "#@~^";
	job = span_find_nocase(s, "<job");
	if (job && (size_t)(job - s.ptr) + 4 < s.len &&
	    (job[4] == '>' || job[4] == ' ' || job[4] == '\t' ||
	     job[4] == '\r' || job[4] == '\n') &&
	    span_find_nocase(s, "<script"))
		return "<job";
	return NULL;
}

/* the first of words that s holds, or NULL */
static const char *first_of(struct span s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (has(s, words[i]))
			return words[i];
	return NULL;
}

int markers_html_smuggling(struct span s, char *detail, size_t len)
{
	static const char *const builds[] = {"atob(", "new Blob(",
					     "Uint8Array("};
	static const char *const saves[] = {"createObjectURL(",
					    "msSaveOrOpenBlob(", "msSaveBlob("};
	const char *build, *save;
	int download;

	s = markers_head(s);
	download = span_find_nocase(s, "download") != NULL;
	build = first_of(s, builds, sizeof(builds) / sizeof(builds[0]));
	save = first_of(s, saves, sizeof(saves) / sizeof(saves[0]));
	/* built by script, handed over by a download link or IE's save */
	if (build && save && (download || save != saves[0])) {
		snprintf(detail, len, "%.*s, %.*s%s", (int)strcspn(build, "("),
			 build, (int)strcspn(save, "("), save,
			 download ? ", download" : "");
		return 1;
	}
	/* a file inline in a link that downloads it */
	if (download && has(s, "data:application/") &&
	    span_find_nocase(s, "<a ")) {
		snprintf(detail, len, "data:application/, download");
		return 1;
	}
	return 0;
}
