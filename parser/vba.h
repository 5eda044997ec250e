/*
 * vba - VBA projects inside a compound file (MS-OVBA): every storage
 * named VBA (any case) that holds a `dir` stream (Word's Macros/VBA,
 * Excel's _VBA_PROJECT_CUR/VBA, a bare vbaProject.bin, projects of
 * embedded objects). The dir stream gives the code page and, per module,
 * its name, stream name and the offset of its compressed source; the
 * source is decompressed (ovba) and converted from the code page to
 * UTF-8 (GLib's iconv; bytes it cannot convert are repaired).
 *
 * Refuses dir records that run past the stream, module text offsets past
 * the stream's end. The PROJECTVERSION record's size field says 4 but six
 * bytes follow; that quirk is honoured. Limits: every stream and every
 * decompressed byte is charged to the expanded-bytes budget
 * (limits.decoded_bytes); the number of modules is bounded by the size
 * of the dir stream.
 */
#ifndef KENSA_VBA_H
#define KENSA_VBA_H

#include "cfb.h"

struct vba_dir_module {
	struct span name, name_utf16;	  /* code page bytes, UTF-16LE */
	struct span stream, stream_utf16; /* stream name, both forms */
	uint32_t offset;		  /* of the compressed source */
};

struct vba_dir {
	unsigned codepage;
	struct vba_dir_module *modules;
	size_t nmodules, cap;
};

enum vba_status {
	VBA_OK = 0,
	VBA_E_FORMAT = -1,
	VBA_E_BUDGET = -2,
	VBA_E_NOMEM = -3,
};

/* Parses a decompressed dir stream; spans point into dir. */
int vba_dir_parse(struct span dir, struct vba_dir *out);
void vba_dir_free(struct vba_dir *d);

struct vba_module {
	char *name;	   /* UTF-8 */
	char *stream;	   /* UTF-8 */
	size_t packed_len; /* decompressed source bytes, before conversion */
	char *source;	   /* UTF-8, NUL-terminated; NULL: unreadable */
	size_t source_len;
	int status; /* why source is NULL */
};

struct vba_project {
	char *storage; /* path of the VBA storage, as "Macros/VBA" */
	unsigned codepage;
	struct vba_module *modules;
	size_t nmodules;
};

/* The VBA storages of c (ids into c->dir), malloc'd; *n of them. */
int vba_find_projects(const struct cfb *c, uint32_t **ids, size_t *n);
/* Reads the project in VBA storage vba: dir, modules, sources. */
int vba_project_read(struct cfb *c, uint32_t vba, struct vba_project *p);
void vba_project_free(struct vba_project *p);
/* Converts bytes in code page cp to UTF-8 (malloc'd, NUL-terminated). */
char *vba_to_utf8(struct span bytes, unsigned cp, size_t *outlen);

#endif
