/*
 * walk - the messages named on a command line: files, directories
 * (recursively, in name order, dot files skipped, at most WALK_MAX_DEPTH
 * deep), mbox files (one message per "From " separator, labelled FILE:N)
 * and "-" for standard input. Files are mapped, not copied. Shared by
 * `kensa scan` and `kensa replay`. Files named *.json are skipped: they
 * are the envelope sidecars of the messages beside them.
 */
#ifndef KENSA_WALK_H
#define KENSA_WALK_H

#include "../parser/span.h"

#define WALK_MAX_DEPTH 32

/* Called for each message; path is the file it came from. */
typedef void (*walk_fn)(const char *label, const char *path, struct span msg,
			void *arg);

/* Returns 0, or 2 if some path could not be read (reported on stderr). */
int walk_paths(char *const *paths, int npaths, walk_fn fn, void *arg);
/* The same walk, calling fn only for messages whose number (from 0, in
 * walk order) modulo shares is share; for processes that split one walk.
 * Unreadable paths are reported by share 0 only. */
int walk_share(char *const *paths, int npaths, unsigned share, unsigned shares,
	       walk_fn fn, void *arg);

#endif
