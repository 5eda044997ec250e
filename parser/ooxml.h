/*
 * ooxml - OOXML packages (.docx/.docm, .xlsx/.xlsm, .pptx/.pptm), opened
 * from memory with libzip.
 *
 * Reads: [Content_Types].xml for the macro sheet content types and
 * xl/macrosheets/ parts (-> office.xlm.present); xl/workbook.xml, or an
 * .xlsb's xl/workbook.bin (BIFF12 records, xlsb.c), for macro sheets (by
 * the xlMacrosheet relationships of xl/_rels/workbook.xml.rels or
 * workbook.bin.rels, at most 256; one is office.xlm.present too) whose
 * state is hidden or veryHidden (-> office.xlm.hidden) and defined names
 * _xlnm.Auto_Open, Auto_Open... (-> office.xlm.autoexec); every *.rels part for
 * external relationships (TargetMode="External"): attachedTemplate ->
 * office.template.external, oleObject, frame and subDocument ->
 * office.external_rel, the target in detail; every external target with
 * a scheme goes to the report's URLs (plain hyperlinks only there); every
 * member that starts with the compound-file signature (vbaProject.bin,
 * oleObject*.bin, whatever its name) and every member under an
 * embeddings/ folder (embedded workbooks, documents, packages) is handed
 * to dispatch_child() and so analyzed like an attachment under its
 * member name; one under embeddings/ that is a compound file is first
 * office.ole_object "NAME: CLASS" on the document, the class from its
 * \001CompObj (none for a Package or an equation: they report
 * themselves on the member's part).
 *
 * The XML parts are read with a bounded scan of start-tag attributes
 * (<Relationship>, <sheet>, <definedName>), not an XML parser: only attribute
 * values in quotes, five named entities and numeric references are understood;
 * a tag cut short by the end of the part ends the scan. Limits: a member is
 * read only if its declared size fits the expanded-bytes budget
 * (limits.decoded_bytes), which it is charged to, and never past that size
 * (deflated members of 64 KiB and more in one libdeflate call, the CRC-32
 * checked; anything it refuses is read through libzip as before);
 * members nested deeper than limits.nesting_depth are not opened (scan.limit).
 */
#ifndef KENSA_OOXML_H
#define KENSA_OOXML_H

#include "scan_ctx.h"

int ooxml_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

struct ooxml_rel {
	struct span id, type, target, mode; /* raw attribute values */
};
/* Calls fn for each <Relationship> element of a .rels part. */
int ooxml_rels_each(struct span xml,
		    int (*fn)(void *arg, const struct ooxml_rel *rel),
		    void *arg);
/* Decodes XML entities of an attribute value (malloc'd, NUL-terminated). */
char *ooxml_unescape(struct span value, size_t *outlen);

#endif
