/*
 * rtf - objects embedded in RTF documents: the hex data of every
 * \objdata destination, decoded the way Word reads it (whitespace,
 * braces and control words in between are skipped, \binN takes N raw
 * bytes, an odd nibble before \'hh is dropped, \'hh itself is ignored).
 * The decoded data is an OLE1 object: its class name (Equation.3,
 * Package, Word.Document.8...) goes into office.rtf.object; an embedded
 * object's native data is handed to dispatch_child() (a Package's file
 * under its own name, anything else as "objdata N"), so a macro document
 * or a program inside is analyzed like any attachment. The quoted
 * targets of HYPERLINK fields go to the URL judge (url_judge.h).
 *
 * Limits: the decoded bytes of each object are charged to the
 * expanded-bytes budget (limits.decoded_bytes; scan.limit when it runs
 * out) and never exceed the size of the RTF text; nesting as
 * dispatch_child() (limits.nesting_depth).
 */
#ifndef KENSA_RTF_H
#define KENSA_RTF_H

#include "scan_ctx.h"

int rtf_analyze(struct scan_ctx *ctx, const struct part_ctx *part);
/* Decodes the \objdata destination starting at text (after the word). */
int rtf_objdata_decode(struct span text, uint8_t *out, size_t *outlen,
		       size_t *consumed);

#endif
