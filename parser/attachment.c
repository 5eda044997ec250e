#include "attachment.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dispatch.h"
#include "markers.h"

static const char *const script_exts[] = {
    "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "ps1", "bat", "cmd", NULL,
};
static const char *const image_exts[] = {"iso",	 "img", "vhd",
					 "vhdx", "udf", NULL};
static const char *const exec_exts[] = {"exe", "scr", "com", "pif",
					"cpl", "dll", NULL};
static const char *const doc_exts[] = {
    "pdf",  "doc", "docx", "docm", "xls", "xlsx", "xlsm",
    "xlsb", "ppt", "pptx", "pptm", "rtf", "txt",  "jpg",
    "jpeg", "png", "gif",  "zip",  NULL,
};

#define FT_DOC_CFB (FT_BIT(FT_CFB))
/* an encrypted OOXML document is a compound file */
#define FT_DOC_OOXML (FT_BIT(FT_OOXML) | FT_BIT(FT_CFB))

/* What the bytes of a file named *.ext are; other bytes are a mismatch. */
static const struct {
	const char *ext;
	unsigned long long types;
} expected_types[] = {
    {"jpg", FT_BIT(FT_JPEG)}, {"jpeg", FT_BIT(FT_JPEG)},
    {"png", FT_BIT(FT_PNG)},  {"gif", FT_BIT(FT_GIF)},
    {"pdf", FT_BIT(FT_PDF)},  {"rtf", FT_BIT(FT_RTF)},
    {"doc", FT_DOC_CFB},      {"dot", FT_DOC_CFB},
    {"xls", FT_DOC_CFB},      {"xlt", FT_DOC_CFB},
    {"ppt", FT_DOC_CFB},      {"pps", FT_DOC_CFB},
    {"docx", FT_DOC_OOXML},   {"docm", FT_DOC_OOXML},
    {"dotx", FT_DOC_OOXML},   {"dotm", FT_DOC_OOXML},
    {"xlsx", FT_DOC_OOXML},   {"xlsm", FT_DOC_OOXML},
    {"xlsb", FT_DOC_OOXML},   {"xltx", FT_DOC_OOXML},
    {"xltm", FT_DOC_OOXML},   {"pptx", FT_DOC_OOXML},
    {"pptm", FT_DOC_OOXML},   {"ppsx", FT_DOC_OOXML},
    {"ppsm", FT_DOC_OOXML},   {"zip", FT_BIT(FT_ZIP) | FT_DOC_OOXML},
    {"7z", FT_BIT(FT_7Z)},    {"rar", FT_BIT(FT_RAR)},
    {"cab", FT_BIT(FT_CAB)},  {"gz", FT_BIT(FT_GZIP)},
    {"tgz", FT_BIT(FT_GZIP)}, {"one", FT_BIT(FT_ONENOTE)},
};

static int in_list(const char *ext, const char *const *list)
{
	for (; *list; list++)
		if (strcasecmp(ext, *list) == 0)
			return 1;
	return 0;
}

static const char *extension(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot[1] ? dot + 1 : NULL;
}

/* "invoice.pdf.exe": a document extension right before a dangerous one. */
static int double_extension(const char *name, const char *ext)
{
	char inner[16];
	const char *dot = ext - 1, *prev;
	size_t n;

	if (dot == name)
		return 0;
	prev = dot - 1;
	while (prev > name && *prev != '.')
		prev--;
	if (*prev != '.')
		return 0;
	n = (size_t)(dot - prev - 1);
	if (n == 0 || n >= sizeof(inner))
		return 0;
	memcpy(inner, prev + 1, n);
	inner[n] = '\0';
	return in_list(inner, doc_exts) &&
	       (in_list(ext, exec_exts) || in_list(ext, script_exts) ||
		strcasecmp(ext, "lnk") == 0);
}

/* A name whose extension promises other bytes than the part has. */
static int type_mismatch(struct scan_ctx *ctx, const struct part_ctx *part,
			 const char *name, const char *ext)
{
	static const unsigned long long not_judged =
	    FT_BIT(FT_EMPTY) | FT_BIT(FT_TEXT) | FT_BIT(FT_BINARY) |
	    /* reported by their bytes already */
	    FT_BIT(FT_PE) | FT_BIT(FT_ELF) | FT_BIT(FT_LNK) | FT_BIT(FT_ISO) |
	    FT_BIT(FT_UDF) | FT_BIT(FT_VHD) | FT_BIT(FT_FAT);

	if (part->truncated || (not_judged & FT_BIT(part->type)))
		return 0;
	for (size_t i = 0;
	     i < sizeof(expected_types) / sizeof(expected_types[0]); i++)
		if (strcasecmp(ext, expected_types[i].ext) == 0)
			return expected_types[i].types & FT_BIT(part->type)
				   ? 0
				   : scan_finding(ctx,
						  "attachment.type_mismatch",
						  part->path, "%s: %s", name,
						  filetype_name(part->type));
	return 0;
}

