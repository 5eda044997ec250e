#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "../parser/content_digest.h"

int spool_open(struct spool *s, const char *dir, size_t memory_limit)
{
	memset(s, 0, sizeof(*s));
	s->dir = dir;
	s->memory_limit = memory_limit;
	s->fd = memfd_create("kensa-spool", MFD_CLOEXEC);
	return s->fd < 0 ? -1 : 0;
}

static int open_tmpfile(const char *dir)
{
	char path[4096];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd;
	snprintf(path, sizeof(path), "%s/kensa-spool.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Moves the memory spool into a file once it outgrows the limit. */
static int spool_to_file(struct spool *s)
{
	int fd = open_tmpfile(s->dir);
	off_t off = 0;

	if (fd < 0)
		return -1;
	while ((size_t)off < s->size) {
		ssize_t n = sendfile(fd, s->fd, &off, s->size - (size_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
	}
	close(s->fd);
	s->fd = fd;
	s->in_file = 1;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int spool_write(struct spool *s, const void *buf, size_t len)
{
	if (s->fd < 0)
		return -1;
	if (!s->in_file && s->size + len > s->memory_limit &&
	    spool_to_file(s) < 0)
		return -1;
	if (write_all(s->fd, buf, len) < 0)
		return -1;
	s->size += len;
	return 0;
}

int spool_content_digest(struct spool *s, char hex[65])
{
	void *map;
	int rc;

	if (s->fd < 0)
		return -1;
	if (s->size == 0)
		return content_digest(span_make("", 0), hex);
	map = mmap(NULL, s->size, PROT_READ, MAP_SHARED, s->fd, 0);
	if (map == MAP_FAILED)
		return -1;
	rc = content_digest(span_make(map, s->size), hex);
	munmap(map, s->size);
	return rc;
}

void spool_close(struct spool *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
