/*
 * spool - holds one message as it arrives: in memory (a memfd) up to
 * spool_memory_limit, then in an unlinked temp file (mode 0600) in
 * spool_dir. Either way the result is one file descriptor that the scan
 * worker maps, and the content digest (parser/content_digest.h) taken
 * as the bytes arrive. Small writes (a header at a time) are gathered in
 * a SPOOL_BUFFER-byte buffer, so a message costs few system calls.
 */
#ifndef KENSA_SPOOL_H
#define KENSA_SPOOL_H

#include <stddef.h>

#include "../parser/content_digest.h"

#define SPOOL_BUFFER 65536

struct spool {
	int fd;
	size_t size;	/* bytes spooled */
	size_t written; /* of them, in fd */
	char *pending;	/* the rest, SPOOL_BUFFER bytes at most */
	size_t npending;
	size_t memory_limit;
	const char *dir;
	int in_file;
	struct content_digest digest;
};

int spool_open(struct spool *s, const char *dir, size_t memory_limit);
int spool_write(struct spool *s, const void *buf, size_t len);
/* End of message: everything in fd, and the content digest. Once. */
int spool_finish(struct spool *s, char hex[65]);
void spool_close(struct spool *s);

#endif
