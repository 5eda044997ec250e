/*
 * fuzz_cfb - libFuzzer target for the compound-file reader and what reads
 * compound files: cfb_open, every stream through cfb_read, then the
 * office analyzer (VBA projects, OVBA, classification, BIFF XLM,
 * encryption, embedded objects); the first storages written out with
 * cfb_extract must open again. Seeds in t/fuzz/corpus/cfb.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/cfb.h"
#include "../../parser/office.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;
	struct cfb c;

	fuzz_office_init(&f, data, size, FT_CFB);
	if (cfb_open(&c, span_make(data, size), &f.ctx) == CFB_OK) {
		for (uint32_t i = 0; i < c.ndir; i++) {
			uint8_t *buf;
			size_t len;
			if (cfb_read(&c, i, &buf, &len) == CFB_OK)
				free(buf);
		}
		for (uint32_t i = 0, n = 0; i < c.ndir && n < 8; i++) {
			struct cfb x;
			uint8_t *buf;
			size_t len;
			if (c.dir[i].type != CFB_STORAGE)
				continue;
			n++;
			if (cfb_extract(&c, i, &buf, &len) != CFB_OK)
				continue;
			f.ctx.budget_left = f.limits.decoded_bytes;
			if (cfb_open(&x, span_make(buf, len), &f.ctx) != CFB_OK)
				__builtin_trap(); /* what we wrote must read */
			cfb_close(&x);
			free(buf);
		}
		cfb_close(&c);
	}
	f.ctx.budget_left = f.limits.decoded_bytes;
	office_analyze(&f.ctx, &f.part);
	report_free(&f.report);
	return 0;
}
