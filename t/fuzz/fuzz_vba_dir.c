/*
 * fuzz_vba_dir - libFuzzer target for the VBA dir stream parser: the
 * input is a decompressed dir stream; every module name and stream name
 * found is converted to UTF-8 from the code page the stream declares.
 * Seeds in t/fuzz/corpus/vba_dir.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../parser/vba.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vba_dir d;

	if (vba_dir_parse(span_make(data, size), &d) == VBA_OK) {
		for (size_t i = 0; i < d.nmodules; i++) {
			free(vba_to_utf8(d.modules[i].name, d.codepage, NULL));
			free(
			    vba_to_utf8(d.modules[i].stream_utf16, 1200, NULL));
		}
	}
	vba_dir_free(&d);
	return 0;
}
