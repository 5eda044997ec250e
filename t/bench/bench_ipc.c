/*
 * bench_ipc - the floor of scanning in a separate process: what
 * kensa-milter's hand-off of one message to a scan worker costs with no
 * scan at all. Per message: a memfd created and written (SIZE bytes),
 * passed over a unix socket (SCM_RIGHTS) to a child process that maps it,
 * reads a byte, closes it and answers; the parent waits for the answer
 * and closes its memfd. Also the bare ping (a few bytes there and back,
 * no descriptor, no memfd). Prints the CPU time of both processes per
 * message (user + system, from getrusage), median of ROUNDS rounds of
 * MESSAGES each. Not a test: numbers for BENCHMARKS.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MESSAGES 10000
#define ROUNDS	 5

static double cpu_us(const struct rusage *r)
{
	return (double)(r->ru_utime.tv_sec + r->ru_stime.tv_sec) * 1e6 +
	       (double)(r->ru_utime.tv_usec + r->ru_stime.tv_usec);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* fd < 0 sends the four bytes alone */
static int send_fd(int sock, int fd)
{
	char byte[4] = {0}, control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {byte, sizeof(byte)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};

	if (fd >= 0) {
		m.msg_control = control;
		m.msg_controllen = sizeof(control);
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &fd, sizeof(fd));
	}
	return sendmsg(sock, &m, 0) == (ssize_t)sizeof(byte) ? 0 : -1;
}

/* The descriptor received, -1 for none, -2 at the end. */
static int recv_fd(int sock)
{
	char byte[4], control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {byte, sizeof(byte)};
	struct msghdr m = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = control,
			   .msg_controllen = sizeof(control)};
	struct cmsghdr *h;
	int fd = -1;

	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) <= 0)
		return -2;
	if ((h = CMSG_FIRSTHDR(&m)) && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(fd));
	return fd;
}

static void child(int sock, size_t size)
{
	int fd;

	while ((fd = recv_fd(sock)) != -2) {
		if (fd >= 0) {
			volatile const char *map =
			    mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
			if (map != MAP_FAILED) {
				(void)map[0];
				munmap((void *)map, size);
			}
			close(fd);
		}
		if (write(sock, "ok", 2) != 2)
			break;
	}
	_exit(0);
}

/* One round: CPU us per message of parent and child together. */
static double round_us(const char *msg, size_t size, int with_fd)
{
	int sv[2];
	struct rusage self0, self1, kid;
	char answer[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -1;
	if ((pid = fork()) == 0) {
		close(sv[0]);
		child(sv[1], size);
	}
	close(sv[1]);
	getrusage(RUSAGE_SELF, &self0);
	for (int i = 0; i < MESSAGES; i++) {
		int fd = -1;
		if (with_fd) {
			fd = memfd_create("bench-ipc", MFD_CLOEXEC);
			if (fd < 0 || write(fd, msg, size) != (ssize_t)size)
				return -1;
		}
		if (send_fd(sv[0], fd) < 0 || read(sv[0], answer, 2) != 2)
			return -1;
		if (fd >= 0)
			close(fd);
	}
	getrusage(RUSAGE_SELF, &self1);
	close(sv[0]);
	if (pid < 0 || wait4(pid, NULL, 0, &kid) < 0)
		return -1;
	return (cpu_us(&self1) - cpu_us(&self0) + cpu_us(&kid)) / MESSAGES;
}

static void report(const char *what, size_t size, int with_fd)
{
	double us[ROUNDS];
	char *msg = malloc(size ? size : 1);

	if (!msg)
		return;
	memset(msg, 'a', size);
	for (int r = 0; r < ROUNDS; r++)
		us[r] = round_us(msg, size, with_fd);
	qsort(us, ROUNDS, sizeof(us[0]), by_value);
	printf("  %-34s %6.1f  (min %.1f, max %.1f)\n", what, us[ROUNDS / 2],
	       us[0], us[ROUNDS - 1]);
	free(msg);
}

int main(void)
{
	printf("hand-off to another process, CPU us a message (both "
	       "processes), median of %d rounds of %d:\n",
	       ROUNDS, MESSAGES);
	report("ping, no descriptor", 0, 0);
	report("memfd of 200 bytes passed, mapped", 200, 1);
	report("memfd of 8 KB passed, mapped", 8192, 1);
	return 0;
}
