/*
 * spool - holds one message as it arrives: in memory (a memfd) up to
 * spool_memory_limit, then in an unlinked temp file (mode 0600) in
 * spool_dir. Either way the result is one file descriptor that the scan
 * worker maps.
 */
#ifndef KENSA_SPOOL_H
#define KENSA_SPOOL_H

#include <stddef.h>

struct spool {
	int fd;
	size_t size;
	size_t memory_limit;
	const char *dir;
	int in_file;
};

int spool_open(struct spool *s, const char *dir, size_t memory_limit);
int spool_write(struct spool *s, const void *buf, size_t len);
/* The content digest of what was spooled (parser/content_digest.h). */
int spool_content_digest(struct spool *s, char hex[65]);
void spool_close(struct spool *s);

#endif
