/*
 * office - the analyzer for Office documents: compound files (.doc,
 * .xls, .ppt, vbaProject.bin, encrypted OOXML), OOXML packages (handed
 * to ooxml.c) and RTF documents (rtf.c). In a compound file it reads every VBA
 * project (vba.c) and classifies its modules (vbaclass.c), reads Excel 4.0
 * macros of the workbook stream (xlm.c), hands the storages inside a PowerPoint
 * Document stream on (ppt.c), reports embedded packages (their file is
 * dispatched as a part) and equations, writes each embedded OLE object's
 * storage (ObjectPool/_NNN, MBD...; at most 64) out as a compound file of
 * its own (cfb_extract) and dispatches it as a part, leaving what is inside
 * it to that part, reports embedded objects that are compound files of
 * their own (OOXML embeddings, PowerPoint ExOleObjStg) with their class
 * (office_embedded_file), and recognises encryption
 * (EncryptionInfo + EncryptedPackage and Excel's FILEPASS, opened with the
 * message's passwords by office_crypt.c and office_crypt_biff.c; Word's
 * fEncrypted flag, reported only).
 *
 * A document that cannot be read is scan.error with the reason; one that
 * runs the expanded-bytes budget (limits.decoded_bytes) out is scan.limit.
 * Findings are reported once per id and keyword per part, and at most 16
 * distinct keywords per id and part (in practice: auto-exec procedure
 * names; the other classes have fewer keywords).
 */
#ifndef KENSA_OFFICE_H
#define KENSA_OFFICE_H

#include "scan_ctx.h"

int office_analyze(struct scan_ctx *ctx, const struct part_ctx *part);
/* scan.limit or scan.error for a cfb/vba/ovba status < 0 met at where. */
int office_status_finding(struct scan_ctx *ctx, const struct part_ctx *part,
			  int status, const char *where);

/*
 * Dispatches content embedded in part under name; when it sits too deep
 * (limits.nesting_depth), reports scan.limit instead.
 */
int office_child(struct scan_ctx *ctx, const struct part_ctx *part,
		 const char *name, struct span content);

/*
 * office.ole_object for an embedded object that is a compound file of its
 * own (OOXML oleObject*.bin, PowerPoint ExOleObjStg) unless it is a
 * Package, an equation or a bare VBA project: "name: class", the class
 * from cls (may be NULL) or its \001CompObj. Does not dispatch it.
 */
int office_embedded_file(struct scan_ctx *ctx, const struct part_ctx *part,
			 const char *name, struct span file, const char *cls);

#endif
