/*
 * pdf - the PDF analyzer: what a PDF does when it is opened, and the
 * files it carries.
 *
 * Why a tokenizer of our own and not qpdf (libqpdf's C API): qpdf is a
 * C++ library that reports trouble with exceptions (through the C API
 * they become error codes, but an allocation failure or a bug in a repair
 * path unwinds through code that was written for well-formed input), it
 * "repairs" broken files by reconstructing the xref table with its own
 * heuristics, which on hostile input is where time goes and where what it
 * sees differs from what a reader executes, it has no notion of the
 * message's expanded-bytes budget, and it is a large attack surface to
 * fuzz and to keep inside the worker's seccomp filter and rlimits. What
 * kensa needs is narrower than a PDF library: the names and a few strings
 * of every object, wherever it is. So pdf.c scans the file once, front to
 * back, ignoring the xref table and trailer offsets (malware breaks them
 * on purpose; readers repair them): every "N G obj" and every dictionary
 * outside one is parsed, stream data is skipped by /Length or by searching
 * "endstream", and object streams (/Type /ObjStm) are decoded and their
 * objects parsed the same way. This is linear in the file and cannot be
 * told apart from a reader's view by a damaged xref.
 *
 * Reads (pdf_lex.h tokenizes, pdf_stream.h decodes filters):
 * - /JavaScript and /JS, actions with /S /JavaScript, the document's
 *   /Names /JavaScript tree: pdf.javascript, "runs when opened" when the
 *   action sits under /OpenAction or /AA, directly or one reference away;
 * - /S /Launch: pdf.launch, with the program or file when given;
 * - streams of /Type /EmbeddedFile: pdf.embedded_file, one per file (named
 *   by the /UF or /F of the file specification whose /EF points at it),
 *   decoded and scanned as a child part (dispatch_child);
 * - /Encrypt: pdf.encrypted; strings and streams are then not read (they
 *   are ciphertext), names still are;
 * - /URI strings: handed to the report's URLs (report_add_url).
 * #xx escapes in names are decoded before names are compared
 * (/J#61vaScript is /JavaScript).
 *
 * Refuses: filters other than Flate, ASCIIHex and ASCII85 (scan.limit for
 * an embedded file that uses one), object streams inside object streams.
 *
 * Limits: PDF_MAX_DEPTH nested dictionaries and arrays, limits.pdf_objects
 * objects per PDF (object-stream members included), limits.pdf_ms
 * milliseconds of parsing per PDF (each reached: scan.limit, the rest of
 * the file is not read); decoded bytes (object streams, embedded files)
 * come from the shared budget, one stream is at most
 * limits.archive_member_bytes, all of them at most limits.archive_ratio
 * times the PDF's size (never under 1 MiB; past it: archive.bomb), and
 * the clock is checked before each stream is decoded; embedded files count as
 * archive members (limits.archive_entries, nesting_depth); at most
 * PDF_MAX_EMBEDDED embedded files and PDF_MAX_URIS URLs are kept per PDF.
 */
#ifndef KENSA_PDF_H
#define KENSA_PDF_H

#include "scan_ctx.h"

#define PDF_MAX_DEPTH	 32
#define PDF_MAX_EMBEDDED 64
#define PDF_MAX_URIS	 256

int pdf_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
