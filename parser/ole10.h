/*
 * ole10 - the OLE1 Package format (MS-OLEDS Ole10Native): how Packager
 * wraps an embedded file, in an RTF object's native data and in the
 * \001Ole10Native stream of a compound file. Reads the type, label, file
 * path, temporary path and the file's bytes; the name returned is the
 * base name of the temporary path, else of the file path, else the label.
 * Refuses strings without their NUL and sizes that run past the data.
 * Returns spans into the input; allocates nothing.
 */
#ifndef KENSA_OLE10_H
#define KENSA_OLE10_H

#include "span.h"

/* native: the package data (without the stream's leading size). */
int ole10_package(struct span native, struct span *name, struct span *file);
/* stream: a \001Ole10Native stream (a 32-bit size, then the package). */
int ole10_native_stream(struct span stream, struct span *name,
			struct span *file);

/* A 32-bit length, then that many bytes, at *at; -1 past the end. */
int ole10_sized(struct span data, size_t *at, struct span *out);

#endif
