#include "dispatch.h"

#include <string.h>

#include "attachment.h"
#include "yara_rules.h"
#include "digest.h"
#include "fat.h"
#include "office.h"
#include "onenote.h"
#include "pdf.h"
#include "tnef.h"
#include "uudecode.h"
#include "unpack.h"
#include "zip.h"

static const struct analyzer analyzers[] = {
    {"attachment", FT_ANY, attachment_analyze},
    {"office", FT_BIT(FT_CFB) | FT_BIT(FT_OOXML) | FT_BIT(FT_RTF),
     office_analyze},
    {"zip", FT_BIT(FT_ZIP), zip_analyze},
    {"onenote", FT_BIT(FT_ONENOTE), onenote_analyze},
    {"pdf", FT_BIT(FT_PDF), pdf_analyze},
    {"tnef", FT_BIT(FT_TNEF), tnef_analyze},
    {"uudecode", FT_BIT(FT_TEXT) | FT_BIT(FT_BINARY), uudecode_analyze},
    {"unpack", UNPACK_TYPES, unpack_analyze},
    {"fat", FAT_TYPES, fat_analyze},
    {"yara", FT_ANY, yara_analyze},
};

static void run_analyzers(struct scan_ctx *ctx, const struct part_ctx *part)
{
	for (size_t i = 0; i < sizeof(analyzers) / sizeof(analyzers[0]); i++) {
		const struct analyzer *a = &analyzers[i];
		if (!(a->types & FT_BIT(part->type)))
			continue;
		if (a->run(ctx, part) < 0)
			scan_finding(ctx, "scan.error", part->path,
				     "%s analyzer failed", a->name);
	}
}

void dispatch_content(struct scan_ctx *ctx, const struct part_path *path,
		      const char *filename, const char *declared,
		      struct span content, int truncated)
{
	struct part_info info;
	struct part_ctx pc;

	memset(&pc, 0, sizeof(pc));
	pc.path = path;
	pc.filename = filename;
	pc.declared = declared;
	pc.content = content;
	pc.type = filetype_detect(content);
	pc.truncated = truncated;

	memset(&info, 0, sizeof(info));
	info.path = *path;
	info.type = (char *)filetype_mime(pc.type);
	info.declared = (char *)declared;
	info.filename = (char *)filename;
	info.size = content.len;
	digest_sha256_hex(content, info.sha256);
	report_add_part(ctx->report, &info);
	run_analyzers(ctx, &pc);
}

int dispatch_child(struct scan_ctx *ctx, const struct part_ctx *parent,
		   const char *name, struct span content, int truncated)
{
	struct part_path path = {0};

	if (ctx->nesting >= ctx->limits->nesting_depth)
		return 1;
	if (path_set(&path, parent->path) < 0 ||
	    path_push(&path, name, strlen(name)) < 0) {
		path_clear(&path);
		return 1;
	}
	ctx->nesting++;
	dispatch_content(ctx, &path, path.elem[path.n - 1], NULL, content,
			 truncated);
	ctx->nesting--;
	path_clear(&path);
	return 0;
}
