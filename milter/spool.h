/*
 * spool - holds one message as it arrives: in memory (a memfd) up to
 * spool_memory_limit, then in an unlinked temp file (mode 0600) in
 * spool_dir. Either way the result is one file descriptor that the scan
 * worker maps, and a SHA-256 digest computed as the bytes arrive. The
 * digest leaves out what the caller marks as not content (the MTA's own
 * Received: header changes with every retry), so that a message keeps its
 * digest when the sender tries again: the poison check depends on it.
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
	void *sha; /* EVP_MD_CTX */
};

int spool_open(struct spool *s, const char *dir, size_t memory_limit);
int spool_write(struct spool *s, const void *buf, size_t len, int digest);
int spool_finish(struct spool *s, char sha256_hex[65]);
void spool_close(struct spool *s);

#endif
