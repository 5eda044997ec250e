#include "attachment.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	if (strcasecmp(ext, "msi") == 0)
		rc |= scan_finding(ctx, "attachment.installer", part->path,
				   "%s", name);
	if (strcasecmp(ext, "xll") == 0)
		rc |=
		    scan_finding(ctx, "attachment.xll", part->path, "%s", name);
	if (strcasecmp(ext, "chm") == 0)
		rc |=
		    scan_finding(ctx, "attachment.chm", part->path, "%s", name);
	if (strcasecmp(ext, "lnk") == 0 && part->type != FT_LNK)
		rc |=
		    scan_finding(ctx, "attachment.lnk", part->path, "%s", name);
	if (in_list(ext, image_exts) && part->type != FT_ISO &&
	    part->type != FT_UDF && part->type != FT_VHD)
		rc |= scan_finding(ctx, "attachment.disk_image", part->path,
				   "%s", name);
	if (double_extension(name, ext))
		rc |= scan_finding(ctx, "attachment.double_extension",
				   part->path, "%s", name);
	return rc;
}

int attachment_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	int rc = 0;

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
