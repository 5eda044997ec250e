/*
 * fuzz_filetype - libFuzzer target for the type identifier: the input's
 * bytes through filetype_detect(), the content markers (markers.h: CHM,
 * MSI, XLL, scripts, HTML smuggling) and the CAB structure check
 * (cabinet.h); each must stay within the span and name a known type.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/cabinet.h"
#include "../../parser/filetype.h"
#include "../../parser/markers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span s = span_make(data, size);
	enum filetype t = filetype_detect(s);
	const char *why = NULL, *marker;
	char detail[128];

	if (t >= FT_COUNT || !filetype_name(t) || !filetype_mime(t))
		abort();
	(void)markers_chm(s);
	(void)markers_xll(s);
	marker = markers_installer(s);
	if (marker && strcmp(marker, "msi") && strcmp(marker, "msp"))
		abort();
	(void)markers_script(s);
	if (markers_html_smuggling(s, detail, sizeof(detail)) &&
	    strlen(detail) >= sizeof(detail))
		abort();
	if (!cabinet_check(s, &why) && !why)
		abort();
	return 0;
}
