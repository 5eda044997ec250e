/*
 * fuzz_report_wire - libFuzzer target for report_from_wire, the daemon's
 * reader of what a scan worker (sandboxed, but fed hostile mail) sends
 * back: any bytes are refused or give a report whose own wire form reads
 * back the same. Built by `make fuzz`; replayed in `make check`.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../parser/report_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report r, again;
	unsigned char *buf;
	size_t len;

	if (report_from_wire(data, size, &r, 50) < 0)
		return 0;
	if (report_to_wire(&r, &buf, &len) < 0 ||
	    report_from_wire(buf, len, &again, 50) < 0 ||
	    again.nfindings != r.nfindings || again.nparts != r.nparts ||
	    again.nurls != r.nurls || again.nheaders != r.nheaders)
		abort();
	free(buf);
	report_free(&again);
	report_free(&r);
	return 0;
}
