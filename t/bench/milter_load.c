/*
 * milter_load - the MTA side of the milter protocol (version 6), as a
 * load generator: option negotiation, macros, connect, HELO, MAIL, RCPT,
 * headers, body in chunks of at most 65535 bytes (as Postfix sends them),
 * end of message, reading every modification and the final answer. It
 * replays the .eml files of a directory over C connections at once, each
 * message N times in all, and prints messages/s, MB/s, latency
 * p50/p99/max, errors and the count of each verdict (from the
 * X-Kensa-Verdict header the filter adds; "accept" for a plain accept).
 *
 *   milter_load -s unix:PATH|inet:PORT@HOST -c CONNS -n MESSAGES DIR
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65535
#define MAX_VERDICTS 8

/* Protocol steps (mfdef.h): what the filter declines, or will not answer. */
#define P_NOCONNECT 0x1
#define P_NOHELO 0x2
#define P_NOMAIL 0x4
#define P_NORCPT 0x8
#define P_NOBODY 0x10
#define P_NOHDRS 0x20
#define P_NOEOH 0x40
#define P_NR_HDR 0x80
#define P_NR_CONN 0x1000
#define P_NR_HELO 0x2000
#define P_NR_MAIL 0x4000
#define P_NR_RCPT 0x8000
#define P_NR_EOH 0x40000
#define P_NR_BODY 0x80000
#define P_OFFER 0x1fffff

struct message {
	char *headers; /* "Name: value\r\n"... */
	size_t hlen;
	char *body;
	size_t blen;
};

struct shared {
	const char *socket;
	struct message *msgs;
	size_t nmsgs;
	long total, next; /* messages to send, next index (under lock) */
	pthread_mutex_t lock;
	double *latency; /* ms, one per message sent */
	long done, errors;
	char verdicts[MAX_VERDICTS][32];
	long verdict_count[MAX_VERDICTS];
	double bytes;
};

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int connect_to(const char *spec)
{
	int fd;

	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un a = {.sun_family = AF_UNIX};
		snprintf(a.sun_path, sizeof(a.sun_path), "%s", spec + 5);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return fd;
	} else if (strncmp(spec, "inet:", 5) == 0) {
		struct sockaddr_in a = {.sin_family = AF_INET};
		const char *at = strchr(spec, '@');
		a.sin_port = htons((uint16_t)atoi(spec + 5));
		inet_pton(AF_INET, at ? at + 1 : "127.0.0.1", &a.sin_addr);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return fd;
	} else {
		return -1;
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_cmd(int fd, char cmd, const void *data, size_t len)
{
	uint32_t n = htonl((uint32_t)(len + 1));
	if (write_all(fd, &n, 4) < 0 || write_all(fd, &cmd, 1) < 0)
		return -1;
	return len ? write_all(fd, data, len) : 0;
}

/* Reads one reply; *cmd its code, data into buf (malloc'd, NUL-ended). */
static int read_reply(int fd, char *cmd, char **buf, size_t *len)
{
	uint32_t n;

	if (read_all(fd, &n, 4) < 0)
		return -1;
	n = ntohl(n);
	if (n < 1 || n > (1u << 24) || read_all(fd, cmd, 1) < 0)
		return -1;
	*len = n - 1;
	*buf = malloc(*len + 1);
	if (!*buf || read_all(fd, *buf, *len) < 0)
		return -1;
	(*buf)[*len] = '\0';
	return 0;
}

static __thread uint32_t steps; /* the filter's protocol flags */

/* The flags that skip a command, or make it go unanswered. */
static uint32_t skip_flag(char cmd)
{
	switch (cmd) {
	case 'C': return P_NOCONNECT;
	case 'H': return P_NOHELO;
	case 'M': return P_NOMAIL;
	case 'R': return P_NORCPT;
	case 'L': return P_NOHDRS;
	case 'N': return P_NOEOH;
	case 'B': return P_NOBODY;
	default: return 0;
	}
}

static uint32_t noreply_flag(char cmd)
{
	switch (cmd) {
	case 'C': return P_NR_CONN;
	case 'H': return P_NR_HELO;
	case 'M': return P_NR_MAIL;
	case 'R': return P_NR_RCPT;
	case 'L': return P_NR_HDR;
	case 'N': return P_NR_EOH;
	case 'B': return P_NR_BODY;
	default: return 0;
	}
}

/* Sends a command and reads the answer: 'c' (or modifications then a
 * final reply at end of message). verdict gets X-Kensa-Verdict's value.
 * Commands the filter declined, or does not answer, count as 'c'. */
static int command(int fd, char cmd, const void *data, size_t len,
		   char *verdict, size_t vlen)
{
	if (steps & skip_flag(cmd))
		return 'c';
	if (steps & noreply_flag(cmd))
		return send_cmd(fd, cmd, data, len) < 0 ? -1 : 'c';
	for (int sent = 0;;) {
		char code, *buf;
		size_t blen;
		if (!sent && send_cmd(fd, cmd, data, len) < 0)
			return -1;
		sent = 1;
		if (read_reply(fd, &code, &buf, &blen) < 0)
			return -1;
		if (code == 'h' && verdict && strcasecmp(buf, "X-Kensa-Verdict") == 0)
			snprintf(verdict, vlen, "%s",
				 buf + strlen(buf) + 1 + (buf[strlen(buf) + 1] == ' '));
		if (code == 'y' && verdict)
			snprintf(verdict, vlen, "%.3s", buf);
		free(buf);
		if (code && strchr("+-2ehimbqp", code))
			continue; /* a modification: more to come */
		if (code == 'a' && verdict && !*verdict)
			snprintf(verdict, vlen, "accept");
		if (code == 'd' && verdict && !*verdict)
			snprintf(verdict, vlen, "discard");
		if (code == 't' && verdict)
			snprintf(verdict, vlen, "tempfail");
		return code;
	}
}

static int negotiate(int fd)
{
	uint32_t opt[3] = {htonl(6), htonl(0x1ff), htonl(P_OFFER)};
	char code, *buf;
	size_t len;

	if (send_cmd(fd, 'O', opt, sizeof(opt)) < 0 ||
	    read_reply(fd, &code, &buf, &len) < 0)
		return -1;
	if (code == 'O' && len >= 12) {
		memcpy(&steps, buf + 8, 4);
		steps = ntohl(steps);
	}
	free(buf);
	return code == 'O' ? 0 : -1;
}

static int send_macro(int fd, char stage, const char *name, const char *value)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "%c%s%c%s", stage, name, 0, value);
	return send_cmd(fd, 'D', buf, (size_t)n + 1);
}

