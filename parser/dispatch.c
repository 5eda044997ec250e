/*
 * dispatch - runs every analyzer whose type mask covers the part's
 * detected type. A failing analyzer becomes scan.error on that part.
 */
#include "dispatch.h"

#include "attachment.h"

static const struct analyzer analyzers[] = {
    {"attachment", FT_ANY, attachment_analyze},
};

void dispatch_part(struct scan_ctx *ctx, const struct part_ctx *part)
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
