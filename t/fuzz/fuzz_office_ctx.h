/*
 * fuzz_office_ctx - the scan context the office fuzz targets share: a
 * report and a 16 MiB expanded-bytes budget per input.
 */
#ifndef KENSA_FUZZ_OFFICE_CTX_H
#define KENSA_FUZZ_OFFICE_CTX_H

#include <string.h>

#include "../../parser/scan_ctx.h"

struct fuzz_office {
	struct scan_limits limits;
	struct report report;
	struct scan_ctx ctx;
	struct part_path path;
	struct part_ctx part;
};

static inline void fuzz_office_init(struct fuzz_office *f, const void *data,
				    size_t size, enum filetype type)
{
	static const struct scan_limits defaults = SCAN_LIMITS_DEFAULT;

	memset(f, 0, sizeof(*f));
	f->limits = defaults;
	f->limits.decoded_bytes = (size_t)16 << 20;
	report_init(&f->report, f->limits.findings);
	f->ctx.limits = &f->limits;
	f->ctx.report = &f->report;
	f->ctx.budget_left = f->limits.decoded_bytes;
	f->part.path = &f->path;
	f->part.type = type;
	f->part.content = span_make(data, size);
}

#endif