static int session_start(int fd)
{
	static const char conn[] = "client.example\0" "4" "\x04\x00" "192.0.2.1";

	if (negotiate(fd) < 0 ||
	    command(fd, 'C', conn, sizeof(conn), NULL, 0) != 'c' ||
	    command(fd, 'H', "client.example", 15, NULL, 0) != 'c')
		return -1;
	return 0;
}

static int send_headers(int fd, const struct message *m)
{
	const char *p = m->headers, *end = m->headers + m->hlen;

	while (p < end) {
		const char *line_end = p, *colon;
		char *field;
		size_t n, nl;
		/* a field with its continuation lines */
		do {
			const char *nlp = memchr(line_end, '\n', (size_t)(end - line_end));
			line_end = nlp ? nlp + 1 : end;
		} while (line_end < end && (*line_end == ' ' || *line_end == '\t'));
		colon = memchr(p, ':', (size_t)(line_end - p));
		if (!colon) {
			p = line_end;
			continue;
		}
		nl = (size_t)(colon - p);
		n = (size_t)(line_end - colon - 1);
		while (n > 0 && (colon[n] == '\n' || colon[n] == '\r'))
			n--;
		field = malloc(nl + n + 2);
		memcpy(field, p, nl);
		field[nl] = '\0';
		memcpy(field + nl + 1, colon + 1, n);
		field[nl + 1 + n] = '\0';
		if (command(fd, 'L', field, nl + n + 2, NULL, 0) != 'c') {
			free(field);
			return -1;
		}
		free(field);
		p = line_end;
	}
	return 0;
}

static int send_message(int fd, const struct message *m, char *verdict,
			size_t vlen)
{
	int code;

	*verdict = '\0';
	if (send_macro(fd, 'M', "i", "BENCH") < 0 ||
	    command(fd, 'M', "<sender@example.org>", 21, NULL, 0) != 'c' ||
	    command(fd, 'R', "<rcpt@example.net>", 19, NULL, 0) != 'c' ||
	    send_headers(fd, m) < 0 || command(fd, 'N', NULL, 0, NULL, 0) != 'c')
		return -1;
	for (size_t off = 0; off < m->blen; off += CHUNK) {
		size_t n = m->blen - off < CHUNK ? m->blen - off : CHUNK;
		if (command(fd, 'B', m->body + off, n, NULL, 0) != 'c')
			return -1;
	}
	code = command(fd, 'E', NULL, 0, verdict, vlen);
	return code < 0 ? -1 : 0;
}

static void count_verdict(struct shared *s, const char *v)
{
	int i;

	for (i = 0; i < MAX_VERDICTS && s->verdicts[i][0]; i++)
		if (strcmp(s->verdicts[i], v) == 0)
			break;
	if (i == MAX_VERDICTS)
		return;
	if (!s->verdicts[i][0])
		snprintf(s->verdicts[i], sizeof(s->verdicts[i]), "%s", v);
	s->verdict_count[i]++;
}