static int name_findings(struct scan_ctx *ctx, const struct part_ctx *part,
			 const char *name)
{
	const char *ext = extension(name);
	int rc = 0;

	if (strstr(name, "\xe2\x80\xae"))
		rc |= scan_finding(ctx, "attachment.rtlo", part->path, "%s",
				   part->filename);
	if (!ext)
		return rc;
	if (in_list(ext, script_exts))
		rc |= scan_finding(ctx, "attachment.script", part->path, "%s",
				   name);
	if (strcasecmp(ext, "msi") == 0 && !markers_installer(part->content))
		rc |= scan_finding(ctx, "attachment.installer", part->path,
				   "%s", name);
	if (strcasecmp(ext, "xll") == 0 && !markers_xll(part->content))
		rc |=
		    scan_finding(ctx, "attachment.xll", part->path, "%s", name);
	if (strcasecmp(ext, "chm") == 0 && !markers_chm(part->content))
		rc |=
		    scan_finding(ctx, "attachment.chm", part->path, "%s", name);
	if (strcasecmp(ext, "lnk") == 0 && part->type != FT_LNK)
		rc |=
		    scan_finding(ctx, "attachment.lnk", part->path, "%s", name);
	if (in_list(ext, image_exts) && part->type != FT_ISO &&
	    part->type != FT_UDF && part->type != FT_VHD &&
	    part->type != FT_FAT)
		rc |= scan_finding(ctx, "attachment.disk_image", part->path,
				   "%s", name);
	rc |= type_mismatch(ctx, part, name, ext);
	if (double_extension(name, ext))
		rc |= scan_finding(ctx, "attachment.double_extension",
				   part->path, "%s", name);
	return rc;
}

/* Dangerous content that the file type alone does not tell. */
static int content_findings(struct scan_ctx *ctx, const struct part_ctx *part)
{
	const char *ext = part->filename ? extension(part->filename) : NULL;
	const char *marker;
	char detail[128];
	int rc = 0;

	if (markers_chm(part->content))
		rc |= scan_finding(ctx, "attachment.chm", part->path, "ITSF");
	if (part->type == FT_PE && markers_xll(part->content))
		rc |= scan_finding(ctx, "attachment.xll", part->path,
				   "xlAutoOpen");
	if (part->type == FT_CFB &&
	    (marker = markers_installer(part->content)) != NULL)
		rc |= scan_finding(ctx, "attachment.installer", part->path,
				   "%s", marker);
	if (part->type != FT_TEXT && part->type != FT_HTML)
		return rc;
	/* a script named as one is reported by its name */
	if ((!ext || !in_list(ext, script_exts)) &&
	    (marker = markers_script(part->content)) != NULL)
		rc |= scan_finding(ctx, "attachment.script", part->path,
				   "content: %s", marker);
	/* an attached HTML file; a message's own HTML body runs no script */
	if (part->type == FT_HTML && part->filename &&
	    markers_html_smuggling(part->content, detail, sizeof(detail)))
		rc |= scan_finding(ctx, "attachment.html_smuggling", part->path,
				   "%s", detail);
	return rc;
}

int attachment_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	int rc = content_findings(ctx, part);

	switch (part->type) {
	case FT_PE:
	case FT_ELF:
		rc |= scan_finding(ctx, "attachment.executable", part->path,
				   "%s", filetype_name(part->type));
		break;
	case FT_LNK:
		rc |= scan_finding(ctx, "attachment.lnk", part->path,
				   "shell link");
		break;
	case FT_ISO:
	case FT_UDF:
	case FT_VHD:
	case FT_FAT:
		rc |= scan_finding(ctx, "attachment.disk_image", part->path,
				   "%s", filetype_name(part->type));
		break;
	default: break;
	}
	if (part->filename) {
		/* Windows drops trailing dots and spaces when it saves a file
		 */
		size_t n = strlen(part->filename);
		char *name;
		while (n > 0 && (part->filename[n - 1] == '.' ||
				 part->filename[n - 1] == ' '))
			n--;
		name = strndup(part->filename, n);
		if (!name)
			return -1;
		rc |= name_findings(ctx, part, name);
		free(name);
	}
	return rc;
}
