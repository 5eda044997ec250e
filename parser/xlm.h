/*
 * xlm - Excel 4.0 (XLM) macros in a BIFF5/BIFF8 workbook stream
 * (`Workbook` or `Book`): the globals substream's BOUNDSHEET records
 * (sheet type 1 is a macro sheet -> office.xlm.present; hidden or very
 * hidden -> office.xlm.hidden), NAME records for Auto_Open and
 * Auto_Close, built in or spelt out (-> office.xlm.autoexec), and
 * FILEPASS (-> office.encrypted; the records after it are encrypted and
 * not read). Stops at the globals' EOF record or at a record that runs
 * past the stream; reads nothing outside the stream, allocates nothing
 * but finding details.
 */
#ifndef KENSA_XLM_H
#define KENSA_XLM_H

#include "scan_ctx.h"

int xlm_scan_biff(struct scan_ctx *ctx, const struct part_ctx *part,
		  struct span stream);

#endif