static void *client(void *arg)
{
	struct shared *s = arg;
	int fd = connect_to(s->socket);

	if (fd < 0 || session_start(fd) < 0) {
		pthread_mutex_lock(&s->lock);
		s->errors++;
		pthread_mutex_unlock(&s->lock);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		long i;
		char verdict[64];
		double t0, ms;
		int rc;
		const struct message *m;

		pthread_mutex_lock(&s->lock);
		i = s->next < s->total ? s->next++ : -1;
		pthread_mutex_unlock(&s->lock);
		if (i < 0)
			break;
		m = &s->msgs[(size_t)i % s->nmsgs];
		t0 = now_ms();
		rc = send_message(fd, m, verdict, sizeof(verdict));
		ms = now_ms() - t0;
		pthread_mutex_lock(&s->lock);
		if (rc < 0) {
			s->errors++;
		} else {
			s->latency[s->done++] = ms;
			s->bytes += (double)(m->hlen + m->blen);
			count_verdict(s, verdict);
		}
		pthread_mutex_unlock(&s->lock);
		if (rc < 0) {
			close(fd);
			fd = connect_to(s->socket);
			if (fd < 0 || session_start(fd) < 0)
				break;
		}
	}
	if (fd >= 0) {
		send_cmd(fd, 'Q', NULL, 0);
		close(fd);
	}
	return NULL;
}

static int load_message(const char *path, struct message *m)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data, *sep;
	size_t n, skip = 4;

	if (!f || fstat(fileno(f), &st) < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	data = malloc((size_t)st.st_size + 1);
	n = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	data[n] = '\0';
	sep = strstr(data, "\r\n\r\n");
	if (!sep) {
		sep = strstr(data, "\n\n");
		skip = 2;
	}
	if (!sep) {
		free(data);
		return -1;
	}
	m->headers = data;
	m->hlen = (size_t)(sep - data) + skip / 2;
	m->body = sep + skip;
	m->blen = n - (size_t)(m->body - data);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct shared s;
	const char *socket_spec = NULL;
	int conns = 8, c;
	long total = 1000;
	pthread_t *threads;
	DIR *dir;
	struct dirent *e;
	double t0, secs;

	memset(&s, 0, sizeof(s));
	while ((c = getopt(argc, argv, "s:c:n:")) != -1) {
		switch (c) {
		case 's': socket_spec = optarg; break;
		case 'c': conns = atoi(optarg); break;
		case 'n': total = atol(optarg); break;
		default: return 2;
		}
	}
	if (!socket_spec || optind != argc - 1 || conns < 1 || total < 1) {
		fprintf(stderr, "usage: milter_load -s SOCKET -c CONNS -n "
				"MESSAGES DIR\n");
		return 2;
	}
	dir = opendir(argv[optind]);
	while (dir && (e = readdir(dir))) {
		char path[4096];
		size_t l = strlen(e->d_name);
		if (l < 4 || strcmp(e->d_name + l - 4, ".eml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[optind], e->d_name);
		s.msgs = realloc(s.msgs, (s.nmsgs + 1) * sizeof(*s.msgs));
		if (load_message(path, &s.msgs[s.nmsgs]) == 0)
			s.nmsgs++;
	}
	if (dir)
		closedir(dir);
	if (!s.nmsgs) {
		fprintf(stderr, "milter_load: no .eml files in %s\n", argv[optind]);
		return 2;
	}
	s.socket = socket_spec;
	s.total = total;
	s.latency = calloc((size_t)total, sizeof(double));
	pthread_mutex_init(&s.lock, NULL);
	threads = calloc((size_t)conns, sizeof(*threads));
	t0 = now_ms();
	for (int i = 0; i < conns; i++)
		pthread_create(&threads[i], NULL, client, &s);
	for (int i = 0; i < conns; i++)
		pthread_join(threads[i], NULL);
	secs = (now_ms() - t0) / 1e3;
	qsort(s.latency, (size_t)s.done, sizeof(double), cmp_double);
	printf("messages %ld errors %ld seconds %.2f msgs/s %.1f MB/s %.2f\n",
	       s.done, s.errors, secs, (double)s.done / secs,
	       s.bytes / secs / 1e6);
	if (s.done)
		printf("latency_ms p50 %.2f p99 %.2f max %.2f\n",
		       s.latency[(size_t)(s.done * 50 / 100)],
		       s.latency[(size_t)(s.done * 99 / 100)],
		       s.latency[s.done - 1]);
	printf("verdicts");
	for (int i = 0; i < MAX_VERDICTS && s.verdicts[i][0]; i++)
		printf(" %s=%ld", s.verdicts[i], s.verdict_count[i]);
	printf("\n");
	return s.errors ? 1 : 0;
}
