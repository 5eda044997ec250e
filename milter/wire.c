#include "wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int wire_send(int sock, const void *buf, size_t len, int fd)
{
	uint32_t n = (uint32_t)len;
	struct iovec iov[2] = {{&n, sizeof(n)}, {(void *)buf, len}};
	char control[CMSG_SPACE(sizeof(int))];
	struct msghdr msg = {0};
	size_t total = sizeof(n) + len, sent = 0;

	if (len > WIRE_MAX_FRAME)
		return -1;
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	if (fd >= 0) {
		struct cmsghdr *c;
		memset(control, 0, sizeof(control));
		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	while (sent < total) {
		ssize_t w = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		sent += (size_t)w;
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
		while (w > 0 && msg.msg_iovlen > 0) {
			if ((size_t)w >= msg.msg_iov->iov_len) {
				w -= (ssize_t)msg.msg_iov->iov_len;
				msg.msg_iov++;
				msg.msg_iovlen--;
			} else {
				msg.msg_iov->iov_base =
				    (char *)msg.msg_iov->iov_base + w;
				msg.msg_iov->iov_len -= (size_t)w;
				w = 0;
			}
		}
	}
	return 0;
}

static int read_full(int sock, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = recv(sock, (char *)buf + got, len - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int recv_header(int sock, uint32_t *n, int *fd)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {n, sizeof(*n)};
	struct msghdr msg = {0};
	struct cmsghdr *c;
	ssize_t r;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control;
	msg.msg_controllen = sizeof(control);
	do
		r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return 1;
	if (r < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	if ((size_t)r < sizeof(*n) &&
	    read_full(sock, (char *)n + r, sizeof(*n) - (size_t)r) < 0)
		return -1;
	return 0;
}

int wire_recv(int sock, char **buf, size_t *len, int *fd)
{
	uint32_t n = 0;
	int rc;

	*fd = -1;
	*buf = NULL;
	rc = recv_header(sock, &n, fd);
	if (rc != 0)
		return rc;
	if (n > WIRE_MAX_FRAME)
		goto fail;
	*buf = malloc((size_t)n + 1);
	if (!*buf || read_full(sock, *buf, n) < 0)
		goto fail;
	(*buf)[n] = '\0';
	*len = n;
	return 0;
fail:
	free(*buf);
	*buf = NULL;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	return -1;
}
