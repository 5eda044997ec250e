/*
 * xlsb - the workbook part of an Excel binary workbook (.xlsb),
 * xl/workbook.bin: a run of BIFF12 records (MS-XLSB 2.1.4), each a record
 * type of one or two bytes and a size of one to four bytes (seven bits a
 * byte, the high bit saying another byte follows), then that many bytes.
 *
 * Reads BrtBundleSh (a sheet: hsState visible/hidden/veryHidden, its
 * relationship id and name) and BrtName (a defined name: fBuiltin and the
 * name) and hands each to a callback; the rest is skipped. Stops at
 * BrtEndBook, at a record header cut short, at a size that runs past the
 * part (XLSB_E_FORMAT) or after XLSB_MAX_RECORDS records (XLSB_E_LIMIT).
 * Strings are copied, cut to the fixed buffers below; nothing is
 * allocated, nothing is read outside the part.
 */
#ifndef KENSA_XLSB_H
#define KENSA_XLSB_H

#include <stdint.h>

#include "span.h"

#define XLSB_MAX_RECORDS 1000000u

enum xlsb_status {
	XLSB_OK = 0,
	XLSB_E_FORMAT = -2, /* a record that runs past the part */
	XLSB_E_LIMIT = -3,  /* more than XLSB_MAX_RECORDS records */
};

enum xlsb_state {
	XLSB_VISIBLE = 0,
	XLSB_HIDDEN = 1,
	XLSB_VERY_HIDDEN = 2,
};

struct xlsb_sheet {
	uint32_t state; /* enum xlsb_state, or what the file says */
	char rid[64];	/* UTF-8, "" when null */
	char name[128];
};

struct xlsb_name {
	int builtin; /* fBuiltin */
	char name[128];
};

struct xlsb_sink {
	void *arg;
	/* a return < 0 stops the walk and is returned */
	int (*sheet)(void *arg, const struct xlsb_sheet *sheet);
	int (*name)(void *arg, const struct xlsb_name *name);
};

/* One record header at *at: 0, *type, *len and *at past it; -1 when cut. */
int xlsb_record(struct span part, size_t *at, uint32_t *type, uint32_t *len);
/* Walks xl/workbook.bin; 0, an enum xlsb_status or a callback's < 0. */
int xlsb_workbook_each(struct span part, const struct xlsb_sink *sink);

#endif
